"""The misses of the altered-filing suite, each fixed for its phenomenon: wordings other cities
use (本部门收入预算, 部门综合预算, “三公”经费财政拨款支出预算), an issuer named once in the
text against the tables' 单位名称 lines, a blank 预算数 beside last year's 执行数, a column label
printed twice; and narrative findings that cite their sentence's page."""

from __future__ import annotations

import polars as pl

from parsing import schema
from parsing.checks import run_checks
from parsing.library import Library
from parsing.queries.outline import finding_place
from tests.parsing.test_checks import _line
from tests.parsing.test_checks_narrative import _errors, _filing, _summary


def test_本部门收入预算_is_read_as_the_departments_income():
    """Guangzhou's '2026年本部门收入预算221,393.52万元' against 收支总表 121,393.52: ✗ T-AMOUNT
    (a subject after 本部门 opens as it does after an issuer's name); the printed 121,393.52 agrees."""
    wrong = "一、部门预算收支增减变化情况2026年本部门收入预算221,393.52万元，比上年增加10,410.58万元。"
    row = _errors(_filing(wrong, _summary(121393.52), year=2026), "T-AMOUNT").row(0, named=True)
    assert (row["actual"], row["expected"]) == (221393.52, 121393.52)
    right = wrong.replace("221,393.52", "121,393.52")
    assert _errors(_filing(right, _summary(121393.52), year=2026), "T-AMOUNT").is_empty()


def test_a_combined_budget_heading_and_a_three_public_budget_carry_the_filings_year():
    """Xi'an's '2027年部门综合预算公开报表' in a 2026 budget and the central '2025年度“三公”经费
    财政拨款支出预算为76.43万元' in a 2024 决算 are ✗ T-YEAR-OWN; their own years are not."""
    xian = "2027年部门综合预算公开报表部门名称：西安市财政局（汇总）"
    assert "2027年部门综合预算" in _errors(_filing(xian, year=2026), "T-YEAR-OWN")["message"][0]
    assert _errors(_filing(xian.replace("2027", "2026"), year=2026), "T-YEAR-OWN").is_empty()
    central = "国家信访局2025年度“三公”经费财政拨款支出预算为76.43万元，2024年度支出决算为46.21万元。"
    assert _errors(_filing(central, kind="部门决算", year=2024), "T-YEAR-OWN").height == 1
    assert _errors(_filing(central.replace("2025", "2024", 1), kind="部门决算", year=2024), "T-YEAR-OWN").is_empty()


def _tables(unit: str, n: int) -> pl.DataFrame:
    return schema.frame(
        "tables",
        [
            {"doc_id": "d", "source_file": "f.pdf", "source_table": f"表{i}", "source_page": 11 + i, "unit": unit}
            | {"table_kind": "收支总表" if i > 1 else None, "sure": i > 1}
            for i in range(1, n + 1)
        ],
    )


def test_a_cover_naming_another_body_than_every_tables_unit_line():
    """Chongqing's layout: the text names its issuer once (the cover, '重庆市财政局2026年部门预算
    情况说明'), and ten tables print '单位名称：重庆市水利局': ✗ T-ISSUER citing the cover and the
    first table read without doubt (p.13: 表1's kind is unknown); with the tables naming the filing's own body, nothing."""
    lib = _filing("重庆市财政局2026年部门预算情况说明", year=2026)
    lib.documents = lib.documents.with_columns(pl.lit("重庆市财政局").alias("department"))
    lib.tables = _tables("重庆市水利局", 10)
    row = _errors(lib, "T-ISSUER").row(0, named=True)
    assert "此处“重庆市财政局”（p.5），表中 10 处单位名称为“重庆市水利局”" in row["message"]
    assert row["other_page"] == 13
    lib.tables = _tables("重庆市财政局", 10)
    assert _errors(lib, "T-ISSUER").is_empty()


def test_a_blank_budget_cell_is_not_compared_with_last_years_execution():
    """The central 2026 budget's 2101101 行政单位医疗: 2025 执行数 218.91, 2026 预算数 blank; the
    text's '行政单位医疗（项）0.00万元' is not ✗ against 218.91 (the table's total column is blank)."""
    rows = [
        _line("210", "执行数", 218.91, name="卫生健康支出", row_no=0),
        _line("21011", "执行数", 218.91, name="行政事业单位医疗", row_no=1),
        _line("2101101", "执行数", 218.91, name="行政单位医疗", row_no=2),
        _line("2080501", "执行数", 1056.46, name="行政单位离退休", row_no=3),
        _line("2080501", "年初预算数·小计", 929.97, name="行政单位离退休", row_no=3),
    ]
    text = "卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）0.00万元，比上年减少218.91万元。"
    assert _errors(_filing(text, rows, year=2026), "T-AMOUNT").is_empty()


