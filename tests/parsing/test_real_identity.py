"""Every genuine filing in ../shared/real is accepted and identified from its own pages (kind,
year, issuer as printed on its first pages, SOURCES.md); the department-wide forms read into
projects and indicators with their printed figures. Skipped when ../shared/real is absent."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

import polars as pl
import pytest

from parsing.library import Library
from parsing.readers.filing import read_filing
from tests.conftest import ROOT

ALL_REAL = ROOT.parent / "shared" / "real"

EXPECTED = {
    "beijing/2026_北京市财政局_部门预算情况说明.pdf": ("部门预算", 2026, "北京市财政局"),
    "beijing/2026_北京市财政局_部门预算报表.pdf": ("部门预算", 2026, "北京市财政局"),
    "central/2024_国家信访局_部门决算.pdf": ("部门决算", 2024, "国家信访局"),
    "central/2026_国家信访局_部门预算.pdf": ("部门预算", 2026, "国家信访局"),
    "changsha/2026_长沙市信访局_部门预算.pdf": ("部门预算", 2026, "长沙市信访局"),
    "chongqing/2026_重庆市水利局_部门预算.pdf": ("部门预算", 2026, "重庆市水利局"),
    "guangzhou/2026_广州市商务局_部门预算.pdf": ("部门预算", 2026, "广州市商务局"),
    "guangzhou/2026_广州市生态环境局_部门整体绩效目标申报表.pdf": ("部门整体绩效目标申报表", 2026, "广州市生态环境局"),
    "hangzhou/2026_杭州市司法局_部门预算.pdf": ("部门预算", 2026, "杭州市司法局"),
    "ningde/2024_宁德市人民政府办公室_部门整体绩效自评表.pdf": ("部门整体支出绩效自评表", 2024, "宁德市人民政府办公室"),
    "quanzhou/2026_泉州市公安局_部门预算.pdf": ("部门预算", 2026, "泉州市公安局"),
    "shanghai-putuo/2023_普陀区万里街道办事处_部门预算.pdf": ("部门预算", 2023, "上海市普陀区人民政府万里街道办事处"),
    "shanghai-putuo/2024_普陀区万里街道办事处_部门预算.pdf": ("部门预算", 2024, "上海市普陀区人民政府万里街道办事处"),
    "shanghai-putuo/2024_普陀区财政局_部门决算.pdf": ("部门决算", 2024, "上海市普陀区财政局"),
    "shanghai-putuo/2025_普陀区万里街道办事处_部门预算.pdf": ("部门预算", 2025, "上海市普陀区人民政府万里街道办事处"),
    "shanghai-putuo/2025_普陀区人民政府办公室_单位预算.pdf": ("单位预算", 2025, "上海市普陀区人民政府办公室"),
    "shanghai-putuo/2025_普陀区人民政府办公室_部门预算.pdf": ("部门预算", 2025, "上海市普陀区人民政府办公室"),
    "shanghai-putuo/2025_普陀区财政局_部门预算.pdf": ("部门预算", 2025, "上海市普陀区财政局"),
    "shenzhen/2026_深圳市财政局_部门预算.pdf": ("部门预算", 2026, "深圳市财政局"),
    "suzhou/2026_苏州市审计局_部门预算.pdf": ("部门预算", 2026, "苏州市审计局"),
    "xian/2026_西安市财政局_部门预算.pdf": ("部门预算", 2026, "西安市财政局"),
    "yantai/2026_烟台市财政局_部门预算.pdf": ("部门预算", 2026, "烟台市财政局"),
    "zhuhai/2026_珠海市商务局_部门预算.pdf": ("部门预算", 2026, "珠海市商务局"),
}


@pytest.fixture(scope="module")
def real_library() -> Iterator[Library]:
    """Every PDF of ../shared/real loaded once (parsed in worker processes). The 48-page Beijing
    报表 takes ~45 s alone, more on a shared machine: the per-file time limit is lifted here."""
    if not ALL_REAL.is_dir():
        pytest.skip("../shared/real is absent")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("YUSUAN_PARSE_TIMEOUT", "0")
        yield Library.load(sorted(ALL_REAL.rglob("*.pdf")))


@cache
def _read(name: str) -> dict[str, pl.DataFrame]:
    return read_filing(ALL_REAL / name)


@pytest.fixture
def real_forms() -> None:
    if not ALL_REAL.is_dir():
        pytest.skip("../shared/real is absent")


def test_every_real_file_is_accepted(real_library):
    """No genuine filing is rejected: all 23 files are sources of a loaded filing."""
    assert real_library.errors == []
    sources = {Path(p).relative_to(ALL_REAL).as_posix() for s in real_library.documents["sources"] for p in s}
    assert sources == set(EXPECTED)


def test_kind_year_issuer_of_every_real_file(real_library):
    """Each file's kind, year and issuer are those printed on its own first pages."""
    found = {
        Path(p).relative_to(ALL_REAL).as_posix(): (d["kind"], d["year"], d["department"])
        for d in real_library.documents.iter_rows(named=True)
        for p in d["sources"]
    }
    assert found == EXPECTED


