"""The genuine filings of other provinces beside the project (../shared/real), read once per test
process; a test that asks for one skips when the folder is absent."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import polars as pl
import pytest

from parsing.readers.filing import read_filing

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "real"


@cache
def frames(pattern: str) -> dict[str, pl.DataFrame]:
    """The frames of the first genuine filing matching ``pattern`` (e.g. "xian/*.pdf")."""
    if not REAL.is_dir():
        pytest.skip("../shared/real is absent")
    return read_filing(next(REAL.glob(pattern)))
