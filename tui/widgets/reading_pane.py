"""The common ground of the panes that are read top to bottom: j/k scrolling, focus, a figure."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll

from tui.figure import Figure


class ReadingPane(VerticalScroll):
    """A focusable scrolling pane whose highlighted figure is what `p` shows and `y` copies."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "下", show=False),
        Binding("k", "scroll_up", "上", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.can_focus = True
        self._figure: Figure | None = None

    def figure(self) -> Figure | None:
        return self._figure
