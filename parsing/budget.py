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
from parsing.narrative import read_sections
from parsing.performance import goal_indicators, key_projects, performance_table
from parsing.tables import column_labels, find_column, split_code, table_kind
from parsing.text import NOTE

_TOTAL = re.compile(r"合计|总计")


def read_budget(doc: RawDocument, ctx: Context) -> dict[str, pl.DataFrame]:
    """Budget lines, units, projects, indicators, sections and notes of a budget or final account."""
    lines: list[dict] = []
    projects: list[dict] = []
    indicators: list[dict] = []
    sections = list(read_sections(doc, ctx))
    notes: list[dict] = []
    for table in doc.tables:
        notes.extend(
            {"kind": "footnote", "detail": n, **ctx.source(None, table)} for n in table.notes
        )
        known = table_kind(table.title) if table.number else None
        header = [squash(c or "") for r in table.header() for c in r.cells]
        if known is None and "项目名称" in header and any("绩效目标" in h for h in header):
            projects.extend(key_projects(table, ctx, len(projects)))
        elif known is None:
            notes.append({"kind": "unrecognised_table", "detail": table.label, **ctx.source(None, table)})
        elif known[0] == "绩效目标":
            task_lines, goal, found = performance_table(table, ctx)
            lines.extend(task_lines)
            indicators.extend(found)
            if goal:
                sections.append({"part_no": None, "part": table.label, "heading": "年度总体目标",
                                 "text": goal, **ctx.source(None, table)})
        else:
            lines.extend(_amount_lines(table, known, ctx, notes))
    lines = _attach_summary_codes(lines)
    for project in projects:
        indicators.extend(goal_indicators(project, ctx))
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
    unit_col = find_column(labels, ("预算单位", "单位名称", "部门"))
    code_col = find_column(labels, ("科目编码", "编码", "代码"))
    name_col = find_column(labels, ("科目名称", "名称", "项目")) if code_col is None else code_col + 1
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
    year_col = find_column(labels, ("年度",))
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
