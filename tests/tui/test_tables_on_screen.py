"""Numbers on screen are whole (issue 12): tables at 80×24 in 万元 and 元, scrolled →, halves shown."""

from __future__ import annotations

import re

from rich.cells import cell_len

from parsing.library import Library
from tests.tui.conftest import walk
from tui.app import YusuanApp
from tui.widgets.filing_tree import FilingTree
from tui.widgets.table_pane import TablePane

#: A number cut at a column edge would leave a group of fewer than three digits after a comma.
CUT = re.compile(r"\d,\d{1,2}(?!\d)")


def _pane_lines(app) -> list[str]:
    """The right-hand side of the screen (the tree is on the left), between header and footer."""
    pane = app.screen.query_one(TablePane).region
    strips = app.screen._compositor.render_strips()
    return [strip.crop(pane.x, pane.right).text for strip in strips[pane.y : pane.bottom]]


def _end(line: str, text: str) -> int:
    """The screen column just after ``text`` in ``line`` (wide characters take two cells)."""
    return cell_len(line[: line.index(text) + len(text)])


async def _open_t7(pilot) -> None:
    await walk(pilot, "深圳市龙岗区审计局", "2023 部门预算", "表7")
    await pilot.press("tab")
    await pilot.pause()


async def test_yuan_amounts_are_whole_at_80_by_24(seed_library):
    """After u on 审计局 2023 表7, 34,510,000 (3,451 万元) is on screen whole, and no figure is cut."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_t7(pilot)
        await pilot.press("u")
        await pilot.pause()
        text = "\n".join(_pane_lines(app))
        assert "34,510,000" in text and "单位：元" in text
        assert not CUT.search(text)


async def test_scrolling_right_keeps_labels_and_whole_amounts(seed_library):
    """→ past the last column in view slides the amounts: 2010804 审计业务 stays, 项目支出 190 appears whole."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_t7(pilot)
        for _ in range(4):
            await pilot.press("l")
        await pilot.pause()
        pane = app.screen.query_one(TablePane)
        assert pane.grid.columns[pane.shown[pane.table.cursor_column]].label == "项目支出"
        lines = _pane_lines(app)
        row = next(line for line in lines if "2010804" in line)
        assert "审计业务" in row and row.split()[-1] == "190"
        assert not CUT.search("\n".join(lines))


async def test_amount_columns_are_right_aligned(seed_library):
    """The units digit of 3,451 and of 190 sit in the same screen column."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_t7(pilot)
        lines = _pane_lines(app)
        total = next(line for line in lines if line.strip().startswith("合计"))
        audit = next(line for line in lines if "2010804" in line)
        assert _end(total, "3,451") == _end(audit, " 190 ") - 1


async def test_tree_labels_keep_amounts_whole_after_a_resize(seed_library):
    """Narrowing the terminal re-clips the labels: names give way, 2010804 审计业务's 190 stays whole."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(120, 36)) as pilot:
        await walk(pilot, "深圳市龙岗区审计局", "2023 部门预算", "表7", "201", "20108", "2010804")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        label = app.screen.query_one(FilingTree).cursor_node.label.plain
        assert label.endswith(" 190") and label.startswith("2010804")


async def test_a_table_printed_in_halves_is_not_blank(real_dir, tmp_path):
    """2024 普陀区财政局 决算 #6 基本支出 (printed left | right) shows 301 工资福利支出 2,082.85 on the
    left and 31002 办公设备购置 13.58 on the right, side by side at 120 columns."""
    library = Library.load([real_dir / "2024_普陀区财政局_部门决算.pdf"])
    app = YusuanApp(library)
    async with app.run_test(size=(120, 36)) as pilot:
        await walk(pilot, "普陀区财政局", "2024 部门决算", "#6")
        lines = _pane_lines(app)
        assert any("301 " in line and "2,082.85" in line for line in lines)
        assert any("31002" in line and "13.58" in line for line in lines)


async def test_scrolling_into_the_right_half_pins_its_own_names(real_dir):
    """At 80 columns, moving → into the right half of 2024 普陀区财政局 决算 #6 基本支出 shows the
    right half's codes and names beside its amounts (302 商品和服务支出 171.07), never the left
    half's (301 工资福利支出 is 2,082.85, not 171.07)."""
    library = Library.load([real_dir / "2024_普陀区财政局_部门决算.pdf"])
    app = YusuanApp(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await walk(pilot, "普陀区财政局", "2024 部门决算", "#6")
        await pilot.press("tab")
        pane = app.screen.query_one(TablePane)
        while (column := pane.grid.columns[pane.shown[pane.table.cursor_column]]).side != "right" or not column.numeric:
            before = (pane.first, pane.table.cursor_column)
            await pilot.press("right")
            await pilot.pause()
            assert (pane.first, pane.table.cursor_column) != before, "→ stopped before the right half"
        lines = _pane_lines(app)
        assert not any("301 " in line and "171.07" in line for line in lines)
        assert any("302 " in line and "171.07" in line for line in lines)
        await pilot.press("left")
        await pilot.press("left")
        await pilot.pause()
        assert pane.grid.columns[pane.shown[pane.table.cursor_column]].side in ("left", "right")
