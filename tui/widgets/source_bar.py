"""Where the highlighted figure was printed: file, page or line, table, and the citation."""

from __future__ import annotations

from textual.widgets import Static

from tui.figure import Figure
from tui.text import literal


class SourceBar(Static):
    """Two lines at the bottom, shown on demand (p), following the cursor."""

    def show_figure(self, figure: Figure | None) -> None:
        if figure is None:
            self.update("[dim]出处：此处没有可引用的数字[/]")
            return
        self.update(f"[bold]出处[/] {literal(figure.where())}\n{literal(figure.citation())}")
