"""Misses of the altered-filing suite in the amounts, units, sums and toc families, each fixed for
its phenomenon: a 行次 column read as an amount (the national 决算 template), and two tables of
one kind balanced each against itself, a 收支总表 whose grand total is named 收入合计, a subject
after 安排, 公用经费 that no table prints as a row, a table that lists only its 项 rows, and a 目录
whose page numbers tell where a missing table should be."""

from __future__ import annotations

import polars as pl

from parsing import schema
from parsing.checks import run_checks
from parsing.library import Library
from parsing.readers.describe import describe
from parsing.routes.raw import RawRow, RawTable
from tests.parsing.test_checks import _line
from tests.parsing.test_checks_narrative import _errors, _filing


def _two_sided_with_row_numbers() -> RawTable:
    rows = [
        ("收入", None, None, "支出", None, None),
        ("项目", "行次", "金额", "项目", "行次", "金额"),
        ("栏次", "", "1", "栏次", "", "2"),
        ("一、一般公共预算财政拨款收入", "1", "19,572.91", "一、一般公共服务支出", "32", "10,685.56"),
        ("八、其他收入", "8", "878.44", "八、社会保障和就业支出", "39", "2,228.57"),
        ("本年收入合计", "27", "20,451.35", "本年支出合计", "58", "14,572.53"),
        ("年初结转和结余", "29", "1,615.24", "年末结转和结余", "60", "7,494.06"),
        ("总计", "31", "22,066.59", "总计", "62", "22,066.59"),
    ]
    return RawTable(title="收入支出决算总表", unit="万元", fragments=[[RawRow(r, page=7) for r in rows]])


def test_a_row_number_column_is_never_an_amount():
    """The national 决算 template's 收入支出决算总表 prints 行次 beside each side's 金额: only 金额
    is a measure (本年收入合计 行次 27 is no figure)."""
    d = describe(_two_sided_with_row_numbers())
    assert [b.measures for b in d.blocks] == [((2, "金额"),), ((5, "金额"),)]
    assert [b.row_number_cols for b in d.blocks] == [(1,), (4,)]


def test_the_central_final_accounts_summary_is_read_whole(real_dir):
    """The central 2024 决算's 收入支出决算总表 (p.7): 本年收入合计 20,451.35, 总计 22,066.59 on both
    sides, no figure from the 行次 column, and every printed amount read (13 of 13)."""
    lib = Library.load([real_dir.parent / "central" / "2024_国家信访局_部门决算.pdf"])
    page = lib.budget_lines.filter(pl.col("source_page") == 7, pl.col("amount").is_not_null())
    assert page.filter(pl.col("name") == "本年收入合计")["amount"].to_list() == [20451.35]
    assert page.filter(pl.col("name") == "总计")["amount"].to_list() == [22066.59, 22066.59]
    assert page.filter(pl.col("measure") == "行次").is_empty()
    table = lib.tables.filter(pl.col("source_page") == 7).row(0, named=True)
    assert table["cells_seen"] == table["cells_read"] == 13


def _summary_named_合计(total: float) -> list[dict]:
    """A 收支总表 whose grand totals are 收入合计 / 支出合计, printed after 上年结转结余 (Quanzhou)."""
    summary = {"table_kind": "收支总表", "classification": "none", "source_table": "2026年度收支预算总表"}
    return [
        _line(None, "预算数", total - 7600, name="本年收入合计", side="income", row_kind="total", row_no=26) | summary,
        _line(None, "预算数", 7600.0, name="上年结转结余", side="income", row_no=27) | summary,
        _line(None, "预算数", total, name="收入合计", side="income", row_kind="total", row_no=28) | summary,
        _line(None, "预算数", total, name="本年支出合计", side="expenditure", row_kind="total", row_no=26) | summary,
        _line(None, "预算数", total, name="支出合计", side="expenditure", row_kind="total", row_no=28) | summary,
    ]


