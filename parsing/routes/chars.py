"""A page's characters as they read, before words and cells are made of them.

Two things a text layer does that the page does not show: fonts that map their glyphs to radical
code points (部⻔预算), and titles set in "fake bold", each glyph printed twice a fraction of a
point apart (部部门门收收支支总总表表). Both are common in published filings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from parsing.normalize import unify_ideographs

if TYPE_CHECKING:  # pdfplumber is the PDF route's alone (it imports this module)
    from pdfplumber.page import Page

_OVERPRINT = 1  # points within which the same glyph drawn twice is one character ("fake bold")


def settle_chars(page: Page) -> None:
    """Radical forms as the characters they show (部⻔ → 部门), and a glyph drawn twice at (almost)
    the same place once, in place. pdfplumber's ``dedupe_chars`` does the latter too but restores
    the order with ``list.index``, quadratic in a page of five thousand characters."""
    chars = page.chars
    kept: list[dict[str, Any]] = []
    drawn: dict[tuple[str, str, float, int], list[tuple[float, float]]] = {}  # glyph on a line → places
    for char in chars:
        text = char["text"] = unify_ideographs(char["text"])
        top, x0, line = char["top"], char["x0"], int(char["top"])
        glyph = (text, char.get("fontname", ""), char.get("size", 0))
        if not any(
            abs(top - t) <= _OVERPRINT and abs(x0 - x) <= _OVERPRINT
            for near in (line, line - 1, line + 1)
            for t, x in drawn.get((*glyph, near), ())
        ):
            drawn.setdefault((*glyph, line), []).append((top, x0))
            kept.append(char)
    if len(kept) < len(chars):
        chars[:] = kept
