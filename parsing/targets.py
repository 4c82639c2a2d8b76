"""Indicator targets as printed (≥20, 不低于90%, 2023年12月31日前完成, 排名全市前三) → a
comparable form, and a verdict on the outcome.

The raw text is always kept beside the parse: the grammar of domain guide §6 covers the common
forms, and anything it cannot read is "qual" (a target) or "unparsed" (a verdict), never a guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from parsing.normalize import clean

_OPS = (  # longest words first, so 不低于 is not read as 低于
    (">=", ("≥", ">=", "≧", "不低于", "不少于", "不小于", "至少")),
    ("<=", ("≤", "<=", "≦", "不高于", "不超过", "不多于", "控制在")),
    (">", ("高于", "超过", "大于", ">")),
    ("<", ("低于", "小于", "少于", "<")),
    ("=", ("达到", "等于", "为", "=")),
)
_AFTER = (("以上", ">="), ("以内", "<="), ("以下", "<="))
_UNITS = sorted("% ‰ 个百分点 亿元 万元 元 亿 万 个 项 条 次 人次 人 台 套 册 卷 处 份 辆 件 批 家 天 日 月 年 "
                "小时 工作日 平方米".split(), key=len, reverse=True)
_NUMBER = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)")
_DATE = re.compile(r"(20\d\d)年(?:(\d{1,2})月(?:(\d{1,2})日)?)?")
_RANK = re.compile(r"(?:前|第)([一二三四五六七八九十]|\d+)")
_NUMERALS = "一二三四五六七八九十"
_NA = {"", "不适用", "无", "/", "-", "—"}
_NEGATIVE = ("投诉率", "维修率", "成本控制率", "事故发生率", "差错率")
_CLAUSES = re.compile(r"[；;]|(?:^|(?<=[。，,；;]))\s*\d+[、.．]")


@dataclass(frozen=True)
class Target:
    """A target read from its text: kind quant | date | rank | qual | na."""

    kind: str
    op: str | None = None
    value: float | None = None
    unit: str | None = None


def _normal(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", clean(text)).replace("百分比", "%")
    return re.sub(r"\s+", "", text)


def parse_target(text: str | None) -> Target:
    """The first clause of ``text`` that parses, as (kind, op, value, unit)."""
    t = _normal(text)
    if t in _NA:
        return Target("na")
    for clause in _clauses(t):
        parsed = _parse_clause(clause)
        if parsed.kind != "qual":
            return parsed
    return Target("qual")


def _clauses(t: str) -> list[str]:
    return [c for c in _CLAUSES.split(t) if c] or [t]


def _parse_clause(t: str) -> Target:
    if (m := _DATE.search(t)) and ("前" in t[m.end():m.end() + 2] or "完成" in t or m.group(2)):
        y, mo, d = int(m.group(1)), int(m.group(2) or 12), int(m.group(3) or 31)
        return Target("date", "<=" if "前" in t or "完成" in t else "=", float(y * 10000 + mo * 100 + d))
    if (m := _RANK.search(t)) and "排名" in t or (m and "第" in t and "名" in t):
        value = m.group(1)
        rank = _NUMERALS.index(value) + 1 if value in _NUMERALS else int(value)
        return Target("rank", "<=" if "前" in m.group(0) else "=", float(rank))
    m = _NUMBER.search(t)
    if not m:
        return Target("qual")
    before, after = t[: m.start()], t[m.end():]
    op = next((op for op, words in _OPS if any(before.endswith(w) or w in before[-4:] for w in words)), None)
    op = next((o for word, o in _AFTER if word in after[:6]), op) or "="
    unit = next((u for u in _UNITS if after.startswith(u)), None)
    return Target("quant", op, float(m.group(1).replace(",", "")), unit)


def _has_own_operator(text: str) -> bool:
    return any(w in text for _, words in _OPS[:4] for w in words) or any(w in text for w, _ in _AFTER)


def judge(target: str | None, outcome: str | None) -> str:
    """met | missed | overachieved | as_target | identical | unparsed | na for a target and
    its outcome; clause by clause when both list the same number of clauses."""
    t, o = _normal(target), _normal(outcome)
    if t in _NA:
        return "na"
    if not o or o in _NA:
        return "unparsed"
    if t == o:
        return "identical"
    tc, oc = _clauses(t), _clauses(o)
    pairs = list(zip(tc, oc)) if len(tc) == len(oc) > 1 else [(t, o)]
    verdicts = [_judge_clause(a, b, t) for a, b in pairs]
    for verdict in ("missed", "as_target", "unparsed", "overachieved"):
        if verdict in verdicts:
            return verdict
    return "met"


def _judge_clause(t: str, o: str, whole: str) -> str:
    target = parse_target(t)
    if target.kind == "qual":
        return "unparsed"
    if _has_own_operator(o):
        return "as_target"
    actual = _parse_clause(o)
    if actual.kind != target.kind or actual.value is None or target.value is None:
        return "unparsed"
    if target.kind == "quant" and actual.unit != target.unit and None not in (actual.unit, target.unit):
        return "unparsed"
    a, v = actual.value, target.value
    if target.kind == "rank" or target.kind == "date":
        return "met" if a <= v else "missed"
    negative = target.op in ("<=", "<") or any(w in whole for w in _NEGATIVE)
    if negative:
        return "met" if (a <= v if target.op != "<" else a < v) else "missed"
    if target.op == "=" and a < v or target.op in (">=", ">") and (a < v or target.op == ">" and a == v):
        return "missed"
    return "overachieved" if target.op in (">=", ">") and v > 0 and a >= 1.5 * v else "met"
