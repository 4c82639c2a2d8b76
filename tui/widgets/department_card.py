"""The page an analyst opens in a meeting: a department's (or unit's) figures for one filing.

Totals, 基本 vs 项目, 三公, how many projects, execution by unit, and the lowest execution
rates. The figures come from ``parsing.queries.card``; this widget only lays them out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from parsing.queries.card import Card, CardLine, card_figures, change_pct
from parsing.queries.outline import filings, short_unit
from tui.figure import Figure
from tui.format import money, percent, rate_flag
from tui.messages import FigureChanged
from tui.refs import Ref
from tui.text import literal, plain, to_text
from tui.widgets.paragraph import Paragraph
from tui.widgets.reading_pane import ReadingPane

if TYPE_CHECKING:
    from parsing.library import Library


WORST = "最大一处"  # the card line naming the largest error


def _rate(x: CardLine) -> Text:
    if x.rate is None:
        return Text("")
    rate, flag = percent(round(x.rate, 2)), rate_flag(x.rate) if x.flag_rate else ""
    return to_text(f"[bold reverse]{rate} {flag}[/]" if flag else rate)


def _label(x: CardLine, department: str) -> Text:
    label = short_unit(x.label, department) if x.unit == x.label else x.label
    indent = len(label) - len(label.lstrip(" "))
    return to_text(" " * indent + literal(label))


def _note(x: CardLine, department: str, unit: str) -> str:
    """The remark column: the 预算数 beside a 决算数, last year's amount and Δ%, the unit a
    project belongs to, or the note."""
    budget = f"预算 {money(x.budget, unit)}" if x.budget is not None else ""
    if x.prior is not None:
        pct = change_pct(x)
        label = "上年（示例）" if "示例" in x.prior_from else "上年"  # a synthetic filing's figure says so
        prior = f"{label} {money(x.prior, unit)}" + (f" {percent(pct, sign=True)}" if pct is not None else "")
        return f"{budget}，{prior}" if budget else prior
    if budget:
        return budget
    if x.unit and x.unit != x.label:
        return short_unit(x.unit, department)
    if x.label == WORST:  # its rule here; its message below the card, wrapped whole
        return f"{x.note.partition(' ')[0]}（见下）"
    return x.note


def _figures_grid(lines: list[CardLine], unit: str, department: str) -> Table:
    """label | amount (or a count) | rate | remark."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(max_width=18, overflow="ellipsis", no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(overflow="fold")
    for x in lines:
        value = literal(x.count) if x.count else money(x.amount, unit)
        grid.add_row(
            _label(x, department), to_text(value), _rate(x), to_text(literal(_note(x, department, unit)), wrap=True)
        )
    return grid


def _lowest_grid(lines: list[CardLine], department: str, unit: str) -> Table:
    """rate | project (unit), the name wrapping."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for x in lines:
        remark = _note(x, department, unit)
        note = f" [dim]{literal(remark)}[/]" if remark else ""
        grid.add_row(_rate(x), to_text(literal(x.label) + note, wrap=True))
    return grid


class DepartmentCard(ReadingPane):
    """Figures for a department, a filing or a unit."""

    def compose(self):
        yield Static(id="card-text")
        yield Paragraph("", id="card-note")  # the largest error's message: its figures never split

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.findings = pl.DataFrame()  # consistency findings, handed down by the screen
        self.checks: dict[str, str] = {}  # department → "running" | "done"; absent: not started

    def show(self, library: Library, ref: Ref, unit: str) -> None:
        """Show the card for ``ref``: a department (its latest filing), a filing or a unit."""
        docs = filings(library, ref.department)
        doc_id = ref.doc_id or (docs[0]["doc_id"] if docs else None)
        text = self.query_one("#card-text", Static)
        if doc_id is None:
            text.update(literal(ref.department) + "\n[dim]此部门没有读出的文件[/]")
            self.query_one("#card-note", Paragraph).set_text("")
            self._figure = None
            self.post_message(FigureChanged(None))
            return
        doc = library.document(doc_id)
        state = self.checks.get(doc["department"], "pending")
        card = card_figures(library, doc_id, ref.unit if ref.kind == "unit" else None, self.findings, state)
        names = [d["label"] for d in docs] if ref.kind == "department" else []
        text.update(self._renderable(card, unit, names))
        worst = next((x.note for x in card.lines() if x.label == WORST and x.note), "")
        self.query_one("#card-note", Paragraph).set_text(worst.partition(" ")[2])
        self.scroll_home(animate=False)
        self._figure = self._card_figure(card, plain(doc["title"]), unit)
        self.post_message(FigureChanged(self._figure))

    @staticmethod
    def _renderable(card: Card, unit: str, filings: list[str]) -> Group:
        mark = "  [bold reverse] 示例 [/] [dim]非正式文件[/]" if card.synthetic else ""
        parts: list[Text | Table] = [
            to_text(
                f"[bold]{literal(card.title)}[/]{mark}\n[dim]{literal(card.subtitle)}[/]  [bold]单位：{unit}[/]",
                wrap=True,
            )
        ]
        for warning in card.warnings:
            parts.append(to_text(f"[bold]! 与印数不符[/] {literal(warning)}", wrap=True))
        if filings:
            parts.append(to_text(f"\n[bold]文件[/]  {literal('，'.join(filings))}", wrap=True))
        for title, lines in card.sections:
            parts.append(to_text(f"\n[bold reverse] {literal(title)} [/]"))
            parts.append(
                _lowest_grid(lines, card.department, unit)
                if title == "执行率最低"
                else _figures_grid(lines, unit, card.department)
            )
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
        table += [
            [
                section,
                x.label.strip(),
                money(x.amount, unit).replace(",", ""),
                percent(round(x.rate, 2)) if x.rate is not None else "",
                _note(x, card.department, unit),
            ]
            for section, rows in card.sections
            for x in rows
        ]
        return Figure(
            label=f"{card.title} {main.label}",
            value=money(main.amount, unit),
            unit=unit,
            title=title,
            source=main.source,
            row=list(zip(table[0], table[1 + lines.index(main)], strict=False)),
            table=table,
        )
