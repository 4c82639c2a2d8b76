"""Where each filing's heavy frames live, so a library reads them per filing, never whole.

A library of ten thousand filings holds about ten million budget lines and indicators; a start
must not read them. The cache already keeps one Parquet folder per filing (``cache.entry``, or the
shipped ``seeds/.parsed``): that is the partitioned store, partitioned by what every query on the
app's path filters on, the filing. ``Parts`` maps each filing of a library to the cached files it
was read from (a 情况说明 published apart from its 报表 is a second part of the same filing), and
reads one frame of a few filings on demand: one small Parquet file per part, its rows relabelled
as the library names them (merged doc_id, the file it was loaded from). The few most recent reads
are kept, as a tree opened and its card drawn ask for the same filing several times.

The cache is only a speed-up: a part whose folder is gone (cache deleted, pruned, unreadable) is
parsed again from its file; a filing the cache could not keep is held in memory instead.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

import polars as pl

from parsing import schema
from parsing.errors import FilingError
from parsing.paths import display
from parsing.store import cache
from parsing.store.worker import read_filing

#: Frames read per filing; the rest (the catalogue) are small enough to hold for every filing.
LAZY = ("budget_lines", "indicators", "sections", "notes")
CATALOGUE = tuple(name for name in schema.FRAMES if name not in LAZY)
#: One row per part: the filing (doc_id), the cache key and file it was read from, the doc_id it
#: had there, and the file name its rows' source_file is to say (null: as cached).
PARTS_SCHEMA: dict[str, pl.DataType] = {
    "doc_id": pl.String(),
    "sha256": pl.String(),
    "file": pl.String(),
    "source_doc": pl.String(),
    "source_file": pl.String(),
}
#: (frame, filing) reads kept: a filing opened, its card, its tables and a comparison.
KEEP_READS = 64


class Parts:
    """The parts of every filing of a library, and reads of their frames."""

    def __init__(self, rows: pl.DataFrame, held: dict[str, cache.Frames] | None = None) -> None:
        self.rows = rows
        self.held = held or {}  # sha256 → frames the cache could not keep
        self._recent: OrderedDict[tuple[str, str], pl.DataFrame] = OrderedDict()

    @classmethod
    def empty(cls) -> Parts:
        return cls(pl.DataFrame(schema=PARTS_SCHEMA))

    def read(self, name: str, doc_ids: Iterable[str] | None = None) -> pl.DataFrame:
        """Frame ``name`` of the filings ``doc_ids`` (default: every one), in the library's order."""
        rows = self.rows
        if doc_ids is not None:
            rows = rows.filter(pl.col("doc_id").is_in(pl.Series(list(doc_ids), dtype=pl.String).implode()))
        wanted = rows["doc_id"].unique(maintain_order=True).to_list()
        if doc_ids is None or len(wanted) > KEEP_READS // 2:  # a whole-library read: nothing kept
            return self._many(name, rows)
        for doc_id in wanted:
            if (name, doc_id) not in self._recent:
                parts = rows.filter(pl.col("doc_id") == doc_id).iter_rows()
                self._recent[(name, doc_id)] = pl.concat([self._part(name, *row) for row in parts], how="vertical")
            self._recent.move_to_end((name, doc_id))
        while len(self._recent) > KEEP_READS:
            self._recent.popitem(last=False)
        dfs = [self._recent[(name, doc_id)] for doc_id in wanted]
        return pl.concat(dfs, how="vertical") if dfs else schema.empty(name)

    def restricted(self, doc_ids: Iterable[str]) -> Parts:
        """The parts of some filings only."""
        keep = pl.Series(list(doc_ids), dtype=pl.String).implode()
        return Parts(self.rows.filter(pl.col("doc_id").is_in(keep)), self.held)

    def relabelled(self, merged: dict[str, str], dropped: Iterable[str]) -> Parts:
        """Parts after filings merged (doc_id → the filing it joins) and duplicates dropped."""
        gone = pl.Series(list(dropped), dtype=pl.String).implode()
        rows = self.rows.filter(~pl.col("doc_id").is_in(gone)).with_columns(pl.col("doc_id").replace(merged))
        return Parts(rows, self.held)

    def _many(self, name: str, rows: pl.DataFrame) -> pl.DataFrame:
        """Frame ``name`` of many parts in one multi-file scan (read in parallel by Polars); part by
        part instead when any is held, gone or of another shape."""
        files = [_stored(sha, name) for sha in rows["sha256"]]
        if not self.held and files and all(f.is_file() for f in files):
            try:
                scanned = pl.scan_parquet(files, include_file_paths="_path").collect()
            except Exception:  # any trouble reading them together: one by one below
                scanned = None
            if scanned is not None:
                relabel = rows.with_columns(pl.Series("_path", [str(f) for f in files]))
                df = scanned.join(
                    relabel, left_on=["_path", "doc_id"], right_on=["_path", "source_doc"], maintain_order="left"
                )
                df = df.with_columns(pl.col("doc_id_right").alias("doc_id"))
                if "source_file" in scanned.columns:
                    df = df.with_columns(pl.coalesce("source_file_right", "source_file").alias("source_file"))
                return schema.conform(name, df.select(scanned.columns).drop("_path"))
        dfs = [self._part(name, *row) for row in rows.iter_rows()]
        return pl.concat(dfs, how="vertical") if dfs else schema.empty(name)

    def _part(
        self, name: str, doc_id: str, sha: str, file: str, source_doc: str, source_file: str | None
    ) -> pl.DataFrame:
        df = self._frame(sha, name, file).filter(pl.col("doc_id") == source_doc)
        if source_file is not None and "source_file" in df.columns:
            df = df.with_columns(pl.lit(source_file).alias("source_file"))
        return df.with_columns(pl.lit(doc_id).alias("doc_id")) if doc_id != source_doc else df

    def _frame(self, sha: str, name: str, file: str) -> pl.DataFrame:
        if sha in self.held:
            return self.held[sha][name]
        df = cache.read_frame(sha, name)
        if df is not None:
            return df
        try:  # the cached copy is gone: read the filing again (and cache it, if the cache can)
            frames = read_filing(Path(file), sha)
        except FilingError:
            return schema.empty(name)  # the file is gone too: the filing shows what the catalogue has
        if not cache.store(sha, frames):
            self.held[sha] = frames
        return frames[name]


