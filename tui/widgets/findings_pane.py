"""A filing's consistency findings (勾稽关系): ✗ error, ≈ within rounding, · note, one per row.

The screen hands the findings down (computed once per library, off the UI thread); Enter on a
row asks the screen to show where the finding is, and Backspace there comes back to it. Long
messages wrap, with where they were printed on the line below. The highlighted row is the figure
that `p` shows and `y` copies, and `e` exports the whole list like any table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import polars as pl
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from parsing.numbers import format_number
from parsing.queries.outline import export_name, findings_of
from tui.figure import Figure
from tui.messages import FigureChanged
from tui.refs import Ref
from tui.text import literal, plain

if TYPE_CHECKING:
    from parsing.library import Library

MARKS = {"error": "✗", "rounding": "≈", "note": "·"}
SEVERITY_ZH = {"error": "错误", "rounding": "尾数误差", "note": "提示"}
RULE_WIDTH = 10


class FindingsPane(Vertical):
    """The findings of one filing, errors first."""

    class Chosen(Message):
        """The reader wants to see where a finding is."""

        def __init__(self, finding: dict[str, Any], row: int = 0) -> None:
            self.finding = finding
            self.row = row
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.findings = pl.DataFrame()
        self.rows: list[dict[str, Any]] = []
        self._doc: dict[str, Any] = {}
        self._file_name = ""

    def compose(self) -> ComposeResult:
        yield Static(id="findings-title")
        yield DataTable(id="findings-table", cursor_type="row")

    def show(self, library: Library, ref: Ref, unit: str) -> None:
        """List the findings of filing ``ref.doc_id``."""
        self._doc = library.document(ref.doc_id) if ref.doc_id else {}
        self._file_name = export_name(library, ref.doc_id) + "_核查"
        self.rows = findings_of(self.findings, ref.doc_id)
        counts = {s: sum(r["severity"] == s for r in self.rows) for s in MARKS}
        self.query_one("#findings-title", Static).update(
            f"[bold]核查[/] {literal(self._doc.get('title'))}\n✗ {counts['error']} 处错误  "
            f"≈ {counts['rounding']} 处尾数误差  · {counts['note']} 条提示  [dim]Enter 定位[/]"
        )
        self._fill()
        self._announce(0)

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        width = max(16, (self.size.width or 60) - RULE_WIDTH - 2 - 2 * 3 - 1)
        table.add_column("", width=1)
        table.add_column("规则", width=RULE_WIDTH)
        table.add_column("说明（出处）", width=width)
        for r in self.rows:
            text = Text(plain(r["message"]))
            where = _where(r)
            if where:
                text.append("\n" + where, style="dim")
            table.add_row(MARKS[r["severity"]], Text(plain(r["rule"]), overflow="fold"), text, height=None)
        if self.rows:
            table.move_cursor(row=min(row, len(self.rows) - 1))

    def on_resize(self, event: events.Resize) -> None:
        if self.rows:
            self._fill()

    def select(self, row: int) -> None:
        """Put the cursor on finding ``row`` (coming back from where it is)."""
        table = self.query_one(DataTable)
        table.move_cursor(row=row, animate=False)
        table.focus()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._announce(event.cursor_row)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a finding: ask the screen to show where it is."""
        if 0 <= event.cursor_row < len(self.rows):
            self.post_message(self.Chosen(self.rows[event.cursor_row], event.cursor_row))

    def _announce(self, index: int) -> None:
        if not self.rows:
            self.post_message(FigureChanged(None))
            return
        r = self.rows[min(index, len(self.rows) - 1)]
        table = [
            ["标记", "规则", "规则说明", "严重程度", "说明", "印", "算", "差", "容差", "出处"],
            *[
                [
                    MARKS[x["severity"]],
                    x["rule"],
                    x["title_zh"],
                    SEVERITY_ZH.get(x["severity"], x["severity"]),
                    plain(x["message"]),
                    format_number(x["actual"], decimals=4, grouping=False),
                    format_number(x["expected"], decimals=4, grouping=False),
                    format_number(x["difference"], decimals=4, grouping=False),
                    format_number(x["tolerance"], decimals=4, grouping=False),
                    _where(x),
                ]
                for x in self.rows
            ],
        ]
        self.post_message(
            FigureChanged(
                Figure(
                    label=f"{r['rule']} {plain(r['rows'])}",
                    value=MARKS[r["severity"]],
                    unit="",
                    title=plain(self._doc.get("title")),
                    text=plain(r["message"]),
                    source={
                        "source_file": r.get("source_file"),
                        "source_page": r.get("source_page"),
                        "source_line": r.get("source_line"),
                        "source_table": r.get("source_table") or r.get("table"),
                    },
                    row=list(zip(table[0], table[1 + self.rows.index(r)], strict=False)),
                    table=table,
                    department=plain(self._doc.get("department")),
                    filing=f"{self._doc.get('year') or ''} {plain(self._doc.get('kind'))}".strip(),
                    name=self._file_name,
                )
            )
        )


def _where(r: dict[str, Any]) -> str:
    """The table and the page (PDF) or line (text) a finding cites, as plain text."""
    at = (
        f"第{r['source_page']}页"
        if r.get("source_page")
        else (f"第{r['source_line']}行" if r.get("source_line") else "")
    )
    return plain(f"{plain(r.get('source_table') or r.get('table') or '')} {at}".strip())
