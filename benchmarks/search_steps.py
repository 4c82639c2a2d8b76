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
import sys
import time
from collections import defaultdict
from collections.abc import Callable
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
    for _ in range(repeat):
        for k in keystrokes:
            spent.clear()
            started = time.perf_counter()
            index.search(k)
            totals.append((time.perf_counter() - started) * 1000)
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
        "steps": {
            s: {"p50_ms": pct(v, 0.5), "p95_ms": pct(v, 0.95), "share": round(sum(v) / whole, 3)}
            for s, v in per_step.items()
        },
        "slowest": sorted(zip(totals, keystrokes * repeat, strict=True), reverse=True)[:5],
        "load_1m": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(out, ensure_ascii=False), flush=True)
    return out


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
