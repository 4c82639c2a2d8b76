"""Kind, year and issuer come from a filing's own pages; no filing is silently lost or merged."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsing import schema
from parsing.library import Library
from parsing.readers.detect import identify, kind_of
from parsing.readers.filing import read_filing
from parsing.routes.raw import RawDocument, RawLine, RawRow, RawTable

BUDGET = """{cover}

表1
收支总表
单位：万元
项目\t预算数\t项目\t预算数
一、一般公共预算拨款\t{amount}\t一、一般公共服务支出\t{amount}
收入总计\t{amount}\t支出总计\t{amount}
"""


def _doc(lines: list[tuple[str, int]], tables: list[RawTable] = (), title: str = "") -> RawDocument:
    return RawDocument(
        path=Path("x.pdf"),
        source_format="pdf",
        lines=[RawLine(text, page=page) for text, page in lines],
        tables=list(tables),
        metadata={"Title": title} if title else {},
    )


def _grid(page: int, *rows: tuple[str | None, ...]) -> RawTable:
    return RawTable(title="", page=page, fragments=[[RawRow(r, page=page) for r in rows]])


def _identity(doc: RawDocument) -> tuple:
    found = identify(doc)
    assert found is not None
    return found.kind, found.year, found.department


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("上海市普陀区2025年区级部门预算", "部门预算"),
        ("上海市普陀区2025年区级单位预算", "单位预算"),
        ("国家信访局2024年度部门决算", "部门决算"),
        ("2021年度深圳市龙岗区财政局预算项目绩效自评表", "绩效自评表"),
        ("2023年项目支出绩效目标表", "项目支出绩效目标表"),
        ("广州市生态环境局2026年部门整体预算绩效目标申报表", "部门整体绩效目标申报表"),
        ("部门整体支出绩效目标表", "部门整体绩效目标申报表"),
        ("部门整体绩效自评表", "部门整体支出绩效自评表"),
        ("部门整体支出绩效自评表", "部门整体支出绩效自评表"),
    ],
)
def test_kind_by_vocabulary(title, kind):
    """Each of the seven kinds is known by its words, the most specific first."""
    assert kind_of(title) == kind


def test_metadata_title_is_ignored():
    """A PDF's Title metadata (often another document's) never decides the identity."""
    doc = _doc([("杭州市司法局", 1), ("2026 年度部门预算", 1)], title="2019年某某局部门决算")
    assert _identity(doc) == ("部门预算", 2026, "杭州市司法局")


def test_cover_split_over_lines():
    """'2026 年度' / '泉州市公安局' / '部门预算' on three cover lines read as one title."""
    doc = _doc([("2026 年度", 1), ("泉州市公安局", 1), ("部门预算", 1), ("目 录", 2), ("第一部分 部门概况", 2)])
    assert _identity(doc) == ("部门预算", 2026, "泉州市公安局")


def test_contents_headings_are_not_the_issuer():
    """The 目录's '第二部分 2026年部门预算表' is neither the title nor the issuer."""
    doc = _doc([("2026年", 1), ("珠海市商务局部门预算", 1), ("目 录", 2), ("第二部分 2026年部门预算表", 2)])
    assert _identity(doc) == ("部门预算", 2026, "珠海市商务局")


def test_scope_words_and_brackets_leave_the_name():
    """'2026 年深圳市财政局（本级）部门预' + '算': the issuer without （本级）, the kind rejoined."""
    doc = _doc([("2026 年深圳市财政局（本级）部门预", 1), ("算", 1), ("目 录", 2)])
    assert _identity(doc) == ("部门预算", 2026, "深圳市财政局")


def test_labelled_line_beats_the_cover_wording():
    """预算主管部门：… names the issuer exactly where the cover says only 上海市普陀区…区级部门预算."""
    doc = _doc([("上海市普陀区2023年区级部门预算", 1), ("预算主管部门：上海市普陀区人民政府万里街道办事处", 1)])
    assert _identity(doc) == ("部门预算", 2023, "上海市普陀区人民政府万里街道办事处")


def test_labelled_cell_inside_a_form():
    """A one-page form names its department in a cell (部门（单位）名称 | 宁德市人民政府办公室) and
    its year under the title (（2024年度）)."""
    form = _grid(1, ("专项名称", None, "127部门整体"), ("部门（单位）名称", None, "宁德市人民政府办公室", None))
    doc = _doc([("部门整体绩效自评表", 1), ("（2024年度）", 1)], [form])
    assert _identity(doc) == ("部门整体支出绩效自评表", 2024, "宁德市人民政府办公室")


