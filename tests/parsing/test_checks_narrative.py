"""The narrative read against the tables, and the filing's identity and completeness: each rule
family on small inline data shaped like the Shanghai filings' wording."""

from __future__ import annotations

import polars as pl

from parsing import schema
from parsing.checks import run_checks
from parsing.library import Library
from tests.parsing.test_checks import _line


def _filing(
    text: str, lines: list[dict] = (), *, kind: str = "部门预算", year: int = 2025, front: str | None = None, notes=()
):
    """One filing: its 说明 (page 5), optional cover/目录 (page 1), table rows (page 9)."""
    base = {"doc_id": "d", "source_file": "f.pdf"}
    sections = [base | {"part_no": 1, "part": "第一部分", "heading": "说明", "text": text, "source_page": 5}]
    if front is not None:
        sections.append(
            base | {"part_no": None, "part": "封面及目录", "heading": "封面及目录", "text": front, "source_page": 1}
        )
    return Library(
        documents=schema.frame(
            "documents", [{"doc_id": "d", "kind": kind, "year": year, "department": "某区财政局", "file": "f.pdf"}]
        ),
        budget_lines=schema.frame("budget_lines", [base | {"source_page": 9} | l for l in lines]),
        sections=schema.frame("sections", sections),
        notes=schema.frame("notes", [base | n for n in notes]),
    )


def _summary(income: float, text: str = "") -> list[dict]:
    return [
        _line(
            None,
            "预算数",
            income,
            name="收入总计",
            side="income",
            table_kind="收支总表",
            classification="none",
            row_kind="total",
            source_table="2025年部门财务收支预算总表",
            amount_text=text or str(income),
        ),
        _line(
            None,
            "预算数",
            income,
            name="支出总计",
            side="expenditure",
            table_kind="收支总表",
            classification="none",
            row_kind="total",
            source_table="2025年部门财务收支预算总表",
            amount_text=text or str(income),
        ),
    ]


def _errors(lib: Library, rule: str) -> pl.DataFrame:
    return run_checks(lib).filter(pl.col("rule") == rule, pl.col("severity") == "error")


def test_an_amount_in_the_text_against_its_table_names_both_pages():
    """说明 收入预算 2,995.39 万元 against 收支总表 收入总计 2,095.39: ✗ citing p.5 and p.9."""
    lib = _filing("2025年，某区财政局收入预算2,995.39万元，其中：财政拨款收入2,995.39万元。", _summary(2095.39))
    row = _errors(lib, "T-AMOUNT").row(0, named=True)
    assert (row["actual"], row["expected"], row["source_page"], row["other_page"]) == (2995.39, 2095.39, 5, 9)
    assert "说明：收入预算 2,995.39 万元（p.5）" in row["message"] and "2,095.39 万元（p.9）" in row["message"]


def test_a_quote_rounded_to_two_decimals_is_the_same_figure():
    """18,976.76 万元 in the text for 189,767,551 元 in the table: nothing to report."""
    lib = _filing("2025年，某区财政局收入预算18,976.76万元。", _summary(18976.7551, "189,767,551"))
    assert run_checks(lib).filter(pl.col("rule").is_in(["T-AMOUNT", "T-UNIT"])).is_empty()


def test_wan_yuan_written_yuan_is_a_unit_slip():
    """收入预算 18,976.76 元 against 18,976.7551 万元: 10⁴ apart, a T-UNIT error."""
    lib = _filing("2025年，某区财政局收入预算18,976.76元。", _summary(18976.7551, "189,767,551"))
    row = _errors(lib, "T-UNIT").row(0, named=True)
    assert row["family"] == "units" and "差 10⁴ 倍" in row["message"]


