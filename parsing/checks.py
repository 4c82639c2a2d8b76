"""Consistency checks (勾稽关系) over loaded filings: each rule compares printed figures and says
whether they agree, agree within rounding, or cannot both be true.

Tolerance comes from the filing's own precision, never from a fixed constant: a sum of n printed
terms, each rounded to a step s, may miss its printed total by up to (n + 1)·s/2 (domain guide
§5.1). Inside that envelope a difference is "rounding" (≈, citing the filing's 尾数误差 note when
it has one), outside it an "error"; analyst heuristics are "note". A finding says that two
figures disagree, never which one is right.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from parsing.library import Library

FINDINGS: dict[str, pl.DataType] = {
    "rule": pl.String(), "title_zh": pl.String(), "title_en": pl.String(), "severity": pl.String(),
    "doc_id": pl.String(), "department": pl.String(), "year": pl.Int32(), "table": pl.String(),
    "rows": pl.String(), "expected": pl.Float64(), "actual": pl.Float64(), "difference": pl.Float64(),
    "tolerance": pl.Float64(), "message": pl.String(), "source_file": pl.String(),
    "source_page": pl.Int32(), "source_line": pl.Int32(),
}
SEVERITIES = ("error", "rounding", "note")


@dataclass(frozen=True)
class Rule:
    """A check: its id, what it checks in Chinese and English, and the function that runs it."""

    id: str
    title_zh: str
    title_en: str
    run: Callable[[Library], list[dict]]


def step_of(text: str | None, unit: str | None = "万元") -> float:
    """The rounding step of a printed figure, in 万元: '3,451' → 1, '0.5' → 0.1, '30.80' (元) → 1e-6."""
    text = (text or "").strip().rstrip("%")
    decimals = len(text.split(".")[1]) if "." in text else 0
    scale = {"元": 1e-4, "亿元": 1e4}.get(unit or "万元", 1.0)
    return 10.0 ** -decimals * scale


def figure(value: float) -> str:
    """A figure for a message: as many decimals as it has, at most four (万元 of a 元 amount)."""
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def grade(expected: float, actual: float, tolerance: float) -> str | None:
    """None when equal, "rounding" inside the envelope, "error" outside it."""
    diff = abs(expected - actual)
    if diff < 1e-7:  # float noise: a hundredth of a 元 is 1e-6 万元
        return None
    return "rounding" if diff <= tolerance + 1e-9 else "error"


def finding(rule: Rule, severity: str, source: dict, *, rows: str, expected: float | None = None,
            actual: float | None = None, tolerance: float | None = None, message: str) -> dict:
    """One row of the findings frame; ``source`` is a row carrying doc_id and source_* columns."""
    return {
        "rule": rule.id, "title_zh": rule.title_zh, "title_en": rule.title_en, "severity": severity,
        "doc_id": source.get("doc_id"), "table": source.get("source_table"), "rows": rows,
        "expected": expected, "actual": actual,
        "difference": None if expected is None or actual is None else round(actual - expected, 6),
        "tolerance": tolerance, "message": message, "source_file": source.get("source_file"),
        "source_page": source.get("source_page"), "source_line": source.get("source_line"),
    }


def run_checks(lib: Library) -> pl.DataFrame:
    """Every rule over every loaded filing: the findings, errors first."""
    from parsing.rules import RULES

    rows = [row for rule in RULES for row in rule.run(lib)]
    found = pl.DataFrame(rows, schema=FINDINGS, orient="row") if rows else pl.DataFrame(schema=FINDINGS)
    docs = lib.documents.select("doc_id", pl.col("department").alias("_dept"), pl.col("year").alias("_year"))
    rounding_note = lib.notes.filter(pl.col("detail").str.contains("尾数")).group_by("doc_id").agg(
        pl.col("detail").first().str.extract(r"([^。；：:（(]*尾数[^。；）)]*)").alias("_note"))
    return (
        found.join(docs, on="doc_id", how="left").join(rounding_note, on="doc_id", how="left")
        .with_columns(
            pl.col("_dept").alias("department"), pl.col("_year").alias("year"),
            pl.when((pl.col("severity") == "rounding") & pl.col("_note").is_not_null())
            .then(pl.format("{}（文件注明：{}）", "message", "_note")).otherwise("message").alias("message"),
        )
        .select(FINDINGS.keys())
        .sort(pl.col("severity").replace_strict({s: i for i, s in enumerate(SEVERITIES)}, return_dtype=pl.Int8),
              "year", "rule", maintain_order=True)
    )


def summarise(findings: pl.DataFrame) -> dict[str, int]:
    """Counts by severity."""
    counts = dict(findings.group_by("severity").len().rows())
    return {s: counts.get(s, 0) for s in SEVERITIES}


def exit_status(findings: pl.DataFrame) -> int:
    """0 when no errors, 1 when errors are found."""
    return 1 if summarise(findings)["error"] else 0
