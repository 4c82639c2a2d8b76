"""The page an analyst opens in a meeting: a department's (or unit's) figures for one filing.

Totals, 基本 vs 项目, 三公, how many projects, execution by unit, and the lowest execution
rates. The figures are computed here from the frames for now (``card_figures``); they belong in
``parsing`` (asked of the lead), after which this widget only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import polars as pl
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.figure import Figure
from tui.format import money, percent, rate_flag
from tui.messages import FigureChanged
from tui.refs import Ref
from tui.text import literal, plain, to_text
from tui.widgets.filing_tree import short_unit

if TYPE_CHECKING:
    from parsing.library import Library

SOURCE_COLUMNS = ("source_file", "source_page", "source_line", "source_table")
SANGONG_PARTS = {"因公出国(境)费": "出国(境)", "公务接待费": "公务接待", "公务用车购置及运行维护费·小计": "公务用车"}
SPEND_TABLES = ("支出总表", "功能分类")


@dataclass
class CardLine:
    """One line of the card: a label, an amount in 万元 and/or a rate, and a remark."""

    label: str
    amount: float | None = None
    rate: float | None = None  # percent
    flag_rate: bool = False  # an execution rate: flag it outside 80–100%
    note: str = ""
    count: str = ""  # a value that is not money ("22 个")
    source: dict[str, Any] = field(default_factory=dict)


@dataclass
class Card:
    title: str
    subtitle: str
    sections: list[tuple[str, list[CardLine]]] = field(default_factory=list)

    def lines(self) -> list[CardLine]:
        return [line for _, lines in self.sections for line in lines]


def _source(row: dict[str, Any] | None) -> dict[str, Any]:
    return {k: row.get(k) for k in SOURCE_COLUMNS} if row else {}


def _total_row(lines: pl.DataFrame, measure: str) -> dict[str, Any] | None:
    """The grand total of ``measure`` in the first spending table that has one."""
    for kind in SPEND_TABLES:
        rows = lines.filter((pl.col("table_kind") == kind) & (pl.col("measure") == measure))
        for row_kind in ("total", "unit_total"):
            hit = rows.filter(pl.col("row_kind") == row_kind)
            if hit.height == 1:
                return hit.row(0, named=True)
    return None


def _budget_section(lines: pl.DataFrame) -> list[CardLine]:
    out = []
    income = lines.filter((pl.col("table_kind") == "收支总表") & (pl.col("name") == "收入总计"))
    if income.height:
        out.append(CardLine("收入总计", income["amount"][0], source=_source(income.row(0, named=True))))
    spend = _total_row(lines, "支出总计")
    if spend is not None:
        out.append(CardLine("支出总计", spend["amount"], source=_source(spend)))
    for measure in ("基本支出", "项目支出"):
        row = _total_row(lines, measure)
        if row is not None:
            share = row["amount"] / spend["amount"] * 100 if spend and spend["amount"] and row["amount"] is not None \
                else None
            out.append(CardLine(measure, row["amount"], rate=share, note="占支出" if share is not None else "",
                                source=_source(row)))
    return out


def _sangong_section(lines: pl.DataFrame, year: int | None) -> list[CardLine]:
    sangong = lines.filter(pl.col("table_kind") == "三公经费")
    if not sangong.height or not year:
        return []
    this = sangong.filter(pl.col("measure") == f"{year}年")
    total = this.filter(pl.col("name") == "总计")
    if not total.height:
        return []
    prior = sangong.filter((pl.col("measure") == f"{year - 1}年") & (pl.col("name") == "总计"))["amount"]
    out = [CardLine("三公经费", total["amount"][0], note=f"上年 {money(prior[0])}" if prior.len() else "",
                    source=_source(total.row(0, named=True)))]
    for part, short in SANGONG_PARTS.items():
        hit = this.filter(pl.col("name") == part)
        if hit.height:
            out.append(CardLine(f"  {short}", hit["amount"][0], source=_source(hit.row(0, named=True))))
    return out


def _project_sections(projects: pl.DataFrame, department: str) -> list[tuple[str, list[CardLine]]]:
    if not projects.height:
        return []
    first = _source(projects.row(0, named=True))
    units = projects["unit"].n_unique()
    head = [CardLine("项目数", count=f"{projects.height} 个", note=f"{units} 个单位" if units > 1 else "",
                     source=first)]
    budget = projects["budget_total"].sum()
    head.append(CardLine("预算合计", budget, source=first))
    if projects["actual_total"].null_count() == projects.height:
        return [("项目", head)]
    actual = projects["actual_total"].sum()
    head.append(CardLine("实际合计", actual, source=first))
    head.append(CardLine("执行率", rate=actual / budget * 100 if budget else None, flag_rate=True, source=first))
    rated = projects.filter(pl.col("exec_rate").is_not_null()).sort("exec_rate")
    odd = rated.filter((pl.col("exec_rate") < 80) | (pl.col("exec_rate") > 100)).height
    head.append(CardLine("执行率异常", count=f"{odd} 个", note="<80% 或 >100%"))
    sections = [("项目", head)]
    if units > 1:
        by_unit = projects.group_by("unit", maintain_order=True).agg(
            pl.col("budget_total").sum(), pl.col("actual_total").sum())
        sections.append(("按单位", [
            CardLine(short_unit(u["unit"] or "", department), u["budget_total"],
                     rate=u["actual_total"] / u["budget_total"] * 100 if u["budget_total"] else None, flag_rate=True)
            for u in by_unit.iter_rows(named=True)]))
    sections.append(("执行率最低", [
        CardLine(plain(r["name"]), r["actual_total"], rate=r["exec_rate"], flag_rate=True,
                 note=short_unit(plain(r["unit"]), department) if units > 1 else "", source=_source(r))
        for r in rated.head(5).iter_rows(named=True)]))
    return sections


def card_figures(library: Library, doc_id: str, unit: str | None = None) -> Card:
    """A filing's card (or one unit's, for a self-evaluation)."""
    doc = library.documents.filter(pl.col("doc_id") == doc_id).row(0, named=True)
    card = Card(title=plain(unit or doc["department"]), subtitle=f"{doc['year'] or ''} {plain(doc['kind'])}".strip())
    lines = library.budget_lines.filter(pl.col("doc_id") == doc_id)
    if unit is None:
        for title, section in (("收支", _budget_section(lines)), ("三公", _sangong_section(lines, doc["year"]))):
            if section:
                card.sections.append((title, section))
    projects = library.projects.filter((pl.col("doc_id") == doc_id) & (pl.col("row_kind") == "project"))
    if unit is not None:
        projects = projects.filter(pl.col("unit") == unit)
    card.sections += _project_sections(projects, plain(doc["department"]))
    return card


def _rate(x: CardLine) -> Text:
    if x.rate is None:
        return Text("")
    rate, flag = percent(round(x.rate, 2)), rate_flag(x.rate) if x.flag_rate else ""
    return to_text(f"[bold reverse]{rate} {flag}[/]" if flag else rate)


def _label(x: CardLine) -> Text:
    indent = len(x.label) - len(x.label.lstrip(" "))
    return to_text(" " * indent + literal(x.label))


def _figures_grid(lines: list[CardLine], unit: str) -> Table:
    """label | amount (or a count) | rate | remark."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(max_width=18, overflow="ellipsis", no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(overflow="fold")
    for x in lines:
        value = literal(x.count) if x.count else money(x.amount, unit)
        grid.add_row(_label(x), to_text(value), _rate(x), to_text(literal(x.note), wrap=True))
    return grid


