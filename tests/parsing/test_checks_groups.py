"""A column group's 小计 is the group's total, not one more part of the row (V-ROW), on inline
data and on the genuine tables where adding it doubled the parts (../shared/real)."""

from __future__ import annotations

import polars as pl
import pytest

from parsing import schema
from parsing.checks import run_checks
from parsing.library import Library
from tests.parsing.genuine import frames

HEADER = [
    "科目编码",
    "科目名称",
    "总计",
    "财政拨款·小计",
    "财政拨款·一般公共预算拨款",
    "财政拨款·政府性基金预算拨款",
    "事业收入",
]


def _library(total: float) -> Library:
    """One row of a table printed 总计 | 财政拨款 {小计 | 一般公共预算拨款 | 政府性基金预算拨款} | 事业收入."""
    base = {"doc_id": "d", "source_file": "f", "source_table": "表4", "table_kind": "基本支出", "table_no": "表4"}
    row = base | {"classification": "economic", "unit": "本级", "code": "301", "level": 1, "name": "工资福利支出"}
    figures = (
        ("总计", total),
        ("财政拨款·小计", 7.0),
        ("一般公共预算拨款", 5.0),
        ("政府性基金预算拨款", 2.0),
        ("事业收入", 3.0),
    )
    lines = [
        row
        | {"measure": m, "amount": a, "amount_text": f"{a:.2f}", "row_kind": "line", "row_no": 1, "source_unit": "万元"}
        for m, a in figures
    ]
    table = base | {"sure": True, "evidence": "title:基本支出", "header": HEADER, "cells_seen": 5, "cells_read": 5}
    return Library(
        documents=schema.frame("documents", [{"doc_id": "d", "kind": "部门预算", "year": 2026, "department": "某局"}]),
        budget_lines=schema.frame("budget_lines", lines),
        tables=schema.frame("tables", [table]),
    )


def test_a_groups_subtotal_is_not_added_to_its_own_members():
    """总计 10 = 财政拨款·小计 7 + 事业收入 3: no finding (adding the 小计 to 5 + 2 would give 17)."""
    assert run_checks(_library(10.0)).filter(pl.col("rule") == "V-ROW").is_empty()


def test_a_row_that_does_not_add_up_with_its_subtotal_is_still_an_error():
    """总计 12 against 小计 7 + 事业收入 3 = 10: an error, computed 10."""
    found = run_checks(_library(12.0)).filter(pl.col("rule") == "V-ROW")
    assert found.select("severity", "expected").rows() == [("error", 10.0)]


@pytest.mark.parametrize(
    ("pattern", "table", "printed"),
    [("shenzhen/*.pdf", "表4", "11,024.31"), ("hangzhou/*.pdf", "表2", "99,230.46")],
)
def test_genuine_group_subtotals_raise_no_doubled_sums(pattern, table, printed):
    """深圳 表4 (p.24, 财政拨款·小计) and 杭州 表2 (p.25, 本年收入·小计) print rows whose parts
    add up: no V-ROW finding there any more (it was "印 11,024.31，算 22,048.62")."""
    f = frames(pattern)
    lib = Library(**{name: f[name] for name in ("documents", "budget_lines", "tables", "sections", "notes")})
    row = lib.budget_lines.filter(pl.col("table_no") == table, pl.col("amount_text") == printed)
    assert row.height >= 1
    found = run_checks(lib).filter(pl.col("rule") == "V-ROW", pl.col("message").str.contains(table))
    assert found.is_empty(), found["message"].to_list()


def test_a_qizhong_column_is_inside_the_column_before_it():
    """长沙 #2 prints 合计 | 本级财政拨款·金额 | ·其中:经费拨款 | …: 行政运行 1,517.95 = 金额
    1,517.95, its 其中 not added again (it was "算 3,035.9")."""
    f = frames("changsha/*.pdf")
    lib = Library(**{name: f[name] for name in ("documents", "budget_lines", "tables", "sections", "notes")})
    found = run_checks(lib).filter(pl.col("rule") == "V-ROW", pl.col("message").str.contains("行政运行"))
    assert found.is_empty(), found["message"].to_list()


def test_personnel_and_running_costs_are_parts_where_no_basic_column_is_printed():
    """杭州 表3 prints 总计 | 人员支出 | 日常公用支出 | 项目支出 …: 行政运行 8,553.8 is its 人员 and
    公用 columns, not 0 (人员/公用 are parts when the row has no 基本支出 column)."""
    f = frames("hangzhou/*.pdf")
    lib = Library(**{name: f[name] for name in ("documents", "budget_lines", "tables", "sections", "notes")})
    found = run_checks(lib).filter(pl.col("rule") == "V-ROW", pl.col("message").str.contains("表3"))
    assert found.filter(pl.col("severity") != "rounding").is_empty(), found["message"].to_list()
