"""Peers, trends and exports on genuine filings of other cities: the figures as printed."""

from __future__ import annotations

import polars as pl
import pytest

from parsing.library import Library
from parsing.queries.export import filing_table
from parsing.queries.peers import peers
from parsing.queries.subjects import subject, values
from parsing.queries.trend import trend
from tests.parsing.genuine import REAL

SUZHOU = "苏州市审计局"


def _load(tmp_path_factory: pytest.TempPathFactory, *folders: str) -> Library:
    if not REAL.is_dir():
        pytest.skip("../shared/real is absent")
    base = tmp_path_factory.mktemp("peers-real")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("YUSUAN_CACHE_DIR", str(base / "cache"))
        mp.setenv("YUSUAN_DATA_DIR", str(base / "data"))
        return Library.load([REAL / f for f in folders])


@pytest.fixture(scope="module")
def suzhou(tmp_path_factory) -> Library:
    """苏州市审计局 2026: 表6 财政拨款基本支出表 and 表8 一般公共预算基本支出表 print the same lines."""
    return _load(tmp_path_factory, "suzhou")


@pytest.mark.parametrize(("code", "printed"), [("30201", 29.0), ("30101", 469.17), ("302", 395.6)])
def test_an_economic_code_printed_in_two_basic_tables_is_read_from_one(suzhou, code, printed):
    """30201 办公费 is 29 on 表6 (p.15) and again on 表8: the figure is 29, not 58, and cites 表6."""
    row = values(suzhou, subject(code=code)).row(0, named=True)
    assert (row["amount"], row["table_no"], row["source_page"]) == (printed, "表6", 15)


def test_the_trend_of_a_code_in_two_tables_is_the_printed_figure(suzhou):
    """trend --dept 苏州 --code 30201: 2026 is 29 (表6), not the 58 of 表6 + 表8."""
    t = trend(suzhou, SUZHOU, subject(code="30201"))
    assert t.series.select("year", "amount", "table_no").rows() == [(2026, 29.0, "表6")]


def test_a_department_total_is_not_summed_with_its_basic_spending_table(tmp_path_factory):
    """泉州 prints 302 商品和服务支出 19,678.92 in its 一般公共预算支出经济分类情况表 and 5,400.8 in
    the 基本支出 one that follows: the first, complete table is read (not 25,079.72)."""
    lib = _load(tmp_path_factory, "quanzhou")
    row = values(lib, subject(code="302")).row(0, named=True)
    assert row["amount"] == 19678.92 and "基本支出" not in row["source_table"]


def test_an_export_of_a_kind_printed_in_several_tables_names_each_rows_table(suzhou):
    """苏州 prints 合计 4,651.67 in 表5 (财政拨款) and again in 表7 (一般公共预算): each row says its table."""
    df = filing_table(suzhou, SUZHOU, 2026, "功能分类")
    totals = df.filter((pl.col("name") == "合计") & (pl.col("measure") == "合计"))
    assert totals.select("table_no", "amount").rows() == [("表5", 4651.67), ("表7", 4651.67)]


def test_hangzhou_names_without_codes_export_with_their_level(tmp_path_factory):
    """杭州 表5 prints 其他一般公共服务支出 12,868 twice, without codes: once a 款 under 一般公共服务支出,
    once a 项 under itself; summing the 款 rows gives the 类 12,868.19, not twice 12,868."""
    lib = _load(tmp_path_factory, "hangzhou")
    df = filing_table(lib, "杭州市司法局", 2026, "功能分类").filter(pl.col("measure") == "合计")
    twice = df.filter(pl.col("name") == "其他一般公共服务支出")
    assert twice.select("table_no", "level", "parent", "amount").rows() == [
        ("表5", "款", "一般公共服务支出", 12868.0),
        ("表5", "项", "其他一般公共服务支出", 12868.0),
    ]
    kuan = df.filter((pl.col("level") == "款") & (pl.col("parent") == "一般公共服务支出"))["amount"].sum()
    assert round(kuan, 2) == 12868.19


def test_peers_take_last_years_sangong_from_the_filing_when_no_earlier_filing_is_loaded(tmp_path_factory):
    """深圳市财政局 2026 三公 58.46; its table prints 2025 as 59.66: 上年 59.66, Δ −1.2 (−2.01%)."""
    lib = _load(tmp_path_factory, "shenzhen")
    row = peers(lib, subject(metric="三公"), 2026).row(0, named=True)
    assert (row["amount"], row["prior"], row["delta"], row["delta_pct"]) == (58.46, 59.66, -1.2, -2.01)


def test_a_class_printed_by_name_only_is_ranked_under_its_code(tmp_path_factory):
    """杭州 prints 一般公共服务支出 12,868.19 without 201 (支出总表 表3): peers of 201 list it, not 未列示."""
    lib = _load(tmp_path_factory, "hangzhou")
    row = peers(lib, subject(code="201"), 2026).row(0, named=True)
    assert (row["department"], row["amount"], row["table_no"], row["status"]) == ("杭州市司法局", 12868.19, "表3", "ok")
