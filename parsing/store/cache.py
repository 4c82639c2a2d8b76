"""Parsed filings cached as Parquet, one folder per content hash and parser version.

A second run parses nothing. An entry that cannot be read back (corrupted, written by another
parser version, a schema that no longer conforms) is treated as absent and rebuilt silently.
Entries are written to a temporary folder and renamed into place, so a crash never leaves half.

The cache is only a speed-up, so it must never stop anything: a folder that cannot be written
(read-only, full, a file in its place) means working uncached, with one warning per process
(logged on ``yusuan.cache``; the command line prints it). Snapshots are pruned to the most
recently used few, so the cache stays bounded however many sets of files are opened.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import time
from pathlib import Path

import polars as pl

from parsing import PARSER_VERSION, atomic, schema
from parsing.paths import bundled_cache_dir, cache_dir, display
from parsing.store import remote

Frames = dict[str, pl.DataFrame]
log = logging.getLogger("yusuan.cache")

#: Whole-library snapshots kept (the most recently used); each is one set of opened files.
KEEP_SNAPSHOTS = 8
#: A temporary older than this (seconds) was left by a killed process and may be removed.
STALE_TEMPORARY = 3600
_warned: list[str] = []


def entry(sha256: str) -> Path:
    """A filing's folder in the local store (the cache folder unless YUSUAN_STORE names another;
    see ``remote`` for a store at a URL)."""
    return (remote.local() or cache_dir()) / _name(sha256)


def _name(sha256: str) -> str:
    return f"{sha256}-v{PARSER_VERSION}"


def bundled(sha256: str) -> Path:
    """Where the shipped seeds keep a filing's frames (never written at run time)."""
    return bundled_cache_dir() / f"{sha256}-v{PARSER_VERSION}"


def has(sha256: str) -> bool:
    """True when the filing's frames can be read without parsing it."""
    stored = remote.has(_name(sha256)) if remote.url() else _is_dir(entry(sha256))
    return stored or _is_dir(bundled(sha256))


def load(sha256: str) -> Frames | None:
    """The cached (or shipped) frames of a filing, or None when absent or unreadable."""
    stored = _read_remote(sha256) if remote.url() else read_folder(entry(sha256))
    return stored or read_folder(bundled(sha256), discard=False)


def _read_remote(sha256: str) -> Frames | None:
    """A filing's frames from the store at a URL; a damaged folder is withdrawn (parse again)."""
    name = _name(sha256)
    if not remote.has(name):
        return None
    frames: Frames = {}
    for frame in schema.FRAMES:
        df = remote.read(name, frame)
        try:
            if df is None:
                raise ValueError(f"{frame} missing")
            frames[frame] = schema.conform(frame, df)
        except Exception:  # missing, damaged, of another shape
            remote.discard(name)
            return None
    return frames


def read_frame(sha256: str, name: str) -> pl.DataFrame | None:
    """One frame of a cached (or shipped) filing, or None when it cannot be read."""
    if remote.url():
        df = remote.read(_name(sha256), name)
        if df is not None:
            try:
                return schema.conform(name, df)
            except Exception:  # of another shape: the shipped copy, or parse again
                pass
    for folder in ([] if remote.url() else [entry(sha256)]) + [bundled(sha256)]:
        try:
            return schema.conform(name, pl.read_parquet(folder / f"{name}.parquet"))
        except Exception:  # absent or damaged: the caller parses again
            continue
    return None


def read_frames(folder: Path, names: tuple[str, ...]) -> Frames | None:
    """Some frames stored in a folder (a library's catalogue), or None when any is unreadable."""
    try:
        return {name: pl.read_parquet(folder / f"{name}.parquet") for name in names}
    except Exception:
        return None


def read_errors(folder: Path) -> list[tuple[str, str]] | None:
    """The (path, reason) pairs stored beside a snapshot's frames; None when they are damaged
    (the snapshot is then not to be trusted)."""
    try:
        data = json.loads((folder / "errors.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError):
        return None
    if not isinstance(data, list) or not all(
        isinstance(e, list) and len(e) == 2 and all(isinstance(x, str) for x in e) for e in data
    ):
        return None
    return [(p, r) for p, r in data]


def read_folder(folder: Path, *, discard: bool = True) -> Frames | None:
    """Frames stored in a folder, or None (and, with ``discard``, the folder removed) when absent
    or unreadable."""
    if not _is_dir(folder):
        return None
    try:
        return {name: schema.conform(name, pl.read_parquet(folder / f"{name}.parquet")) for name in schema.FRAMES}
    except Exception:  # any damage at all means: parse again
        if discard:
            shutil.rmtree(folder, ignore_errors=True)
        return None


def store(sha256: str, frames: Frames, spec: str | None = None) -> bool:
    """Write a filing's frames atomically (temp folder, then rename; at a URL, the marker last)
    into the store (``spec``, else YUSUAN_STORE, else the cache folder); False if it could not
    keep them (the caller goes on with the frames in hand)."""
    where = remote.url(spec)
    if where is None:
        return write_folder((remote.local(spec) or cache_dir()) / _name(sha256), frames)
    try:
        remote.write(_name(sha256), frames, where)
        return True
    except Exception as e:  # unreachable, not permitted, full: work from the frames in hand
        degrade(where, e)
        return False


def write_folder(folder: Path, frames: Frames, errors: list[tuple[str, str]] | None = None) -> bool:
    """Write frames (and the files that failed, as (path, reason)) into a folder atomically;
    if another process got there first, keep theirs. False, with one warning, when the cache
    cannot be written at all."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        with atomic.staged(folder, folder=True) as tmp:
            for name, df in frames.items():
                df.write_parquet(tmp / f"{name}.parquet")
            if errors is not None:
                (tmp / "errors.json").write_text(json.dumps(errors, ensure_ascii=False), encoding="utf-8")
            atomic.place(tmp, folder)
        return True
    except Exception as e:  # read-only, full, a file in the folder's place, a Parquet writer error
        degrade(folder.parent, e)
        return False


def touch(folder: Path) -> None:
    """Mark a snapshot as just used, so pruning keeps it."""
    with contextlib.suppress(OSError):
        os.utime(folder)


def prune() -> None:
    """Keep the KEEP_SNAPSHOTS most recently used snapshots, and remove temporaries left by
    killed processes; never fails."""
    root = cache_dir() / "snapshots"
    try:
        found = [(p.stat().st_mtime, p) for p in root.iterdir()]
    except OSError:
        return
    now = time.time()
    snaps = sorted(((t, p) for t, p in found if not p.name.startswith(".")), reverse=True)
    old = [p for _, p in snaps[KEEP_SNAPSHOTS:]]
    old += [p for t, p in found if p.name.startswith(".") and now - t > STALE_TEMPORARY]
    for path in old:
        shutil.rmtree(path, ignore_errors=True)


def degrade(where: Path | str, error: BaseException) -> None:
    """Note once per process that the cache cannot be written, and why."""
    reason = getattr(error, "strerror", None) or type(error).__name__
    if not _warned:
        _warned.append(reason)
        log.warning("缓存目录 %s 无法写入（%s），本次不使用缓存", display(where), reason)


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a path through something that is not a folder, or not permitted
        return False
