"""One filing parsed into the cache under limits, in a worker process (or, failing that, here).

A hostile PDF (a 300 KB file that inflates to gigabytes, 100 MB of trailing zeros that send
pdfminer's xref scan on for minutes) must cost one line, not the batch: each file gets a
wall-clock timeout (an interval timer in the worker) and each worker a memory ceiling
(RLIMIT_AS). Workers also watch their parent and exit when it is gone, so ``kill -9`` of
``yusuan add`` leaves no orphan holding a hundred megabytes. Limits come from the environment
(``YUSUAN_PARSE_TIMEOUT`` seconds, ``YUSUAN_PARSE_MEMORY_MB``; 0 turns one off) or the caller.

``parse_bytes`` is the same parse for a machine that shares no files with us (a Dask worker, see
``cluster``): the file's bytes in, its frames (or the reason) out, under the same time limit.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from parsing import PARSER_VERSION
from parsing.errors import FilingError, quiet_pdfminer
from parsing.store import cache

Result = tuple[Path, str | None, str | None]
WORKER_DIED = "解析进程意外退出（文件可能过大或已损坏），已跳过"
#: The environment that says where things are kept (paths, cache.store_url).
FOLDERS = ("YUSUAN_CACHE_DIR", "YUSUAN_DATA_DIR", "YUSUAN_SEEDS", "YUSUAN_STORE")


@dataclass(frozen=True)
class Limits:
    """Per-file wall-clock seconds and per-worker memory in MB; 0 means no limit."""

    seconds: float = 600.0  # a 48-page filing takes ~45 s on a quiet laptop; room for a busy one
    memory_mb: int = 2048

    @classmethod
    def from_env(cls) -> Limits:
        """The defaults, overridden by YUSUAN_PARSE_TIMEOUT and YUSUAN_PARSE_MEMORY_MB."""
        return cls(
            seconds=_number("YUSUAN_PARSE_TIMEOUT", cls.seconds),
            memory_mb=int(_number("YUSUAN_PARSE_MEMORY_MB", cls.memory_mb)),
        )


class TookTooLong(BaseException):
    """Raised by the timer inside a parse; a BaseException so that no library's broad
    ``except Exception`` swallows it."""


def read_filing(path: Path, sha256: str | None = None) -> dict[str, pl.DataFrame]:
    """The parse of one file; the readers are imported on the first parse, so a warm start (which
    parses nothing) does not pay for them."""
    from parsing.readers.filing import read_filing as parse

    return parse(path, sha256)


def digest(path: Path) -> str:
    """A file's sha256 (see ``parsing.readers.filing.digest``)."""
    from parsing.readers.filing import digest as of

    return of(path)


def start_worker(parent: int, limits: Limits) -> None:
    """Initializer of each worker process: quiet, watching its parent, then the memory ceiling
    (last, so that the watcher thread's stack is already had)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)  # a dying worker's traceback is not the user's: its file's reason line is
    logging.getLogger("yusuan").addHandler(logging.NullHandler())
    logging.getLogger("yusuan").propagate = False  # the parent reports the cache, once
    quiet_pdfminer()
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="watch-parent").start()
    if limits.memory_mb > 0:
        try:
            import resource

            ceiling = limits.memory_mb << 20
            resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
        except (ImportError, ValueError, OSError):
            pass  # no such limit on this system: the timeout still holds


def where() -> dict[str, str | None]:
    """The folders (and store) the caller sees, for a worker started earlier to write there too:
    a kept worker's environment is that of the moment it was started."""
    return {name: os.environ.get(name) for name in FOLDERS}


def parse_into_cache(path: Path, limits: Limits | None = None, folders: dict[str, str | None] | None = None) -> Result:
    """(path, sha256, None) once the filing is cached (or could not be: see cache.store), or
    (path, None, reason). ``folders`` (from ``where``) are the caller's, taken on first."""
    limits = limits or Limits()
    for name, value in (folders or {}).items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    try:
        with _deadline(limits.seconds):
            sha = digest(path)
            if cache.load(sha) is None:
                cache.store(sha, read_filing(path, sha))
        return path, sha, None
    except BaseException as e:
        return path, None, failure(e, limits)


