"""The Polars data layer: a set of filings loaded (from cache when possible) into eight frames.

The app, the command line, the tests and the benchmarks all start here. Loading never stops at
a bad file: each one becomes a FilingError in ``errors`` and the rest load.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import polars as pl

from parsing import schema
from parsing.errors import FilingError
from parsing.paths import TEXT_SUFFIXES, default_paths, display
from parsing.schema import Row
from parsing.store import cache, recent, snapshot
from parsing.store.filings import CATALOGUE, LAZY, PARTS_SCHEMA, Parts, load_catalogue, read_catalogues
from parsing.store.ingest import parse_all
from parsing.store.manifest import Manifest

#: What a folder walk takes as a filing: PDFs and plain-text extractions. Markdown beside the
#: filings is the collector's notes (README.md, SOURCES.md); a .md named on its own is still read.
FILING_SUFFIXES = {".pdf", *(TEXT_SUFFIXES - {".md"})}
Progress = Callable[[int, int, Path], None]


class _Whole:
    """A frame of every filing, read once on first use (from any thread) unless given. The
    projects are read from the snapshot the library was loaded from: 300k rows with their prose
    at ten thousand filings, which the tree a start shows does not need."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, lib: Library, owner: object = None) -> pl.DataFrame:
        if self.name not in lib._held:
            with lib._lock:
                if self.name not in lib._held:
                    lib._held[self.name] = lib._read_whole(self.name)
        return lib._held[self.name]

    def __set__(self, lib: Library, df: pl.DataFrame) -> None:
        lib._held[self.name] = df


