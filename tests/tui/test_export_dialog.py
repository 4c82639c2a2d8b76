"""`e` says what it holds (issue 12): headers with the unit, a file name per table, refusals in Chinese."""

from __future__ import annotations

from pathlib import Path

from tests.tui.conftest import screen_text, walk
from tui.app import YusuanApp
from tui.screens.export import ExportDialog


async def _dialog(pilot) -> ExportDialog:
    await walk(pilot, "深圳市龙岗区审计局", "2023 部门预算", "表7")
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ExportDialog)
    return pilot.app.screen


async def _write(pilot, dialog: ExportDialog, path: str) -> None:
    dialog.query_one("#export-path").value = path
    await pilot.press("enter")
    await pilot.pause()


async def test_default_name_names_department_year_kind_and_table(seed_library, tmp_path, monkeypatch):
    """The path offered is 深圳市龙岗区审计局_2023_部门预算_表7_功能分类.csv in the working folder."""
    monkeypatch.chdir(tmp_path)
    app = YusuanApp(seed_library)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _dialog(pilot)
        assert (
            Path(dialog.query_one("#export-path").value)
            == tmp_path / "深圳市龙岗区审计局_2023_部门预算_表7_功能分类.csv"
        )


async def test_headers_carry_the_unit_and_change_with_u(seed_library, tmp_path):
    """In 万元 the header reads 支出总计（万元） and 2010804 has 190; after u, 支出总计（元） and 1900000."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _dialog(pilot)
        await _write(pilot, dialog, str(tmp_path / "wan.csv"))
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await _write(pilot, app.screen, str(tmp_path / "yuan.csv"))
    wan = (tmp_path / "wan.csv").read_text(encoding="utf-8-sig").splitlines()
    yuan = (tmp_path / "yuan.csv").read_text(encoding="utf-8-sig").splitlines()
    assert "支出总计（万元）" in wan[0] and any(line.startswith("2010804,审计业务,190,") for line in wan)
    assert "支出总计（元）" in yuan[0] and any(line.startswith("2010804,审计业务,1900000,") for line in yuan)


async def test_a_blank_path_is_refused(seed_library):
    """A path of spaces writes nothing and says 请输入文件名; the dialog stays open."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _dialog(pilot)
        await _write(pilot, dialog, "   ")
        assert isinstance(app.screen, ExportDialog) and "请输入文件名" in screen_text(app)


async def test_a_failed_write_names_the_file_not_a_temporary_one(seed_library, tmp_path):
    """Into a folder that does not exist: 文件夹不存在, with the path asked for and no .tmp name."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await _dialog(pilot)
        await _write(pilot, dialog, str(tmp_path / "没有" / "t7.csv"))
        text = screen_text(app)
        assert "导出失败" in text and "文件夹不存在" in text and ".tmp" not in text


async def test_checkboxes_read_without_colour(seed_library):
    """UTF-8 带 BOM is ☑ (on), 附出处列 is ☐ (off)."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await _dialog(pilot)
        text = screen_text(app)
        assert "☑ UTF-8 带 BOM" in text and "☐ 附出处列" in text
