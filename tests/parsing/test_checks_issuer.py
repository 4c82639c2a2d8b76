"""The issuer and words misses of the altered suite, each as its phenomenon in the printed words:
slots other than '…部门预算' ('…部门只有本级', '…部门收入预算', '…收入预算', '预算单位：…'), a name
printed once on a copied cover against the body of the text, a renamed issuer that keeps the
old name's prefix, and a stated change against the two figures printed beside it."""

from __future__ import annotations

import polars as pl

from parsing import schema
from parsing.checks import run_checks
from tests.parsing.test_checks_narrative import _errors, _filing


def _issued(text: str, department: str, *, units: tuple[str, ...] = (), kind: str = "部门预算"):
    lib = _filing(text, year=2026, kind=kind)
    lib.documents = lib.documents.with_columns(pl.lit(department).alias("department"))
    lib.units = schema.frame("units", [{"doc_id": "d", "unit": u, "source_file": "f.pdf"} for u in units])
    return lib


CHANGSHA = (
    "二、部门预算单位构成\n{slot}部门只有本级，没有其他二级预算单位，因此，纳入2026年部门预算编制范围的只有"
    "长沙市信访局本级。\n（一）机关运行经费：2026年长沙市信访局机关运行经费预算为120万元。"
)


def test_a_body_named_where_the_filing_says_which_units_it_covers():
    """Changsha's '长沙市财政局部门只有本级，没有其他二级预算单位' in the 长沙市信访局 budget (named
    twice besides): ✗ T-ISSUER citing both pages; with 长沙市信访局 there, nothing."""
    row = _errors(_issued(CHANGSHA.format(slot="长沙市财政局"), "长沙市信访局"), "T-ISSUER").row(0, named=True)
    assert "此处“长沙市财政局”（p.5），全文其余 2 处为“长沙市信访局”" in row["message"]
    assert row["other_page"] == 5
    assert _errors(_issued(CHANGSHA.format(slot="长沙市信访局"), "长沙市信访局"), "T-ISSUER").is_empty()


def test_a_body_named_before_its_income_budget():
    """Quanzhou's '2026年,泉州市财政局部门收入预算为81206.56万元' and the 单位预算's '2025年，上海市
    普陀区人民政府财政局收入预算9,101.68万元' beside '预算单位：上海市普陀区人民政府办公室' are ✗."""
    quanzhou = "2026年,泉州市财政局部门收入预算为81206.56万元。\n泉州市公安局（部门）下属1家机关。泉州市公安局机关运行经费10万元。"
    assert "“泉州市财政局”" in _errors(_issued(quanzhou, "泉州市公安局"), "T-ISSUER")["message"][0]
    office = (
        "预算单位：上海市普陀区人民政府办公室\n2025年，上海市普陀区人民政府财政局收入预算9,101.68万元。\n"
        "截至2024年8月31日，上海市普陀区人民政府办公室共有车辆0辆。"
    )
    found = _errors(_issued(office, "上海市普陀区人民政府办公室", kind="单位预算"), "T-ISSUER")
    assert "此处“上海市普陀区人民政府财政局”" in found["message"][0]


def test_a_cover_naming_another_body_than_the_text_does_throughout():
    """Beijing's cover '北京市审计局2026年度部门预算信息公开' (so the readers call the filing that)
    against '北京市财政局（简称市财政局）' and three more mentions in the text: the cover is ✗."""
    text = (
        "北京市审计局2026年度部门预算信息公开\n北京市财政局（简称市财政局）是市政府组成部门。\n"
        "北京市财政局共32个内设机构。2026年北京市财政局政府采购预算总额12948.49万元。\n"
        "2026年北京市财政局机关运行经费财政拨款预算1158.60万元。"
    )
    row = _errors(_issued(text, "北京市审计局"), "T-ISSUER").row(0, named=True)
    assert "此处“北京市审计局”（p.5），全文其余 4 处为“北京市财政局”" in row["message"]


def test_a_renamed_issuer_is_no_unit_of_it():
    """The 2023 万里 budget's '上海市普陀区人民政府万里街道财政局部门预算是包括万里街道本部以及下属5家
    预算单位' keeps the issuer's prefix but is another body: ✗. A unit the filing lists, or one that
    extends the issuer's name with a unit word (…国库支付中心), is not."""
    issuer = "上海市普陀区人民政府万里街道办事处"
    text = (
        "{slot}部门预算是包括万里街道本部以及下属5家预算单位的综合收支计划。\n"
        f"{issuer}（部门）下属1家机关和5家事业单位。截至2022年8月31日，{issuer}共有车辆8辆。"
    )
    renamed = "上海市普陀区人民政府万里街道财政局"
    assert f"此处“{renamed}”" in _errors(_issued(text.format(slot=renamed), issuer), "T-ISSUER")["message"][0]
    unit = "上海市普陀区万里街道社区事务受理服务中心"
    listed = _issued(text.format(slot=unit), issuer, units=(issuer, unit))
    assert _errors(listed, "T-ISSUER").is_empty()
    own = _issued(text.format(slot=f"{issuer}财务管理中心"), issuer)
    assert _errors(own, "T-ISSUER").is_empty()


