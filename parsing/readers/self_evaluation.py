"""Reader for 预算项目绩效自评表: one row per project, 30 logical columns (domain guide §3.4).

Two quirks decide the shape of this module. The 部门名称 cell is merged over a block of rows and
its text lands on one row of each page, so a block's unit is the one name printed anywhere in it
(a block ends at a 小计 row or where 序号 restarts). And indicator cells shift: a horizontally
merged cell swallows a 完成情况, a stray 不适用 pair pushes the rest right. So the indicator cells
are aligned to the seven (年度指标内容, 完成情况) slots by trying every placement of merges and
stray pairs and keeping the one whose pairs read most like target/outcome pairs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import polars as pl

from parsing import schema
from parsing.normalize import clean, squash, unit_name
from parsing.numbers import parse_amount, parse_percent, to_wanyuan
from parsing.readers.context import Context
from parsing.readers.indicators import indicator_row
from parsing.routes.raw import RawDocument, RawRow, RawTable
from parsing.schema import Row

#: The seven indicator slots of the Longgang form, in print order: (一级, 二级).
SLOTS = (
    ("产出", "数量"),
    ("产出", "质量"),
    ("产出", "时效"),
    ("效益", "经济效益"),
    ("效益", "社会效益"),
    ("效益", "生态效益"),
    ("满意度", "服务对象满意度"),
)
FIRST_INDICATOR = 14  # 序号, 部门名称, 项目名称, 4 budget, 4 actual, 执行率, 目标, 完成情况
_NA = {"不适用", "无", ""}
_PUNCT = re.compile(r"[\W\d_a-zA-Z]+")


def read_self_evaluation(doc: RawDocument, ctx: Context) -> dict[str, pl.DataFrame]:
    """Projects, subtotals, units and indicators of a 自评表."""
    projects: list[Row] = []
    indicators: list[Row] = []
    for table in doc.tables:
        rows = [r for r in table.body() if _kind(r) is not None]
        for unit, block in _blocks(rows):
            for row in block:
                pairs, rest = _align(_indicator_cells(row)) if _kind(row) == "project" else ([], [])
                project = _project(row, unit, table, ctx, len(projects)) | _problems(rest)
                projects.append(project)
                indicators.extend(_indicators(row, pairs, project, table, ctx))
    units = sorted({p["unit"] for p in projects if p["unit"]}, key=[p["unit"] for p in projects].index)
    department = ctx.identity.department
    return {
        "projects": schema.frame("projects", projects),
        "indicators": schema.frame("indicators", indicators),
        "units": schema.frame(
            "units",
            [{"doc_id": ctx.doc_id, "department": department, "unit": u, "is_own_level": "本级" in u} for u in units],
        ),
    }


def _kind(row: RawRow) -> str | None:
    """project | subtotal | total, from the 序号 cell; None for rows that are neither."""
    seq = squash(row.text(0))
    if seq.isdigit() and squash(row.text(2)):
        return "project"
    if "小计" in seq:
        return "subtotal"
    if "合计" in seq or "总计" in seq:
        return "total"
    return None


def _blocks(rows: list[RawRow]) -> Iterator[tuple[str | None, list[RawRow]]]:
    """Runs of rows sharing one merged 部门名称 cell, each with that unit's name."""
    block: list[RawRow] = []
    for row in rows:
        kind = _kind(row)
        restarts = (
            kind == "project"
            and block
            and _kind(block[-1]) == "project"
            and (int(squash(row.text(0))) <= int(squash(block[-1].text(0))))
        )
        if restarts:
            yield _unit_of(block), block
            block = []
        block.append(row)
        if kind != "project":
            yield _unit_of(block), block
            block = []
    if block:
        yield _unit_of(block), block


def _unit_of(block: list[RawRow]) -> str | None:
    names = [unit_name(r.text(1)) for r in block if r.text(1)]
    return names[0] if names else None


def _project(row: RawRow, unit: str | None, table: RawTable, ctx: Context, n: int) -> Row:
    kind = _kind(row)
    scale = table.unit or "万元"
    amounts = [to_wanyuan(parse_amount(row.text(i)), scale) for i in range(3, 11)]
    seq = squash(row.text(0))
    return {
        "project_id": f"{ctx.doc_id}:{n}",
        "unit": unit,
        "seq": int(seq) if seq.isdigit() else None,
        "name": clean(row.text(2)) if kind == "project" else seq,
        "row_kind": kind,
        **dict(zip(schema.PROJECT_AMOUNTS, amounts, strict=False)),
        "exec_rate": parse_percent(row.text(11)),
        "exec_rate_text": clean(row.text(11)) or None,
        "goal": clean(row.text(12)) or None,
        "outcome": clean(row.text(13)) or None,
        "source_unit": scale,
        "raw_cells": [c or "" for c in row.cells],
        **ctx.source(row, table),
    }


