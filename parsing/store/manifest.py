"""File identities remembered between runs: (path, size, mtime) → sha256.

A start on a library of a thousand filings must not read every PDF just to hash it; a file whose
size and modification time are unchanged keeps the hash it had. The manifest is only an
accelerator: lost, damaged or of the wrong shape, it is rebuilt by hashing again.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from parsing import atomic
from parsing.paths import cache_dir, display
from parsing.store.cache import degrade
from parsing.store.worker import digest

_SHA256 = re.compile(r"[0-9a-f]{64}")


class Manifest:
    """The remembered hashes, loaded once per library load and saved if anything was added."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.known: dict[str, str] = _read(path)
        self.dirty = False
        self._folders: dict[Path, str] = {}  # folder → its resolved path (one realpath per folder)

    @classmethod
    def open(cls) -> Manifest:
        return cls(cache_dir() / "manifest.json")

    def digest(self, path: Path) -> str:
        """The file's sha256, from memory when its size and mtime are unchanged."""
        try:
            st = path.stat()
            key = f"{self._resolved(path)}|{st.st_size}|{st.st_mtime_ns}"
        except OSError:
            return digest(path)  # raises the FilingError that names the problem
        if key not in self.known:
            self.known[key] = digest(path)
            self.dirty = True
        return self.known[key]

    def _resolved(self, path: Path) -> str:
        """The file's absolute path through its resolved folder: resolving each of ten thousand
        files walks every component of every path (a second of a start); a folder is resolved once."""
        if path.is_symlink():
            return display(path.resolve())
        folder = path.parent
        if folder not in self._folders:
            self._folders[folder] = display(folder.resolve())
        return f"{self._folders[folder]}/{display(path.name)}"

    def save(self) -> None:
        """Write the manifest atomically; a failure to write only costs hashing next time."""
        if not self.dirty:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic.write_bytes(self.path, json.dumps(self.known).encode())
        except Exception as e:
            degrade(self.path.parent, e)


def _read(path: Path) -> dict[str, str]:
    """The stored mapping, keeping only well-formed entries (anything else is re-hashed)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str) and _SHA256.fullmatch(v)}