def test_a_share_is_recomputed_from_the_paragraph_total():
    """本年支出合计 2940.05 万元，其中 一般公共服务 2106.66 万元 printed as 71.73% (71.65%): ✗;
    326.72 万元 at 11.11% is right."""
    text = (
        "本年支出合计2940.05万元，其中：一般公共服务支出2106.66万元，占71.73%；社会保障和就业支出326.72万元，占11.11%；"
    )
    rows = _errors(_filing(text, kind="部门决算", year=2024), "T-SHARE")
    assert rows["actual"].to_list() == [71.73] and round(rows["expected"][0], 2) == 71.65


def test_a_relation_word_against_the_two_figures():
    """年初预算 10.00、支出决算 9.00 with '决算数大于预算数' is ✗; '小于' is right."""
    text = "年初预算为10.00万元，支出决算为9.00万元，完成年初预算的90.00%。决算数{}预算数的主要原因：调减。"
    assert _errors(_filing(text.format("大于"), kind="部门决算", year=2024), "T-WORD").height == 1
    assert _errors(_filing(text.format("小于"), kind="部门决算", year=2024), "T-WORD").is_empty()


def test_a_stated_change_against_last_years_filing():
    """'财政拨款收入 110 万元，比 2024 年预算减少 10 万元' implies 120, but the 2024 filing prints 100: ✗."""
    this = _filing("其中：财政拨款收入110.00万元，比2024年预算减少10.00万元；")
    last = _filing("", year=2024)

    def money(doc: str, value: float) -> dict:
        return _line(
            None,
            "财政拨款收入",
            value,
            doc_id=doc,
            name="合计",
            table_kind="收入总表",
            classification="none",
            row_kind="total",
            source_table="收入预算总表",
        )

    lib = Library(
        documents=pl.concat([this.documents, last.documents.with_columns(pl.lit("e").alias("doc_id"))]),
        budget_lines=schema.frame("budget_lines", [money("d", 110.0), money("e", 100.0)]),
        sections=this.sections,
    )
    row = _errors(lib, "T-WORD").row(0, named=True)
    assert (row["actual"], row["expected"]) == (120.0, 100.0)


def test_a_change_and_its_rate_pointing_opposite_ways():
    """'增加 56.95 万元，下降 1.87%' cannot both hold."""
    lib = _filing("与2023年度相比，收入支出总计增加56.95万元，下降1.87%。", kind="部门决算", year=2024)
    assert "增减方向自相矛盾" in _errors(lib, "T-WORD")["message"][0]


def test_years_in_headings_and_as_of_dates():
    """A 2025 budget's '2024年部门预算编制说明' and '截至2022年8月31日' are ✗; '比2024年预算' and
    '截至2024年8月31日' are not."""
    text = "2024年部门预算编制说明\n比2024年预算增加10万元。\n截至2024年8月31日，共有车辆8辆。\n截至2022年8月31日，共有车辆8辆。"
    found = _errors(_filing(text), "T-YEAR-OWN")["message"].to_list()
    assert len(found) == 2 and "2024年部门预算编制说明" in found[0] and "截至2022年8月31日" in found[1]


def test_the_issuer_named_otherwise_in_one_slot():
    """Two slots name 上海市某区财政局, a third 上海市某区审计局: the odd one is ✗."""
    text = "上海市某区财政局（部门）下属1家机关。\n上海市某区财政局部门预算包括本级。\n上海市某区审计局（部门）共有车辆8辆。"
    row = _errors(_filing(text), "T-ISSUER").row(0, named=True)
    assert "上海市某区审计局" in row["message"] and "上海市某区财政局" in row["message"]


def test_placeholders_left_in():
    """'XX局（部门）' in the text is ✗; a table row named 某某项目 is ✗ too."""
    lines = [_line("2010601", "合计", 1.0, name="某某项目")]
    found = _errors(_filing("2025年XX局（部门）下属1家机关。", lines), "T-PLACEHOLDER")
    assert found.height == 2


def test_a_table_in_the_contents_but_not_in_the_body():
    """The 目录 lists 收支总表 and 三公经费预算表; only the first is printed: ✗ for the second."""
    front = "目录\n一、2025年部门财务收支预算总表\n二、2025年部门“三公”经费预算表"
    row = _errors(_filing("说明。", _summary(1.0), front=front), "T-TOC").row(0, named=True)
    assert "三公" in row["message"] and row["source_page"] == 1


