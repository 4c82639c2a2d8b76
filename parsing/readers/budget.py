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
from parsing.normalize import clean, squash, unit_name
from parsing.numbers import parse_amount, to_wanyuan
from parsing.readers.context import Context
from parsing.readers.describe import Block, TableDescription, data_rows, describe, split_code_name
from parsing.readers.items import by_year, single_row
from parsing.readers.narrative import read_sections
from parsing.readers.performance import goal_indicators, join_projects, key_projects, performance_table
from parsing.readers.project_form import project_form
from parsing.readers.summary_codes import attach_summary_codes, number_tables
from parsing.readers.tables import CODE, join_code
from parsing.routes.raw import NOTE, RawDocument, RawRow, RawTable
from parsing.schema import Row

_TOTAL = re.compile(r"合\s*计|总\s*计")
_NUMBERING = (
    (re.compile(r"^[一二三四五六七八九十]+[、.．]"), 1),
    (re.compile(r"^[（(][一二三四五六七八九十]+[)）]"), 2),
    (re.compile(r"^\d{1,2}[、.．](?!\d)"), 3),
    (re.compile(r"^[（(]\d{1,2}[)）]"), 4),
)
_LEVEL = {3: 1, 5: 2, 7: 3, 9: 4}


def read_budget(doc: RawDocument, ctx: Context) -> dict[str, pl.DataFrame]:
    """Budget lines, units, projects, indicators, sections and notes of a budget or final account."""
    lines: list[Row] = []
    projects: list[Row] = []
    indicators: list[Row] = []
    sections = list(read_sections(doc, ctx))
    notes: list[Row] = []
    tables: list[Row] = []
    for table in doc.tables:
        notes.extend({"kind": "footnote", "detail": n, **ctx.source(None, table)} for n in table.notes)
        d = describe(table)
        found: list[Row] = []
        read_elsewhere = 0  # numeric cells read into projects and indicators rather than budget lines
        if d.layout == "projects":
            projects.extend(join_projects(projects, list(key_projects(table, ctx, len(projects)))))
        elif d.layout == "project_form":
            form = project_form(table, ctx, len(projects))
            projects.extend(form.projects)
            indicators.extend(form.indicators)
            read_elsewhere = form.cells_read
        elif d.layout == "performance":
            found, goal, more = performance_table(table, ctx)
            indicators.extend(more)
            if goal:
                heading = {"part_no": None, "part": table.label, "heading": "年度总体目标", "text": goal}
                sections.append(heading | ctx.source(None, table))
        else:
            found = list(_amount_lines(table, d, ctx, notes))
            if d.kind is None:
                notes.append({"kind": "unrecognised_table", "detail": table.label, **ctx.source(None, table)})
        lines.extend(found)
        tables.append(_table_row(table, d, found, ctx, read_elsewhere))
    lines = attach_summary_codes(number_tables(lines))
    numbers = {l["source_table"]: l["table_no"] for l in lines}
    for row in tables:
        row["table_no"] = row["table_no"] or numbers.get(row["source_table"])
    for project in projects:
        indicators.extend(goal_indicators(project, ctx))
    return {
        "budget_lines": schema.frame("budget_lines", lines),
        "units": schema.frame("units", _units(lines, ctx)),
        "projects": schema.frame("projects", projects),
        "indicators": schema.frame("indicators", indicators),
        "sections": schema.frame("sections", sections),
        "notes": schema.frame("notes", notes),
        "tables": schema.frame("tables", tables),
    }


def _table_row(table: RawTable, d: TableDescription, found: list[Row], ctx: Context, elsewhere: int = 0) -> Row:
    """The table's row of the ``tables`` frame: its description and its coverage."""
    code_cols = {c for b in d.blocks for c in (*b.code_cols, *b.org_cols, *b.row_number_cols)}
    seen = sum(
        1 for r in data_rows(table) for i, c in enumerate(r.cells) if i not in code_cols and parse_amount(c) is not None
    )
    read = elsewhere + len(
        {(l["source_page"], l["row_no"], l["measure"], l["side"], l["name"]) for l in found if l["amount"] is not None}
    )
    return {
        "table_no": table.number and f"表{table.number}",
        "table_kind": d.kind,
        "title": table.title or None,
        "unit": unit_name(table.department) if table.department else ctx.identity.department,
        "source_unit": table.unit or "万元",
        "evidence": d.evidence or None,
        "sure": d.sure,
        "code_form": d.code_form,
        "header": list(d.labels),
        "cells_seen": seen,
        "cells_read": min(read, seen),
        **ctx.source(None, table),
    }


