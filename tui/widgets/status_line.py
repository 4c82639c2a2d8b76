"""One line for what the reader must know about loading: progress, and files that could not be read."""

from __future__ import annotations

from textual.widgets import Static

from tui.text import literal


class StatusLine(Static):
    """Hidden when there is nothing to say."""

    def say(self, message: str, *, error: bool = False) -> None:
        """Show a plain-text message (it is escaped here)."""
        self.set_class(error, "error")
        self.update(literal(message))
        self.display = bool(message)
