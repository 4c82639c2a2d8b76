"""The filing as a whole: every table its 目录 lists is printed (an empty one with its 空表说明),
and each 功能分类 code carries its national name.

Scope: 目录 entries that name a table (…表) in 部门预算, 单位预算 and 部门决算, against the tables
read (their titles, a footnote's table, the readers' ``tables`` frame); 功能分类 rows with a code in
the shipped national table (``data/function_codes.tsv``), whatever the column or 口径.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import cache
from pathlib import Path

import polars as pl

from parsing.checks.base import Rule, finding, page, unchecked
from parsing.checks.prose import texts
from parsing.library import Library
from parsing.schema import Row

CODES_FILE = Path(__file__).with_name("data") / "function_codes.tsv"
_ENTRY = re.compile(
    r"^(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*)?(.{4,60}?表(?:[（(][^）)]{1,12}[）)])?)[\s.…·\d]*$"
)
_EMPTY_NOTE = re.compile(r"无数据|空表|无发生额|无.{0,20}(收入|支出|预算|决算|安排)|不涉及|没有|未安排|为零|为0")


@cache
def national_codes() -> dict[str, str]:
    """code → national name, from the shipped table (comment lines skipped)."""
    rows = [l.split("\t") for l in CODES_FILE.read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")]
    return {code: _norm(name) for code, name, *_ in rows[1:]}


def _norm(name: str | None) -> str:
    text = re.sub(r"\s+", "", name or "").replace("(", "（").replace(")", "）").replace("其它", "其他")
    return re.sub(r"^[\d\-\[\]【】.．、]+", "", text)


def _key(title: str) -> str:
    """A title without its year, numbering, quotes and unit, for matching 目录 ↔ body."""
    text = re.sub(
        r"20\d\d年度?|（\d+）|^\s*[（(]?[一二三四五六七八九十\d]+[)）、.．]|[“”\"'‘’\s]|部门|单位|预算|决算|情况|明细|一览",
        "",
        title or "",
    )
    text = re.sub(r"^(?:#\d+|(?:部门公开|公开|预算)?表?\d+(?:-\d+)?表?)", "", text)
    return text.replace("(", "（").replace(")", "）")


def _same(a: str, b: str) -> bool:
    """Two title keys name the same table: equal, nearly equal, or one most of the other."""
    short, long = sorted((a, b), key=len)
    return bool(short) and (
        SequenceMatcher(None, a, b).ratio() >= 0.85 or (short in long and len(short) >= 0.7 * len(long))
    )


def _printed(lib: Library, doc_id: str) -> list[tuple[str, int | None]]:
    """(title key, first page) of every table read in a filing."""
    frames = [lib.budget_lines, lib.notes]
    tables = getattr(lib, "tables", None)
    if tables is not None and "source_table" in tables.columns:  # as cited (表3 支出总表): a bare 支出总表
        frames.append(tables)
    titles = (
        pl.concat([f.filter(pl.col("doc_id") == doc_id).select("source_table", "source_page") for f in frames])
        .drop_nulls("source_table")
        .group_by("source_table")
        .agg(pl.col("source_page").min())
    )
    return [(_key(t), p) for t, p in titles.rows()]


def _offset(entries: list[tuple[str, int | None]], printed: list[tuple[str, int | None]]) -> int | None:
    """How far the PDF's pages run from the page numbers the 目录 prints: the difference most of
    its entries found in the body agree on (two at least), else None."""
    found = [
        page - listed
        for key, listed in entries
        if listed is not None
        for page in [next((p for t, p in printed if p is not None and _same(key, t)), None)]
        if page is not None
    ]
    best = max(set(found), key=found.count) if found else None
    return best if best is not None and found.count(best) >= 2 and found.count(best) * 2 > len(found) else None


def _toc(lib: Library) -> list[Row]:
    """Every table the 目录 lists is printed. A table whose title the reader could not make out
    may be a missing entry (then "未核"), unless the 目录's page numbers place the entry elsewhere."""
    out = []
    front = texts(lib).filter(pl.col("part_no").is_null(), pl.col("text").str.contains("目\\s*录"))
    # Tables the reader saw but whose title it could not make out (only a number: 公开02表, 表5),
    # whatever kind their columns told: the 目录 names tables by title, so these may be its entries.
    bare = (
        pl.col("source_table").fill_null("").str.replace_all(r"[\s公开表第\d部门预算（）()#-]", "").str.len_chars() == 0
    )
    unread = pl.concat(
        [
            lib.notes.filter(pl.col("kind") == "unrecognised_table", bare).select(
                "doc_id", "source_table", "source_page"
            ),
            lib.tables.filter(bare).select("doc_id", "source_table", "source_page"),
        ]
    ).unique()
    for r in front.iter_rows(named=True):
        printed = _printed(lib, r["doc_id"])
        if not printed:
            continue
        heading = re.search(r"目\s*录", r["text"])
        if heading is None:
            continue
        entries: list[tuple[str, int | None]] = []
        for line in r["text"][heading.end() :].split("\n"):
            line = line.strip().lstrip("-*#> ").strip()
            m = _ENTRY.match(line)
            if not m or re.search("说明|部分|报表$|公开表$", m.group(1)):
                continue
            number = re.search(r"(\d{1,3})\s*$", line[m.end(1) :])
            entries.append((m.group(1).strip(), int(number.group(1)) if number else None))
        keyed = [(_key(title), listed) for title, listed in entries]
        missing = [
            (title, listed)
            for (title, listed), (key, _) in zip(entries, keyed, strict=True)
            if len(key) >= 4 and not any(_same(key, t) for t, _ in printed)
        ]
        offset = _offset(keyed, printed)
        pages = unread.filter(pl.col("doc_id") == r["doc_id"])["source_page"].to_list()
        for title, listed in missing:
            found = finding(
                TOC,
                "error",
                r,
                rows=f"目录 {title}",
                message=f"目录列有“{title}”（{page(r)}），正文未见此表（也无空表说明）",
            )
            # A table whose title the reader could not make out may be this one: any such table,
            # or, where the 目录's page numbers tell where the entry is, one printed there.
            at = listed + offset if listed is not None and offset is not None else None
            could = [p for p in pages if at is None or p is None or abs(p - at) <= 1]
            out.append(
                unchecked(found, f"本文件有 {len(could)} 张表未能识别")
                if could and len(missing) <= len(pages)
                else found
            )
    return out