def _stored(sha: str, name: str) -> Path:
    """Where a filing's frame is kept: the cache, else the shipped seeds' copy."""
    kept = cache.entry(sha) / f"{name}.parquet"
    return kept if kept.is_file() else cache.bundled(sha) / f"{name}.parquet"


def read_catalogues(filings: list[tuple[str, str]]) -> tuple[cache.Frames, pl.DataFrame] | None:
    """The catalogue frames of many cached filings, given as (sha256, file loaded from), in one
    multi-file scan per frame, relabelled to the files they were loaded from; and their parts.
    None when any is not cached (or the scan fails): the caller then reads them one by one."""
    if not filings:
        return None
    where = pl.DataFrame(
        {
            "_sha": [sha for sha, _ in filings],
            "_file": [file for _, file in filings],
            "_name": [Path(file).name for _, file in filings],
        },
        schema={"_sha": pl.String, "_file": pl.String, "_name": pl.String},
    )
    frames: cache.Frames = {}
    for name in CATALOGUE:
        files = [_stored(sha, name) for sha, _ in filings]
        if not all(f.is_file() for f in files):
            return None
        try:
            scanned = pl.scan_parquet(files, include_file_paths="_path").collect()
        except Exception:  # of another shape, damaged: one by one instead
            return None
        paths = where.with_columns(pl.Series("_path", [str(f) for f in files]))
        frames[name] = scanned.join(paths, on="_path", how="left", maintain_order="left")
    docs = frames["documents"]
    moved_shas = docs.filter(pl.col("file") != pl.col("_file"))["_sha"].implode()
    out: cache.Frames = {}
    for name, df in frames.items():
        relocated = pl.col("_sha").is_in(moved_shas)
        if "source_file" in df.columns:
            df = df.with_columns(
                pl.when(relocated).then(pl.col("_name")).otherwise(pl.col("source_file")).alias("source_file")
            )
        if name == "documents":
            df = df.with_columns(pl.col("_file").alias("file"))
        out[name] = schema.conform(name, df.select(c for c in df.columns if c in schema.FRAMES[name]))
    parts = docs.select(
        "doc_id",
        pl.col("_sha").alias("sha256"),
        pl.col("_file").alias("file"),
        pl.col("doc_id").alias("source_doc"),
        pl.when(pl.col("_sha").is_in(moved_shas)).then(pl.col("_name")).alias("source_file"),
    )
    return out, parts


def load_catalogue(path: Path, sha256: str) -> tuple[cache.Frames, bool, bool]:
    """A filing's catalogue frames from the cache (relocated to ``path``), True, and whether the
    cached rows name another file (so its other frames are relocated when read); or, when the
    cache cannot give them back, all its frames parsed in place (relocated) and False."""
    frames: cache.Frames = {}
    for name in CATALOGUE:
        df = cache.read_frame(sha256, name)
        if df is None:
            frames = load_filing(path, sha256)
            cached = cache.read_frame(sha256, "documents")
            if cached is None:
                return frames, False, False
            return frames, True, cached["file"].to_list() != [display(path)]
        frames[name] = df
    return _relocated(frames, path), True, frames["documents"]["file"].to_list() != [display(path)]


def load_filing(path: Path, sha256: str) -> dict[str, pl.DataFrame]:
    """A filing's frames from the cache, parsing (and caching) it when needed."""
    frames = cache.load(sha256)
    if frames is None:
        frames = read_filing(path, sha256)  # the cache could not keep it: parse in place
        cache.store(sha256, frames)  # may fail too: then this run works uncached
    return _relocated(frames, path)


def _relocated(frames: dict[str, pl.DataFrame], path: Path) -> dict[str, pl.DataFrame]:
    """Cached frames name the file they were parsed from; name the file they were loaded from."""
    if frames["documents"]["file"].to_list() == [display(path)]:
        return frames
    out = {
        name: df.with_columns(pl.lit(display(path.name)).alias("source_file")) if "source_file" in df.columns else df
        for name, df in frames.items()
    }
    out["documents"] = out["documents"].with_columns(pl.lit(display(path)).alias("file"))
    return out