def _amount_lines(table: RawTable, d: TableDescription, ctx: Context, notes: list[Row]) -> Iterator[Row]:
    known = (d.kind, d.classification)
    labels = list(d.labels)
    if d.layout == "two_sided":
        yield from _two_sided(table, d, ctx)
    elif d.layout == "by_year":
        yield from by_year(table, labels, d.kind, ctx)
    elif d.layout == "single_row":
        yield from single_row(table, labels, known, ctx)
    else:
        body = data_rows(table)
        for block in d.blocks:
            for line in _coded_rows(table, body, block, known, ctx, notes):
                yield line | {"side": block.side}


def _coded_rows(
    table: RawTable,
    body: list[RawRow],
    block: Block,
    known: tuple[str | None, str],
    ctx: Context,
    notes: list[Row],
) -> Iterator[Row]:
    """Rows keyed by 预算单位 and 科目编码 (whole, split 类|款|项, bracketed, dash-joined, or none)."""
    columns = _measures(block.measures)
    unit = unit_name(table.department) if table.department else ctx.identity.department

    def cell(row: RawRow, c: int | None) -> str:
        return row.text(c) if c is not None else ""

    parts: list[str] = []  # the last 类 | 款 | 项 seen, to fill a split code printed at its own level only
    indents = sorted({_indent(r, block.name_col) for r in body if r.text(block.name_col or 0)})
    steps = {width: n + 1 for n, width in enumerate(indents)} if len(indents) > 1 else {}  # code-less levels
    for n, row in enumerate(body):
        unit_cell = cell(row, block.unit_col)
        if unit_cell and NOTE.match(clean(unit_cell)):
            notes.append({"kind": "footnote", "detail": clean(unit_cell), **ctx.source(row, table)})
            unit_cell = ""
        name = cell(row, block.name_col)
        if len(block.code_cols) > 1:
            code, parts = _split_code([cell(row, c) for c in block.code_cols], parts)
        else:
            code = squash(cell(row, block.code_cols[0])) if block.code_cols else ""
            code = code if CODE.match(code) else None
            if code is None:
                code, name, _ = split_code_name(name)
        if not code and not name:  # 合计 printed across the merged code (or other label) columns
            first = min((c for c, _ in columns), default=block.end)
            name = next((t for t in (row.text(c) for c in range(block.start, first)) if t and not t.isdigit()), "")
            name = name or _merged_label(row, block.start)
        if not (unit_cell or code or name) or not any(row.text(c) for c, _ in columns):
            continue
        row_kind = "line"
        if unit_cell and not code:
            unit = name = unit_name(unit_cell)
            row_kind = "total" if _TOTAL.search(name) or unit == unit_name(ctx.identity.department) else "unit_total"
        elif _TOTAL.search(squash(name)) and not code:
            row_kind = "total"
        labels = dict.fromkeys(clean(row.text(c)) for c in block.label_cols)  # a merged cell's text once
        detail = " · ".join(t for t in labels if t and t != clean(name)) or None
        base: Row = {"unit": unit, "code": code, "name": clean(name), "detail": detail, "row_kind": row_kind}
        if not code and row_kind == "line":
            base["level"] = _numbered_level(name) or steps.get(_indent(row, block.name_col))
        yield from _cells(row, n, columns, base, table, known, ctx)


def _merged_label(row: RawRow, start: int) -> str:
    """The label of a merged cell that spans into this block from the left (公用经费合计 printed
    across a side-by-side copy's code and name columns): the text before a run of covered cells."""
    if start >= len(row.cells) or row.cells[start] is not None:
        return ""
    c = start - 1
    while c >= 0 and c < len(row.cells) and row.cells[c] is None:
        c -= 1
    if c == start - 1 or c < 0:
        return ""
    text = row.text(c)
    return text if text and parse_amount(text) is None else ""


