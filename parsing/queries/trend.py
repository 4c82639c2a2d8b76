"""Trend: one department's code or metric over every loaded year, with the change from year to year.

The series keeps only years that print the figure; a year whose filing lacks it is a gap, not a
zero (``missing`` lists those years, so a chart can say so).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from parsing.library import Library
from parsing.numbers import format_amount
from parsing.queries.subjects import WHERE, Subject, filings, values

COLUMNS = ["year", "amount", "unit", "share", "delta", "delta_pct", "name", "table_kind", "kind", "doc_id", *WHERE]


@dataclass
class Trend:
    """A department's series for a subject."""

    department: str
    subject: Subject
    series: pl.DataFrame  # COLUMNS, one row per year that prints the figure, oldest first
    missing: list[int] = field(default_factory=list)  # years with a filing that lacks the figure

    @property
    def name(self) -> str:
        names = self.series["name"].drop_nulls()
        return names[-1] if names.len() else ""

    def points(self) -> list[tuple[int, float]]:
        return [(y, a) for y, a in self.series.select("year", "amount").iter_rows() if a is not None]


def trend(lib: Library, department: str, subj: Subject) -> Trend:
    """``subj`` in each year's filing of ``department``, oldest first, with Δ and Δ% on the year before."""
    got = values(lib, subj, departments=[department]).sort("year")
    prior = pl.col("amount").shift(1)
    consecutive = pl.col("year").shift(1) == pl.col("year") - 1
    delta = pl.when(consecutive).then((pl.col("amount") - prior).round(6))
    series = got.with_columns(
        delta.alias("delta"),
        pl.when(consecutive & (prior != 0))
        .then(((pl.col("amount") - prior) / prior * 100).round(2))
        .alias("delta_pct"),
    ).select(COLUMNS)
    if subj.metric == "执行率":
        filed = lib.documents.filter(pl.col("department") == department)["year"]
    else:
        filed = filings(lib, subj.phase, departments=[department])["year"]
    missing = sorted(set(filed.drop_nulls().to_list()) - set(series["year"].to_list()))
    return Trend(department, subj, series, missing)


def format_trend(t: Trend) -> str:
    """The series as plain text for the command line."""
    lines = [f"{t.department} · {t.subject.title(t.name)} · 单位：{t.subject.unit}"]
    lines.append(f"{'年度':>6}  {'金额':>12}  {'增减':>10}  {'增减%':>8}  来源")
    for r in t.series.iter_rows(named=True):
        where = r["source_table"] or r["table_kind"] or ""
        delta = "" if r["delta"] is None else format_amount(r["delta"], sign=True)
        pct = "" if r["delta_pct"] is None else f"{r['delta_pct']:.2f}%"
        lines.append(f"{r['year']:>6}  {format_amount(r['amount']):>12}  {delta:>10}  {pct:>8}  {where}")
    if t.missing:
        lines.append(f"未列示：{'、'.join(str(y) for y in t.missing)} 年")
    return "\n".join(lines)
