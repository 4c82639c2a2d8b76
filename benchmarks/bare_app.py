"""The floor for start-up: a bare Textual app that shows one Tree, then exits once it is drawn."""

from __future__ import annotations

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
