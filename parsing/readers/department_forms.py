"""Readers for the department-wide performance forms: the 部门整体绩效目标申报表 (targets set
with the budget) and the 部门整体支出绩效自评表 (the department's own score after the year).

Both are one ruled form of label → value cells, money rows under column headers, and an
indicator grid (一级 | 二级 | 三级指标 | 指标值 [| 实际完成值 | 分值 | 得分 | 偏差原因]). The form is
read by its labels and header words, never by cell positions: 部门名称 / 部门（单位）名称 name the
department, a money row's amounts are measured by the header above their column (formula marks
such as ③=①+② dropped), and the indicator grid becomes indicator rows with verdicts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from parsing import schema
from parsing.normalize import clean, squash
from parsing.numbers import parse_amount, parse_percent, to_wanyuan
from parsing.readers.context import Context
from parsing.readers.indicators import indicator_columns, indicator_grid, indicator_row
from parsing.routes.raw import RawDocument, RawRow, RawTable
from parsing.schema import Row

#: Labels whose value is the cell to their right, or, with nothing there, the cell below.
_TEXT_LABELS = ("总体绩效目标", "年度总体目标", "预期目标", "目标实际完成情况", "年度目标", "实际完成情况")
_NAME_LABELS = ("专项名称", "项目名称")
_TASKS = ("名称", "主要实施内容")
_FORMULA = re.compile(r"[①-⑳]|[=＝][\s①-⑳+\-＋/×÷（）()\d]*|\s+")
_NOT_AMOUNT = re.compile(r"编码|代码|编号|序号|分值|得分")
_UNIT_NOTE = re.compile(r"[（(](?:万元|元|亿元)[)）]")
_NOT_MONEY = ("率", "%", "％", "分值", "得分", "权重")
_TOTAL = re.compile(r"合计|总计")
_WEIGHT = ("分值", "权重", "满分")


@dataclass
class _Row:
    row: RawRow
    table: RawTable
    place: int = 1  # the table's place in the filing: its table_no is #N (a form prints no 表 N)


def read_department_targets(doc: RawDocument, ctx: Context) -> dict[str, pl.DataFrame]:
    """部门整体绩效目标申报表: the funding figures, each 年度重点工作任务 as a project, the
    总体绩效目标 as a section and the indicator grid as the department's indicators."""
    rows = _rows(doc)
    form, grid, _ = _split(rows)
    tasks, money = _tasks(form, ctx)
    return _frames(ctx, form, money, tasks, grid, project_id=None)


def read_department_evaluation(doc: RawDocument, ctx: Context) -> dict[str, pl.DataFrame]:
    """部门整体支出绩效自评表: the department as one project (budget, 拨付, 实现率, goal and
    outcome), its funding rows, and its indicators with target, outcome, weight and score."""
    rows = _rows(doc)
    form, grid, roles = _split(rows)
    money = _money(form, ctx)
    values = _values(form)
    funds_weight, funds_score = _funds_scores(form)
    weight_total, score_total = _totals(form, roles)
    total = next((m for m in money if _TOTAL.search(m["name"])), None)
    measures = {m["measure"]: m for m in money if total and m["row_no"] == total["row_no"]}
    first = rows[0] if rows else None
    project = {
        "project_id": f"{ctx.doc_id}:0",
        "unit": ctx.identity.department,
        "seq": None,
        "name": next((values[k] for k in _NAME_LABELS if values.get(k)), ctx.identity.department),
        "row_kind": "project",
        "budget_total": _pick(measures, ("小计", "调整后", "全年预算", "预算")),
        "actual_total": _pick(measures, ("拨付", "执行", "支出", "实际")),
        "exec_rate": _rate(total, ("实现率", "执行率")),
        "exec_rate_text": _rate_text(total, ("实现率", "执行率")),
        "goal": values.get("预期目标") or values.get("年度总体目标"),
        "outcome": values.get("目标实际完成情况") or values.get("实际完成情况"),
        "problems": "；".join(f"{g['indicator']}：{g['reason']}" for g in grid if g["reason"]) or None,
        "source_unit": total["source_unit"] if total else "万元",
        "raw_cells": [c or "" for c in total["_cells"]] if total else [],
        "funds_weight": funds_weight,
        "funds_score": funds_score,
        "weight_total": weight_total,
        "score_total": score_total,
        **ctx.source(first.row if first else None, first.table if first else None),
    }
    return _frames(ctx, form, money, [project], grid, project_id=project["project_id"])


