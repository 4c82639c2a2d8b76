"""The one exception a reader raises for a file it cannot read, with a reason an analyst can act on."""

from __future__ import annotations

from pathlib import Path


class FilingError(Exception):
    """A file that is not a readable budget filing; ``str()`` is the one line shown to the user."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")
