"""Indicator rows, shared by every reader: the raw texts kept, the target parsed beside them."""

from __future__ import annotations

from parsing.normalize import squash
from parsing.readers.targets import judge, parse_target

LEVEL1 = ("产出", "效益", "满意度")
#: 二级指标 → its 一级指标.
LEVEL2 = {
    "数量": "产出",
    "质量": "产出",
    "时效": "产出",
    "成本": "产出",
    "经济效益": "效益",
    "社会效益": "效益",
    "生态效益": "效益",
    "可持续影响": "效益",
    "服务对象满意度": "满意度",
    "其他满意度": "满意度",
    "满意度": "满意度",
}
_BLANK = {"", "不适用", "无"}


def indicator_row(
    project_id: str | None,
    unit: str | None,
    level1: str | None,
    level2: str | None,
    indicator: str | None,
    target: str | None,
    outcome: str | None,
    source: dict,
) -> dict:
    """One row of the indicators frame: texts as printed, target parsed, verdict judged."""
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
        "verdict": judge(target, outcome),
        **source,
    }
