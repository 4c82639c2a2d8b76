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

from parsing.checks.structure import national_codes
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


_SUBJECT = r"(收入预算|支出预算|收入支出总计|本年收入合计|本年支出合计|基本支出|项目支出|人员经费|公用经费|机关运行经费(?:预算)?为?|经费预算数为)"


def amounts(pages, lib) -> Change | None:
    hit = _first(pages, _SUBJECT + r"(\d[\d,]*\.\d+)万元")
    if not hit:
        return None
    page, m = hit
    return Change("amounts", m.group(0), m.group(1) + _bump(m.group(2)) + "万元", page)


def units(pages, lib) -> Change | None:
    hit = _first(pages, _SUBJECT + r"(\d[\d,]*\.\d+)万元")
    if not hit:
        return None
    page, m = hit
    return Change("units", m.group(0), m.group(1) + m.group(2) + "元", page)


def shares(pages, lib) -> Change | None:
    hit = _first(pages, r"万元，占(\d{1,2}\.\d\d)%")
    if not hit:
        return None
    page, m = hit
    value = float(m.group(1))
    return Change(
        "shares",
        m.group(0),
        m.group(0).replace(m.group(1), f"{value + 3.33 if value < 90 else value - 3.33:.2f}"),
        page,
    )


def words(pages, lib) -> Change | None:
    flips = {"增加": "减少", "减少": "增加", "小于": "大于", "大于": "小于"}
    for pattern in (
        r"决算数(小于|大于)预算数",
        r"(减少|增加)\d[\d,.]*万元，(?:下降|增长)",
        r"比20\d\d年预算(增加|减少)\d[\d,.]*万元",
    ):
        hit = _first(pages, pattern)
        if hit:
            page, m = hit
            word = m.group(1)
            return Change("words", m.group(0), m.group(0).replace(word, flips[word], 1), page)
    return None


def years(pages, lib) -> Change | None:
    year = int(lib.documents["year"][0])
    for pattern in (
        rf"{year}年部门预算编制说明",
        rf"{year}年(?:度)?[“\"]三公[”\"]经费",
        rf"截至{year}年12月31日",
        rf"{year}年(?:部门|预算单位)\w{{2,12}}表",
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
    for kind in ("三公经费", "经济分类", "财政拨款收支总表"):
        table = lines.filter(pl.col("table_kind") == kind)
        if table.height:
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
            if code not in national or not siblings or not page or not name:
                continue
            words = doc[page - 1].get_text("words")
            lines = [w[1] for w in words if w[4] == name.replace(" ", "")]
            for w in words:
                if any(abs(w[1] - y) < 3 for y in lines) and w[4] in (code, code[-2:]):
                    new = siblings[0] if w[4] == code else siblings[0][-2:]
                    return Change("codes", w[4], new, page, rect=tuple(w[:4]))
    return None


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
    for attempt in range(3):
        with pymupdf.open(source) as doc:
            page = doc[change.page - 1]
            rects = [pymupdf.Rect(change.rect)] if change.rect else page.search_for(change.old)
            if not rects:
                raise ValueError(f"{change.old!r} not found on page {change.page}")
            rect = _whole(rects)
            size, baseline = _size(page, rect)
            page.add_redact_annot(rect, fill=(1, 1, 1))
            page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE, graphics=pymupdf.PDF_REDACT_LINE_ART_NONE)
            width = pymupdf.get_text_length(change.new, fontname=FONT, fontsize=size)
            if width > rect.width:
                size *= rect.width / width
            y = (baseline, rect.y1 - rect.height * 0.2, rect.y0 + size * 0.9)[attempt]
            page.insert_text((rect.x0, y), change.new, fontname=FONT, fontsize=size)
            if _readable(doc.tobytes(), change):
                target.parent.mkdir(parents=True, exist_ok=True)
                doc.save(target, garbage=3, deflate=True)
                return
    raise ValueError(f"{change.new!r} is not read back in its line on page {change.page}")


def _readable(pdf: bytes, change: Change) -> bool:
    """Whether pdfplumber reads the new words, whole, in the line they were written into."""
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = doc.pages[change.page - 1].extract_text(y_tolerance=5) or ""
    lines = [re.sub(r"\s+", "", l) for l in text.split("\n")]
    new = re.sub(r"\s+", "", change.new)
    return any(new in l and len(l) > len(new) for l in lines) if len(new) > 2 else True


def _whole(rects: list) -> object:
    """The first hit's whole area: a hit whose digits sit lower than its CJK text (ONLYOFFICE
    PDFs) comes back as several rects side by side on one line."""
    first = rects[0]
    whole = first
    for r in rects[1:]:
        if r.y0 <= whole.y1 and r.y1 >= whole.y0 and -1 <= r.x0 - whole.x1 < 4:
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


def altered_copies(sources: list[Path], out: Path) -> list[tuple[Path, Path, Change]]:
    """(genuine file, altered copy, change) for every mutation that applies to every source."""
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
                except ValueError:
                    continue
            made.append((source, target, change))
    return made
