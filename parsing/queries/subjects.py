"""One figure per filing: a 科目编码 (any level, 功能 or 经济分类) in one measure, or a derived metric.

Peers (many departments, one year) and trends (one department, many years) both ask "what is X
in this department's filing of that year", so the answer is computed here once, for any set of
departments and years, with whole-library Polars expressions (no loop over filings).

Decisions, each made for the phenomenon rather than a district:
- A department-year has one filing per phase: 预算 is its 部门预算 (else its 单位预算), 决算 its
  部门决算; a genuine filing wins over a 示例 one, as everywhere in the queries.
- A code is read from the first table that prints it, in order of completeness: 支出总表 (every
  fund) before 功能分类 (一般公共预算 only) for 功能 codes; 经济分类 before 基本支出 for 经济 codes;
  收入总表 for 1xx revenue codes. The table used is named in the result.
- A code is read from one table: of the preferred kind, the first that prints it (two tables of
  one kind, such as 财政拨款基本支出表 and 一般公共预算基本支出表, print the same lines twice).
- A 类 printed by name only (杭州: 一般公共服务支出, no 201) is that code where its amounts make
  it a 类 (``levels``).
- A code printed under several 预算单位 of that table is summed: units partition a department.
- The measure is a column: the table's total (支出总计 / 合计 / 本年支出合计 / 决算数 …), 基本支出
  or 项目支出.
- Share is of the department's total spending: the 合计 row of its 支出总表 (else 功能分类), or
  the sum of its unit rows where no 合计 row is printed.
- 三公 is the 三公 table's 合计/总计 row in the filing's own year column (2023年, 预算数, 决算数),
  with the 上年 column's beside it where printed (peers fall back to it without last year's filing);
  项目支出占比 is 项目支出 ÷ total; 执行率 is the 部门决算's total ÷ the 部门预算's of the same
  year, else Σ actual ÷ Σ budget of a 绩效自评表's projects; 人均 is total spending ÷ the staff
  count printed in the 部门概况 part (共 74 人), only where one is printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from parsing.library import Library
from parsing.normalize import fold
from parsing.queries.levels import named_class
from parsing.queries.line_index import line_index
from parsing.queries.sangong import sangong

#: Derived metrics, by the name an analyst types (aliases on the right).
METRICS = {
    "三公": ("三公", "三公经费", "sangong"),
    "项目支出占比": ("项目支出占比", "项目占比", "项目支出share", "project_share"),
    "执行率": ("执行率", "预算执行率", "exec_rate"),
    "人均": ("人均", "人均支出", "per_head"),
}
#: Measures: the phase a 预算数/决算数 names, and 基本/项目 columns of a spending table.
MEASURES = {
    "预算数": ("预算数", "预算"),
    "决算数": ("决算数", "决算"),
    "基本支出": ("基本支出", "基本"),
    "项目支出": ("项目支出", "项目"),
}
PHASE_KINDS = {"预算": ("部门预算", "单位预算"), "决算": ("部门决算",)}
#: Column names that mean "the row's total", most specific first.
TOTAL_MEASURES = ("支出总计", "本年支出合计", "合计", "总计", "本年支出", "本年收入合计", "预算数", "决算数", "金额")
SPEND_TABLES = ("支出总表", "功能分类")
CODE_TABLES = {
    "2": ("支出总表", "功能分类", "政府性基金", "国有资本经营"),
    "3": ("经济分类", "基本支出"),
    "5": ("经济分类", "基本支出"),
    "1": ("收入总表",),
}
#: The first "共 N 人" (or 实有人员 N 人 …) of a 部门概况 part: the department's staff.
STAFF = re.compile(r"(?:共|实有人员|在职人员|在编人员|编制人数|人员编制|职工)\s*(\d+)\s*[人名]")
SOURCE = ["source_file", "source_page", "source_line", "source_table"]
#: Where the figure is printed: provenance, and table_no/row_no to find its row in a browser.
WHERE = ["table_no", "row_no", *SOURCE]
VALUE_COLUMNS = [
    "department",
    "year",
    "doc_id",
    "kind",
    "amount",
    "printed_prior",  # last year's figure as this filing prints it (三公's 上年 column), else null
    "unit",
    "share",
    "name",
    "table_kind",
    *WHERE,
]


@dataclass(frozen=True)
class Subject:
    """What is compared: a code in a measure, or a metric (then ``measure`` picks only the phase)."""

    code: str | None = None
    metric: str | None = None
    measure: str = "预算数"
    table_kind: str | None = None  # read a code from this table first (the one on screen)

    @property
    def phase(self) -> str:
        return "决算" if self.measure == "决算数" else "预算"

    @property
    def label(self) -> str:
        if self.metric:
            return self.metric if self.metric in ("执行率", "项目支出占比") else f"{self.metric}（{self.measure}）"
        return f"{self.code} {self.measure}"

    def title(self, name: str | None = None) -> str:
        """For a heading: 2010804 审计业务 · 预算数, 三公经费 · 预算数, 执行率."""
        if self.metric:
            return self.label.replace("（", " · ").rstrip("）")
        return f"{self.code} {name or ''}".strip() + f" · {self.measure}"

    @property
    def unit(self) -> str:
        return {"执行率": "%", "项目支出占比": "%", "人均": "万元/人"}.get(self.metric or "", "万元")


def subject(
    code: str | None = None, metric: str | None = None, measure: str | None = None, table_kind: str | None = None
) -> Subject:
    """A Subject from what a person typed; ValueError naming the choices when it is not one."""
    if (code is None) == (metric is None):
        raise ValueError("请给出科目编码或指标（三公、项目支出占比、执行率、人均）之一，不要同时给出")
    wanted = fold(measure or "预算数")
    found = next((m for m, names in MEASURES.items() if wanted in {fold(n) for n in names}), None)
    if found is None:
        raise ValueError(f"没有“{measure}”这一栏（可用：{'、'.join(MEASURES)}）")
    if code is not None:
        code = fold(code)
        if not re.fullmatch(r"\d{3}(\d{2}){0,3}", code):
            raise ValueError(f"“{code}”不是科目编码（应为 3、5、7 或 9 位数字）")
        return Subject(code=code, measure=found, table_kind=table_kind)
    name = fold(metric)
    hit = next((m for m, names in METRICS.items() if name in {fold(n) for n in names}), None)
    if hit is None:
        raise ValueError(f"没有“{metric}”这一指标（可用：{'、'.join(METRICS)}）")
    return Subject(metric=hit, measure=found)


def filings(
    lib: Library, phase: str, departments: Iterable[str] | None = None, years: Iterable[int] | None = None
) -> pl.DataFrame:
    """One filing per department and year for a phase (部门预算 before 单位预算, genuine before 示例)."""
    kinds = PHASE_KINDS[phase]
    docs = lib.documents.filter(pl.col("kind").is_in(kinds))
    if departments is not None:
        docs = docs.filter(pl.col("department").is_in(list(departments)))
    if years is not None:
        docs = docs.filter(pl.col("year").is_in(list(years)))
    order = pl.col("kind").replace_strict(list(kinds), list(range(len(kinds))), return_dtype=pl.Int32)
    return (
        docs.sort(order, pl.col("synthetic").fill_null(False), "doc_id")
        .unique(["department", "year"], keep="first", maintain_order=True)
        .select("doc_id", "department", "year", "kind")
    )


def values(
    lib: Library, subj: Subject, departments: Iterable[str] | None = None, years: Iterable[int] | None = None
) -> pl.DataFrame:
    """The subject's figure in each department-year that has it (columns VALUE_COLUMNS)."""
    departments = list(departments) if departments is not None else None
    years = list(years) if years is not None else None
    if subj.metric == "执行率":
        return _exec_rates(lib, departments, years)
    docs = filings(lib, subj.phase, departments, years)
    ids = docs["doc_id"].implode()
    index = line_index(lib, docs["doc_id"])
    lines = index.aggregates.filter(pl.col("doc_id").is_in(ids))
    totals = _spend_totals(lines, TOTAL_MEASURES)
    if subj.code is not None:
        coded = index.code(subj.code).filter(pl.col("doc_id").is_in(ids))
        named = named_class(lines.filter(~pl.col("doc_id").is_in(coded["doc_id"].implode())), subj.code)
        found = _code_figures(pl.concat([coded, named.select(coded.columns)]), subj)
    elif subj.metric == "三公":
        found = _sangong(lines, docs)
    elif subj.metric == "项目支出占比":
        project = _spend_totals(lines, ("项目支出",)).rename({"amount": "project"})
        found = (
            project.join(totals, on="doc_id")
            .filter(pl.col("amount") != 0)
            .with_columns((pl.col("project") / pl.col("amount") * 100).round(2).alias("amount"))
            .drop("project")
        )
    else:  # 人均
        staff = staff_counts(lib, docs["doc_id"])
        found = (
            totals.join(staff, on="doc_id")
            .filter(pl.col("staff") > 0)
            .with_columns(
                (pl.col("amount") / pl.col("staff")).round(4).alias("amount"),
                pl.format("总支出 ÷ {} 人", "staff").alias("name"),
            )
            .drop("staff")
        )
    share = pl.lit(None, pl.Float64)
    if subj.unit == "万元":
        share = pl.when(pl.col("total") != 0).then((pl.col("amount") / pl.col("total") * 100).round(2))
    if "printed_prior" not in found.columns:
        found = found.with_columns(pl.lit(None, pl.Float64).alias("printed_prior"))
    return (
        found.join(totals.select("doc_id", pl.col("amount").alias("total")), on="doc_id", how="left")
        .join(docs, on="doc_id")
        .with_columns(share.alias("share"), pl.lit(subj.unit).alias("unit"))
        .select(VALUE_COLUMNS)
        .sort("year", "department")
    )


