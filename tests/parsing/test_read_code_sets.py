"""Rows that print more than one code set, side-by-side copies, quantities, continuation pages and
project forms in genuine filings (../shared/real, skipped when absent): one test per phenomenon."""

from __future__ import annotations

import polars as pl
import pytest

from tests.parsing.genuine import frames as _frames


def _rows(lines: pl.DataFrame, columns: tuple[str, ...], **where: object) -> list[tuple]:
    return lines.filter(*(pl.col(k) == v for k, v in where.items())).select(columns).rows()


def test_second_code_set_of_a_row():
    """Yantai prints 部门经济分类 | 政府经济分类 codes on one row: 基本工资 keeps 30101 (830.34 万元),
    and the 合计 under the first name column is read (6,012.90)."""
    lines = _frames("yantai/*.pdf")["budget_lines"].filter(pl.col("table_kind") == "基本支出")
    assert (30101, 830.34) in [(int(c), a) for c, a in _rows(lines, ("code", "amount"), name="基本工资")]
    assert not lines.filter(pl.col("code").str.starts_with("50")).height
    assert _rows(lines, ("amount",), name="合计", measure="基本支出预算·小计")[0] == (pytest.approx(6012.90),)


def test_three_copies_side_by_side():
    """The central 基本支出决算表 prints 人员经费 | 公用经费 | 公用经费 copies: 商品和服务支出 (302)
    is 2,239.41 under its own code, 30299 reads 484.52 and 公用经费合计 2,266.65."""
    lines = _frames("central/2024_*.pdf")["budget_lines"].filter(pl.col("source_page") == 12)
    assert _rows(lines, ("amount",), code="302") == [(2239.41,)]
    assert _rows(lines, ("amount",), code="301") == [(6982.75,)]
    assert _rows(lines, ("amount",), code="30299") == [(484.52,)]
    assert _rows(lines, ("amount",), name="公用经费合计") == [(2266.65,)]


def test_quantity_is_not_money():
    """Xi'an's 政府采购 table prints 数量 and three code sets: only 预算金额 is read, 合计
    45,168,700.00 元 = 4,516.87 万元, and 多功能一体机 stays under 2010602."""
    lines = _frames("xian/*.pdf")["budget_lines"]
    table = lines.filter(pl.col("source_page") == 41, pl.col("amount").is_not_null())
    assert set(table["measure"]) == {"预算金额"}
    assert _rows(table, ("amount",), name="合计") == [(pytest.approx(4516.87),)]
    assert _rows(table, ("code", "amount"), name="财政管理")[0] == ("2010602", pytest.approx(49.5))


def test_continuation_page_with_fewer_columns():
    """Beijing's 支出总表 goes on over a page whose grid lacks the first page's empty column: its
    合计 row still reads 44,169.357532 | 28,016.258321 | 16,153.099211."""
    lines = _frames("beijing/*报表.pdf")["budget_lines"].filter(pl.col("table_kind") == "支出总表")
    total = dict(_rows(lines, ("measure", "amount"), row_kind="total"))
    assert (total["合计"], total["基本支出"], total["项目支出"]) == (44169.357532, 28016.258321, 16153.099211)


def test_project_target_table_is_projects():
    """Changsha's 项目支出绩效目标表 (单位（项目）名称 | 资金总额 | 绩效目标 | 绩效指标…) lists projects:
    人民来访接待中心业务专项 = 102.80 万元, and no indicator value becomes an amount."""
    frames = _frames("changsha/*.pdf")
    projects = frames["projects"].filter(pl.col("name") == "人民来访接待中心业务专项")
    assert projects["budget_total"].to_list() == [pytest.approx(102.80)]
    assert frames["budget_lines"].filter(pl.col("name").str.contains("资质达标率")).is_empty()


def test_flat_indicator_list():
    """Beijing's 部门整体支出绩效目标表 lists 活动 | 绩效指标 | 指标性质 | 指标值 | 度量单位: indicators
    (财政评审项目数量 ≥420个), never amounts."""
    frames = _frames("beijing/*报表.pdf")
    targets = frames["indicators"].filter(pl.col("indicator").str.ends_with("财政评审项目数量"))
    assert targets["target"].to_list()[:1] == ["≥420个"]
    assert frames["budget_lines"].filter(pl.col("name") == "预算评审").is_empty()


def test_other_classifications_of_a_row_are_kept():
    """Beijing's 支出总表 classifies each row by 功能 × 政府经济 × 部门经济 (2010601-行政运行 |
    50101-工资奖金津补贴 | 30101-基本工资): the row keeps 2010601 and, as its detail, the two other
    classifications, so 行政运行's rows are told apart (基本工资 1,721.982, 津贴补贴 3,312.997)."""
    lines = _frames("beijing/*报表.pdf")["budget_lines"].filter(pl.col("table_kind") == "支出总表")
    rows = dict(_rows(lines, ("detail", "amount"), code="2010601", measure="合计"))
    assert rows["50101-工资奖金津补贴 · 30101-基本工资"] == 1721.982
    assert rows["50101-工资奖金津补贴 · 30102-津贴补贴"] == 3312.997
    assert lines.filter(pl.col("code") == "2010601", pl.col("measure") == "合计")["detail"].null_count() == 0
