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
from parsing.schema import Row

FINDINGS: dict[str, pl.DataType] = {
    "rule": pl.String(),
    "title_zh": pl.String(),
    "title_en": pl.String(),
    "severity": pl.String(),
    "doc_id": pl.String(),
    "department": pl.String(),
    "year": pl.Int32(),
    "table": pl.String(),
    "rows": pl.String(),
    "expected": pl.Float64(),
    "actual": pl.Float64(),
    "difference": pl.Float64(),
    "tolerance": pl.Float64(),
    "message": pl.String(),
    "source_file": pl.String(),
    "source_page": pl.Int32(),
    "source_line": pl.Int32(),
    "source_table": pl.String(),  # the table (or narrative part) the finding points at: the app opens it
    "other_table": pl.String(),  # the other side of a comparison, when there is one
    "other_page": pl.Int32(),
    "family": pl.String(),  # the rule family: sums, amounts, shares, words, years, issuer, …
    "checked": pl.Boolean(),  # false for "未核": the premise rests on a doubtful reading
}
SEVERITIES = ("error", "rounding", "note")


@dataclass(frozen=True)
class Rule:
    """A check: its id, what it checks in Chinese and English, the function that runs it, and
    the family it belongs to (the unit precision and recall are measured by)."""

    id: str
    title_zh: str
    title_en: str
    run: Callable[[Library], list[Row]]
    family: str = "sums"


def step_of(text: str | None, unit: str | None = "万元") -> float:
    """The rounding step of a printed figure, in 万元: '3,451' → 1, '0.5' → 0.1, '30.80' (元) → 1e-6."""
    text = (text or "").strip().rstrip("%")
    decimals = len(text.split(".")[1]) if "." in text else 0
    scale = {"元": 1e-4, "亿元": 1e4}.get(unit or "万元", 1.0)
    return 10.0**-decimals * scale


def grade(expected: float, actual: float, tolerance: float) -> str | None:
    """None when equal, "rounding" inside the envelope, "error" outside it."""
    diff = abs(expected - actual)
    if diff < 1e-7:  # float noise: a hundredth of a 元 is 1e-6 万元
        return None
    return "rounding" if diff <= tolerance + 1e-9 else "error"


def finding(
    rule: Rule,
    severity: str,
    source: Row,
    *,
    rows: str,
    expected: float | None = None,
    actual: float | None = None,
    tolerance: float | None = None,
    message: str,
    other: Row | None = None,
) -> Row:
    """One row of the findings frame; ``source`` is a row carrying doc_id and source_* columns,
    ``other`` (optional) the row of the other side, whose table and page the finding cites."""
    other = other or {}
    return {
        "rule": rule.id,
        "title_zh": rule.title_zh,
        "title_en": rule.title_en,
        "severity": severity,
        "doc_id": source.get("doc_id"),
        "table": source.get("source_table"),
        "rows": rows,
        "expected": expected,
        "actual": actual,
        "difference": None if expected is None or actual is None else round(actual - expected, 6),
        "tolerance": tolerance,
        "message": message,
        "source_file": source.get("source_file"),
        "source_page": source.get("source_page"),
        "source_line": source.get("source_line"),
        "source_table": source.get("source_table"),
        "other_table": other.get("source_table"),
        "other_page": other.get("source_page"),
        "family": rule.family,
        "checked": True,
    }


def page(row: Row | None) -> str:
    """'p.9' (or 'l.12' for a text extraction) of a row, for a message that cites both sides."""
    if not row:
        return ""
    if row.get("source_page"):
        return f"p.{row['source_page']}"
    return f"l.{row['source_line']}" if row.get("source_line") else ""


def unchecked(found: Row, reason: str) -> Row:
    """A finding whose premise rests on a doubtful reading: "· 未核" with the reason, not ✗."""
    return found | {"severity": "note", "checked": False, "message": f"未核（{reason}）：{found['message']}"}
