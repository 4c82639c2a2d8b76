"""Tables printed without a ruled grid are read as tables: columns from where their text sits.

None of the genuine filings has such a table, yet among some 3,000 counties many print them: Word
tables with invisible borders, three-line tables (三线表), tables with only a frame or only rules
between rows. These tests build such pages (tests/pdf_text.py): 12 pt glyphs each 12 pt wide,
amounts right-aligned as printed, and assert the figures each column holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from parsing.readers.filing import read_filing
from parsing.routes.pdf import read_pdf
from tests.pdf_text import pdf_with_pages, pdf_with_text

Placed = list[tuple[float, float, str]]
Rule = tuple[float, float, float, float]

TITLE: Placed = [
    (150, 780, "深圳市某某区审计局2023年部门预算"),
    (150, 750, "一般公共预算支出表"),
    (60, 730, "单位：万元"),
]
HEADER = ("科目编码", "科目名称", "合计", "基本支出", "项目支出")
BODY = [
    ("201", "一般公共服务支出", "155.00", "100.00", "55.00"),
    ("20108", "审计事务", "155.00", "100.00", "55.00"),
    ("2010801", "行政运行", "100.00", "100.00", ""),
    ("2010804", "审计业务", "55.00", "", "55.00"),
    ("", "合计", "155.00", "100.00", "55.00"),
]
LEFT = [40, 140]  # left edges of the code and name columns
RIGHT = [400, 480, 560]  # right edges of the amount columns


def _row(cells: Sequence[str], y: float, header: bool, rights: Sequence[float]) -> Placed:
    """A row: codes and names from their left edges, amounts ending at their right edges (a
    header word centred over its amount column)."""
    placed: Placed = [(x, y, text) for x, text in zip(LEFT, cells, strict=False) if text]
    for right, text in zip(rights, cells[len(LEFT) :], strict=False):
        if text:
            width = 12 * len(text)
            placed.append((right - 36 - width / 2 if header else right - width, y, text))
    return placed


def _table(rows: Sequence[Sequence[str]], header: int = 1, rights: Sequence[float] = RIGHT) -> Placed:
    """Rows 20 points apart from y = 700 down, the first ``header`` of them header rows."""
    return [p for i, row in enumerate(rows) for p in _row(row, 700 - 20 * i, i < header, rights)]


def _lines(name: str, value: str) -> pl.DataFrame:
    frames = read_filing(Path(name))
    return frames["budget_lines"].filter(pl.col("name") == value).select("code", "measure", "amount")


def _write(tmp_path: Path, placed: Placed, rules: Sequence[Rule] = ()) -> Path:
    pdf = tmp_path / "borderless.pdf"
    pdf.write_bytes(pdf_with_text(placed, rules))
    return pdf


def test_a_table_without_rules_is_read_with_its_empty_cells(tmp_path: Path):
    """The brief's page (amounts left-aligned at fixed x): one table titled 一般公共预算支出表 in
    万元, each printed row one row of five cells, empty cells kept as empty."""
    xs = [40, 150, 360, 450, 540]
    placed = TITLE + [(xs[j], 700 - 20 * i, c) for i, row in enumerate([HEADER, *BODY]) for j, c in enumerate(row) if c]
    (table,) = read_pdf(_write(tmp_path, placed)).tables
    assert (table.title, table.unit) == ("一般公共预算支出表", "万元")
    assert [row.cells for row in table.fragments[0]] == [HEADER, *BODY]


def test_a_filing_of_borderless_tables_is_accepted_as_its_departments_budget(tmp_path: Path):
    """Rejected before ("未识别出部门预算的表格"): now a 部门预算 of 深圳市某某区审计局 for 2023."""
    pdf = _write(tmp_path, TITLE + _table([HEADER, *BODY]))
    documents = read_filing(pdf)["documents"]
    assert documents.select("kind", "year", "department").rows() == [("部门预算", 2023, "深圳市某某区审计局")]


def test_right_aligned_amounts_stay_in_their_columns(tmp_path: Path):
    """审计业务 reads 55.00 under 项目支出 and nothing under 基本支出; 行政运行 the reverse."""
    pdf = _write(tmp_path, TITLE + _table([HEADER, *BODY]))
    audit = dict(_lines(str(pdf), "审计业务").select("measure", "amount").rows())
    running = dict(_lines(str(pdf), "行政运行").select("measure", "amount").rows())
    assert audit == {"合计": 55.0, "基本支出": None, "项目支出": 55.0}
    assert running == {"合计": 100.0, "基本支出": 100.0, "项目支出": None}


def test_a_three_line_table_is_read(tmp_path: Path):
    """Rules above and below the header and under the last row, none between columns: the
    grid search finds nothing; the table is read as if ruled (2010804 审计业务 项目支出 55.00)."""
    ys = [715, 695, 595]
    pdf = _write(tmp_path, TITLE + _table([HEADER, *BODY]), [(30, y, 570, y) for y in ys])
    (table,) = read_pdf(pdf).tables
    assert table.fragments[0][4].cells == ("2010804", "审计业务", "55.00", "", "55.00")


def test_a_table_with_only_a_frame_and_row_rules_is_read(tmp_path: Path):
    """An outer frame and a rule between every two rows (a one-column box to the grid search)."""
    ys = [715 - 20 * i for i in range(7)]
    rules = [(30, y, 570, y) for y in ys] + [(30, ys[0], 30, ys[-1]), (570, ys[0], 570, ys[-1])]
    pdf = _write(tmp_path, TITLE + _table([HEADER, *BODY]), rules)
    (table,) = read_pdf(pdf).tables
    assert table.title == "一般公共预算支出表"
    assert table.fragments[0][3].cells == ("2010801", "行政运行", "100.00", "100.00", "")


def test_a_two_row_header_keeps_its_sub_columns(tmp_path: Path):
    """基本支出 over 人员经费 and 公用经费: four amount columns; 行政运行 80.00 人员 and 20.00 公用."""
    top = ("科目编码", "科目名称", "合计", "", "", "项目支出")
    sub = ("", "", "", "人员经费", "公用经费", "")
    rows = [
        ("2010801", "行政运行", "100.00", "80.00", "20.00", ""),
        ("2010804", "审计业务", "55.00", "", "", "55.00"),
        ("", "合计", "155.00", "80.00", "20.00", "55.00"),
    ]
    placed = TITLE + _table([top, sub, *rows], header=2, rights=[330, 410, 490, 570]) + [(390, 700, "基本支出")]
    pdf = _write(tmp_path, placed)
    (table,) = read_pdf(pdf).tables
    assert [row.cells for row in table.fragments[0][2:]] == rows
    running = dict(_lines(str(pdf), "行政运行").select("measure", "amount").rows())
    assert running["合计"] == 100.0 and running["项目支出"] is None
    assert sorted(v for k, v in running.items() if k not in ("合计", "项目支出")) == [20.0, 80.0]


def test_a_two_sided_summary_table_is_read_side_by_side(tmp_path: Path):
    """收入 on the left, 支出 on the right, each with its amounts: 收入总计 and 支出总计 155.00,
    教育支出 5.00, and 政府性基金预算拨款收入 with an empty amount, not the 支出 side's figure."""
    title: Placed = [
        (150, 780, "深圳市某某区审计局2023年部门预算"),
        (200, 750, "部门收支总表"),
        (60, 730, "单位：万元"),
    ]
    rows = [
        ("项目", "预算数", "项目", "预算数"),
        ("一般公共预算拨款收入", "155.00", "一般公共服务支出", "150.00"),
        ("政府性基金预算拨款收入", "", "教育支出", "5.00"),
        ("收入总计", "155.00", "支出总计", "155.00"),
    ]
    placed = list(title)
    for i, (income, amount, spending, figure) in enumerate(rows):
        y, right = 700 - 20 * i, i > 0  # amounts end at x = 262 and 552; their headers start there
        placed += [(40, y, income), (300, y, spending)]
        placed += [(262 - 12 * len(t) if right else 190, y, t) for t in (amount,) if t]
        placed += [(552 - 12 * len(t) if right else 480, y, t) for t in (figure,) if t]
    pdf = _write(tmp_path, placed)
    (table,) = read_pdf(pdf).tables
    assert [row.cells for row in table.fragments[0]] == rows
    lines = read_filing(pdf)["budget_lines"]
    amounts = dict(lines.select("name", "amount").rows())
    assert (amounts["收入总计"], amounts["支出总计"], amounts["教育支出"]) == (155.0, 155.0, 5.0)


