"""Altered copies of genuine filings: one planted change per copy, made by editing the PDF's text
(PyMuPDF: the old words are redacted and the new ones written in their place), the kind of slip
a reviewer looks for.

Each change belongs to one rule family: a narrative amount changed (amounts), a share changed
(shares), 增加 turned into 减少 or 小于 into 大于 (words), a year shifted (years), the issuer named
as another body (issuer), a placeholder left in (placeholders), a table's pages removed while the
目录 still lists it (toc), 万元 written 元 (units), a 功能分类 code swapped for its sibling (codes),
a table total changed (sums). A change that does not apply to a filing (no share in a budget's
text, say) is skipped, never faked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from parsing.checks.structure import _ENTRY, _key, _norm, _same, national_codes
from parsing.library import Library

FONT = "china-s"  # PyMuPDF's built-in CJK font: the replaced words stay readable as text


@dataclass(frozen=True)
class Change:
    """A planted change: its family, what was printed and what it became, and where."""

    family: str
    old: str
    new: str
    page: int  # 1-based
    delete_pages: tuple[int, ...] = ()
    rect: tuple[float, float, float, float] | None = None  # where ``old`` is, when it is printed more than once


def _pages(path: Path) -> list[str]:
    import pymupdf

    with pymupdf.open(path) as doc:
        return [p.get_text() for p in doc]


def _first(
    pages: list[str], pattern: str, skip: Callable[[re.Match], bool] = lambda m: False
) -> tuple[int, re.Match] | None:
    """The first match on a page of running text (a line of the PDF), as (1-based page, match)."""
    for i, text in enumerate(pages):
        for line in text.split("\n"):
            for m in re.finditer(pattern, line):
                if not skip(m):
                    return i + 1, m
    return None


def _bump(number: str) -> str:
    """A figure changed beyond any rounding, printed the same way: its first digit + 1 (9 → 1)."""
    digits = [i for i, c in enumerate(number) if c.isdigit() and c != "0"]
    if not digits:
        return number[:-1] + "5"
    i = digits[0]
    return number[:i] + str(int(number[i]) % 9 + 1) + number[i + 1 :]


#: Narrative subjects whose amount the tables print (a PDF may put a space in "2026 年", "50.2 万元").
_SUBJECT = (
    r"(收入预算(?:总计)?|支出预算(?:总计)?|收支总预算|收入支出总计|本年收入合计|本年支出合计|基本支出|项目支出"
    r"|人员经费|公用经费|机关运行经费(?:预算)?为?|经费预算数为)\s?(\d[\d,]*\.\d+)\s?万元"
)


def _swap(m: re.Match, group: int, new: str) -> str:
    """The matched words with one group replaced."""
    return m.group(0)[: m.start(group) - m.start()] + new + m.group(0)[m.end(group) - m.start() :]


def amounts(pages, lib) -> Change | None:
    hit = _first(pages, _SUBJECT)
    if not hit:
        return None
    page, m = hit
    return Change("amounts", m.group(0), _swap(m, 2, _bump(m.group(2))), page)


def units(pages, lib) -> Change | None:
    hit = _first(pages, _SUBJECT)
    if not hit:
        return None
    page, m = hit
    return Change("units", m.group(0), m.group(0)[:-2] + "元", page)


def shares(pages, lib) -> Change | None:
    """A share moved by 3.33 points (3.3 or 3 where it is printed with fewer decimals: '占7.4%',
    '占63%'); never a 0% or 100% share, which no change of one figure explains."""
    hit = _first(
        pages,
        r"万元[，,]\s?占(?:比)?(\d{1,2}(?:\.\d{1,2})?)\s?%",
        skip=lambda m: not 0.5 <= float(m.group(1)) <= 99.5,
    )
    if not hit:
        return None
    page, m = hit
    value, decimals = float(m.group(1)), len(m.group(1).partition(".")[2])
    step = (3, 3.3, 3.33)[decimals]
    return Change(
        "shares", m.group(0), _swap(m, 1, f"{value + step if value < 90 else value - step:.{decimals}f}"), page
    )


def words(pages, lib) -> Change | None:
    """增加 ↔ 减少 or 大于 ↔ 小于 where the text gives the evidence: a relation between two printed
    figures, a change followed by its rate, or a change against last year's budget."""
    flips = {"增加": "减少", "减少": "增加", "小于": "大于", "大于": "小于"}
    for pattern in (
        r"决算数(小于|大于)预算数",
        r"(减少|增加)\s?\d[\d,.]*\s?万元[，,]\s?(?:下降|增长|减幅|增幅)",
        r"比\s?20\d\d\s?年预算(增加|减少)\s?\d[\d,.]*\s?万元",
    ):
        hit = _first(pages, pattern)
        if hit:
            page, m = hit
            return Change("words", m.group(0), _swap(m, 1, flips[m.group(1)]), page)
    return None


