"""Shared fixtures: every test gets its own cache and library folder, never the user's."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
FILINGS = ROOT / "tests" / "filings"
REAL = ROOT.parent / "shared" / "real" / "shanghai-putuo"

# Module-scoped fixtures run before the per-test ones below: give them a private cache too.
_SESSION = Path(tempfile.mkdtemp(prefix="yusuan-tests-"))
atexit.register(shutil.rmtree, _SESSION, ignore_errors=True)
os.environ["YUSUAN_CACHE_DIR"] = str(_SESSION / "cache")
os.environ["YUSUAN_DATA_DIR"] = str(_SESSION / "data")


@pytest.fixture(autouse=True)
def private_dirs(tmp_path_factory, monkeypatch):
    """Point yusuan's cache and library at a temp folder for each test."""
    base = tmp_path_factory.mktemp("yusuan")
    monkeypatch.setenv("YUSUAN_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("YUSUAN_DATA_DIR", str(base / "data"))
    return base


@pytest.fixture
def real_dir() -> Path:
    """The genuine Putuo filings beside the project; skip when they are absent."""
    if not REAL.is_dir():
        pytest.skip("../shared/real is absent")
    return REAL
