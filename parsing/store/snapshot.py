"""A library's snapshot folder: where it lives, and the department names a start draws first.

A snapshot is the catalogue of one set of files (written by ``Library.load``, read back by the
next start on the same files). Beside its Parquet frames it keeps the sorted department names as
a small JSON list, so that a start can draw the tree from them before Polars is even imported
(importing it is a third of a warm start). This module uses the standard library only, for that
reason. Like the rest of the cache the names are only a speed-up: a missing or damaged list
means the tree is drawn from the frames instead.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from pathlib import Path

from parsing import PARSER_VERSION, atomic
from parsing.paths import cache_dir

#: The layout of a snapshot (the catalogue, its parts and search index); older ones are rebuilt.
CATALOGUE_VERSION = 1
DEPARTMENTS = "departments.json"


def folder(key: str) -> Path:
    """A library's catalogue, for a start on the same files: a few reads instead of 8 × N."""
    return cache_dir() / "snapshots" / f"{key}-v{PARSER_VERSION}-c{CATALOGUE_VERSION}"


def departments(snapshot: Path) -> list[str] | None:
    """The department names kept in a snapshot, or None when absent or damaged."""
    try:
        names = json.loads((snapshot / DEPARTMENTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return None
    return names


def keep_departments(snapshot: Path, names: Sequence[str]) -> None:
    """Keep the names beside the snapshot's frames; a failure only costs the next start its head start."""
    with contextlib.suppress(OSError):
        atomic.write_bytes(snapshot / DEPARTMENTS, json.dumps(list(names), ensure_ascii=False).encode())
