"""Pilot tests on a tiny hand-made library: tree → panes, keys, copy, units, literal text."""

from __future__ import annotations

from tests.tui.conftest import MARKUP, screen_text
from tui.app import YusuanApp
from tui.screens.help import HelpDialog
from tui.widgets.filing_tree import FilingTree
from tui.widgets.source_bar import SourceBar
from tui.widgets.status_line import StatusLine


async def test_cursor_in_the_tree_updates_the_project_pane(tiny_library):
    """Down to 办公楼修缮 with Enter: budget, actual, 执行率 and the indicator's outcome are shown."""
    app = YusuanApp(tiny_library)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("j", "enter", "enter", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "办公楼修缮" in text
        assert "37.18" in text and "30.8" in text and "82.86%" in text
        assert "修缮验收合格率" in text and "验收合格率100%" in text and "✓" in text
        assert "不适用 1 项" in text  # folded away


async def test_rates_outside_80_to_100_are_flagged(tiny_library):
    """A 50% project says 偏低 next to its rate, in the pane and not by colour alone."""
    app = YusuanApp(tiny_library)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("j", "enter", "enter", "enter", "j")
        await pilot.pause()
        assert "执行率 50% 偏低" in screen_text(app)


async def test_budget_table_drills_down_the_code_hierarchy(tiny_library):
    """测试区审计局 → 2023 → 表7 → 201 → 20108 → 2010804: the table's cursor is on 190."""
    app = YusuanApp(tiny_library)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter", "enter", "enter", "enter", "enter", "j")
        await pilot.pause()
        tree = app.screen.query_one(FilingTree)
        assert tree.cursor_node is not None and "2010804 审计业务" in tree.cursor_node.label.plain
        assert app.screen.figure is not None
        assert (app.screen.figure.label, app.screen.figure.value) == ("2010804 审计业务 支出总计", "190")
        assert "单位：万元" in screen_text(app)


async def test_markup_from_a_filing_is_shown_literally(tiny_library):
    """A project named "[bold red]警告[/]" is listed and shown as typed, control characters gone."""
    app = YusuanApp(tiny_library)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("j", "enter", "enter", "enter", "j")
        await pilot.pause()
        text = screen_text(app)
        assert text.count(MARKUP) >= 2  # in the tree and as the pane's title
        assert f"{MARKUP}目标[31m红" in text
        assert "\x1b" not in text and "\x07" not in text


async def test_copy_row_puts_tsv_on_the_clipboard(tiny_library):
    """y then r copies the highlighted row: header line and value line, tab separated."""
    app = YusuanApp(tiny_library)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter", "enter", "enter", "enter", "enter", "j", "y", "r")
        await pilot.pause()
        assert (
            app.clipboard
            == "科目编码\t科目名称\t支出总计（万元）\t基本支出（万元）\t项目支出（万元）\n2010804\t审计业务\t190\t0\t190\n"
        )
        await pilot.press("y", "s")
        assert (
            app.clipboard
            == "《2023年测试区审计局部门预算》表7 一般公共预算支出表（按功能分类） 2010804 审计业务 支出总计 190万元（第355行）"
        )


async def test_u_toggles_yuan_and_p_shows_the_source(tiny_library):
    """u shows 190 万元 as 1,900,000 元; p opens the source line with file, line and table."""
    app = YusuanApp(tiny_library)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter", "enter", "enter", "enter", "enter", "j", "u")
        await pilot.pause()
        assert "1,900,000" in screen_text(app) and "单位：元" in screen_text(app)
        await pilot.press("p")
        await pilot.pause()
        assert app.screen.query_one(SourceBar).display
        assert "budget0000000000.txt 第355行 表7 一般公共预算支出表（按功能分类）" in screen_text(app)


async def test_f1_lists_every_key(tiny_library):
    """The help names the global keys, the tree's, and the copy choices."""
    app = YusuanApp(tiny_library)
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpDialog)
        text = screen_text(app)
        for key in ("F1", "Ctrl+P", "Tab", "Esc / Backspace", "万元/元", "出处", "复制", "退出", "整表"):
            assert key in text, key
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpDialog)


