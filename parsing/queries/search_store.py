"""The search index as stored with a library: distinct texts in memory, occurrences on disk.

Texts repeat enormously across filings (the same 科目 names, indicator names and units in every
filing of every department), so a keystroke searches the distinct entries (text, weight, code),
each spelled in pinyin once, through posting lists (``search_grams``), and only the best entries
are expanded into occurrences. The occurrences (one row per text found, with where it is) stay on
disk in segments (``search_segments``: one uncompressed Arrow IPC file per slice of filings,
memory-mapped with pyarrow), so taking a few hundred rows by position touches only their pages.
``places`` (4 bytes an occurrence, held) lists their ids entry by entry, newest year first.
Printed amounts are sorted by (weight, amount) and mapped too: an amount query reads a range of
each weight found by binary search, and ``>100`` reads the end of a range.

``build_into`` stores the index beside the library's catalogue (``yusuan add`` does), reusing the
segments of filings already indexed and building only the new ones; ``open_stored`` reads it back.
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
from parsing.queries import search_segments as segments
from parsing.queries.search_grams import Grams, rank
from parsing.queries.search_segments import ENTRY_KEY, SLICE

#: Labels up to this many characters get pinyin columns; longer text is prose.
PINYIN_MAX_CHARS = 32
#: Between the syllables of a stored spelling (folded syllables hold no control characters).
_SEP = "\x1f"
_VERSION = 8


@dataclass
class Stored:
    """The parts of a built index: ``entries`` and ``places`` held; occurrences and cells a frame
    or mapped files."""

    entries: pl.DataFrame  # entry, text, key, py_initials, py_full, weight, code, length, year, start, n
    places: pl.Series  # occurrence ids by entry (newest year first): entry e is places[start:start+n]
    occurrences: pl.DataFrame | list[tuple[int, pa.Table]]  # COLUMNS minus key/pinyin/length; as stored,
    #                                             (first id, mapped segment with ids 0, 1, …) each
    cells: pl.DataFrame | pa.Table  # id, measure, amount, weight: sorted by weight, amount
    weights: dict[int, tuple[int, int]]  # weight → [start, end) of its cells
    grams: Grams | None = None  # posting lists over ``entries`` (stored in rank order)

    def rows(self, ids: list[int]) -> pl.DataFrame:
        """The occurrences with these ids, in the order given."""
        order = pl.DataFrame({"id": ids, "_at": range(len(ids))}, schema={"id": pl.UInt32, "_at": pl.Int64})
        if isinstance(self.occurrences, pl.DataFrame):
            return self.occurrences.join(order, on="id").sort("_at").drop("_at")
        runs: list[pa.Table] = []
        taken: list[int] = []
        for first, table in self.occurrences:
            runs += _runs(table, sorted(i - first for i in ids if first <= i < first + table.num_rows), first, taken)
        compact = pa.concat_tables(runs).combine_chunks() if runs else self.occurrences[0][1].slice(0, 0)
        found: pl.DataFrame = pl.from_arrow(compact)  # type: ignore[assignment]  # only the runs' bytes
        found = found.with_columns(pl.Series("id", taken, dtype=pl.UInt32))
        return found.join(order, on="id").sort("_at").drop("_at")

    def cell_slice(self, start: int, length: int) -> pl.DataFrame:
        if isinstance(self.cells, pl.DataFrame):
            return self.cells.slice(start, length)
        return pl.from_arrow(self.cells.slice(start, length).combine_chunks())  # type: ignore[return-value]

    def cells_between(self, low: float, high: float) -> pl.DataFrame:
        """The cells whose amount is in [low, high], of every weight: a binary search in each range."""
        out = []
        for start, end in self.weights.values():
            if isinstance(self.cells, pl.DataFrame):
                amount = self.cells["amount"].slice(start, end - start)
            else:
                amount = pl.Series(self.cells.column("amount").slice(start, end - start).combine_chunks())
            lo, hi = int(amount.search_sorted(low, side="left")), int(amount.search_sorted(high, side="right"))
            out.append(self.cell_slice(start + lo, hi - lo))
        return pl.concat(out, how="vertical") if out else self.cell_slice(0, 0)


def _runs(table: pa.Table, local: list[int], first: int, taken: list[int]) -> list[pa.Table]:
    """The rows ``local`` (ascending) of one stored segment as zero-copy slices of the mapped table;
    their ids (``first`` + local) are added to ``taken`` in the same order.

    A segment's rows are sorted by entry, newest year first, so the places a keystroke shows are
    a few runs of neighbouring rows: each run touches only its own pages."""
    runs: list[pa.Table] = []
    start = 0
    for k in range(1, len(local) + 1):
        if k == len(local) or local[k] != local[k - 1] + 1:
            runs.append(table.slice(local[start], k - start))
            start = k
    taken += (first + i for i in local)
    return runs


def build(lib: Library) -> tuple[Stored, Spelled]:
    """The index of ``lib`` in memory, and the pinyin of its labels, built a slice at a time."""
    doc_ids = lib.documents["doc_id"].to_list()
    return merge(
        [
            segments.make(lib if len(doc_ids) <= SLICE else lib.subset(doc_ids[at : at + SLICE]), describe)
            for at in range(0, max(len(doc_ids), 1), SLICE)
        ]
    )


def describe(texts: pl.Series) -> pl.DataFrame:
    """Distinct texts folded (``key``) and, for labels, spelled: full pinyin, initials, syllables."""
    labels = texts.filter(texts.str.len_chars() <= PINYIN_MAX_CHARS)
    pinyin = _spell(labels.to_list())
    spelled = [pinyin[t] for t in labels]
    described = pl.DataFrame(
        {
            "text": labels,
            "py_full": ["".join(v) for v in spelled],
            "py_initials": ["".join(s[:1] for s in v) for v in spelled],
            "syllables": [_SEP.join(v) for v in spelled],
        },
        schema={"text": pl.String, "py_full": pl.String, "py_initials": pl.String, "syllables": pl.String},
    )
    keys = pl.DataFrame({"text": texts, "key": [fold(t) for t in texts]}, schema={"text": pl.String, "key": pl.String})
    return keys.join(described, on="text", how="left")


def merge(parts: list[segments.Segment]) -> tuple[Stored, Spelled]:
    """One index over the segments ``parts``, in order (their ids follow on from one another): the
    segments' entries united, their places ordered by entry, newest year first, in one sort."""
    firsts = [0]
    for part in parts:
        firsts.append(firsts[-1] + part.size)
    local = pl.concat([p.entries for p in parts], how="vertical")
    entries = (
        local.group_by(ENTRY_KEY, maintain_order=True)
        .agg(pl.col("key", "py_full", "py_initials", "syllables").first())
        .with_row_index("entry")
    )
    to_global = local.join(entries.select(*ENTRY_KEY, "entry"), on=ENTRY_KEY, nulls_equal=True, maintain_order="left")[
        "entry"
    ]
    every, at = [], 0
    for part, first in zip(parts, firsts, strict=False):
        mapping = to_global.slice(at, part.entries.height)
        at += part.entries.height
        every.append(
            pl.DataFrame(
                {
                    "entry": mapping.gather(part.placed["entry"]),
                    "year": part.placed["year"],
                    "id": pl.int_range(first, first + part.size, dtype=pl.UInt32, eager=True),
                }
            )
        )
    placed = pl.concat(every, how="vertical")
    del every
    stats = placed.group_by("entry").agg(pl.len().alias("n"), pl.col("year").max()).sort("entry")
    places = _by_entry_newest_first(placed)
    cells = pl.concat(
        [p.cells.with_columns(_plus(first)) for p, first in zip(parts, firsts, strict=False)], how="vertical"
    ).sort("weight", "amount", "id", maintain_order=True)
    entries = rank(
        entries.join(stats, on="entry").with_columns(
            (pl.col("n").cum_sum() - pl.col("n")).cast(pl.UInt32).alias("start"),
            pl.col("text").str.len_chars().alias("length"),
        )
    )
    spelled = entries.filter(pl.col("syllables").is_not_null())
    pinyin = Spelled(spelled["text"].to_list(), spelled["syllables"].to_list())
    entries = entries.drop("syllables")
    grams = Grams.build(entries)
    occurrences: pl.DataFrame | list[tuple[int, pa.Table]]
    if all(isinstance(p.occurrences, pl.DataFrame) for p in parts):
        occurrences = pl.concat(
            [p.occurrences.with_columns(_plus(first)) for p, first in zip(parts, firsts, strict=False)],
            how="vertical",
        )
    else:
        occurrences = [(first, _arrow(p.occurrences)) for p, first in zip(parts, firsts, strict=False)]
    return Stored(entries, places, occurrences, cells, _weights(cells), grams), pinyin


