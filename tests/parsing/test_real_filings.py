"""Genuine Shanghai Putuo filings (read from ../shared/real, skipped when absent) parse into
the figures printed in them, amounts normalised to 万元."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import polars as pl
import pytest

from parsing.readers.filing import read_filing


@cache
def _read(path: Path) -> dict[str, pl.DataFrame]:
    return read_filing(path)


def _lines(real_dir: Path, name: str) -> pl.DataFrame:
    return _read(real_dir / name)["budget_lines"]


def test_budget_identity(real_dir):
    """Kind, year and the department from 预算主管部门：…, not the cover's 区级 wording."""
    docs = [
        _read(real_dir / n)["documents"].row(0, named=True)
        for n in (
            "2023_普陀区万里街道办事处_部门预算.pdf",
            "2024_普陀区财政局_部门决算.pdf",
            "2025_普陀区人民政府办公室_单位预算.pdf",
        )
    ]
    assert [(d["kind"], d["year"], d["department"]) for d in docs] == [
        ("部门预算", 2023, "上海市普陀区人民政府万里街道办事处"),
        ("部门决算", 2024, "上海市普陀区财政局"),
        ("单位预算", 2025, "上海市普陀区人民政府办公室"),
    ]


def test_yuan_tables_become_wanyuan(real_dir):
    """2025 财政局: 收入总计 31,214,205.80 元 = 3,121.42 万元, source unit and text kept."""
    lines = _lines(real_dir, "2025_普陀区财政局_部门预算.pdf")
    total = lines.filter(pl.col("table_kind") == "收支总表", pl.col("name") == "收入总计").row(0, named=True)
    assert total["amount"] == pytest.approx(3121.420580)
    assert (total["source_unit"], total["amount_text"]) == ("元", "31,214,205.80")


def test_codes_split_over_columns_are_joined(real_dir):
    """类 | 款 | 项 cells 201 | 06 | 01 read as 2010601 行政运行: 16,231,840.80 元."""
    lines = _lines(real_dir, "2025_普陀区财政局_部门预算.pdf").filter(
        pl.col("table_kind") == "功能分类", pl.col("code") == "2010601"
    )
    row = lines.filter(pl.col("measure") == "合计").row(0, named=True)
    assert (row["name"], row["level"], row["parent"]) == ("行政运行", 3, "20106")
    assert row["amount"] == pytest.approx(1623.18408)


def test_three_public_table_in_wanyuan(real_dir):
    """The 三公 table is printed in 万元 in the same PDF: 公务接待费 0.95, 机关运行经费 229.43."""
    lines = _lines(real_dir, "2025_普陀区财政局_部门预算.pdf").filter(pl.col("table_kind") == "三公经费")
    amounts = dict(lines.select("name", "amount").rows())
    assert amounts["公务接待费"] == 0.95 and amounts["机关运行经费"] == 229.43
    assert lines["source_unit"].unique().to_list() == ["万元"]


def test_final_accounts_totals(real_dir):
    """2024 部门决算: 总计 2,995.39 on both sides; 2010601 本年支出合计 1,511.89."""
    lines = _lines(real_dir, "2024_普陀区财政局_部门决算.pdf")
    totals = lines.filter(pl.col("table_kind") == "收支总表", pl.col("name") == "总计")
    assert totals["amount"].to_list() == [2995.39, 2995.39]
    spent = lines.filter(
        pl.col("table_kind") == "支出总表", pl.col("code") == "2010601", pl.col("measure") == "本年支出合计"
    )
    assert spent["amount"].to_list() == [1511.89]


def test_side_by_side_basic_table(real_dir):
    """The 基本支出 决算表 prints two code columns side by side: both halves are read."""
    lines = _lines(real_dir, "2024_普陀区财政局_部门决算.pdf").filter(pl.col("table_kind") == "基本支出")
    amounts = dict(lines.select("code", "amount").rows())
    assert amounts["301"] == 2082.85 and amounts["30101"] == 262.33 and "302" in amounts


def test_project_target_forms(real_dir):
    """2023 万里's 财政项目支出绩效目标填报表 pages become projects with indicators."""
    frames = _read(real_dir / "2023_普陀区万里街道办事处_部门预算.pdf")
    projects = dict(frames["projects"].select("name", "budget_total").rows())
    assert projects["就业援助基地补贴"] == pytest.approx(635.1)
    assert len(projects) == 5
    area = frames["indicators"].filter(pl.col("indicator") == "规划建筑面积").row(0, named=True)
    assert (area["level1"], area["level2"], area["target"]) == ("产出", "数量", "≥13459.00平方米")


