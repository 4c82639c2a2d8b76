"""File identities remembered between runs: (path, size, mtime) → sha256.

A start on a library of a thousand filings must not read every PDF just to hash it; a file whose
size and modification time are unchanged keeps the hash it had. The manifest is only an
accelerator: lost or damaged, it is rebuilt by hashing again.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from parsing.paths import cache_dir
from parsing.readers.filing import digest


class Manifest:
    """The remembered hashes, loaded once per library load and saved if anything was added."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.known: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.known = {}
        self.dirty = False

    @classmethod
    def open(cls) -> Manifest:
        return cls(cache_dir() / "manifest.json")

    def digest(self, path: Path) -> str:
        """The file's sha256, from memory when its size and mtime are unchanged."""
        try:
            st = path.stat()
        except OSError:
            return digest(path)  # raises the FilingError that names the problem
        key = f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}"
        if key not in self.known:
            self.known[key] = digest(path)
            self.dirty = True
        return self.known[key]

    def save(self) -> None:
        """Write the manifest atomically; a failure to write only costs hashing next time."""
        if not self.dirty:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".manifest-")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(self.known, f)
            os.replace(tmp, self.path)
        except OSError:
            pass
