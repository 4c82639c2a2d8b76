"""Parsing on a Dask distributed cluster: ``yusuan add PATH... --cluster tcp://HOST:8786``.

The parse of a filing is a pure function, file → frames, so it can run anywhere: each file is
read and hashed here, files already in the cache are not sent at all, and the others go to the
cluster as their bytes (its workers need not see our file system), where ``worker.parse_bytes``
parses them under the same time limit. Where a filing's frames are written depends on where the
workers are:

- every worker on this host (the common big server, a LocalCluster) and the store a local folder:
  the workers write each filing into that folder themselves, atomically as the local pool does,
  and only a summary comes back. A worker checks it sees the very folder (``HostFolder``); one
  that does not (a container, another mount) sends its frames back instead;
- a store the workers reach too (YUSUAN_STORE given as a URL: s3://…, or file:// of a shared
  mount): they write there themselves, wherever they are;
- otherwise the frames come back and are written to this machine's cache exactly as a local
  worker would have written them.

Everything after (the library's copies, the loader) is the same as for a local add. A bounded
number of files is in flight at once, so a batch of any size costs a few files' bytes of memory
here.

``distributed`` is an optional extra (``pip install 'yusuan[cluster]'``); without it, or without
a scheduler answering at the address, ClusterError says so in one line before anything is read.
A worker that dies on a file (the cluster's own memory limit) costs that file only.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import socket
from collections import deque
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from parsing import PARSER_VERSION
from parsing.paths import cache_dir, display
from parsing.store import cache, remote
from parsing.store.worker import WORKER_DIED, HostFolder, Limits, Result, parse_bytes

if TYPE_CHECKING:
    from distributed import Client, Future

Progress = Callable[[int, int, Path], None]
#: Seconds to wait for the scheduler to answer, and then for it to have a worker.
CONNECT_SECONDS = 10.0
#: Files in flight per worker thread: enough to keep every worker busy while results come back.
PER_THREAD = 2
#: Bytes above which a file is sent to a worker directly rather than inside its task.
SCATTER_BYTES = 4 << 20
INSTALL = "--cluster 需要 Dask distributed：pip install 'yusuan[cluster]'"


class ClusterError(Exception):
    """The cluster cannot be used at all (not installed, not reachable, lost); ``str()`` is the
    one line shown to the user."""


def parse_on_cluster(
    files: list[Path], address: str, *, limits: Limits, progress: Progress | None = None
) -> Iterator[Result]:
    """(path, sha256, None) once a filing's frames are in the cache, or (path, None, reason),
    in the order the cluster finishes them."""
    client = connect(address)
    try:
        yield from _run(client, files, limits, progress)
    finally:
        client.close()


def connect(address: str) -> Client:
    """A client of the scheduler at ``address`` with at least one worker, or ClusterError."""
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError(INSTALL) from None
    logging.getLogger("distributed").setLevel(logging.CRITICAL)  # its retries are not the user's lines
    _reachable(address)  # first, so that no half-made Client is left to time out again as it is collected
    try:
        client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except Exception:
        raise ClusterError(_unanswered(address)) from None
    try:
        client.wait_for_workers(1, timeout=CONNECT_SECONDS)
    except Exception:
        client.close()
        raise ClusterError(f"Dask 调度器 {address} 没有可用的工作进程（先启动 dask worker {address}）") from None
    return client


def _reachable(address: str) -> None:
    """ClusterError unless the address is well formed and, over TCP, something listens there."""
    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        scheme, location = parse_address(address)
        host, port = parse_host_port(location) if scheme == "tcp" else (None, None)
    except (ValueError, TypeError):
        raise ClusterError(f"Dask 调度器地址无效：{address}（例：tcp://HOST:8786）") from None
    if host is None:
        return  # tls://, ucx://…: the Client itself finds out
    try:
        socket.create_connection((host, port), timeout=CONNECT_SECONDS).close()
    except socket.gaierror:
        raise ClusterError(_unanswered(address, f"找不到主机 {host}")) from None
    except ConnectionRefusedError:
        raise ClusterError(_unanswered(address, "连接被拒绝，该端口上没有调度器")) from None
    except OSError:
        raise ClusterError(_unanswered(address)) from None


def _unanswered(address: str, why: str = "") -> str:
    why = why or f"{CONNECT_SECONDS:g} 秒内没有应答"
    return f"无法连接 Dask 调度器 {address}：{why}（调度器是否已启动、地址和端口是否正确？）"


def _run(client: Client, files: list[Path], limits: Limits, progress: Progress | None) -> Iterator[Result]:
    from distributed import as_completed

    threads = client.nthreads()
    window = max(2, PER_THREAD * sum(threads.values()))
    store = where_workers_write(list(threads))
    todo = deque(files)
    running = as_completed(loop=client.loop)
    owner: dict[object, tuple[Path, str]] = {}
    done = 0

    def finished(result: Result) -> Result:
        nonlocal done
        done += 1
        if progress:
            progress(done, len(files), result[0])
        return result

    while todo or owner:
        while todo and len(owner) < window:
            path = todo.popleft()
            try:
                data = path.read_bytes()
            except OSError as e:
                yield finished((path, None, f"cannot read: {e.strerror or e}"))
                continue
            sha = hashlib.sha256(data).hexdigest()
            if cache.has(sha):  # its marker or folder: reading every frame back would cost more than a parse's share
                yield finished((path, sha, None))
                continue
            future = _submit(client, path, data, sha, limits, store)
            owner[future.key] = (path, sha)
            running.add(future)
        if owner:
            future = next(running)
            path, sha = owner.pop(future.key)
            yield finished(_collect(future, path, sha))


def where_workers_write(workers: list[str]) -> str | HostFolder | None:
    """The store the workers are to write themselves: a shared URL; this machine's store folder
    when every worker (by its address) runs on this host; None, the frames come back here."""
    shared = remote.shared()
    if shared is not None or remote.url() is not None or not workers:
        return shared  # (a store in this process's memory: only this process writes it)
    if not all(_on_this_host(address) for address in workers):
        return None
    folder = remote.local() or cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return HostFolder.of(folder)
    except OSError:  # not writable here either: cache.store says so once, as for a local add
        return None


def _on_this_host(address: str) -> bool:
    """True when a worker's address (tcp://10.0.0.5:40123, tls://name:…, inproc://…) is one of
    this machine's: a loopback address, one of its interfaces' or a name resolving only to them."""
    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        scheme, location = parse_address(address)
        if scheme == "inproc":  # a worker thread inside this very process
            return True
        host = str(parse_host_port(location)[0])
    except (ValueError, TypeError):
        return False
    if _local(host):
        return True
    try:
        found = {str(info[4][0]) for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        return False
    return bool(found) and all(_local(ip) for ip in found)


def _local(host: str) -> bool:
    """True for a loopback address or a name or address of this machine's own."""
    try:
        if ipaddress.ip_address(host).is_loopback:
            return True
    except ValueError:
        pass
    return host in _own_addresses()


