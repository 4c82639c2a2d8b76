"""Segments: the search index's occurrences, made a slice of filings at a time and kept for reuse.

Reading a filing's rows into the index is the costly part of a build (its frames read, every text
placed), so each slice of filings is written once as a segment under the cache's
``search-segments`` folder: its occurrences (Arrow IPC, memory-mapped when searched; ids local to
the segment), the keys that make its entries, and its printed amounts. A segment is named by the
filings it holds, each marked by its catalogue row (content hash, department, year, kind, title)
and the parser's and index's versions: an ``add`` reuses every segment whose filings are all still
in the library, builds segments only for the filings left, and merges the entries (seconds). A
filing removed or changed (a new mark) leaves its old segment unused, so no stale hit survives.
Segments are immutable once placed (written to a private folder, then renamed): a process that
has one mapped never sees it rewritten.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.ipc

from parsing import PARSER_VERSION
from parsing.library import Library
from parsing.paths import cache_dir
from parsing.queries.search_rows import COLUMNS, amounts, index_parts

ENTRY_KEY = ["text", "weight", "code"]
#: Filings per segment built at once (bounds the memory of a build).
SLICE = 400
#: Bumped when what a segment holds changes.
SEGMENT_VERSION = 4
#: Unused segments younger than this are left alone (another add may be about to use them).
KEEP_UNUSED_S = 3600.0
_STORED = [c for c in COLUMNS if c not in ("key", "py_initials", "py_full", "length")]


@dataclass
class Segment:
    """One slice's part of the index, ids local to the segment (row numbers): its distinct
    ``entries`` (text, weight, code, key, py_full, py_initials, syllables: folded and spelled
    once, here), ``placed`` (entry, year: one row per occurrence), ``cells`` (id, measure, amount,
    weight) and the occurrences, a frame or a mapped table."""

    entries: pl.DataFrame
    placed: pl.DataFrame
    cells: pl.DataFrame
    occurrences: pl.DataFrame | pa.Table

    @property
    def size(self) -> int:
        return self.placed.height


def root() -> Path:
    return cache_dir() / "search-segments"


def make(part: Library, describe: Callable[[pl.Series], pl.DataFrame]) -> Segment:
    """The segment of the filings of ``part``: its rows sorted by entry, newest year first.
    ``describe`` folds and spells distinct texts (text → key, py_full, py_initials, syllables)."""
    rows = (
        pl.concat(index_parts(part), how="vertical")
        .filter(pl.col("text").is_not_null() & (pl.col("text") != ""))
        .drop("id")
        .sort([*ENTRY_KEY, "year"], descending=[False, False, False, True], nulls_last=True)
        .with_row_index("id")
    )
    local = rows.select(*ENTRY_KEY, "year", pl.struct(ENTRY_KEY).rle_id().cast(pl.UInt32).alias("entry"))
    entries = local.unique("entry", keep="first", maintain_order=True).select(ENTRY_KEY)
    entries = entries.join(describe(entries["text"].unique()), on="text", how="left", maintain_order="left")
    cells = amounts(rows, part).select("id", "measure", "amount", "weight").sort("weight", "amount", "id", "measure")
    return Segment(entries, local.select("entry", "year"), cells, rows.select(_STORED))


def marks(documents: pl.DataFrame) -> dict[str, str]:
    """doc_id → the filing's mark: its catalogue row and the versions that shape its rows."""
    out = {}
    for row in documents.sort("doc_id").iter_rows(named=True):
        spelled = json.dumps(row, default=str, ensure_ascii=False, sort_keys=True)
        tag = f"{spelled}|{PARSER_VERSION}|{SEGMENT_VERSION}"
        out[row["doc_id"]] = hashlib.sha256(tag.encode()).hexdigest()[:24]
    return out


def plan(marked: dict[str, str]) -> tuple[list[Path], list[list[str]]]:
    """The stored segments to reuse (all their filings here, none twice), largest first, and the
    doc_ids left to build, in slices."""
    wanted = {m: d for d, m in marked.items()}
    found: list[tuple[int, Path, list[str]]] = []
    with contextlib.suppress(OSError):
        for folder in root().iterdir():
            with contextlib.suppress(OSError):
                held = (folder / "marks").read_text().split()
                if held and all(m in wanted for m in held) and (folder / "occurrences.arrow").exists():
                    found.append((len(held), folder, held))
    reuse: list[Path] = []
    covered: set[str] = set()
    for _, folder, held in sorted(found, key=lambda f: (-f[0], f[1].name)):
        if covered.isdisjoint(held):
            reuse.append(folder)
            covered.update(held)
    left = [d for d, m in marked.items() if m not in covered]
    return reuse, [left[at : at + SLICE] for at in range(0, len(left), SLICE)]


def write(segment: Segment, held: list[str]) -> Path:
    """Place ``segment`` (of the filings marked ``held``) in the store; the folder it is in."""
    name = hashlib.sha256(" ".join(sorted(held)).encode()).hexdigest()[:32]
    target = root() / name
    if (target / "marks").exists():
        return target
    root().mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=root()))
    try:
        assert isinstance(segment.occurrences, pl.DataFrame)
        segment.occurrences.write_ipc(
            tmp / "occurrences.arrow", compression="uncompressed", compat_level=pl.CompatLevel.oldest()
        )
        segment.entries.write_parquet(tmp / "entries.parquet")
        segment.placed.write_parquet(tmp / "placed.parquet")
        segment.cells.write_parquet(tmp / "cells.parquet")
        (tmp / "marks").write_text("\n".join(sorted(held)))
        try:
            os.rename(tmp, target)
        except OSError:  # another add placed the same segment first: theirs is as good
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def read(folder: Path) -> Segment:
    """A stored segment, its occurrences memory-mapped."""
    mapped = pyarrow.ipc.open_file(pa.memory_map(str(folder / "occurrences.arrow"))).read_all()
    return Segment(
        pl.read_parquet(folder / "entries.parquet"),
        pl.read_parquet(folder / "placed.parquet"),
        pl.read_parquet(folder / "cells.parquet"),
        mapped,
    )


def mapped(folder: Path) -> pa.Table:
    return pyarrow.ipc.open_file(pa.memory_map(str(folder / "occurrences.arrow"))).read_all()


def prune(used: set[str]) -> None:
    """Remove segments no stored index names (``used`` adds this one's) and an hour old; never fails."""
    with contextlib.suppress(OSError):
        for listing in (cache_dir() / "snapshots").glob("*/search/segments"):
            with contextlib.suppress(OSError):
                used.update(listing.read_text().split())
        now = time.time()
        for folder in root().iterdir():
            with contextlib.suppress(OSError):
                if folder.name not in used and now - folder.stat().st_mtime > KEEP_UNUSED_S:
                    shutil.rmtree(folder, ignore_errors=True)
