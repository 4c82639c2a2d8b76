"""Parsing many filings at once: a pool of worker processes that parse into the cache.

Workers write each filing's frames to the Parquet cache and hand back only its hash (or the
reason it failed), so nothing large crosses the process boundary and the loader then reads
every filing the same way, from the cache. The pool is kept between batches of one process
(until IDLE_SECONDS without work): a worker's start (an interpreter importing Polars and
pdfplumber, a second or two) is paid once, not per batch; each task carries the folders the
caller sees (``worker.where``), so a kept worker writes where the caller's cache is now. Each file is parsed under limits (``worker``); a
worker that dies anyway (a crash in C code, the memory ceiling hit outside Python) costs only
the file it was on: the rest are parsed again one at a time so that file can be named. Given a
Dask scheduler's address, the parses run on that cluster instead (``cluster``), into the same
cache. ``add`` then places a copy of each file in the user's library (``shelf``).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from parsing.errors import FilingError
from parsing.store import remote, shelf
from parsing.store.cluster import parse_on_cluster
from parsing.store.worker import WORKER_DIED, Limits, Result, parse_into_cache, start_worker, where

#: Seconds a kept pool waits for another batch before its workers are let go.
IDLE_SECONDS = 60.0
Progress = Callable[[int, int, Path], None]
__all__ = ["WORKER_DIED", "Progress", "add", "largest_first", "parse_all", "retire", "warm"]


def parse_all(
    files: list[Path],
    *,
    workers: int | None = None,
    progress: Progress | None = None,
    limits: Limits | None = None,
    cluster: str | None = None,
) -> Iterator[Result]:
    """Parse files into the cache, in worker processes when there is more than one to parse
    (or when this is not the main thread, where a timeout cannot be set), or on the Dask
    cluster whose scheduler is at ``cluster`` (ClusterError when it cannot be used)."""
    limits = limits or Limits.from_env()
    if cluster:
        yield from parse_on_cluster(largest_first(files), cluster, limits=limits, progress=progress)
        return
    workers = workers or min(len(files), os.cpu_count() or 1)
    on_main = threading.current_thread() is threading.main_thread()
    if not files:
        return
    if (on_main and (workers <= 1 or len(files) <= 1)) or remote.private():  # (a store in this
        yield from _here(files, files, limits, progress)  # process's memory: workers cannot write it)
        return
    done: set[Path] = set()
    try:
        for result in _pool(largest_first(files), max(1, min(workers, len(files))), limits):
            done.add(result[0])
            if progress:
                progress(len(done), len(files), result[0])
            yield result
    except BrokenProcessPool:  # a worker died: find which file, one at a time
        for result in _isolate([p for p in files if p not in done], limits):
            done.add(result[0])
            if progress:
                progress(len(done), len(files), result[0])
            yield result
    except (OSError, ValueError):  # no worker processes to be had here (ValueError: fds a test
        # harness replaced): parse in this one
        yield from _here([p for p in files if p not in done], files, limits, progress, len(done))


def add(
    files: Iterable[Path],
    *,
    workers: int | None = None,
    progress: Progress | None = None,
    limits: Limits | None = None,
    cluster: str | None = None,
) -> tuple[list[Path], list[FilingError]]:
    """Import filings into the user's library; returns the stored copies and the failures."""
    stored: list[Path] = []
    errors: list[FilingError] = []
    batch = parse_all(list(files), workers=workers, progress=progress, limits=limits, cluster=cluster)
    for path, sha, reason in batch:
        if sha is None:
            errors.append(FilingError(path, reason or "无法读取"))
            continue
        try:
            stored.append(shelf.place(path, sha))
        except FilingError as e:
            errors.append(e)
    return stored, errors


def largest_first(files: list[Path]) -> list[Path]:
    """The files in the order to hand them out: largest first, so that a batch ends on small files
    and no worker sits idle while another finishes a long filing (bytes stand in for pages)."""

    def size(path: Path) -> int:
        try:
            return path.stat().st_size
        except OSError:
            return 0  # reported when it is parsed

    return sorted(files, key=size, reverse=True)


def warm(workers: int, limits: Limits | None = None) -> None:
    """Start the kept pool of ``workers`` processes now and wait until each has imported the parser
    (a caller with other work to do first, or a benchmark that times the start apart)."""
    pool = _kept(workers, limits or Limits.from_env())
    for future in [pool.submit(where) for _ in range(workers)]:
        future.result()


def retire() -> None:
    """Let the kept pool's workers go once the work given to them is done."""
    global _keeper
    with _lock:
        keeper, _keeper = _keeper, None
    if keeper is not None:
        keeper.timer.cancel()
        keeper.pool.shutdown(wait=False)  # work already given to it (another thread's batch) is finished


class _Keeper:
    """The kept pool, what it was started for, and the timer that lets it go when idle."""

    def __init__(self, key: tuple[int, Limits, int], pool: ProcessPoolExecutor) -> None:
        self.key, self.pool = key, pool
        self.timer = threading.Timer(IDLE_SECONDS, self.expire)
        self.timer.daemon = True

    def idle(self) -> None:
        """Start counting idle time again (called when a batch ends)."""
        self.timer.cancel()
        self.timer = threading.Timer(IDLE_SECONDS, self.expire)
        self.timer.daemon = True
        self.timer.start()

    def expire(self) -> None:
        if _keeper is self:
            retire()


_lock = threading.RLock()
_keeper: _Keeper | None = None


def _kept(workers: int, limits: Limits) -> ProcessPoolExecutor:
    """The process's pool of ``workers`` workers under ``limits``, started if there is none (one of
    another size or limits is let go first)."""
    global _keeper
    key = (workers, limits, os.getpid())
    with _lock:
        if _keeper is not None and _keeper.key == key:
            _keeper.timer.cancel()
            return _keeper.pool
    retire()
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=start_worker, initargs=(os.getpid(), limits))
    with _lock:
        _keeper = _Keeper(key, pool)
    return pool


def _pool(files: list[Path], workers: int, limits: Limits) -> Iterator[Result]:
    pool = _kept(workers, limits)
    folders = where()
    futures: list[Future[Result]] = []
    try:
        futures = [pool.submit(parse_into_cache, path, limits, folders) for path in files]
        for future in as_completed(futures):
            yield future.result()
    except (BrokenProcessPool, OSError, ValueError):  # a worker died, or none could start: this
        with _lock:  # pool is never handed out again
            if _keeper is not None and _keeper.pool is pool:
                retire()
        raise
    finally:
        for future in futures:
            future.cancel()  # a batch left early (an interrupt, a consumer that stopped) leaves no queue
        with _lock:
            if _keeper is not None and _keeper.pool is pool:
                _keeper.idle()


def _isolate(files: list[Path], limits: Limits) -> Iterator[Result]:
    """Each file alone in a fresh worker, so one that kills its worker is named and skipped."""
    context = multiprocessing.get_context("spawn")
    folders = where()
    for path in files:
        try:
            with ProcessPoolExecutor(
                1, mp_context=context, initializer=start_worker, initargs=(os.getpid(), limits)
            ) as pool:
                yield pool.submit(parse_into_cache, path, limits, folders).result()
        except BrokenProcessPool:
            yield path, None, WORKER_DIED


def _here(
    todo: list[Path], files: list[Path], limits: Limits, progress: Progress | None, start: int = 0
) -> Iterator[Result]:
    for n, path in enumerate(todo, start=start + 1):
        result = parse_into_cache(path, limits)
        if progress:
            progress(n, len(files), path)
        yield result
