"""The filing's identity in its own words: its year where the year must be its own, the issuer
named the same way throughout (``issuer.py``), and no template placeholder left in (text, part
headings as printed, table titles and rows).

Scope: every section of 部门预算, 单位预算 and 部门决算 (cover and 目录 included) and the table
titles. Years: a heading or title naming the filing's own budget or 决算 ('2025年部门预算编制
说明', '2024年度部门决算', '2026年部门综合预算', '2025年“三公”经费预算数', a table title '2025年部门收入预算总表') and
a stock date ('截至 2024年12月31日': a 决算's own year, a budget's year or the one before).
Comparisons ('比2024年', '与2023年度相比', '上年') are not claims about the filing's year.
"""

from __future__ import annotations

import re

import polars as pl

from parsing.checks.base import Rule, finding, page
from parsing.checks.issuer import ISSUER, PLACEHOLDER_TEXT
from parsing.checks.prose import KINDS, Clause, clauses
from parsing.library import Library
from parsing.schema import Row

_OWN_YEAR = re.compile(
    r"(?<![比较与和至到])(20\d\d)年度?(?:部门|单位)?(?:预算编制说明|部门预算|单位预算|部门决算|单位决算|预算情况说明|决算情况说明"
    r"|综合预算|[“\"]三公[”\"]经费(?:财政拨款)?(?:支出)?(?:预算|决算)|本部门政府采购|部门预算安排|项目预算绩效目标)"
)
_AS_OF = re.compile(r"截[至止](20\d\d)年(\d{1,2})月(\d{1,2})日")
_TITLE_YEAR = re.compile(r"(20\d\d)年")


def _years(lib: Library) -> list[Row]:
    out = []
    for clause in clauses(lib):
        year, kind = clause.doc["year"], clause.doc["kind"]
        if year is None:
            continue
        for m in _OWN_YEAR.finditer(clause.text):
            if int(m.group(1)) != year and not re.search(
                r"比|较|与|上年|以前|截[至止]", clause.text[max(0, m.start() - 4) : m.start()]
            ):
                out.append(_year_finding(clause, m.group(0), year))
        for m in _AS_OF.finditer(clause.text):
            stated = int(m.group(1))
            allowed = {year} if kind == "部门决算" else {year - 1, year}
            if stated not in allowed:
                out.append(_year_finding(clause, m.group(0), year))
    headed = lib.sections.join(lib.documents.select("doc_id", "year"), on="doc_id")
    for r in headed.filter(pl.col("heading").is_not_null() & pl.col("year").is_not_null()).iter_rows(named=True):
        # a part's heading as the body prints it ('2025年部门预算编制说明'), which its text no longer holds
        for m in _OWN_YEAR.finditer(r["heading"]):
            if int(m.group(1)) != r["year"]:
                out.append(_printed_year(r, f"标题 {m.group(0)}", m.group(1), f"标题写“{m.group(0)}”"))
    out += _header_years(lib)
    titles = (
        pl.concat([lib.budget_lines.select(*_SOURCE), lib.notes.select(*_SOURCE)])
        .unique(["doc_id", "source_table"])
        .join(lib.documents.select("doc_id", "year"), on="doc_id")
    )
    for r in titles.iter_rows(named=True):
        title_year = _TITLE_YEAR.search(r["source_table"] or "")
        if (
            title_year
            and r["year"]
            and int(title_year.group(1)) != r["year"]
            and not re.search(r"比|上年|较", r["source_table"])
        ):
            out.append(
                finding(
                    YEARS,
                    "error",
                    r,
                    rows=f"表题 {r['source_table']}",
                    actual=float(title_year.group(1)),
                    expected=float(r["year"]),
                    message=f"表题年份 {title_year.group(1)} 与文件年度 {r['year']} 不符：“{r['source_table']}”（{page(r)}）",
                )
            )
    return out


_SOURCE = ("doc_id", "source_file", "source_page", "source_line", "source_table")
#: A column label that is a year's own figure ('2024年“三公”经费预算数', '2026年预算数'), not prose.
_COLUMN_YEAR = re.compile(r"^(20\d\d)年[^，。；、]{0,12}(?:预算数|决算数|预算|决算)$")