def test_a_borderless_table_continues_on_the_next_page(tmp_path: Path):
    """Page 2 prints no title and no 基本支出 figure: its rows join the table of page 1 under the
    same columns (审计业务 55.00 and 其他审计事务支出 10.00 under 项目支出, nothing under 基本支出)."""
    first = TITLE + _table([HEADER, *BODY[:3]])
    second = _table(
        [("2010804", "审计业务", "55.00", "", "55.00"), ("2010899", "其他审计事务支出", "10.00", "", "10.00")], header=0
    )
    pdf = tmp_path / "pages.pdf"
    pdf.write_bytes(pdf_with_pages([(first, ()), (second, ())]))
    (table,) = read_pdf(pdf).tables
    assert [row.cells for row in table.fragments[1]] == [
        ("2010804", "审计业务", "55.00", "", "55.00"),
        ("2010899", "其他审计事务支出", "10.00", "", "10.00"),
    ]
    other = dict(_lines(str(pdf), "其他审计事务支出").select("measure", "amount").rows())
    assert other == {"合计": 10.0, "基本支出": None, "项目支出": 10.0}


def test_figures_in_sentences_are_no_table(tmp_path: Path):
    """A narrative page whose sentences print amounts between spaces, two of them a paragraph of
    their own with 100.00 and 55.00 one under the other: read as lines of text, no table."""
    sentences = [
        "一、收入预算情况：2023年收入预算 155.00 万元，比上年增加 10.00 万元。",
        "（一）基本支出 100.00 万元，主要用于人员经费和日常公用经费。",
        "（二）项目支出 55.00 万元，主要用于审计业务和信息化建设。",
        "二、三公经费 2.00 万元 与上年持平",
    ]
    placed: Placed = [(150, 780, "深圳市某某区审计局2023年部门预算")]
    placed += [(60, y, s) for y, s in zip((700, 660, 640, 600), sentences, strict=True)]
    raw = read_pdf(_write(tmp_path, placed))
    assert raw.tables == []
    assert [line.text for line in raw.lines][1:] == sentences