def test_a_grand_total_named_收入合计_and_a_subject_after_安排():
    """'相应安排支出预算91206.56万元' against a 收支总表 whose last row is 支出合计 81,206.56: ✗ T-AMOUNT;
    written 元, ✗ T-UNIT; the printed 81206.56 万元 raises nothing."""
    text = (
        "2026年,某区财政局部门收入预算为81206.56万元，比上年增加592.82万元。相应安排支出预算{}，比上年增加592.82万元。"
    )
    row = _errors(_filing(text.format("91206.56万元"), _summary_named_合计(81206.56), year=2026), "T-AMOUNT")
    assert (row["actual"][0], row["expected"][0]) == (91206.56, 81206.56)
    assert _errors(_filing(text.format("81206.56元"), _summary_named_合计(81206.56), year=2026), "T-UNIT").height == 1
    assert run_checks(_filing(text.format("81206.56万元"), _summary_named_合计(81206.56), year=2026)).is_empty()


def _economic(basic: dict[str, float]) -> list[dict]:
    """An 一般公共预算 经济分类 table: the 基本支出 column of its 类 rows, and a 支出总表's 基本支出."""
    table = {
        "table_kind": "经济分类",
        "classification": "economic",
        "source_table": "表8 一般公共预算支出表（按经济分类）",
    }
    rows = [
        _line(c, "基本支出", a, row_no=i) | table | {"amount_text": f"{a:,.2f}"}
        for i, (c, a) in enumerate(basic.items())
    ]
    spend = {"table_kind": "支出总表", "classification": "function", "source_table": "表3 支出总表"}
    whole = sum(basic.values())
    return [*rows, _line(None, "基本支出", round(whole, 2), name="合计", row_kind="total") | spend]


SHENZHEN_BASIC = {"301": 8490.42, "302": 1462.93, "303": 1066.96, "310": 4.00}


def test_公用经费_no_table_prints_is_the_other_classes_of_基本支出():
    """Shenzhen prints no 公用经费 row: '（二）公用经费2,466.93万元' against 302 + 310 of the 经济分类's
    基本支出 (1,462.93 + 4.00 = 1,466.93): ✗ T-AMOUNT; the printed 1,466.93 raises nothing."""
    text = "（二）公用经费{}万元，主要包括公用综合定额经费、水电费等公用经费。"
    row = _errors(_filing(text.format("2,466.93"), _economic(SHENZHEN_BASIC), year=2026), "T-AMOUNT").row(0, named=True)
    assert (row["actual"], row["expected"]) == (2466.93, 1466.93)
    assert _errors(_filing(text.format("1,466.93"), _economic(SHENZHEN_BASIC), year=2026), "T-AMOUNT").is_empty()


def test_公用经费_is_not_derived_from_an_economic_table_of_another_口径():
    """When the 支出总表's 基本支出 (全部资金) is not the 经济分类 table's (一般公共预算 only), the
    table's 类 are not the department's 公用经费: nothing is compared."""
    lines = _economic(SHENZHEN_BASIC)
    lines[-1] = lines[-1] | {"amount": 12000.0}
    text = "（二）公用经费2,466.93万元，主要包括公用综合定额经费。"
    assert _errors(_filing(text, lines, year=2026), "T-AMOUNT").is_empty()


def _items_only(total: float) -> Library:
    """A 功能分类 table listing only its 项 rows (no 类 or 款), as Quanzhou's does."""
    rows = [_line(None, "小计", total, name="合计", row_kind="total")]
    for i, (code, amount) in enumerate((("2040101", 1200.5), ("2040201", 50000.0), ("2080505", 17858.86)), 1):
        rows.append(_line(code, "小计", amount, row_no=i))
    lib = _filing("", rows)
    lib.tables = schema.frame(
        "tables",
        [
            {
                "doc_id": "d",
                "source_table": None,
                "table_kind": "功能分类",
                "sure": True,
                "cells_seen": 4,
                "cells_read": 4,
            }
        ],
    )
    return lib


def test_a_table_of_items_only_adds_its_items_to_its_total():
    """合计 68,059.36 over 项 rows 1,200.50 + 50,000.00 + 17,858.86 (= 69,059.36) with no 类 or 款
    printed: ✗ V-TOP (合计 = Σ项); the printed 69,059.36 raises nothing."""
    row = _errors(_items_only(68059.36), "V-TOP").row(0, named=True)
    assert (row["actual"], row["expected"]) == (68059.36, 69059.36) and "合计·小计 = Σ项" in row["message"]
    assert run_checks(_items_only(69059.36)).filter(pl.col("rule") == "V-TOP").is_empty()


