"""A ruled table's cells read by bisection are pdfplumber's own ``Table.extract``, cell for cell."""

from __future__ import annotations

import pdfplumber

from parsing.routes.cells import PageChars, table_cells
from tests.conftest import FILINGS

AUDIT = FILINGS / "2023_龙岗区审计局_部门预算.pdf"


def test_cells_are_pdfplumbers() -> None:
    """Every table of the audit bureau's budget reads the same both ways, and its 项目支出 row
    of 审计业务 (2010804) carries the printed 190 (万元) in 合计 and 一般公共预算."""
    with pdfplumber.open(AUDIT) as pdf:
        rows = []
        for page in pdf.pages:
            chars = PageChars(page.chars)
            for table in page.find_tables():
                ours = table_cells(table, chars, y_tolerance=5)
                assert ours == table.extract(y_tolerance=5), f"page {page.page_number}"
                rows += ours
    assert ["", "2010804", "审计业务", "190", "0", "190", "102", "102", "0"] in rows


def test_cell_edges_are_pdfplumbers() -> None:
    """A character whose middle sits on a box's top or left edge is inside it; on its bottom or
    right edge, outside (pdfplumber's test), so a boundary character lands in one row only."""
    chars = PageChars(
        [{"top": 0.0, "bottom": 10.0, "x0": 0.0, "x1": 10.0}, {"top": 10.0, "bottom": 20.0, "x0": 10.0, "x1": 20.0}]
    )
    assert chars.within((0.0, 5.0, 15.0, 15.0)) == [0]
    assert chars.within((5.0, 0.0, 30.0, 30.0)) == [0, 1]
    assert chars.within((15.0, 15.0, 30.0, 30.0)) == [1]
