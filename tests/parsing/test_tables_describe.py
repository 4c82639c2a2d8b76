"""A table's description on its own (kind with evidence, columns, code form) for tables built
here, and the numbering and units the route reads around them."""

from __future__ import annotations

import pytest

from parsing.numbers import to_wanyuan, unit_of
from parsing.readers.describe import describe, is_column_numbers, split_code_name
from parsing.routes.pdf import _number
from parsing.routes.raw import RawRow, RawTable


def _table(title: str, *rows: tuple[str | None, ...], unit: str | None = "万元") -> RawTable:
    return RawTable(title=title, unit=unit, fragments=[[RawRow(r, page=1) for r in rows]])


def test_table_numbers_in_every_wording():
    """表7, 公开07表, 预算01-1表, 部门公开表3, 表十二 and the extractor's 表表表表5 give their numbers."""
    assert [_number(t) for t in ("表7", "公开07表", "预算01-1表", "部门公开表3", "表十二", "表表表表5")] == [
        "7",
        "7",
        "1-1",
        "3",
        "12",
        "5",
    ]


def test_thousand_yuan_unit():
    """单位：千元 is a unit: 1,234 千元 is 123.4 万元."""
    assert unit_of("单位：千元") == "千元"
    assert to_wanyuan(1234, "千元") == pytest.approx(123.4)


def test_codes_printed_with_the_name():
    """[2011301]行政运行 and 2010601-行政运行 carry their codes; a name alone has none."""
    assert split_code_name("[2011301]行政运行") == ("2011301", "行政运行", "bracket")
    assert split_code_name("2010601-行政运行") == ("2010601", "行政运行", "dash")
    assert split_code_name("一般公共服务支出") == (None, "一般公共服务支出", "none")


def test_column_number_rows():
    """A row of ** 1 2 3 … or 栏次 numbers the columns; a row of amounts does not."""
    assert is_column_numbers(RawRow(("**", "1", "2", "3", "4")))
    assert is_column_numbers(RawRow(("栏次", "", "1", "2", "3")))
    assert not is_column_numbers(RawRow(("合计", "1", "2", "3")))


def test_kind_from_header_words_when_the_title_says_nothing():
    """An untitled table with 科目编码 and 基本支出 columns is a 功能分类 table, and says why."""
    d = describe(
        _table(
            "",
            ("科目编码", "科目名称", "合计", "基本支出", "项目支出"),
            ("201", "一般公共服务支出", "10.00", "6.00", "4.00"),
            ("2010101", "行政运行", "6.00", "6.00", ""),
        )
    )
    assert (d.kind, d.code_form, d.sure) == ("功能分类", "whole", True)
    assert "header:" in d.evidence and "codes:2xx" in d.evidence
    assert [m for _, m in d.blocks[0].measures] == ["合计", "基本支出", "项目支出"]


def test_unknown_table_is_described_not_dropped():
    """A table matching no kind keeps its columns, with kind None and sure False."""
    d = describe(_table("会议费明细表", ("序号", "会议名称", "金额"), ("1", "年报会审会", "0.17")))
    assert d.kind is None and not d.sure
    assert d.blocks and d.blocks[0].measures[-1] == (2, "金额")


def test_four_blocks_of_a_summary_table():
    """收入 | 支出功能分类科目 | 部门经济分类科目 | 政府经济分类科目: four blocks, the first income."""
    d = describe(
        _table(
            "收支总表",
            ("收入", None, "支出", None, None, None, None, None),
            (
                "项目",
                "预算数",
                "支出功能分类科目",
                "预算数",
                "部门经济分类科目",
                "预算数",
                "政府经济分类科目",
                "预算数",
            ),
            ("一、财政拨款", "10", "一般公共服务支出", "10", "工资福利支出", "10", "机关工资福利支出", "10"),
        )
    )
    assert d.layout == "two_sided"
    assert [b.side for b in d.blocks] == ["income", "expenditure", "expenditure2", "expenditure3"]


def test_an_organisation_code_column_is_not_a_subject_code():
    """A 收入总表 keyed by 部门代码 "024" / 单位编码 "024001" (Suzhou's layout) has no 科目编码
    column: the code is the department's, its name column is 部门名称, its amounts start after."""
    for label in ("部门代码", "单位编码", "单位代码"):
        d = describe(
            _table(
                "收入总表",
                (label, "部门名称", "合计", "一般公共预算"),
                ("合计", "", "4,651.67", "4,651.67"),
                ("024", "苏州市审计局", "4,651.67", "4,651.67"),
                ("024001", "苏州市审计局", "4,651.67", "4,651.67"),
            )
        )
        block = d.blocks[0]
        assert (block.code_cols, block.name_col, d.code_form) == ((), 1, "none")
        assert [c for c, _ in block.measures] == [2, 3] and block.org_cols == (0,)


def test_a_bare_table_number_takes_the_title_printed_above_it():
    """The 部门决算 template prints "收入决算表 / 公开02表 / 部门：… 金额单位：万元": the title block
    starts at the title; a sentence above a numbered title ("表2 收入总表") stays narrative."""
    from parsing.routes.pdf import _Line, _title_above

    def lines(*texts: str) -> list[_Line]:
        return [_Line(t, 1, 10.0 * i, 10.0 * i + 8, False) for i, t in enumerate(texts)]

    assert _title_above(lines("说明文字。", "收入决算表", "公开02表", "部门：某局 金额单位：万元"), 2) == 1
    assert _title_above(lines("收入决算表", "表2 收入总表", "单位：万元"), 1) == 1
    assert _title_above(lines("以上情况详见下表", "公开02表", "单位：万元"), 1) == 1


def test_sangong_items_in_the_header_name_the_kind_when_the_title_says_nothing():
    """An untitled table headed 合计 | 因公出国（境）费 | 公务接待费 is the 三公 table."""
    table = _table("", ("预算数", None, None), ("合计", "因公出国（境）费", "公务接待费"), ("76.43", "30.00", "5.80"))
    assert describe(table).kind == "三公经费"


def test_three_copies_side_by_side_are_not_sure():
    """人员经费 | 公用经费 | 公用经费 printed as three code/name/决算数 copies: which copy a 合计 row
    sums is not told, so the table is read but not vouched for (its sums are 未核)."""
    head = ("人员经费", None, None, "公用经费", None, None, None, None, None)
    labels = ("科目代码", "科目名称", "决算数") * 3
    rows = [("301", "工资福利支出", "6,982.75", "302", "商品和服务支出", "2,239.41", "310", "资本性支出", "27.24")]
    d = describe(_table("一般公共预算财政拨款基本支出决算表", head, labels, *rows))
    assert (d.kind, len(d.blocks), d.sure) == ("基本支出", 3, False)
    assert "blocks:3" in d.evidence