def _printed_year(r: Row, rows: str, printed: str, what: str) -> Row:
    """✗ for a year printed in a heading or a column label that is not the filing's own."""
    message = f"{r['year']}年的文件{what}（{page(r)}）"
    return finding(YEARS, "error", r, rows=rows, actual=float(printed), expected=float(r["year"]), message=message)


def _header_years(lib: Library) -> list[Row]:
    """A table column labelled with a year after the filing's own ('2024年“三公”经费预算数' in a
    2023 budget): a column of last year's figures is common, one of next year's never is."""
    tables = getattr(lib, "tables", None)
    if tables is None or "header" not in tables.columns:
        return []
    out = []
    for r in tables.join(lib.documents.select("doc_id", "year"), on="doc_id").iter_rows(named=True):
        for label in dict.fromkeys(h.split("·")[0] for h in r["header"] or []):  # a group once
            m = _COLUMN_YEAR.match(label)
            if m and r["year"] and int(m.group(1)) > r["year"]:
                out.append(_printed_year(r, f"栏目 {label}", m.group(1), f"中表 {r['table_no']} 的栏目写“{label}”"))
    return out


def _year_finding(clause: Clause, what: str, year: int) -> Row:
    return finding(
        YEARS,
        "error",
        clause.at,
        rows=f"说明 {what}",
        actual=float(what_year.group(0)) if (what_year := re.search(r"20\d\d", what)) else None,
        expected=float(year),
        message=f"{year}年的文件写“{what}”（{page(clause.at)}）",
    )


def _placeholders(lib: Library) -> list[Row]:
    """A template placeholder (XX局, ××, 某某, {单位}) left in any section's text or a table's
    title or row name (not Latin words that contain XX)."""
    out = []
    for clause in clauses(lib):
        for m in PLACEHOLDER_TEXT.finditer(clause.text):
            around = clause.text[max(0, m.start() - 10) : m.end() + 10]
            out.append(
                finding(
                    PLACEHOLDER,
                    "error",
                    clause.at,
                    rows=f"占位符 {m.group(0)}",
                    message=f"模板占位符未替换：“{around}”（{page(clause.at)}）",
                )
            )
    docs = lib.documents.filter(pl.col("kind").is_in(KINDS)).select("doc_id")
    for r in lib.sections.join(docs, on="doc_id").filter(pl.col("heading").is_not_null()).iter_rows(named=True):
        # A part's heading as the body prints it ('XX局（部门）主要职能').
        for m in PLACEHOLDER_TEXT.finditer(r["heading"]):
            out.append(
                finding(
                    PLACEHOLDER,
                    "error",
                    r,
                    rows=f"占位符 {m.group(0)}",
                    message=f"模板占位符未替换：标题“{r['heading']}”（{page(r)}）",
                )
            )
    rough = "XX|xx|ＸＸ|××|某某|＊＊|\\{"
    names = lib.budget_lines.filter(
        pl.col("name").fill_null("").str.contains(rough) | pl.col("source_table").fill_null("").str.contains(rough)
    ).unique(["doc_id", "source_table", "name"])
    for r in names.iter_rows(named=True):
        if not PLACEHOLDER_TEXT.search(f"{r['name']} {r['source_table']}"):
            continue
        out.append(
            finding(
                PLACEHOLDER,
                "error",
                r,
                rows=f"占位符 {r['name']}",
                message=f"模板占位符未替换：{r['source_table']}“{r['name']}”（{page(r)}）",
            )
        )
    return out


YEARS = Rule(
    "T-YEAR-OWN",
    "标题、表题与截至日期的年度为本年",
    "Headings, titles and as-of dates carry the filing's year",
    _years,
    "years",
)
PLACEHOLDER = Rule(
    "T-PLACEHOLDER", "无未替换的模板占位符", "No template placeholder left in", _placeholders, "placeholders"
)
IDENTITY_RULES = (YEARS, ISSUER, PLACEHOLDER)
