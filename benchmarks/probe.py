"""`python -m benchmarks.probe ARGS…`: run `yusuan ARGS…` and note the moment its tree is first shown.

With YUSUAN_EXIT_WHEN_READY set, the app calls ``App.exit`` once its tree is on screen (after the
first refresh). Wrapping ``App.exit`` records that moment on the wall clock (comparable with the
parent's) and the peak memory so far; the process then ends as the app would, its background work
(search index, checks) finishing first. Peak memory is VmHWM of this process's own address space:
``ru_maxrss`` would include the parent's size at fork. ``--bare`` runs the floor instead: a bare
Textual app that shows one Tree and exits the same way. One JSON line is printed at the end.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any


def main(argv: list[str]) -> None:
    os.environ["YUSUAN_EXIT_WHEN_READY"] = "1"
    from textual.app import App

    seen: dict[str, float] = {}
    exit_app = App.exit

    def exit_when_ready(self: App[Any], *args: Any, **kwargs: Any) -> None:
        seen.setdefault("ready", time.time())
        seen.setdefault("rss_ready_mb", peak_mb())
        seen.setdefault("cpu_ready_s", sum(os.times()[:2]))
        exit_app(self, *args, **kwargs)

    App.exit = exit_when_ready  # type: ignore[method-assign]
    if argv == ["--bare"]:
        from benchmarks.floors import BareApp

        BareApp().run(headless=True)
    else:
        from tui.cli import main as yusuan

        yusuan(argv)
    print(json.dumps({**seen, "rss_mb": peak_mb()}))


def peak_mb() -> float:
    """This process's peak resident memory so far (VmHWM), in MB."""
    status = Path("/proc/self/status").read_text(encoding="ascii")
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) / 1024 if match else float("nan")


if __name__ == "__main__":
    main(sys.argv[1:])
