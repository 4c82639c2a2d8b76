"""The user's library folder: one verified copy of each filing, named by its content.

A copy is named ``<first 16 hex of sha256>_<original name, sanitised and shortened>`` so it fits
any file system (the original name, however long or strangely encoded, is kept in
``library.json`` beside the folder). Placement is idempotent by content hash and safe against
another ``yusuan add`` at the same time: an advisory lock on the library serialises placements,
the copy is written under a unique temporary and its hash checked before it is moved in, and an
existing copy whose content no longer matches its hash (damaged on disk) is replaced.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from parsing import atomic
from parsing.errors import FilingError
from parsing.paths import data_dir, display, library_dir, shorten

#: Bytes of the original name kept in the copy's name (the hash prefix and _ come on top).
NAME_BYTES = 120
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


def place(path: Path, sha256: str) -> Path:
    """The library's copy of ``path`` (whose content hashes to ``sha256``), made if needed."""
    target = library_dir()
    try:
        target.mkdir(parents=True, exist_ok=True)
        with _locked() as exclusive:
            for left in target.glob(".*.tmp") if exclusive else ():  # only the lock's holder writes
                left.unlink(missing_ok=True)  # here, so these are a killed add's
            existing = [p for p in _copies(target, sha256) if _sha(p) == sha256]
            if existing:
                return existing[0]
            copy = target / copy_name(path, sha256)
            with atomic.staged(copy) as tmp:
                shutil.copyfile(path, tmp)
                if _sha(tmp) != sha256:
                    raise FilingError(path, "文件在导入过程中被改动，请重新导入")
                atomic.place(tmp, copy)
            for damaged in _copies(target, sha256):
                if damaged != copy:
                    damaged.unlink(missing_ok=True)  # its content no longer matched: the good copy replaces it
            _remember(sha256, path)
            return copy
    except OSError as e:
        raise FilingError(path, f"无法存入资料库 {display(target)}：{e.strerror or e}") from None


def copy_name(path: Path, sha256: str) -> str:
    """``<sha16>_<name>``: control characters, separators and undecodable bytes become _, and
    the name is cut to NAME_BYTES bytes with its suffix kept."""
    name = display(path.name).replace("\\x", "_")
    name = "".join("_" if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in name)
    name = _UNSAFE.sub("_", unicodedata.normalize("NFC", name)).lstrip(".") or "filing"
    return f"{sha256[:16]}_{shorten(name, NAME_BYTES)}"


def original_names() -> dict[str, str]:
    """sha256 → the name the filing had when it was added (as text; see paths.display)."""
    try:
        data = json.loads((data_dir() / "library.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    names = data.get("names") if isinstance(data, dict) else None
    if not isinstance(names, dict):
        return {}
    return {k: v for k, v in names.items() if isinstance(k, str) and isinstance(v, str)}


def _remember(sha256: str, path: Path) -> None:
    """Keep the original name (under the lock, so two adds never lose each other's entries)."""
    names = original_names()
    names[sha256] = display(path.name)
    with contextlib.suppress(OSError):  # the copy is in place; only its original name is lost
        atomic.write_bytes(data_dir() / "library.json", json.dumps({"names": names}, ensure_ascii=False).encode())


def _copies(folder: Path, sha256: str) -> list[Path]:
    return sorted(folder.glob(f"{sha256[:16]}_*"))


def _sha(path: Path) -> str | None:
    h = hashlib.sha256()
    try:
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


@contextlib.contextmanager
def _locked() -> Iterator[bool]:
    """An advisory lock on the library (fcntl.flock), released when the process ends however."""
    try:
        import fcntl
    except ImportError:  # no flock here: placements still use unique temporaries
        yield False
        return
    fd = os.open(data_dir() / ".lock", os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield True
    finally:
        os.close(fd)
