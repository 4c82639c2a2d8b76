"""Where yusuan keeps things: platformdirs' user dirs, overridable by environment (tests do)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "yusuan"


def cache_dir() -> Path:
    """Parsed filings as Parquet, keyed by content hash and parser version."""
    return Path(os.environ.get("YUSUAN_CACHE_DIR") or platformdirs.user_cache_dir(APP))


def data_dir() -> Path:
    """The user's library: filings imported with `yusuan add`."""
    return Path(os.environ.get("YUSUAN_DATA_DIR") or platformdirs.user_data_dir(APP))


def library_dir() -> Path:
    return data_dir() / "filings"


def seeds_dir() -> Path:
    """The bundled seed filings beside the packages (an editable install keeps them there)."""
    return Path(os.environ.get("YUSUAN_SEEDS") or Path(__file__).resolve().parents[1] / "seeds")


def bundled_cache_dir() -> Path:
    """The seeds' parsed form, shipped beside them so a first start parses nothing (read-only)."""
    return seeds_dir() / ".parsed"
