"""The two seed text extractions parse into the figures printed in them."""

from __future__ import annotations

import polars as pl
import pytest

from parsing.library import Library
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def lib() -> Library:
    return Library.load([SEEDS / "000_533ecde84f1547da.txt", SEEDS / "001_49341d35398c12a1.txt"])


def _project(lib: Library, name: str) -> dict:
    return lib.projects.filter(pl.col("name") == name).row(0, named=True)


def _line(lib: Library, table_kind: str, code: str, measure: str) -> float:
    rows = lib.budget_lines.filter(
        (pl.col("table_kind") == table_kind) & (pl.col("code") == code) & (pl.col("measure") == measure)
    )
    assert rows.height == 1, rows
    return rows["amount"][0]


def test_documents_are_identified(lib):
    """Each seed is recognised by kind, year and issuing department."""
    docs = lib.documents.sort("year").select("kind", "year", "department").rows()
    assert docs == [("绩效自评表", 2021, "深圳市龙岗区财政局"), ("部门预算", 2023, "深圳市龙岗区审计局")]


def test_self_evaluation_has_22_projects_in_four_units(lib):
    """The merged 部门名称 block names every row of its block; （本级） and (本级) are one unit."""
    evaluation = lib.projects.join(lib.documents.filter(pl.col("kind") == "绩效自评表"), on="doc_id")
    counts = dict(evaluation.filter(pl.col("row_kind") == "project").group_by("unit").len().rows())
    assert counts == {
        "深圳市龙岗区财政局（本级）": 9,
        "深圳市龙岗区财政国库支付中心": 4,
        "深圳市龙岗区财政投资评审中心": 3,
        "深圳市龙岗区政府物业管理中心": 6,
    }


def test_own_level_runs_from_office_repairs_to_procurement_supervision(lib):
    """The 本级 block keeps print order across the page break: 办公楼修缮 … 采购监督管理."""
    names = lib.projects.filter(pl.col("unit") == "深圳市龙岗区财政局（本级）", pl.col("row_kind") == "project")["name"]
    assert names[0] == "办公楼修缮" and names[-1] == "采购监督管理" and len(names) == 9


@pytest.mark.parametrize(
    ("name", "budget", "actual", "rate"),
    [("办公楼修缮", 37.18, 30.8, 82.86), ("国库集中支付", 1183.67, 1171.32, 98.96)],
)
def test_project_amounts_and_rate(lib, name, budget, actual, rate):
    """Budget, actual and 执行率 as printed."""
    p = _project(lib, name)
    assert (p["budget_total"], p["actual_total"], p["exec_rate"]) == (budget, actual, rate)


def test_zero_budget_project(lib):
    """公园大地社区配套… is 0 / 0 / 0%, and its blank funding cells stay blank, not 0."""
    p = lib.projects.filter(pl.col("name").str.starts_with("公园大地社区配套")).row(0, named=True)
    assert (p["budget_total"], p["actual_total"], p["exec_rate"]) == (0.0, 0.0, 0.0)
    assert p["budget_fund"] is None and p["budget_nonfiscal"] is None


def test_subtotals_are_kept_apart(lib):
    """局本级小计 and 评审中心小计 are subtotals with their printed figures, not projects."""
    subtotals = lib.projects.filter(pl.col("row_kind") == "subtotal").select(
        "name", "unit", "budget_total", "actual_total"
    )
    assert subtotals.rows() == [
        ("局本级小计", "深圳市龙岗区财政局（本级）", 2041.62, 1995.68),
        ("评审中心小计", "深圳市龙岗区财政投资评审中心", 851.03, 850.24),
    ]


def test_indicator_target_and_outcome(lib):
    """办公楼修缮 · 产出 · 质量: 修缮验收合格率 → 验收合格率100%."""
    pid = _project(lib, "办公楼修缮")["project_id"]
    row = lib.indicators.filter(pl.col("project_id") == pid, pl.col("level2") == "质量").row(0, named=True)
    assert (row["level1"], row["indicator"], row["outcome"]) == ("产出", "修缮验收合格率", "验收合格率100%")


def test_shifted_cells_land_under_their_columns(lib):
    """财政综合事务 and 绩效评价 lack a cell, 信息系统维护与开发 has two extra: all still align."""

    def indicator(project: str, level2: str) -> dict:
        pid = _project(lib, project)["project_id"]
        return lib.indicators.filter(pl.col("project_id") == pid, pl.col("level2") == level2).row(0, named=True)

    assert indicator("绩效评价", "质量")["outcome"] == "市对区的预算绩效管理考核排名全市第一"
    assert indicator("绩效评价", "服务对象满意度")["outcome"] == "各预算单位满意度≥90%"
    assert indicator("财政综合事务", "经济效益")["target"] == "地方政府专项债券顺利发行"
    assert indicator("财政综合事务", "服务对象满意度")["outcome"] == "各预算单位满意度≥90%"
    assert _project(lib, "财政综合事务")["rectification"].startswith("2021年10月已按区财政统一部署")
    it = lib.projects.filter(pl.col("name") == "信息系统维护与开发", pl.col("unit").str.contains("本级")).row(
        0, named=True
    )
    assert (it["problems"], it["rectification"]) == ("无", "无")
    sat = lib.indicators.filter(pl.col("project_id") == it["project_id"], pl.col("level2") == "服务对象满意度")
    assert sat["outcome"][0] == "系统用户满意度≥90%"


