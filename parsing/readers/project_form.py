"""The 项目支出绩效目标表 form: label → value cells above, a grid of indicators below.

Provinces word the same form differently: the money is 年度资金申请总额, 年度预算资金总额, 当年预算
or only 实施期资金总额; the goal 年度总体目标, 当年绩效目标, 年度目标 or 总体目标; the grid is
一级/二级/三级指标 + 指标值 (+ 分值权重), or 指标名称 + 指标性质 + 指标值 + 计量单位 (+ 指标权重).
Labels are matched from vocabularies and the grid's columns found by their header words, so a
weight printed beside the target is read as the weight, never as the target. A form is known by
those labels and that grid, not by its title: many print only （2026年度） there, and a form without
a 项目名称 cell names its project in the title (301007_某分局_某某项目绩效目标表).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from parsing.normalize import clean, squash, unit_name
from parsing.numbers import parse_amount, parse_percent, to_wanyuan
from parsing.readers.context import Context
from parsing.readers.indicators import indicator_row
from parsing.routes.raw import RawRow, RawTable
from parsing.schema import LEVEL1, LEVEL2, Row

#: The project's money, most specific first: the year's figure before the whole period's.
AMOUNT_LABELS = (
    "年度资金申请总额",
    "年度预算资金总额",
    "年度资金总额",
    "当年预算",
    "本年预算",
    "项目资金总额",
    "实施期资金总额",
    "资金总额",
)
#: The year's goal before the project's overall one.
GOAL_LABELS = ("年度总体目标", "当年绩效目标", "年度绩效目标", "年度目标", "总体目标", "项目实施期目标", "实施期目标")
#: Column heads under a goal label in a 自评 form: 预期目标 (the goal) | 实际完成情况 (the outcome).
_GOAL_HEADS = {"预期目标": "goal", "实际完成情况": "outcome"}
NAME_LABELS = ("项目名称",)
UNIT_LABELS = ("实施单位", "主管部门")
#: A label that makes a form the department's own (部门整体支出绩效目标表), not a project's.
_DEPARTMENT_LABELS = ("部门名称", "部门（单位）名称", "部门(单位)名称", "单位名称")
#: A title naming its project: [单位编码_单位名称_]项目名称[项目][支出]绩效目标表[（2026年度）].
_TITLE = re.compile(r"^(?:\d+_(?P<unit>[^_]+)_)?(?P<name>.+?)(?:项目)?(?:支出)?绩效目标表(?:[（(][^）)]*[）)])?$")

#: Header words of the indicator grid → the column's role.
_ROLES = (
    ("level1", ("一级指标",)),
    ("level2", ("二级指标",)),
    ("name", ("三级指标", "指标名称", "指标内容")),
    ("weight", ("权重", "分值")),
    ("value", ("指标值", "目标值")),
    ("outcome", ("实际完成值", "完成值", "实际值")),
    ("op", ("指标性质", "符号")),
    ("unit", ("计量单位", "度量单位")),
    ("project", ("项目名称",)),
    ("amount", ("金额", "预算数", "资金")),
    ("goal", ("绩效目标",)),
)
_YUAN = re.compile(r"[（(]元[)）]")
_CODE_PREFIX = re.compile(r"^\d+[_\-\s]+")
#: "≥13459.00(平方米)" is printed for "≥13459.00平方米": the unit in brackets joins the number.
_BRACKETED_UNIT = re.compile(r"\(([%‰]|[\u4e00-\u9fff]{1,3})\)")


@dataclass
class FormRead:
    """What a form yields: its projects, their indicators, and how many numeric cells were read."""

    projects: list[Row]
    indicators: list[Row]
    cells_read: int


def project_form(table: RawTable, ctx: Context, n: int) -> FormRead:
    """Read one form (a project with its indicators) or a list of such projects, one per block."""
    rows = [row for fragment in table.fragments for row in fragment]
    scale = "元" if any(_YUAN.search(squash(c or "")) for r in rows for c in r.cells) else table.unit or "万元"
    start = next((k for k, r in enumerate(rows) if _roles(r).get("name") is not None), None)
    if start is not None and "project" in _roles(rows[start]):
        return _project_list(rows, start, scale, table, ctx, n)
    values = form_values(rows)
    amount_text = _first(values, AMOUNT_LABELS)
    titled = _TITLE.match(squash(table.title))
    unit = _first(values, UNIT_LABELS) or (titled and titled["unit"])
    project = {
        "project_id": f"{ctx.doc_id}:{n}",
        "unit": unit_name(_CODE_PREFIX.sub("", unit)) if unit else ctx.identity.department,
        "seq": None,
        "name": _first(values, NAME_LABELS) or (titled["name"] if titled else table.title),
        "row_kind": "project",
        "budget_total": to_wanyuan(parse_amount(amount_text), scale),
        "goal": _first(values, GOAL_LABELS),
        "outcome": values.get("outcome") or None,
        "source_unit": scale,
        "raw_cells": [],
        **ctx.source(rows[0] if rows else None, table),
    } | _year_money(rows, scale)
    indicators = _indicators(rows[start:] if start is not None else [], project, ctx, table)
    return FormRead([project], indicators, _cells_read([project], indicators))


def is_project_form(rows: list[RawRow]) -> bool:
    """Label cells of a project (项目名称, 年度资金总额：…) above an indicator grid (一级指标 |
    三级指标): a project's form whatever its title. One that names its 部门名称 and no project is
    the department's own form."""
    labels = {squash(c).removeprefix("其中：").partition("：")[0].rstrip(":") for r in rows for c in r.cells if c}
    if not any({"level1", "name"} <= _roles(r).keys() or {"level2", "name"} <= _roles(r).keys() for r in rows):
        return False
    if any(_label(l) in NAME_LABELS for l in labels):
        return True
    department = any(l.startswith(_DEPARTMENT_LABELS) for l in labels)
    return not department and any(_label(l) in AMOUNT_LABELS for l in labels)