def test_beijing_narrative_and_tables_are_one_filing(real_library):
    """The Beijing 情况说明 (narrative only) and 报表 (tables only) are one 2026 filing listing
    both files, with the narrative's 第一部分 and the 报表's 收支总表 under it."""
    docs = real_library.documents.filter(department="北京市财政局")
    assert docs.height == 1
    assert sorted(Path(p).name for p in docs["sources"][0]) == [
        "2026_北京市财政局_部门预算情况说明.pdf",
        "2026_北京市财政局_部门预算报表.pdf",
    ]
    doc_id = docs["doc_id"][0]
    parts = real_library.sections.filter(doc_id=doc_id, part="第一部分")
    assert parts["source_file"].to_list() == ["2026_北京市财政局_部门预算情况说明.pdf"]
    assert "本部门职责情况" in parts["text"][0]
    lines = real_library.budget_lines.filter(doc_id=doc_id)
    assert set(lines["source_file"]) == {"2026_北京市财政局_部门预算报表.pdf"}


def test_department_self_evaluation_figures(real_forms):
    """Ningde 部门整体绩效自评表: 小计 ③=①+② 9,999.77, 年度拨付金额 ④ 8,874.74, 支出实现率
    ⑤=④/③ 88.75, read by their header words with the formulas dropped."""
    frames = _read("ningde/2024_宁德市人民政府办公室_部门整体绩效自评表.pdf")
    project = frames["projects"].row(0, named=True)
    assert (project["name"], project["budget_total"], project["actual_total"], project["exec_rate"]) == (
        "127部门整体",
        9999.77,
        8874.74,
        88.75,
    )
    assert project["outcome"] == "按照年度工作计划，有序开展工作，保障本办各项工作顺利开展。"
    total = frames["budget_lines"].filter(name="合计")
    assert dict(total.select("measure", "amount").rows()) == {
        "年初部门预算安排金额（含历年结余结转）": 9209.55,
        "年中调整金额": 790.22,
        "小计": 9999.77,
        "年度拨付金额": 8874.74,
        "本年度结余金额": 1125.03,
    }


def test_department_self_evaluation_indicators(real_forms):
    """Ningde's indicators keep target and outcome as printed, under the project: 市政府常务会议
    场次 ≥30次 against 20; the deviation note of 基本经费投入成本 goes to the project's problems."""
    frames = _read("ningde/2024_宁德市人民政府办公室_部门整体绩效自评表.pdf")
    indicators = frames["indicators"]
    assert indicators.height == 17
    row = indicators.filter(indicator="市政府常务会议场次").row(0, named=True)
    assert (row["level1"], row["level2"], row["target"], row["outcome"]) == ("产出", "数量", "≥30次", "20")
    assert row["project_id"] == frames["projects"]["project_id"][0]
    assert frames["projects"]["problems"][0] == "基本经费投入成本：年中追加预算经费，实际支出超过年初预算安排。"


def test_department_self_evaluation_verdicts(real_forms):
    """Bare 实际完成值 figures compare in the target's unit: 市政府常务会议场次 ≥30次 vs 20 and
    基本经费投入成本 ≤3843.67万元 vs 4262.96 are missed; 转办准确率 ≥95% vs 98.84 is met."""
    indicators = _read("ningde/2024_宁德市人民政府办公室_部门整体绩效自评表.pdf")["indicators"]
    verdicts = dict(indicators.select("indicator", "verdict").rows())
    assert sorted(k for k, v in verdicts.items() if v == "missed") == ["基本经费投入成本", "市政府常务会议场次"]
    assert verdicts["转办准确率"] == "met"
    assert set(verdicts.values()) == {"met", "missed"}


def test_department_target_form(real_forms):
    """Guangzhou 部门整体绩效目标申报表: 基本支出 58,118.59 and 财政拨款 92,008.68 万元; each
    年度重点工作任务 a project (加强生态环境监测与监督执法 10,481.35); 25 indicators
    (细颗粒物(PM2.5)年均浓度 ≤25微克/立方米 under 效益/生态效益)."""
    frames = _read("guangzhou/2026_广州市生态环境局_部门整体绩效目标申报表.pdf")
    amounts = dict(frames["budget_lines"].select("name", "amount").rows())
    assert (amounts["基本支出"], amounts["项目支出"], amounts["财政拨款"]) == (58118.59, 27825.19, 92008.68)
    projects = dict(frames["projects"].select("name", "budget_total").rows())
    assert len(projects) == 5 and projects["加强生态环境监测与监督执法"] == 10481.35
    indicators = frames["indicators"]
    assert indicators.height == 25
    pm = indicators.filter(indicator="细颗粒物(PM2.5)年均浓度").row(0, named=True)
    assert (pm["level1"], pm["level2"], pm["target"], pm["project_id"]) == ("效益", "生态效益", "≤25微克/立方米", None)
    goal = frames["sections"].filter(heading="总体绩效目标")["text"][0]
    assert goal.startswith("立足新发展阶段")