def _frames(
    ctx: Context, form: list[_Row], money: list[Row], projects: list[Row], grid: list[Row], project_id: str | None
) -> dict[str, pl.DataFrame]:
    values = _values(form)
    at = ctx.source(form[0].row, form[0].table) if form else ctx.source(None, None)
    sections = [
        {"part_no": 0, "part": "绩效目标", "heading": label, "text": values[label], **at}
        for label in _TEXT_LABELS
        if values.get(label)
    ]
    closing = [clean(" ".join(c for c in r.row.cells if c)) for r in form if _is_closing(r.row)]
    if closing:
        sections.append({"part_no": 0, "part": "评价结果", "heading": "评价结果", "text": "\n".join(closing), **at})
    department = ctx.identity.department
    named = values.get("部门名称")
    indicators = [
        indicator_row(
            project_id,
            department,
            g["level1"],
            g["level2"],
            g["indicator"],
            g["target"],
            g["outcome"],
            ctx.source(g["row"].row, g["row"].table),
            weight=parse_amount(g["weight"]),
            score=parse_amount(g["score"]),
        )
        for g in grid
    ]
    lines = [{k: v for k, v in m.items() if not k.startswith("_")} for m in money]
    return {
        "projects": schema.frame("projects", projects),
        "indicators": schema.frame("indicators", indicators),
        "budget_lines": schema.frame("budget_lines", lines),
        "sections": schema.frame("sections", sections),
        # The unit is the body the form's 部门名称 cell names: the checks hold it against the title's.
        "units": schema.frame(
            "units",
            [{"doc_id": ctx.doc_id, "department": department, "unit": named or department, "is_own_level": False}],
        ),
    }


def _rows(doc: RawDocument) -> list[_Row]:
    return [
        _Row(row, table, n)
        for n, table in enumerate(doc.tables, start=1)
        for fragment in table.fragments
        for row in fragment
    ]


def _split(rows: list[_Row]) -> tuple[list[_Row], list[Row], dict[str, int]]:
    """The form's rows outside the indicator grid, the grid's indicators and its columns' roles."""
    for i, r in enumerate(rows):
        roles = indicator_columns(list(r.row.cells))
        if roles is None:
            continue
        grid = indicator_grid([x.row for x in rows[i + 1 :]], roles)
        by_row = {id(x.row): x for x in rows}
        for g in grid:
            g["row"] = by_row[id(g["row"])]
        used = {id(g["row"].row) for g in grid}
        return [x for x in rows if id(x.row) not in used and x is not r], grid, roles
    return rows, [], {}


def _values(form: list[_Row]) -> dict[str, str]:
    """Label → value: the text right of a label cell, or below it when the row has no value."""
    out: dict[str, str] = {}
    for n, r in enumerate(form):
        cells = [clean(c) if c else "" for c in r.row.cells]
        for i, cell in enumerate(cells):
            label = squash(cell)
            if label in out or label not in (*_TEXT_LABELS, *_NAME_LABELS, "部门名称"):
                continue
            right = next((c for c in cells[i + 1 :] if c), "")
            if right and squash(right) not in _TEXT_LABELS:
                out[label] = right
            elif n + 1 < len(form):
                below = form[n + 1].row.cells
                out[label] = clean(below[i]) if i < len(below) and below[i] else ""
    return out


def _is_closing(row: RawRow) -> bool:
    first = squash(next((c for c in row.cells if c), ""))
    return first.startswith(("总分", "评价等级", "评价总分", "自评总分"))


def _funds_scores(form: list[_Row]) -> tuple[float | None, float | None]:
    """The 分值 and 得分 the money part of a score form prints (under headers of those words, on
    its first row that fills them: the 合计), or None where it prints none."""
    header: dict[int, str] = {}
    for r in form:
        cells = [clean(c) if c else "" for c in r.row.cells]
        numbers = {i: parse_amount(c) for i, c in enumerate(cells) if parse_amount(c) is not None}
        if not numbers:
            header.update({i: squash(c) for i, c in enumerate(cells) if c})
            continue
        if _is_closing(r.row):
            continue
        weight = next((v for i, v in numbers.items() if any(w in header.get(i, "") for w in _WEIGHT)), None)
        score = next((v for i, v in numbers.items() if "得分" in header.get(i, "")), None)
        if weight is not None or score is not None:
            return weight, score
    return None, None


def _totals(form: list[_Row], roles: dict[str, int]) -> tuple[float | None, float | None]:
    """The form's printed totals, from its last 总分 / 合计 row: (分值 out of, 得分). A lone figure
    is the score obtained (总分值、评价总分 (S) | 92.33); two are placed by the grid's 分值 and
    得分 columns, or read in that order."""
    for r in reversed(form):
        first = squash(next((c for c in r.row.cells if c), ""))
        if not (_is_closing(r.row) or _TOTAL.match(first)) or first.startswith("评价等级"):
            continue
        numbers = {i: parse_amount(c) for i, c in enumerate(r.row.cells) if c and parse_amount(c) is not None}
        if not numbers:
            continue
        values = list(numbers.values())
        if len(values) == 1:
            return None, values[0]
        weight = numbers.get(roles.get("weight", -1), values[0])
        score = numbers.get(roles.get("score", -1), values[-1])
        return weight, score
    return None, None


