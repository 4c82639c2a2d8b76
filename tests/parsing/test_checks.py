"""Consistency checks: the seeds' real inconsistencies and nothing invented; each rule on small
inline data."""

from __future__ import annotations

import polars as pl
import pytest

from parsing import schema
from parsing.checks import exit_status, run_checks
from parsing.library import Library
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def seeds() -> pl.DataFrame:
    return run_checks(Library.load([SEEDS]))


def _one(found: pl.DataFrame, rule: str, text: str) -> dict:
    rows = found.filter(pl.col("rule") == rule, pl.col("message").str.contains(text, literal=True))
    assert rows.height >= 1, found.select("rule", "message")
    return rows.row(0, named=True)


def test_missing_rows_under_a_subtotal_are_an_error(seeds):
    """评审中心小计 851.03 / 850.24 against listed rows 48.72 / 48.67: rows missing."""
    budget = _one(seeds, "V-SE-SUB", "评审中心小计 预算")
    actual = _one(seeds, "V-SE-SUB", "评审中心小计 实际")
    assert (budget["severity"], budget["actual"], budget["expected"]) == ("error", 851.03, 48.72)
    assert (actual["severity"], actual["actual"], actual["expected"]) == ("error", 850.24, 48.67)


def test_own_level_subtotal_within_rounding(seeds):
    """局本级小计 actual 1995.68 vs its rows 1995.70: within rounding."""
    row = _one(seeds, "V-SE-SUB", "局本级小计 实际")
    assert (row["severity"], row["actual"], row["expected"]) == ("rounding", 1995.68, 1995.7)


def test_parent_code_within_rounding_cites_the_footnote(seeds):
    """20108 审计事务 2,165 vs its children 2,166: rounding, citing 尾数误差."""
    row = _one(seeds, "V-HIER", "表7 20108 审计事务·支出总计")
    assert (row["severity"], row["actual"], row["expected"]) == ("rounding", 2165, 2166)
    assert "尾数误差" in row["message"]


def test_economic_classes_against_total(seeds):
    """表8 类 rows add to 3,452 against the total 3,451: rounding."""
    row = _one(seeds, "V-TOP", "表8 深圳市龙岗区审计局本级·支出总计")
    assert (row["severity"], row["actual"], row["expected"]) == ("rounding", 3451, 3452)


def test_procurement_text_against_table_is_an_error(seeds):
    """政府采购 123 万元 in 第四部分 vs 120 in 表3: beyond rounding."""
    row = _one(seeds, "T-AMOUNT", "政府采购")
    assert (row["severity"], row["actual"], row["expected"]) == ("error", 123, 120)


def test_execution_rates(seeds):
    """82.86% vs 82.84% is rounding; 99.78% vs 99.7885% is truncated (a note)."""
    repair = _one(seeds, "V-SE-RATE", "办公楼修缮")
    assert (repair["severity"], repair["actual"], repair["expected"]) == ("rounding", 82.86, 82.8402)
    finance = _one(seeds, "V-SE-RATE", "财政综合事务")
    assert (finance["severity"], finance["actual"], finance["expected"]) == ("note", 99.78, 99.7885)


def test_notes(seeds):
    """Zero-budget rate, copied outcome, stale year and a truncated YoY percentage are notes."""
    assert _one(seeds, "SE-ZERO-RATE", "公园大地社区配套")["severity"] == "note"
    assert _one(seeds, "SE-COPIED", "办公楼修缮")["severity"] == "note"
    assert _one(seeds, "T-YEAR", "2021年因公出国（境）经费预算数为零")["severity"] == "note"
    yoy = _one(seeds, "T-YOY", "办公设备购置")
    assert (yoy["severity"], yoy["actual"], yoy["expected"]) == ("note", 92, 92.55)


def test_nothing_invented(seeds):
    """The only errors on the 2021/2023 seeds are those §8 lists: rows missing (A1), procurement
    (B7) and the three tables the 目录 lists but the filing lacks (B10: 收入总表, 基本支出总表,
    项目支出总表)."""
    errors = seeds.filter(pl.col("severity") == "error", pl.col("year") != 2022)
    assert sorted(errors["rule"].to_list()) == ["T-AMOUNT", "T-TOC", "T-TOC", "T-TOC", "V-SE-SUB", "V-SE-SUB"]
    missing = errors.filter(pl.col("rule") == "T-TOC")["message"].str.extract("“(.+)”").to_list()
    assert sorted(missing) == ["基本支出总表", "收入总表", "项目支出总表"]
    assert exit_status(seeds) == 1


