"""A budget table as printed: caption with the unit, codes and names pinned, subtotal rows marked.

The long ``budget_lines`` rows (one per figure) are put back into the paper's grid here: one
line per printed row, one column per measure; a 收支总表 keeps its income side on the left and its
expenditure side on the right. Each cell remembers the row it came from, for provenance and copy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import polars as pl
from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import DataTable, Static

from tui.figure import Figure
from tui.format import money
from tui.messages import FigureChanged
from tui.refs import Ref
from tui.text import literal, plain, to_text

if TYPE_CHECKING:
    from parsing.library import Library

AGGREGATE = {"total": "合计", "unit_total": "单位", "subtotal": "小计"}
SIDES = (("income", "收入"), ("expenditure", "支出"))


@dataclass
class Column:
    label: str  # as printed (plain)
    side: str | None = None  # income / expenditure for two-sided tables
    measure: str | None = None  # None for the code and name columns
    field: str = "amount"  # "code", "name" or "amount"


@dataclass
class Grid:
    """A table rebuilt from its lines: columns, and per row the source line behind each column."""

    columns: list[Column] = field(default_factory=list)
    rows: list[list[dict[str, Any] | None]] = field(default_factory=list)
    keys: list[tuple[str | None, int]] = field(default_factory=list)  # (side, row_no) per row
    pinned: int = 1

    def text(self, row: int, col: int, unit: str, *, tsv: bool = False) -> str:
        """A cell as plain text (TSV amounts without thousands separators)."""
        line = self.rows[row][col]
        column = self.columns[col]
        if line is None:
            return ""
        if column.field != "amount":
            return plain(line.get(column.field))
        value = money(line["amount"], unit)
        return value.replace(",", "") if tsv else value

    def row_kind(self, row: int) -> str:
        kinds = {line["row_kind"] for line in self.rows[row] if line is not None}
        return next((k for k in AGGREGATE if k in kinds), "line")


def build_grid(lines: pl.DataFrame) -> Grid:
    """One table's ``budget_lines`` → the grid as printed."""
    grid = Grid()
    records = lines.to_dicts()
    two_sided = any(r["side"] for r in records)
    has_code = any(r["code"] for r in records)
    sides: Sequence[str | None] = [s for s, _ in SIDES if any(r["side"] == s for r in records)] if two_sided else [None]
    for side in sides:
        measures = list(dict.fromkeys(r["measure"] for r in records if r["side"] == side))
        if has_code and not two_sided:
            grid.columns.append(Column("科目编码", side, field="code"))
        label = "项目" if side is None else dict(SIDES)[side] + "项目"
        grid.columns.append(Column("科目名称" if has_code and not two_sided else label, side, field="name"))
        grid.columns += [Column(m or "", side, m) for m in measures]
    grid.pinned = 0 if two_sided else 2 if has_code else 1
    by_key: dict[tuple[str | None, int], dict[str | None, dict[str, Any]]] = {}
    order: list[int] = []
    for r in records:
        by_key.setdefault((r["side"], r["row_no"]), {})[r["measure"]] = r
        if r["row_no"] not in order:
            order.append(r["row_no"])
    row_keys: list[tuple[str | None, int]] = []
    if two_sided:
        row_keys = [(None, n) for n in sorted(order)]
    else:
        row_keys = [(None, n) for n in order]
    for _, row_no in row_keys:
        cells: list[dict[str, Any] | None] = []
        for column in grid.columns:
            line_side = column.side if two_sided else None
            measures = by_key.get((line_side, row_no), {})
            if column.measure is None:
                cells.append(next(iter(measures.values()), None))
            else:
                cells.append(measures.get(column.measure))
        grid.rows.append(cells)
        grid.keys.append((None, row_no))
    return grid


