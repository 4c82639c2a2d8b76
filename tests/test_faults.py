"""Fault injection, fast cases: hostile names, a cache that cannot be written, damaged metadata,
export targets that are not files, limits, and text that would act on the terminal.

Each case states the exit status, the one line naming the file, no traceback (``run`` asserts
it) and, where the library is involved, that nothing was lost (``assert_library_holds``).
"""

from __future__ import annotations

import errno
import json
import os
import stat
import time

import polars as pl
import pytest

from parsing.library import Library
from parsing.paths import cache_dir, data_dir, library_dir
from parsing.store import cache, shelf
from parsing.store.worker import Limits, parse_into_cache
from tests.faults import (
    BUDGET,
    SELF_EVALUATION,
    assert_library_holds,
    copy,
    no_raw_controls,
    read_only,
    run,
    sha,
)

NOT_UTF8 = b"2023_\xff\xfe_\xe9\xa2\x84\xe7\xae\x97.txt"  # 2023_<2 bytes of another encoding>_预算.txt


@pytest.fixture(autouse=True)
def fresh_warnings():
    """Each case sees the cache's once-per-process warning afresh."""
    cache._warned.clear()
    yield
    cache._warned.clear()


# -- names that are not UTF-8, long, or carry escapes --------------------------------------------


def test_name_not_utf8_parses_and_is_shown_escaped(tmp_path, capsys):
    """parse on 2023_\\xff\\xfe_预算.txt: exit 0, the filing read (审计业务 155 万元), the name shown
    with \\xff\\xfe."""
    path = copy(BUDGET, tmp_path, NOT_UTF8)
    code, out, err = run(capsys, "parse", path)
    assert (code, err) == (0, "")
    assert "2023_\\xff\\xfe_预算.txt" in out and "深圳市龙岗区审计局" in out
    lib = Library.load([path])
    assert lib.projects.filter(pl.col("name") == "审计业务")["budget_total"].to_list() == [155.0]


def test_name_not_utf8_checks(tmp_path, capsys):
    """check on it: the findings of the filing (exit 1, its rule errors), not a crash (2)."""
    path = copy(SELF_EVALUATION, tmp_path, NOT_UTF8)
    code, out, err = run(capsys, "check", path)
    assert code == 1 and err == "" and "V-SE-SUB" in out


def test_name_not_utf8_is_added_and_the_library_still_opens(tmp_path, capsys):
    """add accepts it (exit 0), keeps the original name in library.json, and the library (with
    it inside) loads on the next start."""
    path = copy(BUDGET, tmp_path, NOT_UTF8)
    code, out, err = run(capsys, "add", path)
    assert (code, err) == (0, "") and "已导入 1 个文件" in out
    assert_library_holds(BUDGET)
    assert shelf.original_names()[sha(BUDGET)] == "2023_\\xff\\xfe_预算.txt"
    lib = Library.load([library_dir()])
    assert (lib.documents["department"].to_list(), lib.errors) == (["深圳市龙岗区审计局"], [])


def test_name_not_utf8_loose_in_the_library_folder(tmp_path, capsys):
    """A file put into the library folder by hand under such a name: every start still works."""
    copy(BUDGET, library_dir(), NOT_UTF8)
    code, out, err = run(capsys, "parse", library_dir())
    assert (code, err) == (0, "") and "\\xff\\xfe" in out


def test_long_name_is_added_and_the_batch_goes_on(tmp_path, capsys):
    """A 238-byte name (legal) is added under a library name that fits 255 bytes; the next file
    of the batch is added too."""
    long = copy(BUDGET, tmp_path, "审" * 76 + "预算.txt")
    assert len(os.fsencode(long.name)) == 238
    other = copy(SELF_EVALUATION, tmp_path, "zz_自评.txt")
    code, _, err = run(capsys, "add", long, other, "--workers", "1")
    assert (code, err) == (0, "")
    assert_library_holds(BUDGET, SELF_EVALUATION)
    assert max(len(os.fsencode(p.name)) for p in library_dir().iterdir()) <= 255


