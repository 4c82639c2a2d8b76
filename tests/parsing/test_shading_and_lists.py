"""Shaded narrative text, project lists with their total and unit rows, and target forms read by
their columns, in genuine filings (../shared/real, skipped when absent): the figures printed."""

from __future__ import annotations

import re

import polars as pl
import pytest

from parsing.checks.prose import lookup
from tests.parsing.genuine import REAL
from tests.parsing.genuine import frames as _frames

CHANGSHA = "changsha/*.pdf"
#: 万元 with no figure before it, unless it names a unit (单位：万元, （万元）, 以万元计).
_BARE_WANYUAN = re.compile(r"(?<![\d.,%０-９])(?<![单位：:（(为以按])万元(?![)）])")


def _text(frames: dict[str, pl.DataFrame]) -> str:
    return "\n".join(t or "" for t in frames["sections"]["text"].to_list())


def _indicator(frames: dict[str, pl.DataFrame], name: str) -> dict:
    found = frames["indicators"].filter(pl.col("indicator") == name)
    assert found.height >= 1, name
    return found.row(0, named=True)


def test_shaded_sentence_keeps_its_figure():
    """Changsha shades runs of its 说明 (filled rectangles behind text, which pdfplumber takes for
    one-row grids): p.6 prints "2026 年本单位支出预算 1935.36 万元" and the text says so."""
    text = _text(_frames(CHANGSHA))
    assert "（二）支出预算：2026 年本单位支出预算 1935.36 万元，" in text
    assert "基本支出预算数 1517.95" in text
    assert "项目支出预算 417.41 万元" in text


def test_shaded_runs_are_no_tables():
    """Shaded runs of text are no tables: Changsha has 21 tables (pp.12–32), not 133 grids."""
    tables = _frames(CHANGSHA)["tables"]
    assert tables.height == 21
    assert tables["source_page"].min() == 12


@pytest.mark.parametrize("path", sorted(p.relative_to(REAL).as_posix() for p in REAL.glob("*/*.pdf")) or ["absent"])
def test_no_wanyuan_without_its_figure(path: str):
    """No 万元 in any genuine filing's 说明 stands without the figure the PDF prints before it."""
    text = re.sub(r"\s+", "", _text(_frames(path)))
    bare = [text[max(0, m.start() - 20) : m.end()] for m in _BARE_WANYUAN.finditer(text)]
    assert bare == []


def test_list_total_and_unit_rows_are_no_projects():
    """Changsha's 项目支出绩效目标表 lists 合计 417.41 and 长沙市信访局 417.41 above four projects:
    those two rows are the total and the unit's subtotal; the projects are 35.78, 10.22, 102.80
    and 138.11, each once however many pages it runs over."""
    projects = _frames(CHANGSHA)["projects"]
    kinds = dict(zip(projects["name"], projects["row_kind"], strict=True))
    assert kinds["合计"] == "total"
    assert kinds["长沙市信访局"] == "subtotal"
    listed = projects.filter(pl.col("row_kind") == "project")
    assert listed["budget_total"].to_list() == pytest.approx([35.78, 10.22, 102.80, 138.11])


def test_list_goal_printed_once():
    """A project whose row is printed again on the next page keeps its goal once."""
    projects = _frames(CHANGSHA)["projects"]
    goal = projects.filter(pl.col("name") == "信访业务工作专项")["goal"][0]
    assert goal.count("认真做好群众进京") == 1


def test_list_rows_under_a_project_are_its_indicators():
    """The indicator grid beside each project (pp.22–29) is the project's: 总成本 ≤35.78万元 and
    经费分档精准率 ≥95% belong to 基层及其他信访业务工作经费专项, also from its continuation page."""
    frames = _frames(CHANGSHA)
    pid = frames["projects"].filter(pl.col("name") == "基层及其他信访业务工作经费专项")["project_id"][0]
    cost = _indicator(frames, "总成本")
    assert (cost["project_id"], cost["level1"], cost["level2"], cost["target"]) == (
        pid,
        "成本",
        "经济成本",
        "≤35.78万元",
    )
    assert _indicator(frames, "经费分档精准率")["target"] == "≥95%"
    assert _indicator(frames, "区县（市）信访事项及时受理率")["project_id"] == pid  # printed on p.23


def test_department_targets_from_the_target_column():
    """The 部门整体支出绩效目标表 (p.30) prints 指标值类型 | 指标值 | 计量单位 | … | 分值: the target is
    ≥10000件 and ≤417.41万元, never the 分值 (4, 10) of the last column."""
    frames = _frames(CHANGSHA)
    assert _indicator(frames, "督促办结申诉求决类信访事项总量")["target"] == "≥10000件"
    assert _indicator(frames, "项目支出控制数")["target"] == "≤417.41万元"
    assert _indicator(frames, "信访救助事项审批程序规范性")["target"] == "合规"  # 定性: no operator


def test_department_targets_levels_are_no_indicators():
    """一级 names are levels, never indicators, and each group's first 三级 is kept."""
    frames = _frames(CHANGSHA)
    names = frames["indicators"].filter(pl.col("project_id").is_null())["indicator"].to_list()
    assert not {"成本指标", "产出指标", "质量指标"} & set(names)
    assert {"基本支出不超预算（不含年中调整数）", "转办申诉求决类信访事项总量", "国家局督办件审核化解率"} <= set(names)
    assert _indicator(frames, "国家局督办件审核化解率")["target"] == "≥80%"


def test_sangong_total_under_a_budget_or_final_header():
    """Changsha's 三公 table heads its figures 三公经费预（决）算数 | 小计 | 公务接待费 …: the 三公经费 the
    说明 quotes (8.00 万元) is read against its 小计 8.00, not against 公务接待费 3.00."""
    found = lookup(_frames(CHANGSHA)["budget_lines"], "三公经费", final=False)
    assert found is not None
    assert found["amount"] == pytest.approx(8.0)
