"""PDF route: a table's title block is the text just above its ruled grid; an untitled grid opening a page continues the table before."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfplumber.page import Page
from pdfplumber.utils.exceptions import PdfminerException

from parsing.errors import FilingError
from parsing.normalize import clean, squash
from parsing.numbers import unit_of
from parsing.routes.aligned import Aligned, Span, aligned_tables, join_words, match_spans, visual_rows
from parsing.routes.cells import PageChars, table_cells
from parsing.routes.chars import settle_chars
from parsing.routes.raw import NOTE, RawDocument, RawLine, RawRow, RawTable
from parsing.routes.shading import is_shading

_NUMERALS = "一二三四五六七八九"
_TABLE_NO = re.compile(
    r"^(?:(?:部门|单位)?(?:公开|预算|决算)?附?表+\s*(\d+(?:-\d+)?|[一二三四五六七八九十]+)(?![\d.])"
    r"|(?:部门|单位)?(?:公开|预算|决算)\s*(\d+(?:-\d+)?)\s*表)(?:\s*[:：]?\s*(\S.*))?$"
)
"""表7 / 表七 / 公开07表 / 预算01-1表 / 部门公开表3 / 附表1, and 表表表表5 as some extractors repeat it."""
_TITLE_END = re.compile(r"(?<!下)表(?:[（(][^）)]*[）)])?$")
"""A title ends in 表, or in 表 and a parenthesis: 一般公共预算支出表（按功能分类）; "详见下表" does not."""
_DEPARTMENT = re.compile(
    r"^(?:部门名称|编制部门|编制单位|单位名称)(?:[（(]盖章[)）])?\s*[:：]\s*(.*?)\s*(?:(?:金额)?单位\s*[:：].*)?$"
)
_QUALIFIER = re.compile(r"^[（(][^（()）]+[)）]$")
"""A title's bracketed second line: （2024年度）, （按功能分类）."""
_YEAR_LINE = re.compile(r"^[（(]20\d\d年度?[)）]$")
_SENTENCE_END = tuple("。；;：:，,！？!?")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．](?!\d))")
_PAGE_NO = re.compile(r"^(?:[-–—]?\s*\d{1,4}\s*[-–—]?|第\s*\d+\s*页\s*[，,]?\s*(?:共\s*\d+\s*页)?)$")
_DASHED_PAGE_NO = re.compile(r"^[-–—]+\s*\d{1,4}\s*[-–—]+$")  # —13—: a page number wherever it sits
_MARGIN = 0.1  # share of the page height at top and bottom where page numbers and running heads sit
_Y_TOLERANCE = 5  # ONLYOFFICE sets digits ~3 pt below CJK text inside table cells


@dataclass
class _Line:
    """A line of text outside tables, with where it sits on its page."""

    text: str
    page: int
    top: float
    bottom: float
    in_margin: bool


@dataclass
class _Grid:
    """One ruled table on one page, with the left edge of each of its columns."""

    rows: list[RawRow]
    page: int
    top: float
    edges: list[float]
    spans: list[Span] | None = None  # a table found by alignment: its columns' x ranges

    @property
    def inner_title(self) -> str | None:
        """A first row that is one cell across the table ending in 表: a form's own title."""
        first = self.rows[0].cells if self.rows else ()
        text = squash(first[0]) if first and first[0] and all(c is None for c in first[1:]) else ""
        return text if len(first) > 1 and re.search(r"表(?:[（(].*[)）])?$", text) else None

    def take_title_rows(self) -> list[_Line]:
        """Title, 部门 and 单位 lines printed inside the ruled grid, above its header: taken out of
        the rows and returned as lines of a title block (empty when the grid starts with its header)."""
        taken: list[_Line] = []
        i = 0
        while i < min(len(self.rows), 6):
            texts = [clean(c) for c in self.rows[i].cells if c and c.strip()]
            if not texts:
                i += 1
                continue
            metas = [t for t in texts if _TABLE_NO.match(t) or _is_meta(t)]
            if len(metas) != len(texts):
                break
            taken.extend(_Line(t, self.page, self.top, self.top, False) for t in texts)
            i += 1
        if not any(_TABLE_NO.match(l.text) for l in taken):
            return []
        self.rows = self.rows[i:]
        return taken

    def aligned(self, edges: list[float], spans: list[Span] | None = None) -> list[RawRow]:
        """Rows spread over the wider column set ``edges`` of the page before, where a merged cell
        (合计 across 类/款/项/名称) left this page's grid with fewer columns, or where a column a
        table of aligned text (``spans``) left empty on this page has none; else as printed."""
        if self.spans and spans:
            found = match_spans(self.spans, spans)
            if len(set(found)) < len(found):
                return self.rows
        else:
            found = [next((j for j, e in enumerate(edges) if abs(e - x) < 2), None) for x in self.edges]
        at = [j for j in found if j is not None]
        if len(edges) <= len(self.edges) or len(at) < len(found):
            return self.rows
        rows = []
        for row in self.rows:
            cells: list[str | None] = ["" if self.spans else None] * len(edges)  # aligned text: blank
            for j, cell in zip(at, row.cells, strict=False):
                cells[j] = cell
            rows.append(RawRow(tuple(cells), page=row.page))
        return rows


