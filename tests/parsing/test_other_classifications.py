"""A row classified twice (功能 × 经济, Beijing's 支出总表) keeps its other classifications in the
places an analyst reads it: the table as printed, the export, the search (../shared/real, skipped
when absent)."""

from __future__ import annotations

import pytest

from parsing.library import Library
from parsing.queries.export import filing_table
from parsing.queries.grid import DETAIL, build_grid, table_lines
from parsing.queries.lookup import document_id
from parsing.queries.search import SearchIndex
from tests.parsing.genuine import REAL

BEIJING = "北京市财政局"


@pytest.fixture(scope="module")
def beijing() -> Library:
    if not REAL.is_dir():
        pytest.skip("../shared/real is absent")
    return Library.load([REAL / "beijing"])


def test_the_table_shows_the_other_classifications(beijing):
    """The 支出总表 as printed has a 其他分类 column beside 科目名称: 2010601 行政运行 reads
    '50101-工资奖金津补贴 · 30101-基本工资' on its first row, 1,721.982 万元 under 合计."""
    doc = document_id(beijing, BEIJING, 2026, "部门预算")
    table = next(t for t in beijing.tables.filter(doc_id=doc).iter_rows(named=True) if t["table_kind"] == "支出总表")
    grid = build_grid(table_lines(beijing, doc, table["table_no"]))
    labels = [c.label for c in grid.columns]
    assert labels[:3] == ["科目编码", "科目名称", DETAIL]
    first = grid.body("万元", tsv=True)[0]
    assert first[:3] == ["2010601", "行政运行", "50101-工资奖金津补贴 · 30101-基本工资"]
    assert first[labels.index("合计")] == "1721.982"


def test_the_export_has_a_column_for_them(beijing):
    """The exported 支出总表 has 其他分类 (detail) beside 名称, so 行政运行's rows are told apart."""
    rows = filing_table(beijing, BEIJING, 2026, "支出总表")
    assert rows.columns[:4] == ["unit", "code", "name", "detail"]
    mine = rows.filter(code="2010601", measure="合计").select("detail", "amount").rows()
    assert ("50101-工资奖金津补贴 · 30102-津贴补贴", 3312.997) in mine


def test_search_finds_a_row_by_its_economic_classification(beijing):
    """Searching 津贴补贴 finds the 2010601 行政运行 row whose 部门经济分类 is 30102-津贴补贴."""
    hits = SearchIndex.build(beijing).search("津贴补贴", limit=200)
    rows = hits.filter(code="2010601").select("text", "amount").rows()
    assert ("行政运行 · 50101-工资奖金津补贴 · 30102-津贴补贴", 3312.997) in rows
