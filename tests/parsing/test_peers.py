"""Peers and trends: the figures the filings print, ranked across departments and followed over years."""

from __future__ import annotations

import polars as pl
import pytest

from parsing import schema
from parsing.library import Library
from parsing.queries.peers import peers
from parsing.queries.subjects import subject, values
from parsing.queries.trend import trend
from tests.conftest import REAL, SEEDS

AUDIT = "深圳市龙岗区审计局"
WANLI = "上海市普陀区人民政府万里街道办事处"


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> Library:
    base = tmp_path_factory.mktemp("peers")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("YUSUAN_CACHE_DIR", str(base / "cache"))
        mp.setenv("YUSUAN_DATA_DIR", str(base / "data"))
        return Library.load([SEEDS])


@pytest.fixture(scope="module")
def with_putuo(tmp_path_factory) -> Library:
    """The seeds (with their synthetic 2022 editions) and the Putuo 万里 budgets of 2023–2025."""
    if not REAL.is_dir():
        pytest.skip("../shared/real is absent")
    base = tmp_path_factory.mktemp("peers-putuo")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("YUSUAN_CACHE_DIR", str(base / "cache"))
        mp.setenv("YUSUAN_DATA_DIR", str(base / "data"))
        return Library.load([SEEDS, *(REAL / f"{y}_普陀区万里街道办事处_部门预算.pdf" for y in (2023, 2024, 2025))])


def _row(df: pl.DataFrame, department: str) -> dict:
    rows = df.filter(pl.col("department") == department)
    assert rows.height == 1, rows
    return rows.row(0, named=True)


def _doc(doc_id: str, department: str, year: int, kind: str = "部门预算") -> dict:
    return {"doc_id": doc_id, "department": department, "year": year, "kind": kind, "synthetic": False}


def _line(
    doc_id: str,
    code: str | None,
    amount: float,
    *,
    unit: str = "本级",
    table: str = "功能分类",
    measure: str = "支出总计",
    row_kind: str = "line",
    row_no: int = 0,
) -> dict:
    return {
        "doc_id": doc_id,
        "table_kind": table,
        "code": code,
        "name": code or "合计",
        "unit": unit,
        "measure": measure,
        "amount": amount,
        "row_kind": row_kind,
        "row_no": row_no,
    }


def _library(docs: list[dict], lines: list[dict], projects: list[dict] = ()) -> Library:
    return Library(
        documents=schema.frame("documents", docs),
        budget_lines=schema.frame("budget_lines", lines),
        projects=schema.frame("projects", list(projects)),
    )


def test_peers_of_2010804_in_2023_list_the_audit_bureau_with_190(with_putuo):
    """2010804 审计业务 2023: 审计局 first with 190 (5.51% of 3,451), 66 the year before (+124,
    +187.88%); 万里街道, whose 2023 budget prints no 2010804, is listed as lacking it."""
    df = peers(with_putuo, subject(code="2010804"), 2023)
    audit = _row(df, AUDIT)
    assert (audit["rank"], audit["amount"], audit["share"], audit["prior"], audit["delta"], audit["delta_pct"]) == (
        1,
        190.0,
        5.51,
        66.0,
        124.0,
        187.88,
    )
    assert audit["name"] == "审计业务" and audit["table_kind"] == "支出总表"
    assert _row(df, WANLI)["status"] == "absent"
    assert _row(df, "深圳市龙岗区财政局")["status"] == "no_filing"


def test_peers_rank_the_putuo_and_shenzhen_sangong_together(with_putuo):
    """三公 2023: 审计局 26.5 (2022: 26.5) above 万里 22.91 (its 2023 三公 table's 合计)."""
    df = peers(with_putuo, subject(metric="三公"), 2023)
    assert df.filter(pl.col("status") == "ok").select("department", "amount", "rank").rows() == [
        (AUDIT, 26.5, 1),
        (WANLI, 22.91, 2),
    ]
    assert _row(df, AUDIT)["prior"] == 26.5


def test_trend_of_30227_shows_2022_and_2023(seeds):
    """委托业务费 (30227) of 审计局: 70 in the 2022 edition, 193 in 2023 (表8), Δ +123."""
    t = trend(seeds, AUDIT, subject(code="30227"))
    assert t.points() == [(2022, 70.0), (2023, 193.0)]
    assert t.series["delta"].to_list() == [None, 123.0]
    assert t.name == "委托业务费" and t.missing == []


def test_trend_lists_years_whose_filing_lacks_the_code(seeds):
    """A code no 审计局 budget prints gives no points and names both years as lacking it."""
    t = trend(seeds, AUDIT, subject(code="2010607"))
    assert t.points() == [] and t.missing == [2022, 2023]


def test_project_share_is_project_over_total(seeds):
    """项目支出占比 2023: 217 ÷ 3,451 = 6.29%."""
    row = _row(values(seeds, subject(metric="项目支出占比"), years=[2023]), AUDIT)
    assert (row["amount"], row["unit"]) == (6.29, "%")


def test_per_head_uses_the_staff_count_printed_in_part_one(seeds):
    """人均 2023: 3,451 万元 ÷ the 74 人 of 部门概况 = 46.6351."""
    row = _row(values(seeds, subject(metric="人均"), years=[2023]), AUDIT)
    assert row["amount"] == 46.6351 and row["name"] == "总支出 ÷ 74 人"


