"""项目支出绩效目标表 forms of several provinces (../shared/real, skipped when absent) give each
project its money and goal, and each indicator its printed target and weight: one test per wording."""

from __future__ import annotations

import polars as pl
import pytest

from tests.parsing.genuine import frames as _frames


def _project(frames: dict[str, pl.DataFrame], name: str) -> dict:
    return frames["projects"].filter(pl.col("name") == name).row(0, named=True)


def _indicator(frames: dict[str, pl.DataFrame], project: dict, name: str) -> dict:
    mine = frames["indicators"].filter(pl.col("project_id") == project["project_id"])
    return mine.filter(pl.col("indicator") == name).row(0, named=True)


def test_whole_period_money_and_weight_beside_target():
    """Xi'an prints only 实施期资金总额：1,083.57 and a 分值权重 column after 指标值: the project has
    1,083.57 万元, and 考试机位单价 targets 19.75 with weight 10 (not a target of 10)."""
    frames = _frames("xian/*.pdf")
    exam = _project(frames, "会计类考试考务")
    assert exam["budget_total"] == pytest.approx(1083.57)
    assert exam["goal"].startswith("按照省财政厅年度《全国会计专业技术资格考试陕西考区工作方案》")
    price = _indicator(frames, exam, "考试机位单价(元/小时)")
    assert (price["level1"], price["level2"], price["target"], price["weight"]) == ("成本", "经济成本", "19.75", 10)


def test_year_money_and_department_code_prefix():
    """Yantai: 年度预算资金总额：30.00 and 总体目标 are read; 主管部门及代码 228_烟台市财政局 gives way
    to 实施单位 烟台市财政局; 车辆事故率 targets ≤5%."""
    frames = _frames("yantai/*.pdf")
    cars = _project(frames, "公车统管费用")
    assert (cars["budget_total"], cars["unit"]) == (30.0, "烟台市财政局")
    assert cars["goal"].startswith("通过科学合理的车辆统管")
    assert _indicator(frames, cars, "车辆事故率")["target"] == "≤5%"


def test_operator_value_and_unit_columns():
    """Chongqing prints 指标性质 / 指标值 / 计量单位 apart: 完工项目验收率 ≥ | 90 | % is ≥90%, weight 20;
    the project's money is its 当年预算 12,700.00."""
    frames = _frames("chongqing/*.pdf")
    migrants = _project(frames, "水库移民后期扶持")
    assert migrants["budget_total"] == pytest.approx(12700)
    accepted = _indicator(frames, migrants, "完工项目验收率")
    assert (accepted["target"], accepted["target_value"], accepted["weight"]) == ("≥90%", 90, 20)


def test_projects_listed_in_one_table():
    """Chongqing's 一般性项目绩效目标表 lists projects one after another (序号 / 项目名称 / 当年财政拨款
    预算金额 / 当年绩效目标 / indicators): 水利行业业务经费 has 14,299.16 万元 and its five indicators,
    not a project named after the header."""
    frames = _frames("chongqing/*.pdf")
    assert frames["projects"].filter(pl.col("name") == "当年财政拨款预算金额").height == 0
    water = _project(frames, "水利行业业务经费")
    assert water["budget_total"] == pytest.approx(14299.16)
    mine = frames["indicators"].filter(pl.col("project_id") == water["project_id"])
    assert mine["indicator"].to_list()[:2] == ["水质检验对象数量", "发布重要水情专报"]
    assert _indicator(frames, water, "发布重要水情专报")["target"] == "≥50次数"
