"""Parsing many filings at once: a pool of worker processes that parse into the cache.

Workers write each filing's frames to the Parquet cache and hand back only its hash (or the
reason it failed), so nothing large crosses the process boundary and the loader then reads
every filing the same way, from the cache. `add` also keeps a copy of each file in the user's
library, named by content hash, so the same content added twice is stored once.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from parsing.errors import FilingError
from parsing.paths import library_dir
from parsing.readers.filing import digest, read_filing
from parsing.store import cache

Progress = Callable[[int, int, Path], None]


def parse_into_cache(path: Path) -> tuple[Path, str | None, str | None]:
    """(path, sha256, None) once the filing is cached, or (path, None, reason)."""
    try:
        sha = digest(path)
        if cache.load(sha) is None:
            cache.store(sha, read_filing(path, sha))
        return path, sha, None
    except FilingError as e:
        return path, None, e.reason
    except Exception as e:  # a parser bug must not stop the batch: report it as this file's error
        return path, None, f"could not be parsed ({type(e).__name__}: {e})"


def parse_all(
    files: list[Path], *, workers: int | None = None, progress: Progress | None = None
) -> Iterator[tuple[Path, str | None, str | None]]:
    """Parse files into the cache, in worker processes when there is more than one to parse."""
    workers = workers or min(len(files), os.cpu_count() or 1)
    if workers <= 1 or len(files) <= 1:
        for n, path in enumerate(files, start=1):
            result = parse_into_cache(path)
            if progress:
                progress(n, len(files), path)
            yield result
        return
    done: set[Path] = set()
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = [pool.submit(parse_into_cache, path) for path in files]
            for future in as_completed(futures):
                result = future.result()
                done.add(result[0])
                if progress:
                    progress(len(done), len(files), result[0])
                yield result
    except (BrokenProcessPool, OSError):  # no worker processes to be had here: parse in this one
        for path in (p for p in files if p not in done):
            done.add(path)
            result = parse_into_cache(path)
            if progress:
                progress(len(done), len(files), path)
            yield result


def add(
    files: Iterable[Path], *, workers: int | None = None, progress: Progress | None = None
) -> tuple[list[Path], list[FilingError]]:
    """Import filings into the user's library; returns the stored copies and the failures."""
    stored: list[Path] = []
    errors: list[FilingError] = []
    target = library_dir()
    target.mkdir(parents=True, exist_ok=True)
    for path, sha, reason in parse_all(list(files), workers=workers, progress=progress):
        if sha is None:
            errors.append(FilingError(path, reason or "unreadable"))
            continue
        copy = target / f"{sha[:16]}_{path.name}"
        if not any(target.glob(f"{sha[:16]}_*")):
            tmp = copy.with_name(f".{copy.name}.tmp")
            shutil.copyfile(path, tmp)
            os.replace(tmp, copy)
        stored.append(copy)
    return stored, errors
