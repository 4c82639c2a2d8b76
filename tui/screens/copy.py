"""Copy the highlighted figure: its cell, its row or its table as TSV, or a citation."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.figure import Figure
from tui.text import clip, literal, plain

CHOICES = (("c", "单元格"), ("r", "整行 (TSV)"), ("t", "整表 (TSV)"), ("s", "引用"))


def payload(figure: Figure, choice: str) -> str:
    """The text a choice puts on the clipboard."""
    if choice == "c":
        return figure.cell_text()
    if choice == "r":
        return figure.row_tsv()
    if choice == "t":
        return figure.table_tsv()
    return figure.citation()


class CopyDialog(ModalScreen[str | None]):
    """Pick what to copy; dismisses with the text (None when cancelled)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss(None)", "取消"),
        Binding("c,y", "pick('c')", "单元格", show=False),
        Binding("r", "pick('r')", "整行（TSV）", show=False),
        Binding("t", "pick('t')", "整表（TSV）", show=False),
        Binding("s", "pick('s')", "引用（《文件》表 科目 金额）", show=False),
        Binding("j", "move('down')", show=False),
        Binding("k", "move('up')", show=False),
    ]

    def __init__(self, figure: Figure) -> None:
        super().__init__()
        self.figure = figure

    def compose(self) -> ComposeResult:
        with Vertical(id="copy-box"):
            yield Static("[bold]复制[/]  按字母或回车，Esc 取消")
            options = []
            for key, label in CHOICES:
                preview = clip(plain(payload(self.figure, key)), 40)
                options.append(Option(f"{key}  {label}  [dim]{literal(preview)}[/]", id=key))
            yield OptionList(*options)

    def action_pick(self, choice: str) -> None:
        self.dismiss(payload(self.figure, choice))

    def action_move(self, direction: str) -> None:
        getattr(self.query_one(OptionList), f"action_cursor_{direction}")()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.action_pick(event.option.id or "c")
