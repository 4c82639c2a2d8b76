"""Consistency checks (勾稽关系): the rules, one module per family (within and across tables,
self-evaluations, the narrative against the tables), and the runner that grades a library.

``base`` holds what every rule shares (Rule, finding, tolerance); the families import it and this
package imports the families, so nothing imports upwards.
"""

from __future__ import annotations

import polars as pl

from parsing.checks.amounts import AMOUNT_RULES
from parsing.checks.base import FINDINGS, SEVERITIES
from parsing.checks.evaluation import EVALUATION_RULES
from parsing.checks.identity import IDENTITY_RULES
from parsing.checks.narrative import NARRATIVE_RULES
from parsing.checks.structure import STRUCTURE_RULES
from parsing.checks.tables import TABLE_RULES
from parsing.checks.words import WORD_RULES
from parsing.library import Library

RULES = (
    *TABLE_RULES,
    *EVALUATION_RULES,
    *NARRATIVE_RULES,
    *AMOUNT_RULES,
    *WORD_RULES,
    *IDENTITY_RULES,
    *STRUCTURE_RULES,
)


#: A table whose rows fail one identity this many times was misread, not misprinted: a printed
#: error shows in a row or two (and its parents), a shifted column in every row.
MISREAD_AT = 3


def run_checks(lib: Library) -> pl.DataFrame:
    """Every rule over every loaded filing: the findings, errors first."""
    rows = [row for rule in RULES for row in rule.run(lib)]
    found = pl.DataFrame(rows, schema=FINDINGS, orient="row") if rows else pl.DataFrame(schema=FINDINGS)
    found = _doubt(found, lib).unique(["rule", "doc_id", "message"], maintain_order=True)
    docs = lib.documents.select("doc_id", pl.col("department").alias("_dept"), pl.col("year").alias("_year"))
    rounding_note = (
        lib.notes.filter(pl.col("detail").str.contains("尾数"))
        .group_by("doc_id")
        .agg(pl.col("detail").first().str.extract(r"([^。；：:（(]*尾数[^。；）)]*)").alias("_note"))
    )
    return (
        found.join(docs, on="doc_id", how="left")
        .join(rounding_note, on="doc_id", how="left")
        .with_columns(
            pl.col("_dept").alias("department"),
            pl.col("_year").alias("year"),
            pl.when((pl.col("severity") == "rounding") & pl.col("_note").is_not_null())
            .then(pl.format("{}（文件注明：{}）", "message", "_note"))
            .otherwise("message")
            .alias("message"),
        )
        .select(FINDINGS.keys())
        .sort(
            pl.col("severity").replace_strict({s: i for i, s in enumerate(SEVERITIES)}, return_dtype=pl.Int8),
            "year",
            "rule",
            maintain_order=True,
        )
    )


def _doubt(found: pl.DataFrame, lib: Library) -> pl.DataFrame:
    """Errors whose premise rests on a doubtful reading become "未核" with the reason: the table
    (either side's) is unsure, of unknown kind, or not read whole (numbers printed in it that no
    figure came from) in ``lib.tables``, or the same identity fails on many rows of one table (a
    misread column)."""
    errors = pl.col("severity") == "error"
    tables = getattr(lib, "tables", None)
    reason = pl.lit(None, dtype=pl.String)
    if tables is not None and tables.height:
        unread = pl.col("cells_seen").fill_null(0) - pl.col("cells_read").fill_null(0)
        doubtful = (
            tables.filter(~pl.col("sure").fill_null(False) | pl.col("table_kind").is_null() | (unread > 0))
            .select(
                "doc_id",
                "source_table",
                pl.when(pl.col("table_kind").is_null())
                .then(pl.lit("表格类型未识别"))
                .when(~pl.col("sure").fill_null(False))
                .then(pl.format("表格读取存疑：{}", pl.col("evidence").fill_null("")))
                .otherwise(pl.format("表中有 {} 个数字未读出", unread))
                .alias("_why"),
            )
            .unique(["doc_id", "source_table"])
        )
        found = found.join(doubtful, on=["doc_id", "source_table"], how="left").join(
            doubtful.rename({"source_table": "other_table", "_why": "_why2"}), on=["doc_id", "other_table"], how="left"
        )
        reason = pl.coalesce("_why", "_why2")
    many = pl.len().over("doc_id", "source_table", "rule")
    found = found.with_columns(
        pl.when(
            errors
            & (pl.col("family") == "sums")
            & (pl.when(errors).then(1).otherwise(0).sum().over("doc_id", "source_table", "rule") >= MISREAD_AT)
        )
        .then(pl.format("本表同一勾稽 {} 处不平，疑为读表有误", many))
        .otherwise(reason)
        .alias("_reason")
    )
    return found.with_columns(
        pl.when(errors & pl.col("_reason").is_not_null()).then(pl.lit("note")).otherwise("severity").alias("severity"),
        pl.when(errors & pl.col("_reason").is_not_null()).then(pl.lit(False)).otherwise("checked").alias("checked"),
        pl.when(errors & pl.col("_reason").is_not_null())
        .then(pl.format("未核（{}）：{}", "_reason", "message"))
        .otherwise("message")
        .alias("message"),
    ).select(FINDINGS.keys())


def summarise(findings: pl.DataFrame) -> dict[str, int]:
    """Counts by severity."""
    counts = dict(findings.group_by("severity").len().rows())
    return {s: counts.get(s, 0) for s in SEVERITIES}


def exit_status(findings: pl.DataFrame) -> int:
    """0 when no errors, 1 when errors are found."""
    return 1 if summarise(findings)["error"] else 0
