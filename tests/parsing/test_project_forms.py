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


def test_form_named_by_its_title_alone():
    """Quanzhou's forms print no 项目名称 cell, only the title 女子看守所保障经费项目绩效目标表 and
    资金总额：1111.50: the project 女子看守所保障经费 has 1,111.50 万元, and 在押人员月均关押量 is
    its 产出·数量 indicator targeting ≥600人 (not an indicator named 数量指标)."""
    frames = _frames("quanzhou/*.pdf")
    jail = _project(frames, "女子看守所保障经费")
    assert jail["budget_total"] == pytest.approx(1111.5)
    held = _indicator(frames, jail, "在押人员月均关押量")
    assert (held["level1"], held["level2"], held["target"], held["target_value"]) == ("产出", "数量", "≥600人", 600)
    in_forms = frames["indicators"].filter(pl.col("source_page").is_between(26, 50))
    assert in_forms.filter(pl.col("indicator") == "数量指标").height == 0


def test_unit_and_project_in_a_title_wrapped_over_two_lines():
    """A title wrapped as 301007_泉州市公安局晋江国际机场分局_机场公安综 / 合修缮改造项目绩效目标表
    names unit and project: 机场公安综合修缮改造 of 泉州市公安局晋江国际机场分局, 57.00 万元."""
    frames = _frames("quanzhou/*.pdf")
    works = _project(frames, "机场公安综合修缮改造")
    assert (works["unit"], works["budget_total"]) == ("泉州市公安局晋江国际机场分局", 57.0)
    assert _indicator(frames, works, "备勤宿舍改造完成及时率")["target"] == "100%"


def test_every_quanzhou_form_is_a_project():
    """Each of the 25 项目绩效目标表 (pp.26–50) is one project with its indicators, none of theirs
    left without a project (only p.52's 部门整体支出绩效目标表 is the department's own)."""
    frames = _frames("quanzhou/*.pdf")
    forms = frames["projects"].filter(pl.col("source_page").is_between(26, 50))
    assert forms.height == 25
    assert forms["name"].str.ends_with("表").sum() == 0
    in_forms = frames["indicators"].filter(pl.col("source_page").is_between(26, 50))
    assert in_forms.filter(pl.col("project_id").is_null()).height == 0
    assert set(in_forms["project_id"]) == set(forms["project_id"])


@pytest.mark.xfail(
    strict=True,
    reason="merge of 2026-11-30: the department form's tree read by its columns (branch targets) gave "
    "way to the rule that a tree whose target is its last column is read by position (branch changsha: "
    "the seeds' text route shifts cells there); both together broke the seed's PDF/text agreement",
)
def test_quanzhou_department_form_reads_its_tree_by_column():
    """p.52's 部门整体支出绩效目标表: 案件破案率 targets ≥98%, and no level (数量指标) is an indicator."""
    frames = _frames("quanzhou/*.pdf")
    department = frames["indicators"].filter(pl.col("project_id").is_null())
    assert department.filter(pl.col("indicator") == "案件破案率")["target"].to_list() == ["≥98%"]
    assert frames["indicators"].filter(pl.col("indicator") == "数量指标").height == 0


def test_form_titled_only_by_its_year():
    """国家信访局's 2026 forms are titled （2026年度） over 项目名称 | 信访业务培训: the project has
    118.01 万元 under 国家信访局本级, and 信访业务主体培训人数 targets ≥290人 with 分值 6."""
    frames = _frames("central/2026_*.pdf")
    training = _project(frames, "信访业务培训")
    assert (training["budget_total"], training["unit"]) == (118.01, "国家信访局本级")
    people = _indicator(frames, training, "信访业务主体培训人数")
    assert (people["level2"], people["target"], people["weight"]) == ("数量", "≥290人", 6)
    assert frames["notes"].filter(pl.col("kind") == "unrecognised_table").height == 0


def test_self_evaluation_form_of_a_final_account():
    """The 2024 决算's 自评 form of 信息化运行维护: 全年预算数 1,639.34, 全年执行数 1,032.99, 执行率
    63.01%; 设备完好率 targets ≥96%, reached 85% with 分值 10, so it is missed."""
    frames = _frames("central/2024_*.pdf")
    it = _project(frames, "信息化运行维护")
    assert (it["budget_total"], it["actual_total"], it["exec_rate"]) == (1639.34, 1032.99, 63.01)
    assert it["goal"].startswith("一是贯彻落实《信访工作条例》")
    intact = _indicator(frames, it, "设备完好率")
    assert (intact["target"], intact["outcome"], intact["weight"], intact["verdict"]) == ("≥96%", "85%", 10, "missed")


def test_grid_carried_onto_the_next_page_stays_with_its_project():
    """Yantai repeats the title on every page, so a form's last rows open a page of their own: p.34's
    职工满意度 =100% belongs to 财政工作专项经费 (p.33), not to the department."""
    frames = _frames("yantai/*.pdf")
    fund = _project(frames, "财政工作专项经费")
    staff = _indicator(frames, fund, "职工满意度")
    assert (staff["level2"], staff["target"], staff["source_page"]) == ("服务对象满意度", "=100%", 34)
    assert frames["indicators"].filter(pl.col("project_id").is_null()).height == 0