def _first_by(df: pl.DataFrame, rank: pl.Expr, group: str = "doc_id") -> pl.DataFrame:
    """Rows whose ``rank`` is the lowest of their group."""
    return (
        df.with_columns(rank.alias("_rank")).filter(pl.col("_rank") == pl.col("_rank").min().over(group)).drop("_rank")
    )


def _rank_of(col: str, order: tuple[str, ...]) -> pl.Expr:
    return pl.col(col).replace_strict(list(order), list(range(len(order))), default=None, return_dtype=pl.Int32)


def _code_figures(lines: pl.DataFrame, subj: Subject) -> pl.DataFrame:
    """Per filing: the code's amount in the preferred table and column, summed over units."""
    tables = CODE_TABLES.get((subj.code or "0")[0], ())
    if subj.table_kind in tables:
        tables = (subj.table_kind, *(t for t in tables if t != subj.table_kind))
    measures = TOTAL_MEASURES if subj.measure in ("预算数", "决算数") else (subj.measure,)
    hits = lines.filter(
        (pl.col("code") == subj.code) & pl.col("table_kind").is_in(tables) & pl.col("measure").is_in(measures)
    )
    hits = _first_by(hits.with_row_index("_printed"), _rank_of("table_kind", tables))
    hits = _first_by(hits, _rank_of("measure", measures))
    # One table: two of a kind (财政拨款基本支出表 and 一般公共预算基本支出表) print the same lines.
    first = pl.col("_printed").min().over("doc_id", pl.col("table_no"), pl.col("source_table"))
    hits = _first_by(hits, first).drop("_printed").sort("doc_id", "row_no")
    return hits.group_by("doc_id", maintain_order=True).agg(
        pl.col("amount").sum(),
        pl.col("name").first(),
        pl.col("table_kind").first(),
        *(pl.col(c).first() for c in WHERE),
    )


