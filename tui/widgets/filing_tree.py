"""The filing tree: 部门 → year·kind → units/projects, budget tables (科目 类→款→项), narrative parts.

Children are built when a node is first expanded, so a library of a thousand filings opens at
once. Every node carries a Ref; the screen turns a highlighted Ref into the right-hand view.
Labels are built from filing text through ``literal`` and handed to Tree as Rich Text.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import polars as pl
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from parsing.schema import UNKNOWN_DEPARTMENT
from tui.format import money, percent, rate_flag
from tui.refs import Ref, department_ref
from tui.text import literal, plain, to_text

if TYPE_CHECKING:
    from parsing.library import Library

_AREA = re.compile(r"^(?:[^省]{2,}?省)?(?:[^市]{2,}?市)?(?:[^区县旗]{2,}?[区县旗])?")


def short_unit(unit: str, department: str) -> str:
    """A unit's name without the area prefix it shares with its department (深圳市龙岗区…)."""
    area = _AREA.match(department)
    prefix = area.group(0) if area else ""
    return unit[len(prefix) :] if prefix and unit.startswith(prefix) and len(unit) > len(prefix) else unit


def table_sort_key(table_no: str) -> tuple[int, str]:
    digits = re.sub(r"\D", "", table_no or "")
    return (int(digits) if digits else 999, table_no or "")


