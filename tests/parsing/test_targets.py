"""The indicator target grammar and verdicts on the forms the filings print (domain guide §6)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from parsing.readers.filing import read_filing
from parsing.readers.targets import Target, judge, parse_target

ROOT = Path(__file__).resolve().parents[2]


# parse_target: bare symbol + number (+ unit)


def test_symbol_without_unit():
    """'≥20' is a count at least 20 with no unit."""
    assert parse_target("≥20") == Target("quant", ">=", 20, None)


def test_symbol_with_percent():
    """'≥90%' is a rate of at least 90 %."""
    assert parse_target("≥90%") == Target("quant", ">=", 90, "%")


def test_at_most_percent():
    """'≤5%' is a rate of at most 5 %."""
    assert parse_target("≤5%") == Target("quant", "<=", 5, "%")


def test_at_most_hundred_percent():
    """'≤100%' is a rate of at most 100 % (an execution ceiling)."""
    assert parse_target("≤100%") == Target("quant", "<=", 100, "%")


def test_money_scale_is_the_unit():
    """'≥1亿' keeps 亿 as its unit."""
    assert parse_target("≥1亿") == Target("quant", ">=", 1, "亿")


def test_count_unit():
    """'≥30条' is at least 30 条."""
    assert parse_target("≥30条") == Target("quant", ">=", 30, "条")


def test_bare_value_means_equal():
    """'100%' with no operator is '= 100 %'."""
    assert parse_target("100%") == Target("quant", "=", 100, "%")


def test_name_then_bare_value_means_equal():
    """'满意度100%' is '= 100 %'; the name in front is not an operator."""
    assert parse_target("满意度100%") == Target("quant", "=", 100, "%")


# parse_target: normalisation


def test_latex_operator_and_spaces():
    """'$\\geq$ 20 条' from PDF→markdown reads as ≥ 20 条."""
    assert parse_target("$\\geq$ 20 条") == Target("quant", ">=", 20, "条")


def test_latex_percent():
    """'$\\geq 95\\%$' reads as ≥ 95 %."""
    assert parse_target("$\\geq 95\\%$") == Target("quant", ">=", 95, "%")


def test_baifenbi_is_percent():
    """'≥100百分比' is written out, but is ≥ 100 %."""
    assert parse_target("≥100百分比") == Target("quant", ">=", 100, "%")


def test_full_width_percent_and_digits():
    """Full-width '≥９０％' reads like '≥90%'."""
    assert parse_target("≥９０％") == Target("quant", ">=", 90, "%")


def test_thousands_separator():
    """'不少于1,200人次' is ≥ 1200 人次: the separator and the longer unit are both read."""
    assert parse_target("不少于1,200人次") == Target("quant", ">=", 1200, "人次")


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("≤12个月", "个月"),
        ("≥3万人次", "万人次"),
        ("提高2个百分点", "个百分点"),
        ("≥500平方米", "平方米"),
        ("≤20个工作日", "个工作日"),
    ],
)
def test_compound_unit_is_read_whole(text, unit):
    """A unit made of a magnitude, 个 and a measure word is one unit: ≤12个月 is in 个月, not 个."""
    assert parse_target(text).unit == unit


def test_decimal_is_not_a_clause_number():
    """'1.5%' is one and a half per cent, not clause '1.' followed by '5%'."""
    assert parse_target("1.5%") == Target("quant", "=", 1.5, "%")


# parse_target: operator words


def test_word_at_least():
    """'满意度不低于98%' is ≥ 98 %, not '< 98' from the 低于 inside 不低于."""
    assert parse_target("满意度不低于98%") == Target("quant", ">=", 98, "%")


def test_word_after_number_overrides():
    """'及时率达到95%以上': 以上 after the number makes 达到 (=) into ≥."""
    assert parse_target("及时率达到95%以上") == Target("quant", ">=", 95, "%")


def test_word_at_most():
    """'不超过3次' is ≤ 3 次, not '> 3' from the 超过 inside 不超过."""
    assert parse_target("不超过3次") == Target("quant", "<=", 3, "次")


def test_control_within():
    """'控制在预算的100%以内' is ≤ 100 %."""
    assert parse_target("控制在预算的100%以内") == Target("quant", "<=", 100, "%")


def test_year_is_context_not_value():
    """'2023年度完成审计项目≥20个' is ≥ 20 个; the year only says when."""
    assert parse_target("2023年度完成审计项目≥20个") == Target("quant", ">=", 20, "个")


# parse_target: dates, ranks, clauses


def test_deadline():
    """'2023年12月31日前完成' is a date on or before 2023-12-31."""
    assert parse_target("2023年12月31日前完成") == Target("date", "<=", 20231231, None)


def test_deadline_with_spaces():
    """'2023 年12 月31 日前' (spaces from the PDF) is still a date."""
    assert parse_target("2023 年12 月31 日前") == Target("date", "<=", 20231231, None)


def test_deadline_month_only_is_its_last_day():
    """'2021年11月份完成支付' is due by 2021-11-30, the month's last day."""
    assert parse_target("2021年11月份完成支付") == Target("date", "<=", 20211130, None)