def test_words_before_the_issuers_name_are_no_other_body():
    """The Putuo 决算's '纳入上海市普陀区财政局2024年度部门决算编制范围的单位包括' names its issuer:
    nothing; nor does '各区人民政府部门预算' name a body."""
    text = (
        "上海市普陀区财政局部门决算包括：上海市普陀区财政局本级决算。纳入上海市普陀区财政局2024年度部门决算"
        "编制范围的单位包括：上海市普陀区财政局。\n全市各区人民政府部门预算均已公开。"
    )
    assert _errors(_issued(text, "上海市普陀区财政局", kind="部门决算"), "T-ISSUER").is_empty()


BEIJING = "2026年度收入预算44169.36万元，比2025年年初预算数44021.20万元增加148.16万元，增长0.34%。"


def test_a_change_against_the_two_figures_printed_beside_it():
    """Beijing's '收入预算44169.36万元，比2025年年初预算数44021.20万元增加148.16万元' agrees
    (44169.36 − 44021.20 = 148.16); with 减少 it is ✗ (with its rate '增长0.34%' left, the two
    directions disagree; without it, the figures say 增加), and so is 增加248.16."""
    assert run_checks(_filing(BEIJING, year=2026)).filter(pl.col("rule") == "T-WORD").is_empty()
    flipped = _errors(_filing(BEIJING.replace("增加148", "减少148"), year=2026), "T-WORD")
    assert "减少148.16万元，增长0.34%（p.5）" in flipped["message"][0]
    bare = BEIJING.replace("增加148.16万元，增长0.34%", "减少148.16万元")
    row = _errors(_filing(bare, year=2026), "T-WORD").row(0, named=True)
    assert (row["expected"], row["actual"]) == (148.16, -148.16)
    wrong = _errors(_filing(BEIJING.replace("增加148.16", "增加248.16"), year=2026), "T-WORD")
    assert wrong.row(0, named=True)["actual"] == 248.16


def test_a_heading_printed_with_another_body_or_a_placeholder():
    """The Shanghai budgets print their parts' headings after the issuer's name ('上海市普陀区人民
    政府万里街道办事处（部门）主要职能', kept as the part's heading): one printed '…万里街道财政局
    （部门）主要职能' is ✗ T-ISSUER, one printed 'XX局（部门）主要职能' ✗ T-PLACEHOLDER (p.3)."""
    issuer = "上海市普陀区人民政府万里街道办事处"
    text = f"{issuer}部门预算是包括万里街道本部以及下属5家预算单位的综合收支计划。\n{issuer}（部门）下属1家机关。"

    def headed(heading: str):
        lib = _issued(text, issuer)
        lib.sections = lib.sections.with_columns(pl.lit(heading).alias("heading"), pl.lit(3).alias("source_page"))
        return lib

    renamed = _errors(headed("上海市普陀区人民政府万里街道财政局（部门）主要职能"), "T-ISSUER")
    assert "此处“上海市普陀区人民政府万里街道财政局”（p.3）" in renamed["message"][0]
    placeholder = _errors(headed("XX局（部门）主要职能"), "T-PLACEHOLDER")
    assert "标题“XX局（部门）主要职能”（p.3）" in placeholder["message"][0]
    assert _errors(headed(f"{issuer}（部门）主要职能"), "T-ISSUER").is_empty()


def test_a_form_title_naming_another_body_than_its_name_cell():
    """Guangzhou's 部门整体绩效目标申报表 titled '广州市生态财政局2026年部门整体预算绩效目标申报表'
    over a 部门名称 cell '广州市生态环境局' (the form's unit): ✗ T-ISSUER citing both; the genuine
    title, nothing."""
    title = "广州市生态财政局2026年部门整体预算绩效目标申报表"
    lib = _issued("立足新发展阶段。", "广州市生态财政局", units=("广州市生态环境局",), kind="部门整体绩效目标申报表")
    lib.documents = lib.documents.with_columns(pl.lit(title).alias("title"))
    row = _errors(lib, "T-ISSUER").row(0, named=True)
    assert "表题“广州市生态财政局”（p.1），部门名称栏为“广州市生态环境局”（p.1）" in row["message"]
    lib.documents = lib.documents.with_columns(pl.lit(title.replace("财政", "环境")).alias("title"))
    assert _errors(lib, "T-ISSUER").is_empty()
