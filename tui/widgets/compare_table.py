"""The comparison as a table: names pinned, then A, B, Δ, Δ% (执行率) and a mark, every figure whole.

The screen hands it the rows to show (already filtered and in the unit); it only lays them out,
giving text columns less room before any figure is cut.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

from parsing.queries import compare_view
from parsing.queries.outline import short_unit
from tui.format import money, percent
from tui.text import clip, plain

MARKS = {"new": "新增", "gone": "取消", "renamed": "改名", "fuzzy": "近似", "changed": "", "same": ""}


#: Table kinds in two characters, for a 表 column too narrow for their names ('收…' was two kinds).
SHORT_KINDS = {
    "收支总表": "收支",
    "收入总表": "收入",
    "支出总表": "支出",
    "财政拨款收支总表": "拨款",
    "功能分类": "功能",
    "经济分类": "经济",
    "基本支出": "基本",
    "项目支出": "项目",
    "三公经费": "三公",
    "政府性基金": "基金",
    "国有资本经营": "国资",
    "绩效目标": "绩效",
}


class CompareTable(DataTable):
    """Rows of a comparison, drawn to fit the screen's width."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, zebra_stripes=True, cursor_type="row")
        self.frame = pl.DataFrame()  # the whole comparison (to know its columns)
        self.shown = pl.DataFrame()  # the rows on screen
        self.department = ""
        self.mode = "budget"
        self.year_a = self.year_b = 0
        self.table_kind = compare_view.ALL_TABLES

    def draw(self, frame: pl.DataFrame, shown: pl.DataFrame, **context: Any) -> bool:
        """Show ``shown`` (rows of ``frame``); False when there is no row to show."""
        self.frame, self.shown = frame, shown
        for key, value in context.items():
            setattr(self, key, value)
        return self._fill()

    def columns_for(self) -> tuple[list[str], list[str]]:
        """(text columns, figure columns) for the current mode."""
        projects = "budget_a" in self.frame.columns
        figures = ["budget_a", "budget_b"] if projects else ["amount_a", "amount_b"]
        figures += ["delta", "delta_pct"] + (["exec_rate"] if "exec_rate" in self.frame.columns else [])
        if projects:
            return ["unit", "name"], figures
        texts = ["table_kind"] if self.table_kind == compare_view.ALL_TABLES else []
        if (self.mode == "actual" or not texts) and compare_view.unit_labels(self.frame):
            texts.append("unit")
        return [*texts, "name", "measure"], figures

    def cells(self, row: dict[str, Any], figures: list[str]) -> tuple[dict[str, str], list[str]]:
        name = plain(row.get("name_b") or row.get("name_a") or "")
        if row.get("name_a") and row.get("name_b") and row["name_a"] != row["name_b"]:
            name = f"{plain(row['name_a'])} → {name}"
        if row.get("code"):
            name = f"{row['code']} {name}"
        texts = {
            "table_kind": plain(row.get("table_kind")),
            "unit": short_unit(plain(row.get("unit")), self.department),
            "name": name,
            "measure": plain(row.get("measure")),
        }
        delta = row["delta"]
        arrow = "" if not delta else ("▲" if delta > 0 else "▼")
        values = {
            "delta": f"{arrow}{money(abs(delta), '万元') if delta else money(delta, '万元')}",
            "delta_pct": percent(row["delta_pct"], sign=True),
            "exec_rate": percent(row.get("exec_rate")),
        }
        out = [values[f] if f in values else money(row[f], "万元") for f in figures]
        return texts, out

    def _fill(self) -> bool:
        """Text columns first (pinned), then A, B, Δ, Δ% (执行率) and the mark, every figure whole."""
        table = self
        row_at = table.cursor_row
        table.clear(columns=True)
        text_cols, figures = self.columns_for()
        rows = [self.cells(r, figures) for r in self.shown.iter_rows(named=True)]
        marks = [self._mark(r) for r in self.shown.iter_rows(named=True)]
        heads = {"table_kind": "表", "unit": "预算单位", "name": "科目" if "code" in self.frame.columns else "项目"}
        heads["measure"] = "栏目"
        fig_heads = [self._short_head(f) for f in figures]
        fig_widths = [
            max([cell_len(h) for h in fig_heads[i : i + 1]] + [cell_len(r[1][i]) for r in rows])
            for i in range(len(figures))
        ]
        mark_width = max([4, *(cell_len(m) for m in marks)])
        room = (self.size.width or 80) - 1 - sum(w + 2 for w in fig_widths) - (mark_width + 2)
        natural = {c: max([cell_len(heads[c]), *(cell_len(r[0][c]) for r in rows)]) for c in text_cols}
        caps = {"table_kind": 8, "unit": 16, "measure": 8, "name": 40}
        widths = {c: min(natural[c], caps[c]) for c in text_cols}
        # Text gives way before any figure does: names first (to 10), then units, 栏目 and 表; a
        # name never below its whole 科目编码 and two characters (21299 and 2129999 stay apart).
        code = (
            max([0, *(cell_len(str(r["code"] or "")) for r in self.shown.iter_rows(named=True))])
            if "code" in self.shown.columns
            else 0
        )
        least = max(6, code + 5)
        for column, floor in (
            ("name", max(10, least)),
            ("unit", 6),
            ("measure", 4),
            ("table_kind", 4),
            ("name", least),
        ):
            excess = sum(w + 2 for w in widths.values()) - room
            if column in widths and excess > 0:
                widths[column] = max(floor, widths[column] - excess)
        if widths.get("table_kind", 8) < natural.get("table_kind", 0):  # 收支总表 and 收入总表 stay apart
            for texts, _ in rows:
                texts["table_kind"] = SHORT_KINDS.get(texts["table_kind"], texts["table_kind"])
        for c in text_cols:
            table.add_column(clip(heads[c], widths[c]), width=widths[c])
        for head, width in zip(fig_heads, fig_widths, strict=True):
            table.add_column(Text(head, justify="right"), width=width)
        table.add_column("状态", width=mark_width)
        table.fixed_columns = len(text_cols)
        for (texts, values), mark in zip(rows, marks, strict=True):
            table.add_row(
                *(clip(texts[c], widths[c]) for c in text_cols), *(Text(v, justify="right") for v in values), mark
            )
        if rows:
            table.move_cursor(row=min(row_at, len(rows) - 1))
        return bool(rows)

    def _short_head(self, column: str) -> str:
        """A figure column's header on screen: which side it is (the unit is in the title)."""
        if self.mode == "actual":
            a, b = "预算", "实际"
        else:
            a, b = f"A {self.year_a}", f"B {self.year_b}"
        return {
            "amount_a": a,
            "amount_b": b,
            "budget_a": a,
            "budget_b": b,
            "delta": "增减",
            "delta_pct": "增减%",
            "exec_rate": "执行率",
        }.get(column, column)

    @staticmethod
    def _mark(row: dict[str, Any]) -> str:
        mark = MARKS.get(row["status"], row["status"]) or ""
        if row["status"] == "fuzzy" and row.get("score") is not None:
            mark = f"近似 {row['score']:.2f}"
        return mark
