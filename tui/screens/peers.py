"""`P`: every department's figure for the code or metric under the cursor, in that year, ranked.

Opened from a table row (its 科目编码 in its column; a 三公 row gives 三公, a 合计 row's 项目支出
gives 项目支出占比) or from a card, where a small menu asks which of the card's figures. The rows
come from ``parsing.queries.peers``; Enter closes the view and selects that department's row in
the tree, `t` draws that department's trend, `e` exports what is shown.
"""

from __future__ import annotations

from itertools import takewhile
from typing import TYPE_CHECKING, Any, ClassVar

import polars as pl
from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from parsing.queries.peers import STATUS_LABELS, peers
from parsing.queries.subjects import METRICS, Subject, subject
from tui.format import money, percent
from tui.text import ELLIPSIS, clip, literal, plain

if TYPE_CHECKING:
    from parsing.library import Library

#: The main screen (its library, current node, tree and panes); typed loosely so that this module
#: need not import the screen that opens it.
MainScreen = Any

#: Cells the department column shows at 80 columns.
NAME_WIDTH = 18
#: Headers of an export of the view, in Chinese.
EXPORT_LABELS = {
    "rank": "名次",
    "department": "部门",
    "amount": "金额",
    "unit": "单位",
    "share": "占部门支出（%）",
    "prior": "上年",
    "delta": "增减",
    "delta_pct": "增减（%）",
    "prior_rank": "上年名次",
    "rank_change": "名次变化",
    "status": "状态",
    "name": "科目名称",
    "table_kind": "表",
    "kind": "文件类型",
}


def clip_apart(names: list[str], width: int) -> dict[str, str]:
    """Each name cut to ``width`` cells so that the part telling it from the others stays: the
    start it shares with another name gives way first (上海市普陀区人民政府万里街道办事处 and
    …人民政府办公室 → 上…万里街道办事处, 上海市普陀…办公室), then its end, as ``clip`` does."""
    out = {}
    for name in names:
        if cell_len(name) <= width:
            out[name] = name
            continue
        shared = max((_shared(name, other) for other in names if other != name), default=0)
        tail = name[shared:]
        if not shared or not tail or cell_len(tail) + 1 >= width:
            seen = cell_len(name[: shared + 1]) < width  # plain clipping still shows where it differs
            out[name] = clip(name, width) if seen or not tail else ELLIPSIS + clip(tail, width - 1)
            continue
        head = ""
        for ch in name[:shared]:
            if cell_len(head + ch) + 1 + cell_len(tail) > width:
                break
            head += ch
        out[name] = head + ELLIPSIS + tail
    return out


def _shared(a: str, b: str) -> int:
    """How many leading characters two names share."""
    return sum(1 for _ in takewhile(lambda pair: pair[0] == pair[1], zip(a, b, strict=False)))


