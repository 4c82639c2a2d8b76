"""未达成指标: the indicators a filing (or a department, over its years) reports as missed, each
with its project, target and outcome as printed, so a meeting sees them without opening projects."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from parsing.numbers import format_amount
from parsing.queries.outline import missed_indicators, short_unit
from tui.figure import Figure
from tui.messages import FigureChanged
from tui.refs import Ref
from tui.text import literal, plain, to_text
from tui.widgets.reading_pane import ReadingPane

if TYPE_CHECKING:
    from parsing.library import Library


class MissedPane(ReadingPane):
    """A list of missed indicators, grouped by project."""

    def compose(self):
        yield Static(id="missed-text")

    def show(self, library: Library, ref: Ref, unit: str) -> None:
        if ref.doc_id is not None:
            rows = missed_indicators(library, doc_id=ref.doc_id)
            doc = library.document(ref.doc_id)
            scope = f"{plain(doc['year'])} {plain(doc['kind'])}"
        else:
            rows = missed_indicators(library, department=ref.department)
            scope = "各年"
        title = (
            f"[bold]未达成指标[/]  {literal(ref.department)} {literal(scope)}  共 {len(rows)} 项"
            "  [dim]✗ 数值未达成 · ≈ 文字称未完成[/]"
        )
        parts: list[Text | Table] = [to_text(title + "\n")]
        project = None
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(width=4, no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")
        for r in rows:
            head = (r.get("year"), r.get("project"))
            if head != project:
                project = head
                who = short_unit(plain(r.get("unit")), ref.department)
                name = plain(r.get("project")) or "整体绩效目标"
                grid.add_row("", to_text(f"[bold]{literal(r.get('year'))} {literal(name)}[/] [dim]{literal(who)}[/]"))
            grid.add_row(
                Text("✗" if r.get("verdict") == "missed" else "≈"),
                to_text(
                    f"{literal(r.get('level2'))} {literal(r.get('indicator'))}\n"
                    f"[dim]目标[/] {literal(r.get('target'))}  [dim]完成[/] {literal(r.get('outcome'))}" + _score(r),
                    wrap=True,
                ),
            )
        parts.append(grid if rows else to_text("[dim]没有未达成的指标[/]"))
        self.query_one("#missed-text", Static).update(Group(*parts))
        self.scroll_home(animate=False)
        self._figure = _figure(rows, ref, scope) if rows else None
        self.post_message(FigureChanged(self._figure))


def _score(r: dict[str, Any]) -> str:
    """'  得分 1.33/2' for a score form's indicator (its 得分 of its 分值); blank elsewhere."""
    if r.get("score") is None:
        return ""
    weight = f"/{format_amount(r['weight'])}" if r.get("weight") is not None else ""
    return f"  [dim]得分[/] {format_amount(r['score'])}{weight}"


def _figure(rows: list[dict[str, Any]], ref: Ref, scope: str) -> Figure:
    head = ["年度", "预算单位", "项目", "二级指标", "三级指标", "目标值", "完成情况"]
    body = [
        [plain(r.get(k)) for k in ("year", "unit", "project", "level2", "indicator", "target", "outcome")] for r in rows
    ]
    first = rows[0]
    return Figure(
        label=f"{plain(first.get('project'))} {plain(first.get('indicator'))} 未达成",
        value=plain(first.get("outcome")),
        unit="",
        title=f"{plain(ref.department)} {scope} 未达成指标",
        source={k: first.get(k) for k in ("source_file", "source_page", "source_line", "source_table")},
        row=list(zip(head, body[0], strict=False)),
        table=[head, *body],
        department=plain(ref.department),
        name=f"{short_unit(ref.department, ref.department)}_{scope.replace(' ', '_')}_未达成指标",
    )
