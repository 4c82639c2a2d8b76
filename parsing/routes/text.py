"""Reader for text extractions of filings (the seed format): markdown-ish lines with TSV tables.

A table is a run of tab-separated lines. The non-tab lines just before it are its title block
(表 N, title, 部门名称：…, 单位：…); a run that follows the previous one with no new title, or
one that repeats the same 表 N, is the next page of the same table and becomes a new fragment.
"""

from __future__ import annotations

import re
from pathlib import Path

from parsing.errors import FilingError
from parsing.normalize import clean, squash
from parsing.numbers import unit_of
from parsing.routes.raw import NOTE, RawDocument, RawLine, RawRow, RawTable

#: Breaks that str.splitlines() obeys but a text extraction never means as a row's end (U+2028 in
#: a cell would cut its row in two): shown as a space inside the cell.
_IN_LINE_BREAKS = dict.fromkeys(map(ord, "\v\x1c\x1d\x1e\x85\u2028\u2029"), " ")
TABLE_NO = re.compile(r"^(?:表\s*(\d+)|公开\s*0*(\d+)\s*表)$")


def read_text(path: Path) -> RawDocument:
    """Split a text extraction into running lines and raw tables."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise FilingError(path, "不是 UTF-8 文本") from None
    if not text.strip():
        raise FilingError(path, "空文件")
    reader = _Reader()
    for number, line in enumerate(re.split(r"\r\n|[\r\n\f]", text.translate(_IN_LINE_BREAKS)), start=1):
        reader.feed(line, number)
    reader.lines.extend(RawLine(t, line=n) for t, n in reader.block)  # text after the last table
    return RawDocument(path=path, source_format="text", lines=reader.lines, tables=reader.tables)


class _Reader:
    """A line-by-line state machine: title block → rows → notes."""

    def __init__(self) -> None:
        self.lines: list[RawLine] = []
        self.tables: list[RawTable] = []
        self.block: list[tuple[str, int]] = []  # non-tab lines since the last row
        self.open: list[RawRow] | None = None  # the fragment being filled
        self.unit: str | None = None  # the document's unit, inherited by untitled tables

    def feed(self, line: str, number: int) -> None:
        if "\t" in line and any(c.strip() for c in line.split("\t")):
            self._row(line, number)
            return
        text = clean(line)
        if not text:
            self.open = None  # a blank line ends a page's run of rows
            return
        if self.tables and not self.block and NOTE.match(text):
            self.tables[-1].notes.append(text)
            return
        self.open = None
        self.block.append((text, number))
        if unit := unit_of(text):
            self.unit = self.unit or unit

    def _row(self, line: str, number: int) -> None:
        if self.open is None:
            self.open = self._start_fragment(number)
        self.open.append(RawRow(tuple(line.split("\t")), line=number))

    def _start_fragment(self, number: int) -> list[RawRow]:
        """Open a fragment: a new table if a title block precedes it, else the next page."""
        block, self.block = self.block, []
        cut = max((i for i, (t, _) in enumerate(block) if TABLE_NO.match(_bare(t))), default=None)
        narrative, titles = (block, []) if cut is None else (block[:cut], block[cut:])
        head = _title_block([t for t, _ in titles])
        last = self.tables[-1] if self.tables else None
        if last is not None and (not block or (head["number"] and head["number"] == last.number)):
            self.lines.extend(RawLine(t, line=n) for t, n in narrative)
            last.fragments.append([])
            return last.fragments[-1]
        if cut is None:  # an unnumbered table: its title is the last line of text before it
            lines = [(t, n) for t, n in narrative if not _is_title_line(t)]
            head["title"] = _bare(lines[-1][0]) if lines else ""
            head["unit"] = next((u for t, _ in narrative if (u := unit_of(t))), None)
        self.lines.extend(RawLine(t, line=n) for t, n in narrative)
        table = RawTable(
            title=head["title"] or "",
            number=head["number"],
            unit=head["unit"] or self.unit,
            department=head["department"],
            line=block[-1][1] if block else number,
        )
        self.tables.append(table)
        table.fragments.append([])
        return table.fragments[0]


def _bare(text: str) -> str:
    """A line without markdown marks (#, **) or spaces."""
    return squash(text.lstrip("# ").replace("*", ""))


def _is_title_line(text: str) -> bool:
    t = _bare(text)
    return bool(TABLE_NO.match(t) or unit_of(t) or t.startswith("部门名称"))


def _title_block(texts: list[str]) -> dict[str, str | None]:
    """Read 表 N / title / 部门名称 / 单位 from a title block that starts with 表 N."""
    out: dict[str, str | None] = {"number": None, "title": None, "unit": None, "department": None}
    if not texts or not (m := TABLE_NO.match(_bare(texts[0]))):
        return out
    out["number"] = m.group(1) or m.group(2)
    for t in map(_bare, texts[1:]):
        if unit := unit_of(t):
            out["unit"] = unit
        elif t.startswith("部门名称"):
            out["department"] = re.sub(r"^部门名称(?:[（(]盖章[)）])?[:：]?", "", t) or None
        elif not out["title"]:
            out["title"] = t
    return out
