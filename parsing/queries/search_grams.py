"""Posting lists over the search entries: a keystroke ranks the entries that can match, not all.

Entries are stored in rank order (weight, length, newest year, then entry), so a row number is a
rank and every posting list, sorted, is already best first. For each searched column (the folded
key, pinyin initials, full pinyin, the 科目编码) each entry is listed under every character and
every pair of neighbouring characters of its value, and under its first one and two characters
marked as a start. A substring query intersects the lists of its pairs (rarest first); a prefix
query starts from the list of its first pair as a start. Lists of one or two characters are exact;
longer queries are verified on the candidates only, which ``search`` does a chunk at a time, best
first, until it has enough places to show.

Stored beside the entries as two Arrow IPC files: the grams (sorted, with where each list starts)
held, and the lists themselves memory-mapped (a keystroke reads only the lists it names).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.ipc

#: Searched columns and the tag that keeps their grams apart.
TAGS = {"key": "k", "py_initials": "i", "py_full": "f", "code": "c"}
#: Marks a gram taken at the start of a value (a prefix query's list).
START = "\x02"
#: The rank order of entries: row numbers of the stored entries follow it.
RANK = (["weight", "length", "year", "entry"], [False, False, True, False])


@dataclass
class Grams:
    """gram → the rows (ranks) of the entries holding it, ascending.

    A gram is a number: its column's tag, whether it is a start, and the ids of its one or two
    characters in ``chars`` (the library's distinct characters), so that building sorts integers."""

    chars: dict[str, int]  # character → id (1-based)
    grams: array[int]  # "Q": sorted, distinct (a compact sequence ``bisect`` searches)
    offsets: array[int]  # "Q": list i is postings[offsets[i]:offsets[i + 1]]
    postings: pa.Array  # UInt32, held or memory-mapped

    @classmethod
    def build(cls, entries: pl.DataFrame) -> Grams:
        """The lists of ``entries`` (in rank order: row number = rank)."""
        split = [
            entries.select(pl.int_range(pl.len(), dtype=pl.UInt32).alias("row"), pl.col(column).alias("c"))
            .filter(pl.col("c").is_not_null() & (pl.col("c") != ""))
            .with_row_index("sid")
            .with_columns(pl.col("c").str.split(""))
            .explode("c")
            for column in TAGS
        ]
        vocabulary = pl.concat([s["c"] for s in split]).unique().sort()
        chars = {c: i + 1 for i, c in enumerate(vocabulary.to_list())}
        ids = pl.Series(range(1, len(chars) + 1), dtype=pl.UInt64)
        width, rows = _width(chars), max(entries.height, 1).bit_length()
        packed = 3 + 2 * width + rows <= 64  # gram and row in one integer: one sort, no hashing
        parts: list[pl.Series] = []
        scale = 1 << (rows if packed else 32)
        for tag, values in enumerate(split):
            numbered = values.with_columns(  # each column computed once, then four grams from it
                pl.col("c").replace_strict(vocabulary, ids, return_dtype=pl.UInt64),
                (pl.col("sid").shift(-1) == pl.col("sid")).alias("following"),
                (pl.col("sid").shift(1, fill_value=-1) != pl.col("sid")).alias("first"),
                pl.col("row").cast(pl.UInt64),
            )
            one = pl.col("c") * (1 << width)
            two = one + pl.col("c").shift(-1)
            following, first = pl.col("following"), pl.col("first")
            grams = [
                _head(tag, False, width) + one,
                pl.when(following).then(_head(tag, False, width) + two),
                pl.when(first).then(_head(tag, True, width) + one),
                pl.when(first & following).then(_head(tag, True, width) + two),
            ]
            found = numbered.select((g * scale + pl.col("row")).alias(f"g{i}") for i, g in enumerate(grams))
            parts.extend(found[name].drop_nulls() for name in found.columns)
        every = pl.concat(parts).sort()
        every = every.filter(every.diff().fill_null(1) != 0)
        shift = rows if packed else 32
        pairs = pl.DataFrame({"gram": every // (1 << shift), "row": (every % (1 << shift)).cast(pl.UInt32)})
        counts = pairs.group_by("gram", maintain_order=True).len()
        ends = counts["len"].cast(pl.UInt64).cum_sum()
        return cls(chars, array("Q", counts["gram"].to_list()), array("Q", [0, *ends]), pairs["row"].to_arrow())

    def write(self, folder: Path) -> None:
        ends = pl.Series("end", self.offsets[1:], dtype=pl.UInt64)
        pl.DataFrame({"gram": pl.Series(self.grams, dtype=pl.UInt64), "end": ends}).write_ipc(folder / "grams.arrow")
        pl.DataFrame({"char": list(self.chars), "id": list(self.chars.values())}).write_ipc(folder / "chars.arrow")
        table = pa.table({"row": self.postings})
        with pa.OSFile(str(folder / "postings.arrow"), "wb") as sink, pa.ipc.new_file(sink, table.schema) as out:
            out.write_table(table)

    @classmethod
    def read(cls, folder: Path) -> Grams:
        held = pl.read_ipc(folder / "grams.arrow")
        chars = pl.read_ipc(folder / "chars.arrow")
        offsets = array("Q", [0, *held["end"]])
        mapped = pyarrow.ipc.open_file(pa.memory_map(str(folder / "postings.arrow"))).read_all()
        return cls(dict(chars.iter_rows()), array("Q", held["gram"]), offsets, mapped.column("row").combine_chunks())

    def posting(self, column: str, start: bool, text: str) -> pl.Series:
        """The rows whose ``column`` holds ``text`` (one or two characters; at its start if ``start``)."""
        ids = [self.chars.get(c, 0) for c in text]
        if 0 in ids:
            return pl.Series("row", [], dtype=pl.UInt32)
        width = _width(self.chars)
        gram = (list(TAGS).index(column) * 2 + start) << 2 * width | ids[0] << width | (ids[1] if len(ids) > 1 else 0)
        at = bisect_left(self.grams, gram)
        if at >= len(self.grams) or self.grams[at] != gram:
            return pl.Series("row", [], dtype=pl.UInt32)
        start_at, end = self.offsets[at], self.offsets[at + 1]
        return pl.Series("row", self.postings.slice(start_at, end - start_at))

    def candidates(self, column: str, q: str, prefix: bool) -> tuple[pl.Series, bool]:
        """Rows whose ``column`` may contain (or start with) ``q``, ascending, and whether the list
        is exact (queries of one or two characters) or still to be verified."""
        pairs = [q[i : i + 2] for i in range(len(q) - 1)] or [q]
        names = [(True, q[:2]), *((False, p) for p in pairs[1:])] if prefix else [(False, p) for p in pairs]
        lists = sorted((self.posting(column, s, g) for s, g in dict.fromkeys(names)), key=len)
        rows = lists[0]
        for other in lists[1:]:
            if rows.is_empty():
                break
            rows = rows.filter(rows.is_in(other.implode()))
        return rows, len(q) <= 2

    def matching(self, entries: pl.DataFrame, q: str, columns: list[str], limit: int) -> pl.Series:
        """The rows of ``entries`` a ranking of ``q`` over ``columns`` needs to fill ``limit`` places:
        every exact match, then prefix matches best first until they hold ``limit`` places, then
        substring matches likewise (``code`` matches only as a prefix, as ``search`` ranks it)."""
        prefixes = [self.candidates(c, q, prefix=True) for c in columns]
        rows = _union([r for r, _ in prefixes])
        exact = _where(entries, rows, pl.any_horizontal(pl.col(c) == q for c in columns), columns)
        starts = pl.any_horizontal(pl.col(c).str.starts_with(q) for c in columns)
        found, held = self._fill(entries, exact, rows, (starts, columns), all(e for _, e in prefixes), limit)
        if held < limit:
            texts = [c for c in columns if c != "code"]
            inner = [self.candidates(c, q, prefix=False) for c in texts]
            rows = _union([r for r, _ in inner])
            contains = pl.any_horizontal(pl.col(c).str.contains(q, literal=True) for c in texts)
            found, held = self._fill(entries, found, rows, (contains, texts), all(e for _, e in inner), limit)
        return found

    @staticmethod
    def _fill(
        entries: pl.DataFrame,
        found: pl.Series,
        rows: pl.Series,
        test: tuple[pl.Expr, list[str]],
        exact: bool,
        limit: int,
    ) -> tuple[pl.Series, int]:
        """``found`` and the rows of ``rows`` that pass ``test``, best first, until they hold
        ``limit`` places (verifying a growing chunk at a time unless ``rows`` is exact)."""
        counts = entries["n"]
        held = int(counts.gather(found).sum() or 0)
        rows = rows.filter(~rows.is_in(found.implode()))
        taken = [found]
        at, size = 0, 1024
        while held < limit and at < len(rows):
            chunk = rows.slice(at, size)
            at, size = at + size, size * 4
            passed = chunk if exact else _where(entries, chunk, *test)
            places = counts.gather(passed).cum_sum()
            enough = int(places.search_sorted(limit - held, side="left")) + 1
            taken.append(passed.head(enough))
            held += int(places[min(enough, len(places)) - 1]) if len(places) else 0
        return _union(taken), held


def _union(parts: list[pl.Series]) -> pl.Series:
    return pl.concat(parts, how="vertical").unique().sort() if parts else pl.Series("row", [], dtype=pl.UInt32)


def _where(entries: pl.DataFrame, rows: pl.Series, test: pl.Expr, columns: list[str]) -> pl.Series:
    """The rows among ``rows`` (ascending) whose entry passes ``test`` (which reads ``columns``)."""
    if rows.is_empty():
        return rows
    return entries.select(columns)[rows].with_columns(rows.alias("_row")).filter(test)["_row"]


def _head(tag: int, start: bool, width: int) -> pl.Expr:
    return pl.lit((tag * 2 + start) << 2 * width, dtype=pl.UInt64)


def _width(chars: dict[str, int]) -> int:
    """Bits of a character's id (ids run from 1 to the number of distinct characters)."""
    return len(chars).bit_length()


def rank(entries: pl.DataFrame) -> pl.DataFrame:
    """``entries`` in rank order, renumbered so that ``entry`` is the row number."""
    by, descending = RANK
    return entries.sort(by, descending=descending, nulls_last=True).with_columns(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("entry")
    )
