"""Rules for 绩效自评表: subtotals, execution rates recomputed, and what the texts give away."""

from __future__ import annotations

import math

import polars as pl

from parsing.checks.base import Rule, finding, grade
from parsing.library import Library
from parsing.normalize import squash
from parsing.numbers import format_number
from parsing.schema import Row

STEP = 0.01  # 自评表 amounts are 万元 to two decimals, whatever a cell happens to print


def _evaluations(lib: Library) -> pl.DataFrame:
    docs = lib.documents.filter(pl.col("kind") == "绩效自评表").select("doc_id")
    return (
        lib.projects.join(docs, on="doc_id")
        .with_columns(pl.col("project_id").str.split(":").list.last().cast(pl.Int32).alias("_order"))
        .sort("doc_id", "_order")
    )


def _subtotals(lib: Library) -> list[Row]:
    """A 小计 equals the rows of its block; a 合计 equals its 小计s (or all rows)."""
    out = []
    for _, rows in _evaluations(lib).group_by("doc_id", maintain_order=True):
        block: list[Row] = []
        subtotals: list[Row] = []
        for r in rows.iter_rows(named=True):
            if r["row_kind"] == "project":
                block.append(r)
                continue
            terms = (
                [b for b in block if b["unit"] == r["unit"]] if r["row_kind"] == "subtotal" else (subtotals or block)
            )
            out += _compare_sum(r, terms)
            if r["row_kind"] == "subtotal":
                subtotals.append(r)
                block = []
    return out


def _compare_sum(row: Row, terms: list[Row]) -> list[Row]:
    out = []
    for column, label in (("budget_total", "预算"), ("actual_total", "实际")):
        if row[column] is None:
            continue
        expected = round(sum(t[column] or 0.0 for t in terms), 6)
        tolerance = (len(terms) + 1) * STEP / 2
        severity = grade(expected, row[column], tolerance)
        if severity:
            what = "所列行合计" if severity == "error" else "各行之和"
            out.append(
                finding(
                    SUB,
                    severity,
                    row,
                    rows=f"{row['name']} {label}",
                    expected=expected,
                    actual=row[column],
                    tolerance=tolerance,
                    message=f"{row['name']} {label} {format_number(row[column], decimals=4)} ≠ {what} {format_number(expected, decimals=4)}（{len(terms)} 行）"
                    + ("：表中缺行" if severity == "error" and expected < row[column] else ""),
                )
            )
    return out


def _rates(lib: Library) -> list[Row]:
    """执行率 = 实际 ÷ 预算, judged by the envelope of the printed amounts; truncation is a note."""
    out = []
    rows = _evaluations(lib).filter(pl.col("exec_rate").is_not_null())
    for r in rows.iter_rows(named=True):
        budget, actual, rate = r["budget_total"], r["actual_total"], r["exec_rate"]
        if not budget or actual is None:
            continue
        printed = r["exec_rate_text"] or f"{rate}%"
        decimals = len(printed.rstrip("%").split(".")[1]) if "." in printed else 0
        exact = actual / budget * 100
        if round(exact, decimals) == rate:
            continue
        half = 10**-decimals / 2
        low = (actual - STEP / 2) / (budget + STEP / 2) * 100
        high = (actual + STEP / 2) / (budget - STEP / 2) * 100
        truncated = math.floor(exact * 10**decimals + 1e-9) / 10**decimals == rate
        severity = "rounding" if low - half <= rate <= high + half else ("note" if truncated else "error")
        how = "截尾而非四舍五入" if severity == "note" else "在金额的舍入范围内" if severity == "rounding" else ""
        out.append(
            finding(
                RATE,
                severity,
                r,
                rows=f"{r['name']} 执行率",
                expected=round(exact, 4),
                actual=rate,
                tolerance=round(max(rate - low, high - rate), 4),
                message=f"{r['name']}: 印 {r['exec_rate_text']}，{format_number(actual, decimals=4)}/{format_number(budget, decimals=4)} = {exact:.4f}% {how}".rstrip(),
            )
        )
    return out


def _zero_rates(lib: Library) -> list[Row]:
    rows = _evaluations(lib).filter(pl.col("exec_rate").is_not_null(), pl.col("budget_total") == 0)
    return [
        finding(
            ZERO,
            "note",
            r,
            rows=f"{r['name']} 执行率",
            actual=r["exec_rate"],
            message=f"{r['name']}: 预算为 0，执行率印为 {r['exec_rate_text']}（无从计算）",
        )
        for r in rows.iter_rows(named=True)
    ]


def _copied(lib: Library) -> list[Row]:
    rows = _evaluations(lib).filter(pl.col("row_kind") == "project", pl.col("goal").is_not_null())
    return [
        finding(COPIED, "note", r, rows=f"{r['name']} 完成情况", message=f"{r['name']}: 绩效目标完成情况照抄年初目标")
        for r in rows.iter_rows(named=True)
        if squash(r["goal"]) == squash(r["outcome"])
    ]


def _missed(lib: Library) -> list[Row]:
    rows = lib.indicators.filter(pl.col("verdict") == "missed").join(
        lib.projects.select("project_id", pl.col("name").alias("project")), on="project_id", how="left"
    )
    return [
        finding(
            MISSED,
            "note",
            r,
            rows=f"{r['project'] or '部门整体'} · {r['indicator']}",
            message=f"{r['project'] or '部门整体'}: {r['indicator']} 目标 {r['target']}，完成 {r['outcome']}",
        )
        for r in rows.iter_rows(named=True)
    ]


SUB = Rule("V-SE-SUB", "小计等于本组各行之和", "A 小计 equals the rows of its block", _subtotals)
RATE = Rule("V-SE-RATE", "执行率等于实际除以预算", "执行率 equals actual ÷ budget", _rates)
ZERO = Rule("SE-ZERO-RATE", "预算为零却印有执行率", "A rate printed for a zero budget", _zero_rates)
COPIED = Rule("SE-COPIED", "完成情况照抄年初目标", "The outcome copies the goal verbatim", _copied)
MISSED = Rule("SE-MISSED", "可比较的指标未达目标", "A comparable target was missed", _missed)
EVALUATION_RULES = (SUB, RATE, ZERO, COPIED, MISSED)
