"""Parsed filings cached as Parquet, one folder per content hash and parser version.

A second run parses nothing. An entry that cannot be read back (corrupted, written by another
parser version, a schema that no longer conforms) is treated as absent and rebuilt silently.
Entries are written to a temporary folder and renamed into place, so a crash never leaves half.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import polars as pl

from parsing import PARSER_VERSION, schema
from parsing.paths import bundled_cache_dir, cache_dir

Frames = dict[str, pl.DataFrame]


def entry(sha256: str) -> Path:
    return cache_dir() / f"{sha256}-v{PARSER_VERSION}"


def bundled(sha256: str) -> Path:
    """Where the shipped seeds keep a filing's frames (never written at run time)."""
    return bundled_cache_dir() / f"{sha256}-v{PARSER_VERSION}"


def has(sha256: str) -> bool:
    """True when the filing's frames can be read without parsing it."""
    return entry(sha256).is_dir() or bundled(sha256).is_dir()


def snapshot(key: str) -> Path:
    """A whole library's frames, for a start on the same files: seven reads instead of 7 × N."""
    return cache_dir() / "snapshots" / f"{key}-v{PARSER_VERSION}"


def load(sha256: str) -> Frames | None:
    """The cached (or shipped) frames of a filing, or None when absent or unreadable."""
    return read_folder(entry(sha256)) or read_folder(bundled(sha256), discard=False)


def read_errors(folder: Path) -> list[tuple[str, str]]:
    """The (path, reason) pairs stored beside a snapshot's frames."""
    path = folder / "errors.json"
    return [tuple(e) for e in json.loads(path.read_text(encoding="utf-8"))] if path.exists() else []


def read_folder(folder: Path, *, discard: bool = True) -> Frames | None:
    """Frames stored in a folder, or None (and, with ``discard``, the folder removed) when absent
    or unreadable."""
    if not folder.is_dir():
        return None
    try:
        return {name: schema.conform(name, pl.read_parquet(folder / f"{name}.parquet")) for name in schema.FRAMES}
    except Exception:  # any damage at all means: parse again
        if discard:
            shutil.rmtree(folder, ignore_errors=True)
        return None


def store(sha256: str, frames: Frames) -> None:
    """Write a filing's frames atomically (temp folder, then rename)."""
    write_folder(entry(sha256), frames)


def write_folder(folder: Path, frames: Frames, errors: list[tuple[str, str]] | None = None) -> None:
    """Write frames (and the files that failed, as (path, reason)) into a folder atomically;
    if another process got there first, keep theirs."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder.parent))
    try:
        for name, df in frames.items():
            df.write_parquet(tmp / f"{name}.parquet")
        if errors is not None:
            (tmp / "errors.json").write_text(json.dumps(errors, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, folder)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)  # another process stored it first, or no room
