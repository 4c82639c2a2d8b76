"""A project: the header card (money by source, 执行率, goal, outcome, problems, fixes), then its
indicators grouped 产出 · 效益 · 满意度 as target against outcome, with 不适用 folded away.

Also shows a department's 整体绩效目标 (indicators without a project). Marks are glyphs as well
as colours (✓ ✗ =), so they survive 16 colours and NO_COLOR.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import polars as pl
from rich.cells import cell_len
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Collapsible, Static

from parsing.numbers import format_amount
from parsing.queries import panes
from tui.figure import Figure
from tui.format import money, percent, rate_flag
from tui.messages import FigureChanged
from tui.refs import Ref
from tui.text import literal, plain, to_text
from tui.widgets.reading_pane import ReadingPane

if TYPE_CHECKING:
    from parsing.library import Library

VERDICTS = {
    "met": ("✓", "达成", "verdict-met"),
    "overachieved": ("✓", "超出目标", "verdict-met"),
    "missed": ("✗", "未达成", "verdict-missed"),
    "as_target": ("=", "与目标一致", ""),
    "identical": ("=", "照抄目标", ""),
    "likely_met": ("≈", "文字称已完成", "verdict-met"),
    "likely_missed": ("≈", "文字称未完成", "verdict-missed"),
    "no_target": ("·", "目标无数值，无法比较", ""),
}
SOURCES = (("合计", "total"), ("一般公共预算", "gpb"), ("政府性基金", "fund"), ("非财政资金", "nonfiscal"))
TEXTS = (("年度目标", "goal"), ("完成情况", "outcome"), ("存在问题", "problems"), ("整改情况", "rectification"))


def _of(got: float | None, out_of: float | None) -> str:
    """'1.33/2': a score and the 分值 it is out of (the score alone when none is printed)."""
    return format_amount(got) + (f"/{format_amount(out_of)}" if out_of is not None else "")


def _line(markup: str) -> Text:
    text = to_text(markup)
    text.end = "\n"
    return text


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cell_len(text))


def lpad(text: str, width: int) -> str:
    return " " * max(0, width - cell_len(text)) + text


class ProjectPane(ReadingPane):
    """One project (or a department's overall targets), scrolled with j/k."""

    async def show(self, library: Library, ref: Ref, unit: str) -> None:
        """Show the project of ``ref`` (or, for a targets ref, the filing's overall targets)."""
        doc = library.document(ref.doc_id) if ref.doc_id else {}
        if ref.kind == "project":
            project, groups, printed = panes.project(library, ref.project_id, ref.doc_id)
            head = self._project_head(project, doc, unit, self._score_line(project, printed))
            self._figure = self._project_figure(project, printed, doc, unit)
        else:
            goals, groups = panes.overall_targets(library, ref.doc_id)
            head = self._targets_head(doc, goals)
            self._figure = None
        widgets: list[Static | Collapsible] = [Static(head, classes="card")]
        widgets += self._indicator_widgets(groups)
        async with self.batch():
            await self.remove_children()
            await self.mount_all(widgets)
        self.scroll_home(animate=False)
        self.post_message(FigureChanged(self._figure))

    # -- header --------------------------------------------------------------------------------

    def _project_head(self, p: dict[str, Any], doc: dict[str, Any], unit: str, score: str = "") -> str:
        lines = [
            f"[bold]{literal(p['name'])}[/]",
            f"[dim]{literal(p['unit'])}  {literal(doc['year'])} {literal(doc['kind'])}"
            + (f"  序号{p['seq']}" if p["seq"] is not None else "")
            + "[/]",
            "",
        ]
        rows = [(label, p[f"budget_{key}"], p[f"actual_{key}"]) for label, key in SOURCES]
        rows = [r for i, r in enumerate(rows) if i == 0 or r[1] or r[2]]
        has_actual = any(r[2] is not None for r in rows)
        width = max(cell_len(r[0]) for r in rows) + 2
        amounts = [(money(b, unit), money(a, unit)) for _, b, a in rows]
        col = max(cell_len(f"实际({unit})"), *(cell_len(x) for pair in amounts for x in pair)) + 2
        lines.append(pad("", width) + lpad(f"预算({unit})", col) + (lpad(f"实际({unit})", col) if has_actual else ""))
        for (label, _, _), (b, a) in zip(rows, amounts, strict=False):
            lines.append(pad(label, width) + lpad(b, col) + (lpad(a, col) if has_actual else ""))
        if p["exec_rate"] is not None:
            flag = rate_flag(p["exec_rate"])
            rate = f"执行率 {percent(p['exec_rate'])}"
            lines.append(f"[bold reverse]{rate} {flag}[/]" if flag else f"[bold]{rate}[/]")
        if score:
            lines.append(score)
        for label, key in TEXTS:
            if p.get(key):
                lines += ["", f"[bold]{label}[/]", literal(p[key], oneline=False)]
        return "\n".join(lines)

    @staticmethod
    def _score_line(p: dict[str, Any], indicators: pl.DataFrame) -> str:
        """A score form's 总分 and its parts, 资金 and 指标, each 得分/分值 as printed (the
        indicators' summed): '总分 92.33  资金 7/10  指标 85.33/90'; blank where none is printed."""
        score = panes.score_summary(p, indicators)
        if score is None:
            return ""
        parts = "".join(f"  {label} {_of(got, out_of)}" for label, got, out_of in score.parts)
        line = f"[bold]总分 {_of(score.total, score.total_weight)}[/]" if score.total is not None else "[bold]得分[/]"
        if score.differs:
            parts += f"  [bold]≠ 相加 {format_amount(score.summed)}[/]"
        return line + parts

    def _targets_head(self, doc: dict[str, Any], goals: list[str]) -> str:
        about = f"{literal(doc['department'])}  {literal(doc['year'])} {literal(doc['kind'])}"
        lines = ["[bold]整体绩效目标[/]", f"[dim]{about}[/]"]
        for goal in goals:
            lines += ["", "[bold]年度总体目标[/]", literal(goal, oneline=False)]
        return "\n".join(lines)

    # -- indicators ----------------------------------------------------------------------------

    def _indicator_widgets(self, groups: panes.IndicatorGroups) -> list[Static | Collapsible]:
        folded = groups.not_applicable
        out: list[Static | Collapsible] = []
        for level1, group in groups.groups:
            parts: list[Text | Table] = [_line(f"[bold reverse] {literal(level1) or '其他'}指标 [/]")]
            previous, grid = None, None
            for r in group:
                if grid is None or r["level2"] != previous:
                    parts.append(_line(f"[bold]{literal(r['level2'])}[/]"))
                    grid = Table.grid(padding=(0, 1), expand=True)
                    grid.add_column(width=6, no_wrap=True)
                    grid.add_column(ratio=1, overflow="fold")
                    parts.append(grid)
                    previous = r["level2"]
                for label, markup in self._indicator_rows(r):
                    grid.add_row(Text("  " + label), to_text(markup, wrap=True))
            out.append(Static(Group(*parts), classes="indicators"))
        if folded:
            names = "\n".join(
                f"{literal(r['level1'])} {literal(r['level2'])}"
                + (f"：{literal(r['indicator'])}" if r["indicator"] and plain(r["indicator"]) != "不适用" else "")
                for r in folded
            )
            out.append(
                Collapsible(
                    Static(names),
                    title=f"不适用 {len(folded)} 项",
                    collapsed=True,
                    collapsed_symbol="+",
                    expanded_symbol="-",
                )
            )
        if not len(groups):
            out.append(Static("[dim]没有绩效指标[/]"))
        return out

    @staticmethod
    def _indicator_rows(r: dict[str, Any]) -> list[tuple[str, str]]:
        """(label, markup) lines of one indicator: its name when it differs, target, outcome + mark."""
        lines = []
        indicator, target = plain(r["indicator"]), plain(r["target"])
        if indicator and indicator != target:
            lines.append(("指标", literal(indicator)))
        if target:
            lines.append(("目标", literal(target)))
        if r.get("weight") is not None and r.get("score") is None:
            lines.append(("权重", format_amount(r["weight"])))
        mark, word, _ = VERDICTS.get(r["verdict"] or "", ("", "", ""))
        tail = f" [bold]{mark}{word}[/]" if mark else ""
        if r["outcome"] is not None:
            lines.append(("完成", literal(r["outcome"]) + tail))
        elif tail:
            lines.append(("评价", tail.strip()))
        if r.get("score") is not None:
            weight = f"（分值 {format_amount(r['weight'])}）" if r.get("weight") is not None else ""
            lines.append(("得分", format_amount(r["score"]) + weight))
        return lines

    # -- figure --------------------------------------------------------------------------------

    @staticmethod
    def _project_figure(p: dict[str, Any], indicators: pl.DataFrame, doc: dict[str, Any], unit: str) -> Figure:
        rate = percent(p["exec_rate"])
        label = f"{plain(p['name'])} 预算{money(p['budget_total'], unit)}{unit}"
        if p["actual_total"] is not None:
            label += f" 实际{money(p['actual_total'], unit)}{unit}"
        row = [
            ("预算单位", plain(p["unit"])),
            ("项目名称", plain(p["name"])),
            (f"预算合计({unit})", money(p["budget_total"], unit).replace(",", "")),
            (f"实际合计({unit})", money(p["actual_total"], unit).replace(",", "")),
            ("执行率", rate),
        ]
        table = [["一级指标", "二级指标", "三级指标", "目标值", "分值", "得分", "完成情况", "评价"]]
        for r in indicators.iter_rows(named=True):
            cells = [plain(r[k]) for k in ("level1", "level2", "indicator", "target")]
            scores = [format_amount(r["weight"]), format_amount(r["score"])]
            table.append([*cells, *scores, plain(r["outcome"]), plain(r["verdict"])])
        if p.get("funds_weight") is not None or p.get("funds_score") is not None:
            table.append(
                ["资金", "", "", "", format_amount(p["funds_weight"]), format_amount(p["funds_score"]), rate, ""]
            )
        if p.get("score_total") is not None:
            table.append(
                ["总分", "", "", "", format_amount(p["weight_total"]), format_amount(p["score_total"]), "", ""]
            )
        return Figure(
            label=label + (" 执行率" if rate else ""),
            value=rate or money(p["budget_total"], unit),
            unit="" if rate else unit,
            title=plain(doc["title"]),
            source={k: p.get(k) for k in ("source_file", "source_page", "source_line", "source_table")},
            row=row,
            table=table,
        )