def test_budget_total_and_functional_line(lib):
    """2023 审计局: total 3,451; 2010804 审计业务 190 (基本 0, 项目 190) under 20108 under 201."""
    assert _line(lib, "功能分类", "2010804", "支出总计") == 190
    assert _line(lib, "功能分类", "2010804", "基本支出") == 0
    assert _line(lib, "功能分类", "2010804", "项目支出") == 190
    row = lib.budget_lines.filter(pl.col("table_kind") == "功能分类", pl.col("code") == "2010804").row(0, named=True)
    assert (row["level"], row["parent"], row["name"]) == (3, "20108", "审计业务")
    assert _line(lib, "功能分类", "20108", "支出总计") == 2165
    totals = lib.budget_lines.filter(pl.col("table_kind") == "收支总表", pl.col("name") == "收入总计")
    assert totals["amount"].to_list() == [3451]


def test_economic_line_and_unseparated_thousands(lib):
    """30227 委托业务费 193; '2944' (no separator) and '1,471' both read."""
    assert _line(lib, "经济分类", "30227", "支出总计") == 193
    assert _line(lib, "经济分类", "301", "支出总计") == 2944
    assert _line(lib, "经济分类", "30102", "支出总计") == 1471


def test_three_public_expenses_by_year(lib):
    """三公 2022 and 2023 are both 26.5; the table is turned so years are measures."""
    sangong = lib.budget_lines.filter(pl.col("table_kind") == "三公经费", pl.col("name") == "总计")
    assert dict(sangong.select("measure", "amount").rows()) == {"2022年": 26.5, "2023年": 26.5, "增减变化金额": 0}


def test_summary_table_names_get_codes(lib):
    """收支总表 prints names only; 审计业务 gets code 2010804 from the 功能分类 table."""
    row = lib.budget_lines.filter(pl.col("table_no") == "表1", pl.col("name") == "审计业务").row(0, named=True)
    assert (row["code"], row["side"], row["amount"]) == ("2010804", "expenditure", 190)


def test_five_projects_with_goals(lib):
    """公车购置 18, 信息系统运行与维护 2, 审计业务 155, 审计管理事务 35, 办公设备购置 7."""
    budget = lib.projects.join(lib.documents.filter(pl.col("kind") == "部门预算"), on="doc_id")
    amounts = {n.removesuffix("（通用项目）"): a for n, a in budget.select("name", "budget_total").rows()}
    assert amounts == {"公车购置": 18, "信息系统运行与维护": 2, "审计业务": 155, "审计管理事务": 35, "办公设备购置": 7}
    assert budget.filter(pl.col("name") == "审计业务")["goal"][0].startswith("独立履行审计监督职责")


def test_department_performance_indicators(lib):
    """部门整体支出绩效目标表: 完成年度审计计划项目 ≥20, 审计建议采纳率 ≥90%."""
    dept = lib.indicators.filter(pl.col("project_id").is_null())
    targets = dict(dept.select("indicator", "target").drop_nulls().rows())
    assert targets["完成年度审计计划项目"] == "≥20"
    assert targets["审计建议采纳率"] == "≥90%"
    row = dept.filter(pl.col("indicator") == "完成年度审计计划项目").row(0, named=True)
    assert (row["target_op"], row["target_value"]) == (">=", 20)


def test_latex_in_goals_reads_as_symbols(lib):
    """`$\\geq$ 20` in 第七部分 becomes ≥ 20 in the 审计业务 indicators."""
    pid = _project(lib, "审计业务")["project_id"]
    texts = lib.indicators.filter(pl.col("project_id") == pid)["target"].to_list()
    assert any("≥ 20" in t for t in texts) and not any("$" in t for t in texts)


def test_nine_parts_as_sections(lib):
    """第一部分 … 第九部分 are sections (the 目录 listing them is not)."""
    parts = lib.sections.filter(pl.col("part_no").is_not_null())
    assert parts["part_no"].to_list() == list(range(1, 10))
    assert parts.filter(pl.col("part_no") == 4)["text"][0].count("123") == 1


def test_footnote_is_a_note_not_a_row(lib):
    """(本表尾数误差为四舍五入所致) in 表3's 预算单位 cell is a note; the row still reads as 201."""
    assert "(本表尾数误差为四舍五入所致)" in lib.notes["detail"].to_list()
    t3 = lib.budget_lines.filter(pl.col("table_no") == "表3", pl.col("code") == "201", pl.col("measure") == "支出总计")
    assert t3["amount"].to_list() == [2165]


def test_every_row_carries_its_source(lib):
    """Every budget line names its file, line and table."""
    lines = lib.budget_lines
    assert lines["source_file"].null_count() == 0 and lines["source_line"].null_count() == 0
    row = lines.filter(pl.col("table_kind") == "功能分类", pl.col("code") == "2010804").row(0, named=True)
    assert row["source_table"] == "表7 一般公共预算支出表（按功能分类）"
    assert row["source_file"] == "001_49341d35398c12a1.txt"