def test_a_repeated_column_label_is_read_as_its_own_column(real_dir):
    """The central 2026 budget's 表5 prints 增减额 twice (against 执行数, and net of 基建): both
    columns are read, 271.14 each for 2014001 行政运行, and every printed number comes from a figure."""
    lib = Library.load([real_dir.parent / "central" / "2026_国家信访局_部门预算.pdf"])
    rows = lib.budget_lines.filter(pl.col("table_no") == "表5", pl.col("code") == "2014001")
    changes = rows.filter(pl.col("measure").str.contains("增减额"))
    assert changes["amount"].to_list() == [271.14, 271.14] and changes["measure"].n_unique() == 2
    table = lib.tables.filter(pl.col("table_no") == "表5").row(0, named=True)
    assert table["cells_seen"] == table["cells_read"] == 176


def test_a_narrative_finding_cites_its_sentences_page_and_opens_its_part():
    """A part starting on p.5 whose second line is printed on p.6: the ✗ on that line cites p.6
    (not the part's first page), and the finding still opens part 1."""
    lib = _filing("2025年部门预算编制说明\n某区财政局收入预算2,995.39万元。", _summary(2095.39))
    lib.sections = lib.sections.with_columns(
        pl.lit([5, 6], dtype=pl.List(pl.Int32)).alias("line_pages"),
        pl.lit([3, 1], dtype=pl.List(pl.Int32)).alias("line_numbers"),
        pl.lit(2, dtype=pl.Int32).alias("source_line"),
    )
    row = _errors(lib, "T-AMOUNT").row(0, named=True)
    assert (row["source_page"], row["source_line"], row["other_page"]) == (6, 1, 9)
    assert "（p.6）" in row["message"]
    place = finding_place(lib, row)
    assert place["kind"] == "part" and place["part_no"] == 1
    assert run_checks(lib).filter(pl.col("rule") == "T-YEAR-OWN").is_empty()


def test_shares_of_a_whole_stated_in_the_paragraph_before():
    """Hangzhou: '收入预算总计99,230.46万元，比上年增加7,331.92万元。' then '其中：…其他收入
    7,387.66万元，占10.7%' (printed 7.4%): ✗ against 99,230.46 (7.44%); Suzhou's '本年支出合计
    4,651.67万元，其中：' with each part on its own line ('基本支出4,312.17万元，占89.4%；', printed
    92.7%) likewise; the printed shares raise nothing."""
    hangzhou = (
        "2026年收入预算总计99,230.46万元，比上年增加7,331.92万元。\n"
        "其中：一般公共预算拨款收入91,495.48万元，占92.2%；其他收入7,387.66万元，占{}%；"
    )
    row = _errors(_filing(hangzhou.format("10.7"), year=2026), "T-SHARE").row(0, named=True)
    assert row["actual"] == 10.7 and "占 99,230.46 万元，印 10.7%，算 7.44%" in row["message"]
    assert _errors(_filing(hangzhou.format("7.4"), year=2026), "T-SHARE").is_empty()
    suzhou = "本年支出合计4,651.67万元，其中：\n基本支出4,312.17万元，占{}%；\n项目支出339.5万元，占7.3%；"
    row = _errors(_filing(suzhou.format("89.4"), year=2026), "T-SHARE").row(0, named=True)
    assert row["actual"] == 89.4 and "占 4,651.67 万元，印 89.4%，算 92.70%" in row["message"]
    assert _errors(_filing(suzhou.format("92.7"), year=2026), "T-SHARE").is_empty()


def test_a_share_wrapped_at_its_decimal_point_stays_in_its_paragraph():
    """'…91,495.48万元，占' at a line's end and '92.2%；其他收入…' on the next: the wrapped
    figure is not a numbered item ('92.' is no '1.'), so the paragraph and its shares stay whole."""
    text = "2026年收入预算总计99,230.46万元，其中：一般公共预算拨款收入91,495.48万元，占\n92.2%；其他收入7,387.66万元，占10.7%；"
    row = _errors(_filing(text, year=2026), "T-SHARE").row(0, named=True)
    assert row["actual"] == 10.7
