"""The rest of issue 12 on screen: the card, 未达成指标, search, palette, F1, footers, findings."""

from __future__ import annotations

from tests.tui.conftest import screen_text, walk
from tui.app import YusuanApp
from tui.commands import initials
from tui.screens.compare import CompareScreen
from tui.screens.help import HelpDialog
from tui.screens.search import SearchDialog
from tui.widgets.filing_tree import FilingTree
from tui.widgets.findings_pane import FindingsPane


async def test_card_has_last_years_totals_and_change(seed_library):
    """审计局 2023 card: 支出总计 3,451 beside last year's 3,807 and -9.35%, marked as read from the
    示例 (synthetic) 2022 filing."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await walk(pilot, "深圳市龙岗区审计局", "2023 部门预算")
        lines = screen_text(app).splitlines()
        at = next(n for n, line in enumerate(lines) if "支出总计" in line)
        row = lines[at] + lines[at + 1]  # at 80 columns the Δ% wraps under the note
        assert "3,451" in row and "上年（示例） 3,807" in row and "-9.35%" in row


async def test_card_marks_a_synthetic_filing(seed_library):
    """The 2022 审计局 budget is 示例: its card says so beside the title."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await walk(pilot, "深圳市龙岗区审计局", "2022 部门预算")
        assert "示例" in screen_text(app).splitlines()[1]


async def test_card_counts_errors_and_names_the_largest(seed_library):
    """Once checked, the 2021 自评表 card shows ✗ 错误 2 处 and the largest one's rule."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(100, 40)) as pilot:
        await walk(pilot, "深圳市龙岗区财政局", "2021 绩效自评表")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        text = screen_text(app)
        assert "✗ 错误" in text and "2 处" in text and "最大一处" in text and "V-SE-" in text


async def test_self_evaluation_card_says_when_a_unit_disagrees_with_its_subtotal(seed_library):
    """The 2021 自评表's 财政投资评审中心 projects do not add up to its printed 小计: the card says so."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(100, 40)) as pilot:
        await walk(pilot, "深圳市龙岗区财政局", "2021 绩效自评表")
        text = screen_text(app)
        assert "与印数不符" in text and "印的小计" in text


async def test_missed_indicators_are_listed_per_filing_and_department(tiny_library):
    """测试区财政局: 未达成指标 1 under the filing and over its years lists 年度修缮次数 (4次)."""
    app = YusuanApp(tiny_library)
    async with app.run_test(size=(100, 30)) as pilot:
        await walk(pilot, "测试区财政局", "2021 绩效自评表", "未达成指标 1")
        text = screen_text(app)
        assert "年度修缮次数" in text and "4次" in text and "办公楼修缮" in text
        await walk(pilot, "未达成指标 1")
        await pilot.press("h", "h")
        await walk(pilot, "未达成指标（各年）1")
        assert "年度修缮次数" in screen_text(app)


async def test_search_finds_a_misspelt_name_below_exact_hits(seed_library):
    """/ 审记业务 lists 审计业务 marked ≈近似."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash")
        await app.workers.wait_for_complete()
        await pilot.pause()
        for ch in "审记业务":
            await pilot.press(ch)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SearchDialog)
        assert "审计业务" in screen_text(app) and "≈近似" in screen_text(app)


def test_pinyin_initials_of_palette_commands():
    """比较年度（当前部门） spells bjnd… so the palette finds it by its initials."""
    assert initials("比较年度（当前部门）").startswith("bjnd")


async def test_palette_matches_pinyin_initials(seed_library):
    """Ctrl+P then dcdqb (导出当前表) offers 导出当前表（CSV）."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        for ch in "dcdqb":
            await pilot.press(ch)
        await pilot.pause(0.5)
        assert "导出当前表" in screen_text(app)


async def test_f1_lists_search_and_compare_keys(seed_library):
    """F1 in the browser lists the search box's keys and c's; on the compare screen, f 选表 and s."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        sections = [title for title, _ in app.screen.sections]
        assert "搜索（按 / 之后）" in sections and "比较（按 c 之后）" in sections
        await pilot.press("escape")
        await walk(pilot, "深圳市龙岗区审计局")
        await pilot.press("c", "f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpDialog)
        keys = dict(app.screen.sections[0][1])
        assert keys["f"] == "选表" and keys["s"] == "全部/差异" and keys["u"] == "万元/元"


async def test_no_footer_is_clipped_at_80_columns(seed_library):
    """The browser's and the compare screen's footers end with the palette key, whole, in Chinese."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(80, 24)) as pilot:
        assert screen_text(app).splitlines()[-1].rstrip().endswith("^p 命令")
        await walk(pilot, "深圳市龙岗区审计局")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        footer = screen_text(app).splitlines()[-1]
        assert footer.rstrip().endswith("^p 命令") and "f1 帮助" in footer


async def test_findings_enter_opens_the_row_and_backspace_returns(seed_library):
    """审计局 2023 核查: Enter on a table finding puts the cursor on that table; Backspace comes back
    to the same finding in the list."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await walk(pilot, "深圳市龙岗区审计局", "2023 部门预算")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await walk(pilot, "核查")
        pane = app.screen.query_one(FindingsPane)
        at = next(i for i, r in enumerate(pane.rows) if r["table"] and r["table"].startswith("表7"))
        await pilot.press("tab")
        pane.query_one("#findings-table").move_cursor(row=at)
        await pilot.press("enter")
        await pilot.pause()
        node = app.screen.query_one(FilingTree).cursor_node
        assert node is not None and node.data.table_no == "表7"
        await pilot.press("backspace")
        await pilot.pause()
        await pilot.pause()
        assert app.screen.current.kind == "findings"
        assert pane.query_one("#findings-table").cursor_row == at


async def test_long_finding_messages_wrap(seed_library):
    """At 80 columns a finding's whole message is on screen, wrapped, not cut with …."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await walk(pilot, "深圳市龙岗区财政局", "2021 绩效自评表")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await walk(pilot, "核查")
        pane = app.screen.query_one(FindingsPane)
        message = pane.rows[0]["message"]
        flat = "".join(line.split("▕", 1)[-1].replace(" ", "").strip("│") for line in screen_text(app).splitlines())
        assert message.replace(" ", "")[:40] in flat.replace("│", "")
