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
from parsing.normalize import clean, fold, squash, unit_name
from parsing.numbers import parse_amount, to_wanyuan
from parsing.readers.context import Context
from parsing.readers.narrative import read_sections
from parsing.readers.performance import goal_indicators, key_projects, performance_table, project_form
from parsing.readers.tables import code_columns, column_labels, find_column, join_code, split_code, table_kind
from parsing.routes.raw import NOTE, RawDocument, RawRow, RawTable

_TOTAL = re.compile(r"合计|总计")


def read_budget(doc: RawDocument, ctx: Context) -> dict[str, pl.DataFrame]:
    """Budget lines, units, projects, indicators, sections and notes of a budget or final account."""
    lines: list[dict] = []
    projects: list[dict] = []
    indicators: list[dict] = []
    sections = list(read_sections(doc, ctx))
    notes: list[dict] = []
    for table in doc.tables:
        notes.extend({"kind": "footnote", "detail": n, **ctx.source(None, table)} for n in table.notes)
        known = table_kind(table.title)
        header = [squash(c or "") for r in table.header() for c in r.cells]
        if "项目名称" in header and any(h.startswith("绩效目标") for h in header):
            projects.extend(key_projects(table, ctx, len(projects)))
        elif known is not None and known[0] == "绩效目标" and "项目名称" in header:
            project, found = project_form(table, ctx, len(projects))
            projects.append(project)
            indicators.extend(found)
        elif known is None:
            notes.append({"kind": "unrecognised_table", "detail": table.label, **ctx.source(None, table)})
        elif known[0] == "绩效目标":
            task_lines, goal, found = performance_table(table, ctx)
            lines.extend(task_lines)
            indicators.extend(found)
            if goal:
                sections.append(
                    {
                        "part_no": None,
                        "part": table.label,
                        "heading": "年度总体目标",
                        "text": goal,
                        **ctx.source(None, table),
                    }
                )
        else:
            lines.extend(_amount_lines(table, known, ctx, notes))
    lines = _attach_summary_codes(_number_tables(lines))
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
    labels = column_labels(table.header())
    body = table.body()
    if _is_two_sided(labels):
        yield from _two_sided(table, labels, known[0], ctx)
    elif any("年度" in l for l in labels):
        yield from _by_year(table, labels, known[0], ctx)
    elif not code_columns(labels) and find_column(labels, ("名称", "项目")) is None and len(body) <= 2:
        yield from _single_row(table, labels, known, ctx)
    else:
        blocks = _blocks(labels)
        for n, (start, end) in enumerate(blocks):
            side = ("left", "right")[n] if len(blocks) == 2 else None
            for line in _coded_rows(table, body, labels, start, end, known, ctx, notes):
                yield line | {"side": side}


def _blocks(labels: list[str]) -> list[tuple[int, int]]:
    """Column ranges of side-by-side copies of one layout (人员经费 | 公用经费 printed in pairs);
    their lines are told apart by ``side`` (left | right)."""
    starts = [i for i, l in enumerate(labels) if l == labels[0]] if labels else [0]
    return list(zip(starts, [*starts[1:], len(labels)], strict=False))


def _coded_rows(
    table: RawTable,
    body: list[RawRow],
    labels: list[str],
    start: int,
    end: int,
    known: tuple[str, str],
    ctx: Context,
    notes: list[dict],
) -> Iterator[dict]:
    """Rows keyed by 预算单位 and 科目编码 (in one column, split 类|款|项, or before the name)."""
    part = labels[start:end]
    unit_col = find_column(part, ("预算单位", "单位名称"))
    codes = code_columns(part)
    name_col = find_column(part[codes[-1] + 1 :], ("名称",)) if codes else None
    name_col = (
        (codes[-1] + 1 + name_col if name_col is not None else codes[-1] + 1)
        if codes
        else find_column(part, ("科目名称", "名称", "项目"))
    )
    first_amount = max(c for c in (unit_col, *codes, name_col, -1) if c is not None) + 1
    columns = [(start + c, _measure(part[c]) or f"第{c + 1}栏") for c in range(first_amount, len(part))]
    unit = ctx.identity.department
    for n, row in enumerate(body):
        cell = lambda c, row=row: row.text(start + c) if c is not None else ""  # noqa: E731
        unit_cell = cell(unit_col)
        if unit_cell and NOTE.match(clean(unit_cell)):
            notes.append({"kind": "footnote", "detail": clean(unit_cell), **ctx.source(row, table)})
            unit_cell = ""
        code = join_code([cell(c) for c in codes]) if len(codes) > 1 else None
        name = cell(name_col)
        if len(codes) <= 1:
            code, name = split_code(cell(codes[0]) if codes else "", name)
        if not code and not name:  # 合计 printed across the merged code columns
            name = next((t for t in (cell(c) for c in codes) if t and not t.isdigit()), "")
        if not (unit_cell or code or name) or not any(row.text(c) for c, _ in columns):
            continue
        row_kind = "line"
        if unit_cell and not code:
            unit = name = unit_name(unit_cell)
            row_kind = "total" if _TOTAL.search(name) or unit == unit_name(ctx.identity.department) else "unit_total"
        elif _TOTAL.search(squash(name)) and not code:
            row_kind = "total"
        base = {"unit": unit, "code": code, "name": clean(name), "row_kind": row_kind}
        yield from _cells(row, n, columns, base, table, known, ctx)


