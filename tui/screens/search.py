"""`/`: search everything as you type; Enter jumps to the highlighted hit.

The index is built once per library (by the main screen, off the UI thread); each keystroke runs
one vectorised query in a worker, so typing never waits for results. Hits are shown with where
they are (year · department · table or project · field) and the match highlighted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.format import money
from tui.text import clip, plain

if TYPE_CHECKING:
    from parsing.queries.search import SearchIndex

LIMIT = 100


def hit_text(hit: dict[str, Any], width: int = 76) -> Text:
    """Two lines: the hit's place, then its text with the match in reverse video."""
    text = Text(clip(plain(hit["where"]), width) + "\n", style="dim")
    body = plain(hit["text"])
    code = f"{hit['code']} " if hit.get("code") and hit["code"] not in body else ""
    start, end = hit.get("start"), hit.get("end")
    line = Text(code)
    if start is not None and end is not None and plain(hit["text"]) == hit["text"]:
        lo = max(0, start - 20)
        line.append(("…" if lo else "") + hit["text"][lo:start])
        line.append(hit["text"][start:end], style="reverse bold")
        line.append(hit["text"][end:])
    else:
        line.append(body, style="bold" if hit.get("match") in ("code", "amount") else "")
    if hit.get("match") == "fuzzy":
        line.append("  ≈近似", style="dim")
    if hit.get("amount") is not None:
        line.append(f"  {plain(hit.get('measure') or '')} {money(hit['amount'])}", style="dim")
    line.truncate(width, overflow="ellipsis")
    return text + line


class SearchDialog(ModalScreen[tuple[list[dict[str, Any]], int] | None]):
    """Type to search; dismisses with (hits, chosen index), or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "关闭"),
        Binding("down", "focus_hits", "结果", show=False),
    ]

    def __init__(self, index: SearchIndex | None, query: str = "") -> None:
        super().__init__()
        self.index = index
        self.query_text = query
        self.hits: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield Input(
                self.query_text,
                placeholder="搜索：名称、拼音（sjyw）、编码、金额（=155 >100 3,451）",
                id="search-input",
            )
            yield Static("", id="search-count")
            yield OptionList(id="search-hits")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.index is None:
            self.query_one("#search-count", Static).update("正在建立搜索索引…（可先输入）")
        elif self.query_text:
            self.run_query(self.query_text)

    def use(self, index: SearchIndex) -> None:
        """The index built while the box was open: search what has been typed so far."""
        self.index = index
        self.query_one("#search-count", Static).update("")
        if value := self.query_one(Input).value:
            self.run_query(value)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self.run_query(event.value)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        if self.hits:
            self.dismiss((self.hits, self.query_one(OptionList).highlighted or 0))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss((self.hits, event.option_index))

    @work(thread=True, exclusive=True, group="search")
    def run_query(self, query: str) -> None:
        """Search off the UI thread; only the latest query's results are shown."""
        if self.index is None:
            return  # still being built: use() runs the query typed by then
        hits = self.index.search(query, limit=LIMIT).to_dicts() if query.strip() else []
        self.app.call_from_thread(self._show, query, hits)

    def _show(self, query: str, hits: list[dict[str, Any]]) -> None:
        if query != self.query_one(Input).value:
            return
        self.hits = hits
        width = max(20, self.query_one(OptionList).size.width - 4)
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(hit_text(h, width)) for h in hits])
        if hits:
            options.highlighted = 0
        more = "+" if len(hits) >= LIMIT else ""
        self.query_one("#search-count", Static).update(
            f"{len(hits)}{more} 处 · Enter 跳转 · ↓ 选择 · Esc 关闭" if query.strip() else ""
        )

    def action_focus_hits(self) -> None:
        self.query_one(OptionList).focus()

    def action_close(self) -> None:
        self.dismiss((self.hits, -1) if self.hits else None)
