"""Year comparison and budget vs actual: small inline filings for the rules, the seeds for the figures."""

from __future__ import annotations

import polars as pl
import pytest

from parsing import schema
from parsing.library import Library
from parsing.numbers import format_amount
from parsing.queries.compare import (
    compare_budget,
    compare_budget_actual,
    compare_projects,
    compare_years,
)
from parsing.queries.lookup import department_years, find_department
from parsing.queries.report import format_change, format_comparison
from tests.conftest import SEEDS

AUDIT = "深圳市龙岗区审计局"
FINANCE = "深圳市龙岗区财政局"


def _doc(doc_id: str, kind: str, year: int, department: str = AUDIT) -> dict:
    return {"doc_id": doc_id, "kind": kind, "year": year, "department": department, "synthetic": False}


def _line(
    doc_id: str,
    code: str | None,
    name: str,
    amount: float | None,
    *,
    table_kind: str = "功能分类",
    measure: str = "支出总计",
    row_no: int = 0,
    unit: str = "深圳市龙岗区审计局本级",
    source_unit: str = "万元",
) -> dict:
    return {
        "doc_id": doc_id,
        "table_kind": table_kind,
        "code": code,
        "name": name,
        "amount": amount,
        "measure": measure,
        "row_no": row_no,
        "unit": unit,
        "source_unit": source_unit,
        "row_kind": "line",
    }


def _project(
    doc_id: str, n: int, name: str, budget: float, actual: float | None = None, unit: str = "深圳市龙岗区财政局（本级）"
) -> dict:
    return {
        "doc_id": doc_id,
        "project_id": f"{doc_id}:{n}",
        "unit": unit,
        "name": name,
        "row_kind": "project",
        "budget_total": budget,
        "actual_total": actual,
    }


def _library(documents: list[dict], lines: list[dict] = (), projects: list[dict] = ()) -> Library:
    return Library(
        documents=schema.frame("documents", documents),
        budget_lines=schema.frame("budget_lines", list(lines)),
        projects=schema.frame("projects", list(projects)),
    )


def _row(df: pl.DataFrame, **where: object) -> dict:
    rows = df.filter(*(pl.col(k) == v for k, v in where.items()))
    assert rows.height == 1, rows
    return rows.row(0, named=True)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> Library:
    """The bundled seeds (with their synthetic 2022 editions), once, with a private cache."""
    base = tmp_path_factory.mktemp("compare")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("YUSUAN_CACHE_DIR", str(base / "cache"))
        mp.setenv("YUSUAN_DATA_DIR", str(base / "data"))
        lib = Library.load([SEEDS])
    assert department_years(lib, AUDIT, "部门预算") == [2022, 2023]
    return lib


# --- budget lines ------------------------------------------------------------------------------


def test_lines_align_by_code_with_delta_and_percent():
    """2010804 审计业务 66 → 190: Δ +124, Δ% +187.88, changed."""
    lib = _library(
        [_doc("a", "部门预算", 2022), _doc("b", "部门预算", 2023)],
        [_line("a", "2010804", "审计业务", 66), _line("b", "2010804", "审计业务", 190)],
    )
    row = _row(compare_budget(lib, AUDIT, 2022, 2023), code="2010804")
    assert (row["amount_a"], row["amount_b"], row["delta"], row["delta_pct"], row["status"]) == (
        66.0,
        190.0,
        124.0,
        187.88,
        "changed",
    )


def test_same_code_new_name_is_renamed():
    """One code under two names is one line, marked renamed, both names kept."""
    lib = _library(
        [_doc("a", "部门预算", 2022), _doc("b", "部门预算", 2023)],
        [_line("a", "2010804", "审计业务", 66), _line("b", "2010804", "审计业务费", 66)],
    )
    row = _row(compare_budget(lib, AUDIT, 2022, 2023), code="2010804")
    assert (row["name_a"], row["name_b"], row["status"]) == ("审计业务", "审计业务费", "renamed")