class Library:
    """A set of filings: the catalogue (documents, units, projects, tables) held for every filing,
    and each filing's budget lines, indicators, sections and notes read when asked for
    (``lines``, ``indicators_of``, ``sections_of``, ``notes_of``).

    The whole-library attributes (``lib.budget_lines`` …) read every filing once and keep the
    result: right for tests, checks of one department and small libraries, never for the app's
    path on a large one. A Library made from frames (tests) holds them all.
    """

    def __init__(
        self,
        documents: pl.DataFrame | None = None,
        units: pl.DataFrame | None = None,
        projects: pl.DataFrame | None = None,
        indicators: pl.DataFrame | None = None,
        budget_lines: pl.DataFrame | None = None,
        sections: pl.DataFrame | None = None,
        notes: pl.DataFrame | None = None,
        tables: pl.DataFrame | None = None,
        errors: list[FilingError] | None = None,
        *,
        parts: Parts | None = None,
    ) -> None:
        given = {
            "documents": documents,
            "units": units,
            "projects": projects,
            "indicators": indicators,
            "budget_lines": budget_lines,
            "sections": sections,
            "notes": notes,
            "tables": tables,
        }
        self._lock = threading.Lock()
        self._held: dict[str, pl.DataFrame] = {
            name: schema.empty(name) if df is None else df
            for name, df in given.items()
            if name in LAZY and (df is not None or parts is None)
        }
        self.documents = schema.empty("documents") if documents is None else documents
        self.units = schema.empty("units") if units is None else units
        self.projects = schema.empty("projects") if projects is None else projects
        self.tables = schema.empty("tables") if tables is None else tables
        self.errors: list[FilingError] = errors or []
        self.parts = parts
        self.folder: Path | None = None  # where the catalogue (and the search index) of a loaded library is kept

    projects = _Whole("projects")
    budget_lines = _Whole("budget_lines")
    indicators = _Whole("indicators")
    sections = _Whole("sections")
    notes = _Whole("notes")

    def frame(self, name: str, doc_ids: str | Iterable[str] | None) -> pl.DataFrame:
        """Frame ``name`` of some filings only (one doc_id or several; None: none), read from the store."""
        ids = [] if doc_ids is None else [doc_ids] if isinstance(doc_ids, str) else list(doc_ids)
        read = (*LAZY, "projects")  # per filing while not held (the projects: until first asked for whole)
        if not ids:
            whole: pl.DataFrame = getattr(self, name) if name in self._held or name not in read else schema.empty(name)
            return whole.clear()
        if name in self._held or self.parts is None or name not in read:
            df: pl.DataFrame = getattr(self, name)
            return df.filter(pl.col("doc_id") == ids[0]) if len(ids) == 1 else df.filter(_among(ids))
        return self.parts.read(name, ids)

    def department_names(self) -> list[str]:
        """Every department, sorted: the top of the app's tree."""
        return sorted(set(self.documents["department"].drop_nulls().to_list()))

    def lines(self, doc_ids: str | Iterable[str] | None) -> pl.DataFrame:
        """The budget lines of some filings."""
        return self.frame("budget_lines", doc_ids)

    def indicators_of(self, doc_ids: str | Iterable[str] | None) -> pl.DataFrame:
        """The performance indicators of some filings."""
        return self.frame("indicators", doc_ids)

    def sections_of(self, doc_ids: str | Iterable[str] | None) -> pl.DataFrame:
        """The narrative parts of some filings."""
        return self.frame("sections", doc_ids)

    def notes_of(self, doc_ids: str | Iterable[str] | None) -> pl.DataFrame:
        """The notes (footnotes, tables not recognised) of some filings."""
        return self.frame("notes", doc_ids)

    @classmethod
    def load(
        cls,
        paths: Iterable[Path | str] | None = None,
        *,
        progress: Progress | None = None,
        shown: Library | None = None,
    ) -> Library:
        """Load files and folders (default: the bundled seeds plus the user's library).

        Files not yet cached are parsed first, in worker processes when there are several. A
        set of files loaded before starts from its catalogue (written then): a few small reads.
        ``shown`` (from ``recent``) is given back, with the errors of now, when the files are
        still what it was read from.
        """
        asked = default_paths() if paths is None else [Path(p) for p in paths]
        files, errors = discover(asked)
        manifest = Manifest.open()
        shas: dict[Path, str] = {}
        for path in files:
            try:
                shas[path] = manifest.digest(path)
            except FilingError as e:
                errors.append(e)
        manifest.save()
        key = hashlib.sha256(b"\n".join(os.fsencode(p) + b"\0" + s.encode() for p, s in sorted(shas.items())))
        folder = snapshot.folder(key.hexdigest())
        known = cache.read_errors(folder)
        if shown is not None and shown.folder == folder and known is not None:
            same = copy.copy(shown)  # the same frames (and the same lazy reads)
            same.errors = errors + [FilingError(p, r) for p, r in known]
            return same
        lib = cls._from_snapshot(folder, errors)
        if lib is None:
            lib = cls._read(shas, errors, folder, progress)
        if lib.folder is not None:
            recent.remember(recent.key(asked), lib.folder)
        return lib

    @classmethod
    def recent(cls, paths: Iterable[Path | str] | None = None) -> Library | None:
        """The library these paths were last loaded as, read from its snapshot without looking
        at a single file (None when there is none): a start shows it while ``load`` checks the
        files. Its ``errors`` are those of that load, without the ones found when listing files."""
        folder = recent.recalled(recent.key(default_paths() if paths is None else [Path(p) for p in paths]))
        return None if folder is None else cls._from_snapshot(folder, [])

    @classmethod
    def _from_snapshot(cls, folder: Path, errors: list[FilingError]) -> Library | None:
        """The library kept in a snapshot (its projects read when first asked for), or None when
        the snapshot is absent or damaged."""
        stored = cache.read_frames(folder, (*(n for n in CATALOGUE if n != "projects"), "parts"))
        known = cache.read_errors(folder) if stored is not None else None
        if stored is None or known is None or not (folder / "projects.parquet").is_file():
            return None
        cache.touch(folder)
        parts = Parts(stored.pop("parts"))
        catalogue = {name: schema.conform(name, df) for name, df in stored.items()}
        lib = cls(**catalogue, errors=errors + [FilingError(p, r) for p, r in known], parts=parts)
        lib.folder = folder
        del lib._held["projects"]
        if snapshot.departments(folder) is None:  # a snapshot from before the names were kept
            snapshot.keep_departments(folder, lib.department_names())
        return lib

    @classmethod
    def _read(
        cls, shas: dict[Path, str], errors: list[FilingError], folder: Path, progress: Progress | None
    ) -> Library:
        """The library read from each filing's cache (parsing what is not cached), its snapshot written."""
        lib, failed = _read_all(shas, progress)
        lib.errors = errors + failed
        copies: dict[str, list[str]] = {}
        for path, sha in shas.items():
            copies.setdefault(sha, []).append(display(path))
        lib = lib._one_per_filing(copies)
        frames = {name: getattr(lib, name) for name in CATALOGUE}
        frames["parts"] = lib.parts.rows if lib.parts else pl.DataFrame(schema=PARTS_SCHEMA)
        if cache.write_folder(folder, frames, [(display(e.path), e.reason) for e in failed]):
            snapshot.keep_departments(folder, lib.department_names())
            cache.prune()
            lib.folder = folder
        return lib

    def _read_whole(self, name: str) -> pl.DataFrame:
        """Frame ``name`` of every filing: a catalogue frame from the snapshot (gone or damaged by
        now: slower, never a failure), and from each filing's cache."""
        got = cache.read_frames(self.folder, (name,)) if self.folder and name in CATALOGUE else None
        if got is not None:
            with contextlib.suppress(Exception):  # of another shape: read it the slow way below
                return schema.conform(name, got[name])
        return self.parts.read(name) if self.parts is not None else schema.empty(name)

    def _one_per_filing(self, copies: dict[str, list[str]] | None = None) -> Library:
        """One document per filing. Files of the same content (hash, or the same rows read from
        two files) are one; a narrative-only document and the tables of the same issuer, kind
        and year (a 情况说明 published apart from its 报表) merge into one filing. Any other two
        documents stay two, however alike; ``sources`` lists every file a filing was read from."""
        copies = copies or {}
        docs = self.documents.with_columns(
            pl.struct("sha256", "file")
            .map_elements(lambda d: copies.get(d["sha256"], [d["file"]]), return_dtype=pl.List(pl.String))
            .alias("sources")
        )
        merged, dropped = self._pairs(docs)
        if not merged and not dropped:
            self.documents = docs
            return self
        extra: dict[str, list[str]] = {}
        pages: dict[str, int] = {}
        by_id = {d["doc_id"]: d for d in docs.iter_rows(named=True)}
        for doc_id, into in (*merged.items(), *dropped.items()):
            extra.setdefault(into, []).extend(by_id[doc_id]["sources"])
            if doc_id in merged:
                pages[into] = pages.get(into, 0) + (by_id[doc_id]["pages"] or 0)
        gone = pl.Series([*merged, *dropped], dtype=pl.String).implode()
        self.documents = docs.filter(~pl.col("doc_id").is_in(gone)).with_columns(
            pl.struct("doc_id", "sources")
            .map_elements(lambda d: d["sources"] + extra.get(d["doc_id"], []), return_dtype=pl.List(pl.String))
            .alias("sources"),
            (pl.col("pages") + pl.col("doc_id").replace_strict(pages, default=0, return_dtype=pl.Int32)).alias("pages"),
        )
        drop = pl.Series(list(dropped), dtype=pl.String).implode()
        for name in schema.FRAMES:
            if name != "documents" and (name in CATALOGUE or name in self._held):
                df = getattr(self, name).filter(~pl.col("doc_id").is_in(drop))
                setattr(self, name, df.with_columns(pl.col("doc_id").replace(merged)))
        if self.parts is not None:
            self.parts = self.parts.relabelled(merged, dropped)
        self.units = self.units.unique(maintain_order=True)
        return self

    def _pairs(self, docs: pl.DataFrame) -> tuple[dict[str, str], dict[str, str]]:
        """(doc_id → filing it merges into, doc_id → filing it duplicates) among documents of one
        known issuer, kind and year."""
        merged: dict[str, str] = {}
        dropped: dict[str, str] = {}
        known = docs.filter(pl.col("department") != schema.UNKNOWN_DEPARTMENT, pl.col("year").is_not_null())
        groups = known.group_by("kind", "department", "year", maintain_order=True).agg("doc_id")
        for ids in groups["doc_id"].to_list():
            kept: list[str] = []
            for doc_id in ids:
                same = next((k for k in kept if self._content(k) == self._content(doc_id)), None)
                if same is not None:
                    dropped[doc_id] = same
                    continue
                part = next((k for k in kept if self._narrative_only(k) != self._narrative_only(doc_id)), None)
                if part is None:
                    kept.append(doc_id)
                elif self._narrative_only(doc_id):
                    merged[doc_id] = part
                else:  # the tables' document carries the filing; the narrative joins it
                    merged[part] = doc_id
                    merged.update({d: doc_id for d, into in merged.items() if into == part})
                    kept[kept.index(part)] = doc_id
        return merged, dropped

    def _narrative_only(self, doc_id: str) -> bool:
        return not any(self.frame(name, doc_id).height for name in ("budget_lines", "projects", "indicators"))

    def _content(self, doc_id: str) -> tuple[int, ...]:
        """A fingerprint of what was read from a document, provenance left out."""
        columns = {
            "budget_lines": ["table_kind", "code", "name", "measure", "amount"],
            "projects": ["name", "budget_total", "actual_total", "goal"],
            "indicators": ["indicator", "target", "outcome"],
            "sections": ["heading", "text"],
        }
        return tuple(
            int(self.frame(name, doc_id).select(cols).hash_rows(seed=0).sum() or 0) for name, cols in columns.items()
        )

    def subset(self, doc_ids: Iterable[str]) -> Library:
        """The same library restricted to some filings (a department's, say), errors left out."""
        ids = list(doc_ids)
        held = {name: getattr(self, name).filter(_among(ids)) for name in (*CATALOGUE, *self._held)}
        return Library(**held, parts=self.parts.restricted(ids) if self.parts else None)

    def document(self, doc_id: str) -> Row:
        """One document's row as a dict."""
        return self.documents.filter(pl.col("doc_id") == doc_id).row(0, named=True)