def test_escape_sequences_in_a_bad_file_name_are_neutralised(tmp_path, capsys):
    """An unreadable file named with ESC[2J and an OSC 52 clipboard write: exit 1, one stderr
    line naming it with the escapes shown as \\x1b, nothing raw reaches the terminal."""
    bad = copy(BUDGET, tmp_path, "x\x1b[2J\x1b]52;c;ZXZpbA==\x07.txt")
    bad.write_text("", encoding="utf-8")
    code, out, err = run(capsys, "parse", bad, SELF_EVALUATION)
    lines = err.splitlines()
    assert code == 1 and len(lines) == 1
    assert "x\\x1b[2J\\x1b]52;c;ZXZpbA==\\x07.txt" in lines[0] and no_raw_controls(err)
    assert "深圳市龙岗区财政局" in out and no_raw_controls(out)


def test_escape_sequences_in_a_good_file_name_are_neutralised_in_check(tmp_path, capsys):
    """check prints each finding's source file: escapes in it are shown, not obeyed."""
    path = copy(SELF_EVALUATION, tmp_path, "a\x1b[31m\u202eb.txt")
    code, out, _ = run(capsys, "check", path)
    assert code == 1 and "a\\x1b[31m\\u202eb.txt" in out and no_raw_controls(out)


def test_bidi_isolates_in_a_cell_do_not_reach_search_output(tmp_path, capsys):
    """A paragraph with U+2066…U+2069 around 审计业务: search finds it and prints the controls
    as \\u2066 … \\u2069."""
    text = BUDGET.read_text(encoding="utf-8").replace("审计业务", "\u2066审计业务\u2069", 1)
    path = tmp_path / "budget.txt"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "search", "审计业务", path)
    assert code == 0 and "\\u2066【审计业务】\\u2069" in out and no_raw_controls(out)
    code, out, _ = run(capsys, "search", "审计业务", path, "--json")
    assert "\\u2066" in out and no_raw_controls(out)


def test_unreadable_folder_is_reported(tmp_path, monkeypatch, capsys):
    """A sub-folder that cannot be listed: one line naming it, exit 1, the rest still read."""
    (tmp_path / "locked").mkdir()
    copy(BUDGET, tmp_path, "ok.txt")
    real_walk = os.walk

    def walk(top, onerror=None, **kw):  # root ignores modes: inject the listing's failure
        for root, dirs, files in real_walk(top, onerror=onerror, **kw):
            if os.path.basename(root) == "locked":
                onerror(PermissionError(errno.EACCES, "Permission denied", root))
                continue
            yield root, dirs, files

    monkeypatch.setattr("parsing.library.os.walk", walk)
    code, out, err = run(capsys, "parse", tmp_path)
    assert code == 1 and err.splitlines() == [f"yusuan: {tmp_path / 'locked'}: 无法读取文件夹：Permission denied"]
    assert "深圳市龙岗区审计局" in out


# -- the cache is a speed-up, never a stop --------------------------------------------------------


def test_read_only_cache_works_uncached_with_one_warning(capsys):
    """A read-only cache folder: parse of two filings exits 0, both read, one warning line."""
    with read_only(cache_dir()) as ok:
        if not ok:
            pytest.skip("cannot make a read-only folder here")
        code, out, err = run(capsys, "parse", BUDGET, SELF_EVALUATION)
    assert code == 0 and "深圳市龙岗区审计局" in out and "深圳市龙岗区财政局" in out
    assert len(err.splitlines()) == 1 and "警告：缓存目录" in err


def test_a_file_where_the_cache_folder_should_be(capsys):
    """YUSUAN_CACHE_DIR names a file: exit 0, the filing read, one warning."""
    cache_dir().parent.mkdir(parents=True, exist_ok=True)
    cache_dir().write_text("not a folder")
    code, out, err = run(capsys, "parse", BUDGET)
    assert code == 0 and "深圳市龙岗区审计局" in out and len(err.splitlines()) == 1


