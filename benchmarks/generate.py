"""A synthetic library of N departments × Y years — one filing per department and year: a 部门预算
every other year, a 部门决算 or 绩效自评表 between — written straight into the cache's form, so that
measuring a start on a thousand filings costs no PDFs. N=200, Y=5 gives 1,000 filings, 30k
projects, 300k indicators and about 1M budget lines.

Each filing gets a small placeholder file whose sha256 keys its cache entry: `Library.load` finds
every one cached and parses nothing. Rows are built column-wise from seeded random choices.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import polars as pl

from parsing import cache, schema

AREAS = ["龙岗", "福田", "罗湖", "南山", "宝安", "龙华", "坪山", "光明", "盐田", "大鹏"]
BUREAUS = ["审计局", "财政局", "教育局", "卫生健康局", "民政局", "司法局", "水务局", "文化广电旅游体育局",
           "住房和建设局", "城市管理和综合执法局", "应急管理局", "统计局", "科技创新局", "人力资源局", "交通运输局",
           "生态环境局", "工业和信息化局", "发展和改革局", "退役军人事务局", "市场监督管理局"]
UNITS = ["本级", "事务中心", "服务中心", "执法大队", "信息中心"]
WORDS = ["信息系统运行与维护", "办公设备购置", "公车购置", "审计业务", "档案管理", "专项整治", "业务培训",
         "宣传教育", "课题研究", "物业管理", "修缮改造", "委托业务", "监督检查", "绩效评价", "网络安全"]
FUNCTION = [("201", "一般公共服务支出"), ("20108", "审计事务"), ("2010801", "行政运行"), ("2010802", "一般行政管理事务"),
            ("2010804", "审计业务"), ("2010850", "事业运行"), ("208", "社会保障和就业支出"), ("20805", "行政事业单位养老支出"),
            ("2080501", "行政单位离退休"), ("2080505", "机关事业单位基本养老保险缴费支出"), ("210", "卫生健康支出"),
            ("21011", "行政事业单位医疗"), ("2101101", "行政单位医疗"), ("221", "住房保障支出"), ("22102", "住房改革支出"),
            ("2210201", "住房公积金"), ("2210203", "购房补贴")]
ECONOMIC = [("301", "工资福利支出"), ("30101", "基本工资"), ("30102", "津贴补贴"), ("30103", "奖金"),
            ("302", "商品和服务支出"), ("30201", "办公费"), ("30211", "差旅费"), ("30227", "委托业务费"),
            ("303", "对个人和家庭的补助"), ("30302", "退休费"), ("310", "资本性支出"), ("31002", "办公设备购置")]
TARGETS = ["≥20", "≥90%", "100%", "≤5%", "2023年12月31日前完成", "≥95%", "不低于98%", "≥30条"]
LEVELS = [("产出", "数量"), ("产出", "质量"), ("产出", "时效"), ("产出", "成本"), ("效益", "社会效益"),
          ("效益", "经济效益"), ("效益", "可持续影响"), ("满意度", "服务对象满意度")]
KINDS = ("部门预算", "部门决算", "绩效自评表")


def generate(folder: Path, departments: int = 200, years: int = 5, *, seed: int = 7,
             lines_per_table: int = 160, projects: int = 30, indicators: int = 10) -> list[Path]:
    """Write the placeholder files into ``folder`` and their frames into the cache; returns the files."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for d in range(departments):
        department = f"深圳市{AREAS[d % len(AREAS)]}区{BUREAUS[d % len(BUREAUS)]}{'' if d < 20 else d // 20}"
        for year in range(2024 - years + 1, 2025):
            kind = KINDS[0] if year % 2 == 0 else KINDS[1 + d % 2]  # budgets every other year, to compare
            path = folder / f"{d:04d}_{year}_{kind}.txt"
            path.write_text(f"{department}\t{year}\t{kind}\tsynthetic\n", encoding="utf-8")
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
            cache.store(sha, _filing(rng, sha, path.name, department, year, kind, lines_per_table, projects,
                                     indicators))
            files.append(path)
    return files


