"""The indicator target grammar on the forms the filings print (domain guide §6)."""

from __future__ import annotations

import pytest

from parsing.targets import Target, judge, parse_target


@pytest.mark.parametrize(("text", "expected"), [
    ("≥20", Target("quant", ">=", 20, None)),
    ("≥90%", Target("quant", ">=", 90, "%")),
    ("100%", Target("quant", "=", 100, "%")),
    ("≤5%", Target("quant", "<=", 5, "%")),
    ("≥1亿", Target("quant", ">=", 1, "亿")),
    ("≥30条", Target("quant", ">=", 30, "条")),
    ("$\\geq$ 20 条", Target("quant", ">=", 20, "条")),
    ("$\\geq 95\\%$", Target("quant", ">=", 95, "%")),
    ("满意度不低于98%", Target("quant", ">=", 98, "%")),
    ("及时率达到95%以上", Target("quant", ">=", 95, "%")),
    ("≥100百分比", Target("quant", ">=", 100, "%")),
    ("=100.00(%)".replace("(%)", "%"), Target("quant", "=", 100, "%")),
    ("２０２３年１２月３１日前完成", Target("date", "<=", 20231231, None)),
    ("2023 年12 月31 日前", Target("date", "<=", 20231231, None)),
    ("排名全市前三", Target("rank", "<=", 3, None)),
    ("重大信息安全事故发生率为低", Target("qual")),
    ("年度修缮次数", Target("qual")),
    ("不适用", Target("na")),
    ("", Target("na")),
])
def test_parse_target(text, expected):
    """Each printed form reads as (kind, op, value, unit)."""
    assert parse_target(text) == expected


@pytest.mark.parametrize(("target", "outcome", "verdict"), [
    ("不少于25个", "103个", "overachieved"),
    ("≥90%", "85%", "missed"),
    ("满意度不低于98%", "满意度100%", "met"),
    ("排名全市前三", "排名全市第一", "met"),
    ("2023年12月31日前完成", "2023年11月完成", "met"),
    ("审计违纪投诉率≤1%", "0.5%", "met"),
    ("审计违纪投诉率≤1%", "3%", "missed"),
    ("修缮验收合格率", "验收合格率100%", "unparsed"),
    ("满意度≥90%", "各预算单位满意度≥90%", "as_target"),
    ("单位对预算绩效评估接受程度不低于90%", "各预算单位满意度≥90%", "as_target"),
    ("完成接收3项", "完成接收3项", "identical"),
    ("不适用", "不适用", "na"),
    ("验收合格率100%；固定资产利用率95%", "验收合格率100%；固定资产利用率90%", "missed"),
])
def test_judge(target, outcome, verdict):
    """A target against its outcome gives the verdict an analyst would."""
    assert judge(target, outcome) == verdict
