"""``yusuan serve``: the same app in a browser on localhost, through textual-serve.

Each browser tab gets its own app process, started as ``python -m tui PATH...``, so the served
app is exactly the terminal one (exports reach the browser as downloads via App.deliver_*).
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence
from pathlib import Path


def command(paths: Sequence[Path | str] | None) -> str:
    """The shell command textual-serve runs for each browser session."""
    args = [sys.executable, "-m", "tui", *(str(Path(p).resolve()) for p in paths or ())]
    return " ".join(shlex.quote(a) for a in args)


def serve(paths: Sequence[Path | str] | None, *, host: str = "localhost", port: int = 8000) -> None:
    """Serve the browser at http://host:port until interrupted."""
    from textual_serve.server import Server

    Server(command(paths), host=host, port=port, title="yusuan 预算").serve()
