"""A narrative part of a filing (第一部分 部门概况 …), one paragraph a widget, wrapped to the
pane's width, so a finding can open the part at its sentence's paragraph, highlighted."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

from textual.widgets import Static

from parsing.queries import panes
from parsing.queries.reflow import paragraphs
from tui.figure import Figure
from tui.messages import FigureChanged
from tui.refs import Ref
from tui.text import literal, plain
from tui.widgets.paragraph import Paragraph
from tui.widgets.reading_pane import ReadingPane

if TYPE_CHECKING:
    from parsing.library import Library


class NarrativePane(ReadingPane):
    """The text of one part, scrolled with j/k."""

    DEFAULT_CSS: ClassVar[str] = """
    NarrativePane > .paragraph { margin-bottom: 0; }
    NarrativePane > .heading { text-style: bold; margin-bottom: 1; }
    NarrativePane > .found { background: $accent 40%; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.expected: tuple[str | None, int | None, list[str]] = (None, None, [])
        self.paragraphs: list[tuple[Static, str]] = []  # each paragraph's widget and plain text

    def expect(self, doc_id: str | None, part_no: int | None, figures: list[str]) -> None:
        """Open part ``part_no`` of ``doc_id`` at the paragraph printing one of ``figures``
        (when it is next shown)."""
        self.expected = (doc_id, part_no, figures)

    def show(self, library: Library, ref: Ref, unit: str) -> None:
        """Show part ``ref.part_no`` of the filing."""
        rows = panes.part(library, ref.doc_id, ref.part_no)
        doc = library.document(ref.doc_id) if ref.doc_id else {}
        widgets: list[Static] = []
        self.paragraphs = []
        for row in rows:
            widgets.append(Static(f"{literal(row['part'])} {literal(row['heading'])}", classes="heading"))
            for text in (p for p in paragraphs(row["text"]).split("\n") if p):
                self.paragraphs.append((Paragraph(text, classes="paragraph"), text))
                widgets.append(self.paragraphs[-1][0])
        self.remove_children()
        self.mount_all(widgets or [Static("[dim]（无正文）[/]")])
        doc_id, part_no, figures = self.expected
        self.expected = (None, None, [])
        if (doc_id, part_no) == (ref.doc_id, ref.part_no) and figures:
            self.call_after_refresh(self._reveal, figures)
        else:
            self.scroll_home(animate=False)
        self._announce(rows, doc)

    def _reveal(self, figures: list[str]) -> None:
        """Highlight the first paragraph printing one of ``figures`` and scroll it into view."""
        wanted = [re.compile(rf"(?<![\d.]){re.escape(f)}(?!\d)") for f in figures]
        for widget, text in self.paragraphs:
            if any(w.search(text.replace(",", "")) for w in wanted):
                widget.add_class("found")
                self.scroll_to_widget(widget, animate=False, top=True)
                return

    def _announce(self, rows: list[dict], doc: dict) -> None:
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
