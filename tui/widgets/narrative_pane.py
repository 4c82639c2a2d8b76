"""A narrative part of a filing (第一部分 部门概况 …), its paragraphs wrapped to the pane's width."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Static

from parsing.queries import panes
from parsing.queries.reflow import paragraphs
from tui.figure import Figure
from tui.messages import FigureChanged
from tui.refs import Ref
from tui.text import literal, plain
from tui.widgets.reading_pane import ReadingPane

if TYPE_CHECKING:
    from parsing.library import Library


class NarrativePane(ReadingPane):
    """The text of one part, scrolled with j/k."""

    def compose(self):
        yield Static(id="narrative-text")

    def show(self, library: Library, ref: Ref, unit: str) -> None:
        """Show part ``ref.part_no`` of the filing."""
        rows = panes.part(library, ref.doc_id, ref.part_no)
        doc = library.document(ref.doc_id) if ref.doc_id else {}
        blocks = []
        for row in rows:
            blocks.append(
                f"[bold]{literal(row['part'])} {literal(row['heading'])}[/]\n\n{literal(paragraphs(row['text']), oneline=False)}"
            )
        self.query_one("#narrative-text", Static).update("\n\n".join(blocks) or "[dim]（无正文）[/]")
        self.scroll_home(animate=False)
        first = rows[0] if rows else {}
        heading = f"{plain(first.get('part'))} {plain(first.get('heading'))}".strip()
        self._figure = (
            Figure(
                label=heading,
                value="",
                unit="",
                title=plain(doc.get("title")),
                text=plain(first.get("text"), oneline=False),
                source={k: first.get(k) for k in ("source_file", "source_page", "source_line", "source_table")},
                row=[("部分", heading), ("正文", plain(first.get("text"), oneline=False))],
                table=[
                    ["部分", "标题", "正文"],
                    *[[plain(r["part"]), plain(r["heading"]), plain(r["text"])] for r in rows],
                ],
            )
            if rows
            else None
        )
        self.post_message(FigureChanged(self._figure))
