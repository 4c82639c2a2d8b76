"""`P` ranks every department's figure for the code under the cursor; `T` draws the department's trend."""

from __future__ import annotations

from textual.widgets import DataTable

from tests.tui.conftest import screen_text, walk
from tui.app import YusuanApp
from tui.screens.export import ExportDialog
from tui.screens.peers import MetricDialog, PeersScreen, clip_apart
from tui.screens.trend import TrendScreen
from tui.widgets.filing_tree import FilingTree

AUDIT = "深圳市龙岗区审计局"


async def _on_2010804(pilot) -> None:
    """The cursor on the 2010804 审计业务 row of the 2023 功能分类 table."""
    await walk(pilot, AUDIT, "2023 部门预算", "功能分类")
    screen = pilot.app.screen
    tree = screen.query_one(FilingTree)
    doc_id = tree.cursor_node.data.doc_id
    ref = tree.locate(
        AUDIT,
        doc_id,
        lambda r: r.kind == "line" and r.table_no == tree.cursor_node.data.table_no and "2010804" in tree.title(r),
    )
    assert ref is not None
    screen.go_to(ref)
    await pilot.pause()


async def _settled(pilot) -> None:
    """The view's worker done and its rows shown (waiting out a slow, shared machine)."""
    for _ in range(100):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        if isinstance(screen, PeersScreen) and screen.frame.is_empty():
            continue
        if isinstance(screen, TrendScreen) and screen.trend is None:
            continue
        if isinstance(screen, PeersScreen) and not screen.query_one(DataTable).row_count:
            continue  # the frame is there; its rows are drawn on the next refresh
        await pilot.pause()
        return


async def test_p_on_a_table_row_ranks_the_code_across_departments(seed_library):
    """P on 2010804 (2023): the peers view lists 审计局 first with 190, 66 the year before, ▲124."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(100, 30)) as pilot:
        await _on_2010804(pilot)
        await pilot.press("P")
        await _settled(pilot)
        screen = app.screen
        assert isinstance(screen, PeersScreen)
        assert (screen.subject.code, screen.year) == ("2010804", 2023)
        first = screen.frame.row(0, named=True)
        assert (first["department"], first["amount"], first["prior"]) == (AUDIT, 190.0, 66.0)
        text = screen_text(app)
        assert "2010804 审计业务 · 预算数 · 2023年" in text and "▲124" in text


async def test_enter_in_the_peers_view_selects_that_departments_row(seed_library):
    """Enter on 审计局 closes the view and selects its 2010804 row of the 2023 table in the tree."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(100, 30)) as pilot:
        await _on_2010804(pilot)
        main = app.screen
        tree = main.query_one(FilingTree)
        wanted = tree.cursor_node.data
        await pilot.press("P")
        await _settled(pilot)
        assert isinstance(app.screen, PeersScreen)
        tree.move_cursor(tree.root.children[0])  # the tree elsewhere meanwhile
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is main
        assert tree.cursor_node.data == wanted and wanted.kind == "line"


async def test_e_in_the_peers_view_opens_the_export_dialog(seed_library):
    """e offers the ranking (one row per department) for export."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(100, 30)) as pilot:
        await _on_2010804(pilot)
        await pilot.press("P")
        await _settled(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.frame["department"].to_list()[0] == AUDIT


async def test_p_on_a_card_asks_which_figure(seed_library):
    """On 审计局's card, P offers 三公 …; choosing it ranks 三公 of 2023: 26.5."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(100, 30)) as pilot:
        await walk(pilot, AUDIT)
        await pilot.press("P")
        await _settled(pilot)
        assert isinstance(app.screen, MetricDialog)
        await pilot.press("enter")  # 三公 is first
        await _settled(pilot)
        screen = app.screen
        assert isinstance(screen, PeersScreen) and screen.subject.metric == "三公"
        assert screen.frame.row(0, named=True)["amount"] == 26.5


async def test_t_draws_the_trend_with_values_at_80x24(seed_library):
    """T on 2010804: a chart of 2022 and 2023 with 66 and 190 written on it, readable in 80×24."""
    app = YusuanApp(seed_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await _on_2010804(pilot)
        await pilot.press("T")
        await _settled(pilot)
        assert isinstance(app.screen, TrendScreen)
        assert app.screen.trend.points() == [(2022, 66.0), (2023, 190.0)]
        text = screen_text(app)
        assert "2022" in text and "2023" in text and "190" in text and "66" in text
        assert "2022 66 · 2023 190 ▲124（+187.88%）" in text


async def test_a_department_named_like_markup_shows_as_printed():
    """A department called "[bold red]警告[/]" appears in the ranking exactly so, not as red text."""
    import polars as pl

    from parsing.queries.subjects import subject
    from tests.tui.conftest import MARKUP, tiny

    lib = tiny()
    lib.documents = lib.documents.with_columns(
        pl.when(pl.col("kind") == "部门预算").then(pl.lit(MARKUP)).otherwise(pl.col("department")).alias("department")
    )
    app = YusuanApp(lib)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(PeersScreen(lib, subject(code="2010804"), 2023))
        await _settled(pilot)
        assert app.screen.frame.row(0, named=True)["amount"] == 190.0
        assert MARKUP in screen_text(app)


def test_clipped_department_names_keep_the_part_that_tells_them_apart():
    """At 18 cells 万里街道办事处 and 办公室 of 上海市普陀区人民政府 stay apart (not both 上海市普陀区人民…);
    a name that fits is shown whole."""
    names = ["上海市普陀区人民政府万里街道办事处", "上海市普陀区人民政府办公室", "上海市普陀区财政局"]
    assert clip_apart(names, 18) == {
        "上海市普陀区人民政府万里街道办事处": "上…万里街道办事处",
        "上海市普陀区人民政府办公室": "上海市普陀…办公室",
        "上海市普陀区财政局": "上海市普陀区财政局",
    }
