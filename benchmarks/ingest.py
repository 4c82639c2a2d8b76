"""Ingest on a Dask cluster against the project's own pool, and the pool against bare pdfplumber.

``cluster_ingest`` gives issue 15's two ingest figures, measured in one run on the same files
(copies of the shipped filings, a byte appended to each so that every copy is parsed):

- cluster_ingest_ratio: pages/s of ``parse_all(cluster=…)`` on a ``distributed.LocalCluster`` of
  2 worker processes ÷ pages/s of ``parse_all(workers=2)``, the project's own process pool;
- ingest_speedup_vs_bare_2p: pages/s of that pool ÷ pages/s of bare pdfplumber ``extract_tables()``
  in 2 processes, the floor this machine allows for these pages.

The bare floor gets the files largest first, as ``parse_all`` hands them out, so the ratio is
the parser's cost and not the order. They alternate within each repeat, so a busy moment of the
machine lands on all of them. The bare processes, the pool (kept by ``parse_all`` between
batches) and the cluster are each started once and warmed, and their starts are reported apart;
the pool is also measured cold, started by the ``parse_all`` it serves as in a fresh ``yusuan
add`` (ingest_speedup_vs_bare_2p_cold: what one add of these few files pays for the start).
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Dask's statistical profiler walks the parse's deep stack every 10 ms (≈12% of a worker's CPU
#: measured): off, as README's "Ingest on a Dask cluster" starts the workers.
WORKER_CONFIG = {"distributed.worker.profile.enabled": False}


def sample(folder: Path, copies: int) -> tuple[list[Path], int]:
    """Copies of the shipped filings (seeds and the good test filings), each made unique by a
    trailing byte, and their pages."""
    from benchmarks.floors import extract_tables

    sources = sorted((ROOT / "seeds").glob("*.pdf")) + sorted((ROOT / "tests" / "filings").glob("20*.pdf"))
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for copy in range(copies):
        for source in sources:
            files.append(folder / f"{copy}_{source.name}")
            files[-1].write_bytes(source.read_bytes() + b"\n%" + str(copy).encode())
    return files, sum(extract_tables(source) for source in sources) * copies


def cluster_ingest(work: Path, copies: int = 4, repeat: int = 3) -> dict[str, float]:
    """Issue 15's ingest figures (see the module's docstring), with the pages/s behind them."""
    import dask
    from distributed import LocalCluster

    from benchmarks.floors import extract_tables
    from parsing.store.ingest import largest_first, retire, warm

    files, pages = sample(work / "cluster-pdfs", copies)
    ordered = largest_first(files)  # the floor hands out files in the order parse_all does
    started = time.perf_counter()
    with dask.config.set(WORKER_CONFIG):  # the workers as the README says to start them
        local = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.CRITICAL
        )
    cluster_start = time.perf_counter() - started
    bare = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))
    with local, bare:
        list(bare.map(extract_tables, files[:2]))  # both processes started, pdfplumber imported
        _parse(work, files[:2], cluster=local.scheduler_address)  # both workers have imported the parser
        floor, pool, cold, cluster = [], [], [], []
        pool_start = []
        for _ in range(repeat):
            floor.append(pages / _seconds(lambda: list(bare.map(extract_tables, ordered))))
            retire()
            cold.append(pages / _parse(work, files, workers=2))
            retire()
            pool_start.append(_seconds(lambda: warm(2)))
            _parse(work, files[:2], workers=2)  # as the others were: a first file parsed by each worker
            pool.append(pages / _parse(work, files, workers=2))
            cluster.append(pages / _parse(work, files, cluster=local.scheduler_address))
        retire()
    mid = statistics.median
    return {
        "cluster_ingest_ratio": mid(cluster) / mid(pool),
        "ingest_speedup_vs_bare_2p": mid(pool) / mid(floor),
        "ingest_speedup_vs_bare_2p_cold": mid(cold) / mid(floor),
        "cluster_pages_per_s": mid(cluster),
        "pool_pages_per_s_2w": mid(pool),
        "pool_cold_pages_per_s_2w": mid(cold),
        "pool_start_s": mid(pool_start),
        "bare_pages_per_s_2p": mid(floor),
        "cluster_start_s": cluster_start,
        "cluster_ingest_pages": pages,
        "cluster_ingest_files": len(files),
    }


def scale_run(args: argparse.Namespace, extra: dict[str, float]) -> None:
    """The ``--scale`` run's hook (benchmarks.scale.EXTRA_RUNS): these figures into its JSON line."""
    work = Path(tempfile.mkdtemp(prefix="yusuan-bench-"))
    try:
        extra.update(cluster_ingest(work, args.copies, args.repeat))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _parse(work: Path, files: list[Path], **how: object) -> float:
    """Seconds for ``parse_all`` of the files into an empty cache of their own."""
    from parsing.store.ingest import parse_all

    cache = Path(tempfile.mkdtemp(prefix="ingest-", dir=work))
    before = os.environ.get("YUSUAN_CACHE_DIR")
    os.environ["YUSUAN_CACHE_DIR"] = str(cache)  # spawned workers inherit it
    try:
        failed: list[str] = []
        seconds = _seconds(lambda: failed.extend(r for _, _, r in parse_all(files, **how) if r))  # type: ignore[arg-type]
    finally:
        if before is None:
            os.environ.pop("YUSUAN_CACHE_DIR", None)
        else:
            os.environ["YUSUAN_CACHE_DIR"] = before
        shutil.rmtree(cache, ignore_errors=True)
    if failed:
        raise RuntimeError(f"ingest failed: {failed[:3]}")
    return seconds


def _seconds(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


if __name__ == "__main__":  # python -m benchmarks.ingest [copies] [repeat]: these figures alone
    import json
    import sys

    figures: dict[str, float] = {}
    given = [int(a) for a in sys.argv[1:3]]
    scale_run(argparse.Namespace(copies=given[0] if given else 4, repeat=given[1] if given[1:] else 3), figures)
    print(json.dumps({k: round(v, 4) for k, v in figures.items()}))