class MetricDialog(ModalScreen[str | None]):
    """Which of a card's figures to compare: 三公, 项目支出占比, 执行率 or 人均."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "取消")]

    def compose(self) -> ComposeResult:
        yield OptionList(*(Option(name, id=name) for name in METRICS), id="metric-list")

    def on_mount(self) -> None:
        self.query_one(OptionList).border_title = "比较哪一项"
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


def subject_here(main: MainScreen) -> tuple[Subject, int] | None:
    """The subject and year of the table cell under the cursor (None: not a table, or no code)."""
    from textual.widgets import ContentSwitcher

    from tui.widgets.table_pane import TablePane

    if main.library is None or main.query_one(ContentSwitcher).current != "table":
        return None
    line = _cursor_line(main.query_one(TablePane))
    if line is None:
        return None
    doc = main.library.document(line["doc_id"])
    measure = line["measure"] if line["measure"] in ("基本支出", "项目支出") else None
    if line["code"]:
        measure = measure or ("决算数" if doc["kind"] == "部门决算" else "预算数")
        return subject(code=line["code"], measure=measure, table_kind=line["table_kind"]), doc["year"]
    phase = "决算数" if doc["kind"] == "部门决算" else "预算数"
    if line["table_kind"] == "三公经费":
        return subject(metric="三公", measure=phase), doc["year"]
    if measure == "项目支出":
        return subject(metric="项目支出占比", measure=phase), doc["year"]
    return None


def _cursor_line(pane: Any) -> dict[str, Any] | None:
    """The budget line under a TablePane's cursor (on a code or name: the row's first amount)."""
    line: dict[str, Any] | None = pane.cursor_line()
    return line


def year_here(main: MainScreen) -> int | None:
    """The year of the filing on screen (a department's latest when no filing is chosen)."""
    ref, lib = main.current, main.library
    if ref is None or lib is None:
        return None
    if ref.doc_id:
        return lib.document(ref.doc_id)["year"]
    years = lib.documents.filter(pl.col("department") == ref.department)["year"].drop_nulls()
    return int(years.max()) if years.len() else None


def ask_subject(main: MainScreen, then) -> None:
    """Call ``then(subject, year)`` for the figure under the cursor, asking on a card which one."""
    here = subject_here(main)
    if here is not None:
        then(*here)
        return
    year = year_here(main)
    if year is None:
        main.notify("此处没有可比较的数字", severity="warning", timeout=3)
        return

    def chosen(metric: str | None) -> None:
        if metric:
            then(subject(metric=metric), year)

    main.app.push_screen(MetricDialog(), chosen)


def open_peers(main: MainScreen) -> None:
    """`P` on the main screen."""

    def show(subj: Subject, year: int) -> None:
        if main.library is not None:
            main.app.push_screen(PeersScreen(main.library, subj, year), lambda row: jump(main, row))

    ask_subject(main, show)


def open_trend(main: MainScreen) -> None:
    """`T` on the main screen: the trend of the figure under the cursor for its department."""
    from tui.screens.trend import TrendScreen

    ref = main.current
    if main.library is None or ref is None:
        return
    library, department = main.library, ref.department
    ask_subject(main, lambda subj, _year: main.app.push_screen(TrendScreen(library, department, subj)))


def jump(main: MainScreen, row: dict[str, Any] | None) -> None:
    """Select a peers row's figure in the tree: its table row, else its table, else its filing."""
    from tui.widgets.filing_tree import FilingTree

    if not row or not row.get("doc_id"):
        return
    doc_id, table_no, row_no = row["doc_id"], row.get("table_no"), row.get("row_no")

    def want(r: Any) -> bool:
        if table_no is None:
            return r.kind == "document" and r.doc_id == doc_id
        if r.doc_id != doc_id or r.table_no != table_no:
            return False
        return r.kind == "line" and r.row_no == row_no if row_no is not None else r.kind == "table"

    tree = main.query_one(FilingTree)
    ref = tree.locate(row["department"], doc_id, want)
    if ref is None and table_no is not None:  # the row is an aggregate without a node: its table
        ref = tree.locate(row["department"], doc_id, lambda r: r.kind == "table" and r.table_no == table_no)
    if ref is None:
        main.notify("无法定位这一处", severity="warning", timeout=3)
    else:
        main.go_to(ref)


class PeersScreen(Screen[dict[str, Any] | None]):
    """The ranking; dismisses with the chosen row (Enter) or None (Esc)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,backspace", "dismiss(None)", "返回"),
        Binding("enter", "choose", "到该部门"),
        Binding("t", "trend", "趋势"),
        Binding("e", "export", "导出"),
    ]

    def __init__(self, library: Library, subj: Subject, year: int) -> None:
        super().__init__()
        self.library = library
        self.subject = subj
        self.year = year
        self.frame = pl.DataFrame()
        self.shown: dict[str, str] = {}  # each department as the narrow column shows it

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="peers-title")
        yield DataTable(id="peers-table", zebra_stripes=True, cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#peers-title", Static).update(f" {literal(self.subject.title())} · {self.year}年 · 正在计算…")
        self.query_one(DataTable).focus()
        self.rank()

    @work(thread=True, exclusive=True)
    def rank(self) -> None:
        """The ranking, off the UI thread (a first query on a large library builds its line index)."""
        try:
            frame = peers(self.library, self.subject, self.year)
        except Exception as error:  # shown on the title line; the browser goes on
            self.app.call_from_thread(self.query_one("#peers-title", Static).update, f" 无法比较：{literal(error)}")
            return
        self.app.call_from_thread(self._show, frame)

    def _show(self, frame: pl.DataFrame) -> None:
        self.frame = frame
        ok = self.frame.filter(pl.col("status") == "ok")
        names = ok["name"].drop_nulls()
        name = names.mode().sort()[0] if names.len() else ""
        self.query_one("#peers-title", Static).update(
            f" {literal(self.subject.title(name))} · {self.year}年 · {ok.height} 个部门列示，"
            f"{self.frame.height - ok.height} 个未列示 · 单位：{self.subject.unit} · Enter 到该部门"
        )
        table = self.query_one(DataTable)
        for head in ("名次", "部门", "金额", "占比", "上年", "增减", "增减%", "名次"):
            table.add_column(head)
        table.fixed_columns = 2
        self.shown = clip_apart([plain(d) for d in self.frame["department"].unique()], NAME_WIDTH)
        for r in self.frame.iter_rows(named=True):
            table.add_row(*self._cells(r))

    def _cells(self, r: dict[str, Any]) -> list[Text | str]:
        name = plain(r["department"])
        department = Text(self.shown.get(name) or clip(name, NAME_WIDTH))  # a Text: literal, never markup
        if r["status"] != "ok":
            return ["—", department, Text(STATUS_LABELS[r["status"]], style="dim"), "", "", "", "", ""]
        change = r["rank_change"]
        moved = "" if change is None else ("=" if change == 0 else f"{'↑' if change > 0 else '↓'}{abs(change)}")
        delta = r["delta"]
        arrow = "" if not delta else ("▲" if delta > 0 else "▼")
        figures = [
            money(r["amount"]),
            percent(r["share"]),
            money(r["prior"]),
            f"{arrow}{money(abs(delta))}" if delta else money(delta),
            percent(r["delta_pct"]),
            moved,
        ]
        return [str(r["rank"]), department, *(Text(f, justify="right") for f in figures)]

    def _row(self) -> dict[str, Any] | None:
        table = self.query_one(DataTable)
        if not self.frame.height or table.cursor_row >= self.frame.height:
            return None
        return self.frame.row(table.cursor_row, named=True)

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_choose()

    def action_choose(self) -> None:
        row = self._row()
        if row is None or row["status"] == "no_filing":
            self.notify("该部门没有这一年度的文件", severity="warning", timeout=3)
            return
        self.dismiss(row)

    def action_trend(self) -> None:
        from tui.screens.trend import TrendScreen

        row = self._row()
        if row is not None:
            self.app.push_screen(TrendScreen(self.library, row["department"], self.subject))

    def action_export(self) -> None:
        from tui.screens.export import ExportDialog

        if self.frame.is_empty():
            return
        frame = self.frame.drop("doc_id", "table_no", "row_no")
        name = f"peers-{self.subject.code or self.subject.metric}-{self.year}"
        self.app.push_screen(ExportDialog(frame, name, labels=EXPORT_LABELS))
