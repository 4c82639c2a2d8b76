"""The Polars data layer: a set of filings loaded (from cache when possible) into eight frames.

The app, the command line, the tests and the benchmarks all start here. Loading never stops at
a bad file: each one becomes a FilingError in ``errors`` and the rest load.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from parsing import schema
from parsing.errors import FilingError
from parsing.paths import display, library_dir, seeds_dir
from parsing.readers.filing import TEXT_SUFFIXES, read_filing
from parsing.schema import Row
from parsing.store import cache
from parsing.store.ingest import parse_all
from parsing.store.manifest import Manifest

FILING_SUFFIXES = {".pdf", *TEXT_SUFFIXES}
Progress = Callable[[int, int, Path], None]


@dataclass
class Library:
    """Every loaded filing's rows, one frame per table of the schema."""

    documents: pl.DataFrame = field(default_factory=lambda: schema.empty("documents"))
    units: pl.DataFrame = field(default_factory=lambda: schema.empty("units"))
    projects: pl.DataFrame = field(default_factory=lambda: schema.empty("projects"))
    indicators: pl.DataFrame = field(default_factory=lambda: schema.empty("indicators"))
    budget_lines: pl.DataFrame = field(default_factory=lambda: schema.empty("budget_lines"))
    sections: pl.DataFrame = field(default_factory=lambda: schema.empty("sections"))
    notes: pl.DataFrame = field(default_factory=lambda: schema.empty("notes"))
    tables: pl.DataFrame = field(default_factory=lambda: schema.empty("tables"))
    errors: list[FilingError] = field(default_factory=list)

    @classmethod
    def load(cls, paths: Iterable[Path | str] | None = None, *, progress: Progress | None = None) -> Library:
        """Load files and folders (default: the bundled seeds plus the user's library).

        Files not yet cached are parsed first, in worker processes when there are several.
        """
        files, errors = discover(default_paths() if paths is None else [Path(p) for p in paths])
        manifest = Manifest.open()
        shas: dict[Path, str] = {}
        for path in files:
            try:
                shas[path] = manifest.digest(path)
            except FilingError as e:
                errors.append(e)
        manifest.save()
        key = hashlib.sha256(b"\n".join(os.fsencode(p) + b"\0" + s.encode() for p, s in sorted(shas.items())))
        folder = cache.snapshot(key.hexdigest())
        stored = cache.read_folder(folder)
        known = cache.read_errors(folder) if stored is not None else None
        if stored is not None and known is not None:
            cache.touch(folder)
            return cls(**stored, errors=errors + [FilingError(p, r) for p, r in known])
        loaded, failed = _read_all(shas, progress)
        lib = cls(errors=errors + failed)
        for name in schema.FRAMES:
            dfs = [frames[name] for frames in loaded.values()]
            if dfs:
                setattr(lib, name, pl.concat(dfs, how="vertical"))
        copies: dict[str, list[str]] = {}
        for path, sha in shas.items():
            copies.setdefault(sha, []).append(display(path))
        lib = lib._one_per_filing(copies)
        frames = {name: getattr(lib, name) for name in schema.FRAMES}
        if cache.write_folder(folder, frames, [(display(e.path), e.reason) for e in failed]):
            cache.prune()
        return lib

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
            if name != "documents":
                df = getattr(self, name).filter(~pl.col("doc_id").is_in(drop))
                setattr(self, name, df.with_columns(pl.col("doc_id").replace(merged)))
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
        return not any(
            getattr(self, name).filter(pl.col("doc_id") == doc_id).height
            for name in ("budget_lines", "projects", "indicators")
        )

    def _content(self, doc_id: str) -> tuple[int, ...]:
        """A fingerprint of what was read from a document, provenance left out."""
        columns = {
            "budget_lines": ["table_kind", "code", "name", "measure", "amount"],
            "projects": ["name", "budget_total", "actual_total", "goal"],
            "indicators": ["indicator", "target", "outcome"],
            "sections": ["heading", "text"],
        }
        return tuple(
            int(getattr(self, name).filter(pl.col("doc_id") == doc_id).select(cols).hash_rows(seed=0).sum() or 0)
            for name, cols in columns.items()
        )

    def subset(self, doc_ids: Iterable[str]) -> Library:
        """The same library restricted to some filings (a department's, say), errors left out."""
        keep = pl.Series(list(doc_ids), dtype=pl.String).implode()
        return Library(**{name: getattr(self, name).filter(pl.col("doc_id").is_in(keep)) for name in schema.FRAMES})

    def document(self, doc_id: str) -> Row:
        """One document's row as a dict."""
        return self.documents.filter(pl.col("doc_id") == doc_id).row(0, named=True)


def _read_all(
    shas: dict[Path, str], progress: Progress | None
) -> tuple[dict[str, dict[str, pl.DataFrame]], list[FilingError]]:
    """Every file's frames by content hash (parsing the uncached ones first), and the failures."""
    todo = [path for path, sha in shas.items() if not cache.has(sha)]
    failed: list[FilingError] = []
    for path, _, reason in parse_all(todo, progress=progress):
        if reason is not None:
            failed.append(FilingError(path, reason))
    bad = {e.path for e in failed}
    loaded: dict[str, dict[str, pl.DataFrame]] = {}
    for path, sha in shas.items():
        if sha in loaded or path in bad:
            continue
        try:
            loaded[sha] = load_filing(path, sha)
        except FilingError as e:
            failed.append(e)
    return loaded, failed


def default_paths() -> list[Path]:
    return [p for p in (seeds_dir(), library_dir()) if p.exists()]


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


def _unreadable(error: OSError) -> FilingError:
    return FilingError(error.filename or "?", f"无法读取文件夹：{error.strerror or error}")


def _is_filing(path: Path) -> bool:
    return (
        path.is_file()
        and path.suffix.lower() in FILING_SUFFIXES
        and path.name.upper() != "README.MD"
        and not path.name.startswith(".")
    )


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