def years(pages, lib) -> Change | None:
    year = int(lib.documents["year"][0])
    for pattern in (
        rf"{year}\s?年部门预算编制说明",
        rf"{year}\s?年(?:度)?[“\"]三公[”\"]经费",
        rf"截至\s?{year}\s?年\s?12\s?月\s?31\s?日",
        rf"{year}\s?年(?:度)?(?:部门|预算单位)\w{{2,12}}表",
        rf"{year}\s?年度?部门(?:预算|决算)",
    ):
        hit = _first(pages, pattern)
        if hit:
            page, m = hit
            return Change("years", m.group(0), m.group(0).replace(str(year), str(year + 1), 1), page)
    return None


def _issuer_slot(pages, lib) -> tuple[int, str, str] | None:
    name = lib.documents["department"][0] or ""
    if len(name) < 5:
        return None
    hit = _first(pages, re.escape(name) + r"(?=（部门）|（单位）|部门|20\d\d|收入)")
    return (hit[0], name, hit[1].group(0)) if hit else None


def issuer(pages, lib) -> Change | None:
    slot = _issuer_slot(pages, lib)
    if not slot:
        return None
    page, name, _ = slot
    other = name[:-3] + ("财政局" if not name.endswith("财政局") else "审计局")
    return Change("issuer", name, other, page)


def placeholders(pages, lib) -> Change | None:
    slot = _issuer_slot(pages, lib)
    if not slot:
        return None
    page, name, _ = slot
    return Change("placeholders", name, "XX局", page)


def toc(pages, lib) -> Change | None:
    """The pages of one table listed in the 目录 removed (the 三公 table, else the last one)."""
    lines = lib.budget_lines.filter(pl.col("source_page").is_not_null())
    front = lib.sections.filter(pl.col("part_no").is_null())["text"].fill_null("").str.join("\n")[0]
    listed = (
        [_key(m.group(1)) for l in front.split("\n") if (m := _ENTRY.match(l.strip()))]
        if re.search(r"目\s*录", front)
        else []
    )
    for kind in ("三公经费", "经济分类", "财政拨款收支总表"):
        table = lines.filter(pl.col("table_kind") == kind)
        # Only a table the 目录 lists: that is the slip (a filing without a 目录 has none to make).
        if table.height and any(_same(_key(table["source_table"][0]), t) for t in listed):
            first, last = table["source_page"].min(), table["source_page"].max()
            title = table["source_table"][0]
            return Change("toc", title, "", first, tuple(range(first, last + 1)))
    return None


def codes(pages, lib, source: Path) -> Change | None:
    """A 7-digit 功能分类 code printed as its sibling's (2012902 一般行政管理事务 → 2012901): the
    code cell on the row's line, whole or (split 类/款/项 columns) its last two digits."""
    import pymupdf

    national = national_codes()
    rows = lib.budget_lines.filter(pl.col("table_kind") == "功能分类", pl.col("code").str.len_chars() == 7)
    with pymupdf.open(source) as doc:
        for code, name, page in rows.select("code", "name", "source_page").unique(maintain_order=True).rows():
            siblings = [c for c in national if c[:-2] == code[:-2] and c != code and national[c] != national.get(code)]
            # Only a row the reader reads right (its code and national name agree in the genuine
            # copy): on a misread table the swap would test the reader, not the check.
            if code not in national or not siblings or not page or national[code] != _norm(name):
                continue
            words = doc[page - 1].get_text("words")
            named = [w for w in words if w[4] == name.replace(" ", "")]
            # The code cell on the name's line, left of the name: its box holds the name's middle
            # (the nearest such box: ONLYOFFICE digits carry boxes 22 pt tall), and it is the
            # rightmost (the 项 column where 类 | 款 | 项 are split: the 款 may print the same digits).
            cells = [
                w
                for w in words
                for n in named[:1]
                if w[1] <= (n[1] + n[3]) / 2 <= w[3] and w[2] <= n[0] + 1 and w[4] in (code, code[-2:])
            ]
            if cells:
                nearest = min(abs(c[3] - named[0][3]) for c in cells)
                w = max((c for c in cells if abs(c[3] - named[0][3]) == nearest), key=lambda c: c[0])
                new = siblings[0] if w[4] == code else siblings[0][-2:]
                return Change("codes", w[4], new, page, rect=_clear_of(w, words))
    return None


