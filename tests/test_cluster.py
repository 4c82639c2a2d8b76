"""`yusuan add --cluster`: parses on a Dask cluster land exactly where, and as, a local add's do."""

from __future__ import annotations

import logging
import os
import socket
import sys
import threading
import time
from pathlib import Path

import polars as pl
import pytest
from distributed import LocalCluster

from parsing.library import Library
from parsing.paths import library_dir
from parsing.readers.filing import digest
from parsing.store import cache, cluster
from parsing.store.worker import HostFolder, Limits, parse_bytes
from tests.conftest import FILINGS
from tui.cli import main

BUDGET = FILINGS / "2023_龙岗区审计局_部门预算.pdf"
SELF_EVALUATION = FILINGS / "2021_龙岗区财政局_预算项目绩效自评表.pdf"
BROKEN = FILINGS / "bad_truncated.pdf"


@pytest.fixture(scope="module")
def scheduler():
    """A LocalCluster of two worker processes, one thread each; its scheduler's address."""
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.CRITICAL
    ) as local:
        yield local.scheduler_address


def _add_and_search(capsys, *argv: str) -> tuple[int, str, str]:
    """`yusuan add` with argv, then `yusuan search` of 审计业务 and 收入合计 in the library."""
    status = main(["add", str(BUDGET), str(SELF_EVALUATION), str(BROKEN), *argv])
    added = capsys.readouterr()
    for query in ("审计业务", "收入合计"):
        main(["search", query, str(library_dir())])
    return status, added.err, capsys.readouterr().out


def test_cluster_add_prints_what_a_local_add_prints(scheduler, capsys, tmp_path, monkeypatch):
    """On 2 Dask workers: both filings stored (项目 审计业务 预算合计 155, 本年收入合计 3451), the
    truncated PDF reported in one line; the search output and cached frames equal a local add's."""
    status, errors, found = _add_and_search(capsys, "--cluster", scheduler)
    assert status == 1
    assert errors == f"yusuan: {BROKEN}: PDF 不完整或已损坏\n"
    assert "项目名称  【审计业务】  预算合计 155" in found and "本年【收入合计】  预算数 3451" in found
    on_cluster = {sha: cache.load(sha) for sha in (digest(BUDGET), digest(SELF_EVALUATION))}
    monkeypatch.setenv("YUSUAN_CACHE_DIR", str(tmp_path / "local-cache"))
    monkeypatch.setenv("YUSUAN_DATA_DIR", str(tmp_path / "local-data"))  # the same copies' names
    assert _add_and_search(capsys, "--workers", "2") == (status, errors, found)
    for sha, frames in on_cluster.items():
        local = cache.load(sha)
        assert frames is not None and local is not None
        assert all(frames[name].equals(local[name]) for name in frames), sha


def test_unreachable_scheduler_is_one_line_and_writes_nothing(capsys, monkeypatch):
    """A scheduler address nobody answers: exit 3, one line naming it, no library folder made."""
    monkeypatch.setattr(cluster, "CONNECT_SECONDS", 1.0)
    with socket.socket() as s:  # a port that was free a moment ago
        s.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{s.getsockname()[1]}"
    assert main(["add", str(BUDGET), "--cluster", address]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"yusuan: 无法连接 Dask 调度器 {address}：")
    assert not library_dir().exists() and not Path(os.environ["YUSUAN_CACHE_DIR"]).exists()


def test_without_distributed_says_how_to_install(capsys, monkeypatch):
    """--cluster where distributed is not installed: exit 3 and the pip line of the extra."""
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed → ImportError
    assert main(["add", str(BUDGET), "--cluster", "tcp://127.0.0.1:8786"]) == 3
    assert capsys.readouterr().err == "yusuan: --cluster 需要 Dask distributed：pip install 'yusuan[cluster]'\n"


def test_time_limit_holds_on_a_worker_thread(monkeypatch):
    """A parse on a thread other than the main one (as on a Dask worker) that runs past the
    limit is stopped there and named by its reason."""

    def endless(*args: object) -> None:
        while True:
            time.sleep(0.001)

    monkeypatch.setattr("parsing.store.worker.read_filing", endless)
    outcome: list[object] = []
    started = time.monotonic()
    worker = threading.Thread(target=lambda: outcome.append(parse_bytes("a.pdf", b"%PDF-1.4", "0" * 64, Limits(0.5))))
    worker.start()
    worker.join(10)
    assert outcome and outcome[0][1] == "解析超过 0.5 秒，已放弃（可用 YUSUAN_PARSE_TIMEOUT 调整）"
    assert time.monotonic() - started < 5


def test_cluster_add_of_a_genuine_filing_keeps_its_printed_total(scheduler, real_dir, capsys):
    """2025 万里街道办事处 added on the cluster: 收入总计 189,767,551 元 = 18,976.7551 万元, the figure a
    local parse reads (tests/parsing/test_real_filings.py)."""
    assert main(["add", str(real_dir / "2025_普陀区万里街道办事处_部门预算.pdf"), "--cluster", scheduler]) == 0
    lines = Library.load([library_dir()]).budget_lines
    total = lines.filter(pl.col("table_kind") == "收支总表", pl.col("name") == "收入总计").row(0, named=True)
    assert (total["amount"], total["amount_text"]) == (pytest.approx(18976.7551), "189,767,551")


