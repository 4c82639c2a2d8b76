"""The browser's outline and printed grid, computed without a screen (parsing.queries.outline, grid)."""

from __future__ import annotations

import polars as pl
import pytest

from parsing.library import Library
from parsing.numbers import format_amount, format_money, format_number
from parsing.queries import outline
from parsing.queries.grid import build_grid, table_lines
from parsing.queries.lookup import document_id
from tests.conftest import SEEDS

AUDIT = "深圳市龙岗区审计局"


@pytest.fixture(scope="module")
def seeds() -> Library:
    return Library.load([SEEDS])


def _t7(lib: Library) -> tuple[str, str]:
    doc = document_id(lib, AUDIT, 2023, "部门预算")
    assert doc is not None
    return doc, "表7"


def test_format_number_keeps_every_digit():
    """34,510,000 in 元 stays whole; 100 is not shortened to 1; −0 reads 0."""
    assert format_money(3451, "元") == "34,510,000"
    assert format_number(100.0) == "100"
    assert format_number(-0.001) == "0"
    assert format_number(15436.93) == "15,436.93"
    assert format_amount(1234567.891) == "1234567.89"


def test_grid_prints_the_function_table_as_on_paper(seeds):
    """表7: 科目编码 and 科目名称 pinned, then 支出总计 基本支出 项目支出; 2010804 审计业务 190 0 190."""
    doc, table = _t7(seeds)
    grid = build_grid(table_lines(seeds, doc, table))
    assert [c.label for c in grid.columns][:5] == ["科目编码", "科目名称", "支出总计", "基本支出", "项目支出"]
    assert grid.pinned == 2
    row = next(r for r in range(len(grid.rows)) if grid.text(r, 0, "万元") == "2010804")
    assert [grid.text(row, c, "万元") for c in range(1, 5)] == ["审计业务", "190", "0", "190"]
    assert grid.text(0, 2, "元") == "34,510,000" and grid.mark(0) == "合计"
    assert grid.header("万元")[2] == "支出总计（万元）"


def test_top_level_subjects_and_their_children(seeds):
    """表7's top 科目 are 类 (201 …); 201 opens to 20108 审计事务, which opens to 2010804 审计业务."""
    doc, table = _t7(seeds)
    rows = outline.table_rows(seeds, doc, table)
    top = outline.code_children(rows)
    assert top[0]["code"] == "201" and top[0]["expandable"]
    assert all(len(r["code"]) == 3 for r in top)
    kuan = outline.code_children(rows, top[0]["row_no"], top[0]["side"])
    assert [r["code"] for r in kuan] == ["20108"]
    xiang = outline.code_children(rows, kuan[0]["row_no"], kuan[0]["side"])
    assert any(r["code"] == "2010804" and r["name"] == "审计业务" and r["amount"] == 190 for r in xiang)


def test_filing_children_list_tables_with_their_kinds(seeds):
    """The 2023 budget lists 表1 收支总表 … 表12 绩效目标 in number order, then 项目 and 说明."""
    doc, _ = _t7(seeds)
    labels = [n["label"] for n in outline.filing_children(seeds, doc)]
    assert labels[0] == "表1 收支总表" and "表7 功能分类" in labels
    assert labels.index("表7 功能分类") < labels.index("表12 绩效目标") < labels.index("说明")


def test_synthetic_filings_are_marked(seeds):
    """The 2022 editions are 示例: their node says so."""
    labels = [n["label"] for n in outline.filings(seeds, AUDIT)]
    assert labels == ["2023 部门预算", "2022 部门预算 示例"]


def test_export_name_names_department_year_kind_and_table(seeds):
    """深圳市龙岗区审计局_2023_部门预算_表7_功能分类, so exports of different tables never collide."""
    doc, table = _t7(seeds)
    assert outline.export_name(seeds, doc, table) == "深圳市龙岗区审计局_2023_部门预算_表7_功能分类"


def test_a_finding_opens_its_row(seeds):
    """A finding citing 表7 and naming 2010804 leads to that row of 表7."""
    doc, table = _t7(seeds)
    source = seeds.budget_lines.filter((pl.col("doc_id") == doc) & (pl.col("table_no") == table))["source_table"][0]
    place = outline.finding_place(seeds, {"doc_id": doc, "table": source, "rows": "2010804 审计业务"})
    assert place["kind"] == "line" and place["table_no"] == "表7"
    line = seeds.budget_lines.filter(
        (pl.col("doc_id") == doc) & (pl.col("table_no") == "表7") & (pl.col("row_no") == place["row_no"])
    )
    assert line["code"][0] == "2010804"


def test_left_right_halves_both_show(real_dir):
    """2024 普陀区财政局 决算 #6 基本支出, printed in two halves, shows both: 301 工资福利支出 2,082.85
    on the left and 31002 办公设备购置 13.58 on the right."""
    lib = Library.load([real_dir / "2024_普陀区财政局_部门决算.pdf"])
    doc = lib.documents["doc_id"][0]
    lines = lib.budget_lines.filter((pl.col("doc_id") == doc) & (pl.col("table_kind") == "基本支出"))
    grid = build_grid(lines)
    assert grid.rows, "the grid must not be blank"
    body = grid.body("万元")
    assert any(r[:3] == ["301", "工资福利支出", "2,082.85"] for r in body)
    assert any("31002" in r and "13.58" in r for r in body)