def read_pdf(path: Path) -> RawDocument:
    """Read a PDF's running text and ruled tables; FilingError when it cannot be read at all."""
    _check_bytes(path)
    try:
        with pdfplumber.open(path) as pdf:
            metadata = {str(k): _as_text(v) for k, v in pdf.metadata.items() if v is not None}
            pages = [_read_page(page) for page in pdf.pages]
    except PdfminerException as e:
        if e.args and isinstance(e.args[0], PDFEncryptionError):  # a wrong password or a cipher pdfminer lacks
            raise FilingError(path, "已加密：需要密码才能打开") from None
        raise FilingError(path, "PDF 不完整或已损坏") from e
    except Exception as e:  # pdfminer raises anything from PSEOF to KeyError on broken files
        raise FilingError(path, "PDF 不完整或已损坏") from e
    if not any(has_text for _, has_text in pages):
        raise FilingError(path, "没有文字层（扫描件）：请先做 OCR 识别")
    doc = _Assembler(len(pages)).run([item for items, _ in pages for item in items])
    doc.path, doc.pages, doc.metadata = path, len(pages), metadata
    doc.unplaced = [
        ("page_without_table", "no text on this page (blank or scanned)", n)
        for n, (items, has_text) in enumerate(pages, start=1)
        if not has_text and not any(isinstance(i, _Grid) for i in items)
    ]
    return doc


def _check_bytes(path: Path) -> None:
    try:
        with path.open("rb") as f:
            head = f.read(1024)
    except OSError as e:
        raise FilingError(path, f"无法读取：{e.strerror or e}") from None
    if not head:
        raise FilingError(path, "空文件")
    if b"%PDF-" not in head:
        raise FilingError(path, "不是 PDF 文件")


def _as_text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(getattr(value, "name", value))


def _read_page(page: Page) -> tuple[list[_Line | _Grid], bool]:
    """The page's text lines and tables in reading order, and whether it has any text."""
    number = page.page_number
    settle_chars(page)
    found = [t for t in page.find_tables() if len(t.columns) > 1 and not is_shading(t, page)]  # one column: a frame
    chars = PageChars(page.chars)
    grids = [
        _Grid(
            [RawRow(_cells(r), page=number) for r in table_cells(t, chars, y_tolerance=_Y_TOLERANCE)],
            number,
            t.bbox[1],
            [c.bbox[0] for c in t.columns],
        )
        for t in found
    ]
    boxes = [t.bbox for t in found]
    words = [w for w in page.extract_words() if not any(_inside(w, b) for b in boxes)]
    for table in aligned_tables(words, _is_heading):
        grids.append(_aligned_grid(table, number))
        taken = {id(w) for w in table.words}
        words = [w for w in words if id(w) not in taken]
    lines = _lines(words, number, float(page.height))
    has_text = bool(page.chars)
    page.close()
    items: list[_Line | _Grid] = [*lines, *grids]
    return sorted(items, key=lambda i: i.top), has_text


def _aligned_grid(table: Aligned, page: int) -> _Grid:
    rows = [RawRow(tuple(cells), page=page) for cells in table.rows]
    return _Grid(rows, page, table.top, [x0 for x0, _ in table.spans], table.spans)


def _is_heading(text: str) -> bool:
    """A title, 表号, unit, 部门 or footnote line: never a row of a table found by alignment."""
    return bool(_TABLE_NO.match(text) or _is_meta(text) or _TITLE_END.search(squash(text)) or NOTE.match(text))


