"""Rules for the narrative against the tables: amounts quoted, year-on-year statements, years.

The text is read with a few sentence patterns (`…3,451万元，比2022年减少356万元，下降9%`); a
sentence that fits none is not checked, so a silent rule is not a clean bill.
"""

from __future__ import annotations

import math
import re

import polars as pl

from parsing.checks.base import Rule, finding, grade, page, step_of
from parsing.checks.prose import line_at
from parsing.library import Library
from parsing.numbers import format_number
from parsing.schema import Row

_NUM = r"(\d[\d,]*(?:\.\d+)?)"
_CHANGE = re.compile(rf"(?:比|较)(20\d\d)年(?:预算数?)?(?:增加|减少|增长|下降)?{_NUM}万元[，,]?(增长|下降){_NUM}%")
_CURRENT = re.compile(rf"([^，。；：:、\d]{{0,20}}?)(?:预算数?|决算数?)?{_NUM}万元[，,]?$")
_FIRST = re.compile(rf"^(?:\d+[.．、])?([^，。；：:\d]{{1,30}}?)(?:预算数?|决算数?)为?{_NUM}万元")
_YEAR = re.compile(r"(20\d\d)年")
_PROCUREMENT = re.compile(rf"共计?{_NUM}万元[，,]?其中[:：]?货物采购{_NUM}万元、工程采购{_NUM}万元、服务采购{_NUM}万元")
_SPENDING = {"人员支出": "301", "公用支出": "302", "对个人和家庭的补助支出": "303", "资本性支出": "310"}


def _texts(lib: Library, kinds: tuple[str, ...] = ("部门预算", "单位预算", "部门决算")) -> pl.DataFrame:
    docs = lib.documents.filter(pl.col("kind").is_in(kinds)).select("doc_id", "year", "department", "kind")
    return (
        lib.sections.filter(pl.col("part_no").is_not_null())
        .join(docs, on="doc_id")
        .with_columns(pl.col("text").str.replace_all(r"\s+", "").alias("flat"))
    )


def _amount(text: str) -> float:
    return float(text.replace(",", ""))


def _yoy(lib: Library) -> list[Row]:
    """'…比2022年减少356万元，下降9%': the percentage agrees with the amounts (truncation is a
    note), and the prior figure it implies agrees with last year's filing when that is loaded."""
    out = []
    for r in _texts(lib).iter_rows(named=True):
        for subject, now, change, direction, pct in _statements(r["text"]):
            now_v, change_v, pct_v = _amount(now), _amount(change), float(pct)
            prior = now_v + change_v if direction == "下降" else now_v - change_v
            if prior <= 0:
                continue
            exact = change_v / prior * 100
            decimals = len(pct.split(".")[1]) if "." in pct else 0
            if round(exact, decimals) == pct_v or math.isclose(round(exact + 1e-9, decimals), pct_v):
                out += _prior_year(lib, r, subject, prior)
                continue
            truncated = math.floor(exact * 10**decimals) / 10**decimals == pct_v
            out.append(
                finding(
                    YOY,
                    "note" if truncated else "error",
                    r,
                    rows=f"{r['part']} {subject}",
                    expected=round(exact, 2),
                    actual=pct_v,
                    tolerance=0.5 * 10**-decimals,
                    message=f"{subject}: {direction}{pct}%，而 {format_number(change_v, decimals=4)}/{format_number(prior, decimals=4)} = {exact:.2f}%"
                    + ("（截尾）" if truncated else ""),
                )
            )
    return out


def _statements(text: str) -> list[tuple[str, str, str, str, str]]:
    """(subject, current amount, change, 增长|下降, percent) of each year-on-year statement; the
    current amount stands just before 比/较, or opens the paragraph ("审计业务预算 155 万元…")."""
    found = []
    for paragraph in text.split("\n"):
        flat = re.sub(r"\s+", "", paragraph)
        for m in _CHANGE.finditer(flat):
            _, change, direction, pct = m.groups()
            current = _CURRENT.search(flat[: m.start()]) or _FIRST.search(flat)
            if current:
                found.append((current.group(1), current.group(2), change, direction, pct))
    return found


def _prior_year(lib: Library, r: Row, subject: str, prior: float) -> list[Row]:
    """The prior-year figure a sentence implies, against last year's filing of the department."""
    side = "收入总计" if "收入" in subject else "支出总计" if "支出" in subject else None
    if side is None:
        return []
    last = lib.documents.filter(
        pl.col("department") == r["department"], pl.col("year") == r["year"] - 1, pl.col("kind") == r["kind"]
    )
    if last.is_empty():
        return []
    rows = lib.budget_lines.filter(
        pl.col("doc_id") == last["doc_id"][0], pl.col("table_kind") == "收支总表", pl.col("name") == side
    )
    if rows.is_empty():
        return []
    printed = rows.row(0, named=True)
    tolerance = step_of(printed["amount_text"], printed["source_unit"])
    severity = grade(printed["amount"], prior, tolerance)
    return (
        [
            finding(
                YOY,
                severity,
                r,
                rows=f"{r['part']} {subject}",
                expected=printed["amount"],
                actual=prior,
                tolerance=tolerance,
                message=f"{subject}: 文中推得上年 {format_number(prior, decimals=4)}，上年文件 {format_number(printed['amount'], decimals=4)}",
            )
        ]
        if severity
        else []
    )