def test_an_empty_table_needs_its_note():
    """A table printed with no amount is ✗ without a note, fine with '本表无数据'."""
    lines = [_line(None, "合计", 0.0, name="合计", table_kind="政府性基金", source_table="政府性基金预算支出表")]
    assert _errors(_filing("说明。", lines), "T-TOC").height == 1
    note = {
        "kind": "footnote",
        "detail": "注：本单位无政府性基金预算，故本表无数据。",
        "source_table": "政府性基金预算支出表",
    }
    assert _errors(_filing("说明。", lines, notes=[note]), "T-TOC").is_empty()


def test_a_code_printed_with_its_siblings_name():
    """2080506 printed as 机关事业单位基本养老保险缴费支出 (2080505's national name) is ✗; 2080505 so
    printed is right."""
    wrong = [_line("2080506", "合计", 1.0, name="机关事业单位基本养老保险缴费支出")]
    row = _errors(_filing("说明。", wrong), "T-CODE").row(0, named=True)
    assert "2080505" in row["message"]
    right = [_line("2080505", "合计", 1.0, name="机关事业单位基本养老保险缴费支出")]
    assert run_checks(_filing("说明。", right)).filter(pl.col("rule") == "T-CODE").is_empty()


def _two_calibers(*, fund: float = 0.0) -> list[dict]:
    """Chongqing's layout: the 支出总表 (全部资金) and the 一般公共预算支出表 (功能分类) print
    different 基本支出; a 政府性基金 table prints ``fund``."""
    spend = dict(table_kind="支出总表", classification="function", row_kind="total", name="合计")
    gp = dict(table_kind="功能分类", row_kind="total", name="合计", source_table="表5")
    lines = [
        _line(None, "基本支出", 41418.94, source_table="表3", **spend),
        _line(None, "项目支出", 145130.37, source_table="表3", **spend),
        _line(None, "总计", 128148.56, **gp),
        _line(None, "基本支出·小计", 33325.21, **gp),
        _line(None, "项目支出", 94823.35, **gp),
    ]
    fund_table = dict(table_kind="政府性基金", row_kind="total", name="合计", source_table="表7")
    return lines + ([_line(None, "总计", fund, **fund_table)] if fund else [])


def test_basic_spending_of_the_general_budget_is_read_against_its_own_table():
    """'一般公共预算财政拨款支出 128148.56 万元。其中：基本支出 33325.21 万元' is the 一般公共预算
    table's 基本支出 (33,325.21), not the 支出总表's 全部资金 41,418.94: no ✗; the same figure
    said of the whole department's 支出预算 is a ✗ naming the 支出总表."""
    gp = "2026年一般公共预算财政拨款支出128148.56万元，比2025年增加10300.15万元。其中：基本支出33325.21万元，项目支出94823.35万元。"
    found = run_checks(_filing(gp, _two_calibers(), year=2026)).filter(pl.col("rule") == "T-AMOUNT")
    assert found.filter(pl.col("severity") == "error").is_empty()
    whole = "2026年支出预算186549.30万元，其中：基本支出33325.21万元。"
    errors = run_checks(_filing(whole, _two_calibers(), year=2026)).filter(pl.col("severity") == "error")
    assert errors["rule"].to_list() == ["T-AMOUNT"] and errors["expected"][0] == 41418.94
    assert errors["other_table"][0] == "表3"