def test_cluster_workers_write_a_shared_store_themselves(scheduler, tmp_path, monkeypatch):
    """`add --cluster … --store file://…`: each worker writes its filing into the store (no frames
    come back to be written here), and a library with an empty cache reads 审计业务 = 155 万元 there."""
    store = tmp_path / "shared-store"
    monkeypatch.setenv("YUSUAN_STORE", store.as_uri())
    monkeypatch.setattr(cache, "store", lambda *a, **k: pytest.fail("frames written here, not by a worker"))
    assert main(["add", str(BUDGET), "--cluster", scheduler, "--store", store.as_uri()]) == 0
    assert cache.entry(digest(BUDGET)).parent == store and cache.entry(digest(BUDGET)).is_dir()
    monkeypatch.setenv("YUSUAN_CACHE_DIR", str(tmp_path / "another-cache"))
    monkeypatch.setattr("parsing.library.parse_all", lambda files, **kw: iter([] if not files else pytest.fail()))
    lib = Library.load([library_dir()])
    assert lib.projects.filter(pl.col("name") == "审计业务")["budget_total"].to_list() == [155.0]


def test_a_stored_filing_is_not_sent_nor_read_back(scheduler, tmp_path, monkeypatch):
    """A filing whose frames the store already holds is reported as added (its sha256) without
    a task on the cluster and without its frames read back here (its folder says enough)."""
    sha = digest(BUDGET)
    assert cache.store(sha, _parsed(BUDGET, sha))
    monkeypatch.setattr(cache, "load", lambda *a: pytest.fail("frames read back to find them stored"))
    monkeypatch.setattr(cluster, "_submit", lambda *a: pytest.fail("a stored filing sent to the cluster"))
    results = list(cluster.parse_on_cluster([BUDGET], scheduler, limits=Limits()))
    assert results == [(BUDGET, sha, None)]


def test_workers_on_this_host_write_the_cache_themselves(scheduler, monkeypatch):
    """A LocalCluster's workers (127.0.0.1) write the filing into this machine's cache folder, so
    nothing is written here, and the library reads 审计业务 = 155 万元 from what they wrote."""
    monkeypatch.setattr(cache, "store", lambda *a, **k: pytest.fail("frames shipped back and written here"))
    assert main(["add", str(BUDGET), "--cluster", scheduler]) == 0
    assert cache.entry(digest(BUDGET)).is_dir()
    lib = Library.load([library_dir()])
    assert lib.projects.filter(pl.col("name") == "审计业务")["budget_total"].to_list() == [155.0]


def test_a_remote_looking_cluster_still_ships_the_frames(scheduler, monkeypatch):
    """Workers whose addresses are not this host's send the frames back, and they are written
    here (the 2023 审计局 budget's documents row names the file as given)."""
    monkeypatch.setattr(cluster, "_on_this_host", lambda address: False)
    written: list[str] = []
    store = cache.store
    monkeypatch.setattr(cache, "store", lambda sha, frames, *a: written.append(sha) or store(sha, frames, *a))
    assert [r[1:] for r in cluster.parse_on_cluster([BUDGET], scheduler, limits=Limits())] == [(digest(BUDGET), None)]
    assert written == [digest(BUDGET)]
    assert cache.load(digest(BUDGET))["documents"]["file"].to_list() == [str(BUDGET)]


@pytest.mark.parametrize(
    ("address", "here"),
    [
        ("tcp://127.0.0.1:40123", True),
        ("tcp://[::1]:40123", True),
        (f"tcp://{socket.gethostname()}:40123", True),
        ("tcp://203.0.113.9:40123", False),  # TEST-NET-3: never one of this machine's
        ("tls://[2001:db8::7]:8786", False),
        ("not an address", False),
    ],
)
def test_which_worker_addresses_are_this_host(address, here):
    """Loopback addresses and this machine's own name are this host; another machine's are not."""
    assert cluster._on_this_host(address) is here


def test_a_worker_that_sees_another_folder_sends_the_frames_back(tmp_path):
    """A worker for which the cache's path names another folder (a container, another mount)
    writes nothing there and returns the frames (2023 审计局: 审计业务 = 155 万元)."""
    mine = tmp_path / "cache"
    mine.mkdir()
    seen_here = HostFolder.of(mine)
    mine.rename(tmp_path / "moved")
    mine.mkdir()  # the same path, another folder
    _, frames = parse_bytes(BUDGET.name, BUDGET.read_bytes(), digest(BUDGET), Limits(), seen_here, "x.pdf")
    assert isinstance(frames, dict) and list(mine.iterdir()) == []
    assert frames["projects"].filter(pl.col("name") == "审计业务")["budget_total"].to_list() == [155.0]


def _parsed(path: Path, sha: str) -> cache.Frames:
    from parsing.store.worker import read_filing

    return read_filing(path, sha)
