"""The floors the figures are divided by: a bare Textual app with one Tree, bare pdfplumber tables.

They live in a module of their own so that the probe can start the app and worker processes can
import the table extraction by name.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Tree


class BareApp(App[None]):
    """One Tree with one leaf; exits after the first refresh, as the app does when told to."""

    def compose(self) -> ComposeResult:
        tree: Tree[None] = Tree("root")
        tree.root.add_leaf("leaf")
        yield tree

    def on_mount(self) -> None:
        self.call_after_refresh(self.exit)


def extract_tables(path: Path) -> int:
    """pdfplumber's ``extract_tables()`` on every page of a PDF and nothing else; returns the pages."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()
        return len(pdf.pages)
