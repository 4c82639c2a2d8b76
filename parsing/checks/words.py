"""Words against numbers: 增加/减少/持平 and 大于/小于/等于/基本持平 read against the figures
they describe.

Scope: the 情况说明 of 部门预算, 单位预算 and 部门决算. A 决算's '年初预算为 A，支出决算为 B …
决算数小于预算数' (B against A, as printed in the same paragraph); a stated change '比 2024 年预算
增加 X 万元' against last year's filing of the same department when it is loaded (its figure for
the same subject, looked up the same way as this year's); a change and its rate pointing the same
way ('增加 … 下降' cannot both hold); and a reason ('…增加的主要原因') that follows the
direction stated just before.
"""

from __future__ import annotations

import re

import polars as pl

from parsing.checks.base import Rule, finding, grade, page, step_of
from parsing.checks.prose import NUM, Clause, clauses, lookup, to_wan
from parsing.library import Library
from parsing.numbers import format_number
from parsing.schema import Row

UP, DOWN = ("增加", "增长", "上升", "提高", "增幅"), ("减少", "下降", "降低", "减幅")
_RELATION = re.compile(
    rf"年初预算为?{NUM}(万元|亿元|元)[，,]?支出决算为?{NUM}(万元|亿元|元)(?:(?!年初预算为).){{0,40}}?决算数?(大于|小于|等于|与年初预算数?基本持平|与预算数?基本持平|基本持平|持平|略[大小]于)"
)
_CHANGE = re.compile(
    rf"(?:比|较|与)(?:(20\d\d)年度?|上年度?)(?:年初)?(?:预算|决算)?(?:数|相比)?(?:为?{NUM}(万元|亿元|元))?[，,]?([^，。；\d]{{0,12}}?)(增加|减少|增长|下降|持平|基本持平)(?:{NUM}(万元|亿元|元))?(?:[，,](增长|下降|增加|减少|增幅|减幅)为?{NUM}%)?"
)
_CURRENT = re.compile(rf"([^，。；：:\d]{{2,24}}?)(?:预算数?|决算数?)?(?:为|是)?{NUM}(万元|亿元|元)[，,。]?$")
_REASON = re.compile(r"(增加|减少|增长|下降)的主要原因")


def _sign(word: str) -> int:
    return 1 if word in UP else -1 if word in DOWN else 0


def _relations(clause: Clause) -> list[Row]:
    """决算数大于/小于/等于预算数 against the two figures printed before it in the paragraph."""
    out: list[Row] = []
    if not clause.paragraph.startswith(clause.text):  # once per paragraph, at its first clause
        return out
    for m in _RELATION.finditer(clause.paragraph):
        a, au, b, bu, word = m.groups()
        budget, actual = to_wan(a, au), to_wan(b, bu)
        slack = (step_of(a, au) + step_of(b, bu)) / 2
        diff = actual - budget
        if "持平" in word or word == "等于":
            wrong = abs(diff) > max(slack, 0.05 * abs(budget)) if "基本" in word else abs(diff) > slack
        elif word.endswith("大于"):
            wrong = diff <= slack
        else:
            wrong = diff >= -slack
        if wrong:
            out.append(
                finding(
                    WORDS,
                    "error",
                    clause.at,
                    rows=f"说明 决算数{word}预算数",
                    expected=budget,
                    actual=actual,
                    message=f"说明写“决算数{word}预算数”，而年初预算 {a}{au}、支出决算 {b}{bu}（{page(clause.at)}）",
                )
            )
    return out


