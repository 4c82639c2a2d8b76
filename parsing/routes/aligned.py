"""Tables printed without a ruled grid: text aligned in columns, found from the words' positions.

A Word table with invisible borders, a three-line table (三线表: rules above and below the header
and at the bottom, none between columns), a table with only an outer frame or only rules between
rows: pdfplumber's ``find_tables`` finds no cells in any of them, and their rows would read as
lines of text that no longer say which column was empty. Here the words the grid search left
are grouped into visual rows; a run of rows with amounts set in columns, and the header rows
just above it, is a table. Its columns are the x ranges that at least two of its rows print in
(a lone centred 合计 or a header over two sub-columns does not join them); a cell wider than one
column is kept in the first, the columns it covers read None as a merged cell does in a grid.

pdfplumber's own "text" strategies were measured on such pages and not used: on the pages of
tests/parsing/test_borderless.py they put a blank row between every two printed rows, split a
header word over two sub-columns (基本支 | 出), join a left-aligned name column to the amounts after
it (科目名称 合计 as one cell), pull the title and unit lines into the table, and make a one-column
"table" of a narrative page, cutting its sentences at its edge; with only horizontal rules
("lines" across, "text" down) they find no table at all.
A narrative paragraph with figures in its sentences is no table: a table needs a column holding
nothing but amounts, in at least two rows, rows that leave the same gaps, and no row of figures
carries a sentence's punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from statistics import median
from typing import Any

from parsing.numbers import parse_amount

Word = dict[str, Any]
Span = tuple[float, float]

_X_GAP = 3  # points between two words that print as a space (pdfplumber's x_tolerance)
_CELL_GAP = 0.6  # a gap narrower than this share of the text height stays inside one cell
_ROW_GAP = 2.0  # a vertical gap wider than this many text heights ends a table
_HEADER_ROWS = 3
_WRAP = 0.6  # a line closer than this share of the usual gap between rows wraps the row above
_SENTENCE = re.compile(r"[，。；！？]")  # punctuation of running prose, which no amount row's cells carry
_BLANK = {"-", "—", "－", "–", "/", "——"}  # printed in an amount column for "none"


def overlap(a: Word, b: Word) -> bool:
    """Two words share a line when they overlap by half the smaller's height (digits set a few
    points below their CJK line rejoin it)."""
    shared = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return bool(shared >= 0.5 * min(a["bottom"] - a["top"], b["bottom"] - b["top"]))


def visual_rows(words: list[Word]) -> list[list[Word]]:
    """Words grouped into printed lines, top to bottom, each left to right."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if rows and overlap(rows[-1][0], word):
            rows[-1].append(word)
        else:
            rows.append([word])
    for row in rows:
        row.sort(key=lambda w: w["x0"])
    return rows


def join_words(row: list[Word]) -> str:
    """A line's words as text: a space where a gap prints one."""
    text = row[0]["text"]
    for prev, word in pairwise(row):
        text += (" " if word["x0"] - prev["x1"] > _X_GAP else "") + word["text"]
    return str(text)


@dataclass
class _Segment:
    """Words of one row close enough to be one cell's text."""

    x0: float
    x1: float
    words: list[Word]

    @property
    def text(self) -> str:
        return join_words(self.words)


@dataclass
class _Row:
    words: list[Word]
    segments: list[_Segment] = field(default_factory=list)

    def __post_init__(self) -> None:
        height = max(w["bottom"] - w["top"] for w in self.words)
        for word in self.words:
            last = self.segments[-1] if self.segments else None
            if last and word["x0"] - last.x1 < _CELL_GAP * height:
                last.words.append(word)
                last.x1 = max(last.x1, word["x1"])
            else:
                self.segments.append(_Segment(word["x0"], word["x1"], [word]))

    @property
    def top(self) -> float:
        return float(min(w["top"] for w in self.words))

    @property
    def bottom(self) -> float:
        return float(max(w["bottom"] for w in self.words))

    @property
    def has_amount(self) -> bool:
        """Two cells or more, one an amount, none a sentence: a row of figures, not prose."""
        texts = [s.text for s in self.segments]
        return (
            len(texts) > 1
            and any(parse_amount(t) is not None for t in texts)
            and not any(_SENTENCE.search(t) for t in texts)
        )


@dataclass
class Aligned:
    """One table found by alignment: rows of cells ('' blank, None covered), its top, its columns'
    x ranges and the words it took from the page's text."""

    rows: list[list[str | None]]
    top: float
    spans: list[Span]
    words: list[Word]


def aligned_tables(words: list[Word], is_heading: Callable[[str], bool]) -> list[Aligned]:
    """Tables of aligned text among ``words`` (those outside ruled grids). ``is_heading`` tells a
    title, 表号, unit or 部门 line, which ends a table's header upwards and never joins one."""
    if sum(1 for w in words if parse_amount(w["text"]) is not None) < 2:
        return []  # no two amounts: nothing to align (most ruled and narrative pages stop here)
    rows = [_Row(r) for r in visual_rows(words)]
    height = median(r.bottom - r.top for r in rows)
    found = []
    for first, last in _runs(rows, height, is_heading):
        start = _header_start(rows, first, height, is_heading)
        table = _table(rows[start : last + 1], rows[first : last + 1])
        if table:
            found.append(table)
    return found


