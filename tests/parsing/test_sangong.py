"""The 三公 total and parts read the same from every layout offices print."""

from __future__ import annotations

import polars as pl
import pytest

from parsing.queries.sangong import sangong
from tests.parsing.genuine import frames


def _table(rows: list[tuple[int, str, str, str, float | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {"table_kind": "三公经费", "row_no": n, "name": name, "measure": m, "row_kind": kind, "amount": a}
            for n, name, m, kind, a in rows
        ]
    )


def _amounts(found: dict) -> dict[str, float | None]:
    return {part: row["amount"] for part, row in found.items()}


def test_items_as_rows_with_numbering_and_a_vehicle_line_split_in_two():
    """泉州: '3、公务用车购置及运行费' 1683.85 is 公务用车 (its '其中：（1）公务用车购置费' is not)."""
    table = _table(
        [
            (1, "合计", "预算数", "total", 1700.17),
            (2, "1、因公出国（境）费用", "预算数", "line", 0.0),
            (3, "2、公务接待费", "预算数", "line", 16.32),
            (4, "3、公务用车购置及运行费", "预算数", "line", 1683.85),
            (5, "其中：（1）公务用车购置费", "预算数", "line", 1500.0),
        ]
    )
    assert _amounts(sangong(table, 2026, "部门预算")) == {
        "三公经费": 1700.17,
        "出国(境)": 0.0,
        "公务接待": 16.32,
        "公务用车": 1683.85,
    }


def test_items_as_columns_read_from_the_departments_total_row():
    """杭州: one row per unit under 合计, the items in the columns: 413.68 = 339.68 + 74."""
    table = _table(
        [
            (1, "合计", "“三公”经费合计", "total", 413.68),
            (1, "合计", "因公出国(境)费用", "total", None),
            (1, "合计", "公务用车购置及运行费·小计", "total", 339.68),
            (1, "合计", "公务用车购置费", "total", 151.68),
            (1, "合计", "公务接待费", "total", 74.0),
            (2, "杭州市东郊监狱", "“三公”经费合计", "unit_total", 89.6),
        ]
    )
    assert _amounts(sangong(table, 2026, "部门预算")) == {
        "三公经费": 413.68,
        "出国(境)": None,
        "公务用车": 339.68,
        "公务接待": 74.0,
    }


def test_rows_split_by_fund_and_years_in_columns():
    """深圳 2026: 总计·一般公共预算 in the 2026年 column is the total, 2025年 last year's."""
    table = _table(
        [
            (1, "总计·一般公共预算", "2025年", "line", 59.66),
            (1, "总计·一般公共预算", "2026年", "line", 58.46),
            (2, "总计·政府性基金预算", "2026年", "line", 0.0),
            (3, "公务用车购置及运行维护费·小计", "2026年", "line", 7.4),
            (4, "公务用车购置及运行维护费·公务用车购置费", "2026年", "line", 0.0),
        ]
    )
    found = sangong(table, 2026, "部门预算")
    assert found["三公经费"]["amount"] == 58.46 and found["上年"]["amount"] == 59.66
    assert found["公务用车"]["amount"] == 7.4


def test_a_final_account_reads_its_actual_column():
    """A 决算 printing 预算数 and 决算数 gives the 决算数."""
    table = _table([(1, "合计", "预算数", "total", 0.95), (1, "合计", "决算数", "total", 0.42)])
    assert sangong(table, 2024, "部门决算")["三公经费"]["amount"] == 0.42


def test_items_as_columns_in_year_groups_read_the_own_years():
    """上年 | 当年 | 增减 groups of the same items (the first group's columns keep plain names):
    the 当年 columns are read, and a 上年-marked total is last year's."""
    row = [
        ("一般公共预算拨款安排的“三公”经费预算·小计", 26.5),
        ("因公出国（境）费用", 0.0),
        ("当年·一般公共预算拨款安排的“三公”经费预算·小计", 21.9),
        ("当年·一般公共预算拨款安排的“三公”经费预算·公务接待费", 8.0),
        ("增减变化情况·一般公共预算拨款安排的“三公”经费预算·小计", -4.6),
        ("上年·合计", 40.0),
    ]
    table = _table([(0, "西安市财政局", measure, "total", amount) for measure, amount in row])
    assert _amounts(sangong(table, 2026, "部门预算")) == {"三公经费": 21.9, "出国(境)": 0.0, "公务接待": 8.0}


@pytest.mark.parametrize(
    ("pattern", "total", "vehicle"),
    [
        ("hangzhou/*.pdf", 413.68, 339.68),
        ("quanzhou/*.pdf", 1700.17, 1683.85),
        ("shenzhen/*.pdf", 58.46, 7.4),
        ("xian/*.pdf", 21.9, 13.9),
        ("yantai/*.pdf", 23.4, 5.4),
    ],
)
def test_genuine_sangong_tables_of_three_layouts(pattern, total, vehicle):
    """The 三公 total and 公务用车 as printed in 2026 杭州 (items as columns), 泉州 (numbered rows),
    深圳 (rows split by fund, years as columns), 西安 (上年 | 当年 | 增减 groups: 21.90, not last
    year's 26.50) and 烟台 (one row, 2025年预算数 | 2026年预算数: 23.40, not 10.40)."""
    lines = frames(pattern)["budget_lines"]
    found = sangong(lines, 2026, "部门预算")
    assert found["三公经费"]["amount"] == pytest.approx(total)
    assert found["公务用车"]["amount"] == pytest.approx(vehicle)
