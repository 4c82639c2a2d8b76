"""The search index as stored with a library: distinct texts in memory, occurrences on disk.

Texts repeat enormously across filings (the same 科目 names, indicator names and units in every
filing of every department), so a keystroke searches the distinct entries (text, weight, code),
each spelled in pinyin once, and only the best entries are expanded into occurrences. The
occurrences (one row per text found, with where it is) stay on disk, one uncompressed Arrow IPC
file per slice of filings, memory-mapped with pyarrow (Polars reads IPC whole): taking a few
hundred rows by position touches only their pages, where reading them by id from Parquet decoded
whole row groups (175–350 ms a keystroke at 10,000 filings). ``places`` (4 bytes an occurrence,
held) lists their ids entry by entry, newest year first. Printed amounts are sorted by
(weight, amount), so that the largest (or smallest) amounts of each weight are the end (or start)
of one range.

``build`` makes them from a Library a slice of filings at a time (a library's whole frames are
never in memory), writing each slice's occurrences as it goes; ``build_into`` stores the index
beside the library's catalogue (``yusuan add`` does), ``open_stored`` reads it back.
A small library (tests, the seeds) keeps everything in memory: the same code reads a frame.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.ipc
from pypinyin import lazy_pinyin

from parsing import atomic
from parsing.library import Library
from parsing.normalize import fold
from parsing.paths import cache_dir
from parsing.queries.search_rows import COLUMNS, amounts, index_parts

#: Labels up to this many characters get pinyin columns; longer text is prose.
PINYIN_MAX_CHARS = 32
#: Filings indexed at a time while building (bounds the memory of a build).
SLICE = 400
ENTRY_KEY = ["text", "weight", "code"]
#: Between the syllables of a stored spelling (folded syllables hold no control characters).
_SEP = "\x1f"
_VERSION = 5


@dataclass
class Stored:
    """The parts of a built index: ``entries`` and ``places`` held; occurrences and cells a frame
    or files."""

    entries: pl.DataFrame  # entry, text, key, py_initials, py_full, weight, code, length, year, start, n
    places: pl.Series  # occurrence ids by entry (newest year first): entry e is places[start:start+n]
    occurrences: pl.DataFrame | list[pa.Table]  # COLUMNS minus key/pinyin/length; as stored, one mapped
    #                                             table per slice, each holding ids first, first+1, …
    cells: pl.DataFrame | Path  # id, measure, amount, weight: sorted by weight, amount
    weights: dict[int, tuple[int, int]]  # weight → [start, end) of its cells

    def rows(self, ids: list[int]) -> pl.DataFrame:
        """The occurrences with these ids, in the order given."""
        order = pl.DataFrame({"id": ids, "_at": range(len(ids))}, schema={"id": pl.UInt32, "_at": pl.Int64})
        if isinstance(self.occurrences, pl.DataFrame):
            found = self.occurrences.join(order, on="id")
        else:
            parts = [_take(table, ids) for table in self.occurrences]
            found = pl.concat([p for p in parts if p.height] or parts[:1], how="vertical").join(order, on="id")
        return found.sort("_at").drop("_at")

    def cell_slice(self, start: int, length: int) -> pl.DataFrame:
        if isinstance(self.cells, pl.DataFrame):
            return self.cells.slice(start, length)
        return pl.scan_parquet(self.cells).slice(start, length).collect()

    def cells_where(self, test: pl.Expr) -> pl.DataFrame:
        if isinstance(self.cells, pl.DataFrame):
            return self.cells.filter(test)
        return pl.scan_parquet(self.cells).filter(test).collect()


def _take(table: pa.Table, ids: list[int]) -> pl.DataFrame:
    """The rows of one stored slice whose ids are among ``ids``.

    A slice's ids are contiguous and its rows sorted by entry, newest year first, so the places a
    keystroke shows are a few runs of neighbouring rows: each run is a zero-copy slice of the
    mapped table, touching only its own pages."""
    first = table.column("id")[0].as_py() if table.num_rows else 0
    local = sorted(i - first for i in ids if first <= i < first + table.num_rows)
    runs: list[pa.Table] = []
    start = 0
    for k in range(1, len(local) + 1):
        if k == len(local) or local[k] != local[k - 1] + 1:
            runs.append(table.slice(local[start], k - start))
            start = k
    compact = pa.concat_tables(runs).combine_chunks() if runs else table.slice(0, 0)  # only the runs' bytes
    return pl.from_arrow(compact)  # type: ignore[return-value]


def build(lib: Library, into: Path | None = None) -> tuple[Stored, dict[str, list[str]]]:
    """The index of ``lib`` and the pinyin of its labels. With ``into`` (a folder), each slice's
    occurrences are written there as they are made, so a build holds only their keys."""
    doc_ids = lib.documents["doc_id"].to_list()
    keys: list[pl.DataFrame] = []
    cell_parts: list[pl.DataFrame] = []
    held: list[pl.DataFrame] = []
    files: list[Path] = []
    offset = 0
    for at in range(0, max(len(doc_ids), 1), SLICE):
        part = lib if len(doc_ids) <= SLICE else lib.subset(doc_ids[at : at + SLICE])
        rows = (
            pl.concat(index_parts(part), how="vertical")
            .filter(pl.col("text").is_not_null() & (pl.col("text") != ""))
            .drop("id")
            .sort([*ENTRY_KEY, "year"], descending=[False, False, False, True], nulls_last=True)
            .with_row_index("id", offset=offset)
        )
        offset += rows.height
        cell_parts.append(amounts(rows, part).select("id", "measure", "amount", "weight"))
        keys.append(rows.select("id", *ENTRY_KEY, "year"))
        rows = rows.select(c for c in COLUMNS if c not in ("key", "py_initials", "py_full", "length"))
        if into is None:
            held.append(rows)
        else:
            files.append(into / f"occurrences-{len(files):05d}.arrow")
            rows.write_ipc(files[-1], compression="uncompressed", compat_level=pl.CompatLevel.oldest())
    every = pl.concat(keys, how="vertical")
    entries = (
        every.group_by(ENTRY_KEY, maintain_order=True)
        .agg(pl.len().alias("n"), pl.col("year").max().alias("year"))
        .with_row_index("entry")
    )
    placed = (
        every.join(entries.select(*ENTRY_KEY, "entry"), on=ENTRY_KEY, nulls_equal=True, maintain_order="left")
        .select("entry", "year", "id")
        .sort("entry", "year", "id", descending=[False, True, False], nulls_last=True)
    )
    del every, keys
    starts = placed.with_row_index("at").group_by("entry").agg(pl.col("at").min().cast(pl.UInt32).alias("start"))
    cells = pl.concat(cell_parts, how="vertical").sort("weight", "amount", "id")
    texts = entries["text"].unique()
    pinyin = _spell(texts.filter(texts.str.len_chars() <= PINYIN_MAX_CHARS))
    entries = (
        entries.join(starts, on="entry")
        .sort("entry")
        .with_columns(
            pl.col("text").replace_strict(texts, [fold(t) for t in texts], return_dtype=pl.String).alias("key"),
            pl.col("text").str.len_chars().alias("length"),
            pl.col("text")
            .replace_strict(_spelled(pinyin, "".join), default=None, return_dtype=pl.String)
            .alias("py_full"),
            pl.col("text")
            .replace_strict(_spelled(pinyin, lambda v: "".join(s[:1] for s in v)), default=None, return_dtype=pl.String)
            .alias("py_initials"),
        )
    )
    occurrences = pl.concat(held, how="vertical") if into is None else [_mapped(f) for f in files]
    return Stored(entries, placed["id"], occurrences, cells, _weights(cells)), pinyin


def _mapped(path: Path) -> pa.Table:
    """A stored slice of occurrences, memory-mapped: pages are read when a hit touches them."""
    return pyarrow.ipc.open_file(pa.memory_map(str(path))).read_all()


def build_into(folder: Path, lib: Library) -> tuple[Stored, dict[str, list[str]]] | None:
    """Build the index of ``lib`` straight into ``folder``/search; None if it could not be written
    (the cache is only a speed-up: the caller builds in memory instead)."""
    tmp: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # A private folder: another add building the same index must never rewrite a file this
        # process has mapped (a mapped file truncated under it is SIGBUS, not an exception).
        tmp = Path(tempfile.mkdtemp(prefix=".search-tmp-", dir=folder))
        stored, pinyin = build(lib, tmp)
        stored.entries.write_parquet(tmp / "entries.parquet")
        stored.places.to_frame("id").write_parquet(tmp / "places.parquet")
        assert isinstance(stored.cells, pl.DataFrame)
        stored.cells.write_parquet(tmp / "cells.parquet", row_group_size=8192, statistics=True)
        spelled = {"text": list(pinyin), "syllables": [_SEP.join(v) for v in pinyin.values()]}
        pl.DataFrame(spelled, schema={"text": pl.String, "syllables": pl.String}).write_parquet(tmp / "pinyin.parquet")
        (tmp / "version").write_text(str(_VERSION))
        shutil.rmtree(folder / "search", ignore_errors=True)
        tmp.rename(folder / "search")
    except Exception:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        return None
    return open_stored(folder)


def open_stored(folder: Path) -> tuple[Stored, dict[str, list[str]]] | None:
    """The index stored in ``folder``, or None when it is absent or unreadable."""
    where = folder / "search"
    with contextlib.suppress(Exception):
        if (where / "version").read_text() != str(_VERSION):
            return None
        entries = pl.read_parquet(where / "entries.parquet")
        places = pl.read_parquet(where / "places.parquet")["id"]
        spelled = pl.read_parquet(where / "pinyin.parquet")
        pinyin = Spelled(spelled["text"].to_list(), spelled["syllables"].to_list())
        weights = pl.scan_parquet(where / "cells.parquet").group_by("weight").agg(pl.len()).sort("weight").collect()
        marks, at = {}, 0
        for w, n in weights.iter_rows():
            marks[int(w)] = (at, at + n)
            at += n
        slices = [_mapped(f) for f in sorted(where.glob("occurrences-*.arrow"))]
        return Stored(entries, places, slices, where / "cells.parquet", marks), pinyin
    return None


class Spelled(dict[str, list[str]]):
    """text → syllables, split from their stored form only when a hit asks (a library has 10⁵ labels)."""

    def __init__(self, texts: list[str], joined: list[str]) -> None:
        super().__init__()
        self.joined = dict(zip(texts, joined, strict=True))

    def __contains__(self, text: object) -> bool:
        return text in self.joined

    def __getitem__(self, text: str) -> list[str]:
        return self.joined[text].split(_SEP)


def _weights(cells: pl.DataFrame) -> dict[int, tuple[int, int]]:
    marks, at = {}, 0
    for w, n in cells.group_by("weight").agg(pl.len()).sort("weight").iter_rows():
        marks[int(w)] = (at, at + n)
        at += n
    return marks


def _spelled(pinyin: dict[str, list[str]], how: Any) -> dict[str, str]:
    return {t: how(v) for t, v in pinyin.items()}


def _spell(texts: Iterable[str]) -> dict[str, list[str]]:
    """Each label's pinyin, one folded syllable per character (non-Chinese characters as themselves).

    Spelling is the slow part of a build (about a millisecond a label), so the labels spelled once
    are kept in the cache (``pinyin.parquet``): an ``add`` to a large library spells only new ones."""
    wanted = list(texts)
    known = _known_spellings()
    new = {t: [fold_char(s) for s in lazy_pinyin(t, errors=_as_themselves)] for t in wanted if t not in known}
    if new:
        with contextlib.suppress(Exception):  # the cache is only a speed-up
            every = {**{t: known[t] for t in known.joined}, **new}
            frame = pl.DataFrame(
                {"text": list(every), "syllables": [_SEP.join(v) for v in every.values()]},
                schema={"text": pl.String, "syllables": pl.String},
            )
            with atomic.staged(cache_dir() / "pinyin.parquet") as tmp:
                frame.write_parquet(tmp)
                atomic.place(tmp, cache_dir() / "pinyin.parquet")
    return {t: new[t] if t in new else known[t] for t in wanted}


def _known_spellings() -> Spelled:
    with contextlib.suppress(Exception):
        known = pl.read_parquet(cache_dir() / "pinyin.parquet")
        return Spelled(known["text"].to_list(), known["syllables"].to_list())
    return Spelled([], [])


@cache
def fold_char(c: str) -> str:
    """One character folded as search folds text (a hit's highlight asks for thousands a keystroke)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", c).lower() if not ch.isspace())


def _as_themselves(chars: str) -> Any:
    """pypinyin's fallback for characters without pinyin: each character as itself."""
    return list(chars)