def _single_row(table: RawTable, labels: list[str], known: tuple[str, str], ctx: Context) -> Iterator[dict]:
    """A one-row table of items (the Shanghai 三公 table): each column is an item, and the
    measure (预算数 / 决算数) is read from its label."""
    for n, row in enumerate(table.body()):
        for col, label in enumerate(labels):
            parts = label.split("·")
            tagged = next((p for p in reversed(parts) if p.endswith(("预算数", "决算数"))), "")
            items = [p for p in parts if p != tagged]
            name = "·".join(items[1:] if len(items) > 1 else items) or re.sub(r"^20\d\d年|(预算|决算)数$", "", label)
            base = {
                "unit": ctx.identity.department,
                "code": None,
                "name": name,
                "row_kind": "total" if name in ("合计", "总计") else "line",
            }
            yield from _cells(row, n, [(col, tagged[-3:] or "金额")], base, table, known, ctx)


def _cells(
    row: RawRow,
    n: int,
    columns: list[tuple[int, str]],
    base: dict,
    table: RawTable,
    known: tuple[str, str],
    ctx: Context,
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
    for side, (start, end) in zip(
        ("income", "expenditure"), ((names[0], names[1]), (names[1], len(labels))), strict=False
    ):
        for n, row in enumerate(table.body()):
            name = squash(row.text(start))
            if not name:
                continue
            row_kind = "total" if _TOTAL.search(name) else "line"
            base = {"unit": ctx.identity.department, "code": None, "name": clean(row.text(start)), "row_kind": row_kind}
            columns = [(c, _measure(labels[c].split("·")[-1])) for c in range(start + 1, end)]
            for line in _cells(row, n, columns, base, table, (kind, "none"), ctx):
                yield line | {"side": side}


def _by_year(table: RawTable, labels: list[str], kind: str, ctx: Context) -> Iterator[dict]:
    """The 三公 table: rows are years, so turn it — items become rows, years become measures."""
    year_col = find_column(labels, ("年度",))
    assert year_col is not None
    unit = ctx.identity.department
    for _n, row in enumerate(table.body()):
        if row.text(0) and year_col != 0:
            unit = unit_name(row.text(0))
        measure = squash(row.text(year_col))
        for col in range(year_col + 1, len(labels)):
            text = row.text(col)
            value = parse_amount(text)
            if value is None and text:
                continue
            yield {
                "table_no": table.number and f"表{table.number}",
                "table_kind": kind,
                "classification": "none",
                "unit": unit,
                "row_no": col,
                "row_kind": "line",
                "side": None,
                "code": None,
                "level": None,
                "parent": None,
                "name": labels[col],
                "measure": measure,
                "amount": to_wanyuan(value, table.unit),
                "amount_text": text,
                "source_unit": table.unit or "万元",
                **ctx.source(row, table),
            }


def _measure(label: str) -> str:
    """A column's measure: the lowest header label (a 小计 keeps its group), without the filing's
    year (2023年预算数 → 预算数) or 其中：, so that editions of different years share measures."""
    parts = [re.sub(r"^(?:20\d\d年(?=.)|其中[:：])", "", p) for p in label.split("·")]
    return "·".join(parts[-2:]) if len(parts) > 1 and parts[-1] == "小计" else parts[-1]


def _units(lines: list[dict], ctx: Context) -> list[dict]:
    department = ctx.identity.department
    names = [department] + [l["unit"] for l in lines if l["row_kind"] == "unit_total"]
    return [
        {"doc_id": ctx.doc_id, "department": department, "unit": u, "is_own_level": "本级" in (u or "")}
        for u in dict.fromkeys(n for n in names if n)
    ]


def _number_tables(lines: list[dict]) -> list[dict]:
    """Tables printed without a number (the Shanghai set) get their place in the filing, '#3',
    so that every table has a key; a printed number is always 表N."""
    order: dict[str, str] = {}
    for line in lines:
        if line["table_no"] is None:
            line["table_no"] = order.setdefault(line["source_table"], f"#{len(order) + 1}")
    return lines


def _attach_summary_codes(lines: list[dict]) -> list[dict]:
    """Give the 收支总表's expenditure names (printed without codes) the codes of the 功能分类
    table, matching names in print order so that 行政运行 finds the nearest preceding 款."""
    function = [
        (l["code"], fold(l["name"]))
        for l in lines
        if l["table_kind"] == "功能分类" and l["code"] and l["measure"] == _first_measure(lines)
    ]
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
                line.update(
                    code=code,
                    level={3: 1, 5: 2, 7: 3, 9: 4}.get(len(code)),
                    parent=code[:-2] if len(code) > 3 else None,
                )
    return lines


def _first_measure(lines: list[dict]) -> str | None:
    return next((l["measure"] for l in lines if l["table_kind"] == "功能分类" and l["code"]), None)