def _cells(row: list[str | None]) -> tuple[str | None, ...]:
    return tuple(None if c is None else _unwrap(c) for c in row)


def _unwrap(text: str) -> str:
    """Join a cell's wrapped lines: no space at a wrap point unless Latin words meet there."""
    return re.sub(r"\s*\n\s*", lambda m: " " if _latin_around(text, m) else "", text).strip()


def _latin_around(text: str, m: re.Match[str]) -> bool:
    before, after = text[m.start() - 1 : m.start()], text[m.end() : m.end() + 1]
    return before.isascii() and before.isalpha() and after.isascii() and after.isalpha()


def _inside(word: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    x, y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return bool(box[0] <= x <= box[2] and box[1] <= y <= box[3])


def _lines(words: list[dict[str, Any]], page: int, height: float) -> list[_Line]:
    """Words into lines by vertical overlap, so digits set lower than their CJK line rejoin it."""
    lines = []
    for row in visual_rows(words):
        text = join_words(row)
        top, bottom = min(w["top"] for w in row), max(w["bottom"] for w in row)
        margin = bottom < height * _MARGIN or top > height * (1 - _MARGIN)
        if not (margin and _PAGE_NO.match(text.strip())) and not _DASHED_PAGE_NO.match(text.strip()):
            lines.append(_Line(clean(text), page, top, bottom, margin))
    return lines


class _Assembler:
    """Walks lines and grids in document order: title block → table, notes, continuation pages."""

    def __init__(self, pages: int) -> None:
        self.pages = pages
        self.lines: list[RawLine] = []
        self.tables: list[RawTable] = []
        self.block: list[_Line] = []  # text lines since the last grid
        self.last: _Grid | None = None  # the last grid placed
        self.edges: list[float] = []  # column edges of the grid that began the current table
        self.spans: list[Span] | None = None  # its columns' x ranges when found by alignment
        self.unit: str | None = None  # the first unit printed, for tables whose block names none
        self.running: dict[str, bool] = {}  # running head/foot → printed once already
        self.per_page: Counter[int] = Counter()

    def run(self, items: list[_Line | _Grid]) -> RawDocument:
        margins = Counter(k for k, _ in {(_key(i), i.page) for i in items if isinstance(i, _Line) and i.in_margin})
        self.running = {k: False for k, n in margins.items() if n >= 3 and n * 2 >= self.pages}
        for item in items:
            if isinstance(item, _Grid):
                self._grid(item)
            else:
                self._line(item)
        for line in self.block:
            self._keep(line)
        return RawDocument(path=Path(), source_format="pdf", lines=self.lines, tables=self.tables)

    def _line(self, line: _Line) -> None:
        key = _key(line)
        if line.in_margin and key in self.running:
            if not self.running[key]:  # the first print of a running head stays: it may say 示例数据
                self.running[key] = True
                self._keep(line)
            return
        if self.last and not self.block and line.page == self.last.page and NOTE.match(line.text):
            self.tables[-1].notes.append(line.text)
            return
        self.block.append(line)
        self.unit = self.unit or unit_of(line.text)

    def _keep(self, line: _Line) -> None:
        self.per_page[line.page] += 1
        self.lines.append(RawLine(line.text, page=line.page, line=self.per_page[line.page]))

    def _grid(self, grid: _Grid) -> None:
        block, self.block = [l for l in self.block if not _PAGE_NO.match(l.text)], []
        inner = grid.take_title_rows()
        if inner:  # the title block printed inside the grid: the text above is narrative
            for line in block:
                self._keep(line)
            block = inner
        last, self.last = self.last, grid
        cut = max((i for i, l in enumerate(block) if _TABLE_NO.match(l.text)), default=None)
        number = _number(block[cut].text) if cut is not None else None
        if last and grid.page > last.page and self._continues(block, number, grid):
            for line in block[:cut]:
                self._keep(line)
            self.tables[-1].fragments.append(grid.aligned(self.edges, self.spans))
            return
        if cut is not None:
            cut = _title_above(block, cut)
            narrative, head = block[:cut], block[cut:]
        elif grid.inner_title:
            narrative, head = block, []
        else:
            narrative, head = _wrapped_title(*_split_title(block))
        for line in narrative:
            self._keep(line)
        table = _table(head, number)
        table.title = table.title or grid.inner_title or ""
        table.unit = table.unit or self.unit
        table.page = grid.page
        table.fragments.append(grid.rows)
        self.tables.append(table)
        self.edges, self.spans = grid.edges, grid.spans

    def _continues(self, block: list[_Line], number: str | None, grid: _Grid) -> bool:
        """The same 表 N again, or a grid with nothing above it that is not a form of its own."""
        if number:
            return number == self.tables[-1].number
        return not block and not grid.inner_title


def _key(line: _Line) -> str:
    return re.sub(r"\d+", "#", squash(line.text))


def _number(text: str) -> str | None:
    """'表7' / '公开07表' / '表 十二' → '7' / '7' / '12'."""
    m = _TABLE_NO.match(text)
    if not m:
        return None
    digits = m.group(1) or m.group(2)
    if digits[0].isdigit():
        return "-".join(str(int(d)) for d in digits.split("-"))
    tens, _, ones = digits.rpartition("十")
    value = (_NUMERALS.index(tens) + 1 if tens else 1) * 10 if "十" in digits else 0
    return str(value + (_NUMERALS.index(ones) + 1 if ones else 0))


def _title_above(block: list[_Line], cut: int) -> int:
    """Where the title block starts when its 表号 line is bare: the 部门决算 template prints the
    title first and its number under it (收入支出决算总表 / 公开01表 / 部门：… 金额单位：万元)."""
    named = _TABLE_NO.match(block[cut].text)
    if cut == 0 or (named and named.group(3)) or any(not _is_meta(l.text) for l in block[cut + 1 :]):
        return cut
    above = squash(block[cut - 1].text)
    return cut - 1 if len(above) <= 40 and _TITLE_END.search(above) and not _is_meta(above) else cut


def _split_title(block: list[_Line]) -> tuple[list[_Line], list[_Line]]:
    """Split an unnumbered block: unit and department lines at its end, with the line above them
    as the title. A bare line above a grid (第七部分's table) titles it but stays in the text."""
    i = len(block)
    while i and _is_meta(block[i - 1].text):
        i -= 1
    start = max(i - 1, 0)
    if start and _QUALIFIER.match(squash(block[start].text)):  # 部门整体绩效自评表 / （2024年度）
        start -= 1
    if i == len(block):
        return block, block[start:]
    return block[:start], block[start:]


def _wrapped_title(narrative: list[_Line], head: list[_Line]) -> tuple[list[_Line], list[_Line]]:
    """A title printed over two lines (…分局_机场公安综 / 合修缮改造项目绩效目标表), or with its year
    under it (信息化运行维护绩效目标表 / (2026 年度)): the line just above joins the title when it is
    on the same page at line spacing, is no sentence or numbered heading, and the two end as a title."""
    at = next((n for n, line in enumerate(narrative) if head and line is head[0]), None)
    kept = at is not None  # a bare title (and its qualifier line) stays in the text
    before = narrative[:at] if at is not None else narrative
    if not before or not head:
        return narrative, head
    above, title = before[-1], head[0]
    first, second = squash(above.text), squash(title.text)
    close = above.page == title.page and title.top - above.bottom < above.bottom - above.top
    year = bool(_YEAR_LINE.match(second)) and bool(_TITLE_END.search(first))
    wrapped = not _TITLE_END.search(first) and not first.endswith(_SENTENCE_END) and not _HEADING.match(first)
    if close and len(first) <= 40 and (year or wrapped) and _TITLE_END.search(first + second) and not _is_meta(first):
        title = _Line(first + second, title.page, above.top, title.bottom, title.in_margin)
        return (narrative if kept else narrative[:-1]), [title, *head[1:]]
    return narrative, head


def _is_meta(text: str) -> bool:
    return bool(unit_of(text) or _DEPARTMENT.match(text))


def _table(head: list[_Line], number: str | None) -> RawTable:
    """A table from its title block: [表 N,] title, 部门名称：…, 单位：… in any order."""
    table = RawTable(title="", number=number)
    for line in head:
        if m := _TABLE_NO.match(line.text):
            table.title = squash(m.group(3)) or table.title
            continue
        if m := _DEPARTMENT.match(line.text):
            table.department = squash(m.group(1)) or None
        if unit := unit_of(line.text):
            table.unit = unit
        if not _is_meta(line.text) and not table.title:
            table.title = squash(line.text)
        elif not _is_meta(line.text) and _QUALIFIER.match(squash(line.text)):
            table.title += squash(line.text)  # the title's second line: （2024年度）, （按功能分类）
    return table
