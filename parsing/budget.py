"""Reader for 部门预算, 单位预算 and 部门决算: budget tables → budget lines, plus projects,
department-wide indicators and the narrative parts.

Every amount table becomes long rows (row × column → one ``measure`` with one ``amount``), so a
year comparison or a consistency check is a join on (table kind, 科目编码, measure) whatever the
table's printed layout. Left/right 收支总表 layouts give two sides; the 三公 table, whose rows
are years, is turned so that its items are rows and its years are measures.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import polars as pl

from parsing import schema
from parsing.context import Context
from parsing.normalize import clean, fold, squash, unit_name
from parsing.numbers import parse_amount, to_wanyuan
from parsing.raw import RawDocument, RawRow, RawTable
from parsing.tables import column_labels, split_code, table_kind
from parsing.targets import judge, parse_target
from parsing.text import NOTE

_PART = re.compile(r"^第([一二三四五六七八九十]+)部分\s*(.*)$")
_NUMERALS = "一二三四五六七八九十"
_TOTAL = re.compile(r"合计|总计")
_LEVEL1 = ("产出", "效益", "满意度")
_LEVEL2 = {
    "数量": "产出", "质量": "产出", "时效": "产出", "成本": "产出",
    "经济效益": "效益", "社会效益": "效益", "生态效益": "效益", "可持续影响": "效益",
    "服务对象满意度": "满意度", "其他满意度": "满意度", "满意度": "满意度",
}
_GOAL_CLAUSE = re.compile(r"(数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续影响|满意度)上")


def read_budget(doc: RawDocument, ctx: Context) -> dict[str, pl.DataFrame]:
    """Budget lines, units, projects, indicators, sections and notes of a budget or final account."""
    lines: list[dict] = []
    projects: list[dict] = []
    indicators: list[dict] = []
    sections = list(_sections(doc, ctx))
    notes: list[dict] = []
    for table in doc.tables:
        notes.extend(
            {"kind": "footnote", "detail": n, **ctx.source(None, table)} for n in table.notes
        )
        known = table_kind(table.title) if table.number else None
        header = [squash(c or "") for r in table.header() for c in r.cells]
        if known is None and "项目名称" in header and any("绩效目标" in h for h in header):
            projects.extend(_key_projects(table, ctx, len(projects)))
        elif known is None:
            notes.append({"kind": "unrecognised_table", "detail": table.label, **ctx.source(None, table)})
        elif known[0] == "绩效目标":
            task_lines, goal, found = _performance_table(table, ctx)
            lines.extend(task_lines)
            indicators.extend(found)
            if goal:
                sections.append({"part_no": None, "part": table.label, "heading": "年度总体目标",
                                 "text": goal, **ctx.source(None, table)})
        else:
            lines.extend(_amount_lines(table, known, ctx, notes))
    lines = _attach_summary_codes(lines)
    for project in projects:
        indicators.extend(_goal_indicators(project, ctx))
    return {
        "budget_lines": schema.frame("budget_lines", lines),
        "units": schema.frame("units", _units(lines, ctx)),
        "projects": schema.frame("projects", projects),
        "indicators": schema.frame("indicators", indicators),
        "sections": schema.frame("sections", sections),
        "notes": schema.frame("notes", notes),
    }


def _amount_lines(table: RawTable, known: tuple[str, str], ctx: Context, notes: list[dict]) -> Iterator[dict]:
    kind, classification = known
    labels = column_labels(table.header())
    if _is_two_sided(labels):
        yield from _two_sided(table, labels, kind, ctx)
        return
    if any("年度" in l for l in labels):
        yield from _by_year(table, labels, kind, ctx)
        return
    unit_col = _find(labels, ("预算单位", "单位名称", "部门"))
    code_col = _find(labels, ("科目编码", "编码", "代码"))
    name_col = _find(labels, ("科目名称", "名称", "项目")) if code_col is None else code_col + 1
    first_amount = max(c for c in (unit_col, code_col, name_col, -1) if c is not None) + 1
    unit = ctx.identity.department
    for n, row in enumerate(table.body()):
        unit_cell = row.text(unit_col) if unit_col is not None else ""
        if unit_cell and NOTE.match(clean(unit_cell)):
            notes.append({"kind": "footnote", "detail": clean(unit_cell), **ctx.source(row, table)})
            unit_cell = ""
        code, name = split_code(row.text(code_col) if code_col is not None else "",
                                row.text(name_col) if name_col is not None else "")
        row_kind = "line"
        if unit_cell and not code:
            unit, name, row_kind = unit_name(unit_cell), unit_name(unit_cell), "unit_total"
            if _TOTAL.search(name) or unit == unit_name(ctx.identity.department):
                row_kind = "total"
        elif _TOTAL.search(squash(name)) and not code:
            row_kind = "total"
        base = {"unit": unit, "code": code, "name": clean(name), "row_kind": row_kind}
        columns = [(c, _measure(labels[c]) or f"第{c + 1}栏") for c in range(first_amount, len(labels))]
        yield from _cells(row, n, columns, base, table, (kind, classification), ctx)


def _cells(
    row: RawRow, n: int, columns: list[tuple[int, str]], base: dict, table: RawTable,
    known: tuple[str, str], ctx: Context,
) -> Iterator[dict]:
    """One line per amount cell of a row; ``columns`` pairs a column index with its measure."""
    code = base.get("code")
    for col, measure in columns:
        text = row.text(col)
        value = parse_amount(text)
        if value is None and text:
            continue
        yield {
            "table_no": table.number and f"表{table.number}",
            "table_kind": known[0],
            "classification": known[1],
            "row_no": n,
            "side": None,
            "level": {3: 1, 5: 2, 7: 3, 9: 4}.get(len(code)) if code else None,
            "parent": code[:-2] if code and len(code) > 3 else None,
            "measure": measure,
            "amount": to_wanyuan(value, table.unit),
            "amount_text": text,
            "source_unit": table.unit or "万元",
            **base,
            **ctx.source(row, table),
        }


def _name_columns(labels: list[str]) -> list[int]:
    return [i for i, l in enumerate(labels) if l.split("·")[-1] == "项目"]


def _is_two_sided(labels: list[str]) -> bool:
    return len(_name_columns(labels)) >= 2


def _two_sided(table: RawTable, labels: list[str], kind: str, ctx: Context) -> Iterator[dict]:
    """收支总表 laid out income | expenditure: each side becomes its own run of lines."""
    names = _name_columns(labels)
    for side, (start, end) in zip(("income", "expenditure"), ((names[0], names[1]), (names[1], len(labels)))):
        for n, row in enumerate(table.body()):
            name = squash(row.text(start))
            if not name:
                continue
            row_kind = "total" if _TOTAL.search(name) else "line"
            base = {"unit": ctx.identity.department, "code": None, "name": clean(row.text(start)),
                    "row_kind": row_kind}
            columns = [(c, _measure(labels[c].split("·")[-1])) for c in range(start + 1, end)]
            for line in _cells(row, n, columns, base, table, (kind, "none"), ctx):
                yield line | {"side": side}


def _by_year(table: RawTable, labels: list[str], kind: str, ctx: Context) -> Iterator[dict]:
    """The 三公 table: rows are years, so turn it — items become rows, years become measures."""
    year_col = _find(labels, ("年度",))
    assert year_col is not None
    unit = ctx.identity.department
    for n, row in enumerate(table.body()):
        if row.text(0) and year_col != 0:
            unit = unit_name(row.text(0))
        measure = squash(row.text(year_col))
        for col in range(year_col + 1, len(labels)):
            text = row.text(col)
            value = parse_amount(text)
            if value is None and text:
                continue
            yield {
                "table_no": table.number and f"表{table.number}", "table_kind": kind,
                "classification": "none", "unit": unit, "row_no": col, "row_kind": "line",
                "side": None, "code": None, "level": None, "parent": None,
                "name": labels[col], "measure": measure,
                "amount": to_wanyuan(value, table.unit), "amount_text": text,
                "source_unit": table.unit or "万元", **ctx.source(row, table),
            }


def _measure(label: str) -> str:
    """A column label without the filing's year (2023年预算数 → 预算数) or 其中：, so that
    editions of different years share measures; a label that is only a year stays."""
    return re.sub(r"(?:^|(?<=·))(?:20\d\d年(?=.)|其中[:：])", "", label)


def _find(labels: list[str], words: tuple[str, ...]) -> int | None:
    for word in words:
        for i, label in enumerate(labels):
            if word in label:
                return i
    return None


def _performance_table(table: RawTable, ctx: Context) -> tuple[list[dict], str | None, list[dict]]:
    """部门整体支出绩效目标表: task amounts, the 年度总体目标 text, and the indicator tree."""
    lines: list[dict] = []
    indicators: list[dict] = []
    goal = None
    level1 = level2 = None
    in_indicators = False
    for n, row in enumerate(table.body()):
        cells = [clean(c) for c in row.cells if c and c.strip()]
        if not cells:
            continue
        if any("年度总体目标" in c for c in cells):
            goal = next((c for c in cells if "年度总体目标" not in c), None)
            continue
        if any("一级指标" in c for c in cells):
            in_indicators = True
            continue
        in_indicators = in_indicators or "年度绩效指标" in cells[0]
        if in_indicators:
            rest = [c for c in cells if c != "年度绩效指标"]
            if rest and rest[0] in _LEVEL1:
                level1, level2, rest = rest[0], None, rest[1:]
            if rest and squash(rest[0]) in _LEVEL2:
                level2, rest = squash(rest[0]), rest[1:]
                level1 = _LEVEL2[level2] if level1 is None or level2 in ("生态效益",) else level1
            indicator = rest[0] if rest else None
            target = rest[-1] if len(rest) > 1 else None
            indicators.append(_indicator(None, ctx.identity.department, level1, level2, indicator,
                                         target, None, ctx.source(row, table)))
            continue
        amounts = [(c, parse_amount(c)) for c in cells if parse_amount(c) is not None]
        words = [c for c in cells if parse_amount(c) is None and c != "年度主要任务"]
        if not amounts or not words:
            continue
        name = words[0]
        base = {"unit": ctx.identity.department, "code": None, "name": name,
                "row_kind": "total" if _TOTAL.search(name) else "line"}
        for measure, (text, value) in zip(("总额", "财政拨款", "其他资金"), amounts):
            lines.append({
                "table_no": table.number and f"表{table.number}", "table_kind": "绩效目标",
                "classification": "none", "row_no": n, "side": None, "level": None,
                "parent": None, "measure": measure, "amount": to_wanyuan(value, table.unit),
                "amount_text": text, "source_unit": table.unit or "万元", **base,
                **ctx.source(row, table),
            })
    return lines, goal, indicators


def _indicator(project_id, unit, level1, level2, indicator, target, outcome, source) -> dict:
    parsed = parse_target(target)
    blank = {"", "不适用", "无"}
    return {
        "project_id": project_id, "unit": unit, "level1": level1, "level2": level2,
        "indicator": indicator, "target": target, "outcome": outcome,
        "not_applicable": squash(indicator) in blank and squash(target) in blank,
        "target_kind": parsed.kind, "target_op": parsed.op, "target_value": parsed.value,
        "target_unit": parsed.unit, "verdict": judge(target, outcome), **source,
    }


def _key_projects(table: RawTable, ctx: Context, start: int) -> Iterator[dict]:
    """The narrative's 项目名称 / 预算数 / 绩效目标 table; a row split over a page break is one."""
    labels = column_labels(table.header())
    name_col = _find(labels, ("项目名称",)) or 0
    amount_col = _find(labels, ("预算数", "金额"))
    goal_col = _find(labels, ("绩效目标",))
    scale = "元" if amount_col is not None and "（元）" in labels[amount_col] else table.unit or "万元"
    project: dict | None = None
    n = start
    for row in table.body():
        name = clean(row.text(name_col))
        goal = clean(row.text(goal_col)) if goal_col is not None else ""
        if not name and project is not None:
            project["goal"] = (project["goal"] or "") + goal
            continue
        if project is not None:
            yield project
        amount = parse_amount(row.text(amount_col)) if amount_col is not None else None
        project = {
            "project_id": f"{ctx.doc_id}:{n}", "unit": ctx.identity.department, "seq": None,
            "name": name, "row_kind": "project", "budget_total": to_wanyuan(amount, scale),
            "goal": goal or None, "source_unit": scale, "raw_cells": [c or "" for c in row.cells],
            **ctx.source(row, table),
        }
        n += 1
    if project is not None:
        yield project


