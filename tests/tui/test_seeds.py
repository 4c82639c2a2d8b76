"""Pilot tests on the bundled seeds: the figures an analyst checks first are where they should be."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SEEDS
from tests.tui.conftest import MARKUP, screen_text, walk
from tui.app import YusuanApp
from tui.widgets.filing_tree import FilingTree
from tui.widgets.status_line import StatusLine

SELF_EVAL = SEEDS / "000_533ecde84f1547da.txt"


async def test_office_repair_project_shows_money_rate_and_outcome(seed_library):
    """深圳市龙岗区财政局 → 2021 → 本级 → 办公楼修缮: 37.18 / 30.8 / 82.86%, 修缮验收合格率 → 验收合格率100%."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(100, 50)) as pilot:
        await walk(pilot, "深圳市龙岗区财政局", "2021 绩效自评表", "财政局（本级）", "办公楼修缮")
        text = screen_text(app)
        assert "37.18" in text and "30.8" in text and "82.86%" in text
        assert "修缮验收合格率" in text and "验收合格率100%" in text


async def test_function_table_drills_to_audit_business(seed_library):
    """深圳市龙岗区审计局 → 2023 → 功能分类 → 201 → 20108 → 2010804 审计业务: 190 万元."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(100, 40)) as pilot:
        await walk(pilot, "深圳市龙岗区审计局", "2023 部门预算", "功能分类", "201 ", "20108 ", "2010804 ")
        tree = app.screen.query_one(FilingTree)
        assert "2010804 审计业务" in tree.cursor_node.label.plain and "190" in tree.cursor_node.label.plain
        figure = app.screen.figure
        assert figure is not None and (figure.label, figure.value, figure.unit) == (
            "2010804 审计业务 支出总计",
            "190",
            "万元",
        )
        assert "2010804   审计业务" in screen_text(app)
        await pilot.press("y", "s")
        assert app.clipboard.startswith("《2023年深圳市龙岗区审计局部门预算》表7 一般公共预算支出表（按功能分类）")
        assert app.clipboard.endswith("2010804 审计业务 支出总计 190万元（第354行）")
        await pilot.press("y", "r")
        assert app.clipboard.splitlines()[1].startswith("2010804\t审计业务\t190\t0\t190")


async def test_seeds_fit_80_by_24(seed_library):
    """At 80×24 a project's name, its figures and the footer are on screen."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await walk(pilot, "深圳市龙岗区财政局", "2021 绩效自评表", "财政局（本级）", "办公楼修缮")
        lines = screen_text(app).splitlines()
        assert len(lines) == 24 and all(len(line) <= 80 for line in lines)
        assert any("37.18" in line and "30.8" in line for line in lines)
        assert "帮助" in lines[-1]


async def test_markup_in_a_parsed_filing_is_literal(seed_library, tmp_path: Path):
    """A project renamed "[bold red]警告[/]办公楼修缮" in the filing's text is shown exactly so."""
    text = SELF_EVAL.read_text(encoding="utf-8").replace("办公楼修缮", f"{MARKUP}办公楼修缮", 1)
    (tmp_path / "markup.txt").write_text(text, encoding="utf-8")
    from parsing.library import Library

    app = YusuanApp(Library.load([tmp_path / "markup.txt"]))
    async with app.run_test(size=(100, 40)) as pilot:
        await walk(pilot, "深圳市龙岗区财政局", "2021", "财政局（本级）", "[bold red]警告")
        assert f"{MARKUP}办公楼修缮" in screen_text(app)  # the pane's title, in full
        assert app.screen.query_one(FilingTree).cursor_node.label.plain.startswith("[bold red]警告[/")


async def test_paths_load_in_a_worker_and_bad_ones_are_a_line(seed_library, tmp_path: Path):
    """yusuan PATH…: the filings load off the UI thread; an unreadable file is named, no traceback."""
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"not a pdf")
    app = YusuanApp(paths=[SELF_EVAL, bad])
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        tree = app.screen.query_one(FilingTree)
        assert [n.label.plain for n in tree.root.children] == ["深圳市龙岗区财政局"]
        assert app.screen.query_one(StatusLine).display
        assert "broken.pdf" in screen_text(app) and "Traceback" not in screen_text(app)