def _procurement(lib: Library) -> list[Row]:
    """政府采购 in the text: total = 货物 + 工程 + 服务, and = 支出总表's 政府采购 小计."""
    out = []
    for r in _texts(lib).iter_rows(named=True):
        m = _PROCUREMENT.search(r["flat"])
        if not m:
            continue
        total, goods, works, services = map(_amount, m.groups())
        r = line_at(r, m.start())
        severity = grade(goods + works + services, total, 1.5)
        if severity:
            out.append(
                finding(
                    PROC,
                    severity,
                    r,
                    rows=f"{r['part']} 政府采购",
                    expected=goods + works + services,
                    actual=total,
                    tolerance=1.5,
                    message=f"说明：政府采购 {format_number(total, decimals=4)} 万元 ≠ 货物+工程+服务 "
                    f"{format_number(goods + works + services, decimals=4)} 万元（{page(r)}）",
                )
            )
        table = lib.budget_lines.filter(
            pl.col("doc_id") == r["doc_id"],
            pl.col("table_kind") == "支出总表",
            pl.col("measure") == "政府采购项目·小计",
            pl.col("code").is_null(),
        )
        if table.height:
            row = table.sort("row_no").row(0, named=True)
            tolerance = (step_of(row["amount_text"]) + 1) / 2
            severity = grade(row["amount"], total, tolerance)
            if severity:
                out.append(
                    finding(
                        TEXT,
                        severity,
                        r,
                        rows=f"{r['part']} 政府采购 ↔ {row['source_table']}",
                        expected=row["amount"],
                        actual=total,
                        tolerance=tolerance,
                        message=f"说明：政府采购 {format_number(total, decimals=4)} 万元（{page(r)}）；"
                        f"{row['source_table']}：政府采购小计 {format_number(row['amount'], decimals=4)} 万元（{page(row)}）",
                        other=row,
                    )
                )
    return out


def _spending(lib: Library) -> list[Row]:
    """人员支出 / 公用支出 / … quoted in the text against the 经济分类 table's 基本支出 column."""
    out = []
    for r in _texts(lib, ("部门预算", "单位预算")).iter_rows(named=True):
        for words, code in _SPENDING.items():
            m = re.search(rf"{words}{_NUM}万元", r["flat"])
            if not m:
                continue
            rows = lib.budget_lines.filter(
                pl.col("doc_id") == r["doc_id"],
                pl.col("table_kind") == "经济分类",
                pl.col("code") == code,
                pl.col("measure") == "基本支出",
            )
            if rows.is_empty():
                continue
            row = rows.row(0, named=True)
            quoted = _amount(m.group(1))
            at = line_at(r, m.start())
            tolerance = (step_of(m.group(1)) + step_of(row["amount_text"], row["source_unit"])) / 2
            severity = grade(row["amount"], quoted, tolerance)
            if severity:
                out.append(
                    finding(
                        TEXT,
                        severity,
                        at,
                        rows=f"{r['part']} {words} ↔ {row['source_table']} {code}",
                        expected=row["amount"],
                        actual=quoted,
                        tolerance=tolerance,
                        message=f"说明：{words} {format_number(quoted, decimals=4)} 万元（{page(at)}）；"
                        f"{row['source_table']}：{code} 基本支出 {format_number(row['amount'], decimals=4)} 万元（{page(row)}）",
                        other=row,
                    )
                )
    return out


def _years(lib: Library) -> list[Row]:
    """A year in a budget's text that is neither its own nor the one before (截至…, 《…》 and
    依据… excepted) is probably copied from an older filing; one note per year and sentence,
    however often the sentence repeats it."""
    out = []
    for r in _texts(lib, ("部门预算", "单位预算")).iter_rows(named=True):
        seen: set[tuple[int, int]] = set()
        for m in _YEAR.finditer(r["flat"]):
            year = int(m.group(1))
            before = r["flat"][max(0, m.start() - 6) : m.start()]
            inside_title = r["flat"][: m.start()].count("《") > r["flat"][: m.start()].count("》")
            if year in (r["year"], r["year"] - 1) or inside_title or re.search("截至|截止|依据|根据", before):
                continue
            opened = max(r["flat"].rfind(stop, 0, m.start()) for stop in "。；")  # the sentence it is in
            if (opened, year) in seen:
                continue
            seen.add((opened, year))
            sentence = re.split(r"[。；]", r["flat"][m.start() :])[0]
            out.append(
                finding(
                    YEAR,
                    "note",
                    line_at(r, m.start()),
                    rows=f"{r['part']} {year}年",
                    actual=float(year),
                    message=f"{r['year']}年的文件提到 {year}年: “{sentence[:40]}”",
                )
            )
    return out


YOY = Rule("T-YOY", "文中增减额与增减率相符", "Year-on-year amounts and percentages agree", _yoy, "words")
PROC = Rule(
    "V-PROC",
    "政府采购合计等于货物、工程、服务之和",
    "Procurement total equals goods + works + services",
    _procurement,
    "amounts",
)
TEXT = Rule("T-AMOUNT", "文中金额与表中一致", "Amounts in the text agree with the tables", _spending, "amounts")
YEAR = Rule("T-YEAR", "文中年份为本年或上年", "Years in the text are this year or last", _years, "years")
NARRATIVE_RULES = (YOY, PROC, TEXT, YEAR)
