"""The Polars data layer: a set of filings loaded (from cache when possible) into eight frames.

The app, the command line, the tests and the benchmarks all start here. Loading never stops at
a bad file: each one becomes a FilingError in ``errors`` and the rest load.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from parsing import schema
from parsing.errors import FilingError
from parsing.paths import library_dir, seeds_dir
from parsing.readers.filing import TEXT_SUFFIXES, read_filing
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
        key = hashlib.sha256("\n".join(f"{p}\0{s}" for p, s in sorted(shas.items())).encode()).hexdigest()
        folder = cache.snapshot(key)
        stored = cache.read_folder(folder)
        if stored is not None:
            return cls(**stored, errors=errors + [FilingError(p, r) for p, r in cache.read_errors(folder)])
        loaded, failed = _read_all(shas, progress)
        lib = cls(errors=errors + failed)
        for name in schema.FRAMES:
            dfs = [frames[name] for frames in loaded.values()]
            if dfs:
                setattr(lib, name, pl.concat(dfs, how="vertical"))
        lib = lib._one_per_filing()
        cache.write_folder(
            folder, {name: getattr(lib, name) for name in schema.FRAMES}, [(str(e.path), e.reason) for e in failed]
        )
        return lib

    def _one_per_filing(self) -> Library:
        """The same filing (kind, department, year) from two sources is shown once: the first
        loaded stays, and its ``sources`` lists every file it was read from."""
        docs = self.documents.with_columns(
            pl.col("file").over("kind", "department", "year", mapping_strategy="join").alias("sources"),
            (pl.int_range(pl.len()).over("kind", "department", "year") == 0).alias("_first"),
        )
        if docs["_first"].all():
            self.documents = docs.drop("_first")
            return self
        keep = docs.filter("_first")["doc_id"]
        self.documents = docs.filter("_first").drop("_first")
        for name in schema.FRAMES:
            if name != "documents":
                setattr(self, name, getattr(self, name).filter(pl.col("doc_id").is_in(keep.implode())))
        return self

    def subset(self, doc_ids: Iterable[str]) -> Library:
        """The same library restricted to some filings (a department's, say), errors left out."""
        keep = pl.Series(list(doc_ids), dtype=pl.String).implode()
        return Library(**{name: getattr(self, name).filter(pl.col("doc_id").is_in(keep)) for name in schema.FRAMES})

    def document(self, doc_id: str) -> dict:
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
    """Files to load: each file given, and every filing inside each folder given (sorted)."""
    files: list[Path] = []
    errors: list[FilingError] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if _is_filing(p) and not any(x.startswith(".") for x in p.relative_to(path).parts)
                )
            )
        elif path.is_file():
            files.append(path)
        else:
            errors.append(FilingError(path, "no such file or folder"))
    return files, errors


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
        cache.store(sha256, frames)
    return _relocated(frames, path)


def _relocated(frames: dict[str, pl.DataFrame], path: Path) -> dict[str, pl.DataFrame]:
    """Cached frames name the file they were parsed from; name the file they were loaded from."""
    if frames["documents"]["file"].to_list() == [str(path)]:
        return frames
    out = {
        name: df.with_columns(pl.lit(path.name).alias("source_file")) if "source_file" in df.columns else df
        for name, df in frames.items()
    }
    out["documents"] = out["documents"].with_columns(pl.lit(str(path)).alias("file"))
    return out
