"""A text layer is read as the page shows it: radical code points (部⻔预算, ⼀般公共预算⽀出) as the
characters they show, a glyph printed twice ("fake bold") as one character.

Both are common in published filings and invisible on the page, yet no title, name or search
would match them as extracted. None of the genuine filings here has them, so these tests build
them: PDFs whose text layer carries them (tests/pdf_text.py), and a seed text in radicals, which
must read exactly as the seed does.
"""

from __future__ import annotations

from pathlib import Path

from parsing.normalize import unify_ideographs
from parsing.readers.filing import read_filing
from parsing.routes.pdf import read_pdf
from tests.conftest import SEEDS
from tests.pdf_text import pdf_with_lines, pdf_with_text

BUDGET = SEEDS / "001_49341d35398c12a1.txt"  # 深圳市龙岗区审计局 2023 部门预算
RADICALS = str.maketrans({"门": "⻔", "一": "⼀", "支": "⽀", "长": "⻓", "见": "⻅", "金": "⾦", "工": "⼯"})


def test_radical_forms_become_the_characters_they_show():
    """Kangxi radicals, simplified Supplement radicals and compatibility ideographs are unified;
    every other character is left as it is."""
    assert unify_ideographs("部⻔预算 ⼀般公共预算⽀出 ⻓沙 ⻩⾦ 車") == "部门预算 一般公共预算支出 长沙 黄金 車"
    assert unify_ideographs("（一）2010108 审计业务 155.00 ≥95%") == "（一）2010108 审计业务 155.00 ≥95%"


def test_a_pdf_text_layer_of_radicals_reads_as_ordinary_text(tmp_path: Path):
    """A page whose font maps 门, 一, 支 to radical code points gives ordinary lines."""
    pdf = tmp_path / "radicals.pdf"
    pdf.write_bytes(pdf_with_lines(["深圳市龙岗区审计局2023年部⻔预算", "⼀般公共预算⽀出 155.00"]))
    assert [line.text for line in read_pdf(pdf).lines] == [
        "深圳市龙岗区审计局2023年部门预算",
        "一般公共预算支出 155.00",
    ]


def test_a_filing_printed_in_radicals_reads_as_the_filing(tmp_path: Path):
    """The 审计局 2023 budget with 门 一 支 长 见 金 工 as radicals: the same kind, department and
    figures as the seed (project 审计业务 155 万元, 本年收入合计 3,451), every name spelled as in the seed."""
    swapped = tmp_path / BUDGET.name
    swapped.write_text(BUDGET.read_text(encoding="utf-8").translate(RADICALS), encoding="utf-8")
    assert "⻔" in swapped.read_text(encoding="utf-8")
    seed, read = read_filing(BUDGET), read_filing(swapped)
    cols = ["kind", "year", "department"]
    assert read["documents"].select(cols).rows() == seed["documents"].select(cols).rows()
    lines = ["table_no", "table_kind", "code", "name", "measure", "amount"]
    assert read["budget_lines"].select(lines).rows() == seed["budget_lines"].select(lines).rows()
    assert (
        read["projects"].select("name", "budget_total").rows() == seed["projects"].select("name", "budget_total").rows()
    )
    projects = dict(read["projects"].select("name", "budget_total").rows())
    assert projects["审计业务"] == 155.0
    totals = read["budget_lines"].filter(read["budget_lines"]["name"] == "本年收入合计")["amount"].to_list()
    assert totals and set(totals) == {3451.0}


def test_a_title_printed_twice_over_itself_reads_once(tmp_path: Path):
    """A 收支总表 whose title is set in fake bold (drawn twice, 0.4 pt apart) and in radicals: the
    table's title is 部门收支总表, not 部部门门收收支支总总表表, its unit and figures as printed."""
    ys = [700, 680, 660, 640]
    rows = [("项目", "预算数"), ("一般公共预算拨款收入", "155.00"), ("收入总计", "155.00")]
    placed = [(200, 730, "部⻔收支总表"), (200.4, 730, "部⻔收支总表"), (60, 715, "单位：万元")]
    placed += [
        (x, y - 15, text) for (left, right), y in zip(rows, ys, strict=False) for x, text in ((64, left), (264, right))
    ]
    rules = [(60, y, 400, y) for y in ys] + [(x, ys[0], x, ys[-1]) for x in (60, 260, 400)]
    pdf = tmp_path / "bold.pdf"
    pdf.write_bytes(pdf_with_text(placed, rules))
    (table,) = read_pdf(pdf).tables
    assert (table.title, table.unit) == ("部门收支总表", "万元")
    assert [row.cells for row in table.fragments[0]] == rows
