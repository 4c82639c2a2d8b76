"""The filing tree: 部门 → year·kind → units/projects, budget tables (科目 类→款→项), narrative parts.

Children are built when a node is first expanded, so a library of a thousand filings opens at
once. Every node carries a Ref; the screen turns a highlighted Ref into the right-hand view.
Labels are built from filing text through ``literal`` and handed to Tree as Rich Text. The
queries behind the children (and Polars under them) are imported when first needed: a start
draws the departments before Polars has loaded (``show_departments``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.format import money, percent, rate_flag
from tui.refs import Ref, department_ref
from tui.text import bold_text, literal, plain, to_text

if TYPE_CHECKING:
    import polars as pl

    from parsing.library import Library


class FilingTree(Tree[Ref]):
    """Departments and their filings, expanded on demand."""

    ICON_NODE = "+ "
    ICON_NODE_EXPANDED = "- "
    _adding = False  # many nodes being added: Tree's caches are invalidated once, after
    _laid_width = 0  # the departments' label width the labels were built for
    findings: pl.DataFrame  # consistency findings, handed down by the screen with the library
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "下移", show=False),
        Binding("k", "cursor_up", "上移", show=False),
        Binding("l,right", "open", "展开；已展开则到第一项；叶子则到右侧", show=False),
        Binding("h,left", "close", "收起；已收起则回到上一级", show=False),
        Binding("enter", "drill", "展开并到第一项；叶子则到右侧", show=False),
    ]

    class Entered(Message):
        """Enter (or l) on a leaf: the reader wants to work in the right-hand pane."""

        def __init__(self, ref: Ref) -> None:
            self.ref = ref
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("yusuan", id=id)
        self.show_root = False
        self.guide_depth = 2
        self.auto_expand = False
        self.library: Library | None = None
        self.money_unit = "万元"
        self._loaded: set[tuple[str, ...]] = set()
        self._tables: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._outline: dict[tuple[str, ...], dict[str, Any]] = {}  # outline node behind each Ref
        self._departments: dict[tuple[str, int], Text] = {}

    def process_label(self, label: str | Text) -> Text:
        """Labels are built one line long (``plain``/``bold_text``): Tree's split per node is skipped."""
        return label if isinstance(label, Text) else super().process_label(label)

    def _invalidate(self) -> None:
        """Tree re-lays itself out after every node added; a thousand departments need it once."""
        if not self._adding:
            super()._invalidate()

    @contextmanager
    def _many_nodes(self) -> Iterator[None]:
        """Nodes added inside are laid out once, at the end."""
        self._adding = True
        try:
            yield
        finally:
            self._adding = False
            self._invalidate()

    def render_label(self, node: TreeNode[Ref], base_style: Style, style: Style) -> Text:
        """Leaves get two spaces where branches have their +/- so that names line up."""
        text = super().render_label(node, base_style, style)
        return text if node.allow_expand else Text.assemble(("  ", base_style), text)

    def get_label_width(self, node: TreeNode[Ref]) -> int:
        """The cells render_label draws (the +/- or a leaf's two spaces, then the label), without
        drawing it: Tree measures every line, a thousand departments at each layout."""
        label = node.label
        return (label.cell_len if isinstance(label, Text) else len(label)) + 2

    # -- data in -------------------------------------------------------------------------------

    def show_departments(self, names: list[str]) -> None:
        """Draw departments alone, before their library is read (nothing opens till it is)."""
        self.library = None
        self._draw(names)

    def show_library(self, library: Library) -> bool:
        """Show a library's departments. Drawn already from their names alone, the tree is kept
        (cursor and all; True is returned, as no node is highlighted anew) and the departments
        opened meanwhile get their children now."""
        names = library.department_names()
        kept = self.library is None and self._names() == names
        self.library = library
        self._tables.clear()
        self._outline.clear()
        if not kept:
            self._draw(names)
            return False
        for node in self.root.children:
            if node.is_expanded:
                self.populate(node)
        return True

    def expanded_departments(self) -> list[str]:
        """The departments open in the tree."""
        return [n.data.department for n in self.root.children if n.is_expanded and n.data is not None]

    def _names(self) -> list[str]:
        return [n.data.department for n in self.root.children if n.data is not None]

    def _draw(self, names: list[str]) -> None:
        self._loaded.clear()
        self._departments.clear()
        self.clear()
        width = self._laid_width = self._label_width(1, lines=len(names))
        with self._many_nodes():
            for name in names:
                self.root.add(self._department_label(name, width), department_ref(name), allow_expand=True)
        self._loaded.add(())
        if self.root.children:
            self.move_cursor(self.root.children[0])

    def set_unit(self, unit: str) -> None:
        """Show amounts in 万元 or 元 (labels of nodes already built are redrawn)."""
        self.money_unit = unit
        self._laid_width = self._label_width(1)
        widths: dict[int, int] = {}
        stack = list(self.root.children)
        while stack:
            node = stack.pop()
            if node.data is not None:
                depth = len(node.data.path)
                if depth not in widths:
                    widths[depth] = self._label_width(depth)
                label = self._label(node.data, widths[depth])
                if label != node.label:  # each changed label costs the tree a refresh of its node
                    node.set_label(label)
            stack.extend(node.children)

    def on_resize(self, event: events.Resize) -> None:
        """Labels were clipped to the old width: clip them again, so amounts stay whole."""
        if self.library is not None and self._label_width(1) != self._laid_width:
            self.set_unit(self.money_unit)

    def refresh_findings(self) -> None:
        """Add the 核查 node to filings already opened before the checks finished."""
        stack = list(self.root.children)
        while stack:
            node = stack.pop()
            ref = node.data
            if ref is not None and ref.kind == "document" and ref.path in self._loaded:
                if not any(c.data and c.data.kind == "findings" for c in node.children):
                    for child, _ in self.children_of(ref):
                        if child.kind == "findings":
                            node.add_leaf(self._label(child, self._label_width(len(child.path))), child)
            elif ref is not None and ref.kind == "department":
                stack.extend(node.children)

    # -- navigation ----------------------------------------------------------------------------

    def action_open(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and not node.is_expanded:
            self.populate(node)
            node.expand()
        elif node.children:
            self._cursor_to(node.children[0])
        elif node.data is not None:
            self.post_message(self.Entered(node.data))

    def action_close(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self._cursor_to(node.parent)

    def action_drill(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand:
            self.populate(node)
            node.expand()
            if node.children:
                self._cursor_to(node.children[0])
        elif node.data is not None:
            self.post_message(self.Entered(node.data))

    def reveal(self, ref: Ref) -> bool:
        """Expand down to ``ref`` and put the cursor on it; False when it is not in the tree."""
        node = self.root
        for depth in range(1, len(ref.path) + 1):
            self.populate(node)
            if node is not self.root:
                node.expand()
            found = next((c for c in node.children if c.data and c.data.path == ref.path[:depth]), None)
            if found is None:
                return False
            node = found
        self._cursor_to(node)
        return True

    def locate(self, department: str, doc_id: str | None, want: Callable[[Ref], bool]) -> Ref | None:
        """The first Ref below ``department`` (within filing ``doc_id``) for which ``want`` is
        true, found through the same children the tree would build, without building them."""
        queue = [department_ref(department)]
        while queue:
            ref = queue.pop(0)
            if want(ref):
                return ref
            queue += [child for child, _ in self.children_of(ref) if doc_id is None or child.doc_id == doc_id]
        return None

    def find(self, ref: Ref) -> TreeNode[Ref] | None:
        """The built node for ``ref``, if any."""
        stack = list(self.root.children)
        while stack:
            node = stack.pop()
            if node.data == ref:
                return node
            if node.data is not None and node.data.contains(ref):
                stack.extend(node.children)
        return None

    def _cursor_to(self, node: TreeNode[Ref]) -> None:
        _ = self.last_line  # lay the lines out now, so a freshly expanded node has a line number
        self.move_cursor(node)
        self.scroll_to_node(node, animate=False)

    def _on_tree_node_expanded(self, event: Tree.NodeExpanded[Ref]) -> None:
        self.populate(event.node)

    # -- children ------------------------------------------------------------------------------

    def populate(self, node: TreeNode[Ref]) -> None:
        """Build ``node``'s children once."""
        ref = node.data
        if ref is None or ref.path in self._loaded or self.library is None:
            return
        self._loaded.add(ref.path)
        children = self.children_of(ref)
        width = self._label_width(len(ref.path) + 1, lines=len(self._tree_lines) + len(children))
        with self._many_nodes():
            for child, expandable in children:
                label = self._label(child, width)
                if expandable:
                    node.add(label, child, allow_expand=True)
                else:
                    node.add_leaf(label, child)

    def children_of(self, ref: Ref) -> list[tuple[Ref, bool]]:
        """The Refs one level below ``ref``, each with whether it can be expanded."""
        from parsing.queries import outline

        lib = self.library
        assert lib is not None
        if ref.kind == "department":
            nodes = outline.department_children(lib, ref.department)
        elif ref.kind == "document":
            nodes = outline.filing_children(lib, ref.doc_id or "", self.findings)
        elif ref.kind in ("unit", "projects"):
            nodes = outline.projects_of(lib, ref.doc_id, ref.unit if ref.kind == "unit" else None)
        elif ref.kind == "parts":
            nodes = outline.parts_of(lib, ref.doc_id)
        elif ref.kind in ("table", "line"):
            rows = self.table_rows(ref.doc_id or "", ref.table_no or "")
            nodes = outline.code_children(rows, ref.row_no if ref.kind == "line" else None, ref.side)
        else:
            nodes = []
        return [(self._ref(ref, node), bool(node["expandable"])) for node in nodes]

    def _ref(self, parent: Ref, node: dict[str, Any]) -> Ref:
        """The Ref of an outline node below ``parent`` (its key is unique among its siblings)."""
        kind = node["kind"]
        self._outline[(*parent.path, self._key(node))] = node
        if kind == "document":
            return parent.child("document", self._key(node), doc_id=node["doc_id"])
        if kind == "unit":
            return parent.child("unit", self._key(node), unit=node["unit"])
        if kind == "project":
            return parent.child("project", self._key(node), project_id=node["project_id"], unit=node["unit"])
        if kind == "table":
            return parent.child("table", self._key(node), table_no=node["table_no"])
        if kind == "line":
            return parent.child("line", self._key(node), row_no=node["row_no"], side=node["side"], unit=node["unit"])
        if kind == "part":
            return parent.child("part", self._key(node), part_no=node["part_no"])
        return parent.child(kind, self._key(node))

    @staticmethod
    def _key(node: dict[str, Any]) -> str:
        kind = node["kind"]
        return {
            "document": lambda: f"f:{node['doc_id']}",
            "unit": lambda: f"u:{node['unit']}",
            "project": lambda: f"p:{node['project_id']}",
            "table": lambda: f"t:{node['table_no']}",
            "line": lambda: f"r:{node['side']}:{node['row_no']}",
            "part": lambda: f"s:{node['part_no']}",
        }.get(kind, lambda: kind)()

    def table_rows(self, doc_id: str, table_no: str) -> list[dict[str, Any]]:
        """One dict per printed row of a table (first measure's amount), cached."""
        from parsing.queries import outline

        key = (doc_id, table_no)
        if key not in self._tables:
            assert self.library is not None
            self._tables[key] = outline.table_rows(self.library, doc_id, table_no)
        return self._tables[key]

    def title(self, ref: Ref) -> str:
        """A node's label as plain text, unclipped (for the command palette)."""
        return self._label(ref, 200).plain

    # -- labels --------------------------------------------------------------------------------

    def _label_width(self, depth: int, lines: int | None = None) -> int:
        """Cells left for a label at ``depth`` (1 = department) after guides and the +/- icon, and
        after the scrollbar that ``lines`` (default: the tree's) will need before it is shown."""
        region = self.scrollable_content_region
        width = region.width
        if lines is None:
            lines = len(self._tree_lines)
        if width and not self.show_vertical_scrollbar and lines > region.height:
            width -= self.styles.scrollbar_size_vertical
        return max(12, (width or 32) - 2 * (depth - 1) - 2 - 1)

    def _label(self, ref: Ref, width: int) -> Any:
        if ref.kind == "department":
            return self._department_label(ref.department, width)
        from parsing.queries import outline

        node = self._outline.get(ref.path, {})
        if ref.kind == "unit":
            return to_text(literal(outline.short_unit(ref.unit or "", ref.department), width=width))
        if ref.kind == "findings":
            counts = outline.severity_counts(self.findings, ref.doc_id)
            text = "  ".join(f"{m}{n}" for m, n in counts)
            return to_text(f"核查 [bold]{text}[/]" if counts and counts[0][0] == "✗" else f"核查 {text}")
        if ref.kind == "project":
            return self._project_label(node, width)
        if ref.kind == "line":
            amount = money(node.get("amount"), self.money_unit)
            detail = f" · {node['detail']}" if node.get("detail") else ""  # 经济分类 beside 功能分类
            name = plain(f"{node.get('code') or ''} {node.get('name') or ''}{detail}")
            return to_text(f"{literal(name, width=width - len(amount) - 1)} [dim]{amount}[/]")
        return to_text(literal(node.get("label") or "?", width=width))

    def _department_label(self, name: str, width: int) -> Text:
        """Kept per width: a resize relabels every department, mostly to the same label."""
        key = (name, width)
        if key not in self._departments:
            self._departments[key] = bold_text(name, width)
        return self._departments[key]

    def _project_label(self, p: dict[str, Any], width: int) -> Any:
        if p.get("exec_rate") is not None:
            figure = percent(p["exec_rate"])
            flag = rate_flag(p["exec_rate"])
            tail = f"[bold reverse]{figure}[/]" if flag else f"[dim]{figure}[/]"
        else:
            figure = money(p.get("budget_total"), self.money_unit)
            tail = f"[dim]{figure}[/]"
        return to_text(f"{literal(p.get('name'), width=width - len(figure) - 1)} {tail}")
