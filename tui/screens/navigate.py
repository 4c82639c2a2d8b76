"""Going to places the reader did not walk to: search hits (/, n, N) and findings (Enter, Backspace).

Where a hit or a finding sits is computed by ``parsing.queries.outline``; these controllers turn
that place into a tree node, step through hits, and remember the finding a reader came from so
that Backspace returns to it. They belong to the main screen and talk to it through its tree,
status line and ``go_to``. The queries and panes are imported when first used: a start does not
wait for Polars.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from textual.widget import Widget

from parsing.numbers import format_number
from tui.refs import Ref
from tui.screens.search import SearchDialog
from tui.widgets.filing_tree import FilingTree
from tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from textual.app import App

    from parsing.library import Library
    from parsing.queries.search import SearchIndex

W = TypeVar("W", bound=Widget)


class Host(Protocol):
    """What the controllers need of the main screen (named, so they need not import it)."""

    library: Library | None
    current: Ref | None
    app: App[Any]

    def query_one(self, selector: Any) -> Any: ...
    def pane(self, kind: type[W]) -> W: ...
    def notify(
        self, message: str, *, title: str = ..., severity: Any = ..., timeout: float | None = ..., markup: bool = ...
    ) -> None: ...
    def go_to(self, ref: Ref) -> None: ...
    def build_index(self, library: Library) -> Any: ...
    def focus_pane(self) -> None: ...
    def focus_row(self, row: int) -> None: ...
    def call_after_refresh(self, callback: Callable[..., Any], *args: Any) -> Any: ...


#: The keys that identify a node of each kind.
_KEYS = {
    "line": ("doc_id", "table_no", "row_no", "side"),
    "table": ("doc_id", "table_no"),
    "project": ("project_id",),
    "unit": ("doc_id", "unit"),
    "part": ("doc_id", "part_no"),
    "parts": ("doc_id",),
    "document": ("doc_id",),
}


def matcher(place: dict[str, Any]) -> Callable[[Ref], bool]:
    """A test for the tree node of an outline place (its kind and the keys that identify it)."""
    kind = place["kind"]
    keys = {k: place.get(k) for k in _KEYS.get(kind, ())}
    return lambda r: r.kind == kind and all(getattr(r, k) == v for k, v in keys.items())


def show_place(screen: Host, department: str, place: dict[str, Any]) -> Ref | None:
    """Show an outline place and return its tree node. A row with no node of its own (a 合计 or
    a code-less row) shows its table with the cursor on that row, in the table."""
    tree = screen.query_one(FilingTree)
    ref = tree.locate(department, place.get("doc_id"), matcher(place))
    row = None
    if ref is None and place["kind"] == "line":
        ref = tree.locate(department, place.get("doc_id"), matcher({**place, "kind": "table"}))
        row = place
    if ref is None:
        return None
    if row is not None:
        from tui.widgets.table_pane import TablePane

        screen.pane(TablePane).expect_row(ref.doc_id, ref.table_no, row.get("row_no"), row.get("side"))
    screen.go_to(ref)
    if ref.kind in ("line", "table"):
        screen.call_after_refresh(screen.focus_pane)
    return ref


def printed_figures(finding: dict[str, Any]) -> list[str]:
    """The finding's two figures as a sentence may print them (2995.39, 71.73), to find it by."""
    values = (finding.get("actual"), finding.get("expected"))
    return [format_number(v, decimals=6, grouping=False) for v in values if v is not None]


class SearchNavigator:
    """The search index (built on the first /), the last hits, and n / N through them."""

    def __init__(self, screen: Host) -> None:
        self.screen = screen
        self.index: SearchIndex | None = None
        self.hits: list[dict[str, Any]] = []
        self.hit_no = -1
        self.building = False

    def reset(self) -> None:
        self.index, self.hits, self.hit_no, self.building = None, [], -1, False

    def indexed(self, library: Library, index: SearchIndex) -> None:
        """The index is ready: a search box opened while it was built searches what was typed."""
        if library is not self.screen.library:
            return
        self.index, self.building = index, False
        self.screen.query_one(StatusLine).say("")
        if isinstance(self.screen.app.screen, SearchDialog):
            self.screen.app.screen.use(index)

    def failed(self, reason: str) -> None:
        """The index could not be built: say so (in the open box too); the next / tries again."""
        self.building = False
        self.screen.query_one(StatusLine).say(reason, error=True)
        if isinstance(self.screen.app.screen, SearchDialog):
            self.screen.app.screen.dismiss(None)

    def open(self) -> None:
        """Open the search box at once; the first time, the index is built off the UI thread
        while the user types (what is typed is searched when it is ready)."""
        screen = self.screen
        if screen.library is None:
            return
        if self.index is None and not self.building:
            self.building = True
            screen.query_one(StatusLine).say("正在建立搜索索引…")
            screen.build_index(screen.library)

        def searched(result: tuple[list[dict[str, Any]], int] | None) -> None:
            if result is None:
                return
            self.hits, chosen = result
            if chosen >= 0:
                self.hit_no = chosen
                self.jump(self.hits[chosen])
            elif self.hits:
                screen.notify(f"{len(self.hits)} 处：n 下一处，N 上一处", timeout=3)

        screen.app.push_screen(SearchDialog(self.index), searched)

    def step(self, step: int) -> None:
        if not self.hits:
            self.screen.notify("没有搜索结果：按 / 搜索", timeout=3)
            return
        self.hit_no = (self.hit_no + step) % len(self.hits)
        self.screen.notify(f"第 {self.hit_no + 1}/{len(self.hits)} 处", timeout=2)
        self.jump(self.hits[self.hit_no])

    def jump(self, hit: dict[str, Any]) -> None:
        """Select a search hit's node in the tree: the project, table row, part or filing."""
        from parsing.queries.outline import hit_place

        screen = self.screen
        if screen.library is None:
            return
        ref = show_place(screen, hit["department"], hit_place(screen.library, hit)) if hit.get("department") else None
        if ref is None:
            screen.notify("无法定位这一处", severity="warning", timeout=3)


class FindingsNavigator:
    """Enter on a finding shows its row; Backspace there returns to the finding in the list."""

    def __init__(self, screen: Host) -> None:
        self.screen = screen
        self.origin: tuple[Ref, int, Ref] | None = None  # (findings node, row in the list, place shown)

    def open(self, finding: dict[str, Any], row: int) -> None:
        from parsing.queries.outline import finding_place

        screen = self.screen
        came_from = screen.current
        if screen.library is None or came_from is None:
            return
        place = finding_place(screen.library, finding)
        if place["kind"] == "part":  # the part opens at the paragraph printing the finding's figure
            from tui.widgets.narrative_pane import NarrativePane

            screen.pane(NarrativePane).expect(place["doc_id"], place["part_no"], printed_figures(finding))
        ref = show_place(screen, came_from.department, place)
        if ref is None:
            screen.notify("无法定位这一处", severity="warning", timeout=3)
            return
        self.origin = (came_from, row, ref)

    def back(self) -> bool:
        """Return to the finding last opened, when its place is still what is shown; True if so."""
        screen = self.screen
        if self.origin is None or screen.current != self.origin[2]:
            self.origin = None
            return False
        findings, row, _ = self.origin
        self.origin = None
        screen.go_to(findings)

        def select() -> None:
            screen.focus_pane()
            screen.focus_row(row)

        screen.call_after_refresh(select)
        return True
