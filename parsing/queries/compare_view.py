"""What the comparison screen shows of a comparison frame: one table or all, differences or all
rows, a pair of years that is always older → newer, and the messages it gives, in Chinese."""

from __future__ import annotations

import polars as pl

from parsing.library import Library
from parsing.numbers import FROM_WANYUAN
from parsing.queries.lookup import holdings

ALL_TABLES = "全部"


def table_kinds(frame: pl.DataFrame) -> list[str]:
    """全部, then each table kind present, in the frame's order."""
    if "table_kind" not in frame.columns:
        return [ALL_TABLES]
    return [ALL_TABLES, *frame["table_kind"].drop_nulls().unique(maintain_order=True).to_list()]


def view(frame: pl.DataFrame, table_kind: str = ALL_TABLES, *, differences_only: bool = True) -> pl.DataFrame:
    """The rows to show: of one table kind (or all), and only those that differ unless asked."""
    out = frame
    if table_kind != ALL_TABLES and "table_kind" in out.columns:
        out = out.filter(pl.col("table_kind") == table_kind)
    if differences_only and "status" in out.columns:
        out = out.filter(pl.col("status") != "same")
    return out


def next_year(years: list[int], current: int, *, above: int | None = None, below: int | None = None) -> int:
    """The year after ``current`` among ``years`` that stays above ``above`` and below ``below``
    (wrapping), so A stays older than B: a step never makes the two the same or reverses them."""
    allowed = [y for y in years if (above is None or y > above) and (below is None or y < below)]
    if not allowed:
        return current
    later = [y for y in allowed if y > current]
    return later[0] if later else allowed[0]


def unit_labels(frame: pl.DataFrame) -> bool:
    """True when rows of the same name come from different units, so the unit must be shown."""
    if "unit" not in frame.columns or frame["unit"].n_unique() < 2:
        return False
    names = pl.coalesce("name_b", "name_a") if "name_a" in frame.columns else pl.col("name")
    return frame.group_by(names.alias("_n")).agg(pl.col("unit").n_unique()).filter(pl.col("unit") > 1).height > 0


def actual_problem(lib: Library, department: str, year: int) -> str:
    """Why budget vs actual cannot be shown for ``year``, in Chinese."""
    return (
        f"{department} {year} 年：预算与实际的比较需要同年的部门预算和部门决算，或一份绩效自评表"
        f"（现有：{holdings(lib, department)}）"
    )


def years_problem(lib: Library, department: str, year_a: int, year_b: int) -> str:
    """Why two years cannot be compared, in Chinese."""
    return f"{department}：{year_a} 与 {year_b} 年没有可比较的同类文件（现有：{holdings(lib, department)}）"


def projects_problem(lib: Library, department: str, year_a: int, year_b: int) -> str:
    """Why the projects of two years cannot be compared, in Chinese."""
    return (
        f"{department}：{year_a} 与 {year_b} 年没有都列有项目的同类文件，无从比较项目"
        f"（现有：{holdings(lib, department)}；t 返回科目比较）"
    )


AMOUNT_COLUMNS = ("amount_a", "amount_b", "budget_a", "budget_b", "actual_a", "actual_b", "delta")


def in_unit(frame: pl.DataFrame, labels: dict[str, str], unit: str) -> tuple[pl.DataFrame, dict[str, str]]:
    """A comparison with its amounts (stored in 万元) in ``unit``, and headers that say so."""
    if unit == "万元":
        return frame, labels
    factor = FROM_WANYUAN[unit]
    frame = frame.with_columns(pl.col(c) * factor for c in AMOUNT_COLUMNS if c in frame.columns)
    return frame, {k: v.replace("（万元）", f"（{unit}）") for k, v in labels.items()}
