"""A ruled table's cell texts, as pdfplumber's ``Table.extract`` gives them, at a fraction of its cost.

pdfplumber finds each row's characters by testing every character of the page against the row
(rows × page characters: a fifth of a whole parse, more than the words and the readers together).
Here the page's characters are sorted once by their vertical middle and each row takes its own by
bisection; the tests that decide which characters a row and a cell hold are pdfplumber's own,
and the characters keep the page's order, so every cell's text is the same.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pdfplumber is the PDF route's alone (it imports this module)
    from pdfplumber.table import Table

Cell = tuple[float, float, float, float]


class PageChars:
    """A page's characters with their middles, sorted by the vertical one (built once per page)."""

    def __init__(self, chars: list[dict[str, Any]]) -> None:
        self.chars = chars
        mids = [((c["top"] + c["bottom"]) / 2, i) for i, c in enumerate(chars)]
        mids.sort()
        self.v_mid = [v for v, _ in mids]
        self.order = [i for _, i in mids]
        self.h_mid = [(c["x0"] + c["x1"]) / 2 for c in chars]

    def within(self, box: Cell, among: list[int] | None = None) -> list[int]:
        """Indices, in page order, of the characters whose middle is inside ``box`` (as
        pdfplumber tests it: left and top edges in, right and bottom out)."""
        x0, top, x1, bottom = box
        if among is None:
            start = bisect_left(self.v_mid, top)
            end = bisect_left(self.v_mid, bottom, start)
            among = sorted(self.order[start:end])
        else:
            among = [i for i in among if top <= (self.chars[i]["top"] + self.chars[i]["bottom"]) / 2 < bottom]
        return [i for i in among if x0 <= self.h_mid[i] < x1]


def table_cells(table: Table, chars: PageChars, **kwargs: Any) -> list[list[str | None]]:
    """``table.extract(**kwargs)``: one list of cell texts per row (None where no cell is)."""
    from pdfplumber import utils

    rows = []
    for row in table.rows:
        in_row = chars.within(row.bbox)
        texts: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                texts.append(None)
                continue
            inside = [chars.chars[i] for i in chars.within(cell, in_row)]
            if not inside:
                texts.append("")
                continue
            if "layout" in kwargs:
                kwargs.update(layout_width=cell[2] - cell[0], layout_height=cell[3] - cell[1], layout_bbox=cell)
            texts.append(utils.extract_text(inside, **kwargs))
        rows.append(texts)
    return rows