def test_new_and_gone_lines():
    """A code only in B is new (Δ = its amount); one only in A is gone (Δ% −100)."""
    lib = _library(
        [_doc("a", "部门预算", 2022), _doc("b", "部门预算", 2023)],
        [_line("a", "2010806", "信息化建设", 2), _line("b", "2010850", "事业运行", 137)],
    )
    out = compare_budget(lib, AUDIT, 2022, 2023)
    assert _row(out, code="2010850")["status"] == "new" and _row(out, code="2010850")["delta"] == 137.0
    gone = _row(out, code="2010806")
    assert (gone["status"], gone["delta"], gone["delta_pct"]) == ("gone", -2.0, -100.0)


def test_unchanged_line_is_same():
    """Equal amounts under one code and name: same, Δ 0."""
    lib = _library(
        [_doc("a", "部门预算", 2022), _doc("b", "部门预算", 2023)],
        [_line("a", "2010806", "信息化建设", 2), _line("b", "2010806", "信息化建设", 2)],
    )
    row = _row(compare_budget(lib, AUDIT, 2022, 2023), code="2010806")
    assert (row["status"], row["delta"]) == ("same", 0.0)


def test_yuan_and_wanyuan_tables_compare_in_wanyuan():
    """A table printed in 元 (540,000 元 = 54 万元) against one printed in 万元 (155): Δ +101."""
    lib = _library(
        [_doc("a", "部门预算", 2022), _doc("b", "部门预算", 2023)],
        [_line("a", "2010804", "审计业务", 54.0, source_unit="元"), _line("b", "2010804", "审计业务", 155)],
    )
    assert _row(compare_budget(lib, AUDIT, 2022, 2023), code="2010804")["delta"] == 101.0


def test_rows_without_code_align_by_name_without_numbering():
    """三、卫生健康支出 and 四、卫生健康支出 (no code) are one 收支总表 line."""
    lib = _library(
        [_doc("a", "部门预算", 2022), _doc("b", "部门预算", 2023)],
        [
            _line("a", None, "三、卫生健康支出", 98, table_kind="收支总表", measure="预算数"),
            _line("b", None, "四、卫生健康支出", 87, table_kind="收支总表", measure="预算数"),
        ],
    )
    row = compare_budget(lib, AUDIT, 2022, 2023).row(0, named=True)
    assert (row["name_a"], row["name_b"], row["delta"]) == ("三、卫生健康支出", "四、卫生健康支出", -11.0)


def test_year_named_measures_align_as_this_year_and_last():
    """三公 columns 2022年 (in 2022) and 2023年 (in 2023) are both 本年."""
    lib = _library(
        [_doc("a", "部门预算", 2022), _doc("b", "部门预算", 2023)],
        [
            _line("a", None, "总计", 8.5, table_kind="三公经费", measure="2022年"),
            _line("b", None, "总计", 26.5, table_kind="三公经费", measure="2023年"),
        ],
    )
    row = _row(compare_budget(lib, AUDIT, 2022, 2023), measure="本年")
    assert (row["amount_a"], row["amount_b"]) == (8.5, 26.5)


def test_sorted_by_table_then_largest_change():
    """功能分类 before 经济分类; within a table |Δ| descending."""
    lib = _library(
        [_doc("a", "部门预算", 2022), _doc("b", "部门预算", 2023)],
        [
            _line("a", "2010801", "行政运行", 2010, row_no=1),
            _line("b", "2010801", "行政运行", 1812, row_no=1),
            _line("a", "2010804", "审计业务", 66, row_no=2),
            _line("b", "2010804", "审计业务", 190, row_no=2),
            _line("a", "30101", "基本工资", 500, table_kind="经济分类"),
            _line("b", "30101", "基本工资", 100, table_kind="经济分类"),
        ],
    )
    out = compare_budget(lib, AUDIT, 2022, 2023)
    assert out["code"].to_list() == ["2010801", "2010804", "30101"]


def test_table_kind_filter():
    """table_kind keeps one table."""
    lib = _library(
        [_doc("a", "部门预算", 2022), _doc("b", "部门预算", 2023)],
        [
            _line("a", "2010804", "审计业务", 66),
            _line("b", "2010804", "审计业务", 190),
            _line("a", "30101", "基本工资", 500, table_kind="经济分类"),
        ],
    )
    assert set(compare_budget(lib, AUDIT, 2022, 2023, "经济分类")["table_kind"]) == {"经济分类"}


