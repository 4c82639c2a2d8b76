"""The PDF route finds each printed table once, with its title block and its printed figures."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from parsing.errors import FilingError
from parsing.normalize import squash
from parsing.routes.pdf import _number, read_pdf
from parsing.routes.raw import RawDocument, RawRow, RawTable
from tests.conftest import FILINGS

AUDIT = FILINGS / "2023_龙岗区审计局_部门预算.pdf"
SELF_EVALUATION = FILINGS / "2021_龙岗区财政局_预算项目绩效自评表.pdf"


@cache
def _read(path: Path) -> RawDocument:
    """Each PDF is parsed at most once per session."""
    return read_pdf(path)


@pytest.fixture
def audit() -> RawDocument:
    return _read(AUDIT)


@pytest.fixture
def self_evaluation() -> RawDocument:
    return _read(SELF_EVALUATION)


@pytest.fixture
def putuo_budget(real_dir: Path) -> RawDocument:
    return _read(real_dir / "2025_普陀区财政局_部门预算.pdf")


@pytest.fixture
def putuo_final(real_dir: Path) -> RawDocument:
    return _read(real_dir / "2024_普陀区财政局_部门决算.pdf")


def _table(doc: RawDocument, *, number: str | None = None, title: str | None = None) -> RawTable:
    found = [t for t in doc.tables if (number is None or t.number == number) and (title is None or t.title == title)]
    assert len(found) == 1, [t.label for t in doc.tables]
    return found[0]


def _row(table: RawTable, *cells: str) -> RawRow:
    """The one body row holding ``cells`` side by side."""
    n = len(cells)
    rows = [
        r for r in table.body() if any(tuple(map(squash, r.cells[i : i + n])) == cells for i in range(len(r.cells)))
    ]
    assert len(rows) == 1, [r.cells for r in rows]
    return rows[0]


# --- 2023 审计局 部门预算 (LibreOffice Writer + Calc) ---------------------------------------------------------


def test_audit_numbered_tables_are_found_once_each(audit):
    """表1, 表3 and 表6–表12 each come out once: their continuation pages are stitched on."""
    assert [t.number for t in audit.tables if t.number] == ["1", "3", "6", "7", "8", "9", "10", "11", "12"]
    assert audit.pages == 27
    assert audit.source_format == "pdf"


def test_audit_table_7_title_block_and_row(audit):
    """表7 carries its title, 部门名称 and 单位 from the lines above the grid."""
    table = _table(audit, number="7")
    assert (table.title, table.unit, table.department) == (
        "一般公共预算支出表（按功能分类）",
        "万元",
        "深圳市龙岗区审计局",
    )
    assert table.label == "表7 一般公共预算支出表（按功能分类）"
    assert ("", "2010804", "审计业务", "190", "0", "190") in [r.cells for r in table.body()]


def test_audit_table_1_repeated_header_is_dropped_by_body(audit):
    """表1's second page repeats title block and header; body() runs 一、政府预算拨款 … 收入总计."""
    table = _table(audit, number="1")
    assert [f[0].page for f in table.fragments] == [12, 13]
    body = table.body()
    assert body[0].cells == ("一、政府预算拨款", "3,451", "一、一般公共服务支出", "2,165")
    assert body[-1].cells == ("收入总计", "3,451", "支出总计", "3,451")
    assert all("项 目" not in (r.cells[0] or "") for r in body)
    assert table.notes and table.notes[0].startswith("注：财政拨款收支情况包括")


def test_audit_table_12_continues_on_a_page_without_title(audit):
    """表12 runs on to page 27, which has neither title block nor header."""
    table = _table(audit, number="12")
    assert len(table.fragments) == 2
    assert {r.page for r in table.body()} == {26, 27}
    assert _row(table, "基本支出").cells[3:] == ("3234.307194", "3234.307194", "0")
    # page 27's grid has five columns; its rows are spread over page 26's six (三级指标 spans two)
    assert table.body()[-1].cells == (None, None, "其他满意度", "审计违纪投诉率", None, "≤1%")


def test_audit_narrative_table_is_titled_by_the_line_above(audit):
    """第七部分's ruled table is a table too, titled by its lead-in sentence; the row Writer split
    across pages 8–9 stays two printed rows."""
    table = _table(audit, title="2023年，本部门重点项目绩效目标情况如下：")
    assert table.number is None
    assert [len(f) for f in table.fragments] == [5, 2]
    assert _row(table, "审计业务").cells[1] == "155"
    assert table.fragments[1][0].cells == ("", "", "100%。")
    assert table.notes == ["备注：无"]


def test_wrapped_cells_are_joined_without_a_space(audit):
    """pdfplumber's wrap points inside a cell are removed: CJK text joins up."""
    table = _table(audit, title="2023年，本部门重点项目绩效目标情况如下：")
    assert table.fragments[0][0].cells[1] == "预算数（万元）"
    assert table.fragments[0][1].cells[0] == "信息系统运行与维护（通用项目）"
    assert not any("\n" in (c or "") for t in audit.tables for f in t.fragments for r in f for c in r.cells)


