"""`python -m benchmarks [--quick]`: the speed figures of issue 7, each the median of several runs next
to its floor measured in the same run, as a table and, last, one JSON line.

Start-up is timed in a fresh process from its start to the moment the tree is first shown (see
benchmarks/probe.py); its floor is a bare Textual app showing one Tree, timed the same way. Floor
and figure runs alternate, so that a slow moment of the machine lands on both. Everything runs
against temporary cache and library folders: the user's own are never touched.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parsing.library import Library

ROOT = Path(__file__).resolve().parents[1]
#: What an analyst types, one keystroke at a time: Chinese names, pinyin initials and full pinyin,
#: 科目编码 (item and prefix), amounts in 万元.
QUERIES = (
    "审计业务",
    "信息系统运行维护",
    "住房公积金",
    "委托业务费",
    "服务对象满意度",
    "龙岗区财政局",
    "行政运行",
    "sjyw",
    "xxxtyxwh",
    "zfgjj",
    "shenjiyewu",
    "zhufanggongjijin",
    "2010804",
    "20805",
    "30227",
    "=155",
    ">1000",
    "<=5万元",
)
TARGETS = {
    "cold_start_ratio": ("≤", 1.5),
    "warm_start_ratio": ("≤", 2.0),
    "search_p95_ms": ("≤", 50.0),
    "search_floor_p95_ms": None,
    "compare_ms": ("≤", 100.0),
    "peers_ms": ("≤", 100.0),
    "trend_ms": ("≤", 50.0),
    "ingest_ratio_1w": ("≥", 0.8),
    "ingest_speedup_2w": ("≥", 1.7),
    "rss_mb": ("≤", 400.0),
    "cluster_ingest_ratio": ("≥", 0.9),
    "ingest_speedup_vs_bare_2p": ("≥", 0.95),
}


@dataclass
class Start:
    """One start of the app (or the bare app) in its own process."""

    ready_s: float  # process start → tree shown
    exit_s: float  # process start → process gone (background work such as the search index done)
    rss_mb: float  # peak resident memory over the whole life
    rss_ready_mb: float  # peak resident memory until the tree was shown


def main() -> None:
    args = _args()
    if args.scale:
        from benchmarks.scale import run

        run(args)
        return
    work = Path(tempfile.mkdtemp(prefix="yusuan-bench-"))
    os.environ["YUSUAN_CACHE_DIR"] = str(work / "cache")
    os.environ["YUSUAN_DATA_DIR"] = str(work / "data")
    os.environ.pop("YUSUAN_EXIT_WHEN_READY", None)
    try:
        results = _measure(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _report(args, results)


def _args() -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description="yusuan's speed figures (issue 7)")
    p.add_argument("--quick", action="store_true", help="N=50 and 3 runs per figure (under 5 minutes on 2 cores)")
    p.add_argument("--n", type=int, help="departments (default 200; 50 with --quick)")
    p.add_argument("--years", type=int, default=5, help="years per department (default 5)")
    p.add_argument("--repeat", type=int, help="runs per figure (default 5; 3 with --quick)")
    p.add_argument("--copies", type=int, default=4, help="copies of the shipped PDFs to ingest (default 4)")
    p.add_argument(
        "--scale", type=int, nargs="?", const=10_000, help="issue 15: 1,000 filings and SCALE (default 10,000)"
    )
    args = p.parse_args()
    args.repeat = args.repeat or (3 if args.scale else None)
    args.n = args.n or (50 if args.quick else 200)
    args.repeat = args.repeat or (3 if args.quick else 5)
    return args


def _measure(args: argparse.Namespace, work: Path) -> dict[str, float]:
    from benchmarks.generate import generate
    from benchmarks.ingest import cluster_ingest

    library = work / "library"
    started = time.perf_counter()
    files = generate(library, args.n, args.years)
    out: dict[str, float] = {
        "filings": len(files),
        "generate_s": time.perf_counter() - started,
        "load_1m_before": os.getloadavg()[0],
    }
    out.update(_starts(work, library, args.repeat))
    out.update(_search_and_compare(library, args.repeat))
    out.update(_ingest(work, args.copies, args.repeat))
    out.update(cluster_ingest(work, args.copies, args.repeat))
    out["load_1m_after"] = os.getloadavg()[0]
    return out


# -- start-up ------------------------------------------------------------------------------------


def _starts(work: Path, library: Path, repeat: int) -> dict[str, float]:
    """Bare app, `yusuan seeds` with an empty cache, `yusuan LIBRARY` with its cache, alternating."""
    first = _start([str(library)])  # hashes every file into the manifest and writes the library snapshot
    bare, cold, warm = [], [], []
    for _ in range(repeat):
        bare.append(_start(["--bare"]))
        shutil.rmtree(work / "cold", ignore_errors=True)
        cold.append(_start(["seeds"], {"YUSUAN_CACHE_DIR": str(work / "cold")}))
        warm.append(_start([str(library)]))
    floor = _mid(s.ready_s for s in bare)
    return {
        "bare_start_s": floor,
        "cold_start_s": _mid(s.ready_s for s in cold),
        "first_start_s": first.ready_s,
        "warm_start_s": _mid(s.ready_s for s in warm),
        "warm_settled_s": _mid(s.exit_s for s in warm),
        "cold_start_ratio": _mid(s.ready_s for s in cold) / floor,
        "warm_start_ratio": _mid(s.ready_s for s in warm) / floor,
        "rss_mb": _mid(s.rss_mb for s in warm),
        "rss_ready_mb": _mid(s.rss_ready_mb for s in warm),
        "rss_bare_mb": _mid(s.rss_mb for s in bare),
    }


def _start(argv: list[str], env: dict[str, str] | None = None) -> Start:
    started = time.time()
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.probe", *argv],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, **(env or {})},
    )
    output = proc.communicate()[0].decode(errors="replace")
    ended = time.time()
    lines = output.strip().splitlines()
    seen = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    if proc.returncode or "ready" not in seen:
        raise RuntimeError(f"probe {argv} did not show its tree (exit {proc.returncode}):\n{output[-3000:]}")
    return Start(seen["ready"] - started, ended - started, seen["rss_mb"], seen["rss_ready_mb"])


# -- search and comparison -------------------------------------------------------------------------


def _search_and_compare(library: Path, repeat: int) -> dict[str, float]:
    """Per-keystroke search over the whole library against a bare ``str.contains`` on its text column,
    and the comparison of two budget years of one department."""
    import polars as pl

    from parsing.library import Library
    from parsing.queries.compare import compare_years
    from parsing.queries.search import SearchIndex

    lib = Library.load([library])
    started = time.perf_counter()
    index = SearchIndex.build(lib)
    build = time.perf_counter() - started
    keystrokes = [q[:i] for q in QUERIES for i in range(1, len(q) + 1)]
    assert isinstance(index.stored.occurrences, pl.DataFrame)  # built here, in memory
    text = index.stored.occurrences.get_column("text")
    ours, floor = [], []
    for _ in range(repeat):
        ours.append(_p95([_ms(lambda k=k: index.search(k)) for k in keystrokes]))
        floor.append(
            _p95([_ms(lambda k=k: text.filter(text.str.contains(k, literal=True)).head(200)) for k in keystrokes])
        )
    budgets = (
        lib.documents.filter(pl.col("kind") == "部门预算")
        .group_by("department")
        .agg(pl.col("year").sort())
        .filter(pl.col("year").list.len() >= 2)
        .sort("department")
    )
    department, years = budgets.row(0)
    compare = _mid(_ms(lambda: compare_years(lib, department, years[-2], years[-1])) for _ in range(repeat))
    return {
        **_peers_and_trend(lib, department, repeat),
        "search_index_build_s": build,
        "search_index_rows": index.size,
        "search_keystrokes": len(keystrokes),
        "search_p95_ms": _mid(ours),
        "search_floor_p95_ms": _mid(floor),
        "compare_ms": compare,
    }


def _peers_and_trend(lib: Library, department: str, repeat: int) -> dict[str, float]:
    """Peers of 2010804 in the latest budget year across all departments, and one department's
    30227 over every year; the first peers query also builds the line index, reported apart."""
    from parsing.queries.peers import peers
    from parsing.queries.subjects import subject
    from parsing.queries.trend import trend

    year = int(lib.documents["year"].max())  # type: ignore[arg-type]
    code, item = subject(code="2010804"), subject(code="30227")
    first = _ms(lambda: peers(lib, code, year))
    return {
        "peers_first_ms": first,
        "peers_ms": _mid(_ms(lambda: peers(lib, code, year)) for _ in range(repeat)),
        "trend_ms": _mid(_ms(lambda: trend(lib, department, item)) for _ in range(repeat)),
    }


# -- ingest ---------------------------------------------------------------------------------------


def _ingest(work: Path, copies: int, repeat: int) -> dict[str, float]:
    """Pages per second of `parse_all` (one worker, then two) against bare pdfplumber ``extract_tables``,
    on copies of the shipped filings (a byte appended to each, so that every copy is parsed).

    Bare extraction in two warm processes gives the speed-up this machine allows for these pages
    (another program busy on a core shows up there too)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from benchmarks.floors import extract_tables
    from parsing.store.ingest import parse_all

    # The filings among the test PDFs (the others are broken on purpose).
    sources = sorted((ROOT / "seeds").glob("*.pdf")) + sorted((ROOT / "tests" / "filings").glob("20*.pdf"))
    folder = work / "pdfs"
    folder.mkdir()
    files = []
    for copy in range(copies):
        for source in sources:
            files.append(folder / f"{copy}_{source.name}")
            files[-1].write_bytes(source.read_bytes() + b"\n%" + str(copy).encode())
    pages = sum(extract_tables(source) for source in sources) * copies
    pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))
    list(pool.map(extract_tables, sources[:2]))  # both workers started, pdfplumber imported

    def bare(run: Callable[[list[Path]], object]) -> float:
        started = time.perf_counter()
        run(files)
        return pages / (time.perf_counter() - started)

    def ours(workers: int) -> float:
        cache = Path(tempfile.mkdtemp(prefix="ingest-", dir=work))
        os.environ["YUSUAN_CACHE_DIR"] = str(cache)  # spawned workers inherit it
        try:
            started = time.perf_counter()
            failed = [reason for _, _, reason in parse_all(files, workers=workers) if reason]
            elapsed = time.perf_counter() - started
        finally:
            os.environ["YUSUAN_CACHE_DIR"] = str(work / "cache")
            shutil.rmtree(cache, ignore_errors=True)
        if failed:
            raise RuntimeError(f"ingest failed: {failed[:3]}")
        return pages / elapsed

    floor, floor_2p, one, two = [], [], [], []
    with pool:
        for _ in range(repeat):
            floor.append(bare(lambda fs: [extract_tables(f) for f in fs]))
            floor_2p.append(bare(lambda fs: list(pool.map(extract_tables, fs))))
            one.append(ours(1))
            two.append(ours(2))
    return {
        "ingest_files": len(files),
        "ingest_pages": pages,
        "bare_pages_per_s": _mid(floor),
        "bare_speedup_2p": _mid(floor_2p) / _mid(floor),
        "ingest_pages_per_s_1w": _mid(one),
        "ingest_pages_per_s_2w": _mid(two),
        "ingest_ratio_1w": _mid(one) / _mid(floor),
        "ingest_speedup_2w": _mid(two) / _mid(one),
    }