def continued_grid(table: RawTable, previous: RawTable, project: Row, ctx: Context) -> list[Row] | None:
    """The indicators of a form's grid carried onto the next page under the same title, printed
    again as a running head (so the route sees a new table): rows without a header of their own
    or any form label, read under the previous form's grid header. None when not such a page."""
    rows = [r for fragment in table.fragments for r in fragment]
    header = next((r for f in previous.fragments for r in f if _roles(r).get("name") is not None), None)
    if squash(table.title) != squash(previous.title) or header is None or not rows:
        return None
    if any(_roles(r).get("name") is not None for r in rows) or form_values(rows):
        return None
    return _indicators([header, *rows], project, ctx, table)


def _year_money(rows: list[RawRow], scale: str) -> Row:
    """A 自评 form's money under 年初预算数 | 全年预算数 | 全年执行数 | 执行率: the year's budget
    (全年, after adjustments), what was spent and the rate, from its 年度资金总额 row."""
    for head, total in pairwise(rows):
        heads = [squash(c) for c in head.cells]
        budget, spent = _column(heads, ("全年预算", "预算数")), _column(heads, ("全年执行", "执行数", "实际支出"))
        labels = [_label(squash(c).partition("：")[0]) for c in total.cells]
        if budget is None or spent is None or not any(l in AMOUNT_LABELS for l in labels):
            continue
        rate = _column(heads, ("执行率",))
        return {
            "budget_total": to_wanyuan(parse_amount(total.text(budget)), scale),
            "actual_total": to_wanyuan(parse_amount(total.text(spent)), scale),
            "exec_rate": parse_percent(total.text(rate)) if rate is not None else None,
            "exec_rate_text": (clean(total.text(rate)) or None) if rate is not None else None,
        }
    return {}


def _column(heads: list[str], words: tuple[str, ...]) -> int | None:
    return next((i for word in words for i, h in enumerate(heads) if word in h), None)


def _project_list(rows: list[RawRow], start: int, scale: str, table: RawTable, ctx: Context, n: int) -> FormRead:
    """Projects listed one after another, each row of 项目名称 / 金额 / 绩效目标 opening a block
    whose rows carry its indicators."""
    cols = _roles(rows[start])
    projects: list[Row] = []
    indicators: list[Row] = []
    block: list[RawRow] = []
    for row in [*rows[start + 1 :], None]:
        name = _cell(row, cols["project"]) if row is not None else ""
        if (name or row is None) and block:
            project = projects[-1]
            indicators.extend(_indicators([rows[start], *block], project, ctx, table))
            block = []
        if row is None:
            break
        if name:
            projects.append(
                {
                    "project_id": f"{ctx.doc_id}:{n + len(projects)}",
                    "unit": ctx.identity.department,
                    "seq": None,
                    "name": name,
                    "row_kind": "project",
                    "budget_total": to_wanyuan(parse_amount(_cell(row, cols.get("amount"))), scale),
                    "goal": _cell(row, cols.get("goal")) or None,
                    "source_unit": scale,
                    "raw_cells": [c or "" for c in row.cells],
                    **ctx.source(row, table),
                }
            )
        if projects:
            block.append(row)
    return FormRead(projects, indicators, _cells_read(projects, indicators))


