"""The shape both routes (text extraction, PDF) hand to the kind readers: lines and raw tables.

A table arrives as it was printed, page by page (``fragments``); ``RawTable.body`` stitches the
fragments into one run of rows with the repeated header rows dropped, so every kind reader sees
a table once, however many pages it spanned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from parsing.normalize import fold, squash
from parsing.numbers import parse_amount

NOTE = re.compile(r"^[（(]?(?:注|备注|说明)\s*[:：]|^[（(]本表")
"""A footnote line under a table (注：…, 说明：…, （本表…）): kept as a note, never as a row."""


_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+|\d{1,2})[、．]\s*\S")


@dataclass(frozen=True)
class RawRow:
    """One printed row: cells as text ('' blank, None covered by a merged cell) and where."""

    cells: tuple[str | None, ...]
    page: int | None = None
    line: int | None = None

    def text(self, i: int) -> str:
        """Cell ``i`` as stripped text; '' when blank, merged over or beyond the row."""
        return (self.cells[i] or "").strip() if i < len(self.cells) else ""

    @property
    def is_blank(self) -> bool:
        return not any((c or "").strip() for c in self.cells)

    @property
    def is_numbered(self) -> bool:
        """True when the first filled cell starts with an item's numbering (一、 / 1、): a body row
        whose amounts are blank, never a header."""
        first = next((c.strip() for c in self.cells if c and c.strip()), "")
        return bool(_NUMBERED.match(first))

    @property
    def has_amount(self) -> bool:
        """True when any cell is a number: the mark of a data row as opposed to a header row."""
        return any(parse_amount(c) is not None for c in self.cells if c)


@dataclass
class RawTable:
    """A table as printed: its title block and its rows, one fragment per page it spans."""

    title: str
    number: str | None = None  # "7" for 表7 / 公开07表
    unit: str | None = None  # 元 | 万元 | 亿元, from 单位：…
    department: str | None = None  # from 部门名称：…
    fragments: list[list[RawRow]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    page: int | None = None
    line: int | None = None

    @property
    def label(self) -> str:
        """Title as an analyst cites it: '表7 一般公共预算支出表（按功能分类）'."""
        return f"表{self.number} {self.title}" if self.number else self.title

    def header(self) -> list[RawRow]:
        """Leading rows of the first fragment before the first data row."""
        rows = self.fragments[0] if self.fragments else []
        head: list[RawRow] = []
        for row in rows:
            if row.has_amount or row.is_numbered:
                break
            head.append(row)
        return head

    def body(self) -> list[RawRow]:
        """All data rows, page after page, with header rows repeated on later pages removed."""
        header = self.header()
        seen = [_row_key(r) for r in header]
        out: list[RawRow] = []
        for n, fragment in enumerate(self.fragments):
            rows = fragment[len(header) :] if n == 0 else _drop_leading(fragment, seen)
            out.extend(r for r in rows if not r.is_blank)
        return out


@dataclass
class RawLine:
    """A line of running text outside tables."""

    text: str
    page: int | None = None
    line: int | None = None


@dataclass
class RawDocument:
    """Everything a route could read from one file, before any filing-kind logic."""

    path: Path
    source_format: str  # "pdf" | "text"
    lines: list[RawLine]
    tables: list[RawTable]
    pages: int = 0
    metadata: dict[str, str] = field(default_factory=dict)
    unplaced: list[tuple[str, str, int | None]] = field(default_factory=list)  # (kind, detail, page)

    @property
    def title(self) -> str:
        """The metadata title or the first line of text."""
        if self.metadata.get("Title"):
            return squash(self.metadata["Title"])
        return next((squash(l.text.lstrip("# ")) for l in self.lines if l.text.strip()), "")


def _row_key(row: RawRow) -> tuple[str, ...]:
    return tuple(fold(c) for c in row.cells if (c or "").strip())


def _drop_leading(rows: list[RawRow], header: list[tuple[str, ...]]) -> list[RawRow]:
    """Skip a page's repeated header rows (a repeat may lose or gain trailing cells)."""
    i = 0
    while i < len(rows) and (rows[i].is_blank or _is_repeat(_row_key(rows[i]), header)):
        i += 1
    return rows[i:]


def _is_repeat(key: tuple[str, ...], header: list[tuple[str, ...]]) -> bool:
    return any(key == h[: len(key)] or h == key[: len(h)] for h in header if h)