TOC = (
    "目录\n一、收支预算总表....7\n二、收入预算总表....8\n三、支出预算总表....9\n"
    "十、一般公共预算“三公”经费支出预算表....16\n第三部分 2026年度部门预算情况说明....17"
)


def _toc_filing(bare_page: int) -> Library:
    """A 目录 whose entries sit 3 pages on in the PDF (p.10, 11, 12), the 三公 table missing, and
    one table whose title was read as '表' alone on ``bare_page``."""
    rows = [
        _line(None, "预算数", 1.0, name="合计", table_kind=k, source_table=t, source_page=p, row_kind="total")
        for k, t, p in (
            ("收支总表", "收支预算总表", 10),
            ("收入总表", "收入预算总表", 11),
            ("支出总表", "支出预算总表", 12),
        )
    ]
    lib = _filing("", rows, year=2026, front=TOC)
    lib.budget_lines = lib.budget_lines.with_columns(pl.Series("source_page", [10, 11, 12], dtype=pl.Int32))
    bare = {"doc_id": "d", "source_table": "表", "table_kind": None, "sure": False, "source_page": bare_page}
    lib.tables = schema.frame("tables", [bare | {"cells_seen": 3, "cells_read": 0}])
    return lib


def test_a_table_without_a_title_elsewhere_is_not_the_missing_entry():
    """The 目录 lists the 三公 table on its p.16 (PDF p.19) and it is not printed; the only table
    whose title could not be read is on p.36: ✗ T-TOC. On p.19 it may be that table: 未核."""
    assert "“一般公共预算“三公”经费支出预算表”" in _errors(_toc_filing(36), "T-TOC")["message"][0]
    found = run_checks(_toc_filing(19)).filter(pl.col("rule") == "T-TOC")
    assert found["severity"].to_list() == ["note"] and "未核" in found["message"][0]


def test_two_summary_tables_are_each_balanced_against_themselves():
    """The central 2024 决算 prints 收入支出决算总表 (总计 22,066.59, income and expenditure in 金额)
    and 财政拨款收入支出决算总表 (总计 20,727.53: income in 金额, expenditure in 合计), both read as
    收支总表: nothing is ✗ (the second's income is not the first's expenditure); a 总计 misprinted
    in one of them still is."""

    def total(table: str, side: str, measure: str, amount: float) -> dict:
        kind = {"table_kind": "收支总表", "table_no": table, "source_table": table, "row_kind": "total"}
        return _line(None, measure, amount, name="总计", side=side) | kind

    lines = [
        total("表1", "income", "金额", 22066.59),
        total("表1", "expenditure", "金额", 22066.59),
        total("表4", "income", "金额", 20727.53),
        total("表4", "expenditure", "合计", 20727.53),
    ]
    assert _errors(_filing("", lines), "V-BAL").is_empty()
    lines[1] = total("表1", "expenditure", "金额", 22166.59)
    assert _errors(_filing("", lines), "V-BAL")["message"].to_list() == [
        "表1 收入总计 = 支出总计: 印 22,066.59（p.9），算 22,166.59"
    ]


def test_a_column_of_next_years_figures_is_an_error_and_last_years_is_not():
    """A 2023 budget whose 三公 table heads a column '2024年“三公”经费预算数' (the altered 2023 万里
    filing): ✗ once for the group; '2022年预算数' beside it (last year's) raises nothing."""
    header = ["2024年“三公”经费预算数·合计", "2024年“三公”经费预算数·公务接待费", "2022年预算数·合计"]
    table = {"doc_id": "d", "source_file": "f.pdf", "source_page": 28, "table_no": "表7", "header": header}
    lib = Library(
        documents=schema.frame(
            "documents", [{"doc_id": "d", "kind": "部门预算", "year": 2023, "department": "某街道"}]
        ),
        tables=schema.frame("tables", [table]),
    )
    found = run_checks(lib).filter(pl.col("rule") == "T-YEAR-OWN", pl.col("severity") == "error")
    assert found["message"].to_list() == ["2023年的文件中表 表7 的栏目写“2024年“三公”经费预算数”（p.28）"]
