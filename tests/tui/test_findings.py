"""The 核查 node of a filing lists its findings; Enter shows where one is."""

from __future__ import annotations

from tests.tui.conftest import screen_text, walk
from tui.app import YusuanApp
from tui.widgets.filing_tree import FilingTree
from tui.widgets.findings_pane import FindingsPane
from tui.widgets.narrative_pane import NarrativePane


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


async def test_a_real_filings_findings_open_their_row_and_their_part(real_dir):
    """2024 普陀区财政局 决算 (genuine): Enter on the ≈ finding '301 工资福利支出' opens table #6 at
    that 科目's row and Backspace returns to it in the list; Enter on the ✗ '财政拨款收入支出总计
    0.3 万元' opens 第三部分 (the 决算情况说明 it is printed in) at that sentence's paragraph,
    highlighted and scrolled into view."""
    from parsing.library import Library

    app = YusuanApp(Library.load([real_dir / "2024_普陀区财政局_部门决算.pdf"]))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await walk(pilot, "普陀区财政局", "2024 部门决算")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await walk(pilot, "核查")
        pane = app.screen.query_one(FindingsPane)
        at = next(i for i, r in enumerate(pane.rows) if r["rule"] == "V-HIER" and " 301 工资福利支出" in r["rows"])
        await pilot.press("tab")
        pane.query_one("#findings-table").move_cursor(row=at)
        await pilot.press("enter")
        await pilot.pause()
        node = app.screen.query_one(FilingTree).cursor_node
        assert node is not None and node.data.kind == "line" and node.data.table_no == "#6"
        assert "301" in node.label.plain and "工资福利支出" in node.label.plain
        await pilot.press("backspace")
        await pilot.pause()
        await pilot.pause()
        assert app.screen.current.kind == "findings"
        assert pane.query_one("#findings-table").cursor_row == at
        error = next(i for i, r in enumerate(pane.rows) if r["rule"] == "T-AMOUNT" and r["severity"] == "error")
        pane.query_one("#findings-table").move_cursor(row=error)
        await pilot.press("enter")
        await pilot.pause()
        node = app.screen.query_one(FilingTree).cursor_node
        assert node is not None and node.data.kind == "part" and node.data.part_no == 3
        await pilot.pause()
        narrative = app.screen.query_one(NarrativePane)
        found = [text for widget, text in narrative.paragraphs if widget.has_class("found")]
        assert found == [next(t for _, t in narrative.paragraphs if "财政拨款收入支出总计0.3万元" in t)]
        assert narrative.scroll_y > 0  # scrolled down to it: the part opens with 一、收入支出决算总体情况