def test_audit_lines_are_the_running_text_without_page_numbers(audit):
    """Text outside the grids comes in reading order with its page; '- N -' footers are gone."""
    texts = [(l.page, l.text) for l in audit.lines]
    assert texts[:2] == [(1, "2023 年深圳市龙岗区审计局"), (1, "部门预算")]
    assert (9, "第八部分 其他需要说明情况") in texts
    assert not any(t.startswith("- ") and t.endswith(" -") for _, t in texts)
    assert not any(t in ("表 7", "单位：万元") for _, t in texts)  # title blocks belong to their table
    assert audit.metadata["Title"] == "2023年深圳市龙岗区审计局部门预算"


# --- 2021 龙岗区财政局 预算项目绩效自评表 (LibreOffice Calc, 32 columns) -----------------------------------------


def test_self_evaluation_is_one_table_over_three_pages(self_evaluation):
    """One sheet: one table, one fragment per page, each 32 columns wide."""
    (table,) = self_evaluation.tables
    assert [f[0].page for f in table.fragments] == [1, 2, 3]
    assert {len(r.cells) for f in table.fragments for r in f} == {32}
    assert (table.title, table.unit) == ("2021年度深圳市龙岗区财政局预算项目绩效自评表", "万元")
    assert table.department is None  # 部门名称(盖章): is left blank


def test_self_evaluation_body_drops_the_header_repeated_on_each_page(self_evaluation):
    """The three header rows appear on every page; body() keeps only the project rows."""
    table = self_evaluation.tables[0]
    assert len(table.header()) == 3
    body = table.body()
    assert not any(r.text(0) == "序号" or r.text(3) == "合计" for r in body)
    row = _row(table, "办公楼修缮")
    assert row.cells[:4] == ("1", "深圳市龙岗区财政局(本级)", "办公楼修缮", "37.18")
    assert row.cells[7] == "30.8" and row.cells[11] == "82.86%"
    assert len(body) == sum(len(f) for f in table.fragments) - 3 * 3
    assert not any("第 1 页" in l.text for l in self_evaluation.lines)


# --- Putuo, real filings (WPS and ONLYOFFICE) ------------------------------------------------------------------

PUTUO_BUDGET_TITLES = [
    "2025年部门财务收支预算总表",
    "2025年部门收入预算总表",
    "2025年部门支出预算总表",
    "2025年部门财政拨款收支预算总表",
    "2025年部门一般公共预算支出功能分类预算表",
    "2025年部门政府性基金预算支出功能分类预算表",
    "2025年部门国有资本经营预算支出功能分类预算表",
    "2025年部门一般公共预算基本支出部门预算经济分类预算表",
    "2025年部门“三公”经费和机关运行经费预算表",
]


def test_putuo_budget_tables_titles_and_units(putuo_budget):
    """The nine 部门预算 tables are found once each: eight in 元, the 三公 table in 万元."""
    assert [t.title for t in putuo_budget.tables] == PUTUO_BUDGET_TITLES
    assert [t.unit for t in putuo_budget.tables] == ["元"] * 8 + ["万元"]
    assert {t.department for t in putuo_budget.tables} == {"上海市普陀区财政局"}
    assert all(t.number is None for t in putuo_budget.tables)


def test_putuo_budget_continuation_pages_are_stitched(putuo_budget):
    """Pages that repeat only the column header continue the table above; totals are as printed."""
    income = _table(putuo_budget, title="2025年部门收入预算总表")
    assert [f[0].page for f in income.fragments] == [10, 11]
    assert _row(income, "合计").cells[4] == "31,214,205.80"
    assert income.fragments[1][3].cells[:5] == ("210", "", "", "卫生健康支出", "782,164.00")  # page 11 after its header
    economic = _table(putuo_budget, title="2025年部门一般公共预算基本支出部门预算经济分类预算表")
    assert _row(economic, "合计").cells[3:] == ("25,121,091.00", "22,826,756.00", "2,294,335.00")
    three = _table(putuo_budget, title="2025年部门“三公”经费和机关运行经费预算表")
    assert three.body()[0].cells == ("0.95", "", "0.95", "", "", "", "229.43")


def test_putuo_budget_empty_table_keeps_its_note(putuo_budget):
    """An empty 政府性基金 table has no body rows, and its 注 line is the table's note."""
    table = _table(putuo_budget, title="2025年部门政府性基金预算支出功能分类预算表")
    assert table.body() == []
    assert table.notes == ["注:本部门2025年无政府性基金预算财政拨款安排的预算，故本表为空表。"]


PUTUO_FINAL_TITLES = [
    "收入支出决算总表",
    "收入决算表",
    "支出决算表",
    "财政拨款收入支出决算总表",
    "一般公共预算财政拨款支出决算表",
    "一般公共预算财政拨款基本支出决算表",
    "财政拨款“三公”经费支出决算表",
    "政府性基金预算财政拨款收入支出决算表",
    "国有资本经营预算财政拨款收入支出决算表",
]