def _empty(lib: Library) -> list[Row]:
    """A table printed with no amount at all carries a note saying why (空表说明)."""
    out = []
    lines = lib.budget_lines.group_by("doc_id", "source_table").agg(
        (pl.col("amount").fill_null(0) != 0).sum().alias("figures"),
        (pl.col("amount_text").fill_null("").str.strip_chars() != "").sum().alias("printed"),
        pl.col("source_file").first(),
        pl.col("source_page").min(),
        pl.col("source_line").min(),
    )
    notes = (
        pl.concat(
            [
                lib.notes.select("doc_id", "source_table", pl.col("detail").alias("text")),
                lib.budget_lines.select("doc_id", "source_table", pl.col("name").alias("text")),
            ]
        )
        .group_by("doc_id", "source_table")
        .agg(pl.col("text").drop_nulls().str.join("；").alias("notes"))
    )
    prose = {d: t for d, t in texts(lib).group_by("doc_id").agg(pl.col("flat").str.join("")).rows()}
    for r in (
        lines.filter(pl.col("figures") == 0)
        .join(notes, on=["doc_id", "source_table"], how="left")
        .iter_rows(named=True)
    ):
        core = re.search(
            r"政府性基金|国有资本经营|三公|机关运行|政府采购|项目支出|上级补助|事业单位经营", r["source_table"] or ""
        )
        said = core and re.search(rf"(无|没有|不涉及|未安排)[^。；]{{0,30}}{core.group(0)}", prose.get(r["doc_id"], ""))
        if _EMPTY_NOTE.search(r["notes"] or "") or said:
            continue
        found = finding(
            TOC,
            "error",
            r,
            rows=f"空表 {r['source_table']}",
            message=f"{r['source_table']}（{page(r)}）无任何金额，也无空表说明",
        )
        # Blank cells throughout may be cells the reader did not read, not an empty table.
        out.append(found if r["printed"] else unchecked(found, "表中未读出任何数字"))
    return out


def _codes(lib: Library) -> list[Row]:
    """A 功能分类 code printed with a name that is another code's national name is an error (a
    swapped or mistyped code); any other difference is a note (local wording, a renamed 科目)."""
    national = national_codes()
    by_name: dict[str, list[str]] = {}
    for code, name in national.items():
        by_name.setdefault(name, []).append(code)
    rows = lib.budget_lines.filter(pl.col("classification") == "function", pl.col("code").is_in(list(national))).unique(
        ["doc_id", "source_table", "code", "name"], maintain_order=True
    )
    out = []
    for r in rows.iter_rows(named=True):
        printed, expected = _norm(r["name"]), national[r["code"]]
        if not printed or printed == expected or (len(printed) >= 4 and (printed in expected or expected in printed)):
            continue
        others = [c for c in by_name.get(printed, []) if c != r["code"] and len(c) == len(r["code"])]
        siblings = [c for c in others if len(c) == 3 or c[:-2] == r["code"][:-2]]
        others = siblings or others
        severity = "error" if siblings else "note"
        out.append(
            finding(
                CODES,
                severity,
                r,
                rows=f"{r['code']} {r['name']}",
                message=f"科目编码与名称不符：{r['source_table']} 印“{r['code']} {r['name']}”（{page(r)}）；"
                f"政府收支分类科目 {r['code']} 为“{expected}”" + (f"，“{printed}”为 {others[0]}" if others else ""),
            )
        )
    return out


TOC = Rule(
    "T-TOC",
    "目录所列各表俱在，空表有说明",
    "Every table in the 目录 is printed, empty ones explained",
    lambda lib: _toc(lib) + _empty(lib),
    "toc",
)
CODES = Rule(
    "T-CODE", "功能分类科目编码与国家科目名称一致", "功能分类 codes carry their national names", _codes, "codes"
)
STRUCTURE_RULES = (TOC, CODES)
