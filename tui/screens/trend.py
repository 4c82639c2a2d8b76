"""`T`: a department's code or metric over every loaded year, as a bar chart with its values.

The chart is textual-plotext's, drawn in its colourless theme with block bars, so that it reads
the same in 16 colours, with NO_COLOR and in 80×24; every bar carries its value, and a line of
text under it gives each year's amount and change again, for a reader or a screen reader that
cannot see bars. Years whose filing lacks the figure are named, never drawn as zero.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header, Static
from textual_plotext import PlotextPlot

from parsing.queries.subjects import Subject
from parsing.queries.trend import Trend, trend
from tui.format import money, percent
from tui.text import literal, plain

if TYPE_CHECKING:
    from parsing.library import Library


def series_text(t: Trend) -> str:
    """2022 70 · 2023 193 ▲123 (+175.71%) · 未列示 2024."""
    parts = []
    for r in t.series.iter_rows(named=True):
        delta = r["delta"]
        change = "" if not delta else f" {'▲' if delta > 0 else '▼'}{money(abs(delta))}"
        pct = f"（{'+' if (r['delta_pct'] or 0) > 0 else ''}{percent(r['delta_pct'])}）" if r["delta_pct"] else ""
        parts.append(f"{r['year']} {money(r['amount'])}{change}{pct}")
    if t.missing:
        parts.append(f"未列示 {'、'.join(str(y) for y in t.missing)}")
    return " · ".join(parts)


class TrendScreen(Screen[None]):
    """A department's series: title, labelled bar chart, the values as text."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,backspace", "app.pop_screen", "返回"),
        Binding("e", "export", "导出"),
    ]

    def __init__(self, library: Library, department: str, subj: Subject) -> None:
        super().__init__()
        self.library, self.department, self.subject = library, department, subj
        self.trend: Trend | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="trend-title")
        yield PlotextPlot(id="trend-chart")
        yield Static(id="trend-values")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#trend-title", Static).update(f" {literal(self.department)} · 正在计算…")
        self.query_one(PlotextPlot).display = False
        self.compute()

    @work(thread=True, exclusive=True)
    def compute(self) -> None:
        """The series, off the UI thread (a first query on a large library builds its line index)."""
        try:
            t = trend(self.library, self.department, self.subject)
        except Exception as error:  # shown on the title line; the browser goes on
            self.app.call_from_thread(self.query_one("#trend-title", Static).update, f" 无法计算：{literal(error)}")
            return
        self.app.call_from_thread(self._show, t)

    def _show(self, t: Trend) -> None:
        self.trend = t
        self.query_one("#trend-title", Static).update(
            f" {literal(t.department)} · {literal(t.subject.title(t.name))} · 单位：{t.subject.unit}"
        )
        points = t.points()
        self.query_one("#trend-values", Static).update(literal(series_text(t)) or "各年度均未列示")
        self._draw(points)

    def _draw(self, points: list[tuple[int, float]]) -> None:
        chart = self.query_one(PlotextPlot)
        plt = chart.plt
        plt.clear_data()
        plt.theme("clear")  # no colour: bars are blocks, values are text
        chart.display = bool(points)
        if not points:
            return
        xs = [float(x) for x in range(1, len(points) + 1)]
        ys = [a for _, a in points]
        plt.bar(xs, ys, width=0.5, marker="█")
        plt.xticks(xs, [str(y) for y, _ in points])
        plt.xlim(0.4, len(points) + 0.6)
        low, high = min(0.0, *ys), max(0.0, *ys)
        span = (high - low) or 1.0
        plt.ylim(low, high + span * 0.2)
        for x, y in zip(xs, ys, strict=False):
            plt.text(money(y), x=x, y=y + span * 0.08, alignment="center")
        chart.refresh()

    def action_export(self) -> None:
        from tui.screens.export import ExportDialog

        if self.trend is None:
            return
        frame = self.trend.series.drop("doc_id", "table_no", "row_no")
        name = f"trend-{plain(self.trend.department)}-{self.trend.subject.code or self.trend.subject.metric}"
        labels = {
            "year": "年度",
            "amount": "金额",
            "unit": "单位",
            "share": "占部门支出（%）",
            "delta": "增减",
            "delta_pct": "增减（%）",
        }
        self.app.push_screen(ExportDialog(frame, name, labels=labels))
