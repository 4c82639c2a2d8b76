"""Reading the main screen's library: the last one these paths were opened as at once, then a
check of the files behind it.

A start on ten thousand filings would otherwise spend most of its time stat-ing every file to
learn that nothing changed. The snapshot last loaded for the same paths is shown first, with a
note on the status line while the files are checked in the same worker; a change is read again
and replaces it, with a notice, so nothing changed on disk is shown as it was without saying so.
Before that snapshot's frames are read, its department names are drawn: the tree is on screen
before Polars is imported, which is a third of a start.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from textual.worker import get_current_worker

from tui.text import literal
from tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from textual.app import App

    from parsing.errors import FilingError
    from parsing.library import Library

CHECKING = "正在核对文件是否有变动…"
CHANGED = "文件有变动，已按现在的文件重新读取"


class Host(Protocol):
    """What loading needs of the main screen (named, so that this module need not import it)."""

    library: Library | None
    drawn: threading.Event
    app: App[Any]

    def query_one(self, selector: Any) -> Any: ...
    def notify(
        self, message: str, *, title: str = ..., severity: Any = ..., timeout: float | None = ..., markup: bool = ...
    ) -> None: ...
    def show_departments(self, names: list[str]) -> None: ...
    def populate(self, library: Library, *, checking: bool = ..., changed: bool = ...) -> None: ...


def read_library(screen: Host, paths: Sequence[Path] | None) -> None:
    """The body of the screen's load worker (runs off the UI thread)."""
    worker = get_current_worker()
    app = screen.app
    status = screen.query_one(StatusLine)

    def progress(done: int, total: int, path: Path) -> None:
        if not worker.is_cancelled:
            app.call_from_thread(status.say, f"正在解析 {done}/{total}  {path.name}")

    try:
        from parsing.store import recent  # the standard library only: no Polars yet

        names = recent.departments(paths)
        if names and not worker.is_cancelled:
            app.call_from_thread(screen.show_departments, names)
            screen.drawn.wait(timeout=5)
        from parsing.library import Library

        shown = Library.recent(paths)
        if shown is not None and not worker.is_cancelled:
            app.call_from_thread(screen.populate, shown, checking=True)
            screen.drawn.wait(timeout=5)  # the tree on screen first; the check after
        if worker.is_cancelled:  # quit already: no check to wait for
            return
        start_resource_tracker()
        library = Library.load(paths, progress=progress, shown=shown)
    except Exception as error:
        if not worker.is_cancelled:
            app.call_from_thread(status.say, f"无法读取资料库：{error}", error=True)
        return
    if worker.is_cancelled:
        return
    if shown is not None and library.folder == shown.folder:
        app.call_from_thread(checked, screen, library.errors)
    else:
        app.call_from_thread(screen.populate, library, changed=shown is not None)
    with contextlib.suppress(Exception):  # read now, so that the first card opened does not wait
        _ = library.projects


def checked(screen: Host, errors: list[FilingError]) -> None:
    """The files were what the shown library was read from: only the errors may be new."""
    before = [str(e) for e in screen.library.errors] if screen.library is not None else []
    if screen.library is not None:
        screen.library.errors = errors
    say_errors(screen, errors, "", notify=[str(e) for e in errors] != before)


def say_errors(screen: Host, errors: list[FilingError], note: str, *, notify: bool = True) -> None:
    """Files that could not be read on the status line (the first five as notices too) after
    ``note`` (the checking note is never hidden by them)."""
    status = screen.query_one(StatusLine)
    if errors:
        more = f"（另有 {len(errors) - 1} 个）" if len(errors) > 1 else ""
        lead = f"{note}  " if note else ""
        status.say(f"{lead}{len(errors)} 个文件未能读取：{short(errors[0])}{more}", error=True)
        for error in errors[:5] if notify else ():
            screen.notify(literal(str(error), oneline=False), severity="error", timeout=8)
    else:
        status.say(note)


def short(error: object) -> str:
    """A load error for one line: the file's name (not its whole path) and the reason."""
    path, reason = getattr(error, "path", None), getattr(error, "reason", None)
    return f"{path.name}: {reason}" if isinstance(path, Path) and reason else str(error)


def start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with the real stderr, after the tree is drawn.

    Changed filings are parsed in spawned processes; spawning starts the tracker, which hands it
    ``sys.stderr.fileno()``. Inside a running Textual app stderr is captured and has no file
    descriptor (-1), so the first spawn would fail with "bad value(s) in fds_to_keep". Started
    here, not before the app, a start with nothing to parse does not wait for it.
    """
    from multiprocessing import resource_tracker

    captured, sys.stderr = sys.stderr, sys.__stderr__
    try:
        with contextlib.suppress(Exception):  # without it, a failed spawn is reported as a load error
            resource_tracker.ensure_running()
    finally:
        sys.stderr = captured
