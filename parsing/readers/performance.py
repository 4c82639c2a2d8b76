"""Performance targets in a budget: the 部门整体支出绩效目标表 and the narrative's key projects.

Targets are printed three ways — a tree of 一级/二级/三级 with 目标值, a row of tasks with
amounts, and prose ("数量上…≥20条；质量上…") — and all three end as indicator rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from parsing import schema
from parsing.normalize import clean, squash, unit_name
from parsing.numbers import parse_amount, to_wanyuan
from parsing.readers.context import Context
from parsing.readers.indicators import grid_row, indicator_columns, indicator_row
from parsing.readers.tables import column_labels, find_column
from parsing.routes.raw import RawTable
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
    roles = _by_column(_header_roles(table))  # a tree's columns by their header words
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
                roles = _by_column(indicator_columns(list(row.cells)) if tree else None)
                continue
            if roles is not None and ((in_indicators and not left) or right):
                item = grid_row(row, roles)
                if item is not None:
                    if item["level1"]:
                        level1, level2 = item["level1"], None
                    level2 = item["level2"] or level2
                    indicators.append(
                        indicator_row(
                            None,
                            ctx.identity.department,
                            level1 or (LEVEL2.get(level2) if level2 else None),
                            level2,
                            item["indicator"],
                            item["target"],
                            None,
                            ctx.source(row, table),
                        )
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
                    ctx.figure(
                        table, row, n, measure, text, value, table_kind="绩效目标", classification="none", **base
                    )
                )
    return lines, goal, indicators


def _header_roles(table: RawTable) -> dict[str, int] | None:
    """The indicator columns named in the table's header (一级指标 | 二级指标 | 三级指标 | 指标值类型 |
    指标值 | 计量单位 | …), so a target is read from its column, never from the last cell (分值)."""
    for row in table.header():
        roles = indicator_columns(list(row.cells))
        if roles and "target" in roles:
            return roles
    return None


def _by_column(roles: dict[str, int] | None) -> dict[str, int] | None:
    """``roles`` when columns follow the 指标值 (计量单位, 分值 …), else None: a tree whose target
    is its last column is read by position, which holds where a text extraction shifts cells."""
    return roles if roles and "target" in roles and max(roles.values()) > roles["target"] else None


def _indicator_column(table: RawTable) -> int | None:
    """The column of 一级指标 in a header that also heads amounts (资金总额 | … | 一级指标 | …): each
    row then carries amounts on its left and an indicator on its right."""
    for row in table.header():
        for i, cell in enumerate(row.cells):
            if i and cell and "一级指标" in cell:
                return i
    return None


@dataclass
class ProjectList:
    """A list's projects (its 合计 and unit rows kept apart by ``row_kind``) and their indicators."""

    projects: list[Row] = field(default_factory=list)
    indicators: list[Row] = field(default_factory=list)


def key_projects(table: RawTable, ctx: Context, start: int) -> ProjectList:
    """A 项目名称 / 预算数 / 绩效目标 list; a row split over a page break is one. A 合计 row is the
    list's total, never a project. Where the list carries an indicator grid (一级 | 二级 | 三级 |
    指标值 beside each project), the rows under a project are its indicators."""
    labels = column_labels(table.header())
    name_col = next((i for i, l in enumerate(labels) if PROJECT_NAME.match(l)), 0)
    amount_col = find_column(labels, ("预算数", "金额", "资金总额"))
    goal_col = find_column(labels, ("绩效目标",))
    scale = "元" if amount_col is not None and "（元）" in labels[amount_col] else table.unit or "万元"
    roles = _header_roles(table)
    out = ProjectList()
    project: Row | None = None
    level1 = level2 = None
    n = start
    for row in table.body():
        name = clean(row.text(name_col))
        goal = clean(row.text(goal_col)) if goal_col is not None else ""
        blank = amount_col is None or parse_amount(row.text(amount_col)) is None
        same = project is not None and name == project["name"] and blank
        total = any(_TOTAL.fullmatch(squash(c)) for c in row.cells[: name_col + 1] if c)
        if (not name or same) and not total and project is not None:
            project["goal"] = (project["goal"] or "") + goal or None
        else:
            amount = parse_amount(row.text(amount_col)) if amount_col is not None else None
            project = {
                "project_id": f"{ctx.doc_id}:{n}",
                "unit": ctx.identity.department,
                "seq": None,
                "name": name or ("合计" if total else ""),
                "row_kind": "total" if total else "project",
                "budget_total": to_wanyuan(amount, scale),
                "goal": goal or None,
                "source_unit": scale,
                "raw_cells": [c or "" for c in row.cells],
                **ctx.source(row, table),
            }
            out.projects.append(project)
            level1 = level2 = None
            n += 1
        item = grid_row(row, roles) if roles is not None else None
        if item is None:
            continue
        level1, level2 = (item["level1"], None) if item["level1"] else (level1, level2)
        level2 = item["level2"] or level2
        source = ctx.source(row, table)
        l1 = level1 or (LEVEL2.get(level2) if level2 else None)
        out.indicators.append(
            indicator_row(
                project["project_id"], project["unit"], l1, level2, item["indicator"], item["target"], None, source
            )
        )
    return out


def join_projects(projects: list[Row], more: list[Row], indicators: list[Row] | None = None) -> list[Row]:
    """``more`` without its first project when that only continues the last one over a page break
    (the same name again, its amount blank or repeated): its goal text is carried over unless the
    page prints the same goal again, and its indicators (in ``indicators``) move to the last one."""
    last = projects[-1] if projects else None
    if more and last and more[0]["name"] == last["name"] and more[0]["budget_total"] in (None, last["budget_total"]):
        goal = more[0]["goal"] or ""
        if goal not in (last["goal"] or ""):
            last["goal"] = (last["goal"] or "") + goal or None
        for indicator in indicators or []:
            if indicator["project_id"] == more[0]["project_id"]:
                indicator["project_id"] = last["project_id"]
        return more[1:]
    return more


def mark_unit_rows(projects: list[Row], units: set[str]) -> None:
    """A project list's rows that name a unit of the filing (长沙市信访局 | 417.41 above its
    projects) are the unit's subtotal, never a project; the projects below it are that unit's."""
    unit: str | None = None
    for project in projects:
        if project["row_kind"] == "project" and unit_name(project["name"]) in units and not project["goal"]:
            project["row_kind"] = "subtotal"
            unit = project["unit"] = unit_name(project["name"])
        elif project["row_kind"] == "total":
            unit = None
        elif unit is not None and project["row_kind"] == "project":
            project["unit"] = unit


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