def parse_bytes(
    name: str, data: bytes, sha256: str, limits: Limits, store: str | None = None, file: str = ""
) -> tuple[str, cache.Frames | str | None]:
    """(parser version, frames or the reason they could not be had) of a file given as its name
    and bytes: written to a private temporary folder under the same name, so that the frames
    are those a local parse would make, then parsed under the time limit. Given a shared
    ``store`` (see ``remote.shared``), the frames are written there, named as from ``file``, and
    None stands for them."""
    quiet_pdfminer()
    try:
        with tempfile.TemporaryDirectory(prefix="yusuan-") as folder:
            path = Path(folder) / name
            path.write_bytes(data)
            with _deadline(limits.seconds):
                frames = read_filing(path, sha256)
    except BaseException as e:
        return PARSER_VERSION, failure(e, limits)
    if store is None:
        return PARSER_VERSION, frames
    frames = {**frames, "documents": frames["documents"].with_columns(pl.lit(file).alias("file"))}
    if not cache.store(sha256, frames, store):
        return PARSER_VERSION, f"集群工作进程无法写入存储 {store}"
    return PARSER_VERSION, None


def failure(error: BaseException, limits: Limits) -> str:
    """The one reason line for what stopped a parse; anything not an ordinary error (a
    KeyboardInterrupt, a SystemExit) is raised again."""
    if isinstance(error, FilingError):
        return _too_large(limits) if _caused_by(error, MemoryError) else error.reason
    if isinstance(error, TookTooLong):
        return f"解析超过 {limits.seconds:g} 秒，已放弃（可用 YUSUAN_PARSE_TIMEOUT 调整）"
    if isinstance(error, MemoryError):
        return _too_large(limits)
    if isinstance(error, RecursionError):
        return "文件结构嵌套过深，无法解析"
    if isinstance(error, Exception):  # a parser bug must not stop the batch: this file's error
        return f"无法解析（{type(error).__name__}: {error}）"
    raise error


def _too_large(limits: Limits) -> str:
    return f"文件过大：解析所需内存超过 {limits.memory_mb} MB（可用 YUSUAN_PARSE_MEMORY_MB 调整）"


def _caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    """True when ``kind`` is anywhere in the chain of causes (a reader that reports a file as
    damaged because pdfminer ran out of memory under the ceiling)."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, kind):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


class _deadline:
    """Raise TookTooLong in this thread after ``seconds``: by SIGALRM on the main thread; on
    another (a Dask worker runs tasks on a pool of threads) by an asynchronous exception that a
    timer sets on the thread, which Python raises at its next bytecode."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.on_main = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
        self.lock = threading.Lock()
        self.fired = self.finished = False

    def __enter__(self) -> None:
        if self.seconds <= 0:
            return
        if self.on_main:
            self.previous = signal.signal(signal.SIGALRM, _expire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
            return
        self.thread = threading.get_ident()
        self.timer = threading.Timer(self.seconds, self._interrupt)
        self.timer.daemon = True
        self.timer.start()

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if self.seconds <= 0:
            return
        if self.on_main:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
            return
        self.timer.cancel()
        with self.lock:
            self.finished = True
            if self.fired and kind is not TookTooLong:  # set but not yet raised: withdraw it
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.thread), None)

    def _interrupt(self) -> None:
        with self.lock:
            if not self.finished:
                self.fired = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.thread), ctypes.py_object(TookTooLong))


def _expire(signum: int, frame: object) -> None:
    raise TookTooLong


def _watch_parent(parent: int) -> None:
    """Exit this worker as soon as the process that started it is gone (killed, even by -9)."""
    import time

    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _number(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name) or default)
    except ValueError:
        return default
    return max(value, 0.0)
