"""Tables whose items are columns (the 三公 table, mostly): turned so that each item is a row.

Two layouts print them: one row of figures under item headers, the measure (预算数 / 决算数) in
the header above or below each item (Shanghai, the national 部门决算 template); or one row per
year (2022年 | 2023年). Either way an item becomes a line of its own (its own ``row_no``, so a
grid rebuilt from the lines prints every item), and the header words above the items that every
column shares (财政拨款“三公”经费) are the table's heading, not part of an item's name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from parsing.normalize import squash, unit_name
from parsing.numbers import parse_amount
from parsing.readers.context import Context
from parsing.readers.describe import data_rows
from parsing.readers.tables import find_column
from parsing.routes.raw import RawRow, RawTable
from parsing.schema import Row

_PHASES = ("预算数", "决算数")


def item_names(labels: list[str], year: int | None = None) -> list[tuple[str, str]]:
    """(item name, measure) per column label: the measure is the level naming 预算数 / 决算数
    (else 金额), another year's (2025年预算数 beside 2026年预算数, ``year`` the filing's) keeping
    its year so that last year's figures are never read as this year's; the item is the other
    levels, less a heading every column shares."""
    tags = [next((p for p in reversed(l.split("·")) if p.endswith(_PHASES)), "") for l in labels]
    items = [[p for p in l.split("·") if p != t] for l, t in zip(labels, tags, strict=True)]
    head = items[0][0] if items and items[0] else None
    shared = len(labels) > 1 and all(len(i) > 1 and i[0] == head for i in items)
    out = []
    for label, tag, levels in zip(labels, tags, items, strict=True):
        name = "·".join(levels[1:] if shared else levels) or re.sub(r"^20\d\d年|(预算|决算)数$", "", label)
        printed = re.match(r"(20\d\d)年", tag)
        other = printed and year and int(printed.group(1)) != year
        out.append((name, f"{printed.group(1)}年{tag[-3:]}" if other and printed else tag[-3:] or "金额"))
    return out


def single_row(table: RawTable, labels: list[str], known: tuple[str | None, str], ctx: Context) -> Iterator[Row]:
    """A one-row table of items: each column an item under its measure, each item a row."""
    names = item_names(labels, ctx.identity.year)
    order = list(dict.fromkeys(name for name, _ in names))
    for n, row in enumerate(data_rows(table)):
        for col, (name, measure) in enumerate(names):
            base: Row = {"unit": ctx.identity.department, "name": name}
            base["row_kind"] = "total" if name in ("合计", "总计") else "line"
            yield from _cell(row, n * len(order) + order.index(name), col, measure, base, table, known, ctx)


def by_year(table: RawTable, labels: list[str], kind: str | None, ctx: Context) -> Iterator[Row]:
    """The 三公 table whose rows are years: items become rows, years become measures."""
    year_col = find_column(labels, ("年度",))
    assert year_col is not None
    unit = ctx.identity.department
    for row in data_rows(table):
        if row.text(0) and year_col != 0:
            unit = unit_name(row.text(0))
        measure = squash(row.text(year_col))
        for col in range(year_col + 1, len(labels)):
            base: Row = {"unit": unit, "name": labels[col], "row_kind": "line"}
            yield from _cell(row, col, col, measure, base, table, (kind, "none"), ctx)


def _cell(
    row: RawRow,
    row_no: int,
    col: int,
    measure: str,
    base: Row,
    table: RawTable,
    known: tuple[str | None, str],
    ctx: Context,
) -> Iterator[Row]:
    """The line of one cell (a blank cell is a line without an amount; words are no line)."""
    text = row.text(col)
    value = parse_amount(text)
    if value is None and text:
        return
    yield ctx.figure(table, row, row_no, measure, text, value, table_kind=known[0], classification=known[1], **base)