def _read_all(shas: dict[Path, str], progress: Progress | None) -> tuple[Library, list[FilingError]]:
    """Every file's catalogue and parts (parsing the uncached ones first), and the failures."""
    todo = [path for path, sha in shas.items() if not cache.has(sha)]
    failed: list[FilingError] = []
    for path, _, reason in parse_all(todo, progress=progress):
        if reason is not None:
            failed.append(FilingError(path, reason))
    bad = {e.path for e in failed}
    first = {sha: path for path, sha in reversed(shas.items()) if path not in bad}
    together = read_catalogues([(sha, display(path)) for path, sha in shas.items() if first.get(sha) == path])
    if together is not None:
        got, rows = together  # every one cached: read together
        lib = Library(got["documents"], got["units"], got["projects"], tables=got["tables"], parts=Parts(rows))
        return lib, failed
    catalogue: dict[str, list[pl.DataFrame]] = {name: [] for name in CATALOGUE}
    parts: list[dict[str, str | None]] = []
    held: dict[str, cache.Frames] = {}
    seen: set[str] = set()
    for path, sha in shas.items():
        if sha in seen or path in bad:
            continue
        seen.add(sha)
        try:
            frames, kept, relocated = load_catalogue(path, sha)
        except FilingError as e:
            failed.append(e)
            continue
        if not kept:
            held[sha] = frames
        for name in CATALOGUE:
            catalogue[name].append(frames[name])
        for doc_id in frames["documents"]["doc_id"].to_list():
            source_file = display(path.name) if relocated else None
            parts.append(
                dict(doc_id=doc_id, sha256=sha, file=display(path), source_doc=doc_id, source_file=source_file)
            )
    whole = {name: pl.concat(dfs, how="vertical") for name, dfs in catalogue.items() if dfs}
    lib = Library(
        documents=whole.get("documents"),
        units=whole.get("units"),
        projects=whole.get("projects"),
        tables=whole.get("tables"),
        parts=Parts(pl.DataFrame(parts, schema=PARTS_SCHEMA), held),
    )
    return lib, failed


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[FilingError]]:
    """Files to load: each file given, and every filing inside each folder given (sorted); a
    folder that cannot be read is an error naming it, not a silent gap."""
    files: list[Path] = []
    errors: list[FilingError] = []
    for path in paths:
        if path.is_dir():
            found: list[Path] = []
            for root, dirs, names in os.walk(path, onerror=lambda e: errors.append(_unreadable(e))):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(p for p in (Path(root, n) for n in names) if _is_filing(p))
            files.extend(sorted(found))
        elif path.is_file():
            files.append(path)
        else:
            errors.append(FilingError(path, "没有这个文件或文件夹"))
    return files, errors


def _among(doc_ids: list[str]) -> pl.Expr:
    return pl.col("doc_id").is_in(pl.Series(doc_ids, dtype=pl.String).implode())


def _unreadable(error: OSError) -> FilingError:
    return FilingError(error.filename or "?", f"无法读取文件夹：{error.strerror or error}")


def _is_filing(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in FILING_SUFFIXES and not path.name.startswith(".")
