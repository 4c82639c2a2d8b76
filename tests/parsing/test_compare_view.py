"""What the compare screen shows of a comparison, and the panes' rows, computed without a screen."""

from __future__ import annotations

import polars as pl

from parsing.library import Library
from parsing.queries import compare_view, panes
from parsing.queries.compare import compare_budget
from parsing.queries.report import headers
from tests.conftest import SEEDS


def test_years_step_without_meeting_or_reversing():
    """A steps below B and B above A: from 2021/2023 among 2021–2023, A goes to 2022 then back to 2021."""
    years = [2021, 2022, 2023]
    assert compare_view.next_year(years, 2021, below=2023) == 2022
    assert compare_view.next_year(years, 2022, below=2023) == 2021
    assert compare_view.next_year(years, 2023, above=2022) == 2023
    assert compare_view.next_year([2022, 2023], 2022, below=2023) == 2022


def test_view_hides_unchanged_rows_and_filters_one_table():
    """审计局 2022 → 2023: differences only by default; 功能分类 alone keeps 2010804 66 → 190."""
    lib = Library.load([SEEDS])
    frame = compare_budget(lib, "深圳市龙岗区审计局", 2022, 2023)
    shown = compare_view.view(frame)
    assert shown.height < frame.height and "same" not in shown["status"].to_list()
    t7 = compare_view.view(frame, "功能分类")
    assert set(t7["table_kind"]) == {"功能分类"}
    row = t7.filter(pl.col("code") == "2010804")
    assert (66.0, 190.0) in set(zip(row["amount_a"], row["amount_b"], strict=True))
    assert compare_view.table_kinds(frame)[0] == compare_view.ALL_TABLES and "功能分类" in compare_view.table_kinds(
        frame
    )


def test_in_unit_scales_amounts_and_says_so():
    """In 元, 190 万元 is 1,900,000 and the header reads 2023（元）."""
    frame = pl.DataFrame({"amount_a": [66.0], "amount_b": [190.0], "delta": [124.0], "delta_pct": [187.88]})
    scaled, labels = compare_view.in_unit(frame, headers("2022", "2023"), "元")
    assert scaled.row(0) == (660000.0, 1900000.0, 1240000.0, 187.88)
    assert labels["amount_b"] == "2023（元）" and labels["delta_pct"] == "增减（%）"


def test_indicators_grouped_in_printed_order():
    """办公楼修缮's indicators: 产出 first, its 数量 before 质量; 不适用 ones apart."""
    lib = Library.load([SEEDS])
    pid = lib.projects.filter(pl.col("name") == "办公楼修缮")["project_id"][0]
    _, groups, _ = panes.project(lib, pid)
    level1 = [name for name, _ in groups.groups]
    assert level1[0] == "产出"
    order = [r["level2"] for r in groups.groups[0][1]]
    assert order == sorted(order, key=["数量", "质量", "时效", "成本"].index)
    assert all(r["not_applicable"] for r in groups.not_applicable)
