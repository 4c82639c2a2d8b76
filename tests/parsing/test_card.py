"""The card's figures against last year (parsing.queries.card), without a screen."""

from __future__ import annotations

import pytest

from parsing import schema
from parsing.library import Library
from parsing.queries.card import card_figures, change_pct
from parsing.queries.lookup import document_id
from tests.conftest import SEEDS


def _line(card, label):
    return next(x for x in card.lines() if x.label.strip() == label)


def test_totals_beside_last_years_filing():
    """审计局 2023: 支出总计 3,451 against 2022's 3,807 (-9.35%), 项目支出 217 against 180 (+20.56%)."""
    lib = Library.load([SEEDS])
    card = card_figures(lib, document_id(lib, "深圳市龙岗区审计局", 2023, "部门预算"))
    spend = _line(card, "支出总计")
    assert (spend.amount, spend.prior, change_pct(spend)) == (3451.0, 3807.0, -9.35)
    assert change_pct(_line(card, "项目支出")) == 20.56
    assert not card.synthetic


def test_the_synthetic_edition_is_marked():
    """The 2022 审计局 budget is a 示例 edition."""
    lib = Library.load([SEEDS])
    assert card_figures(lib, document_id(lib, "深圳市龙岗区审计局", 2022, "部门预算")).synthetic


def test_a_subtotal_that_disagrees_is_reported():
    """The 2021 自评表 prints a 小计 for 财政投资评审中心 that its projects do not add up to."""
    lib = Library.load([SEEDS])
    card = card_figures(lib, document_id(lib, "深圳市龙岗区财政局", 2021, "绩效自评表"))
    assert any("评审中心" in w and "印的小计" in w for w in card.warnings)


def test_putuo_wanli_2025_against_2024(real_dir):
    """万里 2025 收入总计 18,976.7551 against 2024's 15,621.1123: +21.48%; 三公 37.91 against 47.91."""
    lib = Library.load(sorted(real_dir.glob("202[45]_普陀区万里街道办事处_部门预算.pdf")))
    card = card_figures(lib, document_id(lib, "上海市普陀区人民政府万里街道办事处", 2025, "部门预算"))
    income = _line(card, "收入总计")
    assert (income.amount, income.prior, change_pct(income)) == (18976.7551, 15621.1123, 21.48)
    sangong = _line(card, "三公经费")
    assert (sangong.amount, sangong.prior) == (37.91, 47.91)


def test_projects_without_amounts_say_so_instead_of_zero():
    """Target forms that print no money (项目支出绩效目标表) give 预算合计 "未列金额", never a 0 the
    filing did not print."""
    from parsing.queries.card import _project_sections  # the card's 项目 section alone

    projects = schema.frame(
        "projects", [{"project_id": "d:1", "name": "信息化运维"}, {"project_id": "d:2", "name": "审计"}]
    )
    ((_title, lines),) = _project_sections(projects)
    budget = next(line for line in lines if line.label == "预算合计")
    assert (budget.amount, budget.count) == (None, "未列金额")


def test_card_totals_come_from_one_table():
    """2026 杭州市司法局: 支出总计 99,230.46 from the 支出总表 (not the 一般公共预算 table's
    91,842.8); 基本支出 = 人员支出 + 日常公用支出 70,724.29 said so; 项目支出 28,506.17 is 28.73%."""
    from parsing.queries.card import _budget_section
    from tests.parsing.genuine import frames

    lines = {line.label: line for line in _budget_section(frames("hangzhou/*.pdf")["budget_lines"])}
    assert lines["支出总计"].amount == pytest.approx(99230.46)
    assert lines["基本支出"].amount == pytest.approx(70724.29) and "人员支出+日常公用支出" in lines["基本支出"].note
    assert lines["项目支出"].rate == pytest.approx(28.73, abs=0.005)


def test_check_counts_wait_for_the_checks():
    """Before a filing's checks have run the card says so ("未核查…", "核查中…"), never
    "✗ 错误 0 处" (a false all-clear); once they have run with nothing found, 0 is said."""
    import polars as pl

    lib = Library.load([SEEDS])
    doc_id = document_id(lib, "深圳市龙岗区审计局", 2023, "部门预算")
    none = pl.DataFrame(schema={"doc_id": pl.String, "severity": pl.String})
    for state, said in (("pending", "未核查（展开部门即核查）"), ("running", "核查中…"), ("failed", "核查未能完成")):
        lines = dict(card_figures(lib, doc_id, findings=none, checks=state).sections)["核查"]
        assert [(x.label, x.note) for x in lines if x.label != "读取覆盖"] == [("核查", said)]
    done = dict(card_figures(lib, doc_id, findings=none, checks="done").sections)["核查"]
    assert (done[0].label, done[0].count) == ("✗ 错误", "0 处")
    nothing_yet = pl.DataFrame()  # what the screen holds till any department's checks find something
    done = dict(card_figures(lib, doc_id, findings=nothing_yet, checks="done").sections)["核查"]
    assert (done[0].label, done[0].count) == ("✗ 错误", "0 处")


def test_a_project_budgeted_at_zero_is_not_a_low_execution_rate():
    """The 2021 自评表's 公园大地社区配套…用房 project is budgeted 0 and prints 执行率 0%: nothing was
    due, so it is not among the lowest rates nor counted as 执行率异常."""
    lib = Library.load([SEEDS])
    card = card_figures(lib, document_id(lib, "深圳市龙岗区财政局", 2021, "绩效自评表"))
    lowest = dict(card.sections)["执行率最低"]
    assert not any("公园大地" in x.label for x in lowest)
    assert lowest[0].rate is not None and lowest[0].rate > 0
