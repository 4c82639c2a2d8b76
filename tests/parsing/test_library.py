"""Loading, caching and bad input."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from parsing.library import Library
from parsing.store import cache
from tests.conftest import ROOT, SEEDS


def test_second_load_parses_nothing(monkeypatch):
    """A cached filing is read back from Parquet, never parsed again."""
    first = Library.load([SEEDS])
    monkeypatch.setattr("parsing.store.worker.read_filing", lambda *a: pytest.fail("parsed again"))
    second = Library.load([SEEDS])
    assert second.projects.equals(first.projects)


def test_corrupted_cache_entry_is_rebuilt(tmp_path):
    """A damaged Parquet file is dropped and the filing parsed again, without complaint."""
    filing = tmp_path / "budget.txt"
    filing.write_text((SEEDS / "001_49341d35398c12a1.txt").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    lib = Library.load([filing])
    sha = lib.documents["sha256"][0]
    (cache.entry(sha) / "budget_lines.parquet").write_bytes(b"garbage")
    shutil.rmtree(cache.cache_dir() / "snapshots")
    again = Library.load([filing])
    assert again.budget_lines.height == lib.budget_lines.height and not again.errors


def test_same_content_twice_loads_once(tmp_path):
    """Two copies of one filing are one document."""
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_bytes((SEEDS / "000_533ecde84f1547da.txt").read_bytes())
    assert Library.load([tmp_path]).documents.height == 1


def test_bad_files_are_reported_and_the_rest_loads(tmp_path):
    """An empty file and a non-filing each get one error naming the file; good files still load."""
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "shopping.txt").write_text("苹果\t3\n梨\t4\n", encoding="utf-8")
    (tmp_path / "good.txt").write_bytes((SEEDS / "000_533ecde84f1547da.txt").read_bytes())
    lib = Library.load([tmp_path])
    assert lib.documents.height == 1
    messages = sorted(str(e) for e in lib.errors)
    assert messages[0].endswith("empty.txt: 空文件")
    assert "shopping.txt: 不是预算公开文件" in messages[1]


def test_parsing_imports_no_ui():
    """Importing the data layer loads neither textual nor rich (nor pdfplumber)."""
    code = (
        "import sys, parsing.library, parsing.readers.filing, parsing.queries.summary; "
        "print(sorted(m for m in ('textual', 'rich', 'tui', 'pdfplumber') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_same_filing_from_two_sources_is_shown_once(tmp_path):
    """A filing read from two different files (kind, department, year alike) is one document
    listing both sources."""
    text = (SEEDS / "000_533ecde84f1547da.txt").read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(text + "\n", encoding="utf-8")
    lib = Library.load([tmp_path])
    assert lib.documents.height == 1
    assert [p.split("/")[-1] for p in lib.documents["sources"][0]] == ["a.txt", "b.txt"]
    assert lib.projects["doc_id"].unique().to_list() == lib.documents["doc_id"].to_list()


def test_damaged_snapshot_is_rebuilt():
    """The whole-library snapshot, damaged, is rebuilt from the per-filing cache silently."""
    first = Library.load([SEEDS])
    for snap in (cache.cache_dir() / "snapshots").iterdir():
        (snap / "projects.parquet").write_bytes(b"garbage")
    again = Library.load([SEEDS])
    assert again.projects.equals(first.projects) and not again.errors


def test_failures_are_remembered_with_the_snapshot(tmp_path):
    """A bad file is reported on every load, also when the library comes from its snapshot."""
    (tmp_path / "empty.pdf").write_bytes(b"")
    (tmp_path / "good.txt").write_bytes((SEEDS / "000_533ecde84f1547da.txt").read_bytes())
    first = [str(e) for e in Library.load([tmp_path]).errors]
    second = [str(e) for e in Library.load([tmp_path]).errors]
    assert first == second == [f"{tmp_path / 'empty.pdf'}: 空文件"]


def test_the_browser_imports_no_reader_and_no_polars():
    """What a start imports before its tree is drawn (the command line, the app and its main
    screen) loads no reader, no route and not Polars: a warm start draws the snapshot's department
    names first, and importing Polars alone is a third of it."""
    code = (
        "import sys, tui.cli, tui.app, tui.screens.main; "
        "print(sorted(m for m in sys.modules if m.startswith(('parsing.readers', 'parsing.routes', 'polars'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"