def _spend_totals(lines: pl.DataFrame, measures: tuple[str, ...]) -> pl.DataFrame:
    """Per filing: the 合计 row of its spending table in the first of ``measures`` it prints (the
    sum of its unit rows where no 合计 row is printed)."""
    rows = lines.filter(
        pl.col("table_kind").is_in(SPEND_TABLES)
        & pl.col("code").is_null()
        & pl.col("row_kind").is_in(["total", "unit_total"])
        & pl.col("measure").is_in(measures)
    )
    rows = _first_by(rows, _rank_of("table_kind", SPEND_TABLES))
    rows = _first_by(rows, _rank_of("measure", measures))
    rows = _first_by(rows, pl.when(pl.col("row_kind") == "total").then(0).otherwise(1)).sort("doc_id", "row_no")
    return rows.group_by("doc_id", maintain_order=True).agg(
        pl.when(pl.col("row_kind").first() == "total")
        .then(pl.col("amount").first())
        .otherwise(pl.col("amount").sum())
        .alias("amount"),
        pl.col("measure").first().alias("name"),
        pl.col("table_kind").first(),
        *(pl.col(c).first() for c in WHERE),
    )


def _sangong(lines: pl.DataFrame, docs: pl.DataFrame) -> pl.DataFrame:
    """Per filing: its 三公 total in its own year's column, however the table is laid out
    (``queries.sangong``: items as rows or as columns)."""
    table = lines.filter(pl.col("table_kind") == "三公经费")
    by_doc = {key[0]: part for key, part in table.partition_by("doc_id", as_dict=True).items()}
    found = []
    for doc in docs.select("doc_id", "year", "kind").iter_rows(named=True):
        if doc["doc_id"] not in by_doc:
            continue
        parts = sangong(by_doc[doc["doc_id"]], doc["year"], doc["kind"])
        total, prior = parts.get("三公经费"), parts.get("上年")
        if total is not None:  # a 合计 the table prints blank is nil: 0, not unknown
            found.append({"doc_id": doc["doc_id"], "name": "三公经费", **total, "amount": total["amount"] or 0.0})
            found[-1]["printed_prior"] = prior["amount"] if prior else None
    columns = ["doc_id", "amount", "name", "table_kind", *WHERE]
    schema = pl.Schema({**table.select(columns).schema, "printed_prior": pl.Float64()})
    if not found:
        return pl.DataFrame(schema=schema).with_columns(pl.lit("三公经费").alias("name"))
    return pl.DataFrame([{c: r.get(c) for c in schema} for r in found], schema=schema)


