"""A filing whose issuer is not found is listed, under 未识别部门, by its file."""

from __future__ import annotations

from parsing.library import Library
from tests.parsing.test_identity import BUDGET
from tests.tui.conftest import screen_text
from tui.app import YusuanApp


async def test_unidentified_filing_is_listed_with_its_file(tmp_path):
    """The tree shows 未识别部门 and, under it, the filing's year, kind and file name."""
    path = tmp_path / "无名文件.txt"
    path.write_text(BUDGET.format(cover="2023年部门预算", amount=100), encoding="utf-8")
    app = YusuanApp(Library.load([path]))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "未识别部门" in text and "2023 部门预算 · 无名文件.txt" in text