def _cells_read(projects: list[Row], indicators: list[Row]) -> int:
    """Numeric cells read: each project's money, each numeric target and each weight."""
    money = sum(p["budget_total"] is not None for p in projects)
    return money + sum((parse_amount(i["target"]) is not None) + (i["weight"] is not None) for i in indicators)


def form_values(rows: list[RawRow]) -> dict[str, str]:
    """Label → its value: the next cell to the right (a number, for money), or the one below.

    A label and its value may share one cell ("实施期资金总额：1,083.57").
    """
    values: dict[str, str] = {}
    for r, row in enumerate(rows):
        cells = [clean(c) if c else "" for c in row.cells]
        for i, cell in enumerate(cells):
            label, _, inline = squash(cell).removeprefix("其中：").partition("：")
            key = _label(label.rstrip(":"))
            if key is None or key in values:
                continue
            right = [inline] if inline else [c for c in cells[i + 1 :] if c]
            if key in GOAL_LABELS and right and squash(right[0]) in _GOAL_HEADS and r + 1 < len(rows):
                for j, head in enumerate(cells):  # 预期目标 | 实际完成情况 heads, their texts below
                    if squash(head) in _GOAL_HEADS:
                        values[_GOAL_HEADS[squash(head)]] = clean(rows[r + 1].text(j))
                values[key] = values.get("goal", "")
            elif key in AMOUNT_LABELS:
                values[key] = next((c for c in right if parse_amount(c) is not None), "")
            elif right and _label(squash(right[0]).rstrip("：:")) is None:
                values[key] = right[0]
            elif key in GOAL_LABELS and r + 1 < len(rows):
                below = rows[r + 1].cells
                values[key] = clean(
                    below[i] if i < len(below) and below[i] else next((c for c in reversed(below) if c), "")
                )
    return values


def _label(text: str) -> str | None:
    """The vocabulary label ``text`` is, if any (主管部门及代码 is 主管部门)."""
    for labels in (AMOUNT_LABELS, GOAL_LABELS, NAME_LABELS, UNIT_LABELS):
        for label in labels:
            if text == label or (label in UNIT_LABELS and text.startswith(label)):
                return label
    return None


def _first(values: dict[str, str], labels: tuple[str, ...]) -> str | None:
    return next((values[k] for k in labels if values.get(k)), None)


def _indicators(rows: list[RawRow], project: Row, ctx: Context, table: RawTable) -> list[Row]:
    """The grid under a header row (``rows[0]``) that names 一级指标 / 三级指标 / 指标名称."""
    if not rows:
        return []
    cols = _roles(rows[0])
    found: list[Row] = []
    level1 = level2 = None
    for row in rows[1:]:
        if _roles(row).get("name") is not None:
            continue  # the header again, on the next page
        l1, l2 = _cell(row, cols.get("level1")), _cell(row, cols.get("level2"))
        if l1:
            level1, level2 = l1.removesuffix("指标"), None
        if l2:
            level2 = squash(l2).removesuffix("指标")
            level1 = LEVEL2.get(level2, level1) if level1 not in LEVEL1 else level1
        name = _cell(row, cols.get("name"))
        if not name:
            continue
        value = _BRACKETED_UNIT.sub(r"\1", _cell(row, cols.get("value")))
        target = _cell(row, cols.get("op")) + value + (_cell(row, cols.get("unit")) if value else "")
        weight = parse_amount(_cell(row, cols.get("weight")))
        outcome = _cell(row, cols.get("outcome")) or None
        source = ctx.source(row, table)
        found.append(
            indicator_row(project["project_id"], project["unit"], level1, level2, name, target, outcome, source)
            | {"weight": weight}
        )
    return found


def _roles(row: RawRow) -> dict[str, int]:
    """Column index of each role named in a header row (the first cell that names it)."""
    roles: dict[str, int] = {}
    for i, cell in enumerate(row.cells):
        text = squash(cell or "")
        for role, words in _ROLES:
            if role not in roles and any(w in text for w in words):
                roles[role] = i
                break
    return roles


def _cell(row: RawRow | None, i: int | None) -> str:
    return clean(row.text(i)) if row is not None and i is not None else ""
