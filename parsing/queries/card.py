"""The page an analyst opens in a meeting, as figures: a filing's (or a unit's) totals, 基本 vs
项目, 三公 against last year, its projects, execution by unit and the lowest execution rates.

Totals are found by what they mean, not by how one district words them: 支出总计 (Shenzhen) and
合计 (Shanghai) are both a table's total column; the 三公 table's current column is 2023年 in one
and 预算数 in the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from parsing.library import Library
from parsing.numbers import format_number
from parsing.queries.sangong import PARTS, sangong

SOURCE_COLUMNS = ("source_file", "source_page", "source_line", "source_table")
SPEND_TABLES = ("支出总表", "功能分类")
TOTALS = ("支出总计", "合计", "总计", "本年支出合计")
STAFF = ("人员经费", "人员支出")
RUNNING = ("公用经费", "日常公用支出", "公用支出")


@dataclass
class CardLine:
    """One line of the card: a label, an amount in 万元 and/or a rate, and a remark."""

    label: str
    amount: float | None = None
    rate: float | None = None  # percent
    flag_rate: bool = False  # an execution rate: flag it outside 80–100%
    note: str = ""
    count: str = ""  # a value that is not money ("22 个")
    prior: float | None = None  # last year's amount: last year's filing when loaded, else as printed
    prior_from: str = ""  # where ``prior`` comes from: 2025年文件, 2025年示例文件 (synthetic), or 上年栏
    budget: float | None = None  # the 预算数 a 决算 prints beside this 决算数 (its 三公 table)
    unit: str | None = None  # the 预算单位 a line is about
    source: dict[str, Any] = field(default_factory=dict)


@dataclass
class Card:
    """A filing's (or a unit's) figures in titled sections."""

    title: str
    subtitle: str
    department: str
    sections: list[tuple[str, list[CardLine]]] = field(default_factory=list)

    synthetic: bool = False  # marked 示例 by its publisher
    warnings: list[str] = field(default_factory=list)  # figures that disagree with what is printed

    def lines(self) -> list[CardLine]:
        return [line for _, lines in self.sections for line in lines]


def change_pct(line: CardLine) -> float | None:
    """Δ% of a line against last year's figure (None without one, or from zero)."""
    if line.amount is None or not line.prior:
        return None
    return round((line.amount - line.prior) / line.prior * 100, 2)


def _source(row: dict[str, Any] | None) -> dict[str, Any]:
    return {k: row.get(k) for k in SOURCE_COLUMNS} if row else {}


def _total_row(lines: pl.DataFrame, *measures: str, table_no: str | None = None) -> dict[str, Any] | None:
    """The grand total of the first of ``measures`` printed in the first spending table that has
    one (or in table ``table_no``)."""
    for kind in SPEND_TABLES:
        rows = lines.filter(
            (pl.col("table_kind") == kind) & pl.col("measure").is_in(measures) & pl.col("code").is_null()
        )
        if table_no is not None:
            rows = rows.filter(pl.col("table_no") == table_no)
        for row_kind in ("total", "unit_total"):
            hit = rows.filter(pl.col("row_kind") == row_kind)
            if hit.height == 1:
                return hit.row(0, named=True)
    return None


def _budget_section(lines: pl.DataFrame) -> list[CardLine]:
    """收入/支出总计 and 基本/项目支出 with their shares, all from one table (the 支出总表, else
    the 功能分类 table), so no share mixes two 口径. A table that prints 人员 and 公用 columns
    instead of 基本支出 gets their sum, labelled as such."""
    out = []
    income = lines.filter((pl.col("table_kind") == "收支总表") & (pl.col("name") == "收入总计"))
    if income.height:
        out.append(CardLine("收入总计", income["amount"][0], source=_source(income.row(0, named=True))))
    spend = _total_row(lines, *TOTALS)
    if spend is None:
        return out
    label = "本年支出合计" if spend["measure"] == "本年支出合计" else "支出总计"  # a 决算's 总计 adds 结转
    out.append(CardLine(label, spend["amount"], source=_source(spend)))
    table = spend["table_no"]
    basic, note = _total_row(lines, "基本支出", table_no=table), ""
    if basic is None:
        staff, running = _total_row(lines, *STAFF, table_no=table), _total_row(lines, *RUNNING, table_no=table)
        if staff is not None and running is not None and None not in (staff["amount"], running["amount"]):
            basic = staff | {"amount": staff["amount"] + running["amount"]}
            note = f"{staff['measure']}+{running['measure']}，"
    for measure, row in (("基本支出", basic), ("项目支出", _total_row(lines, "项目支出", table_no=table))):
        if row is None:
            continue
        share = row["amount"] / spend["amount"] * 100 if spend["amount"] and row["amount"] is not None else None
        mine = note if measure == "基本支出" else ""
        out.append(
            CardLine(
                measure,
                row["amount"],
                rate=share,
                note=f"{mine}占支出" if share is not None else mine,
                source=_source(row),
            )
        )
    return out


