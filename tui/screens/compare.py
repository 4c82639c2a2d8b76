"""`c`: two years of a department side by side (or a budget against its actual spending).

Rows come from ``parsing.queries.compare`` already aligned by 科目编码 and sorted by |Δ|; what to
show of them (one table or all, differences or every row, A older than B) from
``parsing.queries.compare_view``. This screen only lays them out: names, A, B, Δ, Δ% with ▲▼ (and
执行率 for budget vs actual), every amount whole; names give way first when the screen is narrow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import polars as pl
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from parsing.queries import compare_view
from parsing.queries.lookup import department_years, year_label
from parsing.queries.outline import short_unit
from tui.figure import Figure
from tui.format import UNITS
from tui.text import literal, plain
from tui.widgets.compare_table import CompareTable
from tui.widgets.source_bar import SourceBar

if TYPE_CHECKING:
    from textual.app import App

    from parsing.library import Library
    from tui.refs import Ref

MARKS = {"new": "新增", "gone": "取消", "renamed": "改名", "fuzzy": "近似", "changed": "", "same": ""}
WHAT = {"budget": "部门预算", "projects": "项目", "actual": "预算与实际"}


class CompareScreen(Screen[None]):
    """A comparison table with its own keys; Esc returns to the browser."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,backspace", "app.pop_screen", "返回"),
        Binding("a", "year('a')", "换A年"),
        Binding("b", "year('b')", "换B年"),
        Binding("f", "table", "选表"),
        Binding("s", "same", "全部/差异"),
        Binding("v", "actual", "预算与实际"),
        Binding("t", "switch", "表/项目", show=False),
        Binding("right_square_bracket", "difference(1)", "下一差异", show=False),
        Binding("left_square_bracket", "difference(-1)", "上一差异", show=False),
        Binding("u", "unit", "万元/元", show=False),
        Binding("p", "provenance", "出处", show=False),
        Binding("y", "copy", "复制", show=False),
        Binding("e", "export", "导出", show=False),
    ]

    def __init__(self, library: Library, department: str, years: list[int], *, projects: bool = False) -> None:
        super().__init__()
        self.library = library
        self.department = department
        self.years = sorted(years)
        self.year_a, self.year_b = (self.years[-2], self.years[-1]) if len(years) > 1 else (years[0], years[0])
        self.mode = "projects" if projects else "budget"
        self.unit = "万元"
        self.table_kind = compare_view.ALL_TABLES
        self.differences_only = True
        self.frame = pl.DataFrame()  # the whole comparison, in 万元
        self.shown = pl.DataFrame()  # the rows on screen, in the current unit
        self.labels: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="compare-title")
        yield CompareTable(id="compare-table")
        yield SourceBar(id="compare-source")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(SourceBar).display = False
        self.refresh_rows()
        self.query_one(DataTable).focus()

    def on_resize(self, event: events.Resize) -> None:
        if self.frame.height:
            self._show()

    def refresh_rows(self) -> None:
        """Compute the comparison for the current years and mode, and show it."""
        from parsing.queries import compare
        from parsing.queries.report import headers

        a, b = self.year_a, self.year_b
        try:
            if self.mode == "actual":
                self.frame = compare.compare_budget_actual(self.library, self.department, b)
                self.labels = headers(f"{b}预算", f"{b}实际")
            elif self.mode == "projects":
                self.frame = compare.compare_projects(self.library, self.department, a, b)
                self.labels = headers(f"A {a}", f"B {b}")
            else:
                self.frame = compare.compare_budget(self.library, self.department, a, b)
                self.labels = headers(f"A {a}", f"B {b}")
        except ValueError:
            self.frame = pl.DataFrame()
            if self.mode == "actual":
                problem = compare_view.actual_problem(self.library, self.department, b)
            elif self.mode == "projects":
                problem = compare_view.projects_problem(self.library, self.department, a, b)
            else:
                problem = compare_view.years_problem(self.library, self.department, a, b)
            self.query_one("#compare-title", Static).update(literal(problem, oneline=False))
            self.query_one(DataTable).clear(columns=True)
            return
        if self.table_kind not in compare_view.table_kinds(self.frame):
            self.table_kind = compare_view.ALL_TABLES
        self._show()

    def _show(self) -> None:
        if not self.frame.width:  # nothing could be compared: the title says why
            return
        rows = compare_view.view(self.frame, self.table_kind, differences_only=self.differences_only)
        self.shown, _ = compare_view.in_unit(rows, self.labels, self.unit)
        a, b = self.year_a, self.year_b
        shown_a, shown_b = (year_label(self.library, self.department, y) for y in (a, b))
        sides = f"A {shown_b}预算 · B {shown_b}实际" if self.mode == "actual" else f"A {shown_a} → B {shown_b}"
        changed = compare_view.view(self.frame).height
        table = "" if self.table_kind == compare_view.ALL_TABLES else f" · {self.table_kind}"
        scope = "只看差异（s 显示全部）" if self.differences_only else "全部行（s 只看差异）"
        self.query_one("#compare-title", Static).update(
            f"[bold]单位：{self.unit}[/]  "
            + literal(
                f"{short_unit(self.department, self.department)} · {sides} · {WHAT[self.mode]}{table} · "
                f"{changed}/{self.frame.height} 处不同 · {scope}",
                oneline=False,
            )
        )
        drawn = self.query_one(CompareTable)
        context = {"department": self.department, "mode": self.mode, "table_kind": self.table_kind}
        if not drawn.draw(self.frame, self.shown, year_a=a, year_b=b, **context):
            self.notify("没有不同之处：s 显示全部行" if self.differences_only else "没有可比较的行", timeout=3)

    # -- actions -------------------------------------------------------------------------------

    def action_difference(self, step: int) -> None:
        """Move the cursor to the next (or previous) row that differs."""
        table = self.query_one(DataTable)
        statuses = self.shown["status"].to_list() if "status" in self.shown.columns else []
        n = len(statuses)
        for i in range(1, n + 1):
            row = (table.cursor_row + step * i) % n
            if statuses[row] != "same":
                table.move_cursor(row=row)
                return
        self.notify("没有不同之处", timeout=2)

    def action_year(self, which: str) -> None:
        """Step year A (or B) through the department's years, A always older than B."""
        if self.mode == "actual":  # one year, budget against actual: step through every year
            self.year_b = compare_view.next_year(self.years, self.year_b)
        elif which == "a":
            self.year_a = compare_view.next_year(self.years, self.year_a, below=self.year_b)
        else:
            self.year_b = compare_view.next_year(self.years, self.year_b, above=self.year_a)
        self.refresh_rows()

    def action_table(self) -> None:
        kinds = compare_view.table_kinds(self.frame)
        self.table_kind = (
            kinds[(kinds.index(self.table_kind) + 1) % len(kinds)] if self.table_kind in kinds else kinds[0]
        )
        self._show()

    def action_same(self) -> None:
        self.differences_only = not self.differences_only
        self._show()

    def action_switch(self) -> None:
        self.mode = "projects" if self.mode != "projects" else "budget"
        self.refresh_rows()

    def action_actual(self) -> None:
        self.mode = "actual" if self.mode != "actual" else "budget"
        self.refresh_rows()

    def action_unit(self) -> None:
        self.unit = UNITS[(UNITS.index(self.unit) + 1) % len(UNITS)]
        self._show()
        self.notify(f"金额单位：{self.unit}", timeout=2)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        bar = self.query_one(SourceBar)
        if bar.display:
            bar.show_figure(self.figure())

    def figure(self) -> Figure | None:
        """The highlighted row as a figure: its Δ, the row, and the whole comparison on screen."""
        if not self.shown.height:
            return None
        from parsing.queries.export import header

        row_no = min(self.query_one(DataTable).cursor_row, self.shown.height - 1)
        frame = self._export_frame()
        head = header(frame.columns, self.labels_in_unit())
        body = [[plain(v) if v is not None else "" for v in r] for r in frame.iter_rows()]
        table = self.query_one(CompareTable)
        texts, values = table.cells(self.shown.row(row_no, named=True), table.columns_for()[1])
        a, b = (f"{self.year_b}预算", f"{self.year_b}实际") if self.mode == "actual" else (self.year_a, self.year_b)
        return Figure(
            label=f"{texts['name']} {texts['measure']} {a}→{b} 增减".replace("  ", " "),
            value=values[2],
            unit=self.unit,
            title=f"{self.department} {a}与{b}比较",
            source={"source_file": self._files(), "source_table": texts["table_kind"] or WHAT[self.mode]},
            row=list(zip(head, body[row_no], strict=False)),
            table=[head, *body],
            department=self.department,
            name=self._file_name(),
        )

    def _files(self) -> str:
        """The files behind A and B (A · B), for p."""
        from pathlib import Path

        from parsing.queries.lookup import document_id

        kinds = ("部门预算", "部门决算") if self.mode == "actual" else ("部门预算", "部门预算")
        years = (self.year_b, self.year_b) if self.mode == "actual" else (self.year_a, self.year_b)
        names = []
        for side, year, kind in zip("AB", years, kinds, strict=True):
            doc = document_id(self.library, self.department, year, kind, required=False)
            if doc is not None:
                names.append(f"{side} {Path(self.library.document(doc)['file'] or '').name}")
        return " · ".join(names)

    def labels_in_unit(self) -> dict[str, str]:
        return compare_view.in_unit(pl.DataFrame(), self.labels, self.unit)[1]

    def _export_frame(self) -> pl.DataFrame:
        return self.shown.drop([c for c in self.shown.columns if c.startswith("project_id")])

    def _file_name(self) -> str:
        table = "" if self.table_kind == compare_view.ALL_TABLES else f"_{self.table_kind}"
        dept = short_unit(self.department, self.department)
        return f"{dept}_{self.year_a}-{self.year_b}_{WHAT[self.mode]}比较{table}"

    def action_provenance(self) -> None:
        bar = self.query_one(SourceBar)
        bar.display = not bar.display
        bar.show_figure(self.figure())

    def action_copy(self) -> None:
        from tui.screens.copy import CopyDialog

        figure = self.figure()
        if figure is None:
            self.notify("此处没有可复制的数字", severity="warning", timeout=3)
            return

        def copied(text: str | None) -> None:
            if text:
                self.app.copy_to_clipboard(text)
                self.notify(f"已复制 {text.count(chr(10)) or 1} 行", timeout=3)

        self.app.push_screen(CopyDialog(figure), copied)

    def action_export(self) -> None:
        from tui.screens.export import ExportDialog

        if self.shown.is_empty():
            self.notify("没有可导出的行", severity="warning")
            return
        self.app.push_screen(ExportDialog(self._export_frame(), self._file_name(), labels=self.labels_in_unit()))


class Host(Protocol):
    """What `c` needs of the main screen (named, so that this module need not import it)."""

    library: Library | None
    current: Ref | None
    app: App[Any]

    def notify(self, message: str, *, severity: Any = ...) -> None: ...


def open_compare(main: Host) -> None:
    """`c` on the main screen: two budget years of the highlighted department (its projects' years
    from a project or unit, or when it has fewer than two budgets)."""
    ref = main.current
    if main.library is None or ref is None:
        return
    budgets = department_years(main.library, ref.department, "部门预算")
    projects = ref.kind in ("project", "projects", "unit") or len(budgets) < 2
    years = department_years(main.library, ref.department, None if projects else "部门预算")
    if len(years) < 2:
        main.notify(f"{literal(ref.department)} 只有 {len(years)} 个年度，无从比较", severity="warning")
        return
    main.app.push_screen(CompareScreen(main.library, ref.department, years, projects=projects))