# -- helpers and report ---------------------------------------------------------------------------


def _mid(values: object) -> float:
    return statistics.median(values)  # type: ignore[arg-type]


def _ms(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def _machine() -> dict[str, str]:
    cpu = platform.processor() or "?"
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    import polars
    import textual

    return {
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "polars": polars.__version__,
        "textual": textual.__version__,
    }


def _report(args: argparse.Namespace, r: dict[str, float]) -> None:
    machine = _machine()
    print(
        f"yusuan benchmark · {args.n} departments × {args.years} years = {r['filings']:.0f} filings · "
        f"median of {args.repeat} runs"
    )
    print(
        f"machine: {machine['cpus']} CPUs · {machine['cpu']} · Python {machine['python']} · "
        f"polars {machine['polars']} · textual {machine['textual']}\n"
    )
    details = {
        "cold_start_ratio": f"yusuan seeds {r['cold_start_s']:.3f} s ÷ bare Tree app {r['bare_start_s']:.3f} s",
        "warm_start_ratio": f"yusuan LIBRARY {r['warm_start_s']:.3f} s ÷ bare {r['bare_start_s']:.3f} s "
        f"(first start {r['first_start_s']:.2f} s; settled {r['warm_settled_s']:.2f} s)",
        "search_p95_ms": f"{r['search_keystrokes']:.0f} keystrokes over {r['search_index_rows']:.0f} index rows "
        f"(built in {r['search_index_build_s']:.2f} s)",
        "search_floor_p95_ms": "Series.str.contains(literal=True) on the index's text column",
        "compare_ms": "compare_years: two 部门预算 of one department",
        "peers_ms": f"peers of 2010804 in the latest year over every department (first query, "
        f"building the line index: {r['peers_first_ms']:.0f} ms)",
        "trend_ms": "trend of 30227 for one department over every year",
        "ingest_ratio_1w": f"{r['ingest_pages_per_s_1w']:.1f} pages/s ÷ bare extract_tables {r['bare_pages_per_s']:.1f}"
        f" ({r['ingest_pages']:.0f} pages, {r['ingest_files']:.0f} files)",
        "ingest_speedup_2w": f"{r['ingest_pages_per_s_2w']:.1f} pages/s ÷ {r['ingest_pages_per_s_1w']:.1f} (1 worker);"
        f" bare pdfplumber in 2 warm processes ×{r['bare_speedup_2p']:.2f}",
        "cluster_ingest_ratio": f"LocalCluster of 2 workers {r['cluster_pages_per_s']:.1f} pages/s ÷ parse_all(workers=2)"
        f" {r['pool_pages_per_s_2w']:.1f} (cluster started in {r['cluster_start_s']:.1f} s, not counted)",
        "ingest_speedup_vs_bare_2p": f"{r['pool_pages_per_s_2w']:.1f} pages/s ÷ bare extract_tables in 2 processes"
        f" {r['bare_pages_per_s_2p']:.1f}, same run (pool started in {r['pool_start_s']:.1f} s, not counted;"
        f" started by the batch: {r['ingest_speedup_vs_bare_2p_cold']:.2f})",
        "rss_mb": f"peak of the app on the library, background work included (at tree shown "
        f"{r['rss_ready_mb']:.0f} MB; bare app {r['rss_bare_mb']:.0f} MB)",
    }
    print(f"{'figure':<22}{'value':>10}  {'target':<8}{'':<8}detail")
    for key, target in TARGETS.items():
        verdict, limit = "", ""
        if target:
            op, bound = target
            limit = f"{op} {bound:g}"
            verdict = "ok" if (r[key] <= bound if op == "≤" else r[key] >= bound) else "MISSED"
        print(f"{key:<22}{r[key]:>10.2f}  {limit:<8}{verdict:<8}{details[key]}")
    print(
        f"\n(library generated in {r['generate_s']:.1f} s; 1-minute load average {r['load_1m_before']:.2f} before,"
        f" {r['load_1m_after']:.2f} after: above ~1 before means another program was busy)"
    )
    print(json.dumps({**{k: round(v, 4) for k, v in r.items()}, **machine}, ensure_ascii=False))


if __name__ == "__main__":
    main()