def test_rank_top_n():
    """'排名全市前三' is rank ≤ 3."""
    assert parse_target("排名全市前三") == Target("rank", "<=", 3, None)


def test_rank_first():
    """'全市第一' is rank = 1."""
    assert parse_target("全市第一") == Target("rank", "=", 1, None)


def test_first_quarter_is_not_a_rank():
    """'第一季度完成5项' is 5 项; 第一 there names a quarter."""
    assert parse_target("第一季度完成5项") == Target("quant", "=", 5, "项")


def test_first_clause_that_parses():
    """'验收合格率100%；固定资产利用率95%' is filed under its first clause."""
    assert parse_target("验收合格率100%；固定资产利用率95%") == Target("quant", "=", 100, "%")


def test_numbered_clauses():
    """'1、…150个；2、…不少于25个' is filed under clause 1, without its '1、'."""
    assert parse_target("1、完成培训150个；2、新增课程不少于25个") == Target("quant", "=", 150, "个")


# parse_target: qualitative and not applicable


def test_numbering_after_semicolon_is_not_a_value():
    """'1.政府物业的安全性；2.政府物业档案的健全性' is qual: '2.' numbers the clause."""
    assert parse_target("1.政府物业的安全性；2.政府物业档案的健全性") == Target("qual")


def test_years_alone_are_qual():
    """'2019年会计档案整理数量' names an indicator for a year; it sets no value."""
    assert parse_target("2019年会计档案整理数量") == Target("qual")


def test_deadline_after_a_context_year():
    """'2022年工作于2023年6月前完成' is due by 2023-06-30: the second year carries the month."""
    assert parse_target("2022年工作于2023年6月前完成") == Target("date", "<=", 20230630, None)


def test_qualitative_phrase():
    """'有效提升' carries no value: qual."""
    assert parse_target("有效提升") == Target("qual")


def test_qualitative_level():
    """'重大信息安全事故发生率为低' is qual: 为 is followed by no number."""
    assert parse_target("重大信息安全事故发生率为低") == Target("qual")


def test_name_without_value():
    """'年度修缮次数' is only the indicator's name: qual."""
    assert parse_target("年度修缮次数") == Target("qual")


def test_relative_to_budget_is_qual():
    """'不超过预算数' names no number, so it stays qual rather than guessing 100 %."""
    assert parse_target("不超过预算数") == Target("qual")


def test_not_applicable():
    """'不适用' is na."""
    assert parse_target("不适用") == Target("na")


def test_blank_is_not_applicable():
    """A blank or missing cell is na."""
    assert parse_target("") == Target("na")
    assert parse_target(None) == Target("na")


# judge


def test_overachieved():
    """'不少于25个' against '103个' is more than 1.5× the target: overachieved."""
    assert judge("不少于25个", "103个") == "overachieved"


def test_missed():
    """'≥90%' against '85%' is missed."""
    assert judge("≥90%", "85%") == "missed"


def test_met():
    """'满意度不低于98%' against '满意度100%' is met."""
    assert judge("满意度不低于98%", "满意度100%") == "met"


def test_outcome_number_in_target_unit():
    """'≥90%' against '完成审计项目25个，满意度95%' compares 95 %, not 25 个."""
    assert judge("≥90%", "完成审计项目25个，满意度95%") == "met"


def test_money_scales_compare():
    """'≥1亿' against '5000万元' is 0.5 亿: missed."""
    assert judge("≥1亿", "5000万元") == "missed"


def test_units_mismatch():
    """'≥30条' against '95%' has no number in 条: unparsed."""
    assert judge("≥30条", "95%") == "unparsed"


def test_negative_target_met_below():
    """'≤5%' against '2%' is met: lower is better."""
    assert judge("≤5%", "2%") == "met"


def test_negative_target_missed_above():
    """'≤5%' against '8%' is missed."""
    assert judge("≤5%", "8%") == "missed"


def test_negative_name_with_equal_target():
    """'投诉率为0' against '1%' is missed: 投诉率 is lower-is-better even when written '= 0'."""
    assert judge("投诉率为0", "1%") == "missed"


def test_negative_target_is_never_overachieved():
    """'≤10%' against '1%' is met, not overachieved."""
    assert judge("≤10%", "1%") == "met"


def test_deadline_met():
    """'2023年12月31日前完成' against '2023年11月完成' is met."""
    assert judge("2023年12月31日前完成", "2023年11月完成") == "met"


def test_deadline_missed():
    """'2023年12月31日前完成' against '2024年1月完成' is missed."""
    assert judge("2023年12月31日前完成", "2024年1月完成") == "missed"


def test_deadline_against_vague_outcome():
    """'2023年12月31日前完成' against '按时完成' gives no date to compare; the outcome's words
    say done on time: likely_met (≈), not met."""
    assert judge("2023年12月31日前完成", "按时完成") == "likely_met"


def test_rank_met():
    """'排名全市前三' against '排名全市第一' is met: rank 1 ≤ 3."""
    assert judge("排名全市前三", "排名全市第一") == "met"


