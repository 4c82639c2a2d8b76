"""Fault injection in the app: a library whose files have hostile names still opens."""

from __future__ import annotations

from parsing.paths import library_dir
from tests.faults import BUDGET, SELF_EVALUATION, copy
from tests.tui.conftest import screen_text
from tui.app import YusuanApp
from tui.widgets.filing_tree import FilingTree
from tui.widgets.status_line import StatusLine


async def test_library_with_a_name_not_utf8_and_escapes_opens():
    """The library folder holds 2023_\\xff\\xfe_预算.txt and a bad file named with ESC[2J: the app
    starts, shows the department, and names the bad file without the escape reaching the screen."""
    copy(BUDGET, library_dir(), b"2023_\xff\xfe_\xe9\xa2\x84\xe7\xae\x97.txt")
    copy(SELF_EVALUATION, library_dir(), "x\x1b[2J.txt").write_text("", encoding="utf-8")
    app = YusuanApp(paths=[library_dir()])
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        tree = app.screen.query_one(FilingTree)
        assert [n.label.plain for n in tree.root.children] == ["深圳市龙岗区审计局"]
        assert app.screen.query_one(StatusLine).display
        text = screen_text(app)
        assert "x[2J.txt" in text and "\x1b" not in text
