"""F1: every key of the browser, grouped by where it works."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.text import literal

KEY_NAMES = {
    "escape": "Esc",
    "backspace": "Backspace",
    "enter": "Enter",
    "tab": "Tab",
    "slash": "/",
    "question_mark": "?",
    "left": "Left",
    "right": "Right",
    "up": "Up",
    "down": "Down",
    "f1": "F1",
    "ctrl+p": "Ctrl+P",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "space": "Space",
    "right_square_bracket": "]",
    "left_square_bracket": "[",
    "full_stop": ".",
}

Section = tuple[str, Sequence[tuple[str, str]]]


def key_name(keys: str) -> str:
    """ "escape,backspace" → "Esc / Backspace"."""
    return " / ".join(KEY_NAMES.get(k.strip(), k.strip()) for k in keys.split(","))


def binding_rows(bindings: Sequence[Binding | tuple[str, ...]]) -> list[tuple[str, str]]:
    """(key, description) for each binding that has a description."""
    rows = []
    for b in bindings:
        if isinstance(b, Binding) and b.description:
            rows.append((key_name(b.key), b.description))
    return rows


class HelpDialog(ModalScreen[None]):
    """A scrollable list of keys; any of Esc, q, F1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1", "dismiss(None)", "关闭"),
        Binding("j,down", "scroll('down')", show=False),
        Binding("k,up", "scroll('up')", show=False),
    ]

    def __init__(self, sections: Sequence[Section]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        lines = ["[bold]按键[/]  （Esc 关闭）"]
        width = max((cell_len(k) for _, rows in self.sections for k, _ in rows), default=8) + 2
        for title, rows in self.sections:
            lines += ["", f"[bold]{literal(title)}[/]"]
            lines += [f"  {literal(k)}{' ' * (width - cell_len(k))}{literal(d)}" for k, d in rows]
        with VerticalScroll(id="help-box"):
            yield Static("\n".join(lines), id="help-text")

    def action_scroll(self, direction: str) -> None:
        box = self.query_one("#help-box", VerticalScroll)
        box.scroll_down() if direction == "down" else box.scroll_up()
