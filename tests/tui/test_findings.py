"""The 核查 node of a filing lists its findings; Enter shows where one is."""

from __future__ import annotations

from tests.tui.conftest import screen_text, walk
from tui.app import YusuanApp
from tui.widgets.filing_tree import FilingTree
from tui.widgets.findings_pane import FindingsPane


async def test_findings_of_the_self_evaluation(seed_library):
    """2021 自评表 → 核查 ✗2: 评审中心小计 rows missing is listed first; Enter goes to the project."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await walk(pilot, "深圳市龙岗区财政局", "2021 绩效自评表")
        await app.workers.wait_for_complete()  # the department is checked when first opened
        await pilot.pause()
        await pilot.press("enter")
        await walk(pilot, "核查")
        text = screen_text(app)
        assert "核查 ✗2" in text and "评审中心小计" in text and "≈" in text
        pane = app.screen.query_one(FindingsPane)
        assert pane.rows[0]["rule"] == "V-SE-SUB" and pane.rows[0]["severity"] == "error"
        rate = next(i for i, r in enumerate(pane.rows) if r["rule"] == "V-SE-RATE" and "办公楼修缮" in r["message"])
        await pilot.press("tab")
        pane.query_one("#findings-table").move_cursor(row=rate)
        await pilot.press("enter")
        await pilot.pause()
        node = app.screen.query_one(FilingTree).cursor_node
        assert node is not None and "办公楼修缮" in node.label.plain
