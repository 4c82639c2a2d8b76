"""A filing's 三公经费 — the total and its three parts — however its table is laid out.

Offices print the same four figures in two orientations:
- **items as rows** (合计 / 因公出国（境）费 / 公务接待费 / 小计 with 公务用车购置费 under it), the
  year in the columns (2023年 beside 2022年, 预算数 and 决算数, 金额, or one column per fund);
- **items as columns** ("三公"经费合计 | 因公出国(境)费用 | 公务用车购置及运行费·小计 | 公务接待费),
  one row per unit under the department's 合计 row (Hangzhou, Xi'an, Changsha).
An item is known by its words, not its place: 出国, 接待, and 公务用车 as a whole (小计, or 购置及运行)
rather than its 购置费 / 运行费 lines; numbering ("3、", "（二）", "其中：") is ignored. The current
column is the filing's own year (2026年), else 决算数 in a 决算, 预算数, 金额, 合计 in that order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import polars as pl

#: The four figures, in the order a card shows them.
PARTS = ("三公经费", "出国(境)", "公务接待", "公务用车")
_NUMBERING = re.compile(
    r"^(?:其中[:：]?)?\s*(?:[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．]|[一二三四五六七八九十]+、)?\s*"
)
_FUNDS = ("一般公共预算", "政府性基金", "国有资本经营", "财政拨款")
_FUNDED = ("一般公共预算", "财政拨款")  # the fund a 三公 figure is paid from, when rows split by fund


def sangong(lines: pl.DataFrame, year: int | None, kind: str | None) -> dict[str, dict[str, Any]]:
    """Part → the budget line of its current figure (amount, source columns), for what is printed;
    plus ``"上年"`` → the total's line in last year's column where the table prints one."""
    rows = lines.filter(pl.col("table_kind") == "三公经费").to_dicts()
    if not rows:
        return {}
    if any(_part(r["measure"], rows_form=False) for r in rows):  # items as columns
        total_row = next((r["row_no"] for r in rows if r["row_kind"] == "total"), min(r["row_no"] for r in rows))
        first = [r for r in rows if r["row_no"] == total_row]
        by_part = {part: [r for r in first if _part(r["measure"], rows_form=False) == part] for part in PARTS}
        found = {part: _own_year(hits, year) for part, hits in by_part.items()}
        prior = _one(r for r in by_part["三公经费"] if _year_group(r, year) == -1)
        return {part: row for part, row in found.items() if row is not None} | ({"上年": prior} if prior else {})
    by_part = {part: [r for r in rows if _part(r["name"], rows_form=True) == part] for part in PARTS}
    current = _current_measure({r["measure"] for r in by_part["三公经费"] or rows}, year, kind)
    found = {part: _one(r for r in hits if r["measure"] == current) for part, hits in by_part.items()}
    prior = _one(r for r in by_part["三公经费"] if year and (r["measure"] or "").startswith(f"{year - 1}年"))
    return {part: row for part, row in found.items() if row is not None} | ({"上年": prior} if prior else {})


def _part(text: str | None, *, rows_form: bool) -> str | None:
    """Which of the four figures a row name (or a column header) names, if any.

    A header joins its levels with ·: 公务用车购置及运行维护费·小计 is 公务用车 as a whole, its
    ·公务用车购置费 a part of it, and 因公出国(境)费·一般公共预算 a row split by fund.
    """
    levels = (text or "").split("·")
    if len(levels) > 1 and any(f in levels[-1] for f in _FUNDS):
        levels = levels[:-1]
    last = _NUMBERING.sub("", levels[-1])
    whole = "".join(levels)
    if "出国" in last:
        return "出国(境)"
    if "接待" in last:
        return "公务接待"
    if (
        ("公务用车" in whole and last == "小计")
        or ("公务用车" in last and "及" in last)
        or (rows_form and last == "小计")
    ):
        return "公务用车"
    if (
        "三公" in last
        or ("三公" in whole and last in ("合计", "小计", "总计"))
        or (rows_form and last in ("合计", "总计"))
    ):
        return "三公经费"
    return None


def _own_year(hits: list[dict[str, Any]], year: int | None) -> dict[str, Any] | None:
    """An item's column of the filing's own year: one printed as such before one that says no year."""
    return _one(sorted((r for r in hits if _year_group(r, year) > 0), key=lambda r: -_year_group(r, year)))


def _year_group(row: dict[str, Any], year: int | None) -> int:
    """Whose figure a column is, by its top header: 2 the filing's own year as printed (当年, 本年,
    2026年), 1 no year said (the first of repeated groups keeps the plain name), -1 last year's
    (上年, 2025年), -2 anything else (增减, 变化, another year)."""
    measure = row["measure"] or ""
    top = measure.split("·")[0] if "·" in measure else ""
    printed = re.match(r"(20\d\d)年", top or measure)
    if "上年" in top or (printed and year and int(printed.group(1)) == year - 1):
        return -1
    if re.search(r"增减|变化|比较|差额", top) or (printed and year and int(printed.group(1)) != year):
        return -2
    return 2 if printed or re.search(r"当年|本年", top) else 1


def _current_measure(measures: set[str | None], year: int | None, kind: str | None) -> str | None:
    """The column of the filing's own year among a 三公 table's columns."""
    ranked = [f"{year}年" if year else None, "决算数" if kind == "部门决算" else None, "预算数", "金额", "合计"]
    for name in ranked:
        if name in measures:
            return name
    return next(iter(sorted(m for m in measures if m and "增减" not in m and "上年" not in m)), None)


def _one(rows: Iterable[dict[str, Any]]) -> dict[str, Any] | None:
    """The row of a figure: the one printed once, or, split by fund, the 一般公共预算 one."""
    hits = list(rows)
    if len(hits) <= 1:
        return hits[0] if hits else None
    whole = [r for r in hits if "·" not in (r["name"] or "")]
    funded = [r for r in hits if any(f in (r["name"] or "") for f in _FUNDED)]
    return (whole or funded or hits)[0]