def _filing(rng: random.Random, sha: str, name: str, department: str, year: int, kind: str,
            lines_per_table: int, projects: int, indicators: int) -> dict[str, pl.DataFrame]:
    doc_id = sha[:16]
    source = {"doc_id": doc_id, "source_file": name, "source_page": 1}
    frames = {n: schema.empty(n) for n in schema.FRAMES}
    frames["documents"] = schema.frame("documents", [{
        "doc_id": doc_id, "file": name, "sha256": sha, "kind": kind, "year": year, "department": department,
        "title": f"{year}年{department}{kind}", "source_format": "text", "synthetic": True, "pages": 20}])
    units = [department] + [f"{department}{u}" for u in UNITS[: rng.randint(1, len(UNITS))]]
    frames["units"] = schema.frame("units", [{"doc_id": doc_id, "department": department, "unit": u,
                                              "is_own_level": u.endswith("本级")} for u in units])
    if kind == "绩效自评表":
        frames["projects"], frames["indicators"] = _projects(rng, doc_id, source, units, projects, indicators)
    else:
        frames["budget_lines"] = _lines(rng, source, units[1], lines_per_table)
        frames["projects"], frames["indicators"] = _projects(rng, doc_id, source, units[:2], projects, indicators)
    return frames


def _lines(rng: random.Random, source: dict, unit: str, count: int) -> pl.DataFrame:
    rows = []
    for table, classification, codes in (("功能分类", "function", FUNCTION), ("经济分类", "economic", ECONOMIC),
                                          ("支出总表", "function", FUNCTION)):
        for n in range(count):
            code, name = codes[n % len(codes)]
            code = code if n < len(codes) else f"{code}{n // len(codes):02d}"[:7]
            for measure in ("支出总计", "基本支出", "项目支出"):
                amount = round(rng.uniform(0, 3000), 2)
                rows.append({**source, "table_no": "表7", "table_kind": table, "classification": classification,
                             "unit": unit, "row_no": n, "row_kind": "line", "code": code,
                             "level": {3: 1, 5: 2, 7: 3}.get(len(code)), "parent": code[:-2] if len(code) > 3 else None,
                             "name": name, "measure": measure, "amount": amount, "amount_text": f"{amount:,.2f}",
                             "source_unit": "万元", "source_table": f"表7 {table}"})
    return schema.frame("budget_lines", rows)


def _projects(rng: random.Random, doc_id: str, source: dict, units: list[str], count: int, per: int
              ) -> tuple[pl.DataFrame, pl.DataFrame]:
    projects, indicators = [], []
    for n in range(count):
        budget = round(rng.uniform(1, 800), 2)
        actual = round(budget * rng.uniform(0.6, 1.0), 2)
        pid = f"{doc_id}:{n}"
        name = f"{rng.choice(WORDS)}{'' if n < len(WORDS) else n}"
        projects.append({**source, "project_id": pid, "unit": units[n % len(units)], "seq": n + 1, "name": name,
                         "row_kind": "project", "budget_total": budget, "actual_total": actual,
                         "exec_rate": round(actual / budget * 100, 2), "exec_rate_text": f"{actual / budget:.2%}",
                         "goal": f"做好{name}工作，保障单位正常运转", "outcome": f"完成{name}年度任务",
                         "source_unit": "万元", "raw_cells": [], "source_table": "绩效自评表"})
        for i in range(per):
            level1, level2 = LEVELS[i % len(LEVELS)]
            target = rng.choice(TARGETS)
            indicators.append({**source, "project_id": pid, "unit": units[n % len(units)], "level1": level1,
                               "level2": level2, "indicator": f"{name}{level2}指标{i}", "target": target,
                               "outcome": target.lstrip("≥≤"), "not_applicable": False, "target_kind": "quant",
                               "verdict": "met", "source_table": "绩效自评表"})
    return schema.frame("projects", projects), schema.frame("indicators", indicators)
