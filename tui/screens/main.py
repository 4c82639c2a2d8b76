"""The main screen: the filing tree on the left, the view of the highlighted node on the right.

It loads the library (in a worker, with progress, when it was not handed one), hands data down
to the widgets, and answers their messages: a highlighted node picks the pane, a highlighted
figure becomes what ``p`` shows and ``y`` copies. Nothing on this screen lets an exception
through to the terminal: failures become a line at the bottom.

A start draws the departments before Polars is imported (a third of a start): the panes, whose
modules import it, are imported and mounted when first shown.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Header, Static, Tree

from tui.figure import Figure
from tui.format import UNITS
from tui.messages import FigureChanged, GoTo
from tui.refs import Ref
from tui.screens import checks
from tui.screens.copy import CopyDialog
from tui.screens.loading import CHANGED, CHECKING, read_library, say_errors
from tui.screens.navigate import FindingsNavigator, SearchNavigator
from tui.text import literal
from tui.widgets.filing_tree import FilingTree
from tui.widgets.key_bar import KeyBar
from tui.widgets.source_bar import SourceBar
from tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    import polars as pl

    from parsing.library import Library
    from tui.widgets.findings_pane import FindingsPane

P = TypeVar("P", bound=Widget)

#: Each pane's module and class, imported and mounted when first shown, not at start: their
#: modules import Polars, their tables and styles cost every start.
LAZY_PANES: dict[str, tuple[str, str]] = {
    "card": ("tui.widgets.department_card", "DepartmentCard"),
    "project": ("tui.widgets.project_pane", "ProjectPane"),
    "table": ("tui.widgets.table_pane", "TablePane"),
    "narrative": ("tui.widgets.narrative_pane", "NarrativePane"),
    "missed": ("tui.widgets.missed_pane", "MissedPane"),
    "findings": ("tui.widgets.findings_pane", "FindingsPane"),
}
#: The panes whose keys go to the DataTable inside them.
TABULAR = ("table", "findings")

PANES = {
    "department": "card",
    "document": "card",
    "unit": "card",
    "projects": "card",
    "project": "project",
    "targets": "project",
    "table": "table",
    "line": "table",
    "part": "narrative",
    "parts": "card",
    "findings": "findings",
    "missed": "missed",
}


class MainScreen(Screen[None]):
    """Tree and panes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "switch_pane", "切换窗格"),
        Binding("y", "copy", "复制"),
        Binding("p", "provenance", "出处"),
        Binding("u", "toggle_unit", "万元/元"),
        Binding("escape,backspace", "back", "返回"),
        Binding("slash", "search", "搜索"),
        Binding("c", "compare", "比较", show=False),
        Binding("e", "export", "导出", show=False),
        Binding("P", "peers", "同类比较", show=False),
        Binding("T", "trend", "趋势图", show=False),
        Binding("n", "next_hit(1)", "下一处", show=False),
        Binding("N", "next_hit(-1)", "上一处", show=False),
    ]

    money_unit: reactive[str] = reactive("万元", init=False)

    def __init__(self, library: Library | None = None, paths: Sequence[Path] | None = None) -> None:
        super().__init__()
        self.library = library
        self.paths = paths
        self.figure: Figure | None = None
        self.current: Ref | None = None
        self.search_nav = SearchNavigator(self)
        self.drawn = threading.Event()  # set once a loaded library's tree is on screen
        self.findings_nav = FindingsNavigator(self)
        self._unmounted: dict[str, Widget] = {}  # lazy panes made (and told what to expect) before shown
        self.findings: pl.DataFrame | None = None  # the checks' findings so far (an empty frame once loaded)
        self.check_states: dict[str, str] = {}  # department → "running" | "done" | "failed"; absent: not started

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            yield FilingTree(id="tree")
            with ContentSwitcher(id="panes", initial="empty"):
                yield Static("正在读取…", id="empty")
        yield SourceBar(id="source")
        yield StatusLine(id="status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(StatusLine).say("")
        self.query_one(SourceBar).display = False
        self._subtitle()
        if self.library is not None:
            self.populate(self.library)
        else:
            self.load(self.paths)
        self.query_one(FilingTree).focus()

    # -- loading -------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="load")
    def load(self, paths: Sequence[Path] | None) -> None:
        """Read the library off the UI thread (see tui/screens/loading.py)."""
        read_library(self, paths)

    def show_departments(self, names: list[str]) -> None:
        """Draw the departments the library was last opened with, while it is read and checked."""
        tree = self.query_one(FilingTree)
        tree.money_unit = self.money_unit
        tree.show_departments(names)
        self.query_one(StatusLine).say(CHECKING)
        self._shown()

    def populate(self, library: Library, *, checking: bool = False, changed: bool = False) -> None:
        """Show a loaded library (unreadable files on the status line). ``checking``: its files are
        still being checked; ``changed``: they were, and differed from what was shown."""
        import polars as pl  # loaded with the library

        self.library = library
        tree = self.query_one(FilingTree)
        tree.money_unit = self.money_unit
        self.findings = tree.findings = pl.DataFrame()
        self.check_states = {}
        kept = tree.show_library(library)
        self.search_nav.reset()
        say_errors(self, library.errors, CHECKING if checking else "")
        if changed:
            self.notify(CHANGED, timeout=6)
        if library.documents.height == 0:
            self.query_one("#empty", Static).update("资料库是空的：用 yusuan PATH 打开文件或文件夹")
            self.query_one(ContentSwitcher).current = "empty"
        for department in tree.expanded_departments():  # opened while only the names were drawn
            checks.start(self, department)
        if kept and tree.cursor_node is not None and tree.cursor_node.data is not None:
            self.call_later(self.show, tree.cursor_node.data)  # no node was highlighted anew
        self._shown()

    def _shown(self) -> None:
        """The tree is on screen after the next refresh."""
        self.call_after_refresh(self.drawn.set)
        if getattr(self.app, "exit_when_ready", False):
            self.call_after_refresh(self.app.exit)

    # -- showing -------------------------------------------------------------------------------
    @on(Tree.NodeHighlighted)
    async def _node_highlighted(self, event: Tree.NodeHighlighted[Ref]) -> None:
        if event.node.data is not None:
            await self.show(event.node.data)

    async def show(self, ref: Ref) -> None:
        """Put the view of ``ref`` on the right (errors become a status line, never a crash)."""
        if self.library is None:
            return
        self.current = ref
        pane_id = PANES.get(ref.kind, "card")
        await self._mount_pane(pane_id)
        pane = self.query_one(f"#{pane_id}")
        if pane_id in ("card", "findings"):
            pane.findings = self.findings  # type: ignore[attr-defined]
        if pane_id == "card":
            pane.checks = self.check_states  # type: ignore[attr-defined]
        try:
            result = pane.show(self.library, ref, self.money_unit)  # type: ignore[attr-defined]
            if result is not None:
                await result
        except Exception as error:
            self.query_one(StatusLine).say(f"无法显示：{error}", error=True)
            return
        self.query_one(ContentSwitcher).current = pane_id

    def pane(self, kind: type[P]) -> P:
        """The pane of type ``kind``, made now if it has not been shown yet (a finding tells the
        table or narrative pane where to open before it is shown)."""
        found = self.query_one(ContentSwitcher).query_children(kind)
        if found:
            return found.first()
        pane_id = next(
            i for i, (module, name) in LAZY_PANES.items() if (module, name) == (kind.__module__, kind.__name__)
        )
        made = self._unmounted.setdefault(pane_id, kind(id=pane_id))
        assert isinstance(made, kind)
        return made

    async def _mount_pane(self, pane_id: str) -> None:
        switcher = self.query_one(ContentSwitcher)
        if pane_id not in LAZY_PANES or switcher.query_children(f"#{pane_id}"):
            return
        if pane_id in self._unmounted:
            made = self._unmounted.pop(pane_id)
        else:
            module, name = LAZY_PANES[pane_id]
            made = getattr(importlib.import_module(module), name)(id=pane_id)
        await switcher.add_content(made)

    @on(FigureChanged)
    def _figure_changed(self, event: FigureChanged) -> None:
        self.figure = event.figure
        self.query_one(SourceBar).show_figure(event.figure)

    @on(FilingTree.Entered)
    def _entered(self, event: FilingTree.Entered) -> None:
        self._pane().focus()

    @on(GoTo)
    def _go_to_requested(self, event: GoTo) -> None:
        self.go_to(event.ref)

    def go_to(self, ref: Ref) -> None:
        """Select ``ref`` in the tree (its view follows) and put the focus on the tree."""
        tree = self.query_one(FilingTree)
        if tree.reveal(ref):
            tree.focus()

    def destinations(self) -> list[tuple[str, Ref]]:
        """Departments and budget tables, for the command palette."""
        tree = self.query_one(FilingTree)
        if self.library is None:
            return []
        out: list[tuple[str, Ref]] = []
        for node in tree.root.children:
            dept = node.data
            if dept is None:
                continue
            out.append((dept.department, dept))
            for doc, _ in tree.children_of(dept):
                out += [
                    (f"{dept.department} {tree.title(doc)} {tree.title(t)}", t)
                    for t, _ in tree.children_of(doc)
                    if t.kind == "table"
                ]
        return out

    def _pane(self) -> Widget:
        switcher = self.query_one(ContentSwitcher)
        pane = self.query_one(f"#{switcher.current or 'empty'}")
        return pane.query_one("DataTable") if switcher.current in TABULAR else pane

    # -- actions -------------------------------------------------------------------------------
    def action_switch_pane(self) -> None:
        tree = self.query_one(FilingTree)
        if tree.has_focus:
            self._pane().focus()
        else:
            tree.focus()

    def action_back(self) -> None:
        tree = self.query_one(FilingTree)
        if self.findings_nav.back():
            return
        if not tree.has_focus:
            tree.focus()
        else:
            tree.action_close()

    def action_toggle_unit(self) -> None:
        self.money_unit = UNITS[(UNITS.index(self.money_unit) + 1) % len(UNITS)]

    async def watch_money_unit(self, unit: str) -> None:
        self.query_one(FilingTree).set_unit(unit)
        self._subtitle()
        if self.current is not None:
            await self.show(self.current)
        self.notify(f"金额单位：{unit}", timeout=2)

    def _subtitle(self) -> None:
        self.sub_title = f"单位：{self.money_unit}"

    def action_provenance(self) -> None:
        bar = self.query_one(SourceBar)
        bar.display = not bar.display
        bar.show_figure(self.figure)

    def action_copy(self) -> None:
        figure = self.figure
        if figure is None:
            self.notify("此处没有可复制的数字", severity="warning", timeout=3)
            return

        def copied(text: str | None) -> None:
            if text:
                self.app.copy_to_clipboard(text)
                lines = text.count("\n") or 1
                self.notify(f"已复制 {lines} 行" if lines > 1 else f"已复制：{literal(text.strip())[:40]}", timeout=3)

        self.app.push_screen(CopyDialog(figure), copied)

    # -- checks --------------------------------------------------------------------------------
    @on(Tree.NodeExpanded)
    def _node_expanded(self, event: Tree.NodeExpanded[Ref]) -> None:
        ref = event.node.data
        if ref is not None and ref.kind == "department":
            checks.start(self, ref.department)

    @work(thread=True, group="checks")
    def check(self, library: Library, department: str) -> None:
        """Check one department's filings off the UI thread (see tui/screens/checks.py)."""
        checks.run(self, library, department)

    def on_checked(self) -> None:
        """A department's checks are done: the card counts the findings (or says none)."""
        if self.current is not None and PANES.get(self.current.kind) == "card":
            self.call_later(self.show, self.current)

    def on_findings_pane_chosen(self, event: FindingsPane.Chosen) -> None:
        """Show where a finding is: its row, its table, its project, or its part of the text."""
        self.findings_nav.open(event.finding, event.row)

    def focus_pane(self) -> None:
        self._pane().focus()

    def focus_row(self, row: int) -> None:
        """Put the findings list's cursor on ``row``."""
        from tui.widgets.findings_pane import FindingsPane

        self.pane(FindingsPane).select(row)

    # -- compare and export -------------------------------------------------------------------
    def action_compare(self) -> None:
        """Two years of the highlighted department side by side (projects from a project)."""
        from tui.screens.compare import open_compare

        open_compare(self)

    def action_export(self) -> None:
        """Export the table on screen (the highlighted figure's table) through the dialog."""
        from tui.screens.export import ExportDialog, frame_from_grid

        figure = self.figure
        if figure is None or not figure.table or len(figure.table) < 2:
            self.notify("此处没有可导出的表", severity="warning", timeout=3)
            return
        self.app.push_screen(ExportDialog(frame_from_grid(figure.table), figure.name or figure.title or figure.label))

    def action_peers(self) -> None:
        """Every department's figure for the code (or metric) under the cursor, ranked."""
        from tui.screens.peers import open_peers

        open_peers(self)

    def action_trend(self) -> None:
        """The department's figure under the cursor over every loaded year, as a chart."""
        from tui.screens.peers import open_trend

        open_trend(self)

    # -- search --------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="index")
    def build_index(self, library: Library) -> None:
        """Build the search index once per library, off the UI thread."""
        from parsing.queries.search import SearchIndex

        try:
            index = SearchIndex.open(library)  # stored at add; built (and stored) here only once
        except Exception as error:
            self.app.call_from_thread(self.search_nav.failed, f"无法建立搜索索引：{error}")
            return
        self.app.call_from_thread(self.search_nav.indexed, library, index)

    def action_search(self) -> None:
        self.search_nav.open()

    def action_next_hit(self, step: int) -> None:
        self.search_nav.step(step)