def _goal_indicators(project: dict, ctx: Context) -> Iterator[dict]:
    """Targets written inline in a goal ("数量上…≥20条；质量上…") as indicators of the project."""
    goal = project["goal"] or ""
    marks = list(_GOAL_CLAUSE.finditer(goal))
    source = {k: project[k] for k in schema.SOURCE}
    for mark, after in zip(marks, marks[1:] + [None]):
        text = goal[mark.end(): after.start() if after else len(goal)].strip("；;，,。 ")
        level2 = {"数量": "数量", "质量": "质量", "时效": "时效", "成本": "成本",
                  "满意度": "服务对象满意度"}.get(mark.group(1), mark.group(1))
        yield _indicator(project["project_id"], project["unit"], _LEVEL2[level2], level2,
                         text, text, None, source)


def _sections(doc: RawDocument, ctx: Context) -> Iterator[dict]:
    """第一部分 … 第九部分 with their text; a 目录 listing the parts first is skipped."""
    parts: list[dict] = []
    for line in doc.lines:
        bare = squash(line.text.lstrip("#-* ").replace("*", ""))
        m = _PART.match(bare)
        if m and not line.text.lstrip().startswith("- "):
            number = _NUMERALS.index(m.group(1)[-1]) + 1 + (10 if len(m.group(1)) > 1 else 0)
            if parts and number <= parts[-1]["part_no"]:
                parts.clear()
            parts.append({"part_no": number, "part": f"第{m.group(1)}部分", "heading": m.group(2),
                          "text": [], **ctx.source(None, None),
                          "source_page": line.page, "source_line": line.line})
        elif parts and re.match(r"^[一二三四五六七八九十]+、表格部分", bare):
            break
        elif parts:
            parts[-1]["text"].append(clean(line.text.lstrip("#").replace("**", "")))
    for part in parts:
        yield part | {"text": "\n".join(part["text"])}


