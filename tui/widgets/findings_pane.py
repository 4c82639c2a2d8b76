"""A filing's consistency findings (勾稽关系): ✗ error, ≈ within rounding, · note, one per row.

The screen hands the findings down (computed once per library, off the UI thread); Enter on a
row asks the screen to show where the finding is. The highlighted row is the figure that `p`
shows and `y` copies, and `e` exports the whole list like any table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import polars as pl
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from tui.figure import Figure
from tui.messages import FigureChanged
from tui.refs import Ref
from tui.text import clip, literal, plain

if TYPE_CHECKING:
    from parsing.library import Library

MARKS = {"error": "✗", "rounding": "≈", "note": "·"}
HEADERS = ["", "规则", "说明", "出处"]


class FindingsPane(Vertical):
    """The findings of one filing, errors first."""

    class Chosen(Message):
        """The reader wants to see where a finding is."""

        def __init__(self, finding: dict[str, Any]) -> None:
            self.finding = finding
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.findings = pl.DataFrame()
        self.rows: list[dict[str, Any]] = []
        self._title = ""

    def compose(self) -> ComposeResult:
        yield Static(id="findings-title")
        yield DataTable(id="findings-table", cursor_type="row")

    def show(self, library: Library, ref: Ref, unit: str) -> None:
        """List the findings of filing ``ref.doc_id``."""
        doc = library.documents.filter(pl.col("doc_id") == ref.doc_id).row(0, named=True)
        self._title = plain(doc["title"])
        self.rows = self.findings.filter(pl.col("doc_id") == ref.doc_id).to_dicts() if self.findings.height else []
        counts = {s: sum(r["severity"] == s for r in self.rows) for s in MARKS}
        self.query_one("#findings-title", Static).update(
            f"[bold]核查[/] {literal(self._title)}\n✗ {counts['error']} 处错误  ≈ {counts['rounding']} 处尾数误差  "
            f"· {counts['note']} 条提示    [dim]Enter 定位 · e 导出[/]"
        )
        table = self.query_one(DataTable)
        table.clear(columns=True)
        width = max(20, (self.size.width or 60) - 24)
        for head in HEADERS:
            table.add_column(head)
        for r in self.rows:
            table.add_row(MARKS[r["severity"]], r["rule"], literal(clip(plain(r["message"]), width)), _where(r))
        self._announce(0)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._announce(event.cursor_row)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a finding: ask the screen to show where it is."""
        if 0 <= event.cursor_row < len(self.rows):
            self.post_message(self.Chosen(self.rows[event.cursor_row]))

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
                    x["severity"],
                    plain(x["message"]),
                    _num(x["actual"]),
                    _num(x["expected"]),
                    _num(x["difference"]),
                    _num(x["tolerance"]),
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
                    title=self._title,
                    text=plain(r["message"]),
                    source={k: r.get(k) for k in ("source_file", "source_page", "source_line", "source_table")},
                    row=list(zip(table[0], table[1 + self.rows.index(r)], strict=False)),
                    table=table,
                )
            )
        )


def _where(r: dict[str, Any]) -> str:
    at = (
        f"第{r['source_page']}页"
        if r.get("source_page")
        else (f"第{r['source_line']}行" if r.get("source_line") else "")
    )
    return literal(f"{plain(r.get('source_table') or '')} {at}".strip())


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}".rstrip("0").rstrip(".")
