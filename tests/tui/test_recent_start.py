"""A start on paths opened before shows that library at once and says when its files changed."""

from __future__ import annotations

import shutil
from pathlib import Path

from parsing.library import Library
from tests.conftest import SEEDS
from tests.tui.conftest import screen_text
from tui.app import YusuanApp
from tui.screens.loading import CHANGED, CHECKING
from tui.widgets.filing_tree import FilingTree

SELF_EVAL = SEEDS / "000_533ecde84f1547da.txt"  # 深圳市龙岗区财政局 2021 绩效自评表
BUDGET = SEEDS / "001_49341d35398c12a1.txt"  # 深圳市龙岗区审计局 2023 部门预算


def _departments(app: YusuanApp) -> list[str]:
    return [n.label.plain for n in app.screen.query_one(FilingTree).root.children]


async def test_a_filing_added_since_the_last_start_replaces_the_tree_with_a_notice(tmp_path: Path):
    """Opened before with the 财政局 self-evaluation only; the 审计局 budget added since: the
    check finds it, the tree lists both departments and a notice says the files changed."""
    shutil.copy(SELF_EVAL, tmp_path / SELF_EVAL.name)
    Library.load([tmp_path])
    shutil.copy(BUDGET, tmp_path / BUDGET.name)
    app = YusuanApp(paths=[tmp_path])
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _departments(app) == ["深圳市龙岗区审计局", "深圳市龙岗区财政局"]
        assert CHANGED in [n.message for n in app._notifications]
        assert CHECKING not in screen_text(app)


async def test_unchanged_files_leave_the_tree_and_clear_the_note(tmp_path: Path):
    """Nothing changed since the last start: the same tree, no notice, the checking note gone."""
    shutil.copy(SELF_EVAL, tmp_path / SELF_EVAL.name)
    Library.load([tmp_path])
    app = YusuanApp(paths=[tmp_path])
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _departments(app) == ["深圳市龙岗区财政局"]
        assert not [n for n in app._notifications]
        assert CHECKING not in screen_text(app)


async def test_the_checking_note_stays_beside_errors(seed_library, tmp_path: Path):
    """While the files are checked, a shown library with a file that could not be read says both."""
    from parsing.errors import FilingError
    from tui.screens.loading import say_errors
    from tui.widgets.status_line import StatusLine

    app = YusuanApp(seed_library)
    async with app.run_test(size=(120, 30)) as pilot:
        say_errors(app.screen, [FilingError(tmp_path / "broken.pdf", "不是 PDF")], CHECKING, notify=False)  # type: ignore[arg-type]
        await pilot.pause()
        line = str(app.screen.query_one(StatusLine).render())
        assert CHECKING in line and "broken.pdf" in line


async def test_departments_drawn_before_the_library_are_kept_and_open_when_it_comes(seed_library):
    """The names drawn alone, a department opened meanwhile shows nothing yet; when the library
    arrives the tree is kept, cursor and all, and that department gets its filings and checks."""
    from tui.screens.main import MainScreen

    names = seed_library.department_names()
    app = YusuanApp(paths=[Path("/nonexistent-yusuan-test")])
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.library = None
        screen.show_departments(names)
        await pilot.pause()
        tree = screen.query_one(FilingTree)
        audit = next(n for n in tree.root.children if n.data is not None and n.data.department == "深圳市龙岗区审计局")
        tree.move_cursor(audit)
        audit.expand()
        await pilot.pause()
        assert len(audit.children) == 0 and screen.library is None
        screen.populate(seed_library)
        await pilot.pause()
        assert tree.cursor_node is audit and audit.is_expanded
        assert [c.label.plain[:9] for c in audit.children][:1] == ["2023 部门预算"]
        assert screen.check_states.get("深圳市龙岗区审计局") in ("running", "done")