class TablePane(Vertical):
    """One budget table; the cursor is on a cell and that cell is the figure to cite."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h", "grid('left')", "左", show=False),
        Binding("j", "grid('down')", "下", show=False),
        Binding("k", "grid('up')", "上", show=False),
        Binding("l", "grid('right')", "右", show=False),
    ]

    DEFAULT_CSS = """
    TablePane > #caption { height: auto; }
    TablePane > DataTable { height: 1fr; scrollbar-size-vertical: 1; }
    TablePane > #notes { height: auto; max-height: 3; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.library: Library | None = None
        self.ref: Ref | None = None
        self.money_unit = "万元"
        self.grid = Grid()
        self.title = ""
        self.table_title = ""

    def compose(self) -> ComposeResult:
        yield Static(id="caption")
        yield DataTable(id="grid", cursor_type="cell", zebra_stripes=False)
        yield Static(id="notes")

    @property
    def table(self) -> DataTable:
        return self.query_one("#grid", DataTable)

    def show(self, library: Library, ref: Ref, unit: str) -> None:
        """Show the table of ``ref`` (a table, or a row of one, which gets the cursor)."""
        same_table = (
            self.ref is not None
            and self.library is library
            and self.money_unit == unit
            and (self.ref.doc_id, self.ref.table_no) == (ref.doc_id, ref.table_no)
        )
        self.library, self.ref, self.money_unit = library, ref, unit
        if not same_table:
            lines = library.budget_lines.filter((pl.col("doc_id") == ref.doc_id) & (pl.col("table_no") == ref.table_no))
            self.grid = build_grid(lines)
            docs = library.documents.filter(pl.col("doc_id") == ref.doc_id)
            self.title = docs["title"][0] if docs.height else ""
            self.table_title = lines["source_table"][0] if lines.height else ref.table_no or ""
            self._fill()
        self._place_cursor(ref)
        self.call_after_refresh(self._place_cursor, ref)  # again once laid out, so it scrolls into view
        self._announce()

    def _name_width(self) -> int:
        """As wide as the names need, leaving room for the code and one amount column (two when wide)."""
        pane = (self.parent.size.width if isinstance(self.parent, Widget) else 0) or self.size.width or 48
        rows = range(len(self.grid.rows))
        fixed = 6 if self._row_labels() else 0
        amounts = 0
        for c, column in enumerate(self.grid.columns):
            widest = max([cell_len(self.grid.text(r, c, self.money_unit)) for r in rows] + [4])
            if column.field == "code":
                fixed += widest + 2
            elif column.field == "amount" and amounts < (1 if pane < 64 else 2):
                fixed += max(widest, min(12, cell_len(column.label))) + 2
                amounts += 1
        names = max(
            [
                cell_len(self.grid.text(r, c, self.money_unit))
                for r in rows
                for c, col in enumerate(self.grid.columns)
                if col.field == "name"
            ]
            + [4]
        )
        return max(10, min(names, 32, pane - fixed - 4))

    def _row_labels(self) -> bool:
        """Subtotal marks go in the code column; without one, in row labels (合计/单位/小计)."""
        has_code = any(c.field == "code" for c in self.grid.columns)
        return not has_code and any(self.grid.row_kind(r) != "line" for r in range(len(self.grid.rows)))

    def _fill(self) -> None:
        caption = f"[bold]{literal(self.table_title)}[/]  单位：{self.money_unit}"
        self.query_one("#caption", Static).update(caption)
        table = self.table
        table.clear(columns=True)
        name_width = self._name_width()
        for i, column in enumerate(self.grid.columns):
            label = literal(column.label, width=name_width if column.field == "name" else 12)
            if column.field == "name":
                table.add_column(to_text(label), key=str(i), width=name_width)
            else:
                table.add_column(to_text(label), key=str(i))
        has_code = any(c.field == "code" for c in self.grid.columns)
        for r, key in enumerate(self.grid.keys):
            kind = self.grid.row_kind(r)
            cells = []
            for c, column in enumerate(self.grid.columns):
                value = self.grid.text(r, c, self.money_unit)
                if column.field == "code" and not value:  # aggregate rows have no code: mark them there
                    value = AGGREGATE.get(kind, "")
                if column.field == "name":
                    markup = literal(value, width=name_width)
                else:
                    markup = literal(value)
                text = to_text(f"[bold]{markup}[/]" if kind != "line" else markup)
                if column.field == "amount":
                    text.justify = "right"
                cells.append(text)
            label = None if has_code else Text(AGGREGATE.get(kind, ""), style="bold")
            table.add_row(*cells, key=f"{key[0]}:{key[1]}", label=label)
        table.fixed_columns = self.grid.pinned
        table.show_row_labels = self._row_labels()
        notes = self._notes()
        self.query_one("#notes", Static).update(notes)
        self.query_one("#notes", Static).display = bool(notes)

    def _notes(self) -> str:
        if self.library is None or self.ref is None:
            return ""
        notes = self.library.notes.filter(
            (pl.col("doc_id") == self.ref.doc_id)
            & (pl.col("source_table") == self.table_title)
            & (pl.col("kind") == "footnote")
        )
        return "\n".join(literal(d) for d in notes["detail"].to_list())

    def _place_cursor(self, ref: Ref) -> None:
        """On the row of a line ref (its side's first amount), else the table's first amount."""
        row = 0
        side = None
        if ref.kind == "line":
            row = next((i for i, (_, n) in enumerate(self.grid.keys) if n == ref.row_no), 0)
            side = ref.side if any(c.side for c in self.grid.columns) else None
        col = next(
            (i for i, c in enumerate(self.grid.columns) if c.measure is not None and (side is None or c.side == side)),
            0,
        )
        self.table.move_cursor(row=row, column=col, animate=False)
        if ref.kind == "table" or side in (None, "income"):
            self.table.scroll_to(x=0, animate=False)  # the first columns in view, not half a cell off

    def action_grid(self, direction: str) -> None:
        getattr(self.table, f"action_cursor_{direction}")()

    @on(DataTable.CellHighlighted)
    def _cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        event.stop()
        self._announce()

    def figure(self) -> Figure | None:
        """The highlighted cell as a citable figure."""
        if not self.grid.rows:
            return None
        r, c = self.table.cursor_coordinate
        if r >= len(self.grid.rows) or c >= len(self.grid.columns):
            return None
        column = self.grid.columns[c]
        line = self.grid.rows[r][c]
        if column.measure is None:  # on a code or name: cite the row's first amount
            c = next((i for i, col in enumerate(self.grid.columns) if col.measure and col.side == column.side), c)
            column, line = self.grid.columns[c], self.grid.rows[r][c]
        if line is None:
            return None
        name = " ".join(plain(x) for x in (line.get("code"), line.get("name")) if x)
        header = [col.label for col in self.grid.columns]
        body = [
            [self.grid.text(i, j, self.money_unit, tsv=True) for j in range(len(header))]
            for i in range(len(self.grid.rows))
        ]
        return Figure(
            label=f"{name} {column.label}".strip(),
            value=self.grid.text(r, c, self.money_unit),
            unit=self.money_unit,
            title=self.title,
            source={k: line.get(k) for k in ("source_file", "source_page", "source_line", "source_table")},
            row=list(zip(header, body[r], strict=False)),
            table=[header, *body],
        )

    def _announce(self) -> None:
        self.post_message(FigureChanged(self.figure()))
