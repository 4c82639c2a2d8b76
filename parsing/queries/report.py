"""Comparisons as plain text and as Chinese column headers, for the command line and exports."""

from __future__ import annotations

import unicodedata

import polars as pl

from parsing.numbers import format_amount
from parsing.schema import Row


def format_comparison(frames: dict[str, pl.DataFrame], year_a: int, year_b: int) -> str:
    """The command line's plain-text view: projects, then each budget table, biggest changes first."""
    out = []
    if "projects" in frames:
        out.append(f"项目 {year_a} → {year_b}")
        projects = frames["projects"]
        several_units = projects["unit"].n_unique() > 1
        for r in projects.iter_rows(named=True):
            label = f"{r['unit']} · {_names(r)}" if several_units else _names(r)
            out.append(f"  {_pad(label, 40)} {format_change(r, 'budget_a', 'budget_b')}{_mark(r)}")
    lines = frames.get("budget_lines")
    for (table_kind,), rows in [] if lines is None else lines.group_by("table_kind", maintain_order=True):
        out.append(f"{table_kind} {year_a} → {year_b}（万元）")
        for r in rows.iter_rows(named=True):
            label = f"{r['code'] or ''} {_names(r)}".strip()
            out.append(f"  {_pad(label, 40)} {_pad(r['measure'] or '', 12)} {format_change(r)}{_mark(r)}")
    return "\n".join(out)


def headers(a: str, b: str) -> dict[str, str]:
    """Chinese column headers for a comparison whose sides are called ``a`` and ``b`` (2022, 预算 …)."""
    return {
        "table_kind": "表",
        "unit": "预算单位",
        "code": "科目编码",
        "measure": "栏目",
        "name_a": f"名称（{a}）",
        "name_b": f"名称（{b}）",
        "amount_a": f"{a}（万元）",
        "amount_b": f"{b}（万元）",
        "budget_a": f"{a}预算（万元）",
        "budget_b": f"{b}预算（万元）",
        "actual_a": f"{a}实际（万元）",
        "actual_b": f"{b}实际（万元）",
        "exec_rate_a": f"{a}执行率（%）",
        "exec_rate_b": f"{b}执行率（%）",
        "exec_rate": "执行率（%）",
        "delta": "增减（万元）",
        "delta_pct": "增减（%）",
        "status": "状态",
        "score": "相似度",
        "project_id_a": f"项目ID（{a}）",
        "project_id_b": f"项目ID（{b}）",
    }


def format_change(row: Row, a: str = "amount_a", b: str = "amount_b") -> str:
    """'54 → 155  +101 (+187.04%) ▲' for one compared row; new and gone rows say so."""
    if row[a] is None and row[b] is None:
        return ""
    left = "—" if row[a] is None else format_amount(row[a])
    right = "—" if row[b] is None else format_amount(row[b])
    delta, pct = row["delta"], row["delta_pct"]
    arrow = "▲" if delta and delta > 0 else "▼" if delta and delta < 0 else ""
    change = (
        ""
        if not delta
        else format_amount(delta, sign=True) + ("" if pct is None else f" ({format_amount(pct, sign=True)}%)")
    )
    return f"{left} → {right}  {change} {arrow}".rstrip()


_MARKS = {"new": "新增", "gone": "取消", "renamed": "更名"}


def _names(row: Row) -> str:
    """One name when both sides agree (or one is missing), else 'A → B'."""
    a, b = row["name_a"], row["name_b"]
    return (b or a or "") if a == b or a is None or b is None else f"{a} → {b}"


def _mark(row: Row) -> str:
    if row["status"] == "fuzzy":
        return f"  [近似 {row['score']:g}]"
    return f"  [{_MARKS[row['status']]}]" if row["status"] in _MARKS else ""


def _pad(text: str, width: int) -> str:
    """Pad to a display width, counting CJK characters as two columns (no rich in parsing/)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - used)
