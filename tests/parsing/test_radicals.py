"""Radical code points in a text layer (部⻔预算, ⼀般公共预算⽀出) are read as the characters they show.

Fonts that map their glyphs to Kangxi or Supplement radicals are common in published filings: the
page looks right, but no title, name or search would match. None of the genuine filings here has
them, so these tests build them: a PDF whose text layer carries radicals, and a seed text with
its characters swapped for radicals, which must read exactly as the seed does.
"""

from __future__ import annotations

from pathlib import Path

from parsing.normalize import unify_ideographs
from parsing.readers.filing import read_filing
from parsing.routes.pdf import read_pdf
from tests.conftest import SEEDS
from tests.pdf_text import pdf_with_lines

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
