"""`yusuan add`: importing filings into the user's library."""

from __future__ import annotations

from parsing.library import Library
from parsing.paths import library_dir
from parsing.store.ingest import add
from tests.conftest import SEEDS

SELF_EVALUATION = SEEDS / "000_533ecde84f1547da.txt"
BUDGET = SEEDS / "001_49341d35398c12a1.txt"


def test_added_filings_join_the_default_library():
    """After add, Library.load() with no paths shows the added filing."""
    stored, errors = add([SELF_EVALUATION], workers=1)
    assert not errors and stored[0].parent == library_dir()
    lib = Library.load([library_dir()])
    assert lib.documents["kind"].to_list() == ["绩效自评表"]


def test_same_content_added_twice_is_stored_once(tmp_path):
    """A second copy of the same content under another name adds no file."""
    twin = tmp_path / "copy.txt"
    twin.write_bytes(SELF_EVALUATION.read_bytes())
    add([SELF_EVALUATION], workers=1)
    add([twin], workers=1)
    assert len([p for p in library_dir().iterdir() if not p.name.startswith(".")]) == 1


def test_workers_parse_a_batch_and_report_bad_files(tmp_path):
    """Two worker processes: good files are stored, a bad one is reported by name, none lost."""
    bad = tmp_path / "notes.txt"
    bad.write_text("会议纪要\n", encoding="utf-8")
    stored, errors = add([SELF_EVALUATION, BUDGET, bad], workers=2)
    assert len(stored) == 2
    assert [str(e) for e in errors] == [f"{bad}: 不是预算公开文件：未找到 部门预算/单位预算/部门决算/绩效自评表 标题"]
