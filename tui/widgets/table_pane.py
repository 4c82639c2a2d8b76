"""A budget table as printed: the unit first in the caption, codes and names pinned, amounts whole.

The grid comes ready from ``parsing.queries.grid``; this pane only lays it out. An amount is
shown whole or not at all: amount columns are as wide as their widest value in the current unit,
names are ellipsized first when space runs out, and → past the last amount column that fits
slides the amount columns along (the label columns stay), instead of cutting one at the edge.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import DataTable, Static

from parsing.queries.grid import Grid, build_grid, table_lines, table_notes
from parsing.queries.outline import export_name
from tui.figure import Figure
from tui.messages import FigureChanged
from tui.refs import Ref
from tui.text import clip, literal, plain, to_text

if TYPE_CHECKING:
    from parsing.library import Library

NAME_MAX, NAME_MIN, HEAD_MAX = 32, 8, 12
#: Columns of words (a row's name, its other classifications): they give way first when amounts need room.
WORDS = ("name", "detail")
PAD = 2  # DataTable's cell padding, one cell each side


class GridTable(DataTable):
    """A DataTable whose ← → slide the pane's amount columns at the edges instead of clipping."""

    def action_cursor_right(self) -> None:
        pane = self.parent
        if isinstance(pane, TablePane) and pane.slide(1):
            return
        super().action_cursor_right()

    def action_cursor_left(self) -> None:
        pane = self.parent
        if isinstance(pane, TablePane) and pane.slide(-1):
            return
        super().action_cursor_left()