def test_full_disk_for_the_cache(monkeypatch, capsys):
    """Every Parquet write fails with ENOSPC: exit 0, both filings read, one warning naming why."""

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pl.DataFrame, "write_parquet", full)
    code, out, err = run(capsys, "parse", BUDGET, SELF_EVALUATION)
    assert code == 0 and "深圳市龙岗区审计局" in out and "深圳市龙岗区财政局" in out
    assert len(err.splitlines()) == 1 and "No space left on device" in err


@pytest.mark.parametrize("damage", ["[1, 2, 3]", '{"x": 5}', "\x00garbage", '"a string"'])
def test_damaged_manifest_is_rebuilt(damage, capsys):
    """manifest.json of the wrong JSON type or not JSON: exit 0, no warning, rewritten as a map."""
    run(capsys, "parse", BUDGET)
    (cache_dir() / "manifest.json").write_text(damage)
    code, out, err = run(capsys, "parse", BUDGET, SELF_EVALUATION)
    assert (code, err) == (0, "") and "深圳市龙岗区审计局" in out
    assert isinstance(json.loads((cache_dir() / "manifest.json").read_text()), dict)


@pytest.mark.parametrize("damage", ['{"a": 1}', "[[1, 2]]", "garbage", '[["only one"]]'])
def test_damaged_snapshot_errors_are_ignored(damage, tmp_path, capsys):
    """A snapshot's errors.json of the wrong shape: the snapshot is not trusted, the filings are
    read again and the bad file still reported (exit 1, one line naming it)."""
    bad = tmp_path / "bad.txt"
    bad.write_text("会议纪要\n", encoding="utf-8")
    run(capsys, "parse", BUDGET, bad)
    for snap in (cache_dir() / "snapshots").iterdir():
        (snap / "errors.json").write_text(damage)
    code, out, err = run(capsys, "parse", BUDGET, bad)
    assert code == 1 and err.splitlines() == [
        f"yusuan: {bad}: 不是预算公开文件：未找到 部门预算/单位预算/部门决算/绩效自评表 标题"
    ]
    assert "深圳市龙岗区审计局" in out


def test_snapshots_are_pruned(tmp_path):
    """Opening twelve different sets of files leaves at most KEEP_SNAPSHOTS snapshots."""
    for n in range(12):
        Library.load([copy(BUDGET, tmp_path / str(n), "b.txt")])
    assert len(list((cache_dir() / "snapshots").iterdir())) == cache.KEEP_SNAPSHOTS


def test_read_only_library_refuses_each_file_in_one_line(tmp_path, capsys):
    """add into a read-only library: exit 1, one line per file naming it, the sources intact,
    what was in the library still there."""
    run(capsys, "add", SELF_EVALUATION)
    with read_only(data_dir()) as ok:
        if not ok:
            pytest.skip("cannot make a read-only folder here")
        code, _, err = run(capsys, "add", BUDGET)
    assert code == 1 and len(err.splitlines()) == 1 and str(BUDGET) in err and "无法存入资料库" in err
    assert_library_holds(SELF_EVALUATION)


def test_damaged_library_copy_is_repaired(capsys):
    """A library copy damaged on disk is replaced by a verified copy when the original is added
    again."""
    run(capsys, "add", BUDGET)
    (damaged,) = library_dir().iterdir()
    damaged.write_bytes(damaged.read_bytes()[:100])
    code, _, err = run(capsys, "add", BUDGET)
    assert (code, err) == (0, "")
    assert_library_holds(BUDGET)


# -- export writes regular files only --------------------------------------------------------------

EXPORT = ("export", "--dept", "审计局", "--year", "2023", "--table", "功能分类")


