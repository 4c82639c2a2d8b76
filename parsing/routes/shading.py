"""Text shading is no table: a word processor that fills the background of a run of text (a
highlight, a 底纹) draws one filled rectangle per run, and runs that touch make pdfplumber see a
one-row grid. Read as a table, the words of the sentence under it leave the narrative
("支出预算：2026 年本单位支出预算 1935.36 万元" lost its figure) and junk tables appear ("0. | 00").

A grid is shading when it is one row of one line of text and nothing stroked draws it: no
ruling line, no curve, no outlined rectangle touches its box, only fills. A ruled table, even
one of a single row, is drawn with strokes or with hairline fills (rules), never only with
rectangles a text line tall.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pdfplumber is the PDF route's alone (it imports this module)
    from pdfplumber.page import Page
    from pdfplumber.table import Table

_NEAR = 1  # points: an object this close to a grid's box draws it
_RULE = 2  # points: a fill this thin is a ruling line, not a background
_LINE_HEIGHT = 2.0  # a one-line row is at most this many times its characters' size tall


def is_shading(table: Table, page: Page) -> bool:
    """Whether ``table`` is text shading rather than a ruled table (see the module docstring)."""
    if len(table.rows) != 1:
        return False
    x0, top, x1, bottom = table.bbox
    sizes = [
        c.get("size", 0)
        for c in page.chars
        if x0 <= c["x0"] and c["x1"] <= x1 and top <= c["top"] and c["bottom"] <= bottom
    ]
    if not sizes or bottom - top > _LINE_HEIGHT * max(sizes):
        return False
    return not any(_draws(o) for o in (*page.rects, *page.lines, *page.curves) if _touches(o, table.bbox))


def _touches(obj: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    return bool(
        obj["x0"] < x1 + _NEAR
        and obj["x1"] > x0 - _NEAR
        and obj["top"] < bottom + _NEAR
        and obj["bottom"] > top - _NEAR
    )


def _draws(obj: dict[str, Any]) -> bool:
    """A stroke of any kind, or a fill as thin as a rule."""
    if obj.get("object_type") != "rect" or obj.get("stroke"):
        return True
    return bool(min(obj["width"], obj["height"]) <= _RULE)
