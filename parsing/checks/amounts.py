"""The narrative's amounts and shares against the tables, and amounts 10⁴× off (万元 written 元).

Scope: the 情况说明 of 部门预算, 单位预算 and 部门决算, each clause that names a subject the
tables print (收入/支出总计, 本年收入/支出合计, 财政拨款, 基本支出 with 人员/公用经费, 项目支出,
each 功能分类 类 and 项 by its printed chain, 三公 and its parts, 机关运行经费); 口径 as the
subject says (一般公共预算财政拨款 → the 功能分类 table, 全部资金 → 收入/支出总表). In a 决算 a
subject's 年初预算 is compared with the table's 预算数 column where it has one, its 决算数 with the
决算数. A clause that names nothing the tables print is not checked.
"""

from __future__ import annotations

import math
import re

import polars as pl

from parsing.checks.base import Rule, finding, grade, page, step_of, unchecked
from parsing.checks.prose import AMOUNT, NUM, Clause, caliber, classified, clauses, lookup, to_wan
from parsing.library import Library
from parsing.numbers import format_number
from parsing.schema import Row

SUBJECTS = (
    r"财政拨款收入支出总计|收入支出总计|收支总预算|收入总计|支出总计|本年收入合计|本年支出合计|收入预算|支出预算"
    r"|一般公共预算财政拨款基本支出|一般公共预算(?:财政)?拨款支出|财政拨款收入"
    r"|基本支出|项目支出|人员经费|公用经费|[“\"]?三公[”\"]?经费|因公出国[（(]境[）)]费"
    r"|公务用车购置及运行(?:维护)?费|公务用车购置费|公务用车运行(?:维护)?费|公务接待费|机关运行经费"
)
_SUBJECT = re.compile(rf"({SUBJECTS})([^，,。；;：:\d%]{{0,16}}?){NUM}(万元|亿元|元)")
_CHAIN = re.compile(
    r"([^“”\"（）()，。；、\d]{2,20})[（(]类[）)](?:([^（）()，。；\d]{2,20})[（(]款[）)])?(?:([^（）()，。；\d]{2,20})[（(]项[）)])?"
)
_FINAL = re.compile(r"支出决算为?" + NUM + r"(万元|亿元|元)")
_SHARE = re.compile(rf"{NUM}(万元|亿元|元)[，,]?(?:占([^，。；\d]{{0,14}}?)的?|占比?){NUM}%")
_COMPLETION = re.compile(
    rf"年初预算为?{NUM}(万元|亿元|元)[，,]?支出决算为?{NUM}(万元|亿元|元)[，,]?完成(?:年初)?预算的{NUM}%"
)


def _compare(
    rule_amount: Rule,
    rule_unit: Rule,
    clause: Clause,
    subject: str,
    number: str,
    unit: str,
    row: Row,
    position: int = 0,
) -> list[Row]:
    """A quoted amount against a table row: equal within both roundings, else ✗ — a unit slip
    when the two are 10⁴ apart; the text's side cites the page of ``position`` in the clause."""
    quoted = to_wan(number, unit)
    step = step_of(number, unit)
    row_step = row.get("step") or step_of(row.get("amount_text"), row.get("source_unit"))  # a derived figure's own
    tolerance = (step + row_step) / 2
    if grade(row["amount"], quoted, tolerance) != "error":
        return []  # a quote rounded to fewer decimals is the same figure
    digits = len(number.replace(",", "").replace(".", "").lstrip("0-"))
    slip = (
        bool(row["amount"])
        and digits >= 3
        and any(abs(quoted * f - row["amount"]) <= (step * f + row_step) / 2 + 1e-6 for f in (1e4, 1e-4))
    )
    truncated = not slip and abs(math.floor(row["amount"] / step + 1e-6) * step - quoted) < step / 10
    rule = rule_unit if slip else rule_amount
    at = clause.place(position)
    what = "单位不符（差 10⁴ 倍）" if slip else "截尾而非四舍五入：" if truncated else ""
    return [
        finding(
            rule,
            "note" if truncated else "error",
            at,
            rows=f"说明 {subject} ↔ {row['source_table']}",
            expected=row["amount"],
            actual=quoted,
            tolerance=tolerance,
            message=f"{what}说明：{subject} {number} {unit}（{page(at)}）；"
            f"{row['source_table']}：{format_number(row['amount'], decimals=4)} 万元（{page(row)}）",
            other=row,
        )
    ]


