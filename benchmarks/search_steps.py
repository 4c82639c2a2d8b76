"""`python -m benchmarks.search_steps [N]`: where a keystroke's time goes, step by step.

Opens the scale library of N filings (default 10,000; ``benchmarks.scale.library_for``) and its
search index as the app does, then types the same queries as ``python -m benchmarks`` one
character at a time, timing each step of ``SearchIndex.search`` (ranking the entries, expanding
them into places, the fuzzy tier, the highlight) with the keystroke's total. Prints one JSON line:
per step its p50/p95 and share of the total, the p95 per keystroke, the index's RSS and the load.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.__main__ import QUERIES


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _timed(cls: Any, name: str, spent: dict[str, float]) -> None:
    inner: Callable[..., Any] = getattr(cls, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[name] += (time.perf_counter() - started) * 1000

    setattr(cls, name, wrapper)


def main(filings: int = 10_000, repeat: int = 3) -> dict[str, Any]:
    from benchmarks.scale import library_for
    from parsing.library import Library
    from parsing.queries.search import SearchIndex

    folder = library_for(filings)
    os.environ["YUSUAN_CACHE_DIR"] = str(folder / "cache")
    os.environ["YUSUAN_DATA_DIR"] = str(folder / "data")
    started = time.perf_counter()
    lib = Library.load([folder / "library"])
    loaded = time.perf_counter() - started
    rss_before = _rss_mb()
    started = time.perf_counter()
    index = SearchIndex.open(lib)
    opened = time.perf_counter() - started
    rss_index = _rss_mb() - rss_before
    steps = [s for s in getattr(index, "STEPS", ("_by_text", "_expand", "_fuzzy", "_finish")) if hasattr(index, s)]
    spent: dict[str, float] = defaultdict(float)
    for step in steps:
        _timed(type(index), step, spent)
    keystrokes = [q[:i] for q in QUERIES for i in range(1, len(q) + 1)]
    per_step: dict[str, list[float]] = defaultdict(list)
    totals: list[float] = []
    cpu: list[float] = []  # CPU time of all the process's threads: less at the mercy of other programs
    for _ in range(repeat):
        for k in keystrokes:
            spent.clear()
            started, used = time.perf_counter(), time.process_time()
            index.search(k)
            totals.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
            for step in steps:
                per_step[step].append(spent.get(step, 0.0))

    def pct(values: list[float], p: float) -> float:
        ordered = sorted(values)
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 2)

    whole = sum(totals) or 1.0
    out: dict[str, Any] = {
        "filings": filings,
        "keystrokes": len(keystrokes),
        "load_in_process_s": round(loaded, 2),
        "index_open_s": round(opened, 2),
        "index_rss_mb": round(rss_index, 1),
        "rss_mb": round(_rss_mb(), 1),
        "search_p50_ms": pct(totals, 0.5),
        "search_p95_ms": pct(totals, 0.95),
        "search_p95_ms_last_pass": pct(totals[-len(keystrokes) :], 0.95),
        "search_cpu_p50_ms": pct(cpu, 0.5),
        "search_cpu_p95_ms": pct(cpu, 0.95),
        "steps": {
            s: {"p50_ms": pct(v, 0.5), "p95_ms": pct(v, 0.95), "share": round(sum(v) / whole, 3)}
            for s, v in per_step.items()
        },
        "slowest": sorted(zip(totals, keystrokes * repeat, strict=True), reverse=True)[:5],
        "load_1m": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(out, ensure_ascii=False), flush=True)
    return out


def add_one(filings: int = 10_000) -> dict[str, Any]:
    """``yusuan add`` of one filing to the library of ``filings``, as the index sees it: a seed
    filing (a 2023 部门预算 parsed from its text) copied into the library, the library loaded and
    its index made ready (stored segments reused), searched; then the filing removed again."""
    from benchmarks.scale import library_for
    from parsing.library import Library
    from parsing.queries.search import SearchIndex

    folder = library_for(filings)
    os.environ["YUSUAN_CACHE_DIR"] = str(folder / "cache")
    os.environ["YUSUAN_DATA_DIR"] = str(folder / "data")
    SearchIndex.open(Library.load([folder / "library"]))  # the library as it was: ready
    added = folder / "library" / "zz_added_seed.txt"
    shutil.copyfile(Path(__file__).parents[1] / "seeds" / "001_49341d35398c12a1.txt", added)
    out: dict[str, Any] = {"filings": filings, "load_1m_before": round(os.getloadavg()[0], 2)}
    try:
        started = time.perf_counter()
        lib = Library.load([folder / "library"])
        out["add_load_s"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        index = SearchIndex.open(lib)
        out["add_index_s"] = round(time.perf_counter() - started, 2)
        out["segments"] = len(index.stored.occurrences) if isinstance(index.stored.occurrences, list) else 1
        keystrokes = [q[:i] for q in QUERIES for i in range(1, len(q) + 1)]
        for k in keystrokes:  # warm
            index.search(k)
        times = sorted(_ms_of(index.search, k) for k in keystrokes)
        out["search_p95_ms_after_add"] = round(times[int(0.95 * len(times))], 2)
        out["added_found"] = int((index.search("审计业务")["doc_id"] == lib.documents["doc_id"][-1]).sum())
    finally:
        added.unlink()
    started = time.perf_counter()
    SearchIndex.open(Library.load([folder / "library"]))
    out["remove_s"] = round(time.perf_counter() - started, 2)
    out["load_1m_after"] = round(os.getloadavg()[0], 2)
    print(json.dumps(out, ensure_ascii=False), flush=True)
    return out


def _ms_of(search: Callable[[str], Any], query: str) -> float:
    started = time.perf_counter()
    search(query)
    return (time.perf_counter() - started) * 1000


if __name__ == "__main__":
    if sys.argv[1:2] == ["--add"]:
        add_one(int(sys.argv[2]) if len(sys.argv) > 2 else 10_000)
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
