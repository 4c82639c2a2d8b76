"""`c`: two years of a department side by side (or a budget against its actual spending).

Rows come from ``parsing.queries.compare`` already aligned and sorted by |Δ|; this screen only shows
them: year A, year B, Δ, Δ% with ▲▼, and a mark for new, gone, renamed or fuzzy (with its
score). ] and [ jump between differences, a and b change the years, t switches between budget
lines and projects, v shows budget against actual, e exports exactly what is on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import polars as pl
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from tui.format import money, percent
from tui.text import clip, plain
from tui.widgets.filing_tree import short_unit

if TYPE_CHECKING:
    from parsing.library import Library

MARKS = {"new": "新增", "gone": "取消", "renamed": "改名", "fuzzy": "近似", "changed": "", "same": ""}


class CompareScreen(Screen[None]):
    """A comparison table with its own keys; Esc returns to the browser."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,backspace", "app.pop_screen", "返回"),
        Binding("right_square_bracket", "difference(1)", "下一差异"),
        Binding("left_square_bracket", "difference(-1)", "上一差异"),
        Binding("a", "year('a')", "换年A"),
        Binding("b", "year('b')", "换年B"),
        Binding("t", "switch", "表/项目"),
        Binding("v", "actual", "预算vs实际"),
        Binding("e", "export", "导出"),
    ]

    def __init__(self, library: Library, department: str, years: list[int], *, projects: bool = False) -> None:
        super().__init__()
        self.library = library
        self.department = department
        self.years = years
        self.year_a, self.year_b = (years[-2], years[-1]) if len(years) > 1 else (years[0], years[0])
        self.mode = "projects" if projects else "budget"
        self.frame = pl.DataFrame()
        self.labels: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="compare-title")
        yield DataTable(id="compare-table", zebra_stripes=True, cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_rows()
        self.query_one(DataTable).focus()

    def refresh_rows(self) -> None:
        """Compute the comparison for the current years and mode, and show it."""
        from parsing.queries import compare
        from parsing.queries.report import headers

        table = self.query_one(DataTable)
        table.clear(columns=True)
        a, b = self.year_a, self.year_b
        try:
            if self.mode == "actual":
                self.frame = compare.compare_budget_actual(self.library, self.department, b)
                self.labels = headers(f"{b}预算", f"{b}实际")
            elif self.mode == "projects":
                self.frame = compare.compare_projects(self.library, self.department, a, b)
                self.labels = headers(str(a), str(b))
            else:
                self.frame = compare.compare_budget(self.library, self.department, a, b)
                self.labels = headers(str(a), str(b))
        except ValueError as error:
            self.frame = pl.DataFrame()
            self.query_one("#compare-title", Static).update(plain(str(error)))
            return
        what = {"budget": "部门预算", "projects": "项目", "actual": "预算 vs 实际"}[self.mode]
        years = f"{b}" if self.mode == "actual" else f"{a} → {b}"
        changed = self.frame.filter(pl.col("status") != "same").height if "status" in self.frame.columns else 0
        self.query_one("#compare-title", Static).update(
            f" {plain(self.department)} · {years} · {what} · {self.frame.height} 行，{changed} 处不同"
        )
        self._fill(table)

    def _fill(self, table: DataTable) -> None:
        """Names first (pinned: ← → scroll the figures), then A, B, Δ, Δ% and the mark."""
        projects = "budget_a" in self.frame.columns
        a_col, b_col = ("budget_a", "budget_b") if projects else ("amount_a", "amount_b")
        heads = ["预算单位", "项目"] if projects else ["表", "科目", "栏目"]
        for head in heads:
            table.add_column(head)
        for key in (a_col, b_col, "delta", "delta_pct", "status"):
            table.add_column(plain(self.labels.get(key, key)), key=key)
        table.fixed_columns = len(heads)
        for row in self.frame.iter_rows(named=True):
            name = plain(row.get("name_b") or row.get("name_a") or "")
            if projects:
                if row["name_a"] and row["name_b"] and row["name_a"] != row["name_b"]:
                    name = f"{plain(row['name_a'])} → {name}"
                keys = [clip(short_unit(plain(row["unit"]), self.department), 12), clip(name, 26)]
            else:
                keys = [
                    clip(plain(row["table_kind"]), 8),
                    clip(f"{row['code'] or ''} {name}".strip(), 22),
                    clip(plain(row["measure"]), 10),
                ]
            delta = row["delta"]
            arrow = "" if not delta else ("▲" if delta > 0 else "▼")
            mark = MARKS.get(row["status"], row["status"])
            if row["status"] == "fuzzy" and row.get("score") is not None:
                mark = f"近似 {row['score']:.2f}"
            figures = [
                money(row[a_col]),
                money(row[b_col]),
                f"{arrow}{money(abs(delta)) if delta else money(delta)}",
                percent(row["delta_pct"]),
            ]
            table.add_row(*keys, *(Text(f, justify="right") for f in figures), mark)

    def action_difference(self, step: int) -> None:
        """Move the cursor to the next (or previous) row that differs."""
        table = self.query_one(DataTable)
        statuses = self.frame["status"].to_list() if "status" in self.frame.columns else []
        n = len(statuses)
        for i in range(1, n + 1):
            row = (table.cursor_row + step * i) % n
            if statuses[row] != "same":
                table.move_cursor(row=row)
                return
        self.notify("没有不同之处", timeout=2)

    def action_year(self, which: str) -> None:
        """Step year A (or B) through the department's years."""
        current = self.year_a if which == "a" else self.year_b
        nxt = self.years[(self.years.index(current) + 1) % len(self.years)]
        if which == "a":
            self.year_a = nxt
        else:
            self.year_b = nxt
        self.refresh_rows()

    def action_switch(self) -> None:
        self.mode = "projects" if self.mode != "projects" else "budget"
        self.refresh_rows()

    def action_actual(self) -> None:
        self.mode = "actual" if self.mode != "actual" else "budget"
        self.refresh_rows()

    def action_export(self) -> None:
        from tui.screens.export import ExportDialog

        if self.frame.is_empty():
            self.notify("没有可导出的行", severity="warning")
            return
        name = f"{self.department}-{self.year_a}-{self.year_b}-{self.mode}"
        frame = self.frame.drop([c for c in self.frame.columns if c.startswith("project_id")])
        self.app.push_screen(ExportDialog(frame, name, labels=self.labels))
