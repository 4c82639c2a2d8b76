"""Text snapshots of the main views (the tiny library, so parser changes do not move them).

A snapshot is the screen as plain lines. Set YUSUAN_UPDATE_SNAPSHOTS=1 to rewrite them after a
deliberate change to the layout, then read the diff before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.tui.conftest import screen_text
from tui.app import YusuanApp
from tui.screens.main import MainScreen

SNAPSHOTS = Path(__file__).parent / "snapshots"

VIEWS = {
    "card_80x24": ((80, 24), ["j", "enter"]),
    "project_80x24": ((80, 24), ["j", "enter", "enter", "enter"]),
    "table_80x24": ((80, 24), ["enter", "enter", "enter", "enter", "enter", "j"]),
    "markup_project_100x30": ((100, 30), ["j", "enter", "enter", "enter", "j"]),
    "narrative_100x30": ((100, 30), ["enter", "enter", "j", "enter"]),
    "help_80x24": ((80, 24), ["f1"]),
}


@pytest.mark.parametrize("name", VIEWS)
async def test_view_matches_snapshot(name, tiny_library):
    """Each main view renders as recorded."""
    size, keys = VIEWS[name]
    app = YusuanApp(tiny_library)
    async with app.run_test(size=size) as pilot:
        await pilot.press(*keys)
        await app.workers.wait_for_complete()  # a department's checks run when it is opened
        main = next(screen for screen in app.screen_stack if isinstance(screen, MainScreen))
        checks = main.check_states
        for _ in range(100):  # their findings reach the tree from the worker's thread, a loop later
            await pilot.pause()
            if "running" not in checks.values():
                break
        await pilot.pause()
        text = "\n".join(line.rstrip() for line in screen_text(app).splitlines()) + "\n"
    path = SNAPSHOTS / f"{name}.txt"
    if os.environ.get("YUSUAN_UPDATE_SNAPSHOTS"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot {path.name}: run with YUSUAN_UPDATE_SNAPSHOTS=1 to record it, then read it"
    assert text == path.read_text(encoding="utf-8")