def _sangong_section(lines: pl.DataFrame, year: int | None, kind: str | None = None) -> list[CardLine]:
    """This year's 三公 total and parts (``sangong``: rows or columns alike), with last year's
    total where the table prints it; a 决算's 决算数 with the 预算数 printed beside it. A cell the
    table prints blank is nil (0), not unknown: the line is there, its figure is none."""
    found = sangong(lines, year, kind)
    total = found.get("三公经费")
    if total is None:
        return []
    plan: dict[str, dict[str, Any]] = {}
    if total["measure"] == "决算数":
        plan = sangong(lines.filter(pl.col("measure") != "决算数"), year, kind)
    prior = found.get("上年")
    out = []
    for part in PARTS:
        if (row := found.get(part)) is not None:
            budget = plan.get(part)
            out.append(
                CardLine(
                    part if part == "三公经费" else f"  {part}",
                    row["amount"] or 0.0,
                    prior=prior["amount"] if prior and part == "三公经费" else None,
                    budget=None if budget is None else budget["amount"] or 0.0,
                    source=_source(row),
                )
            )
    return out


def _project_sections(projects: pl.DataFrame) -> list[tuple[str, list[CardLine]]]:
    if not projects.height:
        return []
    first = _source(projects.row(0, named=True))
    units = projects["unit"].n_unique()
    head = [
        CardLine("项目数", count=f"{projects.height} 个", note=f"{units} 个单位" if units > 1 else "", source=first)
    ]
    if projects["budget_total"].null_count() == projects.height:  # target forms that print no money
        head.append(CardLine("预算合计", count="未列金额", source=first))
        return [("项目", head)]
    budget = float(projects["budget_total"].sum())
    head.append(CardLine("预算合计", budget, source=first))
    if projects["actual_total"].null_count() == projects.height:
        return [("项目", head)]
    actual = float(projects["actual_total"].sum())
    head.append(CardLine("实际合计", actual, source=first))
    head.append(CardLine("执行率", rate=actual / budget * 100 if budget else None, flag_rate=True, source=first))
    # a project budgeted at 0 prints 执行率 0%: nothing was due, so it is neither low nor counted
    budgeted = pl.col("budget_total").ne(0).fill_null(True)
    rated = projects.filter(pl.col("exec_rate").is_not_null() & budgeted).sort("exec_rate")
    odd = rated.filter((pl.col("exec_rate") < 80) | (pl.col("exec_rate") > 100)).height
    head.append(CardLine("执行率异常", count=f"{odd} 个", note="<80% 或 >100%"))
    sections = [("项目", head)]
    if units > 1:
        by_unit = (
            projects.filter(pl.col("row_kind") == "project")
            .group_by("unit", maintain_order=True)
            .agg(pl.col("budget_total").sum(), pl.col("actual_total").sum())
        )
        sections.append(
            (
                "按单位",
                [
                    CardLine(
                        u["unit"] or "",
                        u["budget_total"],
                        unit=u["unit"],
                        rate=u["actual_total"] / u["budget_total"] * 100 if u["budget_total"] else None,
                        flag_rate=True,
                    )
                    for u in by_unit.iter_rows(named=True)
                ],
            )
        )
    sections.append(
        (
            "执行率最低",
            [
                CardLine(
                    r["name"],
                    r["actual_total"],
                    rate=r["exec_rate"],
                    flag_rate=True,
                    unit=r["unit"] if units > 1 else None,
                    source=_source(r),
                )
                for r in rated.head(5).iter_rows(named=True)
            ],
        )
    )
    return sections


def _prior_totals(library: Library, doc: dict[str, Any], card: Card) -> None:
    """Last year's figure beside each 收支 total: from last year's filing of the same kind when it
    is loaded (a line of the same label), else what the filing itself prints as 上年."""
    from parsing.queries.lookup import document_id

    if doc["year"] is None:
        return
    prior_id = document_id(library, doc["department"], doc["year"] - 1, doc["kind"], required=False)
    if prior_id is None:
        return
    prior_lines = library.lines(prior_id)
    source = f"{doc['year'] - 1}年{'示例' if library.document(prior_id).get('synthetic') else ''}文件"
    before = {x.label: x.amount for x in _budget_section(prior_lines)}
    before |= {x.label: x.amount for x in _sangong_section(prior_lines, doc["year"] - 1, doc["kind"])}
    for title, lines in card.sections:
        if title not in ("收支", "三公"):
            continue
        for line in lines:
            if line.prior is None and before.get(line.label) is not None:
                line.prior, line.prior_from = before[line.label], source


