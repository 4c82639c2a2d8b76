"""A paragraph of filing text, wrapped between characters but never inside a figure.

Textual folds a Chinese paragraph at any cell, so '2995.39万元' can read '2995.3' / '9万元'; this
widget breaks its lines itself (``tui.text.wrap``) whenever its width changes.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Static

from tui.text import literal, plain, wrap


class Paragraph(Static):
    """Filing text shown literally, its lines broken where a reader would break them."""

    def __init__(self, text: object, *, classes: str | None = None) -> None:
        self.text = plain(text, oneline=False)
        super().__init__(literal(self.text, oneline=False), classes=classes)
        self._wrapped_at = 0

    def on_resize(self, event: events.Resize) -> None:
        width = self.content_size.width
        if width and width != self._wrapped_at:
            self._wrapped_at = width
            self.update("\n".join(literal(line, oneline=False) for line in wrap(self.text, width)))
