"""`c` compares years and `e` exports the table on screen, on the seeds."""

from __future__ import annotations

import polars as pl

from tests.tui.conftest import screen_text, walk
from tui.app import YusuanApp
from tui.screens.compare import CompareScreen
from tui.screens.export import ExportDialog


async def test_compare_audit_bureau_years(seed_library):
    """审计局 2022 → 2023: 审计业务 54 → 155 (▲101); ] moves to the next difference."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await walk(pilot, "深圳市龙岗区审计局")
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        rows = screen.frame.filter(screen.frame["code"] == "2010804")
        assert {(r["amount_a"], r["amount_b"]) for r in rows.iter_rows(named=True)} >= {(66.0, 190.0)}
        await pilot.press("t")
        await pilot.pause()
        audit = screen.frame.filter(screen.frame["name_b"] == "审计业务").row(0, named=True)
        assert (audit["budget_a"], audit["budget_b"], audit["delta"]) == (54, 155, 101)
        assert "▲101" in screen_text(app)
        before = screen.query_one("#compare-table").cursor_row
        await pilot.press("right_square_bracket")
        assert screen.query_one("#compare-table").cursor_row != before


async def test_renamed_projects_are_paired_with_a_score(seed_library):
    """财政局 2021 → 2022 pairs 设备购置与维护 with 办公设备购置（通用项目） as 近似 with its score."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await walk(pilot, "深圳市龙岗区财政局")
        await pilot.press("c")
        await pilot.pause()
        frame = app.screen.frame
        index = frame["name_a"].to_list().index("设备购置与维护")
        pair = frame.row(index, named=True)
        assert pair["name_b"] == "办公设备购置（通用项目）" and pair["status"] == "fuzzy"
        shown = app.screen.query_one("#compare-table").get_row_at(index)
        assert shown[-1].startswith("近似 0.")


async def test_export_writes_the_table_and_asks_before_overwriting(seed_library, tmp_path):
    """功能分类 exported: BOM, 2010804 and 190 as a number; a second export asks first."""
    app = YusuanApp(seed_library)
    target = tmp_path / "t7.csv"
    async with app.run_test(size=(120, 40)) as pilot:
        await walk(pilot, "深圳市龙岗区审计局", "2023 部门预算", "功能分类")
        for _ in range(2):
            await pilot.press("e")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, ExportDialog)
            dialog.query_one("#export-path").value = str(target)
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(app.screen, ExportDialog) and "已存在" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)
        shown = [list(r) for r in app.screen.figure.table]
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "2010804" in text and ",190," in text
    read_back = pl.read_csv(target, encoding="utf8", infer_schema=False)
    assert read_back.columns == shown[0]
    assert [[c or "" for c in row] for row in read_back.rows()] == [
        [c.replace(",", "") for c in row] for row in shown[1:]
    ]
