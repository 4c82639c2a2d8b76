"""The key hints at the bottom of the browser: one line of text, each key clickable.

Textual's Footer is a widget per key, recomposed whenever focus or the bindings change — several
times while the browser starts, each time styling a dozen widgets. This bar only redraws its line.
"""

from __future__ import annotations

from typing import ClassVar

from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget

from tui.text import literal


class KeyBar(Widget):
    """The shown bindings of the screen, left; the command palette's key, right."""

    DEFAULT_CSS: ClassVar[str] = """
    KeyBar { dock: bottom; height: 1; background: $footer-background; color: $footer-foreground; }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        self.refresh()

    def render(self) -> Content:
        palette = self.app.COMMAND_PALETTE_BINDING
        left, right = [], ""
        seen: set[str] = set()
        for key, (_node, binding, enabled, _tip) in self.screen.active_bindings.items():
            if key == palette and self.app.ENABLE_COMMAND_PALETTE:
                right = self._key(key, self.app.get_key_display(binding), binding.description, enabled, pad="")
            elif binding.show and binding.action not in seen:
                seen.add(binding.action)
                left.append(self._key(key, self.app.get_key_display(binding), binding.description, enabled))
        line = "".join(left)
        shown = Content.from_markup(line).cell_length
        gap = max(1, self.size.width - shown - Content.from_markup(right).cell_length - 2)
        return Content.from_markup(f"{line}{' ' * gap}▏{right} " if right else line)

    @staticmethod
    def _key(key: str, display: str, description: str, enabled: bool, pad: str = " ") -> str:
        label = f"{pad}[b]{literal(display)}[/b] {literal(description)}{pad}"
        return f"[@click=app.simulate_key({key!r})]{label}[/]" if enabled else f"[dim]{label}[/]"
