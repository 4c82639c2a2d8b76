"""The page an analyst opens in a meeting: a department's (or unit's) figures for one filing.

Totals, 基本 vs 项目, 三公, how many projects, and the lowest execution rates. The figures are
computed here from the frames for now (``card_figures``); they belong in ``parsing`` (asked of
the lead), after which this widget only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import polars as pl
from rich.cells import cell_len
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.figure import Figure
from tui.format import money, percent, rate_flag
from tui.messages import FigureChanged
from tui.refs import Ref
from tui.text import literal, plain

if TYPE_CHECKING:
    from parsing.library import Library

SOURCE_COLUMNS = ("source_file", "source_page", "source_line", "source_table")
SANGONG_PARTS = {"因公出国(境)费": "出国(境)", "公务接待费": "公务接待", "公务用车购置及运行维护费·小计": "公务用车"}


@dataclass
class CardLine:
    label: str
    amount: float | None = None  # 万元
    rate: float | None = None  # percent
    note: str = ""
    source: dict[str, Any] = field(default_factory=dict)


@dataclass
class Card:
    title: str
    subtitle: str
    lines: list[CardLine] = field(default_factory=list)
    lowest: list[tuple[str, str, float]] = field(default_factory=list)  # (project, unit, rate)
    filings: list[str] = field(default_factory=list)


def _source(row: dict[str, Any] | None) -> dict[str, Any]:
    return {k: row.get(k) for k in SOURCE_COLUMNS} if row else {}


def _total_row(lines: pl.DataFrame, kinds: tuple[str, ...], measure: str) -> dict[str, Any] | None:
    """The grand total of ``measure`` in the first of ``kinds`` that has one."""
    for kind in kinds:
        rows = lines.filter((pl.col("table_kind") == kind) & (pl.col("measure") == measure))
        for row_kind in ("total", "unit_total"):
            hit = rows.filter(pl.col("row_kind") == row_kind)
            if hit.height == 1:
                return hit.row(0, named=True)
    return None


def card_figures(library: Library, doc_id: str, unit: str | None = None) -> Card:
    """A filing's card (or one unit's, for a self-evaluation)."""
    doc = library.documents.filter(pl.col("doc_id") == doc_id).row(0, named=True)
    card = Card(title=plain(unit or doc["department"]), subtitle=f"{doc['year'] or ''} {plain(doc['kind'])}".strip())
    lines = library.budget_lines.filter(pl.col("doc_id") == doc_id)
    for label, kinds, measure in (("收入总计", ("收支总表",), "预算数"), ("支出总计", ("支出总表", "功能分类"), "支出总计"),
                                  ("基本支出", ("支出总表", "功能分类"), "基本支出"),
                                  ("项目支出", ("支出总表", "功能分类"), "项目支出")):
        if label == "收入总计":
            rows = lines.filter((pl.col("table_kind") == "收支总表") & (pl.col("name") == "收入总计"))
            row = rows.row(0, named=True) if rows.height else None
        else:
            row = _total_row(lines, kinds, measure)
        if row is not None:
            card.lines.append(CardLine(label, row["amount"], source=_source(row)))
    spend = next((x.amount for x in card.lines if x.label == "支出总计"), None)
    for x in card.lines:
        if x.label in ("基本支出", "项目支出") and spend and x.amount is not None:
            x.rate = x.amount / spend * 100
    year = doc["year"]
    sangong = lines.filter(pl.col("table_kind") == "三公经费")
    if sangong.height and year:
        this = sangong.filter(pl.col("measure") == f"{year}年")
        before = sangong.filter(pl.col("measure") == f"{year - 1}年")
        total = this.filter(pl.col("name") == "总计")
        if total.height:
            row = total.row(0, named=True)
            prior = before.filter(pl.col("name") == "总计")["amount"]
            note = f"上年 {money(prior[0])}" if prior.len() else ""
            card.lines.append(CardLine("三公经费", row["amount"], note=note, source=_source(row)))
            for part, short in SANGONG_PARTS.items():
                hit = this.filter(pl.col("name") == part)
                if hit.height:
                    card.lines.append(CardLine(f"  {short}", hit["amount"][0],
                                               source=_source(hit.row(0, named=True))))
    projects = library.projects.filter((pl.col("doc_id") == doc_id) & (pl.col("row_kind") == "project"))
    if unit is not None:
        projects = projects.filter(pl.col("unit") == unit)
    if projects.height:
        first = projects.row(0, named=True)
        units = projects["unit"].n_unique()
        card.lines.append(CardLine("项目数", None, note=f"{projects.height} 个" + (f"（{units} 个单位）" if units > 1 else ""),
                                   source=_source(first)))
        budget, actual = projects["budget_total"].sum(), projects["actual_total"].sum()
        if projects["actual_total"].null_count() < projects.height:
            card.lines.append(CardLine("项目预算", budget, source=_source(first)))
            card.lines.append(CardLine("项目实际", actual, rate=actual / budget * 100 if budget else None,
                                       source=_source(first)))
            rated = projects.filter(pl.col("exec_rate").is_not_null()).sort("exec_rate")
            low = rated.filter((pl.col("exec_rate") < 80) | (pl.col("exec_rate") > 100)).height
            if low:
                card.lines.append(CardLine("执行率异常", None, note=f"{low} 个（<80% 或 >100%）"))
            card.lowest = [(plain(r["name"]), plain(r["unit"]), r["exec_rate"])
                           for r in rated.head(5).iter_rows(named=True)]
    return card


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
        if doc_id is None:
            self.query_one("#card-text", Static).update(literal(ref.department))
            self._figure = None
            self.post_message(FigureChanged(None))
            return
        card = card_figures(library, doc_id, ref.unit if ref.kind == "unit" else None)
        if ref.kind == "department":
            card.filings = [f"{d['year'] or ''} {plain(d['kind'])}  {plain(d['title'])}"
                            for d in docs.iter_rows(named=True)]
        title = library.documents.filter(pl.col("doc_id") == doc_id)["title"][0]
        self.query_one("#card-text", Static).update(self._card_markup(card, unit))
        self.scroll_home(animate=False)
        self._figure = self._card_figure(card, plain(title), unit)
        self.post_message(FigureChanged(self._figure))

    @staticmethod
    def _card_markup(card: Card, unit: str) -> str:
        out = [f"[bold]{literal(card.title)}[/]", f"[dim]{literal(card.subtitle)}  单位：{unit}[/]"]
        if card.filings:
            out += ["", "[bold]文件[/]", *(literal(f) for f in card.filings)]
        if card.lines:
            out.append("")
            width = max(cell_len(x.label) for x in card.lines) + 2
            amounts = [money(x.amount, unit) for x in card.lines]
            col = max(cell_len(a) for a in amounts) + 1
            for x, amount in zip(card.lines, amounts):
                indent = " " * (cell_len(x.label) - cell_len(x.label.lstrip()))
                text = indent + literal(x.label) + " " * (width - cell_len(x.label))
                text += " " * (col - cell_len(amount)) + amount if amount else ""
                if x.rate is not None:
                    text += f"  {percent(round(x.rate, 2))}"
                if x.note:
                    text += f"  {literal(x.note)}" if amount else literal(x.note)
                out.append(text)
        if card.lowest:
            out += ["", "[bold]执行率最低[/]"]
            for name, unit_name, rate in card.lowest:
                flag = rate_flag(rate)
                figure = f"{percent(rate):>8}"
                out.append((f"[bold reverse]{figure} {flag}[/]" if flag else f"{figure}    ") + f" {literal(name)}")
        return "\n".join(out)

    @staticmethod
    def _card_figure(card: Card, title: str, unit: str) -> Figure | None:
        if not card.lines:
            return None
        main = card.lines[0]
        table = [["项目", f"金额({unit})", "比例", "说明"]]
        table += [[x.label.strip(), money(x.amount, unit).replace(",", ""),
                   percent(round(x.rate, 2)) if x.rate is not None else "", x.note] for x in card.lines]
        table += [[name, "", percent(rate), unit_name] for name, unit_name, rate in card.lowest]
        return Figure(label=f"{card.title} {main.label}", value=money(main.amount, unit), unit=unit if main.amount
                      is not None else "", title=title, source=main.source,
                      row=list(zip(table[0], table[1])), table=table)