def _clear_of(word: tuple, words: list) -> tuple[float, float, float, float]:
    """A word's box shrunk to clear the boxes of the words above and below it in its column: in
    ONLYOFFICE PDFs digits carry boxes 22 pt tall that overlap the next rows, and a redaction of
    the whole box would wipe the codes printed there too."""
    x0, y0, x1, y1 = word[:4]
    for w in words:
        if w is word or w[2] <= x0 or w[0] >= x1:
            continue
        if w[1] < y0 < w[3] <= y1:
            y0 = w[3] + 0.1
        if y0 <= w[1] < y1 < w[3]:
            y1 = w[1] - 0.1
    return (x0, y0, x1, y1) if y1 - y0 > 2 else tuple(word[:4])


def sums(pages, lib) -> Change | None:
    """The 功能分类 table's 合计 printed lower than its rows add up to."""
    total = lib.budget_lines.filter(
        pl.col("table_kind") == "功能分类", pl.col("row_kind") == "total", pl.col("amount_text").str.len_chars() >= 3
    ).sort("row_no")
    if total.is_empty():
        return None
    row = total.row(0, named=True)
    text = row["amount_text"]
    if not row["source_page"] or text not in pages[row["source_page"] - 1]:
        return None
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    i = digits[1] if len(digits) > 1 else digits[0]
    lower = text[:i] + str((int(text[i]) - 1) % 10) + text[i + 1 :]
    if int(text[i]) == 0:  # 10 → 09 would read as a bigger change: lower the first digit instead
        j = digits[0]
        lower = text[:j] + str(max(int(text[j]) - 1, 1)) + text[j + 1 :]
    return Change("sums", text, lower, row["source_page"])


MUTATIONS = (amounts, shares, words, years, issuer, placeholders, toc, units, codes, sums)


def apply(source: Path, change: Change, target: Path) -> None:
    """Write ``source`` with ``change`` made to ``target``; ValueError when the new words cannot
    be written where the reader finds them in their line (then the change is skipped)."""
    import pymupdf

    if change.delete_pages:
        with pymupdf.open(source) as doc:
            doc.delete_pages([p - 1 for p in change.delete_pages])
            target.parent.mkdir(parents=True, exist_ok=True)
            doc.save(target, garbage=3, deflate=True)
        return
    alone = _alone(source, change)
    with pymupdf.open(source) as doc:
        before = _page_lines(doc, change.page)
    for attempt in range(3):
        with pymupdf.open(source) as doc:
            page = doc[change.page - 1]
            rects = (
                [pymupdf.Rect(change.rect)] if change.rect else _locate(page, change.old) or page.search_for(change.old)
            )
            if not rects:
                raise ValueError(f"{change.old!r} not found on page {change.page}")
            rect = _whole(rects)
            size, baseline = _size(page, rect)
            page.add_redact_annot(_band(rect) if not change.rect else rect, fill=(1, 1, 1))
            page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE, graphics=pymupdf.PDF_REDACT_LINE_ART_NONE)
            width = pymupdf.get_text_length(change.new, fontname=FONT, fontsize=size)
            if width > rect.width:
                size *= rect.width / width
            y = (baseline, rect.y1 - rect.height * 0.2, rect.y0 + size * 0.9)[attempt]
            page.insert_text((rect.x0, y), change.new, fontname=FONT, fontsize=size)
            if _readable(doc, change, alone) and _intact(before, _page_lines(doc, change.page), change):
                target.parent.mkdir(parents=True, exist_ok=True)
                doc.save(target, garbage=3, deflate=True)
                return
    raise ValueError(f"{change.new!r} is not read back in its line on page {change.page}")