def test_exec_rate_from_a_self_evaluation_is_actual_over_budget(seeds):
    """执行率 of 财政局 2021 (no 决算 loaded): Σ actual ÷ Σ budget of its 自评表's projects."""
    projects = seeds.projects.join(seeds.documents, on="doc_id").filter(
        (pl.col("year") == 2021) & (pl.col("row_kind") == "project")
    )
    expected = round(projects["actual_total"].sum() / projects["budget_total"].sum() * 100, 2)
    row = _row(values(seeds, subject(metric="执行率"), years=[2021]), "深圳市龙岗区财政局")
    assert row["amount"] == expected and row["table_kind"] == "绩效自评表"


def test_exec_rate_prefers_final_accounts_over_budget():
    """A 部门决算 total of 95 against a 部门预算 total of 100 gives 95%."""
    lib = _library(
        [_doc("b", "甲局", 2024), _doc("f", "甲局", 2024, "部门决算")],
        [
            _line("b", None, 100, table="支出总表", row_kind="total"),
            _line("f", None, 95, table="支出总表", measure="本年支出合计", row_kind="total"),
        ],
    )
    assert values(lib, subject(metric="执行率"))["amount"].to_list() == [95.0]


def test_a_code_under_several_units_is_summed():
    """2010601 under 本级 (10) and a 中心 (5) is 15 for the department."""
    lib = _library(
        [_doc("a", "甲局", 2023)],
        [_line("a", "2010601", 10, unit="本级"), _line("a", "2010601", 5, unit="中心", row_no=1)],
    )
    assert values(lib, subject(code="2010601"))["amount"].to_list() == [15.0]


def test_a_code_printed_in_two_tables_of_one_kind_is_read_from_the_first():
    """30201 办公费 = 29 in 表6 and again in 表8 (both 基本支出): 29 from 表6, not 58."""
    lines = [_line("a", "30201", 29, table="基本支出", measure="合计") | {"table_no": n} for n in ("表6", "表8")]
    row = values(_library([_doc("a", "甲局", 2026)], lines), subject(code="30201")).row(0, named=True)
    assert (row["amount"], row["table_no"]) == (29.0, "表6")


def test_a_class_printed_by_name_is_found_by_its_code_when_its_amounts_make_it_a_class():
    """一般公共服务支出 10 over 款 人大事务 10 over 项 行政运行 10, no codes printed: 201 is 10."""
    printed = [("一般公共服务支出", 10.0), ("人大事务", 10.0), ("行政运行", 10.0)]
    lines = [_line("a", None, v, row_no=i) | {"name": n} for i, (n, v) in enumerate(printed)]
    assert values(_library([_doc("a", "甲局", 2026)], lines), subject(code="201"))["amount"].to_list() == [10.0]


def test_the_spending_summary_wins_over_the_general_budget_table():
    """支出总表 (every fund, 12) is read before 功能分类 (一般公共预算 only, 10)."""
    lib = _library(
        [_doc("a", "甲局", 2023)],
        [_line("a", "2010601", 10, table="功能分类"), _line("a", "2010601", 12, table="支出总表")],
    )
    row = values(lib, subject(code="2010601")).row(0, named=True)
    assert (row["amount"], row["table_kind"]) == (12.0, "支出总表")


def test_the_table_on_screen_is_read_first():
    """Asked from a 功能分类 table, the code is read there (10) before 支出总表 (12)."""
    lib = _library(
        [_doc("a", "甲局", 2023)],
        [_line("a", "2010601", 10, table="功能分类"), _line("a", "2010601", 12, table="支出总表")],
    )
    assert values(lib, subject(code="2010601", table_kind="功能分类"))["amount"].to_list() == [10.0]


def test_ties_share_a_rank_and_rank_change_counts_places():
    """乙 and 丙 tie at 20 (rank 1, then by name); 甲 was first last year and is third now: change −2."""
    docs, lines = [], []
    for i, (dept, before, now) in enumerate((("甲局", 30, 5), ("乙局", 10, 20), ("丙局", 5, 20))):
        docs += [_doc(f"{i}a", dept, 2022), _doc(f"{i}b", dept, 2023)]
        lines += [_line(f"{i}a", "2010601", before), _line(f"{i}b", "2010601", now)]
    df = peers(_library(docs, lines), subject(code="2010601"), 2023)
    assert df.select("department", "rank", "prior_rank", "rank_change").rows() == [
        ("丙局", 1, 3, 2),
        ("乙局", 1, 2, 1),
        ("甲局", 3, 1, -2),
    ]


def test_basic_and_project_measures_read_their_columns(seeds):
    """2010804 in 2023: 基本支出 0, 项目支出 190."""
    basic = values(seeds, subject(code="2010804", measure="基本"), years=[2023])["amount"].to_list()
    project = values(seeds, subject(code="2010804", measure="项目支出"), years=[2023])["amount"].to_list()
    assert (basic, project) == ([0.0], [190.0])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"code": "20106x"}, "不是科目编码"),
        ({"metric": "奖金"}, "没有“奖金”这一指标"),
        ({"code": "201", "measure": "x"}, "没有“x”这一栏"),
    ],
)
def test_a_subject_that_is_not_one_says_why(kwargs, message):
    """A bad code, metric or measure is a ValueError that names the problem."""
    with pytest.raises(ValueError, match=message):
        subject(**kwargs)


def test_the_line_index_finds_a_codes_lines_as_a_filter_would(seeds):
    """line_index(lib).code("2010804") holds exactly the lines a full filter finds, in order."""
    from parsing.queries.line_index import line_index

    expected = seeds.budget_lines.filter(pl.col("code") == "2010804")
    assert line_index(seeds).code("2010804").equals(expected)
    assert line_index(seeds).code("999").height == 0
