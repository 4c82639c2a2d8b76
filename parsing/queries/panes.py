"""What the reading panes show, as plain rows: a project with its indicators grouped 产出 · 效益 ·
满意度, a filing's overall targets, a narrative part. The panes only lay these out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from parsing.library import Library
from parsing.schema import LEVEL1, LEVEL2

Row = dict[str, Any]


@dataclass
class IndicatorGroups:
    """Applicable indicators by 一级指标 (in 产出 · 效益 · 满意度 order, others after), each sorted by
    二级指标 in the order the forms print them; 不适用 ones apart."""

    groups: list[tuple[str, list[Row]]] = field(default_factory=list)
    not_applicable: list[Row] = field(default_factory=list)

    def __len__(self) -> int:
        return sum(len(rows) for _, rows in self.groups) + len(self.not_applicable)


def group_indicators(indicators: pl.DataFrame) -> IndicatorGroups:
    rows = indicators.to_dicts()
    applicable = [r for r in rows if not r["not_applicable"]]
    order = {name: i for i, name in enumerate(LEVEL2)}
    out = IndicatorGroups(not_applicable=[r for r in rows if r["not_applicable"]])
    for level1 in [*LEVEL1, *sorted({r["level1"] or "" for r in applicable} - set(LEVEL1))]:
        group = sorted(
            (r for r in applicable if (r["level1"] or "") == level1), key=lambda r: order.get(r["level2"] or "", 99)
        )
        if group:
            out.groups.append((level1, group))
    return out


def project(
    lib: Library, project_id: str | None, doc_id: str | None = None
) -> tuple[Row, IndicatorGroups, pl.DataFrame]:
    """A project's row, its indicators grouped, and the indicators as printed (for copying);
    ``doc_id``, its filing, when known: then only that filing's projects are read."""
    projects = lib.projects if doc_id is None else lib.frame("projects", doc_id)
    row = projects.filter(pl.col("project_id") == project_id).row(0, named=True)
    indicators = lib.indicators_of(row["doc_id"]).filter(pl.col("project_id") == project_id)
    return row, group_indicators(indicators), indicators


def overall_targets(lib: Library, doc_id: str | None) -> tuple[list[str], IndicatorGroups]:
    """A filing's 年度总体目标 texts and its indicators that belong to no project."""
    indicators = lib.indicators_of(doc_id).filter(pl.col("project_id").is_null())
    goals = lib.sections_of(doc_id).filter(pl.col("part_no").is_null() & (pl.col("heading") == "年度总体目标"))
    return goals["text"].to_list(), group_indicators(indicators)


def part(lib: Library, doc_id: str | None, part_no: int | None) -> list[Row]:
    """The sections of one narrative part, in print order."""
    return lib.sections_of(doc_id).filter(pl.col("part_no") == part_no).to_dicts()


def filing_ids(lib: Library, department: str) -> list[str]:
    """Every doc_id of a department."""
    return lib.documents.filter(pl.col("department") == department)["doc_id"].to_list()