def _plus(first: int) -> pl.Expr:
    return (pl.col("id").cast(pl.Int64) + first).cast(pl.UInt32)


def _by_entry_newest_first(placed: pl.DataFrame) -> pl.Series:
    """The ids of ``placed`` (entry, year, id) ordered by entry, newest year first (undated last),
    then id: one integer sort when the three fit in 64 bits."""
    newest, oldest = placed["year"].max(), placed["year"].min()
    if not isinstance(newest, int) or not isinstance(oldest, int):
        return placed.sort("entry", "id")["id"]
    age = (pl.lit(newest) - pl.col("year")).fill_null(newest - oldest + 1).cast(pl.UInt64)
    years = (newest - oldest + 2).bit_length()
    ids = max(placed.height, 1).bit_length()
    if placed.height.bit_length() + years + ids > 64:
        return placed.sort("entry", "year", "id", descending=[False, True, False], nulls_last=True)["id"]
    packed = (pl.col("entry").cast(pl.UInt64) * (1 << (years + ids))) + age * (1 << ids) + pl.col("id").cast(pl.UInt64)
    return (placed.select(packed.alias("p"))["p"].sort() % (1 << ids)).cast(pl.UInt32).alias("id")


def _arrow(frame: pl.DataFrame | pa.Table) -> pa.Table:
    return frame if isinstance(frame, pa.Table) else frame.to_arrow()