def _amounts(lib: Library) -> list[Row]:
    out: list[Row] = []
    lines_by_doc = {d: g for (d,), g in lib.budget_lines.group_by("doc_id")}
    for clause in clauses(lib):
        lines = lines_by_doc.get(clause.doc["doc_id"])
        if lines is None:
            continue
        final = clause.doc["kind"] == "部门决算"
        seen = set()
        for m in _SUBJECT.finditer(clause.text):
            subject, middle, number, unit = m.groups()
            if re.search(r"比|较|增|减|同比|上年|其中", middle) or not _opens(clause.text[: m.start()]):
                continue
            is_final = final and not re.search("年初预算|预算数|预算为", middle)
            scope = caliber(_before(clause, m.start()))
            if scope != "all" and clause.text[: m.start()].endswith("安排"):
                continue  # '政府性基金拨款安排支出…': money of one source, not the subject's whole
            row = lookup(lines, subject, is_final, clause.doc["year"], scope)
            if row is None or subject in seen or (final and not is_final and "预算" not in (row["measure"] or "")):
                continue
            seen.add(subject)
            found = _compare(AMOUNTS, UNITS, clause, subject, number, unit, row, m.start(3))
            out += _scoped(found, scope, subject, lines)
            after = _FINAL.match(clause.text, m.end() + 1) or _FINAL.search(clause.text[m.end() : m.end() + 12])
            if final and not is_final and after:
                row = lookup(lines, subject, True, clause.doc["year"])
                if row is not None:
                    out += _compare(AMOUNTS, UNITS, clause, subject + "决算", after.group(1), after.group(2), row)
        out += _chains(clause, lines)
    # A sentence the text route reads twice (a page's text layer repeated) is one finding, at
    # the first page it is read on.
    once = {(f["doc_id"], f["rule"], f["rows"], f["actual"], f["expected"]): f for f in reversed(out)}
    return [f for f in out if once[(f["doc_id"], f["rule"], f["rows"], f["actual"], f["expected"])] is f]


def _before(clause: Clause, at: int) -> str:
    """The paragraph's text before position ``at`` of the clause: where its 口径 was named."""
    start = clause.paragraph.find(clause.text)
    return clause.paragraph[: max(start, 0)] + clause.text[:at]


def _scoped(found: list[Row], scope: str, subject: str, lines: pl.DataFrame) -> list[Row]:
    """A 基本/项目支出 said of 财政拨款 without saying which budget was compared with the
    一般公共预算 table: that is its 口径 only when no 政府性基金 / 国有资本经营 money is printed;
    else the finding is 未核 (the 口径 cannot be told)."""
    if scope != "grant" or not re.match(r"(基本|项目)支出", subject):
        return found
    other = lines.filter(
        pl.col("table_kind").is_in(["政府性基金", "国有资本经营"])
        | pl.col("measure").fill_null("").str.contains("政府性基金|国有资本"),
        pl.col("amount").fill_null(0) != 0,
    )
    if other.is_empty():
        return found
    return [unchecked(f, "口径为财政拨款，未说明是否含政府性基金") if f["severity"] == "error" else f for f in found]


def _opens(prefix: str) -> bool:
    """Whether a subject starts here: at the clause's start, after punctuation, 其中, a year, or
    an issuer's name (…局, …办事处), 本部门 / 本单位, or 安排 (相应安排支出预算…): not inside a longer
    subject (政府性基金拨款支出预算)."""
    return (
        not prefix
        or prefix[-1] in '，,。；;：:、）)”"'
        or prefix.endswith(("其中", "年", "年度", "部门", "单位", "安排"))
        or prefix[-1] in "局处室会院所心队站部委府厅办"
    )


def _chains(clause: Clause, lines: pl.DataFrame) -> list[Row]:
    """'一般公共服务支出（类）…（款）…（项）科目 43.83 万元' / '…（类）2106.66 万元': the 功能分类
    row of that chain (a 决算's 支出决算为 figure where the paragraph gives one)."""
    m = _CHAIN.search(clause.text)
    if not m or "主要用于" in clause.text[: m.start()]:
        return []
    names = [re.sub(r"^[\d、.．“\"]+", "", n) for n in m.groups() if n]
    rest = clause.text[m.end() :]
    final = (
        _FINAL.search(clause.paragraph[clause.paragraph.find(m.group(0)) :])
        if clause.doc["kind"] == "部门决算"
        else None
    )
    amount = final or AMOUNT.search(rest[:40])
    if not amount or (final is None and re.search(r"年初预算", rest[: amount.start()])):
        return []
    row = classified(lines, names)
    if row is None:
        return []
    return _compare(
        AMOUNTS,
        UNITS,
        clause,
        "（".join(names[-1:]) + ("（项）" if len(names) == 3 else "（类）"),
        amount.group(1),
        amount.group(2),
        row,
    )


