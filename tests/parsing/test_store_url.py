"""The store of parsed filings at a local folder or an fsspec URL (YUSUAN_STORE, `add --store`)."""

from __future__ import annotations

import polars as pl
import pytest

from parsing import PARSER_VERSION
from parsing.library import Library
from parsing.paths import library_dir
from parsing.readers.filing import digest
from parsing.store import cache, remote
from parsing.store.ingest import add
from tests.conftest import FILINGS
from tui.cli import main

BUDGET = FILINGS / "2023_龙岗区审计局_部门预算.pdf"
SELF_EVALUATION = FILINGS / "2021_龙岗区财政局_预算项目绩效自评表.pdf"


def _never_parse(monkeypatch):
    """Any parse from here on fails the test: the library must read what the store holds."""

    def parse(*args, **kwargs):
        raise AssertionError("parsed again instead of read from the store")

    for module in ("parsing.store.filings", "parsing.store.worker"):
        monkeypatch.setattr(f"{module}.read_filing", parse)
    monkeypatch.setattr("parsing.library.parse_all", lambda files, **kw: iter(parse() if files else []))


def _opened_elsewhere(tmp_path, monkeypatch) -> Library:
    """The library opened with an empty local cache, so only the store can give its frames."""
    monkeypatch.setenv("YUSUAN_CACHE_DIR", str(tmp_path / "another-cache"))
    _never_parse(monkeypatch)
    lib = Library.load([library_dir()])
    assert not lib.errors
    return lib


def _audit_business(lib: Library) -> tuple[float, float]:
    """审计业务's 预算合计 in the 项目 table, and its 功能分类 支出总计 (a frame read per filing)."""
    project = lib.projects.filter(pl.col("name") == "审计业务")["budget_total"].to_list()
    lines = lib.budget_lines.filter((pl.col("code") == "2010804") & (pl.col("measure") == "支出总计"))
    return project[0], lines["amount"].max()


def test_pool_adds_into_a_file_url_and_a_library_reads_it_from_there(tmp_path, monkeypatch):
    """Two worker processes write into file://…/store (not the cache folder); a library with an
    empty cache then reads 审计业务 = 155 万元 (功能分类 支出总计 190) from the store, parsing nothing."""
    store = tmp_path / "store"
    monkeypatch.setenv("YUSUAN_STORE", store.as_uri())
    stored, errors = add([BUDGET, SELF_EVALUATION], workers=2)
    assert len(stored) == 2 and not errors
    assert (store / f"{digest(BUDGET)}-v{PARSER_VERSION}" / "budget_lines.parquet").is_file()
    assert _audit_business(_opened_elsewhere(tmp_path, monkeypatch)) == (155.0, 190.0)


def test_add_into_a_memory_url_and_a_library_reads_it_from_there(tmp_path, monkeypatch):
    """`yusuan add --store memory://…`: frames go through fsspec, each folder complete with its
    marker; a library with an empty cache reads 审计业务 = 155 万元 from the store."""
    url = f"memory://yusuan-test/{tmp_path.name}"
    monkeypatch.setenv("YUSUAN_STORE", url)  # restored after the test; --store sets it too
    assert main(["add", str(BUDGET), "--workers", "2", "--store", url]) == 0
    name = f"{digest(BUDGET)}-v{PARSER_VERSION}"
    assert remote.has(name) and not cache.entry(digest(BUDGET)).exists()
    assert _audit_business(_opened_elsewhere(tmp_path, monkeypatch)) == (155.0, 190.0)


def test_a_folder_without_its_marker_is_not_taken(tmp_path, monkeypatch):
    """Frames written but no marker (a writer stopped midway on an object store): absent, so the
    filing is parsed again rather than read half."""
    monkeypatch.setenv("YUSUAN_STORE", f"memory://yusuan-test/{tmp_path.name}")
    sha = digest(BUDGET)
    remote.write(f"{sha}-v{PARSER_VERSION}", {"documents": pl.DataFrame({"doc_id": ["x"]})})
    assert cache.has(sha)
    fs, root = remote._fs(remote._url())
    fs.rm_file(f"{root}/{sha}-v{PARSER_VERSION}/{remote.MARKER}")
    assert not cache.has(sha) and cache.load(sha) is None


@pytest.mark.parametrize("kind", ["under a file", "no such protocol"])
def test_a_store_that_cannot_be_used_is_one_line(kind, tmp_path, monkeypatch, capsys):
    """A store that cannot be written (a folder under a regular file; a protocol nobody knows):
    exit 3, one line naming the store, nothing added."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    where = str(blocker / "store") if kind == "under a file" else "nosuchfs://bucket/yusuan"
    monkeypatch.setenv("YUSUAN_STORE", where)
    assert main(["add", str(BUDGET), "--store", where]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"yusuan: 无法使用存储 {where}：")
    assert not library_dir().exists()
