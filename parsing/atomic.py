"""The one way yusuan writes a file or folder: to a unique temporary beside it, then into place.

A reader never sees half a file, a crash leaves at most a hidden temporary, and two processes
writing the same target never share a temporary (the name carries the pid and a random part).
``overwrite=False`` places a file only if the target is still absent (a hard link, which fails
when the target appeared meanwhile), so a file someone else created is never replaced.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from parsing.paths import shorten


def temporary(path: Path) -> Path:
    """A unique hidden name beside ``path`` that fits any file system (under 255 bytes)."""
    return path.with_name(f".{shorten(path.name, 100)}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")


@contextmanager
def staged(path: Path, *, folder: bool = False) -> Iterator[Path]:
    """A temporary beside ``path`` (a folder is created, a file is not), removed unless placed."""
    tmp = temporary(path)
    if folder:
        tmp.mkdir()
    try:
        yield tmp
    finally:
        if folder:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.unlink(missing_ok=True)


def place(tmp: Path, path: Path, *, overwrite: bool = True) -> bool:
    """Move ``tmp`` into ``path``; False (``tmp`` left to be removed) when ``overwrite`` is off and
    ``path`` exists, or when ``tmp`` is a folder and another process placed ``path`` first."""
    if tmp.is_dir():
        try:
            os.rename(tmp, path)  # fails on an existing non-empty folder: theirs is kept
        except OSError:
            if path.is_dir():
                return False
            raise
        return True
    if overwrite:
        os.replace(tmp, path)
        return True
    try:
        os.link(tmp, path)  # atomic, and fails if path appeared since anyone looked
    except FileExistsError:
        return False
    except OSError:  # no hard links here (some network or FAT volumes): check, then rename
        if path.exists():
            return False
        os.replace(tmp, path)
    return True


def write(path: Path, fill: Callable[[BinaryIO], None], *, overwrite: bool = True) -> bool:
    """Write a file through ``fill(stream)`` atomically and durably; see ``place`` for False."""
    with staged(path) as tmp:
        # O_EXCL: never write through a file someone else created; 0666 lets the umask decide.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with open(fd, "wb") as out:
            fill(out)
            out.flush()
            os.fsync(out.fileno())
        return place(tmp, path, overwrite=overwrite)


def write_bytes(path: Path, data: bytes, *, overwrite: bool = True) -> bool:
    """``data`` into ``path`` atomically."""

    def fill(out: BinaryIO) -> None:
        out.write(data)

    return write(path, fill, overwrite=overwrite)
