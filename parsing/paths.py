"""Where yusuan keeps things: platformdirs' user dirs, overridable by environment (tests do)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "yusuan"
#: Suffixes of the text extractions a filing may come as (beside PDFs).
TEXT_SUFFIXES = {".txt", ".md", ".tsv"}


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


def default_paths() -> list[Path]:
    """What a start opens when given nothing: the bundled seeds and the user's library."""
    return [p for p in (seeds_dir(), library_dir()) if p.exists()]


def bundled_cache_dir() -> Path:
    """The seeds' parsed form, shipped beside them so a first start parses nothing (read-only)."""
    return seeds_dir() / ".parsed"


def display(path: Path | str) -> str:
    """A path as text that any string column, JSON file or terminal can hold: bytes that are not
    UTF-8 (a name from another system's encoding) are shown as \\xff rather than crashing."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def shorten(name: str, max_bytes: int) -> str:
    """``name`` cut to at most ``max_bytes`` bytes of UTF-8 (whole characters), suffix kept."""
    raw = os.fsencode(name)
    if len(raw) <= max_bytes:
        return name
    suffix = os.fsencode(Path(name).suffix)[:16]
    head = raw[: max(0, max_bytes - len(suffix) - 1)].decode("utf-8", "ignore")
    return os.fsdecode(os.fsencode(head) + b"~" + suffix)