def _page_lines(doc, page: int) -> tuple[list[str], list[str]]:
    """The lines and the table cells the project's own PDF route reads on one page of an open
    PyMuPDF document, whitespace removed (the page alone: a whole filing takes too long)."""
    import tempfile

    import pymupdf

    from parsing.routes.pdf import read_pdf

    one = pymupdf.open()
    one.insert_pdf(doc, from_page=page - 1, to_page=page - 1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.pdf"
        one.save(path)
        one.close()
        raw = read_pdf(path)
    lines = [re.sub(r"\s+", "", l.text) for l in raw.lines]
    cells = [re.sub(r"\s+", "", c or "") for t in raw.tables for f in t.fragments for r in f for c in r.cells]
    return lines, cells


def _readable(doc, change: Change, alone: bool = False) -> bool:
    """Whether the project's own PDF route reads the new words, whole, inside the line they were
    written into (not as a line of their own)."""
    new = re.sub(r"\s+", "", change.new)
    if len(new) <= 2:
        return True
    # Inside a longer line; a line of its own where the old words stood alone (a heading); or a
    # table cell of its own (a code, an amount): what the readers will see.
    lines, cells = _page_lines(doc, change.page)
    return any(new in l and (len(l) > len(new) or alone) for l in lines) or new in cells


def _intact(before: tuple[list[str], list[str]], after: tuple[list[str], list[str]], change: Change) -> bool:
    """Whether nothing but the planted words changed on the page: every other line reads as
    before, and the page's text grew by exactly what the new words add (a redaction box that
    wipes the line below, or old words left beside the new, fails this)."""
    old, new = re.sub(r"\s+", "", change.old), re.sub(r"\s+", "", change.new)
    lines = set(after[0])
    if not all(l in lines for l in before[0] if old not in l):
        return False
    size = sum(len(t) for part in before for t in part)
    return sum(len(t) for part in after for t in part) - size == len(new) - len(old)


def _alone(source: Path, change: Change) -> bool:
    """Whether the old words are a whole line of their page in the genuine file (a heading)."""
    import pymupdf

    old = re.sub(r"\s+", "", change.old)
    with pymupdf.open(source) as doc:
        return any(l == old for l in _page_lines(doc, change.page)[0])


def _locate(page, old: str) -> list:
    """The box of the first line that prints ``old`` (spaces aside), from its characters' boxes:
    MuPDF's search may return another line's hit where the figures differ ('占92.7%' found
    where '占7.3%' is printed)."""
    import pymupdf

    want = re.sub(r"\s+", "", old)
    for block in page.get_text("rawdict")["blocks"]:
        for line in block.get("lines", []):
            chars = [c for span in line["spans"] for c in span["chars"] if not c["c"].isspace()]
            at = "".join(c["c"] for c in chars).find(want)
            if at >= 0:
                box = pymupdf.Rect(chars[at]["bbox"])
                for c in chars[at + 1 : at + len(want)]:
                    box |= pymupdf.Rect(c["bbox"])
                return [box]
    return []


def _band(rect):
    """The middle band of a line's box: where lines are set close, a glyph's box reaches into
    the next line's, and redacting the whole box would wipe the figures printed below it."""
    import pymupdf

    return pymupdf.Rect(rect.x0, rect.y0 + rect.height * 0.3, rect.x1, rect.y1 - rect.height * 0.3)


def _whole(rects: list) -> object:
    """The first hit's whole area: a hit whose digits sit lower than its CJK text (ONLYOFFICE
    PDFs), or whose text is printed in spaced runs, comes back as several rects side by side on
    one line (up to a little more than half a character apart)."""
    first = rects[0]
    whole = first
    for r in rects[1:]:
        if r.y0 <= whole.y1 and r.y1 >= whole.y0 and -1 <= r.x0 - whole.x1 < max(4, whole.height * 0.6):
            whole = whole | r
        else:
            break
    return whole


def _size(page, rect) -> tuple[float, float]:
    """The font size and baseline printed inside ``rect`` (of the longest span overlapping it)."""
    spans = [
        s
        for b in page.get_text("dict")["blocks"]
        for l in b.get("lines", [])
        for s in l["spans"]
        if rect.intersects(s["bbox"])
    ]
    if not spans:
        return rect.height * 0.85, rect.y1 - rect.height * 0.2
    span = max(spans, key=lambda s: len(s["text"]))
    return span["size"], span["origin"][1]


def altered_copies(
    sources: list[Path], out: Path, skipped: list[tuple[str, str, str]] | None = None
) -> list[tuple[Path, Path, Change]]:
    """(genuine file, altered copy, change) for every mutation that applies to every source. A
    change the generator could not write (not read back in its line, or the page changed beyond
    it) is appended to ``skipped`` as (family, file name, reason): never planted, never counted."""
    made = []
    for source in sources:
        lib = Library.load([source])
        if lib.documents.is_empty():
            continue
        pages = _pages(source)
        for mutate in MUTATIONS:
            change = mutate(pages, lib, source) if mutate is codes else mutate(pages, lib)
            if change is None:
                continue
            target = out / change.family / source.name
            if not target.exists():
                try:
                    apply(source, change, target)
                except ValueError as e:
                    if skipped is not None:
                        skipped.append((change.family, source.name, str(e)))
                    continue
            made.append((source, target, change))
    return made
