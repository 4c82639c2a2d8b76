"""Consistency checks (勾稽关系): the rules, one module per family (within and across tables,
self-evaluations, the narrative against the tables), and the runner that grades a library.

``base`` holds what every rule shares (Rule, finding, tolerance); the families import it and this
package imports the families, so nothing imports upwards.
"""

from __future__ import annotations

import polars as pl

from parsing.checks.base import FINDINGS, SEVERITIES
from parsing.checks.evaluation import EVALUATION_RULES
from parsing.checks.narrative import NARRATIVE_RULES
from parsing.checks.tables import TABLE_RULES
from parsing.library import Library

RULES = (*TABLE_RULES, *EVALUATION_RULES, *NARRATIVE_RULES)


def run_checks(lib: Library) -> pl.DataFrame:
    """Every rule over every loaded filing: the findings, errors first."""
    rows = [row for rule in RULES for row in rule.run(lib)]
    found = pl.DataFrame(rows, schema=FINDINGS, orient="row") if rows else pl.DataFrame(schema=FINDINGS)
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


def summarise(findings: pl.DataFrame) -> dict[str, int]:
    """Counts by severity."""
    counts = dict(findings.group_by("severity").len().rows())
    return {s: counts.get(s, 0) for s in SEVERITIES}


def exit_status(findings: pl.DataFrame) -> int:
    """0 when no errors, 1 when errors are found."""
    return 1 if summarise(findings)["error"] else 0
