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


@dataclass
class Score:
    """A score form's figures: its printed 总分 (and what it is out of), the parts it is made of —
    资金 and 指标, each (label, 得分, 分值) — and whether the parts add up to the printed total."""

    total: float | None
    total_weight: float | None
    parts: list[tuple[str, float | None, float | None]]
    summed: float

    @property
    def differs(self) -> bool:
        return self.total is not None and abs(self.total - self.summed) > 0.011


def score_summary(project: Row, indicators: pl.DataFrame) -> Score | None:
    """What a score form says of its score, or None when it prints none (a budget, a 自评表
    without 分值/得分): the indicators' 得分 and 分值 are summed, the 资金 part is as printed."""
    scored = indicators.filter(pl.col("score").is_not_null())
    if project.get("score_total") is None and project.get("funds_score") is None and scored.is_empty():
        return None
    parts: list[tuple[str, float | None, float | None]] = []
    if project.get("funds_score") is not None or project.get("funds_weight") is not None:
        parts.append(("资金", project.get("funds_score"), project.get("funds_weight")))
    if not scored.is_empty():
        weights = scored["weight"].drop_nulls()
        weight = round(float(weights.sum()), 6) if len(weights) == scored.height else None
        parts.append(("指标", round(float(scored["score"].sum()), 6), weight))
    summed = round(sum(got or 0.0 for _, got, _ in parts), 6)
    return Score(project.get("score_total"), project.get("weight_total"), parts, summed)


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
