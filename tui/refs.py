"""What a node of the filing tree stands for, and where it sits, so any view can be found again.

A Ref is a value: the tree stores one per node, the panes take one to know what to show, and the
command palette jumps to one. ``path`` is the chain of node keys from the root; a node is an
ancestor of another exactly when its path is a prefix of the other's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal[
    "department",
    "document",
    "unit",
    "project",
    "targets",
    "table",
    "line",
    "parts",
    "part",
    "projects",
    "findings",
    "missed",
]


@dataclass(frozen=True)
class Ref:
    """A department, filing, unit, project, budget table or row, or narrative part."""

    kind: Kind
    path: tuple[str, ...]
    department: str
    doc_id: str | None = None
    unit: str | None = None
    project_id: str | None = None
    table_no: str | None = None
    row_no: int | None = None
    side: str | None = None
    part_no: int | None = None

    def child(self, kind: Kind, key: str, **fields: object) -> Ref:
        """A Ref one level down, inheriting department and filing."""
        base: dict[str, Any] = {
            "department": self.department,
            "doc_id": self.doc_id,
            "unit": self.unit,
            "table_no": self.table_no,
        }
        base.update(fields)
        return Ref(kind, (*self.path, key), **base)

    def contains(self, other: Ref) -> bool:
        """True when ``other`` is this node or lies below it."""
        return other.path[: len(self.path)] == self.path


def department_ref(name: str) -> Ref:
    """The top-level node of a department."""
    return Ref("department", (f"d:{name}",), name)
