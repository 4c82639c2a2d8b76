"""The command palette's own commands (ctrl+p): go to a department, open a table, toggle units."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from tui.refs import Ref
from tui.text import literal, plain


class FilingCommands(Provider):
    """Destinations in the library, plus the browser's actions, for the palette."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        screen = self.screen
        out: list[tuple[str, Callable[[], object], str]] = []
        destinations: Callable[[], list[tuple[str, Ref]]] | None = getattr(screen, "destinations", None)
        go_to: Callable[[Ref], object] | None = getattr(screen, "go_to", None)
        if destinations is None or go_to is None:
            return out
        for title, ref in destinations():
            verb = "转到部门" if ref.kind == "department" else "打开表"
            out.append((f"{verb} {plain(title)}", partial(go_to, ref), ""))
        for action, title, help_text in (
            ("search", "搜索…", "/"),
            ("compare", "比较年度（当前部门）", "c"),
            ("export", "导出当前表（CSV）", "e"),
            ("peers", "同类比较：各部门同一科目排名", "P"),
            ("trend", "趋势图：本部门历年", "T"),
            ("toggle_unit", "切换 万元/元", "u"),
            ("provenance", "显示/隐藏出处", "p"),
            ("copy", "复制…", "y"),
        ):
            out.append((title, partial(screen.run_action, action), help_text))
        out.append(("帮助：全部按键", partial(self.app.run_action, "help"), "F1"))
        return out

    async def discover(self) -> Hits:
        for title, callback, help_text in self._commands():
            yield DiscoveryHit(Content.from_markup(literal(title)), callback, text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        letters = query.strip().lower()
        for title, callback, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(literal(title)), callback, text=title, help=help_text)
            elif letters.isascii() and letters.isalpha() and letters in initials(title):
                yield Hit(0.5, Content.from_markup(literal(title)), callback, text=title, help=help_text)


def initials(text: str) -> str:
    """Pinyin initials of the Chinese in ``text`` (比较年度 → bjnd), other characters as they are.

    pypinyin loads its phrase dictionary on import (~0.4 s), so it is imported when the palette is
    first searched, not when the app starts."""
    from pypinyin import Style, lazy_pinyin

    letters: list[str] = lazy_pinyin(text, style=Style.FIRST_LETTER, errors=lambda chars: list(chars))  # type: ignore[arg-type,return-value]
    return "".join(letters).lower()
