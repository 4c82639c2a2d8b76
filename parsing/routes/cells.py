"""A ruled table's cell texts, as pdfplumber's ``Table.extract`` gives them, at a fraction of its cost.

pdfplumber finds each row's characters by testing every character of the page against the row
(rows × page characters: a fifth of a whole parse, more than the words and the readers together).
Here the page's characters are sorted once by their vertical middle and each row takes its own by
bisection; the tests that decide which characters a row and a cell hold are pdfplumber's own,
and the characters keep the page's order, so every cell's text is the same.

One difference, on purpose: a text printed wider than its cell (a merged 一级指标 cell holding
一般性支出情况, a 二级指标 服务对象满意度) runs on past the cell's right edge, and pdfplumber gives
each character whose middle is past the edge to the next cell ('一般性支出情' | '况“三公”经费…').
A run of touching characters on one line, one of which straddles the edge, is one text, so it
stays in the cell it starts in; the next cell's own text, printed over the overflow, starts a new
run (the characters overlap), and so does a text that merely ends at the edge (the edge falls
between two characters, however tight the padding).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pdfplumber is the PDF route's alone (it imports this module)
    from pdfplumber.table import Table

Cell = tuple[float, float, float, float]

#: Neighbouring characters of one text touch: the next starts within this many points of the
#: previous one's end (CJK and digits in the filings: 0.1–0.3 pt; cell paddings leave ≥ 2 pt).
_TOUCH = 1.0


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

    def keep_runs_whole(self, box: Cell, edges: list[float]) -> None:
        """Give the characters of a text that runs on past a column edge (``edges``, sorted) inside
        ``box`` the middle of the text's first character, so they stay in the cell it starts in."""
        inside = sorted(self.within(box), key=lambda i: self.chars[i]["top"])
        lines: list[list[int]] = []
        for i in inside:  # a line: characters whose tops are within _TOUCH of its first one's
            if lines and self.chars[i]["top"] - self.chars[lines[-1][0]]["top"] <= _TOUCH:
                lines[-1].append(i)
            else:
                lines.append([i])
        for line in lines:
            line.sort(key=lambda i: self.chars[i]["x0"])
            run = line[:1]
            for i in line[1:]:
                end, start = self.chars[run[-1]]["x1"], self.chars[i]["x0"]
                # an edge in the gap ends a text: an overflowing one crosses it inside a character
                if -_TOUCH <= start - end <= _TOUCH and bisect_left(edges, end) == bisect_right(edges, start):
                    run.append(i)
                    continue
                self._settle(run, edges)
                run = [i]
            self._settle(run, edges)

    def _settle(self, run: list[int], edges: list[float]) -> None:
        first = self.h_mid[run[0]]
        if len(run) > 1 and bisect_right(edges, first) != bisect_right(edges, self.h_mid[run[-1]]):
            for i in run[1:]:
                self.h_mid[i] = first


def table_cells(table: Table, chars: PageChars, **kwargs: Any) -> list[list[str | None]]:
    """``table.extract(**kwargs)``: one list of cell texts per row (None where no cell is)."""
    from pdfplumber import utils

    edges = sorted({x for row in table.rows for cell in row.cells if cell is not None for x in (cell[0], cell[2])})
    chars.keep_runs_whole(table.bbox, edges)
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
