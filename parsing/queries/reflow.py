"""A narrative's paragraphs as printed, without the PDF's line breaks inside them.

A PDF breaks a paragraph wherever the line is full, even inside a figure ("2995.3" / "9万元");
shown as stored, a pane at any width repeats those breaks and cuts numbers in two. A line
ends its paragraph when it ends a sentence (。！？), when it is clearly narrower than the part's
full lines (a heading, a paragraph's last line; widths in cells, a digit half a character), or
when the next line opens a numbered item (一、 （二） 3. 第四部分). Everything else is joined without a space, as Chinese
is written. The stored text keeps the printed lines: pages and lines are cited from it.
"""

from __future__ import annotations

import re
import unicodedata

_ENDS = re.compile(r"[。！？!?]$")
_OPENS = re.compile(
    r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]"
    r"|\d+[.．、](?!\d)|[①-⑳]|注[:：]|其中[:：])"
)
#: A line this much shorter than the part's full lines ends its paragraph.
_SHORT = 0.8
#: Narrower full lines are no page's margin (a short note, a list): nothing is joined.
_MARGIN_MIN = 40


def paragraphs(text: str) -> str:
    """``text`` with each paragraph on one line (a blank line between paragraphs is kept)."""
    lines = [line.strip() for line in text.split("\n")]
    full = _full_width(lines)
    out: list[str] = []
    for before, line in zip(["", *lines], lines, strict=False):
        if before and line and out and _runs_on(before, line, full):
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)


def _runs_on(before: str, line: str, full: float) -> bool:
    """Whether ``line`` continues the paragraph the printed line ``before`` broke at the margin."""
    return (
        full >= _MARGIN_MIN and not _ENDS.search(before) and not _OPENS.match(line) and _cells(before) >= _SHORT * full
    )


def _full_width(lines: list[str]) -> float:
    """The width of a full printed line: the widest lines' (a few outliers aside)."""
    widths = sorted(_cells(line) for line in lines if line)
    return widths[int(0.9 * (len(widths) - 1))] if widths else 0


def _cells(line: str) -> int:
    """The printed width of a line: a Chinese character two cells, a digit or a letter one."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