def build_into(folder: Path, lib: Library) -> tuple[Stored, Spelled] | None:
    """Store the index of ``lib`` in ``folder``/search, reusing the stored segments of filings
    indexed before and building segments only for the others; None if it could not be written
    (the cache is only a speed-up: the caller builds in memory instead)."""
    tmp: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        marked = segments.marks(lib.documents)
        reuse, todo = segments.plan(marked)
        every = set(marked)
        made = [
            segments.write(
                segments.make(lib if set(ids) == every else lib.subset(ids), describe), [marked[d] for d in ids]
            )
            for ids in todo
        ]
        used = reuse + made
        stored, pinyin = merge([segments.read(f) for f in used])
        # A private folder: another add writing the same index must never rewrite a file this
        # process has mapped (a mapped file truncated under it is SIGBUS, not an exception).
        tmp = Path(tempfile.mkdtemp(prefix=".search-tmp-", dir=folder))
        stored.entries.write_parquet(tmp / "entries.parquet")
        stored.places.to_frame("id").write_parquet(tmp / "places.parquet")
        assert isinstance(stored.cells, pl.DataFrame) and stored.grams is not None
        _write_arrow(stored.cells.to_arrow(), tmp / "cells.arrow")
        marks = pl.DataFrame(
            [(w, s, e) for w, (s, e) in stored.weights.items()], schema=["weight", "start", "end"], orient="row"
        )
        marks.write_parquet(tmp / "weights.parquet")
        stored.grams.write(tmp)
        spelled = {"text": list(pinyin.joined), "syllables": list(pinyin.joined.values())}
        pl.DataFrame(spelled, schema={"text": pl.String, "syllables": pl.String}).write_parquet(tmp / "pinyin.parquet")
        (tmp / "segments").write_text("\n".join(f.name for f in used))
        (tmp / "version").write_text(str(_VERSION))
        shutil.rmtree(folder / "search", ignore_errors=True)
        tmp.rename(folder / "search")
        segments.prune({f.name for f in used})
    except Exception:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        return None
    return open_stored(folder)


def _write_arrow(table: pa.Table, path: Path) -> None:
    """One uncompressed record batch, so that a mapped column is one zero-copy array."""
    table = table.combine_chunks()
    with pa.OSFile(str(path), "wb") as sink, pyarrow.ipc.new_file(sink, table.schema) as out:
        out.write_table(table, max_chunksize=max(table.num_rows, 1))


def open_stored(folder: Path) -> tuple[Stored, Spelled] | None:
    """The index stored in ``folder``, or None when it is absent or unreadable."""
    where = folder / "search"
    with contextlib.suppress(Exception):
        if (where / "version").read_text() != str(_VERSION):
            return None
        entries = pl.read_parquet(where / "entries.parquet")
        places = pl.read_parquet(where / "places.parquet")["id"]
        spelled = pl.read_parquet(where / "pinyin.parquet")
        pinyin = Spelled(spelled["text"].to_list(), spelled["syllables"].to_list())
        marks = {int(w): (int(s), int(e)) for w, s, e in pl.read_parquet(where / "weights.parquet").iter_rows()}
        tables, first = [], 0
        for name in (where / "segments").read_text().split():
            tables.append((first, segments.mapped(segments.root() / name)))
            first += tables[-1][1].num_rows
        cells = pyarrow.ipc.open_file(pa.memory_map(str(where / "cells.arrow"))).read_all()
        return Stored(entries, places, tables, cells, marks, Grams.read(where)), pinyin
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