def test_missing_tables_cite_the_contents_page(seeds):
    """B10: the 目录 at the top of the 2023 budget lists 收入总表, which it does not print; the
    finding points at the 目录's line."""
    row = _one(seeds.filter(pl.col("year") == 2023), "T-TOC", "收入总表")
    assert (row["severity"], row["family"], row["source_line"]) == ("error", "toc", 3)


def test_synthetic_editions_are_consistent(seeds):
    """The 2022 editions were made consistent in their figures: no error and no rounding finding
    beyond the three tables their 目录 lists without printing them, as the 2023 filing does."""
    found = seeds.filter(pl.col("year") == 2022, pl.col("severity") != "note")
    assert found["rule"].to_list() == ["T-TOC"] * 3


def test_genuine_final_accounts_errors_are_the_printed_ones(real_dir):
    """The 2024 普陀区财政局 部门决算 prints two real inconsistencies and nothing else is ✗:
    财政拨款收入支出总计 0.3 万元 in the 说明 against 2,961.68 in its table, and 一般公共服务支出
    2106.66 of 2940.05 printed as 71.73% (it is 71.65%; the four printed shares add to 100.07%)."""
    found = run_checks(Library.load([real_dir / "2024_普陀区财政局_部门决算.pdf"]))
    errors = found.filter(pl.col("severity") == "error")
    assert sorted(errors["rule"].to_list()) == ["T-AMOUNT", "T-SHARE"]
    total = errors.filter(pl.col("rule") == "T-AMOUNT").row(0, named=True)
    assert (total["actual"], total["expected"], total["source_page"], total["other_page"]) == (0.3, 2961.68, 21, 13)
    share = errors.filter(pl.col("rule") == "T-SHARE").row(0, named=True)
    assert (share["actual"], round(share["expected"], 2)) == (71.73, 71.65)


# Each rule on small inline data.


def _lib(
    lines: list[dict] = (),
    projects: list[dict] = (),
    sections: list[dict] = (),
    kind: str = "部门预算",
    year: int = 2023,
) -> Library:
    doc = {"doc_id": "d", "kind": kind, "year": year, "department": "某局", "file": "f", "title": "t"}
    base = {"doc_id": "d", "source_file": "f", "source_table": "表7"}
    return Library(
        documents=schema.frame("documents", [doc]),
        budget_lines=schema.frame("budget_lines", [base | l for l in lines]),
        projects=schema.frame("projects", [base | p for p in projects]),
        sections=schema.frame("sections", [base | s for s in sections]),
    )


def _line(code, measure, amount, **kw) -> dict:
    return {
        "table_kind": "功能分类",
        "table_no": "表7",
        "classification": "function",
        "unit": "本级",
        "code": code,
        "level": {3: 1, 5: 2, 7: 3}.get(len(code or "")),
        "parent": code[:-2] if code and len(code) > 3 else None,
        "name": kw.pop("name", code),
        "measure": measure,
        "amount": amount,
        "amount_text": str(amount),
        "row_kind": kw.pop("row_kind", "line"),
        "row_no": kw.pop("row_no", 0),
        "source_unit": "万元",
        **kw,
    }


def _vouch(lib: Library, sure: bool = True, kind: str | None = "功能分类", unread: int = 0) -> Library:
    """Give the library the readers' ``tables`` frame: 表7 read whole (or not, or with ``unread``
    of its printed numbers read into no figure)."""
    row = {"doc_id": "d", "source_table": "表7", "table_kind": kind, "sure": sure, "evidence": "header"}
    lib.tables = schema.frame("tables", [row | {"cells_seen": 30, "cells_read": 30 - unread}])
    return lib


def test_hierarchy_rule_beyond_rounding_is_an_error():
    """A 款 of 10 over children 3 + 4, in a table read whole, is an error; 8 (one off, two
    children) is rounding; 5 (children exceed the parent) is an error even unvouched."""
    lines = [_line("201", "支出总计", 10), _line("20101", "支出总计", 3), _line("20102", "支出总计", 4)]
    assert run_checks(_vouch(_lib(lines))).filter(pl.col("rule") == "V-HIER")["severity"].to_list() == ["error"]
    lines[0] = _line("201", "支出总计", 8)
    assert run_checks(_lib(lines)).filter(pl.col("rule") == "V-HIER")["severity"].to_list() == ["rounding"]
    lines[0] = _line("201", "支出总计", 5)
    assert run_checks(_lib(lines)).filter(pl.col("rule") == "V-HIER")["severity"].to_list() == ["error"]


def test_shortfall_in_an_unvouched_table_is_unchecked():
    """Children 3 + 4 under a printed 10 with no word from the readers: a row may be unread, so
    "未核" with the reason, not ✗."""
    lines = [_line("201", "支出总计", 10), _line("20101", "支出总计", 3), _line("20102", "支出总计", 4)]
    row = run_checks(_lib(lines)).filter(pl.col("rule") == "V-HIER").row(0, named=True)
    assert (row["severity"], row["checked"]) == ("note", False)
    assert row["message"].startswith("未核（下级科目之和少于合计")


