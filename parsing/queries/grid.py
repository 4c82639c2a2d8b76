"""A budget table put back into its printed grid: one line per printed row, one column per measure.

``budget_lines`` holds one row per figure; a reader wants the paper's layout. A table printed in
two halves side by side (收支总表: income | expenditure; a 基本支出 table printed left | right)
keeps both halves, each with its own code, name and measure columns. Each cell remembers the line
it came from, for provenance and copy. Text only: display widths are measured by the interface.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from parsing.library import Library
from parsing.numbers import format_money

AGGREGATE = {"total": "合计", "unit_total": "单位", "subtotal": "小计"}
#: The column of a row's other labels (经济分类 printed beside 功能分类).
DETAIL = "其他分类"
#: Halves of a table printed side by side, in reading order, with their labels.
SIDES = {"income": "收入", "expenditure": "支出", "left": "左", "right": "右"}


@dataclass
class Column:
    """One printed column: a code, a name, or a measure (with the side it belongs to)."""

    label: str  # as printed (plain)
    side: str | None = None  # income / expenditure / left / right for tables printed in halves
    measure: str | None = None  # None for the code and name columns
    field: str = "amount"  # "code", "name", "detail" or "amount"

    @property
    def numeric(self) -> bool:
        return self.field == "amount"


@dataclass
class Grid:
    """A table rebuilt from its lines: columns, and per row the source line behind each column."""

    columns: list[Column] = field(default_factory=list)
    rows: list[list[dict[str, Any] | None]] = field(default_factory=list)
    keys: list[tuple[str | None, int]] = field(default_factory=list)  # (side, row_no) per row
    pinned: int = 1  # the label columns kept in view when scrolling →

    def text(self, row: int, col: int, unit: str, *, tsv: bool = False) -> str:
        """A cell as plain text in ``unit`` (TSV amounts without thousands separators)."""
        line = self.rows[row][col]
        column = self.columns[col]
        if line is None:
            return ""
        if column.field != "amount":
            value = line.get(column.field)
            return "" if value is None else str(value)
        return format_money(line["amount"], unit, grouping=not tsv)

    def row_kind(self, row: int) -> str:
        """line, or the aggregate kind (total / unit_total / subtotal) of any cell in the row."""
        kinds = {line["row_kind"] for line in self.rows[row] if line is not None}
        return next((k for k in AGGREGATE if k in kinds), "line")

    def mark(self, row: int) -> str:
        """合计 / 单位 / 小计 for an aggregate row, blank for a line."""
        return AGGREGATE.get(self.row_kind(row), "")

    def header(self, unit: str | None = None) -> list[str]:
        """Column labels; with ``unit``, the amount columns say it: 支出总计（万元）."""
        return [f"{c.label}（{unit}）" if unit and c.numeric else c.label for c in self.columns]

    def body(self, unit: str, *, tsv: bool = False) -> list[list[str]]:
        """Every cell as text, row by row."""
        return [[self.text(r, c, unit, tsv=tsv) for c in range(len(self.columns))] for r in range(len(self.rows))]

    def find_row(self, row_no: int | None) -> int:
        """The grid row holding printed row ``row_no`` (0 when absent)."""
        return next((i for i, (_, n) in enumerate(self.keys) if n == row_no), 0)


def build_grid(lines: pl.DataFrame) -> Grid:
    """One table's ``budget_lines`` → the grid as printed."""
    grid = Grid()
    records = lines.to_dicts()
    present = [s for s in SIDES if any(r["side"] == s for r in records)]
    sides: Sequence[str | None] = present if present else [None]
    halves = len(sides) > 1
    for side in sides:
        mine = [r for r in records if r["side"] == side]
        has_code = any(r["code"] for r in mine)
        prefix = SIDES.get(side or "", "") if halves else ""
        if has_code:
            grid.columns.append(Column(f"{prefix}科目编码" if halves else "科目编码", side, field="code"))
        name = "科目名称" if has_code else "项目"
        grid.columns.append(Column(f"{prefix}{name}", side, field="name"))
        if any(r.get("detail") for r in mine):
            grid.columns.append(Column(f"{prefix}{DETAIL}", side, field="detail"))
        grid.columns += [Column(m or "", side, m) for m in dict.fromkeys(r["measure"] for r in mine)]
        if side == sides[0]:
            grid.pinned = len(grid.columns) - len(dict.fromkeys(r["measure"] for r in mine))
    by_key: dict[tuple[str | None, int], dict[str | None, dict[str, Any]]] = {}
    order: list[int] = []
    for r in records:
        by_key.setdefault((r["side"], r["row_no"]), {})[r["measure"]] = r
        if r["row_no"] not in order:
            order.append(r["row_no"])
    for row_no in sorted(order) if halves else order:
        cells: list[dict[str, Any] | None] = []
        for column in grid.columns:
            measures = by_key.get((column.side, row_no), {})
            cells.append(
                next(iter(measures.values()), None) if column.measure is None else measures.get(column.measure)
            )
        grid.rows.append(cells)
        grid.keys.append((None, row_no))
    return grid


def table_lines(lib: Library, doc_id: str | None, table_no: str | None) -> pl.DataFrame:
    """The budget lines of one table of one filing, in print order."""
    return lib.lines(doc_id).filter(pl.col("table_no") == table_no)


def table_notes(lib: Library, doc_id: str | None, source_table: str) -> list[str]:
    """The footnotes printed under a table (注：…), and what the reader noted about it."""
    notes = lib.notes_of(doc_id).filter(
        (pl.col("source_table") == source_table)
        & pl.col("kind").is_in(["footnote", "unrecognised_table", "skipped_row"])
    )
    return notes["detail"].drop_nulls().to_list()


def why_empty(lib: Library, doc_id: str | None, table_no: str | None) -> str:
    """Why a table shows no rows: what the filing printed instead, or that nothing was read."""
    lines = table_lines(lib, doc_id, table_no)
    if lines.height:
        return ""
    return f"{table_no or ''} 没有读出任何数字行（文件中此表可能为空表）".strip()
