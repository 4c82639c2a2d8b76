"""Indicator rows, shared by every reader: the raw texts kept, the target parsed beside them."""

from __future__ import annotations

import re

from parsing.normalize import clean, squash
from parsing.readers.targets import judge, parse_target
from parsing.routes.raw import RawRow
from parsing.schema import LEVEL2, Row

_BLANK = {"", "不适用", "无"}
#: An operator printed in a cell of its own (指标性质 / 指标值类型): ≥ ≤ > < = and their words.
_OPERATOR = re.compile(r"^(?:[≥≤><=＝＞＜]=?|大于等于|小于等于|大于|小于|等于|不低于|不高于|不超过|不少于)$")


def indicator_row(
    project_id: str | None,
    unit: str | None,
    level1: str | None,
    level2: str | None,
    indicator: str | None,
    target: str | None,
    outcome: str | None,
    source: Row,
    weight: float | None = None,
    score: float | None = None,
) -> Row:
    """One row of the indicators frame: texts as printed, target parsed, verdict judged, and the
    分值 / 得分 a score form prints beside them."""
    parsed = parse_target(target)
    return {
        "project_id": project_id,
        "unit": unit,
        "level1": level1,
        "level2": level2,
        "indicator": indicator or None,
        "target": target or None,
        "outcome": outcome or None,
        "not_applicable": squash(indicator) in _BLANK and squash(target) in _BLANK and squash(outcome) in _BLANK,
        "target_kind": parsed.kind,
        "target_op": parsed.op,
        "target_value": parsed.value,
        "target_unit": parsed.unit,
        "weight": weight,
        "score": score,
        "verdict": judge(target, outcome),
        **source,
    }


#: Column roles of an indicator grid, by the words of its header cells (first match wins).
_ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("level1", ("一级指标",)),
    ("level2", ("二级指标",)),
    ("indicator", ("三级指标", "指标名称", "指标内容")),
    ("op", ("指标性质", "运算符", "指标值类型")),
    ("target", ("年度指标值", "本年绩效指标值", "本年指标值", "年度目标值", "目标值", "指标值")),
    ("unit", ("度量单位", "计量单位")),
    ("outcome", ("实际完成值", "全年实际值", "实际值", "完成值", "完成情况")),
    ("weight", ("指标分值", "分值", "权重", "满分")),
    ("score", ("自评得分", "指标得分", "得分")),
    ("reason", ("偏差原因", "原因分析", "改进措施")),
)


def indicator_columns(cells: list[str | None]) -> dict[str, int] | None:
    """The role of each column of an indicator grid's header row (一级指标 | 二级指标 | 三级指标 |
    年度指标值 | 实际完成值 …), or None when the row is not such a header."""
    texts = [squash(c) for c in cells]
    roles: dict[str, int] = {}
    for role, words in _ROLES:
        for word in words:
            hit = next((i for i, t in enumerate(texts) if word in t and i not in roles.values()), None)
            if hit is not None:
                roles[role] = hit
                break
    return roles if {"level1", "indicator"} <= roles.keys() or {"level2", "indicator"} <= roles.keys() else None


def level_name(text: str | None) -> str | None:
    """'产出指标' → '产出', '服务对象满意度指标' → '服务对象满意度'; blank → None."""
    name = squash(text).removesuffix("指标")
    return name or None


def indicator_grid(rows: list[RawRow], roles: dict[str, int]) -> list[Row]:
    """The rows under an indicator header as dicts (level1, level2, indicator, target, outcome,
    weight, score, reason, row). Level cells merged over a block are filled down, and a block's
    leading blank cells take the first label below them (a merged label printed mid-block)."""
    out: list[Row] = []
    for row in rows:
        item = grid_row(row, roles)
        if item is None:
            if out and not any(grid_text(row, roles).get(r) for r in ("target", "outcome")):
                break  # a closing row (总分, 评价等级) ends the grid
            continue
        out.append(item)
    for level in ("level1", "level2"):
        _fill(out, level)
    for item in out:
        if item["level1"] is None and item["level2"] in LEVEL2:
            item["level1"] = LEVEL2[item["level2"]]
    return out


def grid_text(row: RawRow, roles: dict[str, int]) -> dict[str, str]:
    """Each role's cell of ``row``, squashed ("" when blank or beyond the row)."""
    return {role: squash(row.cells[i]) if i < len(row.cells) and row.cells[i] else "" for role, i in roles.items()}


def grid_row(row: RawRow, roles: dict[str, int]) -> Row | None:
    """One indicator row read by its columns' roles (levels as printed, not filled down), or None
    when the row names no indicator. The target joins an operator and a unit printed in cells of
    their own (≥ | 80 | %); a 指标值类型 of 定性 / 定量 is no operator and is left out."""
    text = grid_text(row, roles)
    if not text.get("indicator"):
        return None
    op = text.get("op", "") if _OPERATOR.match(text.get("op", "")) else ""
    target = text.get("target", "")
    if target and (op or text.get("unit")):  # ≥ | 80 | % printed in three cells
        target = f"{op}{target}{text.get('unit', '')}"
    return {
        "level1": level_name(text.get("level1")),
        "level2": level_name(text.get("level2")),
        "indicator": clean(row.cells[roles["indicator"]]),
        "target": target or None,
        "outcome": text.get("outcome") or None,
        "weight": text.get("weight") or None,
        "score": text.get("score") or None,
        "reason": text.get("reason") or None,
        "row": row,
    }


def _fill(items: list[Row], key: str) -> None:
    first = next((i for i, item in enumerate(items) if item[key]), None)
    if first is None:
        return
    for item in items[:first]:
        item[key] = items[first][key]
    for prev, item in zip(items[first:], items[first + 1 :], strict=False):
        item[key] = item[key] or prev[key]