def _shares(lib: Library) -> list[Row]:
    """'X 万元，占 Y%': Y = X ÷ the paragraph's total (its first amount, or the total the clause
    names: 占本年支出合计的…), within the rounding of all three printed figures; and a 决算's
    '完成年初预算的 Y%' = 决算 ÷ 年初预算."""
    out: list[Row] = []
    lines_by_doc = {d: g for (d,), g in lib.budget_lines.group_by("doc_id")}
    done = set()
    anchor: tuple[object, str] = (None, "")  # the section's last paragraph that opens with a whole
    for clause in clauses(lib):
        key = (clause.doc["doc_id"], clause.paragraph)
        if key in done:
            continue
        done.add(key)
        para, before = clause.paragraph, anchor[1] if anchor[0] is clause.section else ""
        first = AMOUNT.search(para)
        if not (first and re.match(r"[，,]?占", para[first.end() :])):
            anchor = (clause.section, para)
        elif (para.startswith("其中") or before.endswith(("：", ":"))) and (whole := AMOUNT.search(before)):
            # '…总计99,230.46万元。其中：…万元，占92.2%；' or '…合计4,651.67万元，其中：' with each
            # part on a line of its own: the parts are of the whole the paragraph before opened with.
            para, first = before + para, whole
        for m in _SHARE.finditer(para):
            number, unit, named, pct = m.group(1), m.group(2), m.group(3), m.group(4)
            base_text, base_unit = (first.group(1), first.group(2)) if first else ("", "")
            base = to_wan(base_text, base_unit) if base_text else None
            base_step = step_of(base_text, base_unit) if base_text else 0.0
            lines = lines_by_doc.get(clause.doc["doc_id"])
            row = lookup(lines, named, True, clause.doc["year"]) if named and lines is not None else None
            if row is not None:
                base, base_step = row["amount"], step_of(row.get("amount_text"), row.get("source_unit"))
            elif named:
                continue  # '占授予中小企业合同金额的55.78%': a whole the tables do not print
            if not named and (not first or first.start() == m.start() or re.match(r"[，,]?占", para[first.end() :])):
                continue  # the paragraph opens with a part, not the whole the shares are of
            part = to_wan(number, unit)
            if not base or part > base * 1.005 or (part == base and float(pct) < 99.5):
                continue  # the base found is not the whole this share is of: nothing to check
            out += _ratio(
                clause,
                to_wan(number, unit),
                step_of(number, unit),
                base,
                base_step,
                pct,
                f"{number}{unit} 占 {format_number(base, decimals=4)} 万元",
            )
        for m in _COMPLETION.finditer(para):
            budget, bu, actual, au, pct = m.groups()
            if to_wan(budget, bu):
                out += _ratio(
                    clause,
                    to_wan(actual, au),
                    step_of(actual, au),
                    to_wan(budget, bu),
                    step_of(budget, bu),
                    pct,
                    f"决算 {actual}{au} ÷ 年初预算 {budget}{bu}",
                )
    return out


def _ratio(
    clause: Clause, part: float, part_step: float, base: float, base_step: float, pct: str, what: str
) -> list[Row]:
    exact = part / base * 100
    decimals = len(pct.split(".")[1]) if "." in pct else 0
    slack = 0.5 * 10**-decimals + 100 * (part_step / 2) / base + 100 * part * (base_step / 2) / base**2
    severity = grade(exact, float(pct), slack)
    if severity != "error":
        return []
    return [
        finding(
            SHARES,
            "error",
            clause.at,
            rows=f"说明 {what}",
            expected=round(exact, 4),
            actual=float(pct),
            tolerance=slack,
            message=f"说明：{what}，印 {pct}%，算 {exact:.2f}%（{page(clause.at)}）",
        )
    ]


AMOUNTS = Rule("T-AMOUNT", "文中金额与表中一致", "Amounts in the text agree with the tables", _amounts, "amounts")
UNITS = Rule(
    "T-UNIT",
    "文中金额单位与表一致（无万元/元之误）",
    "No 10⁴× unit slip between text and tables",
    lambda lib: [],
    "units",
)
SHARES = Rule("T-SHARE", "文中占比与金额相符", "Shares in the text agree with the amounts", _shares, "shares")
AMOUNT_RULES = (AMOUNTS, UNITS, SHARES)
