"""Parsed filings cached as Parquet, one folder per content hash and parser version.

A second run parses nothing. An entry that cannot be read back (corrupted, written by another
parser version, a schema that no longer conforms) is treated as absent and rebuilt silently.
Entries are written to a temporary folder and renamed into place, so a crash never leaves half.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import polars as pl

from parsing import PARSER_VERSION, schema
from parsing.paths import cache_dir

Frames = dict[str, pl.DataFrame]


def entry(sha256: str) -> Path:
    return cache_dir() / f"{sha256}-v{PARSER_VERSION}"


def load(sha256: str) -> Frames | None:
    """The cached frames of a filing, or None when absent or unreadable."""
    folder = entry(sha256)
    if not folder.is_dir():
        return None
    try:
        return {name: schema.conform(name, pl.read_parquet(folder / f"{name}.parquet"))
                for name in schema.FRAMES}
    except Exception:  # any damage at all means: parse again
        shutil.rmtree(folder, ignore_errors=True)
        return None


def store(sha256: str, frames: Frames) -> None:
    """Write a filing's frames atomically (temp folder, then rename)."""
    folder = entry(sha256)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder.parent))
    try:
        for name, df in frames.items():
            df.write_parquet(tmp / f"{name}.parquet")
        os.replace(tmp, folder)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)  # another process stored it first, or no room
