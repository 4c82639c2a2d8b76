"""`python -m benchmarks [--quick]`: the speed figures of issue 7, each the median of several
runs beside its floor measured in the same run, a readable table, and one JSON line last.

Start-up is timed from process start to an interactive tree (the app quits itself once its tree
is shown, see tui.app.run); the floor is a bare Textual app showing one Tree. Everything runs
against temporary cache and library folders: the user's own are never touched.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ["审计业务", "sjyw", "shenjiyewu", "2010804", "20108", "办公设备", "bgsb", "=155", ">100",
           "委托业务费", "行政运行", "满意度", "信息系统", "xxxt", "住房公积金"]


def main() -> None:
    args = _args()
    work = Path(tempfile.mkdtemp(prefix="yusuan-bench-"))
    os.environ["YUSUAN_CACHE_DIR"] = str(work / "cache")
    os.environ["YUSUAN_DATA_DIR"] = str(work / "data")
    try:
        results = _measure(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _print(results)


def _args() -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks")
    p.add_argument("--quick", action="store_true", help="N=50 and fewer repeats (under 5 minutes on 2 cores)")
    p.add_argument("--n", type=int, help="departments (default 200, quick 50)")
    p.add_argument("--years", type=int, default=5)
    p.add_argument("--repeat", type=int, help="runs per figure (default 5, quick 3)")
    args = p.parse_args()
    args.n = args.n or (50 if args.quick else 200)
    args.repeat = args.repeat or (3 if args.quick else 5)
    return args


def _measure(args: argparse.Namespace, work: Path) -> dict[str, float]:
    from benchmarks.generate import generate

    out: dict[str, float] = {}
    started = time.perf_counter()
    files = generate(work / "library", args.n, args.years)
    out["generate_s"] = time.perf_counter() - started
    out["filings"] = len(files)
    bare = _median(args.repeat, lambda: _timed([sys.executable, "-m", "benchmarks.bare_app"]))
    cold = _median(args.repeat, lambda: _cold_start(work))
    _timed([sys.executable, "-m", "benchmarks.probe", str(work / "library")])  # builds the snapshot
    warm = _median(args.repeat, lambda: _timed([sys.executable, "-m", "benchmarks.probe", str(work / "library")]))
    out.update(bare_start_s=bare, cold_start_s=cold, warm_start_s=warm,
               cold_start_ratio=cold / bare, warm_start_ratio=warm / bare)
    out["rss_mb"] = _rss(work / "library")
    out.update(_search_and_compare(work / "library", args.repeat))
    out.update(_ingest(work, args.repeat))
    return out


def _median(repeat: int, run: Callable[[], float]) -> float:
    return statistics.median(run() for _ in range(repeat))


def _timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, stdin=subprocess.DEVNULL,
                   env={**os.environ, **(env or {})})
    return time.perf_counter() - started


def _cold_start(work: Path) -> float:
    """The seeds with an empty cache of their own: every filing parsed before the tree shows."""
    shutil.rmtree(work / "cold", ignore_errors=True)
    return _timed([sys.executable, "-m", "benchmarks.probe", str(ROOT / "seeds")],
                  env={"YUSUAN_CACHE_DIR": str(work / "cold")})


def _rss(library: Path) -> float:
    done = subprocess.run([sys.executable, "-m", "benchmarks.probe", str(library)], cwd=ROOT, check=True,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    return json.loads(done.stdout.strip().splitlines()[-1])["rss_mb"]


def _search_and_compare(library: Path, repeat: int) -> dict[str, float]:
    import polars as pl

    from parsing.compare import compare_years
    from parsing.library import Library
    from parsing.search import SearchIndex

    lib = Library.load([library])
    started = time.perf_counter()
    index = SearchIndex.build(lib)
    build = time.perf_counter() - started
    keystrokes = [q[:i] for q in QUERIES for i in range(1, len(q) + 1) if not q[:i] in "=>"]
    search, floor = [], []
    for text in keystrokes:
        started = time.perf_counter()
        index.search(text)
        search.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        index.rows.filter(pl.col("text").str.contains(text, literal=True)).head(200)
        floor.append((time.perf_counter() - started) * 1000)
    department, years = _two_years(lib)
    compare = _median(repeat, lambda: _ms(lambda: compare_years(lib, department, *years)))
    return {"search_index_build_s": build, "search_p95_ms": _p95(search), "search_floor_p95_ms": _p95(floor),
            "compare_ms": compare}


def _two_years(lib) -> tuple[str, tuple[int, int]]:
    """A department with two 部门预算 years (the comparison an analyst makes most)."""
    import polars as pl

    budgets = lib.documents.filter(pl.col("kind") == "部门预算").group_by("department").agg(pl.col("year").sort())
    row = budgets.filter(pl.col("year").list.len() >= 2).sort("department").row(0, named=True)
    return row["department"], (row["year"][-2], row["year"][-1])


def _ms(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def _ingest(work: Path, repeat: int) -> dict[str, float]:
    """Pages per second of the PDF route (1 and 2 workers) against bare pdfplumber extract_tables."""
    import pdfplumber

    from parsing.ingest import parse_all

    sources = sorted((ROOT / "seeds").glob("*.pdf")) + sorted((ROOT / "tests" / "filings").glob("20*.pdf"))
    folder = work / "pdfs"
    folder.mkdir(exist_ok=True)
    files = []
    for copy in range(3):  # copies with distinct hashes, so that each one is parsed
        for src in sources:
            target = folder / f"{copy}_{src.name}"
            target.write_bytes(src.read_bytes() + b"\n%" + str(copy).encode())
            files.append(target)
    pages = 0
    for path in files:
        with pdfplumber.open(path) as pdf:
            pages += len(pdf.pages)

    def bare() -> float:
        started = time.perf_counter()
        for path in files:
            with pdfplumber.open(path) as pdf:
                for page in pdf.pages:
                    page.extract_tables()
        return pages / (time.perf_counter() - started)

    def ours(workers: int) -> float:
        os.environ["YUSUAN_CACHE_DIR"] = str(work / "ingest")
        shutil.rmtree(work / "ingest", ignore_errors=True)
        started = time.perf_counter()
        for _ in parse_all(files, workers=workers):
            pass
        return pages / (time.perf_counter() - started)

    floor = _median(repeat, bare)
    one = _median(repeat, lambda: ours(1))
    two = _median(repeat, lambda: ours(2))
    return {"ingest_pages": pages, "bare_pages_per_s": floor, "ingest_pages_per_s_1w": one,
            "ingest_pages_per_s_2w": two, "ingest_ratio_1w": one / floor, "ingest_speedup_2w": two / one}


TARGETS = {"cold_start_ratio": ("≤", 1.5), "warm_start_ratio": ("≤", 2.0), "search_p95_ms": ("≤", 50),
           "compare_ms": ("≤", 100), "ingest_ratio_1w": ("≥", 0.8), "ingest_speedup_2w": ("≥", 1.7),
           "rss_mb": ("≤", 400)}


def _print(results: dict[str, float]) -> None:
    print(f"{'figure':<24}{'value':>12}  target")
    for key, value in results.items():
        target = TARGETS.get(key)
        verdict = ""
        if target:
            op, limit = target
            ok = value <= limit if op == "≤" else value >= limit
            verdict = f"{op} {limit}  {'ok' if ok else 'MISSED'}"
        print(f"{key:<24}{value:>12.3f}  {verdict}")
    print(json.dumps({k: round(v, 4) for k, v in results.items()}))


if __name__ == "__main__":
    main()
