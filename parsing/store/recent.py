"""Which snapshot a set of paths was last loaded as, so a start can show it before looking at files.

Finding a library's snapshot means hashing the identity of every file (ten thousand stats and
the manifest): most of a warm start on a large library, for an answer that is almost always
"nothing changed". A load remembers, per set of paths asked for, the snapshot it ended on; the
next start shows that snapshot at once and checks the files behind it (``Library.load``) while
the tree is already on screen. Like the rest of the cache this is only a speed-up: a pointer that
is lost, damaged or names a pruned snapshot means the ordinary load.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path

from parsing import atomic
from parsing.paths import cache_dir, default_paths
from parsing.store import snapshot

_KEY = re.compile(r"[0-9a-f]{64}")


def key(paths: Iterable[Path]) -> str:
    """The set of paths asked for, as the same key from any working directory."""
    absolute = sorted(os.fsencode(os.path.abspath(p)) for p in paths)
    return hashlib.sha256(b"\0".join(absolute)).hexdigest()


def remember(paths_key: str, folder: Path) -> None:
    """Note that these paths were last loaded as snapshot ``folder``; a failure only costs a slower start."""
    pointers = cache_dir() / "recent"
    with contextlib.suppress(OSError):
        pointers.mkdir(parents=True, exist_ok=True)
        current = pointers / paths_key
        if _read(current) != folder.name:
            atomic.write_bytes(current, folder.name.encode())


def recalled(paths_key: str) -> Path | None:
    """The snapshot these paths were last loaded as, if it is still there."""
    name = _read(cache_dir() / "recent" / paths_key) or ""
    if not _KEY.fullmatch(name[:64]):
        return None
    folder = snapshot.folder(name[:64])  # of this parser and layout; another version's is not used
    return folder if folder.name == name and folder.is_dir() else None


def departments(paths: Iterable[Path] | None) -> list[str] | None:
    """The department names of the snapshot these paths (None: the default ones) were last
    loaded as, without reading a frame: what a start draws first."""
    folder = recalled(key(default_paths() if paths is None else paths))
    return None if folder is None else snapshot.departments(folder)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii").strip()
    except (OSError, ValueError):
        return None
