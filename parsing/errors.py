"""The one exception a reader raises for a file it cannot read, with a reason an analyst can act on."""

from __future__ import annotations

import logging
from pathlib import Path


class FilingError(Exception):
    """A file that is not a readable budget filing; ``str()`` is the one line shown to the user."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


def quiet_pdfminer() -> None:
    """pdfminer logs a warning per damaged operator (a crafted page has millions); what matters
    about a file reaches the user as its one reason line instead."""
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