@lru_cache(maxsize=1)
def _own_addresses() -> frozenset[str]:
    """This machine's names and its interfaces' addresses (psutil comes with distributed); once a
    process, as getfqdn may wait on a slow DNS."""
    names = {"localhost", socket.gethostname(), socket.getfqdn()}
    try:
        import psutil

        names |= {a.address.split("%")[0] for found in psutil.net_if_addrs().values() for a in found}
    except (ImportError, OSError):
        pass
    return frozenset(names)


def _submit(
    client: Client, path: Path, data: bytes, sha: str, limits: Limits, store: str | HostFolder | None
) -> Future[Any]:
    """The parse of one file as a task; a large file is placed on a worker first rather than
    carried through the scheduler inside the task."""
    payload: Any = client.scatter(data, hash=False) if len(data) > SCATTER_BYTES else data
    return client.submit(parse_bytes, path.name, payload, sha, limits, store, display(path), pure=False, retries=0)


def _collect(future: Future[Any], path: Path, sha: str) -> Result:
    """The file's result: its frames into the cache, or the reason it has none."""
    from distributed import KilledWorker
    from distributed.client import FutureCancelledError

    try:
        version, outcome = future.result()
    except KilledWorker:
        return path, None, WORKER_DIED
    except FutureCancelledError:
        raise ClusterError("与 Dask 调度器的连接中断：已完成的文件已导入，其余未解析") from None
    except Exception as e:  # the task could not run there (yusuan missing on a worker, …)
        return path, None, f"集群工作进程无法运行解析（{type(e).__name__}: {e}；工作进程需安装 yusuan）"
    if version != PARSER_VERSION:
        return path, None, f"集群工作进程的解析器版本 v{version} 与本机 v{PARSER_VERSION} 不同，未导入"
    if isinstance(outcome, str):
        return path, None, outcome
    if outcome is None:  # written to the store by the worker: it must be seen from here too
        if cache.has(sha):
            return path, sha, None
        where = remote.shared() or display(cache.entry(sha).parent)
        return path, None, f"集群工作进程已写入存储 {where}，本机却读不到（各机器的存储位置是否相同？）"
    documents = outcome["documents"].with_columns(pl.lit(display(path)).alias("file"))
    cache.store(sha, {**outcome, "documents": documents})
    return path, sha, None