def test_putuo_final_accounts_tables_in_wanyuan(putuo_final):
    """The nine 决算 tables (after the 单位构成 table in the narrative) are all in 万元."""
    unit_list, *tables = putuo_final.tables
    assert unit_list.title == "围的单位包括：" and unit_list.fragments[0][0].cells == ("序号", "单位名称", "备注")
    assert [t.title for t in tables] == PUTUO_FINAL_TITLES
    assert {t.unit for t in tables} == {"万元"}


def test_putuo_final_continuations_include_a_textless_page(putuo_final):
    """收入支出决算总表 ends on page 7; 财政拨款收支总表 runs over an empty ruled page 14."""
    overview = _table(putuo_final, title="收入支出决算总表")
    assert [f[0].page for f in overview.fragments] == [6, 7]
    assert overview.body()[-1].cells == ("总计", "2,995.39", "总计", "2,995.39")
    grants = _table(putuo_final, title="财政拨款收入支出决算总表")
    assert [f[0].page for f in grants.fragments] == [12, 13, 14]
    assert grants.body()[-1].cells[:2] == ("总计", "2,961.68")
    income = _table(putuo_final, title="收入决算表")
    assert income.fragments[1][1].cells[:6] == ("221", "", "", "住房保障支出", "445.69", "445.69")  # page 9: no header


def test_putuo_final_onlyoffice_digits_rejoin_their_line(putuo_final):
    """ONLYOFFICE sets digits and quotes lower than the CJK text; lines still read as printed."""
    texts = [l.text for l in putuo_final.lines]
    assert "2024年度部门决算" in texts
    assert "上海市普陀区财政局2024年度收入支出总计2995.39万元。与2023年度相比，收入" in texts
    assert "3" not in texts  # the page number under page 5
    digits = _row(_table(putuo_final, title="收入支出决算总表"), "本年收入合计")
    assert digits.cells[1] == "2,946.25"


def test_putuo_forms_with_their_title_inside_the_grid(real_dir):
    """The 2023 万里 绩效目标填报表 pages are five forms, each titled by its first row, not one table."""
    doc = _read(real_dir / "2023_普陀区万里街道办事处_部门预算.pdf")
    forms = [t for t in doc.tables if t.title == "财政项目支出绩效目标填报表"]
    assert [t.page for t in forms] == [31, 32, 33, 34, 35]
    assert forms[0].fragments[0][2].cells[2] == "新建万里街道社区公共服务中心"


def test_narrower_continuation_grid_is_spread_over_the_columns(real_dir):
    """A last page holding only 合计 (merged over 类/款/项/名称) gets the table's nine columns."""
    doc = _read(real_dir / "2024_普陀区万里街道办事处_部门预算.pdf")
    income = _table(doc, title="2024年部门收入预算总表")
    assert income.fragments[-1][0].cells == ("合计", None, None, None, "156,211,123", "156,211,123", "0", "0", "0")


# --- input that is not a readable PDF ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("bad_truncated.pdf", "PDF 不完整或已损坏"),
        ("bad_encrypted_user_password.pdf", "已加密：需要密码才能打开"),
        ("bad_scan_no_text.pdf", "没有文字层（扫描件）：请先做 OCR 识别"),
    ],
)
def test_bad_fixture_raises_filing_error(name, reason):
    """Each unreadable file gets its one reason, never a pdfminer exception."""
    with pytest.raises(FilingError) as e:
        read_pdf(FILINGS / name)
    assert e.value.reason == reason
    assert e.value.path == FILINGS / name


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "空文件"),
        (b"Budget 2023\tunit\n", "不是 PDF 文件"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 8, "PDF 不完整或已损坏"),
    ],
)
def test_bad_bytes_raise_filing_error(tmp_path, content, reason):
    """Zero bytes, a text file named .pdf and garbage after a PDF header each say what they are."""
    path = tmp_path / "filing.pdf"
    path.write_bytes(content)
    with pytest.raises(FilingError) as e:
        read_pdf(path)
    assert e.value.reason == reason


def test_owner_password_only_opens_normally():
    """Print/copy restrictions with an empty user password do not stop reading."""
    doc = read_pdf(FILINGS / "ok_owner_password_only.pdf")
    assert [l.text for l in doc.lines] == ["Budget 2023: unit 10000 yuan"]
    assert doc.pages == 1


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("表7", "7"),
        ("表 12", "12"),
        ("公开07表", "7"),
        ("表一", "1"),
        ("表十", "10"),
        ("表十二", "12"),
        ("表二十一", "21"),
        ("二、表格部分", None),
    ],
)
def test_table_numbers(text, number):
    """表7 / 公开07表 / 表一 all give the bare number."""
    assert _number(text) == number