def staff_counts(lib: Library, doc_ids: pl.Series) -> pl.DataFrame:
    """The staff count printed in each filing's 部门概况 (the first 共 N 人 of that part)."""
    parts = lib.sections_of(doc_ids).filter(pl.col("heading").str.contains("概况"))
    return (
        parts.sort("doc_id", "part_no")
        .with_columns(pl.col("text").str.extract(STAFF.pattern, 1).cast(pl.Int64, strict=False).alias("staff"))
        .filter(pl.col("staff").is_not_null())
        .group_by("doc_id", maintain_order=True)
        .agg(pl.col("staff").first())
    )


def _exec_rates(lib: Library, departments: list[str] | None, years: list[int] | None) -> pl.DataFrame:
    """决算 total ÷ 预算 total of the same year; else a 绩效自评表's Σ actual ÷ Σ budget."""
    budget, final = filings(lib, "预算", departments, years), filings(lib, "决算", departments, years)
    ids = pl.concat([budget["doc_id"], final["doc_id"]])
    totals = _spend_totals(
        line_index(lib, ids).aggregates.filter(pl.col("doc_id").is_in(ids.implode())), TOTAL_MEASURES
    )
    b = budget.join(totals.select("doc_id", pl.col("amount").alias("budget")), on="doc_id")
    f = final.join(totals, on="doc_id")
    both = f.join(b.select("department", "year", "budget"), on=["department", "year"]).filter(pl.col("budget") != 0)
    accounts = both.with_columns(
        (pl.col("amount") / pl.col("budget") * 100).round(2).alias("amount"), pl.lit("决算 ÷ 预算").alias("name")
    ).drop("budget")
    evals = lib.documents.filter(pl.col("kind") == "绩效自评表")
    if departments is not None:
        evals = evals.filter(pl.col("department").is_in(departments))
    if years is not None:
        evals = evals.filter(pl.col("year").is_in(years))
    evals = evals.sort(pl.col("synthetic").fill_null(False), "doc_id").unique(
        ["department", "year"], keep="first", maintain_order=True
    )
    projects = lib.projects.filter(
        pl.col("doc_id").is_in(evals["doc_id"].implode()) & (pl.col("row_kind") == "project")
    )
    rated = (
        projects.sort("doc_id")
        .group_by("doc_id", maintain_order=True)
        .agg(
            (pl.col("actual_total").sum() / pl.col("budget_total").sum() * 100).round(2).alias("amount"),
            pl.lit("项目 实际 ÷ 预算").alias("name"),
            pl.lit("绩效自评表").alias("table_kind"),
            pl.lit(None, pl.String).alias("table_no"),
            pl.lit(None, pl.Int32).alias("row_no"),
            *(pl.col(c).first() for c in SOURCE),
        )
        .filter(pl.col("amount").is_finite())
        .join(evals.select("doc_id", "department", "year", "kind"), on="doc_id")
        .join(accounts.select("department", "year"), on=["department", "year"], how="anti")
    )
    out = pl.concat([accounts.select(rated.columns), rated], how="vertical_relaxed")
    return (
        out.with_columns(
            pl.lit("%").alias("unit"),
            pl.lit(None, pl.Float64).alias("share"),
            pl.lit(None, pl.Float64).alias("printed_prior"),
        )
        .select(VALUE_COLUMNS)
        .sort("year", "department")
    )