def test_basic_spending_of_unspecified_grants_is_unchecked_where_fund_money_exists():
    """'财政拨款支出…其中：基本支出 X' does not say whether 政府性基金 is in: with 政府性基金 money
    printed, a mismatch with the 一般公共预算 table is 未核 with that reason; without it, ✗."""
    text = "2026年财政拨款支出128148.56万元。其中：基本支出30000.00万元。"
    with_fund = run_checks(_filing(text, _two_calibers(fund=44134.59), year=2026)).filter(pl.col("rule") == "T-AMOUNT")
    assert with_fund["severity"].to_list() == ["note"] and "口径为财政拨款" in with_fund["message"][0]
    alone = run_checks(_filing(text, _two_calibers(), year=2026)).filter(pl.col("rule") == "T-AMOUNT")
    assert alone["severity"].to_list() == ["error"] and alone["expected"][0] == 33325.21


def test_a_change_and_its_rate_called_增幅_or_减幅_point_the_same_way():
    """The central government's wording '比2025年执行数增加670.85万元，增幅1009.71%' is consistent;
    '…减少20,766.6万元，增幅55.76%' says two directions at once: a T-WORD ✗."""
    fine = "（项）2026年预算数为737.29万元，比2025年执行数增加670.85万元，增幅1009.71%。"
    assert run_checks(_filing(fine, year=2026)).filter(pl.col("rule") == "T-WORD").is_empty()
    wrong = "支出16,474.82万元，比2025年执行数减少20,766.6万元，增幅55.76%。"
    found = run_checks(_filing(wrong, year=2026)).filter(pl.col("rule") == "T-WORD")
    assert found["severity"].to_list() == ["error"] and "减少20,766.6万元，增幅55.76%" in found["message"][0]


def test_a_cover_naming_another_body_against_the_tables_units():
    """Guangzhou's layout: the cover names 广州市财政局 (so the readers call the filing that), one
    slot names 广州市商务局, and the tables list 广州市商务局 as a 预算单位: the tables' unit votes
    with the slot, and the cover's name is ✗ — it is not excused for being the filing's own."""
    text = "2026年\n广州市财政局部门预算\n第一部分广州市商务局概况"
    lib = _filing(text, year=2026)
    lib.documents = lib.documents.with_columns(pl.lit("广州市财政局").alias("department"))
    lib.units = schema.frame(
        "units", [{"doc_id": "d", "unit": u, "source_file": "f.pdf"} for u in ("广州市财政局", "广州市商务局")]
    )
    row = _errors(lib, "T-ISSUER").row(0, named=True)
    assert "此处“广州市财政局”" in row["message"] and "其余 2 处为“广州市商务局”" in row["message"]


def test_a_change_against_上年_is_read_like_one_against_a_year():
    """Guangzhou's '“三公”经费304.63万元，比上年增加49.95万元，增长19.6%' is consistent; with 减少
    for 增加 it says two directions at once: a T-WORD ✗ citing the page."""
    fine = "2026年本部门“三公”经费304.63万元，比上年增加49.95万元，增长19.6%。"
    assert run_checks(_filing(fine, year=2026)).filter(pl.col("rule") == "T-WORD").is_empty()
    wrong = fine.replace("增加49.95", "减少49.95")
    found = _errors(_filing(wrong, year=2026), "T-WORD")
    assert found.height == 1 and "减少49.95万元，增长19.6%（p.5）" in found["message"][0]


def test_an_old_year_repeated_in_one_sentence_is_one_note():
    """深圳 2026 p.8: "2014—2017 年“产业转型升级无息转贷资金”管理费 1,305.59 万元，用于支付
    2014—2017 年“…”管理费；" names 2017 twice in one sentence: one T-YEAR note, not two."""
    text = (
        "代理银行手续费1,585.88万元；2014—2017 年“产业转型升级无息转贷资金”管理费\n1,305.59 万元，用于支付"
        " 2014—2017 年“产业转型升级无息转\n贷资金”管理费；绩效评价费用577.14万元。"
    )
    found = run_checks(_filing(text, year=2026)).filter(pl.col("rule") == "T-YEAR")
    assert found["message"].to_list() == [
        "2026年的文件提到 2017年: “2017年“产业转型升级无息转贷资金”管理费1,305.59万元，用于支付201”"
    ]
