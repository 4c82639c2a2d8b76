"""The store of parsed filings at an fsspec URL (``s3://bucket/yusuan``, ``memory://…``).

By default each filing's frames are kept in the local cache folder (``cache``). ``YUSUAN_STORE``
(or ``yusuan add --store``) moves them: a local folder (or ``file://`` URL) is used as the cache
folder is; any other URL goes through fsspec, so that the machines of a cluster, or the laptops
of a team, read and write one store. The layout is the same, one folder per filing and parser
version, one Parquet file per frame.

An object store has no rename, so a folder counts only once its marker (``_COMPLETE``) is there,
written after every frame: a reader never sees half a filing, whatever the file system. Writers
of the same filing write the same frames. Like the cache, the store is only a speed-up once it has
been found usable: a read that fails means parsing again, a write that fails means working from the
frames in hand. ``check`` is the exception: ``yusuan add`` asks it first, and a store that cannot
be reached is one line naming it.
"""

from __future__ import annotations

import io
import os
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl

MARKER = "_COMPLETE"
#: Protocols whose contents live in this process only (a worker process cannot write there).
PRIVATE = ("memory",)


class StoreError(Exception):
    """The store cannot be used; ``str()`` is the one line shown to the user."""


def url(spec: str | None = None) -> str | None:
    """The store's URL when it is not a local folder (None: the local folder ``local`` gives);
    of ``spec``, else of YUSUAN_STORE."""
    where = spec or os.environ.get("YUSUAN_STORE") or ""
    return where if "://" in where and not where.startswith("file://") else None


def local(spec: str | None = None) -> Path | None:
    """The store's local folder when ``spec`` (else YUSUAN_STORE) names one (a path or file:// URL)."""
    where = spec or os.environ.get("YUSUAN_STORE") or ""
    if not where or url(where) is not None:
        return None
    if where.startswith("file://"):
        from fsspec.implementations.local import LocalFileSystem

        return Path(LocalFileSystem._strip_protocol(where))
    return Path(where).expanduser()


def private() -> bool:
    """True when the store lives in this process only, so worker processes cannot write it."""
    where = url()
    return where is not None and where.split("://", 1)[0] in PRIVATE


def shared() -> str | None:
    """The store as a URL that other machines may write too (a cluster's workers then write their
    filings there themselves): YUSUAN_STORE given as a URL, file:// (a shared mount) included; a
    plain path or a store in this process's memory is this machine's own."""
    where = os.environ.get("YUSUAN_STORE") or ""
    return where if "://" in where and not private() else None


def check() -> None:
    """StoreError unless the store can be written: a probe file written and removed."""
    where = url()
    folder = local()
    try:
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            probe = folder / f".probe-{uuid.uuid4().hex}"
            probe.write_bytes(b"")
            probe.unlink()
        elif where is not None:
            fs, root = _fs(where)
            fs.makedirs(root, exist_ok=True)
            probe_path = f"{root}/.probe-{uuid.uuid4().hex}"
            fs.pipe_file(probe_path, b"")
            fs.rm_file(probe_path)
    except StoreError:
        raise
    except ImportError as e:
        raise StoreError(
            f"无法使用存储 {where}：需要安装 {e.name or '对应的 fsspec 插件'}（如 s3:// 需 pip install s3fs）"
        ) from None
    except Exception as e:
        reason = getattr(e, "strerror", None) or str(e) or type(e).__name__
        raise StoreError(f"无法使用存储 {where or folder}：{reason}") from None


def has(name: str) -> bool:
    """True when the folder ``name`` (``<sha>-v<version>``) is complete in the store."""
    try:
        fs, root = _fs(_url())
        return bool(fs.exists(f"{root}/{name}/{MARKER}"))
    except Exception:
        return False


def read(name: str, frame: str) -> pl.DataFrame | None:
    """One frame of a complete folder, or None (absent, incomplete, unreadable)."""
    try:
        fs, root = _fs(_url())
        if not fs.exists(f"{root}/{name}/{MARKER}"):
            return None
        return pl.read_parquet(io.BytesIO(fs.cat_file(f"{root}/{name}/{frame}.parquet")))
    except Exception:
        return None


def write(name: str, frames: dict[str, pl.DataFrame], where: str | None = None) -> None:
    """Every frame, then the marker, into the store at ``where`` (default: YUSUAN_STORE's URL);
    raises what the file system raised."""
    fs, root = _fs(where or _url())
    folder = f"{root}/{name}"
    fs.makedirs(folder, exist_ok=True)
    for frame, df in frames.items():
        buffer = io.BytesIO()
        df.write_parquet(buffer)
        fs.pipe_file(f"{folder}/{frame}.parquet", buffer.getvalue())
    fs.pipe_file(f"{folder}/{MARKER}", b"")


def discard(name: str) -> None:
    """Withdraw a folder found damaged (its marker first, so no reader takes it meanwhile)."""
    try:
        fs, root = _fs(_url())
        fs.rm_file(f"{root}/{name}/{MARKER}")
        fs.rm(f"{root}/{name}", recursive=True)
    except Exception:
        pass


def _url() -> str:
    where = url()
    if where is None:
        raise StoreError("no store URL")
    return where


@lru_cache(maxsize=8)
def _fs(where: str) -> tuple[Any, str]:
    """The file system and root path of a URL (one instance per URL and process)."""
    import fsspec

    fs, root = fsspec.core.url_to_fs(where)
    return fs, str(root).rstrip("/")