def _split_code(cells: list[str], last: list[str]) -> tuple[str | None, list[str]]:
    """A code split over 类 | 款 | 项: filled fully, mixed ('201 40 01' in one cell), or with only
    the row's own level ('06' on a 款 row, its 类 from the row above)."""
    texts = [squash(c) for c in cells]
    whole = next((t for t in texts if CODE.match(t) and len(t) > 3), None)
    if whole:
        return whole, [whole[:3], *(whole[i : i + 2] for i in range(3, len(whole), 2))]
    code = join_code(texts)
    if code:
        return code, [code[:3], *(code[i : i + 2] for i in range(3, len(code), 2))]
    filled = [i for i, t in enumerate(texts) if t]
    if len(filled) == 1 and texts[filled[0]].isdigit() and 0 < filled[0] <= len(last):
        i = filled[0]
        code = join_code([*last[:i], texts[i]])
        if code:
            return code, [*last[:i], texts[i].zfill(2)]
    return None, last


def _indent(row: RawRow, col: int | None) -> int:
    """How far a row's name is indented: leading spaces, a full-width space counting two."""
    text = (row.cells[col] or "") if col is not None and col < len(row.cells) else ""
    stripped = text.lstrip(" \u3000")
    return sum(2 if c == "\u3000" else 1 for c in text[: len(text) - len(stripped)])


def _numbered_level(name: str) -> int | None:
    """The level of a code-less row from its numbering: 一、 → 1, （一） → 2, 1. → 3, (1) → 4."""
    text = name.strip()
    return next((level for pattern, level in _NUMBERING if pattern.match(text)), None)


def _cells(
    row: RawRow,
    n: int,
    columns: list[tuple[int, str]],
    base: Row,
    table: RawTable,
    known: tuple[str | None, str],
    ctx: Context,
) -> Iterator[Row]:
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
            "level": _LEVEL.get(len(code)) if code else None,
            "parent": code[:-2] if code and len(code) > 3 else None,
            "measure": measure,
            "amount": to_wanyuan(value, table.unit),
            "amount_text": text,
            "source_unit": table.unit or "万元",
            **base,
            **ctx.source(row, table),
        }


def _two_sided(table: RawTable, d: TableDescription, ctx: Context) -> Iterator[Row]:
    """收支总表 laid out in blocks (income | expenditure, or more): each block its own run of lines."""
    body = data_rows(table)
    for block in d.blocks:
        columns = _measures(block.measures)
        for n, row in enumerate(body):
            name = squash(row.text(block.start))
            if not name:
                continue
            row_kind = "total" if _TOTAL.search(name) else "line"
            base: Row = {
                "unit": ctx.identity.department,
                "code": None,
                "name": clean(row.text(block.start)),
                "row_kind": row_kind,
            }
            base["level"] = _numbered_level(row.text(block.start)) if row_kind == "line" else None
            for line in _cells(row, n, columns, base, table, (d.kind, "none"), ctx):
                yield line | {"side": block.side}


def _measures(measures: tuple[tuple[int, str], ...]) -> list[tuple[int, str]]:
    """(column, measure) of a block; a measure already taken (two 增减额 under different groups;
    上年 | 当年 | 增减 blocks of the same items) keeps all its groups, so that the second column's
    figures are not read as the first's again, nor this year's as last year's."""
    out: list[tuple[int, str]] = []
    for c, label in measures:
        name = _measure(label)
        if any(m == name for _, m in out) and "·" in label:  # every group, the year's (当年) included
            name = "·".join(_measure(p) for p in label.split("·"))
        out.append((c, name))
    return out


def _measure(label: str) -> str:
    """A column's measure: the lowest header label (a 小计 keeps its group), without the filing's
    year (2023年预算数 → 预算数) or 其中：, so that editions of different years share measures."""
    parts = [re.sub(r"^(?:20\d\d年(?=.)|其中[:：])", "", p) for p in label.split("·")]
    return "·".join(parts[-2:]) if len(parts) > 1 and parts[-1] == "小计" else parts[-1]


def _units(lines: list[Row], ctx: Context) -> list[Row]:
    department = ctx.identity.department
    names = [department] + [l["unit"] for l in lines if l["row_kind"] == "unit_total"]
    return [
        {"doc_id": ctx.doc_id, "department": department, "unit": u, "is_own_level": "本级" in (u or "")}
        for u in dict.fromkeys(n for n in names if n)
    ]
