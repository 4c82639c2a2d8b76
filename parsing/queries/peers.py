"""Peers: every department's figure for one code or metric in one year, ranked, against last year.

The question of a budget committee — "who spends most on 信息化建设 (2010607)?", "where does our
委托业务费 rank?" — answered from the library in one frame: rank, department, amount, its share
of the department's total spending, last year's amount, Δ and Δ%, last year's rank and the
change of rank (positive: moved up). Departments with a filing of that year that does not print
the code are listed as ``absent``, departments without such a filing as ``no_filing``, so that
a missing line is never mistaken for a zero.
"""

from __future__ import annotations

import polars as pl

from parsing.library import Library
from parsing.numbers import format_amount
from parsing.queries.subjects import WHERE, Subject, filings, values

COLUMNS = [
    "rank",
    "department",
    "amount",
    "unit",
    "share",
    "prior",
    "delta",
    "delta_pct",
    "prior_rank",
    "rank_change",
    "status",
    "name",
    "table_kind",
    "kind",
    "doc_id",
    *WHERE,
]
STATUS_LABELS = {
    "ok": "",
    "absent": "未列示",
    "no_filing": "无该年文件",
    "only_final": "无该年预算，有决算",
    "only_budget": "无该年决算，有预算",
}
#: A department without the phase's filing that year but with the other phase's: what it has.
_OTHER_PHASE = {"预算": ("决算", "only_final"), "决算": ("预算", "only_budget")}


def peers(lib: Library, subj: Subject, year: int) -> pl.DataFrame:
    """Every department's figure for ``subj`` in ``year``, ranked by amount (largest first).

    Ties share a rank. ``prior``/``delta``/``delta_pct`` come from the same department's filing
    of the year before, else from the 上年 figure this year's filing prints (Δ% null when 0); ``rank_change`` = last year's rank − this
    year's, among the departments that had it then.
    """
    both = values(lib, subj, years=[year - 1, year])
    now = _ranked(both.filter(pl.col("year") == year))
    before = _ranked(both.filter(pl.col("year") == year - 1)).select(
        "department", pl.col("amount").alias("prior"), pl.col("rank").alias("prior_rank")
    )
    delta = (pl.col("amount") - pl.col("prior")).round(6)
    ranked = now.join(before, on="department", how="left")
    # Without last year's filing, last year's figure as this one prints it (三公 上年 59.66).
    ranked = ranked.with_columns(pl.coalesce("prior", "printed_prior").alias("prior")).with_columns(
        delta.alias("delta"),
        pl.when(pl.col("prior") != 0).then((delta / pl.col("prior") * 100).round(2)).alias("delta_pct"),
        (pl.col("prior_rank") - pl.col("rank")).alias("rank_change"),
        pl.lit("ok").alias("status"),
    )
    lacking = _lacking(lib, subj, year, ranked["department"])
    return pl.concat([ranked.select(COLUMNS), lacking.select(COLUMNS)], how="vertical_relaxed")


def _ranked(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(pl.col("amount").rank("min", descending=True).cast(pl.Int32).alias("rank")).sort(
        "rank", "department"
    )


def _lacking(lib: Library, subj: Subject, year: int, have: pl.Series) -> pl.DataFrame:
    """Departments without the figure: a filing of that year that lacks it, no such filing but
    one of the other phase (a 决算 where 预算数 is asked: said, with that filing), or none."""
    other = pl.lit("no_filing")
    if subj.metric == "执行率":
        filed = lib.documents.filter(pl.col("year") == year).unique("department").select("department", "kind", "doc_id")
    else:
        filed = filings(lib, subj.phase, years=[year]).select("department", "kind", "doc_id")
        phase, status = _OTHER_PHASE[subj.phase]
        elsewhere = filings(lib, phase, years=[year]).select(
            "department", *(pl.col(c).alias(f"_{c}") for c in ("kind", "doc_id"))
        )
        filed = filed.join(elsewhere, on="department", how="full", coalesce=True)
        other = pl.when(pl.col("_doc_id").is_not_null()).then(pl.lit(status)).otherwise(pl.lit("no_filing"))
    everyone = pl.DataFrame({"department": sorted(set(lib.documents["department"].drop_nulls()))})
    out = (
        everyone.filter(~pl.col("department").is_in(have.implode()))
        .join(filed, on="department", how="left")
        .with_columns(pl.when(pl.col("doc_id").is_null()).then(other).otherwise(pl.lit("absent")).alias("status"))
        .with_columns(
            pl.coalesce("doc_id", *([pl.col("_doc_id")] if "_doc_id" in filed.columns else [])).alias("doc_id"),
            pl.coalesce("kind", *([pl.col("_kind")] if "_kind" in filed.columns else [])).alias("kind"),
        )
        .sort(pl.col("status") == "no_filing", pl.col("status") != "absent", "department")
    )
    nulls = {c: pl.lit(None) for c in COLUMNS if c not in out.columns}
    return out.with_columns(**nulls).with_columns(pl.lit(subj.unit).alias("unit"))


def format_peers(df: pl.DataFrame, subj: Subject, year: int) -> str:
    """The ranking as plain text for the command line."""
    names = df.filter(pl.col("status") == "ok")["name"].drop_nulls()
    title = names.mode().sort()[0] if names.len() else ""
    lines = [f"{subj.title(title)} · {year}年 · 单位：{subj.unit}"]
    lines.append(
        f"{'名次':>4}  {'金额':>12}  {'占比':>7}  {'上年':>12}  {'增减':>10}  {'增减%':>8}  {'名次变化':>6}  部门"
    )
    for r in df.iter_rows(named=True):
        if r["status"] != "ok":
            lines.append(
                f"{'—':>4}  {'':>12}  {'':>7}  {'':>12}  {'':>10}  {'':>8}  {'':>6}  {r['department']}（{STATUS_LABELS[r['status']]}）"
            )
            continue
        change = r["rank_change"]
        moved = "" if change is None else ("=" if change == 0 else f"{'↑' if change > 0 else '↓'}{abs(change)}")
        lines.append(
            f"{r['rank']:>4}  {_amount(r['amount']):>12}  {_pct(r['share']):>7}  {_amount(r['prior']):>12}  "
            f"{_amount(r['delta'], sign=True):>10}  {_pct(r['delta_pct']):>8}  {moved:>6}  {r['department']}"
        )
    return "\n".join(lines)


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}%"


def _amount(value: float | None, *, sign: bool = False) -> str:
    return "" if value is None else format_amount(value, sign=sign)
