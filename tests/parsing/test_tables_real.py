"""Tables of genuine filings from other provinces (../shared/real, skipped when absent) are read
into the figures they print, whatever their layout: one test per phenomenon."""

from __future__ import annotations

import polars as pl
import pytest

from tests.parsing.genuine import frames as _frames


def _line(lines: pl.DataFrame, **where: object) -> dict:
    found = lines.filter(*(pl.col(k) == v for k, v in where.items()))
    assert found.height >= 1, where
    return found.row(0, named=True)


def test_yuan_table_total_in_wanyuan():
    """Xi'an prints its tables in 元: the 功能分类 合计 303,312,586.17 元 is 30,331.258617 万元."""
    lines = _frames("xian/*.pdf")["budget_lines"]
    total = _line(lines, table_kind="功能分类", row_kind="total", measure="合计")
    assert total["amount_text"] == "303,312,586.17"
    assert total["source_unit"] == "元"
    assert total["amount"] == pytest.approx(30331.258617)


def test_bracketed_code():
    """Zhuhai prints "[30101]基本工资": code 30101, name 基本工资, 636.67 万元; the table's code form is bracket."""
    frames = _frames("zhuhai/*.pdf")
    row = _line(frames["budget_lines"], table_kind="经济分类", code="30101")
    assert (row["name"], row["amount"], row["parent"]) == ("基本工资", pytest.approx(636.67), "301")
    forms = frames["tables"].filter(pl.col("table_kind") == "经济分类")["code_form"].to_list()
    assert forms and set(forms) == {"bracket"}


def test_split_code_own_level_only():
    """Changsha splits 类 | 款 | 项 and prints only "40" on the 款 row: 20140 信访事务 = 1,935.36 万元,
    and "201 | 40 | 01" is 2014001 行政运行 = 1,517.95."""
    lines = _frames("changsha/*.pdf")["budget_lines"].filter(pl.col("table_kind") == "功能分类")
    assert _line(lines, code="20140", measure="总计")["name"] == "信访事务"
    assert _line(lines, code="20140", measure="总计")["amount"] == pytest.approx(1935.36)
    assert _line(lines, code="2014001", measure="基本支出")["amount"] == pytest.approx(1517.95)


def test_dash_joined_code_and_six_decimals():
    """Beijing prints "2010601-行政运行" and 万元 with six decimals: 基本工资's row reads 1,721.982000."""
    frames = _frames("beijing/*报表.pdf")
    row = _line(frames["budget_lines"], table_kind="支出总表", code="2010601", measure="合计")
    assert (row["name"], row["amount_text"], row["amount"]) == ("行政运行", "1,721.982000", pytest.approx(1721.982))
    assert frames["tables"].filter(pl.col("table_kind") == "支出总表")["code_form"].to_list() == ["dash"]


def test_code_less_rows_keep_null_codes():
    """Hangzhou's 功能分类 table prints names only: 一般公共服务支出 = 12,868.19 万元 with code null."""
    lines = _frames("hangzhou/*.pdf")["budget_lines"]
    row = _line(lines, table_kind="功能分类", name="一般公共服务支出", measure="合计")
    assert row["amount"] == pytest.approx(12868.19)
    assert row["code"] is None


def test_column_number_row_is_not_data():
    """Hangzhou's "** 1 2 3 …" row under the header is neither a row of figures nor a column name."""
    frames = _frames("hangzhou/*.pdf")
    lines = frames["budget_lines"].filter(pl.col("table_kind") == "功能分类")
    assert "**" not in lines["name"].to_list()
    assert not any(h.isdigit() for hs in frames["tables"]["header"].to_list() for h in hs)


def test_title_and_unit_inside_the_grid():
    """Beijing prints "预算01表 收支总表" and "金额单位：万元" inside the ruled grid: table 表1, 收支总表, 万元."""
    tables = _frames("beijing/*报表.pdf")["tables"]
    first = tables.row(0, named=True)
    assert (first["table_no"], first["title"], first["table_kind"], first["source_unit"]) == (
        "表1",
        "收支总表",
        "收支总表",
        "万元",
    )


def test_side_by_side_blocks_keep_income_and_expenditure_apart():
    """Chongqing's 收支总表 prints 收入 | 支出 side by side: 合计 186,549.30 on each side, two rows."""
    lines = _frames("chongqing/*.pdf")["budget_lines"].filter(pl.col("table_kind") == "收支总表")
    totals = lines.filter(pl.col("name") == "合计").select("side", "amount").sort("side").rows()
    assert totals == [("expenditure", pytest.approx(186549.30)), ("income", pytest.approx(186549.30))]


def test_four_blocks_in_one_summary_table():
    """Xi'an's 收支总表 has four blocks (收入, 功能分类, 部门经济分类, 政府经济分类), each with its own amounts."""
    frames = _frames("xian/*.pdf")
    lines = frames["budget_lines"].filter(pl.col("table_kind") == "收支总表")
    assert lines["side"].n_unique() == 4
    assert _line(lines, name="1、一般公共服务支出")["amount"] == pytest.approx(10351.875535)


def test_unrecognised_table_is_kept():
    """Chongqing's 政府采购预算明细表 matches no known kind: kept, 未识别, with its 合计 11,884.37 万元."""
    frames = _frames("chongqing/*.pdf")
    table = frames["tables"].filter(pl.col("title").str.contains("政府采购")).row(0, named=True)
    assert table["table_kind"] is None
    row = _line(frames["budget_lines"], source_table=table["source_table"], name="合计", measure="总计")
    assert row["amount"] == pytest.approx(11884.37)


def test_each_unit_keeps_its_rows():
    """Zhuhai's 收入总体情况表 lists its units: 珠海市贸易服务中心 has 1,090.13 万元 under 合计."""
    lines = _frames("zhuhai/*.pdf")["budget_lines"]
    row = _line(lines, table_kind="收入总表", unit="珠海市贸易服务中心", measure="合计")
    assert row["amount"] == pytest.approx(1090.13)


def test_coverage_of_a_table():
    """Every table records its coverage: Suzhou's tables read every numeric cell they print."""
    tables = _frames("suzhou/*.pdf")["tables"].filter(pl.col("table_kind").is_not_null())
    assert tables.height >= 8
    assert (tables["cells_read"] == tables["cells_seen"]).all()