def test_table_set_without_a_cover():
    """A 报表 whose title block is inside the grid (预算01表 收支总表) is a 部门预算; its year and
    department come from a later form's cells (（2026年度）, 部门名称 | 北京市财政局)."""
    first = _grid(1, ("", "预算01表 收支总表", None), ("", "", "金额单位：万元"), ("项 目", "预算数", "项 目"))
    later = _grid(44, ("预算13表 部门整体支出绩效目标表",), ("（2026年度）",), ("部门名称", "北京市财政局"))
    doc = _doc([("项目说明文字", 17)], [first, later])
    assert _identity(doc) == ("部门预算", 2026, "北京市财政局")


def test_nothing_names_a_kind():
    """A file whose pages name no filing kind is not a budget filing."""
    assert identify(_doc([("苹果 3", 1), ("梨 4", 1)])) is None


def test_issuer_not_found_is_listed_with_a_note(tmp_path):
    """A filing that names no issuer is kept under 未识别部门, and a note names the file and why."""
    path = tmp_path / "budget.txt"
    path.write_text(BUDGET.format(cover="2023年部门预算", amount=100), encoding="utf-8")
    frames = read_filing(path)
    assert frames["documents"]["department"].to_list() == [schema.UNKNOWN_DEPARTMENT]
    note = frames["notes"].filter(kind="issuer_unknown")["detail"].to_list()
    assert len(note) == 1 and note[0].startswith("budget.txt: ") and schema.UNKNOWN_DEPARTMENT in note[0]


def test_unknown_issuers_are_not_merged(tmp_path):
    """Two different filings without an issuer, same kind and year, stay two."""
    for name, amount in (("a.txt", 100), ("b.txt", 200)):
        (tmp_path / name).write_text(BUDGET.format(cover="2023年部门预算", amount=amount), encoding="utf-8")
    lib = Library.load([tmp_path])
    assert lib.documents["department"].to_list() == [schema.UNKNOWN_DEPARTMENT] * 2


def test_look_alike_documents_stay_two(tmp_path):
    """Same issuer, kind and year but different figures: two documents, both kept."""
    cover = "2023年某某区审计局部门预算"
    for name, amount in (("a.txt", 100), ("b.txt", 200)):
        (tmp_path / name).write_text(BUDGET.format(cover=cover, amount=amount), encoding="utf-8")
    lib = Library.load([tmp_path])
    assert lib.documents.height == 2
    assert sorted(lib.budget_lines.filter(name="收入总计")["amount"].to_list()) == [100, 200]


def test_byte_copies_list_both_sources(tmp_path):
    """Two byte-identical files are one document whose sources name both."""
    text = BUDGET.format(cover="2023年某某区审计局部门预算", amount=100)
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(text, encoding="utf-8")
    lib = Library.load([tmp_path])
    assert [Path(p).name for p in lib.documents["sources"][0]] == ["a.txt", "b.txt"]


def test_narrative_and_tables_merge(tmp_path):
    """A 情况说明 with no tables and the 报表 of the same issuer, kind and year are one filing:
    both sources listed, the narrative's sections and the tables' lines under one document."""
    (tmp_path / "a_报表.txt").write_text(
        BUDGET.format(cover="2023年某某区审计局部门预算", amount=100), encoding="utf-8"
    )
    story = "本部门2023年收入预算100万元，全部为一般公共预算拨款，比上年增加10万元，主要是人员经费增加。" * 4
    (tmp_path / "b_说明.txt").write_text(
        f"某某区审计局2023年部门预算情况说明\n\n一、部门概况\n{story}\n\n二、收支预算情况\n{story}\n", encoding="utf-8"
    )
    lib = Library.load([tmp_path])
    assert lib.documents.height == 1
    assert sorted(Path(p).name for p in lib.documents["sources"][0]) == ["a_报表.txt", "b_说明.txt"]
    doc_id = lib.documents["doc_id"][0]
    assert lib.sections.filter(doc_id=doc_id, heading="收支预算情况")["source_file"].to_list() == ["b_说明.txt"]
    assert lib.budget_lines.filter(doc_id=doc_id, name="收入总计")["amount"].to_list() == [100]