def test_rank_missed():
    """'排名全市前三' against '排名全市第五' is missed."""
    assert judge("排名全市前三", "排名全市第五") == "missed"


def test_target_without_value_rate_at_full():
    """'修缮验收合格率' (a name, no value) against '验收合格率100%': a positive rate at 100% meets
    whatever value the target would have had: met."""
    assert judge("修缮验收合格率", "验收合格率100%") == "met"


def test_target_without_value_against_a_count():
    """'信息系统数量' (a name, no value) against '信息系统数量1个' cannot be compared: no_target."""
    assert judge("信息系统数量", "信息系统数量1个") == "no_target"


def test_negative_rate_at_full_is_not_met():
    """'事故发生率' at 100% is no success: the full-rate rule holds for positive rates only."""
    assert judge("事故发生率", "事故发生率100%") == "no_target"


def test_bare_outcome_takes_the_target_unit():
    """A score form's 实际完成值 printed as a bare number is in the target's unit: '≤100%'
    against '93.47' is met, '≥30次' against '20' is missed (Ningde 部门整体支出绩效自评表)."""
    assert judge("≤100%", "93.47") == "met"
    assert judge("≥30次", "20") == "missed"


def test_words_say_done():
    """A qualitative target against an outcome saying it was done ('正常开展得到有效保障'):
    likely_met, the qualitative band 达成 of §3.4, marked ≈ rather than ✓."""
    assert judge("保障本单位的工作正常开展", "中心工作正常开展得到有效保障。") == "likely_met"


def test_words_say_not_done():
    """'尚未完成' in the outcome: likely_missed, whatever else it claims."""
    assert judge("年底前完成系统上线", "系统已完成开发，因疫情影响尚未上线") == "likely_missed"


def test_nothing_happened_is_not_a_negation():
    """'未发生安全事故' reports a good year: the negation words are 未完成/未达到…, not any 未."""
    assert judge("系统安全运行", "全年未发生安全事故，系统稳定运行") == "likely_met"


def test_outcome_written_as_target():
    """'满意度≥90%' against '各预算单位满意度≥90%' has no measured value: as_target."""
    assert judge("满意度≥90%", "各预算单位满意度≥90%") == "as_target"


def test_outcome_written_as_another_target():
    """An outcome with its own operator is as_target even under a different name."""
    assert judge("单位对预算绩效评估接受程度不低于90%", "各预算单位满意度≥90%") == "as_target"


def test_outcome_written_as_target_beside_a_name():
    """'各预算单位满意度' (no value) against '各预算单位满意度≥90%' is still as_target."""
    assert judge("各预算单位满意度", "各预算单位满意度≥90%") == "as_target"


def test_outcome_with_operator_word():
    """'不低于90%' as an outcome is as_target."""
    assert judge("≥90%", "不低于90%") == "as_target"


def test_operator_away_from_the_number_is_not_a_target():
    """'满意度100%，高于目标值' is a measured 100 %: 高于 does not precede a number."""
    assert judge("满意度≥90%", "满意度100%，高于目标值") == "met"


def test_identical_text():
    """An outcome that repeats the target (spaces aside) is identical, a copied target."""
    assert judge("完成接收 3项", "完成接收3项") == "identical"


def test_judge_not_applicable():
    """'不适用' as the target is na, whatever the outcome."""
    assert judge("不适用", "不适用") == "na"


def test_blank_outcome():
    """A real target with a blank outcome (a budget's target, or a form left empty): no_outcome."""
    assert judge("≥90%", "") == "no_outcome"


def test_outcome_not_applicable():
    """An outcome marked 不适用 beside a real target is an explicit na."""
    assert judge("≥90%", "不适用") == "na"


def test_clauses_all_met():
    """Paired clauses, each met: met."""
    assert judge("验收合格率100%；固定资产利用率95%", "验收合格率100%；固定资产利用率96%") == "met"


def test_clauses_one_missed():
    """Paired clauses with one missed: missed."""
    assert judge("验收合格率100%；固定资产利用率95%", "验收合格率100%；固定资产利用率90%") == "missed"


def test_numbered_clauses_pair_in_order():
    """'1、…150个；2、…不少于25个' against '1、…150个；2、…103个': clause 2 is overachieved."""
    assert judge("1、完成培训150个；2、新增课程不少于25个", "1、完成培训150个；2、新增课程103个") == "overachieved"


def test_seed_verdict_coverage():
    """Of the 2021 自评表 seed's indicators with an outcome, at least 90% get a verdict an analyst
    can use (met, missed, overachieved, ≈ from words, as_target, identical, or 不适用)."""
    indicators = read_filing(ROOT / "seeds" / "000_533ecde84f1547da.txt")["indicators"]
    verdicts = [v for v in indicators["verdict"] if v != "no_outcome"]
    judged = [v for v in verdicts if v not in ("unparsed", "no_target")]
    assert len(verdicts) == 152 and len(judged) / len(verdicts) >= 0.9


def test_module_imports_no_ui():
    """parsing.readers.targets loads neither textual nor rich."""
    code = "import sys, parsing.readers.targets; print(sorted(m for m in ('textual', 'rich') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"
