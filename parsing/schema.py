"""The data contract: every filing kind becomes the same eight Polars frames.

One row per fact, amounts always in 万元 (``amount`` columns) beside the text as printed and the
unit it was printed in, and every row carries its source (file, page or line, table title), so
any figure on screen can be traced back to the filing.  Identifiers are English snake_case; the
Chinese display names live in ``LABELS`` only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

#: One record of a frame as readers build it and queries hand it on: column name → value.
Row = dict[str, Any]

KINDS = (
    "部门预算",
    "单位预算",
    "部门决算",
    "绩效自评表",
    "项目支出绩效目标表",
    "部门整体绩效目标申报表",
    "部门整体支出绩效自评表",
)
UNKNOWN_DEPARTMENT = "未识别部门"
"""Where a filing whose issuer its pages do not name is listed (with a note saying why)."""

#: Columns every row carries so that a figure can be traced to where it was printed.
SOURCE: dict[str, pl.DataType] = {
    "doc_id": pl.String(),
    "source_file": pl.String(),
    "source_page": pl.Int32(),  # 1-based PDF page; null for text extractions
    "source_line": pl.Int32(),  # 1-based line of a text extraction; null for PDFs
    "source_table": pl.String(),  # table title as printed, e.g. "表7 一般公共预算支出表（按功能分类）"
}

DOCUMENTS: dict[str, pl.DataType] = {
    "doc_id": pl.String(),  # first 16 hex digits of the content's sha256
    "file": pl.String(),
    "sha256": pl.String(),
    "kind": pl.String(),  # one of KINDS
    "year": pl.Int32(),
    "department": pl.String(),  # issuing department, e.g. 深圳市龙岗区审计局
    "title": pl.String(),
    "source_format": pl.String(),  # "pdf" | "text"
    "synthetic": pl.Boolean(),  # marked 示例 by its publisher (not an official filing)
    "pages": pl.Int32(),
    "sources": pl.List(pl.String()),  # every file this filing was loaded from (set when loading)
}

UNITS: dict[str, pl.DataType] = {
    "doc_id": pl.String(),
    "department": pl.String(),
    "unit": pl.String(),  # 预算单位, normalised (（本级） and (本级) are one unit)
    "is_own_level": pl.Boolean(),  # 本级: the department's own office
}

PROJECTS: dict[str, pl.DataType] = {
    "project_id": pl.String(),  # doc_id + ":" + row number in the document
    "unit": pl.String(),
    "seq": pl.Int32(),  # 序号 as printed; null when the filing has none
    "name": pl.String(),
    "row_kind": pl.String(),  # "project" | "subtotal" | "total"
    "budget_total": pl.Float64(),
    "budget_gpb": pl.Float64(),  # 一般公共预算
    "budget_fund": pl.Float64(),  # 政府性基金
    "budget_nonfiscal": pl.Float64(),  # 非财政资金
    "actual_total": pl.Float64(),
    "actual_gpb": pl.Float64(),
    "actual_fund": pl.Float64(),
    "actual_nonfiscal": pl.Float64(),
    "exec_rate": pl.Float64(),  # percent as printed (82.86 for "82.86%")
    "exec_rate_text": pl.String(),
    "goal": pl.String(),  # 年初绩效目标 / 绩效目标
    "outcome": pl.String(),  # 绩效目标整体完成情况
    "problems": pl.String(),
    "rectification": pl.String(),
    "source_unit": pl.String(),  # unit the amounts were printed in
    "raw_cells": pl.List(pl.String()),  # the row's cells as printed
    **SOURCE,
}

#: A project's amounts in the order a 自评表 prints them: budget then actual, each total, 一般公共预算,
#: 政府性基金, 非财政资金 (all in 万元).
PROJECT_AMOUNTS = (
    "budget_total",
    "budget_gpb",
    "budget_fund",
    "budget_nonfiscal",
    "actual_total",
    "actual_gpb",
    "actual_fund",
    "actual_nonfiscal",
)

INDICATORS: dict[str, pl.DataType] = {
    "project_id": pl.String(),  # null for the department-wide 部门整体支出绩效目标表
    "unit": pl.String(),
    "level1": pl.String(),  # 产出 | 效益 | 满意度
    "level2": pl.String(),  # 数量 质量 时效 成本 | 经济效益 社会效益 生态效益 可持续影响 | 服务对象满意度 其他满意度
    "indicator": pl.String(),  # 三级指标 / 年度指标内容
    "target": pl.String(),  # 目标值 as printed (for 自评表: the 年度指标内容)
    "outcome": pl.String(),  # 完成情况 as printed; null in budgets
    "not_applicable": pl.Boolean(),  # 不适用 / blank
    "target_kind": pl.String(),  # quant | date | rank | qual | na
    "target_op": pl.String(),  # >= <= > < =
    "target_value": pl.Float64(),
    "target_unit": pl.String(),
    "weight": pl.Float64(),  # 分值 / 权重 printed beside the target (项目支出绩效目标表), else null
    "verdict": pl.String(),  # met | missed | overachieved | likely_met | likely_missed | as_target | identical
    #                          | no_target | no_outcome | unparsed | na (see readers.targets.judge)
    **SOURCE,
}

BUDGET_LINES: dict[str, pl.DataType] = {
    "table_no": pl.String(),  # 表N as printed (表7, 公开07表 → 表7); #N, its place, when unnumbered
    "table_kind": pl.String(),  # see TABLE_KINDS
    "classification": pl.String(),  # function | economic | none
    "unit": pl.String(),  # 预算单位 the row belongs to (filled down over merged cells)
    "row_no": pl.Int32(),  # order within the table, 0-based
    "row_kind": pl.String(),  # line | unit_total | total | subtotal
    "side": pl.String(),  # income | expenditure (收支总表); left | right (a table printed twice side by side)
    "code": pl.String(),  # 科目编码, null for aggregate rows
    "level": pl.Int8(),  # 1 类 (3 digits), 2 款 (5), 3 项 (7), 4 目 (9)
    "parent": pl.String(),  # code[:-2]
    "name": pl.String(),  # 科目名称 / 项目 / 任务名称
    "detail": pl.String(),  # the row's other labels as printed, " · "-joined (经济分类 of a 功能 × 经济 table)
    "measure": pl.String(),  # column: 支出总计, 基本支出, 项目支出, 2023年 …
    "amount": pl.Float64(),  # 万元; null for a blank cell
    "amount_text": pl.String(),  # as printed
    "source_unit": pl.String(),  # 元 | 万元 | 亿元
    **SOURCE,
}

SECTIONS: dict[str, pl.DataType] = {
    "part_no": pl.Int32(),  # 1 for 第一部分; 0 for text before the first part
    "part": pl.String(),  # 第一部分
    "heading": pl.String(),  # 部门概况
    "text": pl.String(),
    "line_pages": pl.List(pl.Int32()),  # the page of each line of text: a finding cites its sentence's page
    "line_numbers": pl.List(pl.Int32()),  # and its line on that page
    **SOURCE,
}

NOTES: dict[str, pl.DataType] = {
    "kind": pl.String(),  # footnote | unrecognised_table | skipped_row | page_without_table
    "detail": pl.String(),
    **SOURCE,
}

TABLES: dict[str, pl.DataType] = {
    **SOURCE,  # where the table starts; source_table is the key budget_lines use
    "table_no": pl.String(),  # as in budget_lines
    "table_kind": pl.String(),  # one of TABLE_KINDS; null when unrecognised (shown as 未识别)
    "title": pl.String(),  # as printed
    "unit": pl.String(),  # the 预算单位 the table belongs to (multi-unit filings)
    "source_unit": pl.String(),  # 元 | 千元 | 万元 | 亿元, as printed
    "evidence": pl.String(),  # why this kind: "title:功能分类; header:科目编码,基本支出; codes:2xx"
    "sure": pl.Boolean(),  # kind, blocks and columns all read without doubt
    "code_form": pl.String(),  # whole | split | bracket | dash | none
    "header": pl.List(pl.String()),  # the column labels as read
    "cells_seen": pl.Int32(),  # numeric cells printed in the table's body
    "cells_read": pl.Int32(),  # of those, cells read into budget_lines
}

FRAMES: Mapping[str, dict[str, pl.DataType]] = {
    "documents": DOCUMENTS,
    "units": UNITS,
    "projects": PROJECTS,
    "indicators": INDICATORS,
    "budget_lines": BUDGET_LINES,
    "sections": SECTIONS,
    "notes": NOTES,
    "tables": TABLES,
}

#: 一级指标 of the national 绩效指标 framework, in their printed order.
LEVEL1 = ("产出", "效益", "满意度")
#: 二级指标 → its 一级指标.
LEVEL2 = {
    "数量": "产出",
    "质量": "产出",
    "时效": "产出",
    "成本": "产出",
    "经济效益": "效益",
    "社会效益": "效益",
    "生态效益": "效益",
    "可持续影响": "效益",
    "服务对象满意度": "满意度",
    "其他满意度": "满意度",
    "满意度": "满意度",
}

TABLE_KINDS = (
    "收支总表",
    "收入总表",
    "支出总表",
    "财政拨款收支总表",
    "功能分类",
    "经济分类",
    "基本支出",
    "项目支出",
    "三公经费",
    "政府性基金",
    "国有资本经营",
    "绩效目标",
)

LABELS: Mapping[str, str] = {
    "doc_id": "文档",
    "file": "文件",
    "kind": "类型",
    "year": "年度",
    "department": "部门",
    "title": "标题",
    "unit": "预算单位",
    "seq": "序号",
    "name": "名称",
    "budget_total": "预算合计",
    "budget_gpb": "预算·一般公共预算",
    "budget_fund": "预算·政府性基金",
    "budget_nonfiscal": "预算·非财政资金",
    "actual_total": "实际合计",
    "actual_gpb": "实际·一般公共预算",
    "actual_fund": "实际·政府性基金",
    "actual_nonfiscal": "实际·非财政资金",
    "exec_rate": "执行率",
    "goal": "年度目标",
    "outcome": "完成情况",
    "problems": "存在问题",
    "rectification": "整改情况",
    "level1": "一级指标",
    "level2": "二级指标",
    "indicator": "三级指标",
    "target": "目标值",
    "table_kind": "表",
    "code": "科目编码",
    "detail": "其他分类",
    "measure": "栏目",
    "amount": "金额（万元）",
    "source_file": "来源文件",
    "source_page": "页",
    "source_line": "行",
    "source_table": "来源表",
}


def empty(name: str) -> pl.DataFrame:
    """An empty frame of the named table, with the contract's dtypes."""
    return pl.DataFrame(schema=FRAMES[name])


def frame(name: str, rows: list[Row]) -> pl.DataFrame:
    """Rows (dicts) → a frame of the named table, columns in contract order, missing ones null."""
    schema = FRAMES[name]
    return (
        pl.DataFrame([{col: row.get(col) for col in schema} for row in rows], schema=schema, orient="row")
        if rows
        else empty(name)
    )


def conform(name: str, df: pl.DataFrame) -> pl.DataFrame:
    """Cast and order ``df``'s columns as the contract says (for frames read back from cache)."""
    schema = FRAMES[name]
    return df.select([pl.col(c).cast(t) for c, t in schema.items()])