def test_narrative_parts(real_dir):
    """The 决算's 第一部分 … 第四部分 are found after the 目录, including a wrapped heading; the
    cover and 目录 before them are kept as an unnumbered section listing the nine tables."""
    sections = _read(real_dir / "2024_普陀区财政局_部门决算.pdf")["sections"]
    assert sections["part"].to_list() == ["封面及目录", "第一部分", "第二部分", "第三部分", "第四部分"]
    front = sections.row(0, named=True)
    assert front["part_no"] is None and "九、国有资本经营预算财政拨款收入支出决算表" in front["text"]


def test_subdistrict_budget_income_total(real_dir):
    """2025 万里街道办事处: 收入合计 189,767,551 元 = 18,976.7551 万元; every 功能分类 line has a code."""
    lines = _lines(real_dir, "2025_普陀区万里街道办事处_部门预算.pdf")
    total = lines.filter(pl.col("table_kind") == "收支总表", pl.col("name") == "收入总计").row(0, named=True)
    assert total["amount"] == pytest.approx(18976.7551) and total["amount_text"] == "189,767,551"
    function = lines.filter(pl.col("table_kind") == "功能分类", pl.col("row_kind") == "line")
    assert function.height > 0 and function["code"].null_count() == 0 and function["name"].null_count() == 0
    sangong = lines.filter(pl.col("table_kind") == "三公经费")
    assert sangong["source_unit"].unique().to_list() == ["万元"]


def test_final_accounts_nine_tables(real_dir):
    """2024 部门决算: seven tables with figures, and the two empty ones (政府性基金, 国有资本经营)
    recorded with the note that says why they are empty."""
    frames = _read(real_dir / "2024_普陀区财政局_部门决算.pdf")
    assert frames["budget_lines"]["source_table"].n_unique() == 7
    empty = frames["notes"].filter(pl.col("detail").str.contains("故本表无数据"))["source_table"].to_list()
    assert empty == ["政府性基金预算财政拨款收入支出决算表", "国有资本经营预算财政拨款收入支出决算表"]


def test_subdistrict_years_compare_by_code(real_dir):
    """万里街道 2024 → 2025 功能分类 align by 科目编码 in 万元: 212 城乡社区支出 11,938.5303 → 15,436.9326."""
    from parsing.library import Library
    from parsing.queries.compare import compare_budget

    lib = Library.load([real_dir / f"{y}_普陀区万里街道办事处_部门预算.pdf" for y in (2023, 2024, 2025)])
    rows = compare_budget(lib, "上海市普陀区人民政府万里街道办事处", 2024, 2025, "功能分类")
    row = rows.filter(pl.col("code") == "212", pl.col("measure") == "合计").row(0, named=True)
    assert (row["amount_a"], row["amount_b"], row["status"]) == (
        pytest.approx(11938.5303),
        pytest.approx(15436.9326),
        "changed",
    )
    assert rows["code"].drop_nulls().str.len_chars().is_in([3, 5, 7]).all()


def test_narrative_parts_printed_unnumbered_in_the_body(real_dir):
    """2025 普陀区财政局: the 目录's 一、部门主要职能 … 七、项目经费情况说明 are found in the body
    where it prints them as '上海市普陀区财政局主要职能' and '2025年部门预算编制说明', so the 说明
    (p.7, 收入预算3,121.42万元) is its own part, not hidden in the 目录; each part's heading is
    the body's words."""
    sections = _read(real_dir / "2025_普陀区财政局_部门预算.pdf")["sections"]
    parts = {r["heading"]: r for r in sections.iter_rows(named=True)}
    assert list(parts)[1:5] == [
        "上海市普陀区财政局主要职能",
        "上海市普陀区财政局机构设置",
        "名词解释",
        "2025年部门预算编制说明",
    ]
    explained = parts["2025年部门预算编制说明"]
    assert explained["source_page"] == 7 and "收入预算3,121.42万元" in explained["text"]
    assert "收入预算3,121.42万元" not in parts["封面及目录"]["text"]
