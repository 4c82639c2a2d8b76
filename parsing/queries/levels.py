"""The 类 / 款 / 项 level of 科目 rows printed by name only, read from their amounts.

Some filings print the functional classification without codes, showing the level only by the
indent of the name (杭州: 一般公共服务支出 at the margin, 社会工作事务 a step in), which the cell
text does not keep. The amounts still carry the hierarchy: printed in order, each 类 is followed
by its 款 and each 款 by its 项, and a parent's amount is the sum of its children's. So the rows
are parsed as that tree; where the amounts do not parse (a partial table, a misprint), the level
stays unknown rather than guessed. A name printed twice (其他一般公共服务支出 as 款 and as 项)
is then told apart, and a sum over one level no longer counts a figure twice.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import polars as pl

#: The national 支出功能分类 table the checks ship (read as data: the queries do not import checks).
_NATIONAL = Path(__file__).parents[1] / "checks" / "data" / "function_codes.tsv"
#: A level's name as an analyst reads it.
LEVEL_NAMES = {1: "类", 2: "款", 3: "项", 4: "目"}
#: The row's own total, most specific first (as ``subjects.TOTAL_MEASURES``).
_TOTALS = ("支出总计", "本年支出合计", "合计", "总计", "本年支出", "预算数", "决算数", "金额")


def fill_levels(lines: pl.DataFrame) -> pl.DataFrame:
    """``lines`` with ``level`` (and ``parent``: the parent row's name) filled in for code-less
    科目 rows whose amounts parse as a 类 → 款 → 项 tree; other rows as they were."""
    if "parent_name" not in lines.columns:
        lines = lines.with_columns(pl.lit(None, pl.String).alias("parent_name"))
    keys = ["doc_id", "table_no", "side", "unit"]
    named = lines.filter(pl.col("code").is_null() & (pl.col("row_kind") == "line"))
    named = named.filter(pl.col("level").is_null().all().over(keys))  # the reader knew none of them
    found: list[dict[str, object]] = []
    for (doc_id, table_no, side, unit), part in named.group_by(keys, maintain_order=True):
        rows = _row_amounts(part)
        tree = _parse([a for _, _, a in rows])
        if tree is None:
            continue
        for (row_no, _name, _), (level, parent) in zip(rows, tree, strict=True):
            parent_name = rows[parent][1] if parent is not None else None
            found.append(
                {"doc_id": doc_id, "table_no": table_no, "side": side, "unit": unit}
                | {"row_no": row_no, "_level": level, "_parent": parent_name}
            )
    if not found:
        return lines
    levels = pl.DataFrame(
        found,
        schema={**{k: lines.schema[k] for k in (*keys, "row_no")}, "_level": pl.Int8, "_parent": pl.String},
    )
    on = [*keys, "row_no"]
    return (
        lines.join(levels, on=on, how="left", nulls_equal=True)
        .with_columns(
            pl.coalesce("level", "_level").alias("level"), pl.coalesce("parent_name", "_parent").alias("parent_name")
        )
        .drop("_level", "_parent")
    )


def _row_amounts(part: pl.DataFrame) -> list[tuple[int, str, float]]:
    """Each row once, in print order, with its own total (the first total column it prints)."""
    measures = [m for m in _TOTALS if m in set(part["measure"])]
    if not measures:
        return []
    cells = part.filter(pl.col("measure") == measures[0]).sort("row_no")
    return [(r, n, a or 0.0) for r, n, a in cells.select("row_no", "name", "amount").iter_rows()]


def _parse(amounts: list[float]) -> list[tuple[int, int | None]] | None:
    """(level, index of the parent row) per row when the amounts form complete 类 → 款 → 项 trees
    (three levels, else two), each parent the sum of its children; None otherwise."""
    if len(amounts) < 2:
        return None
    for depth in (3, 2):
        out: list[tuple[int, int | None]] = [(0, None)] * len(amounts)

        def node(
            i: int, level: int, parent: int | None, depth: int = depth, out: list[tuple[int, int | None]] = out
        ) -> int | None:
            out[i] = (level, parent)
            if level == depth:
                return i + 1
            total, kids, j = 0.0, 0, i + 1
            while j < len(amounts) and (not kids or not _close(total, amounts[i], kids)):
                k = node(j, level + 1, i)
                if k is None:
                    return None
                total, kids = total + amounts[j], kids + 1
                if total > amounts[i] + _tolerance(kids):
                    return None
                j = k
            return j if kids and _close(total, amounts[i], kids) else None

        i: int | None = 0
        while i is not None and i < len(amounts):
            i = node(i, 1, None)
        if i is not None:
            return out
    return None


def _tolerance(kids: int) -> float:
    return 0.006 * kids + 1e-9  # each child rounded to the printed 0.01


def _close(total: float, amount: float, kids: int) -> bool:
    return abs(total - amount) <= _tolerance(kids)


def named_class(lines: pl.DataFrame, code: str) -> pl.DataFrame:
    """The rows that print the 类 ``code`` by its national name only (一般公共服务支出 for 201) and
    are a 类 by their amounts, with ``code`` filled in; empty for any other code."""
    name = national_classes().get(code)
    if name is None:
        return lines.clear()
    named = lines.filter(pl.col("code").is_null() & (pl.col("row_kind") == "line"))
    named = named.filter(_normed("name") == name, pl.col("level").is_null()).select(
        "doc_id", "table_no", "side", "unit"
    )
    if named.is_empty():
        return lines.clear()
    tables = lines.join(named.unique(), on=["doc_id", "table_no", "side", "unit"], nulls_equal=True)
    found = fill_levels(tables).filter((pl.col("level") == 1) & (_normed("name") == name))
    return found.drop("parent_name").with_columns(pl.lit(code).alias("code"))


@cache
def national_classes() -> dict[str, str]:
    """类 code → national name (201 → 一般公共服务支出); empty when the table is not shipped."""
    try:
        text = _NATIONAL.read_text(encoding="utf-8")
    except OSError:
        return {}
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    return {r[0]: _norm(r[1]) for r in rows[1:] if len(r) > 2 and r[2] == "类"}


def _normed(column: str) -> pl.Expr:
    """``_norm`` over a column."""
    text = pl.col(column).str.replace_all(r"\s+", "").str.replace_all("(", "（", literal=True)
    return text.str.replace_all(")", "）", literal=True).str.replace_all("其它", "其他", literal=True)


def _norm(name: str | None) -> str:
    """A name as the national table is compared: no spaces, full-width brackets, 其它 → 其他."""
    text = re.sub(r"\s+", "", name or "").replace("(", "（").replace(")", "）")
    return text.replace("其它", "其他")