def test_a_name_wrapped_onto_a_second_line_stays_in_its_row(tmp_path: Path):
    """A name too long for its cell wraps onto a line set closer than rows are to each other: one
    row 2010804 审计业务和绩效评价专项工作 55.00, not a row with a name and no figures."""
    rows = [HEADER, *BODY[:3], ("2010804", "审计业务和绩效评价", "55.00", "", "55.00")]
    placed = TITLE + _table(rows) + [(140, 606, "专项工作")]  # the last row is at y = 620
    placed += _row(BODY[-1], 586, False, RIGHT)
    (table,) = read_pdf(_write(tmp_path, placed)).tables
    assert [row.cells for row in table.fragments[0]][4:] == [
        ("2010804", "审计业务和绩效评价专项工作", "55.00", "", "55.00"),
        ("", "合计", "155.00", "100.00", "55.00"),
    ]


def test_a_borderless_table_no_reader_knows_is_kept_as_a_note(tmp_path: Path):
    """Under the 支出表, a 培训会议情况统计表 that no reader classifies: a note naming it, never dropped."""
    other: Placed = [(150, 540, "培训会议情况统计表"), (60, 520, "单位：万元")]
    rows = [("事项", "", "金额", "", ""), ("业务培训", "", "3.20", "", ""), ("工作会议", "", "1.50", "", "")]
    placed = TITLE + _table([HEADER, *BODY]) + other + [(x, y - 200, t) for x, y, t in _table(rows)]
    notes = read_filing(_write(tmp_path, placed))["notes"]
    assert notes.filter(pl.col("kind") == "unrecognised_table")["detail"].to_list() == ["培训会议情况统计表"]