def test_missing_year_names_what_there_is():
    """Asking for a year without a filing raises ValueError listing the department's filings."""
    lib = _library([_doc("b", "部门预算", 2023)])
    with pytest.raises(ValueError, match=r"深圳市龙岗区审计局 没有 2021 年的部门预算.*2023 部门预算"):
        compare_budget(lib, AUDIT, 2021, 2023)


# --- projects ----------------------------------------------------------------------------------


def _evaluations(a: list[tuple[str, float]], b: list[tuple[str, float]]) -> Library:
    return _library(
        [_doc("a", "绩效自评表", 2021, FINANCE), _doc("b", "绩效自评表", 2022, FINANCE)],
        [],
        [_project("a", n, name, v, v) for n, (name, v) in enumerate(a)]
        + [_project("b", n, name, v, v) for n, (name, v) in enumerate(b)],
    )


def test_projects_fuzzy_match_across_a_rename():
    """设备购置与维护 ↔ 办公设备购置（通用项目）: paired as fuzzy, with a score between 0.6 and 1."""
    out = compare_projects(
        _evaluations([("设备购置与维护", 39.32)], [("办公设备购置（通用项目）", 35.8)]), FINANCE, 2021, 2022
    )
    row = out.row(0, named=True)
    assert out.height == 1 and row["status"] == "fuzzy" and 0.6 <= row["score"] < 1
    assert (row["budget_a"], row["budget_b"], row["delta"]) == (39.32, 35.8, -3.52)


def test_projects_qualifier_and_width_are_ignored():
    """办公设备购置 ↔ 办公设备购置(通用项目) (half-width brackets) is an exact match, score 1."""
    out = compare_projects(
        _evaluations([("办公设备购置", 29.66)], [("办公设备购置(通用项目)", 12.4)]), FINANCE, 2021, 2022
    )
    assert out.select("status", "score").row(0) == ("changed", 1.0)


def test_unrelated_projects_are_new_and_gone():
    """Below the threshold nothing is paired: 公园大地… gone, 财政监督检查 new."""
    park = "公园大地社区配套和公共服务用房有偿项目接收"
    out = compare_projects(_evaluations([(park, 0.0)], [("财政监督检查", 18.4)]), FINANCE, 2021, 2022)
    assert sorted(out.select("status", "name_a", "name_b").rows()) == [
        ("gone", park, None),
        ("new", None, "财政监督检查"),
    ]


def test_projects_align_within_their_unit():
    """Two units' 其他一般管理事务 stay apart."""
    lib = _library(
        [_doc("a", "绩效自评表", 2021, FINANCE), _doc("b", "绩效自评表", 2022, FINANCE)],
        [],
        [
            _project("a", 0, "其他一般管理事务", 130.1, unit="本级"),
            _project("a", 1, "其他一般管理事务", 215.0, unit="中心"),
            _project("b", 0, "其他一般管理事务", 221.8, unit="中心"),
            _project("b", 1, "其他一般管理事务", 128.4, unit="本级"),
        ],
    )
    out = compare_projects(lib, FINANCE, 2021, 2022)
    assert sorted(out.select("unit", "budget_a", "budget_b").rows()) == [("中心", 215.0, 221.8), ("本级", 130.1, 128.4)]


# --- budget vs actual --------------------------------------------------------------------------


def test_budget_against_final_accounts():
    """部门预算 支出总计 190 against 部门决算 决算数 171 under 2010804: execution 90 %."""
    lib = _library(
        [_doc("p", "部门预算", 2023), _doc("f", "部门决算", 2023)],
        [_line("p", "2010804", "审计业务", 190), _line("f", "2010804", "审计业务", 171, measure="决算数")],
    )
    row = _row(compare_budget_actual(lib, AUDIT, 2023), code="2010804")
    assert (row["amount_a"], row["amount_b"], row["delta"], row["exec_rate"]) == (190.0, 171.0, -19.0, 90.0)


def test_budget_against_actual_of_a_self_evaluation():
    """Without a 决算, a 绩效自评表 gives each project's budget against its actual spending."""
    lib = _library([_doc("e", "绩效自评表", 2021, FINANCE)], [], [_project("e", 0, "办公楼修缮", 37.18, 30.8)])
    row = compare_budget_actual(lib, FINANCE, 2021).row(0, named=True)
    assert (row["name_a"], row["amount_a"], row["amount_b"], row["delta"], row["exec_rate"]) == (
        "办公楼修缮",
        37.18,
        30.8,
        -6.38,
        82.84,
    )