def _problems(rest: list[str]) -> Row:
    """项目执行中存在的问题 and 整改情况: the cells after the indicators (blank stays None)."""
    rest = rest + [""] * (2 - len(rest))
    return {"problems": clean(rest[0]) or None, "rectification": clean(rest[1]) or None}


def _indicators(
    row: RawRow, pairs: list[tuple[str, str | None]], project: Row, table: RawTable, ctx: Context
) -> Iterator[Row]:
    for (level1, level2), (target, outcome) in zip(SLOTS, pairs, strict=False):
        target = clean(target)
        yield indicator_row(
            project["project_id"],
            project["unit"],
            level1,
            level2,
            target,
            target,
            clean(outcome) if outcome is not None else None,
            ctx.source(row, table),
        )


def _indicator_cells(row: RawRow) -> list[str]:
    """Cells from the first indicator on, merged-over cells (None) and trailing blanks dropped."""
    cells = [c for c in row.cells[FIRST_INDICATOR:] if c is not None]
    while cells and not cells[-1].strip():
        cells.pop()
    return cells


# Each slot takes its cells one of three ways: a (target, outcome) pair; one merged cell; or a
# stray 不适用 pair followed by the real pair. Scores add up slot by slot, so the best placement is
# found by dynamic programming over (slot, cells used) rather than by trying all 3⁷ placements.


def _align(cells: list[str]) -> tuple[list[tuple[str, str | None]], list[str]]:
    """The best placement of ``cells`` into the seven slots, and the cells left (问题, 整改)."""
    # best[i] = (score, pairs) of the best placement of the slots so far that used i cells
    best: dict[int, tuple[float, list[tuple[str, str | None]]]] = {0: (0.0, [])}
    for _, level2 in SLOTS:
        nxt: dict[int, tuple[float, list[tuple[str, str | None]]]] = {}
        for i, (score, pairs) in best.items():
            for used, gain, pair in _ways(cells, i, level2):
                total = score + gain
                if i + used not in nxt or total > nxt[i + used][0]:
                    nxt[i + used] = (total, [*pairs, pair])
        best = nxt
    ends = [(score - 0.3 * (2 - (len(cells) - i)), i) for i, (score, _) in best.items() if 0 <= len(cells) - i <= 2]
    if not ends:  # fewer cells than slots, or too many: fill what there is, in order
        padded = cells + [""] * (2 * len(SLOTS) - len(cells))
        return [(padded[2 * i], padded[2 * i + 1]) for i in range(len(SLOTS))], []
    _, i = max(ends)
    return best[i][1], cells[i:]


def _ways(cells: list[str], i: int, level2: str) -> list[tuple[int, float, tuple[str, str | None]]]:
    """(cells used, score, (target, outcome)) for each way slot ``level2`` can take cells from i."""
    out: list[tuple[int, float, tuple[str, str | None]]] = []
    if i + 2 <= len(cells):
        a, b = cells[i], cells[i + 1]
        out.append((2, _similar(a, b) + _anchor(level2, a, b), (a, b)))
        if i + 4 <= len(cells) and all(squash(c) in _NA for c in cells[i : i + 2]):
            a, b = cells[i + 2], cells[i + 3]
            out.append((4, _similar(a, b) + _anchor(level2, a, b) - 0.5, (a, b)))
    if i + 1 <= len(cells):
        out.append((1, _anchor(level2, cells[i], None) - 0.6, (cells[i], None)))
    return out


def _anchor(level2: str, a: str, b: str | None) -> float:
    """Evidence that a pair sits in its slot: 不适用 pairs, 满意 in the satisfaction slot."""
    na = [squash(x) == "不适用" for x in (a, b) if x is not None]
    score = 0.5 if b is not None and all(na) else (-1.0 if any(na) and not all(na) else 0.0)
    if level2 == "生态效益" and b is not None and all(na):
        score += 0.5
    if level2 == "服务对象满意度" and "满意" in a + (b or ""):
        score += 1.0
    return score


def _similar(a: str, b: str) -> float:
    """Share of characters the two texts have in common (a target and its outcome echo each other)."""
    sa, sb = set(_PUNCT.sub("", a)), set(_PUNCT.sub("", b))
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)
