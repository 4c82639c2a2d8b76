"""Phenomena no genuine filing at hand shows, read from text filings built here: a 千元 table,
six-decimal 万元, code-less rows numbered by level, and a filing that repeats its tables for
each subordinate unit."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from parsing.readers.filing import read_filing

_HEAD = "科目编码\t科目名称\t合计\t基本支出\t项目支出"


def _filing(tmp_path: Path, *tables: str) -> dict[str, pl.DataFrame]:
    path = tmp_path / "filing.txt"
    path.write_text("2026年市测绘局部门预算\n\n" + "\n\n".join(tables) + "\n", encoding="utf-8")
    return read_filing(path)


def _table(number: int, unit: str, rows: str, department: str = "市测绘局") -> str:
    return f"表{number}\n一般公共预算支出预算表（按功能分类）\n部门名称：{department}\n单位：{unit}\n{_HEAD}\n{rows}"


def _amount(lines: pl.DataFrame, **where: object) -> float:
    found = lines.filter(*(pl.col(k) == v for k, v in where.items()))
    assert found.height == 1, where
    return found["amount"][0]


def test_thousand_yuan_table(tmp_path):
    """A table in 千元: 一般公共服务支出 printed 12,345 千元 is 1,234.5 万元."""
    rows = "201\t一般公共服务支出\t12,345\t10,000\t2,345\n2010101\t行政运行\t10,000\t10,000\t"
    lines = _filing(tmp_path, _table(1, "千元", rows))["budget_lines"]
    assert _amount(lines, code="201", measure="合计") == pytest.approx(1234.5)
    assert lines.filter(code="201", measure="合计")["source_unit"][0] == "千元"


def test_six_decimal_wanyuan(tmp_path):
    """万元 with six decimals keep every printed digit: 1,721.982036 and 0.000001 万元 (1 分)."""
    rows = "201\t一般公共服务支出\t1,721.982036\t1,721.982035\t0.000001"
    lines = _filing(tmp_path, _table(1, "万元", rows))["budget_lines"]
    assert _amount(lines, code="201", measure="合计") == 1721.982036
    assert _amount(lines, code="201", measure="项目支出") == 0.000001
    assert lines.filter(code="201", measure="合计")["amount_text"][0] == "1,721.982036"


def test_code_less_rows_take_their_level_from_numbering(tmp_path):
    """Rows printed with names only keep code null; 一、 is level 1, （一） level 2, 1. level 3."""
    rows = "\t一、一般公共服务支出\t300.00\t200.00\t100.00\n\t（一）政府办公厅（室）及相关机构事务\t300.00\t200.00\t100.00\n\t1.行政运行\t200.00\t200.00\t"
    lines = _filing(tmp_path, _table(1, "万元", rows))["budget_lines"].filter(measure="合计")
    assert lines.select("name", "code", "level", "amount").rows() == [
        ("一、一般公共服务支出", None, 1, 300.0),
        ("（一）政府办公厅（室）及相关机构事务", None, 2, 300.0),
        ("1.行政运行", None, 3, 200.0),
    ]


def test_each_subordinate_unit_keeps_its_tables(tmp_path):
    """A 部门预算 that repeats its table set per unit: 行政运行 is 80 万元 in 市测绘局本级 and 45 万元
    in 市测绘院, each under its own unit."""
    own = _table(1, "万元", "2010101\t行政运行\t80.00\t80.00\t", department="市测绘局本级")
    sub = _table(2, "万元", "2010101\t行政运行\t45.00\t45.00\t", department="市测绘院")
    lines = _filing(tmp_path, own, sub)["budget_lines"].filter(code="2010101", measure="合计")
    assert sorted(lines.select("unit", "amount").rows()) == [("市测绘局本级", 80.0), ("市测绘院", 45.0)]


def test_code_less_rows_take_their_level_from_indentation(tmp_path):
    """Rows printed with names only and no numbering take their level from their indentation
    (full-width spaces): 一般公共服务支出 1, 人大事务 2, 行政运行 3; codes stay null."""
    rows = "\t一般公共服务支出\t300.00\t200.00\t100.00\n\t\u3000\u3000人大事务\t300.00\t200.00\t100.00\n\t\u3000\u3000\u3000\u3000行政运行\t200.00\t200.00\t"
    lines = _filing(tmp_path, _table(1, "万元", rows))["budget_lines"].filter(measure="合计")
    assert lines.select("name", "code", "level", "amount").rows() == [
        ("一般公共服务支出", None, 1, 300.0),
        ("人大事务", None, 2, 300.0),
        ("行政运行", None, 3, 200.0),
    ]


def test_body_headings_printed_without_number_after_the_issuer_or_year(tmp_path):
    """The 目录 numbers its parts ('一、部门主要职能 ……… 3'); the body prints them unnumbered after
    the issuer's name or the year, and the duties list under 主要职能 numbers its items 一、二、…
    too. The parts are the 目录's, found in the body, never the duties, each under the words the
    body prints (the issuer's name and the year kept: the checks read them)."""
    text = "\n".join(
        [
            "上海市普陀区2025年区级部门预算",
            "预算主管部门：上海市普陀区测绘局",
            "目 录",
            "一、部门主要职能 ………………………… 3",
            "二、部门机构设置 ………………………… 4",
            "三、部门预算编制说明 ………………………… 5",
            "上海市普陀区测绘局主要职能",
            "主要职能包括：",
            "一、负责全区基础测绘。",
            "二、管理测绘成果。",
            "三、承办区政府交办的其他事项。",
            "上海市普陀区测绘局（部门）机构设置",
            "本部门中，行政单位1家。",
            "2025年部门预算编制说明",
            "2025年，上海市普陀区测绘局收入预算3,121.42万元。",
            "支出预算3,121.42万元，其中：基本支出2,011.42万元，项目支出1,110万元。" * 4,
        ]
    )
    path = tmp_path / "filing.txt"
    path.write_text(text + "\n", encoding="utf-8")
    sections = read_filing(path)["sections"]
    parts = [(r["part"], r["heading"]) for r in sections.iter_rows(named=True)]
    assert parts == [
        ("封面及目录", "封面及目录"),
        ("一、", "上海市普陀区测绘局主要职能"),
        ("二、", "上海市普陀区测绘局（部门）机构设置"),
        ("三、", "2025年部门预算编制说明"),
    ]
    assert "三、承办区政府交办的其他事项。" in sections["text"][1]
    assert "收入预算3,121.42万元" in sections["text"][3]
