"""`/` search in the app on the seeds: hits as you type, Enter jumps, n steps to the next."""

from __future__ import annotations

from tests.tui.conftest import screen_text
from tui.app import YusuanApp
from tui.screens.search import SearchDialog
from tui.widgets.filing_tree import FilingTree


async def _search(pilot, query: str) -> SearchDialog:
    await pilot.press("slash")
    await pilot.app.workers.wait_for_complete()  # the index is built on first use
    await pilot.pause()
    for ch in query:
        await pilot.press(ch)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(pilot.app.screen, SearchDialog)
    return pilot.app.screen


async def test_pinyin_initials_find_audit_business_and_enter_jumps(seed_library):
    """sjyw lists 审计业务 first; Enter puts the tree cursor on it with its 155."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(100, 40)) as pilot:
        dialog = await _search(pilot, "sjyw")
        assert dialog.hits and dialog.hits[0]["text"].startswith("审计业务")
        assert "审计业务" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        node = app.screen.query_one(FilingTree).cursor_node
        assert node is not None and "审计业务" in node.label.plain


async def test_code_search_lands_on_the_table_row_and_n_steps_on(seed_library):
    """2010804 jumps to a 2010804 row in a table; n moves to the next hit."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(100, 40)) as pilot:
        await _search(pilot, "2010804")
        await pilot.press("enter")
        await pilot.pause()
        tree = app.screen.query_one(FilingTree)
        first = tree.cursor_node
        assert first is not None and "2010804" in first.label.plain
        await pilot.press("n")
        await pilot.pause()
        assert tree.cursor_node is not first and "2010804" in tree.cursor_node.label.plain


async def test_the_box_opens_at_once_and_what_is_typed_while_the_index_builds_is_searched(seed_library):
    """/ opens the box before the index is ready; sjyw typed meanwhile lists 审计业务 when it is."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("slash")
        assert isinstance(app.screen, SearchDialog)
        for ch in "sjyw":
            await pilot.press(ch)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SearchDialog)
        assert dialog.query_one("Input").value == "sjyw"
        assert dialog.hits and dialog.hits[0]["text"].startswith("审计业务")


async def test_a_hit_on_a_row_without_a_code_opens_its_table_at_that_row(real_dir):
    """/2961.68 in 2024 普陀区财政局 决算: Enter shows the 财政拨款收支总表 with the cursor on the
    row printing 2,961.68 万元 (a 总计 row has no tree node of its own)."""
    from parsing.library import Library
    from tui.widgets.table_pane import TablePane

    app = YusuanApp(Library.load([real_dir / "2024_普陀区财政局_部门决算.pdf"]))
    async with app.run_test(size=(100, 40)) as pilot:
        dialog = await _search(pilot, "=2961.68")
        assert dialog.hits and dialog.hits[0].get("amount") == 2961.68
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        line = app.screen.query_one(TablePane).cursor_line()
        assert line is not None and line["amount"] == 2961.68