def fit_columns(widths: list[int], labels: list[int], first: int, room: int) -> tuple[int, int]:
    """How many amount columns from ``first`` fit whole in ``room`` cells after the pinned label
    columns, and the width left to the name column's shrinking (negative: names must give that much)."""
    used = sum(widths[c] + PAD for c in labels)
    shown = 0
    for w in widths[first:]:
        if used + w + PAD > room and shown:
            break
        used += w + PAD
        shown += 1
    return shown, room - used


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
        self.doc: dict[str, Any] = {}
        self.file_name = ""
        self.first = 0  # the first amount column in view
        self.shown: list[int] = []  # grid columns currently in the DataTable, in order
        self.expected: tuple[str | None, str | None, int | None, str | None] = (None, None, None, None)
        self.labels: list[int] = []  # the code and name columns pinned (the half in view's)

    def compose(self) -> ComposeResult:
        yield Static(id="caption")
        yield GridTable(id="grid", cursor_type="cell", zebra_stripes=False)
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
            if self.expected[:2] != (ref.doc_id, ref.table_no):
                self.expected = (None, None, None, None)
            lines = table_lines(library, ref.doc_id, ref.table_no)
            self.grid = build_grid(lines)
            self.doc = library.document(ref.doc_id) if ref.doc_id else {}
            self.title = plain(self.doc.get("title"))
            self.file_name = export_name(library, ref.doc_id, ref.table_no)
            self.table_title = lines["source_table"][0] if lines.height else ref.table_no or ""
            self.first = self.grid.pinned
            self._fill()
        self._place_cursor(ref)
        self.call_after_refresh(self._place_cursor, ref)  # again once laid out, so it scrolls into view
        self._announce()

    # -- layout --------------------------------------------------------------------------------

    def _room(self) -> int:
        parent = self.parent
        width = self.size.width or (parent.size.width if isinstance(parent, Widget) else 0) or 60
        return width - 1 - (8 if self._row_labels() else 0)  # the vertical scrollbar, row labels

    def _widths(self) -> list[int]:
        """Each column's natural width in the current unit (names capped, headers capped)."""
        rows = range(len(self.grid.rows))
        out = []
        for c, column in enumerate(self.grid.columns):
            widest = max([cell_len(self.grid.text(r, c, self.money_unit)) for r in rows] + [1])
            if column.field == "code":
                widest = max(widest, 4, *(cell_len(self.grid.mark(r)) for r in rows))
                out.append(max(widest, min(cell_len(column.label), 8)))
            elif column.field in WORDS:
                out.append(max(NAME_MIN, min(NAME_MAX, max(widest, cell_len(column.label)))))
            else:
                out.append(max(widest, min(cell_len(column.label), HEAD_MAX)))
        return out

    def _row_labels(self) -> bool:
        """Subtotal marks go in the code column; without one, in row labels (合计/单位/小计)."""
        has_code = any(c.field == "code" for c in self.grid.columns)
        return not has_code and any(self.grid.row_kind(r) != "line" for r in range(len(self.grid.rows)))

    def _layout(self) -> tuple[list[int], list[int]]:
        """The grid columns to show (pinned + the amount columns that fit whole) and their widths."""
        widths = self._widths()
        # A row's other classifications first: its name repeats down a 功能 × 经济 table, they do not.
        names = sorted(
            (c for c, column in enumerate(self.grid.columns) if column.field in WORDS),
            key=lambda c: self.grid.columns[c].field != "detail",
        )
        # Names give way first: try with each name at its minimum to see how many amounts fit.
        squeezed = [NAME_MIN if c in names else w for c, w in enumerate(widths)]
        self.first = max(self.grid.pinned, min(self.first, len(widths) - 1))
        if not self.grid.columns[self.first].numeric:  # a later half's code and name are pinned
            self.first = self._next_amount(self.first - 1, 1) or self.first
        self.labels = self._labels_of(self.first)
        shown, _ = fit_columns(squeezed, self.labels, self.first, self._room())
        visible = self.labels + list(range(self.first, self.first + shown))
        spare = self._room() - sum(squeezed[c] + PAD for c in visible)
        for c in (c for c in names if c in visible):  # give the names back what is spare, up to their width
            grow = min(widths[c] - NAME_MIN, max(0, spare))
            squeezed[c] += grow
            spare -= grow
        return visible, [squeezed[c] for c in visible]

    def _labels_of(self, first: int) -> list[int]:
        """The code and name columns kept in view: those of the half the window's first amount is
        in, so a table printed left | right never pairs the left half's names with the right's
        amounts."""
        side = self.grid.columns[first].side
        labels = [c for c, col in enumerate(self.grid.columns) if col.side == side and not col.numeric]
        return labels or list(range(self.grid.pinned))

    def _next_amount(self, c: int, step: int) -> int | None:
        """The nearest amount column after (step 1) or before (step -1) grid column ``c``."""
        ahead = range(c + 1, len(self.grid.columns)) if step > 0 else range(c - 1, -1, -1)
        return next((i for i in ahead if self.grid.columns[i].numeric), None)

    def _fill(self) -> None:
        unit = self.money_unit
        caption = f"[bold]单位：{unit}[/]  {literal(self.table_title)}"
        self.query_one("#caption", Static).update(caption)
        table = self.table
        row, col = table.cursor_coordinate
        table.clear(columns=True)
        self.shown, widths = self._layout()
        for i, (c, width) in zip(range(len(self.shown)), zip(self.shown, widths, strict=True), strict=False):
            column = self.grid.columns[c]
            label = to_text(literal(clip(column.label, width)))
            if column.numeric:
                label.justify = "right"
            table.add_column(label, key=str(i), width=width)
        for r, key in enumerate(self.grid.keys):
            kind = self.grid.row_kind(r)
            cells = []
            for c, width in zip(self.shown, widths, strict=True):
                column = self.grid.columns[c]
                value = self.grid.text(r, c, unit)
                if column.field == "code" and not value:  # aggregate rows have no code: mark them there
                    value = self.grid.mark(r)
                keep_end = column.field == "detail"  # 50101-工资奖金津补贴 · 30101-基本工资: the last tells rows apart
                markup = literal(clip(plain(value), width, keep_end=keep_end)) if not column.numeric else literal(value)
                text = to_text(f"[bold]{markup}[/]" if kind != "line" else markup)
                if column.numeric:
                    text.justify = "right"
                cells.append(text)
            mark = Text(self.grid.mark(r), style="bold") if self._row_labels() else None
            table.add_row(*cells, key=f"{key[0]}:{key[1]}", label=mark)
        table.fixed_columns = len(self.labels)
        table.show_row_labels = self._row_labels()
        if self.grid.rows:
            table.move_cursor(row=min(row, len(self.grid.rows) - 1), column=min(col, len(self.shown) - 1))
        self._fill_notes()

    def _fill_notes(self) -> None:
        notes_widget = self.query_one("#notes", Static)
        notes = table_notes(self.library, self.ref.doc_id, self.table_title) if self.library and self.ref else []
        if not self.grid.rows:
            notes = ["此表没有读出数字行" + ("：" if notes else "（文件中此表可能为空表）"), *notes]
            notes_widget.styles.max_height = None
        else:
            notes_widget.styles.max_height = 3
        notes_widget.update("\n".join(literal(n) for n in notes))
        notes_widget.display = bool(notes)

    def on_resize(self, event: events.Resize) -> None:
        if self.grid.columns:
            self._fill()

    def slide(self, step: int) -> bool:
        """At the edge of the amount columns in view, slide them by one; True when it slid."""
        if not self.shown:
            return False
        col = self.table.cursor_column
        amounts = list(range(len(self.labels), len(self.shown)))
        beyond = self._next_amount(self.shown[col], step) if amounts else None
        if beyond is None or col != amounts[-1 if step > 0 else 0] or beyond in self.shown:
            return False
        self.first = self._next_amount(self.first, step) or self.first
        target = beyond
        self._fill()
        self.table.move_cursor(column=self.shown.index(target) if target in self.shown else col, animate=False)
        return True

    def _show_column(self, c: int) -> int:
        """Bring grid column ``c`` into view; its index in the DataTable."""
        if c not in self.shown:
            self.first = max(self.grid.pinned, c)
            self._fill()
        return self.shown.index(c) if c in self.shown else 0

    def expect_row(self, doc_id: str | None, table_no: str | None, row_no: int | None, side: str | None) -> None:
        """Open table ``table_no`` of ``doc_id`` (when it is next shown, or now if it is) on a
        printed row that has no tree node of its own: a 合计, a code-less row."""
        self.expected = (doc_id, table_no, row_no, side)
        if self.ref is not None and (self.ref.doc_id, self.ref.table_no) == (doc_id, table_no):
            self._place_cursor(self.ref)

    def _place_cursor(self, ref: Ref) -> None:
        """On the row of a line ref (its side's first amount), the row expected for a table
        (``expect_row``), else the table's first amount."""
        if not self.grid.rows:
            return
        doc_id, table_no, row_no, side = self.expected
        if ref.kind == "table" and (ref.doc_id, ref.table_no) == (doc_id, table_no) and row_no is not None:
            ref = replace(ref, kind="line", row_no=row_no, side=side)
        row = self.grid.find_row(ref.row_no) if ref.kind == "line" else 0
        side = ref.side if ref.kind == "line" and any(c.side for c in self.grid.columns) else None
        col = next(
            (i for i, c in enumerate(self.grid.columns) if c.measure is not None and (side is None or c.side == side)),
            0,
        )
        self.table.move_cursor(row=row, column=self._show_column(col), animate=False)
        self.table.scroll_to(x=0, animate=False)  # the whole window is in view: nothing half a cell off

    def action_grid(self, direction: str) -> None:
        getattr(self.table, f"action_cursor_{direction}")()

    @on(DataTable.CellHighlighted)
    def _cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        event.stop()
        self._announce()

    def cursor_line(self) -> dict[str, Any] | None:
        """The budget line under the cursor (on a code or name: the row's first amount on its side)."""
        if not self.grid.rows or not self.shown:
            return None
        r, shown_col = self.table.cursor_coordinate
        if r >= len(self.grid.rows) or shown_col >= len(self.shown):
            return None
        c = self.shown[shown_col]
        column = self.grid.columns[c]
        if column.measure is None:
            c = next((i for i, col in enumerate(self.grid.columns) if col.measure and col.side == column.side), c)
        return self.grid.rows[r][c]

    def figure(self) -> Figure | None:
        """The highlighted cell as a citable figure."""
        if not self.grid.rows or not self.shown:
            return None
        r, shown_col = self.table.cursor_coordinate
        if r >= len(self.grid.rows) or shown_col >= len(self.shown):
            return None
        c = self.shown[shown_col]
        column = self.grid.columns[c]
        line = self.grid.rows[r][c]
        if column.measure is None:  # on a code or name: cite the row's first amount
            c = next((i for i, col in enumerate(self.grid.columns) if col.measure and col.side == column.side), c)
            column, line = self.grid.columns[c], self.grid.rows[r][c]
        if line is None:
            return None
        name = " ".join(plain(x) for x in (line.get("code"), line.get("name")) if x)
        header = self.grid.header(self.money_unit)
        body = self.grid.body(self.money_unit, tsv=True)
        return Figure(
            label=f"{name} {column.label}".strip(),
            value=self.grid.text(r, c, self.money_unit),
            unit=self.money_unit,
            title=self.title,
            source={k: line.get(k) for k in ("source_file", "source_page", "source_line", "source_table")},
            row=list(zip(header, body[r], strict=False)),
            table=[header, *body],
            department=plain(self.doc.get("department")),
            filing=f"{self.doc.get('year') or ''} {plain(self.doc.get('kind'))}".strip(),
            name=self.file_name,
        )

    def _announce(self) -> None:
        self.post_message(FigureChanged(self.figure()))
