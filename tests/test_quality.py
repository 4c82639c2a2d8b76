"""Lint, format and types are part of the test command, so README's one command is CI's one command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TREES = ["parsing", "tui", "tests", "benchmarks", "scripts"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, cwd=ROOT)


@pytest.mark.parametrize("args", [("ruff", "check"), ("ruff", "format", "--check")], ids=" ".join)
def test_ruff(args):
    """ruff's rules (pyproject [tool.ruff]) and its formatting hold on every tree."""
    out = _run(*args, *TREES)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]


def test_mypy():
    """mypy as configured in pyproject [tool.mypy]: strict on parsing/, default on tui/."""
    out = _run("mypy", "parsing", "tui")
    assert out.returncode == 0, out.stdout[-6000:] + out.stderr[-2000:]