def _changes(lib: Library) -> list[Row]:
    """'比 2024 年（预算）增加 X 万元，增长 Y%': the subject's figure minus X against last year's
    filing (same subject, same 口径 lookup), a change and its rate pointing one way, and a reason
    that follows the direction just stated. Scope: every clause of the 情况说明."""
    out: list[Row] = []
    lines_by_doc = {d: g for (d,), g in lib.budget_lines.group_by("doc_id")}
    docs = lib.documents.select("doc_id", "department", "year", "kind")
    last_direction: dict[str, int] = {}
    told: dict[tuple[str, str, str], tuple[int, str]] = {}
    for clause in clauses(lib):
        out += _relations(clause)
        doc_id = clause.doc["doc_id"]
        for m in _CHANGE.finditer(clause.text):
            year, before_amount, before_unit, _, word, amount, unit, rate_word, rate = m.groups()
            year = year or str((clause.doc["year"] or 1) - 1)  # 上年: the year before the filing's
            direction = _sign(word)
            current = _CURRENT.search(clause.text[: m.start()])
            if rate_word and amount and _sign(rate_word) != direction and direction:
                out.append(_contradiction(clause, f"{word}{amount}{unit}，{rate_word}{rate}%"))
            elif current and before_amount and (amount or "持平" in word):
                out += _against_printed(clause, current, (before_amount, before_unit), (word, amount, unit), m)
            if direction:
                last_direction[doc_id] = direction
            if direction and amount:
                # The same change (year and amount) told twice must point the same way.
                key = (doc_id, year, amount)
                before = told.setdefault(key, (direction, m.group(0)))
                if before[0] != direction:
                    out.append(_contradiction(clause, f"前文“{before[1]}”，此处“{m.group(0)}”"))
            if not current or (amount is None and "持平" not in word):
                continue
            subject, now, now_unit = current.groups()
            change = 0.0 if "持平" in word else to_wan(amount, unit) * direction
            step = step_of(amount or now, unit or now_unit)
            out += _against_last_year(
                lib, docs, lines_by_doc, clause, (subject, now, now_unit), change, step, int(year), m
            )
        for m in _REASON.finditer(clause.text):
            stated = last_direction.get(doc_id)
            if stated and _sign(m.group(1)) != stated:
                out.append(_contradiction(clause, f"前文为{'增加' if stated > 0 else '减少'}，此处写“{m.group(0)}”"))
    return out


def _against_printed(
    clause: Clause,
    current: re.Match[str],
    before: tuple[str, str],
    stated: tuple[str, str | None, str | None],
    m: re.Match[str],
) -> list[Row]:
    """'收入预算 B 万元，比 2025 年年初预算数 A 万元增加 X 万元': the stated change against B − A,
    both printed in the clause (its direction and its size, within the rounding of the three)."""
    _, now, now_unit = current.groups()
    word, amount, unit = stated
    last = to_wan(*before)
    diff = round(to_wan(now, now_unit) - last, 6)
    change = 0.0 if amount is None else to_wan(amount, unit or "万元") * _sign(word)
    tolerance = step_of(now, now_unit) + step_of(before[0], before[1]) + step_of(amount or now, unit or now_unit)
    if grade(diff, change, tolerance) != "error":
        return []
    return [
        finding(
            WORDS,
            "error",
            clause.at,
            rows="说明 增减额",
            expected=diff,
            actual=change,
            tolerance=tolerance,
            message=f"说明写“{m.group(0)}”，而本年 {now}{now_unit} 与上年 {before[0]}{before[1]} 之差为"
            f" {format_number(diff, decimals=4)} 万元（{page(clause.at)}）",
        )
    ]


def _contradiction(clause: Clause, what: str) -> Row:
    return finding(
        WORDS,
        "error",
        clause.at,
        rows="说明 增减方向",
        message=f"增减方向自相矛盾：{what}（{page(clause.at)}）",
    )


def _against_last_year(
    lib: Library,
    docs: pl.DataFrame,
    lines_by_doc: dict[str, pl.DataFrame],
    clause: Clause,
    quoted: tuple[str, str, str],
    change: float,
    change_step: float,
    year: int,
    m: re.Match[str],
) -> list[Row]:
    """This year's quoted figure minus the stated change, against last year's filing."""
    subject, now, now_unit = quoted
    doc = clause.doc
    if year != doc["year"] - 1:
        return []
    last = docs.filter(pl.col("department") == doc["department"], pl.col("year") == year, pl.col("kind") == doc["kind"])
    if last.is_empty():
        return []
    lines = lines_by_doc.get(last["doc_id"][0])
    start = re.search(r"收入|支出|财政拨款|一般公共|基本|项目|人员|公用|三公|“三公|因公|公务|机关", subject)
    subject = subject[start.start() :] if start else subject
    row = lookup(lines, subject, doc["kind"] == "部门决算", year) if lines is not None else None
    if row is None:
        return []
    implied = to_wan(now, now_unit) - change
    tolerance = step_of(now, now_unit) + change_step / 2 + 1e-6
    if grade(row["amount"], implied, tolerance) != "error":
        return []
    return [
        finding(
            WORDS,
            "error",
            clause.at,
            rows=f"说明 {subject} 比{year}年",
            expected=row["amount"],
            actual=implied,
            tolerance=tolerance,
            message=f"说明：{subject} {now}{now_unit}，“{m.group(0)}”，推得{year}年 {format_number(implied, decimals=4)} 万元"
            f"（{page(clause.at)}）；{year}年文件 {row['source_table']}：{format_number(row['amount'], decimals=4)} 万元（{page(row)}）",
            other=row,
        )
    ]


WORDS = Rule("T-WORD", "文中增减、大小用词与数字相符", "Words of change agree with the numbers", _changes, "words")
WORD_RULES = (WORDS,)