# --- departments -------------------------------------------------------------------------------


def test_find_department_by_a_unique_part():
    """审计局 names 深圳市龙岗区审计局; full-width or spaced input folds the same."""
    lib = _library([_doc("a", "部门预算", 2023), _doc("e", "绩效自评表", 2021, FINANCE)])
    assert find_department(lib, "审计局") == AUDIT
    assert find_department(lib, " 龙岗区 审计局 ") == AUDIT


def test_find_department_ambiguous_or_unknown():
    """局 matches two departments and 教育局 none: each a ValueError naming the candidates."""
    lib = _library([_doc("a", "部门预算", 2023), _doc("e", "绩效自评表", 2021, FINANCE)])
    with pytest.raises(ValueError, match="对应 2 个部门：深圳市龙岗区审计局、深圳市龙岗区财政局"):
        find_department(lib, "局")
    with pytest.raises(ValueError, match="没有名称含“教育局”的部门"):
        find_department(lib, "教育局")


def test_department_years():
    """The years of a department's filings, oldest first, optionally of one kind."""
    lib = _library([_doc("b", "部门预算", 2023), _doc("a", "部门预算", 2022), _doc("f", "部门决算", 2021)])
    assert department_years(lib, AUDIT) == [2021, 2022, 2023]
    assert department_years(lib, AUDIT, "部门预算") == [2022, 2023]


def test_format_change():
    """The command line's change column: 54 → 155  +101 (+187.04%) ▲."""
    row = {"amount_a": 54.0, "amount_b": 155.0, "delta": 101.0, "delta_pct": 187.04}
    assert format_change(row) == "54 → 155  +101 (+187.04%) ▲"


# --- both at once, as the command line shows them -----------------------------------------------


def _budgets_with_projects() -> Library:
    return _library(
        [_doc("a", "部门预算", 2022), _doc("b", "部门预算", 2023)],
        [_line("a", "2010804", "审计业务", 66), _line("b", "2010804", "审计业务费", 190)],
        [_project("a", 0, "审计业务", 54, unit=AUDIT), _project("b", 0, "审计业务", 155, unit=AUDIT)],
    )


def test_compare_years_gives_lines_and_projects():
    """Two 部门预算 with key projects: both budget lines and projects are compared."""
    assert set(compare_years(_budgets_with_projects(), AUDIT, 2022, 2023)) == {"budget_lines", "projects"}


def test_compare_years_projects_only():
    """table_kind 项目 asks for projects only; self-evaluations have nothing else."""
    assert set(compare_years(_budgets_with_projects(), AUDIT, 2022, 2023, "项目")) == {"projects"}
    assert set(compare_years(_evaluations([("绩效评价", 198.5)], [("绩效评价", 215.0)]), FINANCE, 2021, 2022)) == {
        "projects"
    }


def test_compare_years_with_nothing_in_common():
    """Years without comparable filings raise ValueError naming what there is."""
    with pytest.raises(ValueError, match=r"2021 与 2023 之间没有可比较的内容.*2022 部门预算"):
        compare_years(_budgets_with_projects(), AUDIT, 2021, 2023)


def test_format_comparison_text():
    """Plain text: a 项目 block and a block per table; a renamed line marked [更名]."""
    text = format_comparison(compare_years(_budgets_with_projects(), AUDIT, 2022, 2023), 2022, 2023)
    lines = text.splitlines()
    assert lines[0] == "项目 2022 → 2023"
    assert lines[1].startswith("  审计业务 ") and lines[1].endswith("54 → 155  +101 (+187.04%) ▲")
    assert lines[2] == "功能分类 2022 → 2023（万元）"
    assert "2010804 审计业务 → 审计业务费" in lines[3] and lines[3].endswith("66 → 190  +124 (+187.88%) ▲  [更名]")


# --- the seeds (2022 ↔ 2023 部门预算, 2021 ↔ 2022 自评表) ------------------------------------------


def test_seed_audit_business_54_to_155(seeds):
    """审计业务 54 → 155: Δ +101, +187 %."""
    row = _row(compare_projects(seeds, find_department(seeds, "审计局"), 2022, 2023), name_b="审计业务")
    assert (row["budget_a"], row["budget_b"], row["delta"], round(row["delta_pct"])) == (54.0, 155.0, 101.0, 187)