def _money(form: list[_Row], ctx: Context) -> list[Row]:
    """Money rows: each amount measured by the nearest header text above its column."""
    header: dict[int, str] = {}
    out: list[Row] = []
    for n, r in enumerate(form):
        cells = [clean(c) if c else "" for c in r.row.cells]
        amounts = [i for i, c in enumerate(cells) if parse_amount(c) is not None]
        if not amounts:
            header.update({i: c for i, c in enumerate(cells) if c})
            continue
        if _is_closing(r.row):
            continue
        row_name = next((c for c in cells[: amounts[0]][::-1] if c and parse_amount(c) is None), "")
        for prev, i in zip([-1, *amounts], amounts, strict=False):
            label = header.get(i, "")
            if any(w in label for w in _NOT_MONEY):
                continue
            name = next((c for c in cells[prev + 1 : i][::-1] if c), row_name)  # 基本支出 | 58,118.59 | 财政拨款 | …
            if _NOT_AMOUNT.search(name):  # 部门预算编码 | 127
                continue
            out.append(_line(r, n, name, _measure(label), cells[i], ctx) | {"_header": header.copy(), "_cells": cells})
    return out


def _tasks(form: list[_Row], ctx: Context) -> tuple[list[Row], list[Row]]:
    """The 年度重点工作任务 rows as projects (name, amount, goal) and the other money rows."""
    projects: list[Row] = []
    money: list[Row] = []
    columns: dict[str, int] | None = None
    rest: list[_Row] = []
    for r in form:
        cells = [squash(c) for c in r.row.cells]
        if all(w in cells for w in _TASKS):
            columns = {c: i for i, c in enumerate(cells) if c}
            continue
        if columns is not None and any(cells[: columns["名称"]]):  # the next part of the form
            columns = None
        if columns is None:
            rest.append(r)
            continue
        name = clean(r.row.cells[columns["名称"]])
        amount_col = next((i for c, i in columns.items() if "资金" in c or "金额" in c), None)
        goal_col = next((i for c, i in columns.items() if "目标" in c), None)
        text = r.row.text(amount_col) if amount_col is not None else ""
        if not name or parse_amount(text) is None:
            rest.append(r)
            continue
        projects.append(
            {
                "project_id": f"{ctx.doc_id}:{len(projects)}",
                "unit": ctx.identity.department,
                "seq": len(projects) + 1,
                "name": name,
                "row_kind": "project",
                "budget_total": to_wanyuan(parse_amount(text), "万元"),
                "goal": clean(r.row.text(goal_col)) or None if goal_col is not None else None,
                "outcome": None,
                "source_unit": "万元",
                "raw_cells": [c or "" for c in r.row.cells],
                **ctx.source(r.row, r.table),
            }
        )
    money = _money(rest, ctx)
    return projects, money


def _line(r: _Row, n: int, name: str, measure: str, text: str, ctx: Context) -> Row:
    unit = r.table.unit or "万元"
    return {
        "table_no": f"表{r.table.number}" if r.table.number else f"#{r.place}",
        "table_kind": "绩效目标",
        "classification": "none",
        "unit": ctx.identity.department,
        "row_no": n,
        "row_kind": "total" if _TOTAL.search(name) else "line",
        "side": None,
        "code": None,
        "level": None,
        "parent": None,
        "name": re.sub(r"^[①-⑳]", "", name),
        "measure": measure,
        "amount": to_wanyuan(parse_amount(text), unit),
        "amount_text": text,
        "source_unit": unit,
        **ctx.source(r.row, r.table),
    }


def _measure(label: str) -> str:
    """A column header without its formula and unit: '小计 ③ = ①+②' → '小计'."""
    return _UNIT_NOTE.sub("", _FORMULA.sub("", label)) or "金额"


def _pick(measures: dict[str, Row], words: tuple[str, ...]) -> float | None:
    for word in words:
        hit = next((m for k, m in measures.items() if word in k), None)
        if hit is not None:
            amount: float | None = hit["amount"]
            return amount
    return None


def _rate_column(total: Row | None, words: tuple[str, ...]) -> str | None:
    if total is None:
        return None
    header, cells = total["_header"], total["_cells"]
    return next((cells[i] for i, label in header.items() if any(w in label for w in words) and i < len(cells)), None)


def _rate(total: Row | None, words: tuple[str, ...]) -> float | None:
    text = _rate_column(total, words)
    return parse_percent(text) if text and "%" in text else parse_amount(text)


def _rate_text(total: Row | None, words: tuple[str, ...]) -> str | None:
    return _rate_column(total, words) or None
