"""Score forms read as printed: text running past a merged cell's edge stays in its cell, the
分值 / 得分 columns and the form's totals are read, compound units are whole, and the table is
known by its printed title. Real-file tests skip when ../shared/real is absent."""

from __future__ import annotations

from functools import cache
from typing import Any

import polars as pl
import pytest

from parsing.queries.panes import score_summary
from parsing.readers.filing import read_filing
from parsing.routes.cells import PageChars
from parsing.routes.pdf import read_pdf
from parsing.schema import frame
from tests.conftest import ROOT
from tests.pdf_text import pdf_with_text

NINGDE = ROOT.parent / "shared" / "real" / "ningde" / "2024_宁德市人民政府办公室_部门整体绩效自评表.pdf"


@pytest.fixture
def ningde() -> dict[str, pl.DataFrame]:
    if not NINGDE.is_file():
        pytest.skip("../shared/real is absent")
    return _read()


@cache
def _read() -> dict[str, pl.DataFrame]:
    return read_filing(NINGDE)


def _indicator(frames: dict[str, pl.DataFrame], name: str) -> dict[str, Any]:
    return frames["indicators"].filter(indicator=name).row(0, named=True)


def test_satisfaction_row_as_printed(ningde):
    """12345平台座席满意率 sits under 满意度 / 服务对象满意度 (its 度 not glued to the name):
    ≥95% against 99.14, 指标分值 10 and 自评得分 10."""
    row = _indicator(ningde, "12345平台座席满意率")
    assert (row["level1"], row["level2"], row["target"], row["outcome"]) == (
        "满意度",
        "服务对象满意度",
        "≥95%",
        "99.14",
    )
    assert (row["weight"], row["score"]) == (10.0, 10.0)


def test_overflowing_merged_label_stays_whole(ningde):
    """一般性支出情况, printed wider than its merged cells, is the 一级 and the 二级指标 of its
    three rows whole, and its 况 leaks into no indicator's name."""
    rows = ningde["indicators"].filter(level1="一般性支出情况")
    assert rows["level2"].to_list() == ["一般性支出情况"] * 3
    assert rows["indicator"].to_list() == ["“三公”经费控制率", "“三公”经费违规使用次数", "会议费、差旅费超标准使用次数"]


def test_partial_score_is_read(ningde):
    """市政府常务会议场次 (≥30次, 20 held) scores 1.33 of its 2; 基本经费投入成本 0 of 4."""
    assert (lambda r: (r["weight"], r["score"]))(_indicator(ningde, "市政府常务会议场次")) == (2.0, 1.33)
    assert (lambda r: (r["weight"], r["score"]))(_indicator(ningde, "基本经费投入成本")) == (4.0, 0.0)


def test_form_totals_and_money_score(ningde):
    """The money part's 合计 row prints 分值 10 and 得分 7, the form's 评价总分 92.33; with the
    indicators' 85.33 (of 90) they add up to the printed total."""
    project = ningde["projects"].row(0, named=True)
    assert (project["funds_weight"], project["funds_score"], project["score_total"]) == (10.0, 7.0, 92.33)
    score = score_summary(project, ningde["indicators"])
    assert score is not None
    assert score.parts == [("资金", 7.0, 10.0), ("指标", 85.33, 90.0)]
    assert not score.differs


def test_compound_units(ningde):
    """≤12个月 is in 个月 (not 个), =6期 in 期."""
    assert _indicator(ningde, "项目整体完成时限")["target_unit"] == "个月"
    assert _indicator(ningde, "全年刊发政府公报期数")["target_unit"] == "期"


def test_source_table_is_the_printed_title(ningde):
    """Every row names the form by its two-line printed title, 部门整体绩效自评表（2024年度）."""
    assert set(ningde["indicators"]["source_table"]) == {"部门整体绩效自评表（2024年度）"}
    assert ningde["projects"]["source_table"][0] == "部门整体绩效自评表（2024年度）"


def _chars(text: str, x0: float, top: float, width: float = 6.6) -> list[dict[str, float | str]]:
    return [
        {"text": ch, "x0": x0 + i * width, "x1": x0 + (i + 1) * width, "top": top, "bottom": top + 6.6}
        for i, ch in enumerate(text)
    ]


def test_text_overflowing_a_cell_edge_stays_in_its_cell():
    """A label run on past its cell's right edge (x = 42) keeps its last character, and the next
    cell's own text, printed over the overflow, keeps its own: 一般性支出情况 | 三公."""
    chars = PageChars(_chars("一般性支出情况", 1.0, 10.0) + _chars("三公", 43.5, 10.0))
    chars.keep_runs_whole((0.0, 0.0, 90.0, 30.0), [0.0, 42.0, 90.0])
    left, right = chars.within((0.0, 0.0, 42.0, 30.0)), chars.within((42.0, 0.0, 90.0, 30.0))
    assert "".join(str(chars.chars[i]["text"]) for i in left) == "一般性支出情况"
    assert "".join(str(chars.chars[i]["text"]) for i in right) == "三公"


def test_overflowing_label_in_a_ruled_grid(tmp_path):
    """In a ruled indicator grid whose 一级指标 一般性支出 runs past its column into the next
    (bare pdfplumber reads '一般性支' | '出经济成本'), each cell reads as printed."""
    xs, ys = (40, 100, 200, 300), (700, 680, 660)
    rules = [(x, ys[-1], x, ys[0]) for x in xs] + [(xs[0], y, xs[-1], y) for y in ys]
    placed = [(42, 685, "一级指标"), (102, 685, "二级指标"), (202, 685, "三级指标")]
    placed += [(47, 665, "一般性支出"), (103, 665, "经济成本"), (202, 665, "基本经费")]
    path = tmp_path / "grid.pdf"
    path.write_bytes(pdf_with_text(placed, rules))
    rows = [row.cells for table in read_pdf(path).tables for fragment in table.fragments for row in fragment]
    assert rows[-1] == ("一般性支出", "经济成本", "基本经费")


def test_text_ending_at_an_edge_is_not_carried_over():
    """Tight padding is no overflow: 82.86% ends before the edge at 30.5 and 做好 starts after
    it, under a point apart; each stays in its own cell."""
    chars = PageChars(_chars("82.86%", 0.0, 10.0, width=5.0) + _chars("做好", 30.9, 10.0, width=4.0))
    chars.keep_runs_whole((0.0, 0.0, 60.0, 30.0), [0.0, 30.5, 60.0])
    right = chars.within((30.5, 0.0, 60.0, 30.0))
    assert "".join(str(chars.chars[i]["text"]) for i in right) == "做好"


def test_no_score_summary_without_scores():
    """A project whose form prints no 分值/得分 has no score summary."""
    project = frame("projects", [{"project_id": "d:0", "name": "办公楼修缮"}]).row(0, named=True)
    assert score_summary(project, frame("indicators", [{"project_id": "d:0", "indicator": "修缮次数"}])) is None


def test_score_summary_flags_parts_that_miss_the_total():
    """Parts adding to 90 under a printed 总分 of 95 are flagged, with the sum shown."""
    project = frame("projects", [{"project_id": "d:0", "score_total": 95.0, "funds_score": 10.0}]).row(0, named=True)
    indicators = frame("indicators", [{"project_id": "d:0", "weight": 90.0, "score": 80.0}])
    score = score_summary(project, indicators)
    assert score is not None and score.differs and score.summed == 90.0