def _subtotal_warnings(projects: pl.DataFrame, all_rows: pl.DataFrame) -> list[str]:
    """Units whose projects do not add up to the 小计 printed for them (自评表)."""
    out = []
    printed = all_rows.filter(pl.col("row_kind") == "subtotal")
    for row in printed.iter_rows(named=True):
        mine = projects.filter(pl.col("unit") == row["unit"])
        if not mine.height or row["budget_total"] is None:
            continue
        total = float(mine["budget_total"].sum())
        if abs(total - row["budget_total"]) > 0.005:
            out.append(
                f"{row['unit']}：项目预算合计 {format_number(total)}，印的小计 {format_number(row['budget_total'])}"
            )
    return out


def card_figures(
    library: Library,
    doc_id: str,
    unit: str | None = None,
    findings: pl.DataFrame | None = None,
    checks: str | None = None,
) -> Card:
    """A filing's card (or one unit's, for a self-evaluation). ``checks`` says whether the
    filing's checks have run ("done", the default when ``findings`` are given), are running
    ("running") or have not started ("pending"): counts are shown only once they have run."""
    doc = library.document(doc_id)
    card = Card(
        title=unit or doc["department"],
        subtitle=f"{doc['year'] or ''} {doc['kind']}".strip(),
        department=doc["department"],
        synthetic=bool(doc.get("synthetic")),
    )
    lines = library.lines(doc_id)
    if unit is None:
        for title, section in (
            ("收支", _budget_section(lines)),
            ("三公", _sangong_section(lines, doc["year"], doc["kind"])),
        ):
            if section:
                card.sections.append((title, section))
    all_rows = library.frame("projects", doc_id)
    projects = all_rows.filter(pl.col("row_kind") == "project")
    if unit is not None:
        projects = projects.filter(pl.col("unit") == unit)
        all_rows = all_rows.filter(pl.col("unit") == unit)
    card.sections += _project_sections(projects)
    card.warnings = _subtotal_warnings(projects, all_rows)
    if unit is None:
        _prior_totals(library, doc, card)
    found = _checks_section(findings, doc_id, checks)
    coverage = _coverage(library, doc_id)
    if found or coverage:
        card.sections.append(("核查", found + coverage))
    return card


#: What the 核查 line says before the checks have run: never a count (0 would read as all clear).
CHECK_STATES = {"running": "核查中…", "pending": "未核查（展开部门即核查）", "failed": "核查未能完成"}


def _checks_section(findings: pl.DataFrame | None, doc_id: str, checks: str | None = None) -> list[CardLine]:
    """✗ count and the worst one (the largest difference among the errors), once the checks
    have run; before, what state they are in."""
    if checks in CHECK_STATES:
        return [CardLine("核查", note=CHECK_STATES[checks])]
    if findings is None or (checks is None and not findings.height):
        return []
    if not findings.height:  # checked, nothing found anywhere yet (a frame of no columns)
        return [CardLine("✗ 错误", count="0 处", note="≈ 0 处尾数误差或提示")]
    mine = findings.filter(pl.col("doc_id") == doc_id)
    errors = mine.filter(pl.col("severity") == "error")
    line = CardLine("✗ 错误", count=f"{errors.height} 处", note=f"≈ {mine.height - errors.height} 处尾数误差或提示")
    if not errors.height:
        return [line]
    worst = errors.sort(pl.col("difference").abs(), descending=True, nulls_last=True).row(0, named=True)
    source = {k: worst.get(k) for k in SOURCE_COLUMNS}
    source["source_table"] = worst.get("source_table") or worst.get("table")
    return [line, CardLine("最大一处", note=f"{worst['rule']} {worst['message']}", source=source)]


def _coverage(library: Library, doc_id: str) -> list[CardLine]:
    """The share of the numbers printed in the filing's tables that were read (when tables are known)."""
    tables = getattr(library, "tables", None)
    if tables is None or not isinstance(tables, pl.DataFrame) or "cells_seen" not in tables.columns:
        return []
    mine = tables.filter(pl.col("doc_id") == doc_id)
    seen, read = int(mine["cells_seen"].sum()), int(mine["cells_read"].sum())
    if not seen:
        return []
    unknown = mine.filter(pl.col("table_kind").is_null()).height
    note = f"读出 {read}/{seen} 个数字" + (f"，{unknown} 张表未识别" if unknown else "")
    return [CardLine("读取覆盖", rate=read / seen * 100, note=note)]