class FilingTree(Tree[Ref]):
    """Departments and their filings, expanded on demand."""

    ICON_NODE = "+ "
    ICON_NODE_EXPANDED = "- "
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
        self.findings = pl.DataFrame()  # consistency findings, handed down by the screen

    def render_label(self, node: TreeNode[Ref], base_style: Style, style: Style) -> Text:
        """Leaves get two spaces where branches have their +/- so that names line up."""
        text = super().render_label(node, base_style, style)
        return text if node.allow_expand else Text.assemble(("  ", base_style), text)

    # -- data in -------------------------------------------------------------------------------

    def show_library(self, library: Library) -> None:
        """Replace the tree's contents with a library's departments."""
        self.library = library
        self._loaded.clear()
        self._tables.clear()
        self.clear()
        for name in sorted(set(library.documents["department"].drop_nulls().to_list())):
            ref = department_ref(name)
            self.root.add(to_text(f"[bold]{literal(name)}[/]"), ref, allow_expand=True)
        self._loaded.add(())
        if self.root.children:
            self.move_cursor(self.root.children[0])

    def set_unit(self, unit: str) -> None:
        """Show amounts in 万元 or 元 (labels of nodes already built are redrawn)."""
        self.money_unit = unit
        stack = list(self.root.children)
        while stack:
            node = stack.pop()
            if node.data is not None:
                node.set_label(self._label(node.data, self._label_width(len(node.data.path))))
            stack.extend(node.children)

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
            node = next((c for c in node.children if c.data and c.data.path == ref.path[:depth]), None)
            if node is None:
                return False
        self._cursor_to(node)
        return True

    def locate(self, department: str, doc_id: str | None, want) -> Ref | None:
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
        width = self._label_width(len(ref.path) + 1)
        for child, expandable in self.children_of(ref):
            label = self._label(child, width)
            if expandable:
                node.add(label, child, allow_expand=True)
            else:
                node.add_leaf(label, child)

    def children_of(self, ref: Ref) -> list[tuple[Ref, bool]]:
        """The Refs one level below ``ref``, each with whether it can be expanded."""
        lib = self.library
        assert lib is not None
        if ref.kind == "department":
            docs = lib.documents.filter(pl.col("department") == ref.department).sort(
                ["year", "kind"], descending=[True, False]
            )
            return [
                (ref.child("document", f"f:{d['doc_id']}", doc_id=d["doc_id"]), True)
                for d in docs.iter_rows(named=True)
            ]
        if ref.kind == "document":
            return self._document_children(ref)
        if ref.kind in ("unit", "projects"):
            return [(r, False) for r in self._project_refs(ref, ref.unit if ref.kind == "unit" else None)]
        if ref.kind == "parts":
            parts = lib.sections.filter((pl.col("doc_id") == ref.doc_id) & pl.col("part_no").is_not_null())
            return [
                (ref.child("part", f"s:{p}", part_no=p), False)
                for p in parts.sort("part_no")["part_no"].unique(maintain_order=True).to_list()
            ]
        if ref.kind in ("table", "line"):
            rows = self.table_rows(ref.doc_id or "", ref.table_no or "")
            return [
                (
                    ref.child(
                        "line", f"r:{r['side']}:{r['row_no']}", row_no=r["row_no"], side=r["side"], unit=r["unit"]
                    ),
                    r["has_children"],
                )
                for r in self._code_children(rows, ref)
            ]
        return []

    def _document_children(self, ref: Ref) -> list[tuple[Ref, bool]]:
        lib = self.library
        assert lib is not None
        doc_id = ref.doc_id
        out: list[tuple[Ref, bool]] = []
        lines = lib.budget_lines.filter(pl.col("doc_id") == doc_id)
        projects = lib.projects.filter((pl.col("doc_id") == doc_id) & (pl.col("row_kind") == "project"))
        if projects.height and not lines.height:  # a self-evaluation: projects first, by unit
            units = projects["unit"].unique(maintain_order=True).to_list()
            if len(units) > 1:
                out += [(ref.child("unit", f"u:{u}", unit=u), True) for u in units]
            else:
                out += [(r, False) for r in self._project_refs(ref, None)]
        tables = lines.select("table_no", "table_kind").unique(maintain_order=True).to_dicts()
        for t in sorted(tables, key=lambda t: table_sort_key(t["table_no"])):
            has_codes = lines.filter((pl.col("table_no") == t["table_no"]) & pl.col("code").is_not_null()).height > 0
            out.append((ref.child("table", f"t:{t['table_no']}", table_no=t["table_no"]), has_codes))
        if projects.height and lines.height:
            out.append((ref.child("projects", "projects"), True))
        if lib.indicators.filter((pl.col("doc_id") == doc_id) & pl.col("project_id").is_null()).height:
            out.append((ref.child("targets", "targets"), False))
        if lib.sections.filter((pl.col("doc_id") == doc_id) & pl.col("part_no").is_not_null()).height:
            out.append((ref.child("parts", "parts"), True))
        if self.findings.height and self.findings.filter(pl.col("doc_id") == doc_id).height:
            out.append((ref.child("findings", "findings"), False))
        return out

    def _project_refs(self, ref: Ref, unit: str | None) -> list[Ref]:
        lib = self.library
        assert lib is not None
        cond = (pl.col("doc_id") == ref.doc_id) & (pl.col("row_kind") == "project")
        if unit is not None:
            cond &= pl.col("unit") == unit
        ids = lib.projects.filter(cond)["project_id"].to_list()
        return [ref.child("project", f"p:{pid}", project_id=pid, unit=unit) for pid in ids]

    def table_rows(self, doc_id: str, table_no: str) -> list[dict[str, Any]]:
        """One dict per printed row of a table (first measure's amount), cached."""
        key = (doc_id, table_no)
        if key not in self._tables:
            assert self.library is not None
            lines = self.library.budget_lines.filter((pl.col("doc_id") == doc_id) & (pl.col("table_no") == table_no))
            rows = lines.group_by(["side", "row_no"], maintain_order=True).first().to_dicts()
            codes = {(r["unit"], r["side"], r["code"]) for r in rows if r["code"]}
            for r in rows:
                r["has_children"] = any(
                    (r["unit"], r["side"], c) in codes
                    and c != r["code"]
                    and c.startswith(r["code"] or "\0")
                    and len(c) > len(r["code"] or "")
                    for (_, _, c) in codes
                )
            self._tables[key] = rows
        return self._tables[key]

    @staticmethod
    def _code_children(rows: list[dict[str, Any]], ref: Ref) -> list[dict[str, Any]]:
        coded = [r for r in rows if r["code"]]
        if ref.kind == "table":
            present = {(r["unit"], r["side"], r["code"]) for r in coded}
            return [r for r in coded if not r["parent"] or (r["unit"], r["side"], r["parent"]) not in present]
        this = next((r for r in rows if r["row_no"] == ref.row_no and r["side"] == ref.side), None)
        if this is None:
            return []
        return [
            r for r in coded if r["parent"] == this["code"] and r["unit"] == this["unit"] and r["side"] == this["side"]
        ]

    def title(self, ref: Ref) -> str:
        """A node's label as plain text, unclipped (for the command palette)."""
        return self._label(ref, 200).plain

    # -- labels --------------------------------------------------------------------------------

    def _label_width(self, depth: int) -> int:
        """Cells left for a label at ``depth`` (1 = department) after guides and the +/- icon."""
        width = self.scrollable_content_region.width or 32
        return max(12, width - 2 * (depth - 1) - 2 - 1)

    def _label(self, ref: Ref, width: int) -> Any:
        lib = self.library
        assert lib is not None
        if ref.kind == "department":
            return to_text(f"[bold]{literal(ref.department, width=width)}[/]")
        if ref.kind == "document":
            doc = lib.documents.filter(pl.col("doc_id") == ref.doc_id).row(0, named=True)
            label = f"{doc['year'] or ''} {doc['kind'] or ''}".strip()
            if doc["department"] == UNKNOWN_DEPARTMENT:  # told apart by their files
                label += f" · {Path(doc['file']).name}"
            return to_text(literal(label, width=width))
        if ref.kind == "unit":
            return to_text(literal(short_unit(ref.unit or "", ref.department), width=width))
        if ref.kind == "projects":
            return to_text("项目")
        if ref.kind == "targets":
            return to_text("整体绩效目标")
        if ref.kind == "parts":
            return to_text("说明")
        if ref.kind == "findings":
            mine = self.findings.filter(pl.col("doc_id") == ref.doc_id)["severity"].to_list()
            counts = "  ".join(
                f"{m}{mine.count(s)}" for s, m in (("error", "✗"), ("rounding", "≈"), ("note", "·")) if mine.count(s)
            )
            return to_text(f"核查 [bold]{counts}[/]" if "error" in mine else f"核查 {counts}")
        if ref.kind == "part":
            row = lib.sections.filter((pl.col("doc_id") == ref.doc_id) & (pl.col("part_no") == ref.part_no)).row(
                0, named=True
            )
            return to_text(literal(f"{row['part'] or ''} {row['heading'] or ''}", width=width))
        if ref.kind == "project":
            return self._project_label(ref, width)
        if ref.kind == "table":
            kind = lib.budget_lines.filter((pl.col("doc_id") == ref.doc_id) & (pl.col("table_no") == ref.table_no))[
                "table_kind"
            ][0]
            return to_text(literal(f"{ref.table_no} {kind or ''}", width=width))
        if ref.kind == "line":
            row = next(
                r
                for r in self.table_rows(ref.doc_id or "", ref.table_no or "")
                if r["row_no"] == ref.row_no and r["side"] == ref.side
            )
            amount = money(row["amount"], self.money_unit)
            name = plain(f"{row['code'] or ''} {row['name'] or ''}")
            return to_text(f"{literal(name, width=width - len(amount) - 1)} [dim]{amount}[/]")
        return to_text("?")

    def _project_label(self, ref: Ref, width: int) -> Any:
        assert self.library is not None
        p = self.library.projects.filter(pl.col("project_id") == ref.project_id).row(0, named=True)
        if p["exec_rate"] is not None:
            figure = percent(p["exec_rate"])
            flag = rate_flag(p["exec_rate"])
            tail = f"[bold reverse]{figure}[/]" if flag else f"[dim]{figure}[/]"
        else:
            figure = money(p["budget_total"], self.money_unit)
            tail = f"[dim]{figure}[/]"
        return to_text(f"{literal(p['name'], width=width - len(figure) - 1)} {tail}")