def _lowest_grid(lines: list[CardLine]) -> Table:
    """rate | project (unit), the name wrapping."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for x in lines:
        note = f" [dim]{literal(x.note)}[/]" if x.note else ""
        grid.add_row(_rate(x), to_text(literal(x.label) + note, wrap=True))
    return grid


class DepartmentCard(VerticalScroll):
    """Figures for a department, a filing or a unit."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "下", show=False),
        Binding("k", "scroll_up", "上", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.can_focus = True
        self._figure: Figure | None = None

    def compose(self):
        yield Static(id="card-text")

    def figure(self) -> Figure | None:
        return self._figure

    def show(self, library: Library, ref: Ref, unit: str) -> None:
        """Show the card for ``ref``: a department (its latest filing), a filing or a unit."""
        docs = library.documents.filter(pl.col("department") == ref.department).sort("year", descending=True)
        doc_id = ref.doc_id or (docs["doc_id"][0] if docs.height else None)
        text = self.query_one("#card-text", Static)
        if doc_id is None:
            text.update(literal(ref.department))
            self._figure = None
            self.post_message(FigureChanged(None))
            return
        card = card_figures(library, doc_id, ref.unit if ref.kind == "unit" else None)
        filings = [f"{d['year'] or ''} {plain(d['kind'])}" for d in docs.iter_rows(named=True)] \
            if ref.kind == "department" else []
        title = library.documents.filter(pl.col("doc_id") == doc_id)["title"][0]
        text.update(self._renderable(card, unit, filings))
        self.scroll_home(animate=False)
        self._figure = self._card_figure(card, plain(title), unit)
        self.post_message(FigureChanged(self._figure))

    @staticmethod
    def _renderable(card: Card, unit: str, filings: list[str]) -> Group:
        parts: list[Text | Table] = [
            to_text(f"[bold]{literal(card.title)}[/]\n[dim]{literal(card.subtitle)}  单位：{unit}[/]", wrap=True)]
        if filings:
            parts.append(to_text(f"\n[bold]文件[/]  {literal('，'.join(filings))}", wrap=True))
        for title, lines in card.sections:
            parts.append(to_text(f"\n[bold reverse] {literal(title)} [/]"))
            parts.append(_lowest_grid(lines) if title == "执行率最低" else _figures_grid(lines, unit))
        for part in parts:
            if isinstance(part, Text):
                part.end = "\n"
        return Group(*parts)

    @staticmethod
    def _card_figure(card: Card, title: str, unit: str) -> Figure | None:
        lines = card.lines()
        main = next((x for x in lines if x.amount is not None), None)
        if main is None:
            return None
        table = [["栏目", "项目", f"金额({unit})", "比率", "说明"]]
        table += [[section, x.label.strip(), money(x.amount, unit).replace(",", ""),
                   percent(round(x.rate, 2)) if x.rate is not None else "", x.note]
                  for section, rows in card.sections for x in rows]
        return Figure(label=f"{card.title} {main.label}", value=money(main.amount, unit), unit=unit, title=title,
                      source=main.source, row=list(zip(table[0], table[1 + lines.index(main)])), table=table)