async def test_tab_and_escape_move_between_panes(tiny_library):
    """Tab puts the focus on the right-hand pane, Esc brings it back to the tree."""
    app = YusuanApp(tiny_library)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter", "enter", "enter")
        await pilot.press("tab")
        assert app.focused is not None and app.focused.id == "grid"
        await pilot.press("escape")
        assert isinstance(app.focused, FilingTree)


async def test_load_errors_show_as_a_line_not_a_traceback(tiny_library):
    """Files that could not be read are named on the status line; the rest is browsable."""
    tiny_library.errors = ["bad.pdf: 不是 PDF 文件"]
    app = YusuanApp(tiny_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        status = app.screen.query_one(StatusLine)
        assert status.display and "1 个文件未能读取：bad.pdf: 不是 PDF 文件" in screen_text(app)


async def test_fits_80_by_24(tiny_library):
    """At 80×24 the tree, a pane and the footer's keys are all on screen."""
    app = YusuanApp(tiny_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "enter", "enter", "enter")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        assert len(lines) == 24
        assert "办公楼修缮" in lines[1] + lines[2] + lines[3] + lines[4]
        assert "帮助" in lines[-1] and "复制" in lines[-1]


async def test_hjkl_move_in_the_table_and_the_tree(tiny_library):
    """In the table l/h move between columns (the figure follows); in the tree h goes back up."""
    app = YusuanApp(tiny_library)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter", "enter", "enter", "enter", "enter", "j", "tab", "l")
        assert app.screen.figure.label == "2010804 审计业务 基本支出"
        await pilot.press("h", "k")
        assert app.screen.figure.label == "2010801 行政运行 支出总计"
        await pilot.press("escape", "h")
        tree = app.screen.query_one(FilingTree)
        assert tree.cursor_node.label.plain.startswith("20108 审计事务")


async def test_palette_opens_a_table(tiny_library):
    """ctrl+p, "表7", Enter: the tree jumps to 表7 and the table is shown."""
    app = YusuanApp(tiny_library)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"表7")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        tree = app.screen.query_one(FilingTree)
        assert tree.cursor_node.label.plain == "表7 功能分类"
        assert "单位：万元" in screen_text(app)


async def test_unit_toggle_relabels_the_tree(tiny_library):
    """Amounts in tree labels follow u as well."""
    app = YusuanApp(tiny_library)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter", "enter", "enter", "enter", "u")
        await pilot.pause()
        tree = app.screen.query_one(FilingTree)
        assert tree.cursor_node.label.plain.endswith("21,650,000")


async def test_palette_speaks_chinese(tiny_library):
    """ctrl+p opens a palette whose placeholder and own commands are Chinese (no Theme, Keys,
    Screenshot); typing 退出 finds the quit command."""
    app = YusuanApp(tiny_library)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause(0.5)
        text = screen_text(app)
        assert "转到部门" in text
        assert not any(word in text for word in ("Theme", "Keys", "Screenshot", "Search for commands"))
        await pilot.press(*"退出")
        await pilot.pause(0.5)
        assert "退出 yusuan" in screen_text(app)


async def test_panes_are_made_when_first_shown(tiny_library):
    """A start mounts the card, not the project, table, narrative, 核查 and 未达成 panes (their tables
    and styles cost every start); the project pane appears when a project is first opened."""
    from tui.widgets.findings_pane import FindingsPane
    from tui.widgets.project_pane import ProjectPane
    from tui.widgets.table_pane import TablePane

    app = YusuanApp(tiny_library)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert not any(app.screen.query(kind) for kind in (ProjectPane, TablePane, FindingsPane))
        await pilot.press("j", "enter", "enter", "enter")
        await pilot.pause()
        assert app.screen.query(ProjectPane) and "办公楼修缮" in screen_text(app)
