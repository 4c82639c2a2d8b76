"""A department's consistency checks, run off the UI thread when it is first opened.

A start runs none: a large library's checks are minutes of work nobody asked for yet. The main
screen keeps each department's state (the card says 核查中… till its checks are done) and the
findings so far, which it hands to the tree, the card and the findings pane.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from tui.widgets.filing_tree import FilingTree
from tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    import polars as pl
    from textual.app import App

    from parsing.library import Library
    from tui.refs import Ref


class Host(Protocol):
    """What the checks need of the main screen (named, so that this module need not import it)."""

    library: Library | None
    findings: pl.DataFrame | None
    check_states: dict[str, str]
    current: Ref | None
    app: App[Any]

    def query_one(self, selector: Any) -> Any: ...
    def check(self, library: Library, department: str) -> Any: ...
    def on_checked(self) -> None: ...


def start(screen: Host, department: str) -> None:
    """Check a department's filings once, when it is first opened."""
    if screen.library is None or department in screen.check_states:
        return
    screen.check_states[department] = "running"  # the card says so till they are done
    screen.check(screen.library, department)


def run(screen: Host, library: Library, department: str) -> None:
    """The body of the screen's check worker (runs off the UI thread)."""
    from parsing.checks import run_checks
    from parsing.queries.panes import filing_ids

    app = screen.app
    try:  # the card says 核查中… till this ends
        findings = run_checks(library.subset(filing_ids(library, department)))
    except Exception as error:
        app.call_from_thread(screen.check_states.__setitem__, department, "failed")
        app.call_from_thread(screen.query_one(StatusLine).say, f"核查未能完成：{error}", error=True)
        return
    app.call_from_thread(_done, screen, library, findings, department)


def _done(screen: Host, library: Library, findings: pl.DataFrame, department: str) -> None:
    import polars as pl

    if library is not screen.library or screen.findings is None:  # another library shown meanwhile
        return
    screen.check_states[department] = "done"
    if findings.height:
        screen.findings = pl.concat(
            [screen.findings, findings] if screen.findings.width else [findings], how="diagonal_relaxed"
        )
        tree = screen.query_one(FilingTree)
        tree.findings = screen.findings
        tree.refresh_findings()
    screen.on_checked()
