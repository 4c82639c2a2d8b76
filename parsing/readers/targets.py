"""Indicator targets as printed (≥20, 不低于90%, 2023年12月31日前完成, 排名全市前三) → a
comparable form, and a verdict on the outcome.

The raw text is always kept beside the parse: the grammar of domain guide §6 covers the common
forms, and anything it cannot read is "qual" (a target) or "unparsed" (a verdict), never a guess.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from parsing.normalize import clean

_OPS = (  # the word nearest the number wins; on a tie the longer one, so 不低于 beats 低于
    (">=", ("≥", ">=", "≧", "不低于", "不少于", "不小于", "至少")),
    ("<=", ("≤", "<=", "≦", "不高于", "不超过", "不多于", "控制在")),
    (">", ("高于", "超过", "大于", ">")),
    ("<", ("低于", "小于", "少于", "<")),
    ("=", ("达到", "等于", "为", "=")),
)
_AFTER = (("以上", ">="), ("以内", "<="), ("以下", "<="))
#: A unit is a measure word or a metric unit (longest first, so 人次 is not read as 人), after an
#: optional magnitude (万人次, 亿元) and an optional 个 (个月, 个工作日, 个百分点): a compound is
#: read whole, so ≤12个月 is in 个月, never 个.
_BASE_UNITS = sorted(
    [
        "%",
        "‰",
        "百分点",
        "元",
        "亿",
        "万",
        "项",
        "条",
        "次",
        "人次",
        "户次",
        "车次",
        "架次",
        "场次",
        "人",
        "户",
        "名",
        "台",
        "套",
        "册",
        "卷",
        "处",
        "份",
        "辆",
        "件",
        "批",
        "家",
        "所",
        "座",
        "篇",
        "场",
        "期",
        "轮",
        "张",
        "本",
        "部",
        "株",
        "棵",
        "盏",
        "间",
        "宗",
        "课时",
        "学时",
        "分",
        "天",
        "日",
        "周",
        "月",
        "季度",
        "年",
        "小时",
        "分钟",
        "秒",
        "工作日",
        "平方米",
        "平方公里",
        "立方米",
        "公里",
        "千米",
        "米",
        "吨",
        "亩",
        "公顷",
    ],
    key=len,
    reverse=True,
)
_UNIT = re.compile(r"(?:[万亿千]?个?(?:" + "|".join(map(re.escape, _BASE_UNITS)) + r")|个)")
_MONEY = {"元": 1e-4, "万元": 1.0, "亿元": 1e4, "亿": 1e4}  # in 万元, so ≥1亿 compares with 1.2亿元
_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_DATE = re.compile(r"(20\d\d)年(?:(\d{1,2})月(?:份)?(?:(\d{1,2})[日号])?)?")
_DEADLINE = ("前", "底", "内", "完成", "之前")
_RANK = re.compile(r"([前第])(十|[一二三四五六七八九]|\d+)(名)?")
_RANK_WORDS = ("排名", "名列", "位列", "位居", "全市", "全区", "全省", "全国")
_NUMERALS = "一二三四五六七八九十"
_NA = {"", "不适用", "无", "/", "-", "—"}
_NEGATIVE = ("投诉率", "维修率", "成本控制率", "事故发生率", "差错率")
# ；/; always ends a clause; "1、" / "2." numbers one when it opens the text or follows a
# separator (NFKC has already turned ，； into ,;). "1.5%" is a decimal, not clause 1.
_NUMBERING = r"\d{1,2}(?:、|\.(?!\d))"
_CLAUSES = re.compile(rf";(?:{_NUMBERING})?|(?:^|(?<=[。,])){_NUMBERING}")


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


def _clauses(t: str) -> list[str]:
    return [c for c in _CLAUSES.split(t) if c] or [t]


def parse_target(text: str | None) -> Target:
    """The first clause of ``text`` that parses: a multi-indicator cell is filed under its first."""
    t = _normal(text)
    if t in _NA:
        return Target("na")
    for clause in _clauses(t):
        parsed = _parse_clause(clause)
        if parsed.kind != "qual":
            return parsed
    return Target("qual")


def _parse_clause(t: str) -> Target:
    return _date(t) or _rank(t) or next(_quants(t), Target("qual"))


def _date(t: str) -> Target | None:
    """A deadline: a year with a month, or a year followed by 前/底/内/完成 (2023年底前)."""
    m = next((m for m in _DATE.finditer(t) if m.group(2) or t[m.end() :].startswith(_DEADLINE)), None)
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2) or 12)
    if not 1 <= month <= 12:
        return None
    day = int(m.group(3) or calendar.monthrange(year, month)[1])
    op = "<=" if any(w in t[m.end() :] for w in _DEADLINE) else "="
    return Target("date", op, float(year * 10000 + month * 100 + day))


def _rank(t: str) -> Target | None:
    """前三 / 第一 count as a rank only after 排名, 全市 … or before 名: 第一季度 is not one."""
    for m in _RANK.finditer(t):
        if m.group(3) or any(w in t[: m.start()] for w in _RANK_WORDS):
            n = m.group(2)
            rank = _NUMERALS.index(n) + 1 if n in _NUMERALS else int(n)
            return Target("rank", "<=" if m.group(1) == "前" else "=", float(rank))
    return None


def _quants(t: str) -> Iterator[Target]:
    """Every number in ``t`` with its operator and unit; a year (2023年度…) is context, not a value."""
    for m in _NUMBER.finditer(t):
        after = t[m.end() :]
        if re.fullmatch(r"20\d\d", m.group()) and after.startswith("年"):
            continue
        hit = _UNIT.match(after)
        unit = hit.group() if hit else None
        rest = after[len(unit or "") :][:3]
        op = next((o for word, o in _AFTER if word in rest), None) or _op_before(t[: m.start()][-6:])
        yield Target("quant", op or "=", float(m.group().replace(",", "")), unit)


def _op_before(window: str) -> str | None:
    found = [(window.rfind(w) + len(w), len(w), op) for op, words in _OPS for w in words if w in window]
    return max(found)[2] if found else None


def judge(target: str | None, outcome: str | None) -> str:
    """What an analyst concludes from a target and its outcome (§5.5), clause by clause when
    both list the same number of clauses: met | missed | overachieved (numbers compared);
    likely_met | likely_missed (no numbers to compare, the outcome's words say done or not done);
    as_target | identical (the outcome restates a target); no_target (the target is a name with
    no value, the outcome a figure); no_outcome (left blank); na (不适用); unparsed."""
    t, o = _normal(target), _normal(outcome)
    if t in _NA:
        return "na"
    if o in _NA:
        return "no_outcome" if not o else "na"
    if t == o:
        return "identical"
    tc, oc = _clauses(t), _clauses(o)
    pairs = list(zip(tc, oc, strict=False)) if len(tc) == len(oc) > 1 else [(t, o)]
    verdicts = {_judge_clause(a, b) for a, b in pairs}
    return next((v for v in _WEAKEST_FIRST if v in verdicts), "met")


_WEAKEST_FIRST = ("missed", "likely_missed", "as_target", "unparsed", "no_target", "likely_met", "overachieved")
_DONE: tuple[str, ...] = (
    "完成",
    "达到",
    "达成",
    "实现",
    "顺利",
    "按时",
    "按期",
    "如期",
    "及时",
    "保障",
    "有效",
    "提升",
    "提高",
    "正常",
)
_DONE += (
    "满意",
    "合格",
    "通过",
    "落实",
    "到位",
    "已授权",
    "稳定运行",
    "得到",
    "开展",
    "按计划",
    "按照工作计划",
    "较高",
    "良好",
)
_NOT_DONE = re.compile(
    r"未(?:完成|达到|达成|能|按|实现|开展|及时|落实|到位)|没有(?:完成|达到)|尚未|滞后|延期|推迟|暂缓|部分完成|不达标|无法"
)
_BARE = re.compile(r"\d+(?:\.\d+)?")


def _judge_clause(t: str, o: str) -> str:
    """An outcome with its own operator is as_target even beside a target with no value (§5.5)."""
    target = parse_target(t)
    if target.kind in ("quant", "qual"):
        actual = _matching_quant(target, o)
        if actual is not None and actual.op != "=":
            return "as_target"
        if actual is None and target.unit and _BARE.fullmatch(o):  # ≤100% against a bare 93.47
            actual = Target("quant", "=", float(o), target.unit)
    else:
        actual = _date(o) if target.kind == "date" else _rank(o)
    if target.value is None or actual is None or actual.value is None:
        return _without_numbers(target, t, o)
    if target.kind != "quant":
        return "met" if actual.value <= target.value else "missed"  # earlier / higher is better
    value = actual.value
    if target.unit in _MONEY and actual.unit in _MONEY:
        value *= _MONEY[actual.unit or ""] / _MONEY[target.unit or ""]
    return _compare(target, value, t + o)


def _without_numbers(target: Target, t: str, o: str) -> str:
    """No two numbers to compare. A rate reported at 100% meets whatever its target was (a
    positive rate cannot go higher); else the outcome's own words say done or not done (the
    qualitative band of §3.4); else a target that is only a name cannot be compared (§5.5)."""
    rates = [q.value for q in _quants(o) if q.unit == "%"]
    if target.kind == "qual" and rates and all(r == 100 for r in rates) and not _is_negative(t + o):
        return "met"
    if _NOT_DONE.search(o):
        return "likely_missed"
    if any(w in o for w in _DONE):
        return "likely_met"
    if target.kind == "qual" and next(_quants(o), None) is not None:
        return "no_target"
    return "unparsed"


def _is_negative(text: str) -> bool:
    return any(w in text for w in _NEGATIVE) or bool(re.search(r"(?:发生|投诉|差错|故障|失误|违规)\S{0,2}率", text))


def _matching_quant(target: Target, o: str) -> Target | None:
    """The outcome's first number in the target's unit (any number when the target has none)."""
    for actual in _quants(o):
        if target.unit is None or actual.unit == target.unit:
            return actual
        if target.unit in _MONEY and actual.unit in _MONEY:
            return actual
    return None


def _compare(target: Target, actual: float, texts: str) -> str:
    """Polarity from the operator; "= x" is negative only for names like 投诉率 (§6.2 step 5)."""
    value = target.value or 0.0
    negative = target.op in ("<=", "<") or (target.op == "=" and _is_negative(texts))
    if negative:
        return "met" if (actual < value if target.op == "<" else actual <= value) else "missed"
    if actual < value or (target.op == ">" and actual == value):
        return "missed"
    return "overachieved" if value > 0 and actual >= 1.5 * value else "met"