def test_export_refuses_a_device(capsys):
    """--force onto /dev/null: exit 1, one line naming it; it stays a character device."""
    code, _, err = run(capsys, *EXPORT, "-o", "/dev/null", "--force", BUDGET)
    assert code == 1 and err.splitlines() == ["yusuan: /dev/null：不是普通文件（设备、管道或套接字），不会写入"]
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_export_refuses_a_fifo_and_a_folder(tmp_path, capsys):
    """--force onto a FIFO or a folder: exit 1, one line naming it, left as it was."""
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    code, _, err = run(capsys, *EXPORT, "-o", fifo, "--force", BUDGET)
    assert code == 1 and err.splitlines() == [f"yusuan: {fifo}：不是普通文件（设备、管道或套接字），不会写入"]
    code, _, err = run(capsys, *EXPORT, "-o", tmp_path, "--force", BUDGET)
    assert code == 1 and err.splitlines() == [f"yusuan: {tmp_path}：是一个文件夹，不是文件"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and sorted(os.listdir(tmp_path)) == ["pipe.csv"]


def test_export_with_an_unknown_encoding(tmp_path, capsys):
    """--encoding nonsense: exit 1, one line naming the target and the encoding, no file."""
    code, _, err = run(capsys, *EXPORT, "-o", tmp_path / "t.csv", "--encoding", "nonsense", BUDGET)
    assert code == 1 and len(err.splitlines()) == 1 and "t.csv：未知的编码 'nonsense'" in err
    assert list(tmp_path.iterdir()) == []


def test_export_parquet_to_a_full_disk(tmp_path, monkeypatch, capsys):
    """Parquet to a full disk: exit 1, one line naming the target (never a temporary), no file."""
    monkeypatch.setattr(
        pl.DataFrame,
        "write_parquet",
        lambda *a, **k: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left on device")),
    )
    code, _, err = run(capsys, *EXPORT, "-o", tmp_path / "t.parquet", BUDGET)
    assert (
        code == 1 and err.splitlines()[-1] == f"yusuan: {tmp_path / 't.parquet'}：无法写入（No space left on device）"
    )
    assert ".tmp" not in err and list(tmp_path.iterdir()) == []


def test_export_into_a_missing_folder(tmp_path, capsys):
    """-o into a folder that does not exist: exit 1, one line naming the target."""
    code, _, err = run(capsys, *EXPORT, "-o", tmp_path / "no" / "t.csv", BUDGET)
    assert code == 1 and err.splitlines() == [f"yusuan: {tmp_path / 'no' / 't.csv'}：所在文件夹不存在"]


# -- limits and the text route --------------------------------------------------------------------


def test_a_parse_that_runs_too_long_is_one_line(monkeypatch, tmp_path):
    """A file whose parse does not end: after the timeout, one reason naming the limit."""
    monkeypatch.setattr("parsing.store.worker.read_filing", lambda *a: time.sleep(30))
    start = time.monotonic()
    _path, digest, reason = parse_into_cache(_uncached(tmp_path), Limits(seconds=0.5))
    assert time.monotonic() - start < 5
    assert (digest, reason) == (None, "解析超过 0.5 秒，已放弃（可用 YUSUAN_PARSE_TIMEOUT 调整）")


def test_a_parse_that_runs_out_of_memory_is_one_line(monkeypatch, tmp_path):
    """A file whose parse exhausts the memory ceiling: one reason naming the limit."""

    def bomb(*a):
        raise MemoryError

    monkeypatch.setattr("parsing.store.worker.read_filing", bomb)
    assert parse_into_cache(_uncached(tmp_path), Limits(memory_mb=512))[2] == (
        "文件过大：解析所需内存超过 512 MB（可用 YUSUAN_PARSE_MEMORY_MB 调整）"
    )


def _uncached(folder):
    """A filing whose content is in no cache (the seeds ship theirs)."""
    path = folder / "budget.txt"
    path.write_text(BUDGET.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    return path


def test_line_separators_in_a_cell_lose_no_rows(tmp_path):
    """A U+2028…U+2029 pair inside a 自评表 cell: all 22 projects and 154 indicators still read,
    the cell's text joined by spaces."""
    lines = SELF_EVALUATION.read_text(encoding="utf-8").split("\n")
    row = next(i for i, line in enumerate(lines) if "\t其他一般管理事务\t" in line)
    lines[row] = lines[row].replace("其他一般管理事务", "其他一般\u2028管理事务\u2029", 1)
    path = tmp_path / "self.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    lib = Library.load([path])
    assert lib.projects.filter(pl.col("row_kind") == "project").height == 22
    assert lib.indicators.height == 154
    assert lib.notes.filter(pl.col("kind") != "footnote").height == 0