def _units(lines: list[dict], ctx: Context) -> list[dict]:
    department = ctx.identity.department
    names = [department] + [l["unit"] for l in lines if l["row_kind"] == "unit_total"]
    return [
        {"doc_id": ctx.doc_id, "department": department, "unit": u, "is_own_level": "本级" in (u or "")}
        for u in dict.fromkeys(n for n in names if n)
    ]


def _attach_summary_codes(lines: list[dict]) -> list[dict]:
    """Give the 收支总表's expenditure names (printed without codes) the codes of the 功能分类
    table, matching names in print order so that 行政运行 finds the nearest preceding 款."""
    function = [(l["code"], fold(l["name"])) for l in lines
                if l["table_kind"] == "功能分类" and l["code"] and l["measure"] == _first_measure(lines)]
    function = list(dict.fromkeys(function))
    for kind in ("收支总表", "财政拨款收支总表"):
        pointer = 0
        last_row = None
        code = None
        for line in lines:
            if line["table_kind"] != kind or line["side"] != "expenditure":
                continue
            if line["row_no"] != last_row:
                last_row, code = line["row_no"], None
                name = fold(re.sub(r"^[一二三四五六七八九十]+、", "", line["name"]))
                for i in range(pointer, len(function)):
                    if function[i][1] == name:
                        code, pointer = function[i][0], i + 1
                        break
            if code:
                line.update(code=code, level={3: 1, 5: 2, 7: 3, 9: 4}.get(len(code)),
                            parent=code[:-2] if len(code) > 3 else None)
    return lines


def _first_measure(lines: list[dict]) -> str | None:
    return next((l["measure"] for l in lines if l["table_kind"] == "功能分类" and l["code"]), None)
