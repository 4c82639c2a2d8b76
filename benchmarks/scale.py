"""`python -m benchmarks --scale [N]`: issue 15's figures at 1,000 filings and at N (default 10,000).

Each size is a synthetic library of departments × 10 years written straight into the cache's form
(benchmarks/generate.py), in slices of 100 departments so that writing it stays within memory, and
kept between runs under ``~/.cache/yusuan-bench`` (or ``YUSUAN_BENCH_DIR``): a second run generates
nothing. A first start on it (which writes what a start reads) is timed apart. Then, next to the
bare Textual app in the same run: the warm start (tree shown) and peak memory in a fresh process,
and in this process the search per keystroke over the same queries as ``python -m benchmarks``,
the comparison of two budget years and the opening of one filing (its card and tree). The search
index is opened as the app opens it (built and stored the first time, as ``yusuan add`` does;
``search_index_open_s`` says which it was). Timings are
noisy on a shared machine: the start is a ratio to the bare app measured alternately with it.

The last line printed is one JSON object. ``EXTRA`` is where other measurements of the same run
add their keys (the Dask ingest figures: cluster_ingest_ratio, ingest_speedup_vs_bare_2p).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.__main__ import QUERIES, ROOT, _machine, _mid, _ms, _p95, _start
from benchmarks.ingest import scale_run

#: Keys other parts of the scale run fill (see the module docstring); printed in the JSON line.
EXTRA: dict[str, float] = {}
#: Measurements that add their keys to EXTRA, run after the library figures.
EXTRA_RUNS: list[Callable[[argparse.Namespace, dict[str, float]], None]] = [scale_run]
YEARS = 10
SLICE = 100
TARGETS_10K = {
    "warm_start_ratio": 2.0,
    "rss_mb": 500.0,
    "search_p95_ms": 50.0,
    "compare_ms": 100.0,
    "open_filing_ms": 100.0,
}


def run(args: argparse.Namespace) -> None:
    sizes = sorted({1000, args.scale})
    results = {}
    for size in sizes:
        results[size] = measure(size, args.repeat)
        print(json.dumps({"filings": size, **{k: round(v, 4) for k, v in results[size].items()}}), flush=True)
    for hook in EXTRA_RUNS:
        hook(args, EXTRA)
    report(results, args.scale)


def library_for(filings: int) -> Path:
    """The folder holding a generated library of ``filings`` (made once, then reused)."""
    from benchmarks import generate
    from parsing import PARSER_VERSION

    departments = filings // YEARS
    code = b"".join(Path(m.__file__ or "").read_bytes() for m in (generate,))
    tag = hashlib.sha256(code + str(PARSER_VERSION).encode()).hexdigest()[:12]
    root = Path(os.environ.get("YUSUAN_BENCH_DIR") or Path.home() / ".cache" / "yusuan-bench")
    folder = root / f"scale-{departments}x{YEARS}-{tag}"
    if (folder / "done").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    os.environ["YUSUAN_CACHE_DIR"] = str(folder / "cache")
    started = time.perf_counter()
    for first in range(0, departments, SLICE):
        generate.generate(folder / "library", min(SLICE, departments - first), YEARS, first=first)
    (folder / "done").write_text(f"{time.perf_counter() - started:.1f}\n")
    return folder


def measure(filings: int, repeat: int) -> dict[str, float]:
    folder = library_for(filings)
    library = folder / "library"
    os.environ["YUSUAN_CACHE_DIR"] = str(folder / "cache")
    os.environ["YUSUAN_DATA_DIR"] = str(folder / "data")
    os.environ.pop("YUSUAN_EXIT_WHEN_READY", None)
    out: dict[str, float] = {"filings": filings, "generate_s": float((folder / "done").read_text())}
    out["load_1m_before"] = os.getloadavg()[0]
    _compiled()
    first = _start([str(library)])  # whatever a start on this library needs written, once
    bare, warm = [], []
    for _ in range(repeat):
        bare.append(_start(["--bare"]))
        warm.append(_start([str(library)]))
    floor = _mid(s.ready_s for s in bare)
    out.update(
        first_start_s=first.ready_s,
        bare_start_s=floor,
        warm_start_s=_mid(s.ready_s for s in warm),
        warm_start_ratio=_mid(s.ready_s for s in warm) / floor,
        rss_mb=_mid(s.rss_mb for s in warm),
        rss_bare_mb=_mid(s.rss_mb for s in bare),
    )
    out.update(_in_process(library, repeat))
    out["load_1m_after"] = os.getloadavg()[0]
    return out


def _compiled() -> None:
    """The project's bytecode written once, as an installed package has it: with
    PYTHONDONTWRITEBYTECODE set (as on the project's machine) every start compiled the ~130
    modules of parsing/ and tui/ again, a cost the bare app, whose packages are compiled, never paid."""
    import compileall

    for package in ("parsing", "tui", "benchmarks"):
        compileall.compile_dir(ROOT / package, quiet=1)


def _in_process(library: Path, repeat: int) -> dict[str, float]:
    """Search, compare and open, the way the app calls them, on a library loaded as the app loads it."""
    import polars as pl

    from parsing.library import Library
    from parsing.queries.card import card_figures
    from parsing.queries.compare import compare_years
    from parsing.queries.outline import filing_children
    from parsing.queries.search import SearchIndex

    started = time.perf_counter()
    lib = Library.load([library])
    load = time.perf_counter() - started
    started = time.perf_counter()
    shown = Library.recent([library])  # what a start shows first
    recent = time.perf_counter() - started
    started = time.perf_counter()
    Library.load([library], shown=shown)  # the check of the files behind it
    check = time.perf_counter() - started
    started = time.perf_counter()
    projects = lib.projects  # as the app reads them after the check, in the background
    projects_s = time.perf_counter() - started
    started = time.perf_counter()
    index = getattr(SearchIndex, "open", SearchIndex.build)(lib)  # stored with the library once built
    build = time.perf_counter() - started
    keystrokes = [q[:i] for q in QUERIES for i in range(1, len(q) + 1)]
    search = _mid(_p95([_ms(lambda k=k: index.search(k)) for k in keystrokes]) for _ in range(repeat))
    budgets = (
        lib.documents.filter(pl.col("kind") == "部门预算")
        .group_by("department")
        .agg(pl.col("year").sort(), pl.col("doc_id").sort_by("year"))
        .filter(pl.col("year").list.len() >= 2)
        .sort("department")
    )
    department, years, ids = budgets.row(len(budgets) // 2)
    compare = [_ms(lambda: compare_years(lib, department, years[-2], years[-1])) for _ in range(repeat)]
    opened = [
        _ms(lambda d=d: (card_figures(lib, d), filing_children(lib, d)))
        for d in lib.documents["doc_id"].sample(repeat * 3, seed=1, with_replacement=True)
    ]
    return {
        "load_in_process_s": load,
        "recent_in_process_s": recent,
        "check_in_process_s": check,
        "projects_read_s": projects_s,
        "projects_mb": projects.estimated_size() / 1e6,
        "search_index_open_s": build,
        "search_keystrokes": len(keystrokes),
        "search_p95_ms": search,
        "compare_ms": _mid(compare),
        "open_filing_ms": _mid(opened),
        "open_filing_first_ms": _ms(lambda: card_figures(lib, ids[0])),
    }


def report(results: dict[int, dict[str, float]], big: int) -> None:
    machine = _machine()
    print(f"yusuan scale benchmark · departments × {YEARS} years · {machine['cpus']} CPUs · {machine['cpu']}")
    print(f"{'figure':<20}" + "".join(f"{size:>12,}" for size in results) + f"  target at {big:,}")
    for key in (
        *TARGETS_10K,
        "first_start_s",
        "bare_start_s",
        "warm_start_s",
        "load_in_process_s",
        "recent_in_process_s",
        "check_in_process_s",
        "projects_read_s",
        "search_index_open_s",
    ):
        bound = TARGETS_10K.get(key)
        cells = "".join(f"{r[key]:>12.2f}" for r in results.values())
        verdict = "" if bound is None else f"≤ {bound:g} " + ("ok" if results[big][key] <= bound else "MISSED")
        print(f"{key:<20}{cells}  {verdict}")
    loads = ", ".join(f"{r['load_1m_before']:.1f}→{r['load_1m_after']:.1f}" for r in results.values())
    print(f"(1-minute load average before→after each size: {loads}; above ~1 means another program was busy)")
    suffix = "10k" if big == 10_000 else f"{big // 1000}k" if big % 1000 == 0 else str(big)
    line: dict[str, object] = {f"{k}_{suffix}": round(results[big][k], 4) for k in TARGETS_10K}
    line.update({f"{k}_1k": round(v, 4) for k, v in results[1000].items()})
    line.update({f"{k}_{suffix}": round(v, 4) for k, v in results[big].items() if f"{k}_{suffix}" not in line})
    line.update(EXTRA)
    line.update(machine)
    print(json.dumps(line, ensure_ascii=False))
