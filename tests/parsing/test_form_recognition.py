"""A 项目绩效目标表 is known by its rows, not its title (built here): many print only （2026年度）
above 项目名称 | … and an indicator grid; a title wrapped over two lines is one title."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsing.readers.context import Context
from parsing.readers.describe import describe
from parsing.readers.detect import Identity
from parsing.readers.project_form import project_form
from parsing.routes.pdf import read_pdf
from parsing.routes.raw import RawRow, RawTable
from tests.pdf_text import pdf_with_text

_FORM = (
    ("项目名称", None, "信访业务培训", None, None, None, None),
    ("主管部门及代码", None, "[292]国家信访局", None, "实施单位", "国家信访局本级", None),
    ("项目资金（万元）", None, "年度资金总额：", None, "118.01", None, "执行率分值（10）"),
    (None, None, "其中：财政拨款", None, "118.01", None, None),
    ("年度总体目标", "分级分类抓好信访系统干部培训。", None, None, None, None, None),
    ("绩效指标", "一级指标", "二级指标", "三级指标", None, "指标值", "分值权重（90）"),
    (None, "产出指标", "数量指标", "信访业务主体培训人数", None, "≥290人", "6"),
    (None, "满意度指标", "服务对象满意度指标", "受训学员满意率", None, "≥95%", "10"),
)


def _table(title: str, rows: tuple[tuple[str | None, ...], ...]) -> RawTable:
    return RawTable(title=title, unit="万元", fragments=[[RawRow(r, page=30) for r in rows]])


def _context() -> Context:
    return Context(
        "d", "f.pdf", Identity(kind="部门预算", year=2026, department="国家信访局", title="", synthetic=False)
    )


def test_form_titled_by_its_year_is_a_project_form():
    """A table titled （2026年度） with 项目名称 and an 一级/二级/三级指标 grid is a project form:
    project 信访业务培训 of 国家信访局本级 with 118.01 万元, its goal, and 信访业务主体培训人数
    targeting ≥290人 with weight 6 under 产出·数量."""
    table = _table("（2026年度）", _FORM)
    assert describe(table).layout == "project_form"
    read = project_form(table, _context(), 0)
    (project,) = read.projects
    assert (project["name"], project["unit"], project["budget_total"]) == ("信访业务培训", "国家信访局本级", 118.01)
    assert project["goal"] == "分级分类抓好信访系统干部培训。"
    first = read.indicators[0]
    assert (first["level1"], first["level2"], first["indicator"], first["target"], first["weight"]) == (
        "产出",
        "数量",
        "信访业务主体培训人数",
        "≥290人",
        6,
    )


def test_form_without_project_name_takes_it_from_its_title():
    """No 项目名称 cell: 301007_某分局_机场公安综合修缮改造项目绩效目标表 names the project
    机场公安综合修缮改造 and its unit 某分局; 资金总额：57.00 is its money."""
    rows = (
        ("专项资金情况（万元）", "资金总额：", "57.00", None, None),
        ("项目实施期目标", "改造值班备勤场所。", None, None, None),
        ("绩效目标指标", "一级指标", "二级指标", "三级指标", "目标值"),
        (None, "产出指标", "时效指标", "备勤宿舍改造完成及时率", "100%"),
    )
    table = _table("301007_某分局_机场公安综合修缮改造项目绩效目标表", rows)
    assert describe(table).layout == "project_form"
    (project,) = project_form(table, _context(), 0).projects
    assert (project["name"], project["unit"], project["budget_total"]) == ("机场公安综合修缮改造", "某分局", 57.0)
    assert project["goal"] == "改造值班备勤场所。"


def test_department_wide_form_is_not_a_project():
    """The same grid under 部门名称 | 泉州市公安局 and 资金总额 is the department's own form:
    never a project form."""
    rows = (
        ("部门名称", "泉州市公安局", "部门预算编码", "301", None),
        ("年度预算安排（万元）", "资金总额", "81562.56", None, None),
        ("绩效目标指标", "一级指标", "二级指标", "三级指标", "目标值"),
        (None, "产出指标", "时效指标", "总体刑事案件破案率", "≥70%"),
    )
    assert describe(_table("（2026年度）", rows)).layout != "project_form"


@pytest.mark.parametrize(
    ("lines", "title"),
    [
        (
            ("301007_某某分局_机场公安综", "合修缮改造项目绩效目标表"),
            "301007_某某分局_机场公安综合修缮改造项目绩效目标表",
        ),
        (("信息化运行维护绩效目标表", "(2026年度)"), "信息化运行维护绩效目标表(2026年度)"),
        (("（二）绩效目标表及说明", "项目支出绩效目标表"), "项目支出绩效目标表"),
    ],
)
def test_title_printed_over_two_lines(tmp_path: Path, lines: tuple[str, str], title: str):
    """Two title lines at line spacing above a grid are one title (a wrapped name, or the year under
    it); a numbered heading above a title stays apart."""
    ys = [700, 680, 660]
    placed = [(100, 750, lines[0]), (100, 733, lines[1]), (64, 685, "项目名称"), (264, 685, "信访业务培训")]
    placed += [(64, 665, "资金总额"), (264, 665, "57.00")]
    rules = [(60, y, 400, y) for y in ys] + [(x, ys[0], x, ys[-1]) for x in (60, 260, 400)]
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(pdf_with_text(placed, rules))
    (table,) = read_pdf(pdf).tables
    assert table.title == title
