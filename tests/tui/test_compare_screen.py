"""The compare screen answers the question (issue 12): which year is which, one table, differences."""

from __future__ import annotations

from tests.tui.conftest import screen_text, walk
from tui.app import YusuanApp
from tui.screens.compare import CompareScreen


async def _compare(pilot, department: str = "深圳市龙岗区审计局") -> CompareScreen:
    await walk(pilot, department)
    await pilot.press("c")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CompareScreen)
    return pilot.app.screen


async def test_header_says_which_year_is_a_and_which_is_b(seed_library):
    """审计局: A 2022（示例） → B 2023 in the title (2022 is a synthetic edition), and the columns
    are headed A 2022, B 2023."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await _compare(pilot)
        text = screen_text(app)
        assert "A 2022（示例） → B 2023" in text and "A 2022" in text.splitlines()[3]


async def test_a_and_b_never_pick_the_same_year_or_reverse(seed_library):
    """With two years, a and b leave A = 2022 and B = 2023 however often they are pressed."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _compare(pilot)
        for key in "ababba":
            await pilot.press(key)
            await pilot.pause()
            assert (screen.year_a, screen.year_b) == (2022, 2023)


async def test_differences_only_by_default_and_s_shows_all(seed_library):
    """Unchanged rows are hidden until s; then every aligned row is listed."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _compare(pilot)
        assert "same" not in screen.shown["status"].to_list()
        await pilot.press("s")
        await pilot.pause()
        assert screen.shown.height == screen.frame.height and "全部行" in screen_text(app)


async def test_f_filters_to_one_table_and_delta_fits_80_columns(seed_library):
    """f → 功能分类 only; 2010804 审计业务 66 → 190 shows ▲124 and +187.88% whole at 80×24."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _compare(pilot)
        while screen.table_kind != "功能分类":
            await pilot.press("f")
            await pilot.pause()
        assert set(screen.shown["table_kind"]) == {"功能分类"}
        text = screen_text(app)
        assert "▲124" in text and "+187.88%" in text and "功能分类" in text.splitlines()[1]


async def test_u_shows_yuan_on_the_compare_screen(seed_library):
    """u: the title says 单位：元 and 审计业务's 190 万元 reads 1,900,000."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _compare(pilot)
        while screen.table_kind != "功能分类":
            await pilot.press("f")
        await pilot.press("u")
        await pilot.pause()
        text = screen_text(app)
        assert "单位：元" in text and "1,900,000" in text


async def test_y_copies_a_compared_row(seed_library):
    """y r on the compare screen copies the highlighted row with its headers (units included)."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(120, 36)) as pilot:
        await _compare(pilot)
        await pilot.press("y", "r")
        await pilot.pause()
        head = app.clipboard.splitlines()[0]
        assert "2022（万元）" in head and "增减（%）" in head


async def test_budget_against_actual_has_an_execution_rate(seed_library):
    """财政局 2021 v: 预算, 实际, 执行率 columns; 本级's 办公楼修缮 37.18 → 30.8 at 82.84%; the
    其他一般管理事务 of two units are told apart by their unit."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(120, 36)) as pilot:
        await _compare(pilot, "深圳市龙岗区财政局")
        await pilot.press("v", "b")  # b steps the year of budget vs actual: 2022 → 2021
        await pilot.pause()
        text = screen_text(app)
        assert "B 2021实际" in text and "执行率" in text and "预算" in text and "实际" in text
        own = next(line for line in text.splitlines() if "办公楼修缮" in line)
        assert "财政局（本级）" in own and "37.18" in own and "30.8" in own and "82.84%" in own
        await pilot.press("s")
        await pilot.pause()
        same = [line.split()[1] for line in screen_text(app).splitlines() if "其他一般管理事务" in line]
        assert len(same) >= 2 and len(set(same)) == len(same)


async def test_budget_against_actual_says_why_not_in_chinese(seed_library):
    """审计局 has no 决算: v says so in Chinese, naming what the department has, unclipped."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await _compare(pilot)
        await pilot.press("v")
        await pilot.pause()
        text = "".join(line.strip() for line in screen_text(app).splitlines()[1:5])
        assert "需要同年的部门预算和部门决算" in text and "2023 部门预算" in text


async def test_codes_stay_whole_at_80_columns(real_dir):
    """At 80×24, 2023 → 2025 of 万里街道 (7-digit 科目编码 beside long names): every code on screen
    is whole (2129999 and 21299 never both '21299…')."""
    import re

    from parsing.library import Library

    library = Library.load(sorted(real_dir.glob("*万里*")))
    app = YusuanApp(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await _compare(pilot, "上海市普陀区人民政府万里街道")
        await pilot.pause()
        text = screen_text(app)
        assert re.search(r"\b\d{7}\b", text) and not re.search(r"\b\d{3,}…", text)


async def test_table_kinds_stay_apart_in_a_narrow_column(seed_library):
    """At 80 columns the 表 column is too narrow for 收支总表: it shows 收支, never '收…' (which
    收入总表 would show as well)."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await _compare(pilot)
        rows = screen_text(app).splitlines()[4:8]
        assert all(row.split()[0] == "收支" for row in rows), rows
