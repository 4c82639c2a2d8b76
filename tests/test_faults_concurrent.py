"""Fault injection, concurrency: `yusuan add` runs at the same time on overlapping sets.

Two real processes at once, as an analyst's two terminals would be: both succeed, every filing
is in the library exactly once with the hash its name claims, and no temporary is left. The
slow script (scripts/faults_slow.py) runs 50 such pairs; here a few.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from parsing.paths import library_dir
from tests.conftest import ROOT
from tests.faults import BUDGET, SELF_EVALUATION, assert_library_holds


def variants(folder: Path, n: int) -> list[Path]:
    """``n`` filings of distinct content (a seed with a trailing comment line each)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        src = (BUDGET, SELF_EVALUATION)[i % 2]
        path = folder / f"{i:02d}_{src.name}"
        path.write_text(src.read_text(encoding="utf-8") + f"\n变体 {i}\n", encoding="utf-8")
        out.append(path)
    return out


def add_pair(a: list[Path], b: list[Path], workers: int) -> list[subprocess.CompletedProcess]:
    """Two `yusuan add` processes started together; their results."""
    cmd = [sys.executable, "-m", "tui", "add", "--workers", str(workers)]
    procs = [
        subprocess.Popen([*cmd, *map(str, files)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for files in (a, b)
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return results


@pytest.mark.parametrize("workers", [1, 2])
def test_paired_adds_on_overlapping_sets(tmp_path, workers):
    """Two adds of {0,1,2} and {1,2,3} at once: exit 0 and no stderr for each, all four
    filings stored once, verified, no temporary left."""
    files = variants(tmp_path / "in", 4)
    for result in add_pair(files[:3], files[1:], workers):
        assert (result.returncode, result.stderr) == (0, ""), result.stderr
        assert "已导入 3 个文件" in result.stdout
    assert_library_holds(*files)
    assert not [p for p in os.listdir(library_dir()) if p.startswith(".")]
