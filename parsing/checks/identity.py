"""The filing's identity in its own words: its year where the year must be its own, the issuer
named the same way throughout, and no template placeholder left in.

Scope: every section of 部门预算, 单位预算 and 部门决算 (cover and 目录 included) and the table
titles. Years: a heading or title naming the filing's own budget or 决算 ('2025年部门预算编制
说明', '2024年度部门决算', '2026年部门综合预算', '2025年“三公”经费预算数', a table title '2025年部门收入预算总表') and
a stock date ('截至 2024年12月31日': a 决算's own year, a budget's year or the one before).
Comparisons ('比2024年', '与2023年度相比', '上年') are not claims about the filing's year.
"""

from __future__ import annotations

import re
from collections import Counter

import polars as pl

from parsing.checks.base import Rule, finding, page
from parsing.checks.prose import Clause, clauses, line_at, texts
from parsing.library import Library
from parsing.schema import Row

_OWN_YEAR = re.compile(
    r"(?<![比较与和至到])(20\d\d)年度?(?:部门|单位)?(?:预算编制说明|部门预算|单位预算|部门决算|单位决算|预算情况说明|决算情况说明"
    r"|综合预算|[“\"]三公[”\"]经费(?:财政拨款)?(?:支出)?(?:预算|决算)|本部门政府采购|部门预算安排|项目预算绩效目标)"
)
_AS_OF = re.compile(r"截[至止](20\d\d)年(\d{1,2})月(\d{1,2})日")
_TITLE_YEAR = re.compile(r"(20\d\d)年")
_SLOT = re.compile(
    r"（部门）|（单位）|(?:20\d\d)?年?度?(?:部门|单位)(?:预算|决算)|概况|主要职能|机构设置|(?:20\d\d)年度?(?:收入|支出|财政拨款|“三公”|\"三公\")"
)
_PLACEHOLDER = re.compile(r"(?<![A-Za-z])(?:XX|xx|ＸＸ|××|xx|某某|\{单位\}|\{部门\}|＊＊)(?![A-Za-z])")


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


def _name_before(text: str, end: int) -> str:
    """The issuer's name printed just before ``end``: the run of CJK text after the last
    punctuation or figure, without a leading 年/度/本."""
    # A cover prints the name on the line above its title: the line break before the slot is
    # skipped, any other one ends the name.
    run = re.split(r"[，,。；;：:、\d\s“”\"《》（）()…．.·]|部分|目录|说明", text[max(0, end - 40) : end].rstrip())[-1]
    return re.sub(r"^(?:年度?|度|本|全|的)", "", run)


def _issuer(lib: Library) -> list[Row]:
    """The issuer is named the same way in every slot that names it (cover, '（部门）', '…部门
    预算包括'): the name most slots give is the filing's (a 预算单位 the tables list that a slot
    names too counts once more); a slot naming another body, where neither name contains the
    other and the tables list no such unit, is an error (a copied template)."""
    out = []
    # A 预算单位 the tables list excuses a slot naming it; the filing's own name (which the
    # readers give the tables when they list no unit) is no evidence for itself.
    own = lib.documents.select("doc_id", pl.col("department").alias("_own"))
    units = (
        lib.units.join(own, on="doc_id", how="left")
        .filter(pl.col("unit") != pl.col("_own").fill_null(""))
        .group_by("doc_id")
        .agg(pl.col("unit").drop_nulls())
    )
    units_by_doc = {d: [u for u in us if len(u) >= 4] for d, us in units.rows()}
    tables_by_doc = _table_units(lib)
    for (doc_id,), group in texts(lib).group_by("doc_id"):
        own_units = units_by_doc.get(doc_id, [])
        named: list[tuple[str, Row]] = []
        for r in group.iter_rows(named=True):
            for m in _SLOT.finditer(r["flat"]):
                name = _name_before(r["flat"], m.start())
                if len(name) >= 4 and re.search(r"[局处室会院所心队站部委府厅办]$", name):
                    named.append((name, line_at(r, m.start(), r["flat"])))
        counts = Counter(n for n, _ in named)
        # The tables' 部门/单位 lines vote too: a unit they name that a slot names as well; and
        # where every table names one and the same body other than the filing's (a text that
        # names its issuer once, on the cover), that body, once per table.
        counts.update(u for u in set(own_units) if u in counts)
        listed = tables_by_doc.get(doc_id)
        if listed is not None and listed["unit"].n_unique() == 1 and listed.height >= 2:
            counts[listed["unit"][0]] += listed.height
        if len(counts) < 2:
            continue
        issuer, times = counts.most_common(1)[0]
        if times < 2:
            continue
        other = listed.row(0, named=True) if listed is not None and listed["unit"][0] == issuer else None
        for name, r in named:
            subordinate = any(name in u or u in name for u in own_units if u != issuer)  # a 预算单位 of the filing
            if name not in issuer and issuer not in name and not subordinate and not _PLACEHOLDER.search(name):
                where = f"表中 {listed.height} 处单位名称" if other and listed is not None else f"全文其余 {times} 处"
                out.append(
                    finding(
                        ISSUER,
                        "error",
                        r,
                        rows=f"单位称谓 {name}",
                        message=f"单位称谓不一致：此处“{name}”（{page(r)}），{where}为“{issuer}”"
                        + (f"（{other['source_table']}，{page(other)}）" if other else ""),
                        other=other,
                    )
                )
    return out


def _table_units(lib: Library) -> dict[str, pl.DataFrame]:
    """Per filing, its tables whose printed 部门/单位 line names a body other than the filing's
    (a table without such a line carries the filing's own name)."""
    tables = getattr(lib, "tables", None)
    if tables is None or tables.is_empty():
        return {}
    named = tables.join(lib.documents.select("doc_id", "department"), on="doc_id").filter(
        pl.col("unit").is_not_null(), pl.col("unit") != pl.col("department").fill_null("")
    )
    # The first table read without doubt is the one a finding cites (the line is printed either way).
    first = [pl.col("sure").fill_null(False) & pl.col("table_kind").is_not_null(), "source_page"]
    return {d: g.sort(first, descending=[True, False]) for (d,), g in named.group_by("doc_id")}


def _placeholders(lib: Library) -> list[Row]:
    """A template placeholder (XX局, ××, 某某, {单位}) left in any section's text or a table's
    title or row name (not Latin words that contain XX)."""
    out = []
    for clause in clauses(lib):
        for m in _PLACEHOLDER.finditer(clause.text):
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
    rough = "XX|xx|ＸＸ|××|某某|＊＊|\\{"
    names = lib.budget_lines.filter(
        pl.col("name").fill_null("").str.contains(rough) | pl.col("source_table").fill_null("").str.contains(rough)
    ).unique(["doc_id", "source_table", "name"])
    for r in names.iter_rows(named=True):
        if not _PLACEHOLDER.search(f"{r['name']} {r['source_table']}"):
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
ISSUER = Rule("T-ISSUER", "单位称谓前后一致", "The issuer is named the same throughout", _issuer, "issuer")
PLACEHOLDER = Rule(
    "T-PLACEHOLDER", "无未替换的模板占位符", "No template placeholder left in", _placeholders, "placeholders"
)
IDENTITY_RULES = (YEARS, ISSUER, PLACEHOLDER)
