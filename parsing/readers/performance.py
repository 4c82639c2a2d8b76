"""Performance targets in a budget: the 部门整体支出绩效目标表 and the narrative's key projects.

Targets are printed three ways — a tree of 一级/二级/三级 with 目标值, a row of tasks with
amounts, and prose ("数量上…≥20条；质量上…") — and all three end as indicator rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from parsing import schema
from parsing.normalize import clean, squash
from parsing.numbers import parse_amount, to_wanyuan
from parsing.readers.context import Context
from parsing.readers.indicators import indicator_columns, indicator_row, level_name
from parsing.readers.tables import column_labels, find_column
from parsing.routes.raw import RawRow, RawTable
from parsing.schema import LEVEL1, LEVEL2, Row

_TOTAL = re.compile(r"合计|总计")
#: A header cell naming a project column: 项目名称, 单位（项目）名称, 项目.
PROJECT_NAME = re.compile(r"^(?:.*项目.{0,2}名称|项目)$")
_GOAL_CLAUSE = re.compile(r"(数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续影响|满意度)上")


def performance_table(table: RawTable, ctx: Context) -> tuple[list[Row], str | None, list[Row]]:
    """部门整体支出绩效目标表: task amounts, the 年度总体目标 text, and the indicator tree."""
    lines: list[Row] = []
    indicators: list[Row] = []
    goal = None
    level1 = level2 = None
    in_indicators = False
    flat: dict[str, int] = {}  # 绩效指标 | 指标性质 | 指标值 | 度量单位 → column, in a flat indicator list
    grid: dict[str, int] | None = None  # 一级指标 | 二级指标 | 三级指标 | 目标值 … → column, in a ruled tree
    split = _indicator_column(table)
    for n, row in enumerate(table.body()):
        parts = [row.cells[:split], row.cells[split:]] if split else [row.cells]
        for k, part in enumerate(parts):
            left, right = split is not None and k == 0, split is not None and k == 1
            cells = [clean(c) for c in part if c and c.strip()]
            if not cells:
                continue
            if any("年度总体目标" in c for c in cells):
                goal = next((c for c in cells if "年度总体目标" not in c), None)
                continue
            if any("一级指标" in c for c in cells) or any(squash(c).endswith("指标值") for c in cells):
                in_indicators = True
                tree = any("一级指标" in c for c in cells)
                flat = {} if tree else {squash(c): i for i, c in enumerate(row.cells) if c}
                grid = indicator_columns(list(row.cells)) if tree and split is None else None
                continue
            if in_indicators and grid is not None:
                level1, level2, found = _tree_row(row, grid, level1, level2)
                if found:
                    indicators.append(
                        indicator_row(None, ctx.identity.department, *found, None, ctx.source(row, table))
                    )
                continue
            in_indicators = in_indicators or "年度绩效指标" in cells[0]
            if in_indicators and not left and "绩效指标" in flat and "指标值" in flat:
                shown = "".join(row.text(flat[w]) for w in ("指标性质", "指标值", "度量单位") if w in flat)
                indicators.append(
                    indicator_row(
                        None,
                        ctx.identity.department,
                        None,
                        None,
                        clean(row.text(flat["绩效指标"])),
                        shown.removeprefix("定性") or None,
                        None,
                        ctx.source(row, table),
                    )
                )
                continue
            if (in_indicators and not left) or right:
                rest = [c for c in cells if c != "年度绩效指标"]
                if rest and rest[0] in LEVEL1:
                    level1, level2, rest = rest[0], None, rest[1:]
                if rest and squash(rest[0]) in LEVEL2:
                    level2, rest = squash(rest[0]), rest[1:]
                    level1 = LEVEL2[level2] if level1 is None or level2 in ("生态效益",) else level1
                indicator = rest[0] if rest else None
                target = rest[-1] if len(rest) > 1 else None
                indicators.append(
                    indicator_row(
                        None, ctx.identity.department, level1, level2, indicator, target, None, ctx.source(row, table)
                    )
                )
                continue
            amounts = [(c, parse_amount(c)) for c in cells if parse_amount(c) is not None]
            words = [c for c in cells if parse_amount(c) is None and c != "年度主要任务"]
            if not amounts or not words:
                continue
            name = words[0]
            base = {
                "unit": ctx.identity.department,
                "code": None,
                "name": name,
                "row_kind": "total" if _TOTAL.search(name) else "line",
            }
            for measure, (text, value) in zip(("总额", "财政拨款", "其他资金"), amounts, strict=False):
                lines.append(
                    {
                        "table_no": table.number and f"表{table.number}",
                        "table_kind": "绩效目标",
                        "classification": "none",
                        "row_no": n,
                        "side": None,
                        "level": None,
                        "parent": None,
                        "measure": measure,
                        "amount": to_wanyuan(value, table.unit),
                        "amount_text": text,
                        "source_unit": table.unit or "万元",
                        **base,
                        **ctx.source(row, table),
                    }
                )
    return lines, goal, indicators


def _tree_row(
    row: RawRow, grid: dict[str, int], level1: str | None, level2: str | None
) -> tuple[str | None, str | None, tuple[str | None, str | None, str, str | None] | None]:
    """A row of a ruled indicator tree read by its columns (merged level cells carried down), so
    that a level (数量指标) is never taken for an indicator, nor a 分值 for its target."""
    l1, l2 = (level_name(row.text(grid[k])) if k in grid else None for k in ("level1", "level2"))
    if l1:
        level1, level2 = l1, None
    level2 = l2 or level2
    level1 = level1 or LEVEL2.get(level2 or "")
    name = clean(row.text(grid["indicator"]))
    target = "".join(row.text(grid[k]) for k in ("op", "target", "unit") if k in grid) or None
    return level1, level2, ((level1, level2, name, target) if name else None)


def _indicator_column(table: RawTable) -> int | None:
    """The column of 一级指标 in a header that also heads amounts (资金总额 | … | 一级指标 | …): each
    row then carries amounts on its left and an indicator on its right."""
    for row in table.header():
        for i, cell in enumerate(row.cells):
            if i and cell and "一级指标" in cell:
                return i
    return None


def key_projects(table: RawTable, ctx: Context, start: int) -> Iterator[Row]:
    """The narrative's 项目名称 / 预算数 / 绩效目标 table; a row split over a page break is one."""
    labels = column_labels(table.header())
    name_col = next((i for i, l in enumerate(labels) if PROJECT_NAME.match(l)), 0)
    amount_col = find_column(labels, ("预算数", "金额", "资金总额"))
    goal_col = find_column(labels, ("绩效目标",))
    scale = "元" if amount_col is not None and "（元）" in labels[amount_col] else table.unit or "万元"
    project: Row | None = None
    n = start
    for row in table.body():
        name = clean(row.text(name_col))
        goal = clean(row.text(goal_col)) if goal_col is not None else ""
        blank = amount_col is None or parse_amount(row.text(amount_col)) is None
        same = project is not None and name == project["name"] and blank
        if (not name or same) and project is not None:
            project["goal"] = (project["goal"] or "") + goal
            continue
        if project is not None:
            yield project
        amount = parse_amount(row.text(amount_col)) if amount_col is not None else None
        project = {
            "project_id": f"{ctx.doc_id}:{n}",
            "unit": ctx.identity.department,
            "seq": None,
            "name": name,
            "row_kind": "project",
            "budget_total": to_wanyuan(amount, scale),
            "goal": goal or None,
            "source_unit": scale,
            "raw_cells": [c or "" for c in row.cells],
            **ctx.source(row, table),
        }
        n += 1
    if project is not None:
        yield project


def join_projects(projects: list[Row], more: list[Row]) -> list[Row]:
    """``more`` without its first project when that only continues the last one over a page break
    (the same name again, its amount blank or repeated): its goal text is carried over."""
    last = projects[-1] if projects else None
    if more and last and more[0]["name"] == last["name"] and more[0]["budget_total"] in (None, last["budget_total"]):
        last["goal"] = (last["goal"] or "") + (more[0]["goal"] or "") or None
        return more[1:]
    return more


def goal_indicators(project: Row, ctx: Context) -> Iterator[Row]:
    """Targets written inline in a goal ("数量上…≥20条；质量上…") as indicators of the project."""
    goal = project["goal"] or ""
    marks = list(_GOAL_CLAUSE.finditer(goal))
    source = {k: project[k] for k in schema.SOURCE}
    for mark, after in zip(marks, [*marks[1:], None], strict=False):
        text = goal[mark.end() : after.start() if after else len(goal)].strip("；;，,。 ")
        level2 = {"数量": "数量", "质量": "质量", "时效": "时效", "成本": "成本", "满意度": "服务对象满意度"}.get(
            mark.group(1), mark.group(1)
        )
        yield indicator_row(project["project_id"], project["unit"], LEVEL2[level2], level2, text, text, None, source)