def test_unsure_table_turns_an_error_into_unchecked():
    """Children that exceed their parent in a table the readers mark unsure: "未核", not ✗."""
    lines = [_line("201", "支出总计", 5), _line("20101", "支出总计", 3), _line("20102", "支出总计", 4)]
    row = run_checks(_vouch(_lib(lines), sure=False)).filter(pl.col("rule") == "V-HIER").row(0, named=True)
    assert (row["severity"], row["checked"]) == ("note", False)
    assert "表格读取存疑" in row["message"]
    unknown = run_checks(_vouch(_lib(lines), sure=False, kind=None)).filter(pl.col("rule") == "V-HIER")
    assert "表格类型未识别" in unknown["message"][0]


def test_a_table_not_read_whole_turns_an_error_into_unchecked():
    """A sure table with printed numbers the reader did not take (a missed column or row):
    its sums cannot be trusted, so an error there is "未核" naming how many were missed."""
    lines = [_line("201", "支出总计", 5), _line("20101", "支出总计", 3), _line("20102", "支出总计", 4)]
    assert run_checks(_vouch(_lib(lines))).filter(pl.col("rule") == "V-HIER")["severity"].to_list() == ["error"]
    row = run_checks(_vouch(_lib(lines), unread=2)).filter(pl.col("rule") == "V-HIER").row(0, named=True)
    assert (row["severity"], row["checked"]) == ("note", False)
    assert "表中有 2 个数字未读出" in row["message"]


def test_row_rule():
    """支出总计 = 基本支出 + 项目支出 on each row."""
    lines = [
        _line("201", "支出总计", 4, row_no=1),
        _line("201", "基本支出", 4, row_no=1),
        _line("201", "项目支出", 3, row_no=1),
    ]
    assert run_checks(_lib(lines)).filter(pl.col("rule") == "V-ROW")["severity"].to_list() == ["error"]


def test_top_rule():
    """A unit's total row equals the sum of its 类 rows."""
    lines = [
        _line(None, "支出总计", 20, row_kind="unit_total", name="本级"),
        _line("201", "支出总计", 10),
        _line("208", "支出总计", 5),
    ]
    assert run_checks(_lib(lines)).filter(pl.col("rule") == "V-TOP")["expected"].to_list() == [15]


def test_balance_rule():
    """收入总计 ≠ 支出总计 is an error."""
    lines = [
        _line(None, "预算数", 100, name="收入总计", side="income", table_kind="收支总表", classification="none"),
        _line(None, "预算数", 90, name="支出总计", side="expenditure", table_kind="收支总表", classification="none"),
    ]
    assert run_checks(_lib(lines)).filter(pl.col("rule") == "V-BAL")["severity"].to_list() == ["error"]


def test_three_public_expenses_rule():
    """三公 总计 = 出国 + 接待 + 公务用车小计."""
    lines = [
        _line(None, "2023年", a, name=n, table_kind="三公经费", classification="none")
        for n, a in (("总计", 30), ("因公出国(境)费", 0), ("公务接待费", 1), ("公务用车购置及运行维护费·小计", 26))
    ]
    assert run_checks(_lib(lines)).filter(pl.col("rule") == "V-3G")["expected"].to_list() == [27]


def test_subtotal_and_rate_rules():
    """A 小计 off by 5 is an error; 50% printed for 1/4 is an error."""
    projects = [
        {
            "project_id": "d:0",
            "unit": "u",
            "name": "甲",
            "row_kind": "project",
            "budget_total": 4.0,
            "actual_total": 1.0,
            "exec_rate": 50.0,
            "exec_rate_text": "50%",
        },
        {
            "project_id": "d:1",
            "unit": "u",
            "name": "小计",
            "row_kind": "subtotal",
            "budget_total": 9.0,
            "actual_total": 1.0,
        },
    ]
    found = run_checks(_lib(projects=projects, kind="绩效自评表"))
    assert found.filter(pl.col("rule") == "V-SE-SUB")["severity"].to_list() == ["error"]
    assert found.filter(pl.col("rule") == "V-SE-RATE")["severity"].to_list() == ["error"]


def test_yoy_rule():
    """'收入110万元，比2022年增加10万元，增长20%' is wrong: 10/100 = 10%."""
    text = "收入110万元，比2022年增加10万元，增长20%。"
    found = run_checks(_lib(sections=[{"part_no": 2, "part": "第二部分", "heading": "h", "text": text}]))
    assert found.filter(pl.col("rule") == "T-YOY")["expected"].to_list() == [10]
