"""A start shows the library its paths were last loaded as, then checks the files behind it."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl

from parsing.library import Library
from parsing.queries.lookup import document_id
from parsing.store import cache
from tests.conftest import SEEDS

SELF_EVAL = SEEDS / "000_533ecde84f1547da.txt"  # 深圳市龙岗区财政局 2021 绩效自评表
BUDGET = SEEDS / "001_49341d35398c12a1.txt"  # 深圳市龙岗区审计局 2023 部门预算
FINANCE = "深圳市龙岗区财政局"


def _folder(tmp_path: Path, *files: Path) -> Path:
    folder = tmp_path / "filings"
    folder.mkdir(exist_ok=True)
    for f in files:
        shutil.copy(f, folder / f.name)
    return folder


def _repair_budget(lib: Library) -> float:
    """办公楼修缮's 预算合计 in the 2021 财政局 self-evaluation, read for that filing only."""
    projects = lib.frame("projects", document_id(lib, FINANCE, 2021, "绩效自评表"))
    return projects.filter(pl.col("name") == "办公楼修缮")["budget_total"].item()


def test_nothing_recalled_before_a_first_load(tmp_path):
    """Paths never loaded have no recent library: the start is the ordinary load."""
    assert Library.recent([_folder(tmp_path, SELF_EVAL)]) is None


def test_the_recent_library_is_read_without_listing_a_file(tmp_path, monkeypatch):
    """After one load, the same paths give the same filings without a file listed or hashed, and
    without the projects read (办公楼修缮 37.18 万元 is then read for its filing alone)."""
    folder = _folder(tmp_path, SELF_EVAL, BUDGET)
    loaded = Library.load([folder])

    def no_listing(*_: object) -> None:
        raise AssertionError("a recent start listed the files")

    monkeypatch.setattr("parsing.library.discover", no_listing)
    shown = Library.recent([folder])
    assert shown is not None and shown.folder == loaded.folder
    assert shown.documents.sort("doc_id").equals(loaded.documents.sort("doc_id"))
    assert "projects" not in shown._held
    assert _repair_budget(shown) == 37.18
    assert "projects" not in shown._held
    assert shown.projects.sort("project_id").equals(loaded.projects.sort("project_id"))


def test_unchanged_files_give_back_the_shown_library(tmp_path):
    """Checking unchanged files returns the shown library's frames as they are (nothing re-read)."""
    folder = _folder(tmp_path, SELF_EVAL, BUDGET)
    Library.load([folder])
    shown = Library.recent([folder])
    assert shown is not None
    checked = Library.load([folder], shown=shown)
    assert checked.folder == shown.folder and checked.documents is shown.documents
    assert checked.errors == []


def test_a_file_added_since_is_found_by_the_check(tmp_path):
    """A filing added after the last load is not in the recent library; the check reads it."""
    folder = _folder(tmp_path, SELF_EVAL)
    Library.load([folder])
    _folder(tmp_path, BUDGET)
    shown = Library.recent([folder])
    assert shown is not None and shown.documents.height == 1
    checked = Library.load([folder], shown=shown)
    assert checked.folder != shown.folder
    assert sorted(checked.documents["year"].to_list()) == [2021, 2023]
    assert Library.recent([folder]).folder == checked.folder  # type: ignore[union-attr]


def test_a_file_gone_since_is_an_error_after_the_check(tmp_path):
    """A file given by name and deleted since: the check names it, as a load would."""
    folder = _folder(tmp_path, SELF_EVAL, BUDGET)
    files = sorted(folder.iterdir())
    Library.load(files)
    files[1].unlink()
    shown = Library.recent(files)
    assert shown is not None and shown.documents.height == 2
    checked = Library.load(files, shown=shown)
    assert checked.documents.height == 1
    assert [e.path.name for e in checked.errors] == [files[1].name]


def test_a_damaged_snapshot_means_the_ordinary_load(tmp_path):
    """The recent library's snapshot damaged: no recent library, and the load reads the filings."""
    folder = _folder(tmp_path, SELF_EVAL, BUDGET)
    lib = Library.load([folder])
    assert lib.folder is not None
    (lib.folder / "documents.parquet").write_bytes(b"not parquet")
    assert Library.recent([folder]) is None
    assert _repair_budget(Library.load([folder])) == 37.18


def test_projects_of_a_snapshot_damaged_after_the_start_are_read_from_each_filing(tmp_path):
    """The projects file of the snapshot damaged between the start and the first whole read:
    the projects come from each filing's cache, the same rows."""
    folder = _folder(tmp_path, SELF_EVAL, BUDGET)
    loaded = Library.load([folder])
    shown = Library.recent([folder])
    assert shown is not None and shown.folder is not None
    (shown.folder / "projects.parquet").write_bytes(b"not parquet")
    assert shown.projects.sort("project_id").equals(loaded.projects.sort("project_id"))
    assert cache.read_frames(shown.folder, ("documents",)) is not None


def test_after_yusuan_add_the_first_start_is_a_recent_one(tmp_path):
    """`yusuan add` leaves the library ready: a plain `yusuan` afterwards (the seeds and the user's
    library) shows it at once, the added 审计局 2023 budget among its filings."""
    from tui.cli import main

    assert Library.recent() is None
    assert main(["add", str(_folder(tmp_path, BUDGET))]) == 0
    shown = Library.recent()
    assert shown is not None
    assert (shown.documents["department"] == "深圳市龙岗区审计局").any()
    assert Library.load(shown=shown).folder == shown.folder


def test_the_department_names_are_kept_beside_the_snapshot(tmp_path):
    """After a load the paths' department names are read back without Polars frames, sorted as the
    tree lists them; a snapshot that lost them gets them again from its frames at the next start."""
    from parsing.store import recent, snapshot

    folder = _folder(tmp_path, SELF_EVAL, BUDGET)
    lib = Library.load([folder])
    assert lib.folder is not None
    assert recent.departments([folder]) == ["深圳市龙岗区审计局", FINANCE]
    (lib.folder / snapshot.DEPARTMENTS).write_text("{damaged", encoding="utf-8")
    assert recent.departments([folder]) is None
    assert Library.recent([folder]) is not None
    assert recent.departments([folder]) == ["深圳市龙岗区审计局", FINANCE]
    assert recent.departments([tmp_path / "never-opened"]) is None