def _runs(rows: list[_Row], height: float, is_heading: Callable[[str], bool]) -> list[tuple[int, int]]:
    """(first, last) indices of runs of rows with amounts, close together; rows without amounts
    between two such rows (a category row, a wrapped name) belong to the run."""
    runs: list[tuple[int, int]] = []
    first = last = None
    for i, row in enumerate(rows):
        near = last is not None and row.top - rows[i - 1].bottom <= _ROW_GAP * height
        heading = is_heading(join_words(row.words))
        if first is not None and (not near or heading):
            runs.append((first, last))  # type: ignore[arg-type]
            first = last = None
        if row.has_amount and not heading:
            first = i if first is None else first
            last = i
    if first is not None:
        runs.append((first, last))  # type: ignore[arg-type]
    return [(a, b) for a, b in runs if sum(r.has_amount for r in rows[a : b + 1]) >= 2]


def _header_start(rows: list[_Row], first: int, height: float, is_heading: Callable[[str], bool]) -> int:
    """Index of the first header row above ``first``: rows of two or more cells without amounts,
    directly above, up to three, never a title, unit or 部门 line."""
    start = first
    while start > 0 and first - start < _HEADER_ROWS:
        above = rows[start - 1]
        if rows[start].top - above.bottom > _ROW_GAP * height or len(above.segments) < 2:
            break
        if above.has_amount or is_heading(join_words(above.words)):
            break
        start -= 1
    return start


def _table(rows: list[_Row], body: list[_Row]) -> Aligned | None:
    """The rows as cells on shared columns; None when they do not make a table."""
    spans = _columns([s for r in rows for s in r.segments])
    if len(spans) < 2:
        return None
    head = len(rows) - len(body)
    cells = [_cells(r, spans) for r in rows]
    cells = cells[:head] + _join_wrapped(body, cells[head:])
    body_cells = cells[head:]
    if not _has_amount_column(body_cells) or sum(sum(1 for c in row if c) >= 2 for row in body_cells) < 2:
        return None
    return Aligned(cells, rows[0].top, spans, [w for r in rows for w in r.words])


def _join_wrapped(rows: list[_Row], cells: list[list[str | None]]) -> list[list[str | None]]:
    """Body rows with a line of one text cell set closer under the row above than rows are to
    each other joined to it: a Word cell's text wrapped onto a second line (its figures stay on
    the first). Where rows are no further apart than wrapped lines, each line stays a row."""
    gaps = [b.top - a.bottom for a, b in pairwise(rows)]
    if len(gaps) < 2:
        return cells
    usual = median(gaps)
    out = cells[:1]
    for gap, row in zip(gaps, cells[1:], strict=True):
        filled = [j for j, c in enumerate(row) if c]
        above = out[-1]
        if len(filled) == 1 and gap < _WRAP * usual and (text := row[filled[0]]) and parse_amount(text) is None:
            j = filled[0]
            if (prior := above[j]) and parse_amount(prior) is None:
                latin = prior[-1].isascii() and prior[-1].isalpha() and text[0].isascii() and text[0].isalpha()
                above[j] = f"{prior}{' ' if latin else ''}{text}"
                continue
        out.append(row)
    return out


def _columns(segments: list[_Segment]) -> list[Span]:
    """Column x ranges: where at least two segments print, plus the range of any segment that
    lies in none of those (a column with one figure)."""
    edges = sorted([(s.x0, 1) for s in segments] + [(s.x1, -1) for s in segments])
    spans: list[Span] = []
    depth, start = 0, 0.0
    for x, step in edges:
        if depth < 2 <= depth + step:
            start = x
        elif depth >= 2 > depth + step and x > start:
            spans.append((start, x))
        depth += step
    spans = _merge(spans)
    alone = [(s.x0, s.x1) for s in segments if not any(_shared(s.x0, s.x1, span) > 0 for span in spans)]
    return _merge(sorted(spans + _merge(sorted(alone))))


def match_spans(own: list[Span], wider: list[Span]) -> list[int | None]:
    """For each of ``own`` columns, the column of ``wider`` (a table's first page) it lies under
    most; None when it lies under none."""
    found: list[int | None] = []
    for x0, x1 in own:
        shares = [_shared(x0, x1, span) for span in wider]
        best = max(range(len(wider)), key=shares.__getitem__)
        found.append(best if shares[best] > 0 else None)
    return found


def _merge(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for x0, x1 in spans:
        if out and x0 <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], x1))
        else:
            out.append((x0, x1))
    return out


def _shared(x0: float, x1: float, span: Span) -> float:
    return min(x1, span[1]) - max(x0, span[0])


def _cells(row: _Row, spans: list[Span]) -> list[str | None]:
    """One cell per column: a segment in the column it overlaps first, None in the further
    columns it covers, '' where the row prints nothing."""
    cells: list[str | None] = [""] * len(spans)
    for segment in row.segments:
        covered = [j for j, span in enumerate(spans) if _shared(segment.x0, segment.x1, span) > 0]
        if not covered:  # between two columns: the nearer one
            middle = (segment.x0 + segment.x1) / 2
            covered = [min(range(len(spans)), key=lambda j: abs((spans[j][0] + spans[j][1]) / 2 - middle))]
        home = covered[0]
        cells[home] = f"{cells[home]}{segment.text}" if cells[home] else segment.text
        for j in covered[1:]:
            if not cells[j]:
                cells[j] = None
    return cells


def _has_amount_column(rows: list[list[str | None]]) -> bool:
    """A column of nothing but amounts (or dashes for none), filled in two rows or more."""
    for j in range(len(rows[0])):
        texts = [(row[j] or "").strip() for row in rows]
        filled = [t for t in texts if t and t not in _BLANK]
        if len(filled) >= 2 and all(parse_amount(t) is not None for t in filled):
            return True
    return False
