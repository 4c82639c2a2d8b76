"""部门决算 tables read as the national template prints them (../shared/real, skipped when
absent): titles above their 公开NN表 line, the 三公 table's items as rows of their own, and the
card and peers that read its 预算数 and 决算数."""

from __future__ import annotations

import polars as pl
import pytest

from parsing.library import Library
from parsing.queries.card import card_figures
from parsing.queries.grid import build_grid
from parsing.queries.peers import peers
from parsing.queries.subjects import subject
from tests.parsing.genuine import frames

CENTRAL = "central/2024_*部门决算.pdf"
PUTUO = "shanghai-putuo/2024_*部门决算.pdf"


def _library(*patterns: str) -> Library:
    return Library(
        **{
            name: pl.concat([frames(p)[name] for p in patterns], how="diagonal_relaxed")
            for name in ("documents", "budget_lines", "tables", "projects")
        }
    )


def _sangong_lines(pattern: str) -> pl.DataFrame:
    return frames(pattern)["budget_lines"].filter(pl.col("table_kind") == "三公经费")


def test_central_final_account_tables_are_known_by_the_title_above_their_number():
    """The 2024 国家信访局 决算 prints "收入决算表 / 公开02表 / 部门：… 金额单位：万元": each of its
    nine 公开NN表 is known by its title, in the template's order."""
    tables = frames(CENTRAL)["tables"].filter(pl.col("title").str.contains("决算"))
    assert tables.sort("source_page")["table_kind"].to_list() == [
        "收支总表",
        "收入总表",
        "支出总表",
        "财政拨款收支总表",
        "功能分类",
        "基本支出",
        "政府性基金",
        "国有资本经营",
        "三公经费",
    ]
    assert tables.filter(pl.col("table_no") == "表9")["title"].item() == "一般公共预算财政拨款“三公”经费支出决算表"


def test_central_sangong_prints_budget_and_actual_per_item():
    """公开09表 (p.15): 预算数 合计 76.43 = 30.00 + 40.63 + 5.80; 决算数 合计 46.21 = 4.69 + 40.61 + 0.90."""
    lines = _sangong_lines(CENTRAL)
    figures = {(r["name"], r["measure"]): r["amount"] for r in lines.iter_rows(named=True)}
    assert figures[("合计", "预算数")] == pytest.approx(76.43)
    assert figures[("合计", "决算数")] == pytest.approx(46.21)
    assert figures[("因公出国（境）费", "决算数")] == pytest.approx(4.69)
    assert figures[("公务用车购置及运行维护费·小计", "预算数")] == pytest.approx(40.63)
    assert figures[("公务接待费", "决算数")] == pytest.approx(0.90)


def test_putuo_sangong_total_is_a_row_of_its_own_in_the_grid():
    """普陀区财政局 2024 决算 p.18 prints 合计 预算数 0.95 and 公务接待费 预算数 0.95 in one row of
    columns: turned, each item is its own row, so the table shows the 合计 0.95 (not only 公务接待费)."""
    grid = build_grid(_sangong_lines(PUTUO))
    names = [grid.text(r, 0, "万元") for r in range(len(grid.rows))]
    budget = [c.measure for c in grid.columns].index("预算数")
    assert names[0] == "合计"
    assert grid.text(0, budget, "万元") == "0.95"
    assert grid.text(names.index("公务接待费"), budget, "万元") == "0.95"
    assert len(names) == 6


def test_card_of_a_final_account_shows_sangong_actual_beside_its_budget():
    """The 决算 card's 三公: 国家信访局 决算 46.21 beside 预算 76.43; 普陀区财政局 决算 0 (printed
    blank) beside 预算 0.95."""
    lib = _library(CENTRAL, PUTUO)
    for department, actual, budget in (("国家信访局", 46.21, 76.43), ("上海市普陀区财政局", 0.0, 0.95)):
        doc_id = lib.documents.filter(pl.col("department") == department)["doc_id"].item()
        card = card_figures(lib, doc_id)
        total = next(x for title, lines in card.sections if title == "三公" for x in lines if x.label == "三公经费")
        assert (total.amount, total.budget) == (pytest.approx(actual), pytest.approx(budget))


def test_peers_of_sangong_actuals_rank_both_final_accounts():
    """peers --metric 三公 --measure 决算数 --year 2024: 国家信访局 46.21, 普陀区财政局 0 (not 未列示)."""
    df = peers(_library(CENTRAL, PUTUO), subject(metric="三公", measure="决算数"), 2024)
    amounts = dict(df.select("department", "amount").iter_rows())
    assert amounts == {"国家信访局": pytest.approx(46.21), "上海市普陀区财政局": pytest.approx(0.0)}


def test_peers_of_budgets_say_a_department_has_only_its_final_account():
    """With the default 预算数, a department whose 2024 filing is a 决算 is "无该年预算，有决算",
    not "无该年文件"."""
    df = peers(_library(CENTRAL), subject(metric="三公"), 2024)
    assert df.select("department", "status").rows() == [("国家信访局", "only_final")]


def test_the_summary_names_a_table_of_unknown_kind_instead_of_failing():
    """`yusuan parse` of the central 决算: its 绩效 pages (表 of no known kind) are listed as
    未识别, and the template's 表9 as 三公经费 (a None kind once raised a TypeError)."""
    from parsing.queries.summary import describe

    lib = _library(CENTRAL)
    text = describe(lib, lib.documents["doc_id"].item())
    assert "表9 三公经费（12条）" in text
    assert "未识别" in text