def test_seed_office_equipment_94_to_7(seeds):
    """办公设备购置（通用项目） 94 → 7."""
    out = compare_projects(seeds, AUDIT, 2022, 2023).filter(pl.col("name_b").str.starts_with("办公设备购置"))
    assert out.select("budget_a", "budget_b", "delta").row(0) == (94.0, 7.0, -87.0)


def test_seed_function_lines_align_by_code(seeds):
    """Every 功能分类 line with a code is in both years; 2010804 审计业务 支出总计 66 → 190."""
    out = compare_budget(seeds, AUDIT, 2022, 2023, "功能分类")
    coded = out.filter(pl.col("code").is_not_null())
    assert coded.height and set(coded["status"]) <= {"same", "changed"}
    row = _row(out, code="2010804", measure="支出总计")
    assert (row["name_a"], row["name_b"], row["amount_a"], row["amount_b"]) == ("审计业务", "审计业务", 66.0, 190.0)


def test_seed_self_evaluations_align_across_renames(seeds):
    """2021 ↔ 2022 自评表: 设备购置与维护 ↔ 办公设备购置（通用项目） fuzzy; 财政监督检查 new; 公园大地… gone."""
    assert department_years(seeds, FINANCE, "绩效自评表") == [2021, 2022]
    out = compare_projects(seeds, FINANCE, 2021, 2022)
    renamed = _row(out, name_a="设备购置与维护")
    assert (renamed["name_b"], renamed["status"]) == ("办公设备购置（通用项目）", "fuzzy")
    assert _row(out, name_b="财政监督检查")["status"] == "new"
    assert out.filter(pl.col("name_a").str.starts_with("公园大地"))["status"].to_list() == ["gone"]


def test_seed_command_line_view(seeds):
    """yusuan compare --dept 审计局 --years 2022 2023 shows 审计业务 54 → 155 (+101, +187%) and 94 → 7."""
    text = format_comparison(compare_years(seeds, find_department(seeds, "审计局"), 2022, 2023), 2022, 2023)
    assert "54 → 155  +101 (+187.04%) ▲" in text and "94 → 7  -87 (-92.55%) ▼" in text
    assert "2010804 审计业务" in text


def test_format_amount():
    """Figures for reading are exact to the stored 1e-6 万元 (one fen of 元): 805.046, 54.0 → 54,
    223.79925 (Beijing's 三公 printed in 元), signed +101 / -0.5; never rounded to two places."""
    assert [format_amount(v) for v in (805.046, 54.0, 223.79925, 0.0)] == ["805.046", "54", "223.79925", "0"]
    assert (format_amount(101.0, sign=True), format_amount(-0.5, sign=True)) == ("+101", "-0.5")


def test_a_codeless_row_reworded_at_its_end_is_renamed_not_gone_and_new():
    """收支总表 '1. 一般公共预算' (2023) and '1. 一般公共预算资金' (2025) are one row, 更名, with
    its Δ; a code-less row with no such partner stays 新增."""
    from parsing.queries.compare import _align_lines
    from parsing.queries.pairing import reworded

    def lines(rows):
        return pl.DataFrame(
            [
                {
                    "table_kind": "收支总表",
                    "unit_key": "",
                    "side": "income",
                    "item": item,
                    "measure_key": "预算数",
                    "occurrence": 0,
                    "unit": "",
                    "code": None,
                    "name": name,
                    "measure": "预算数",
                    "amount": amount,
                    "row_no": n,
                }
                for n, (item, name, amount) in enumerate(rows)
            ],
            schema_overrides={"code": pl.String},
        )

    a = lines([("一般公共预算", "1. 一般公共预算", 16497.864)])
    b = lines([("一般公共预算资金", "1. 一般公共预算资金", 18976.7551), ("事业收入", "2. 事业收入", 5.0)])
    out = _align_lines(a, reworded(a, b))
    status = dict(zip(out["name_b"], out["status"], strict=True))
    assert status == {"1. 一般公共预算资金": "renamed", "2. 事业收入": "new"}
    assert out.filter(pl.col("status") == "renamed")["delta"][0] == pytest.approx(2478.8911)
