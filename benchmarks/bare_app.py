"""The floor for start-up: a bare Textual app that shows one Tree, then quits when it is ready."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Tree


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        tree: Tree[None] = Tree("root")
        tree.root.add_leaf("leaf")
        yield tree

    def on_mount(self) -> None:
        self.call_after_refresh(self.exit)


if __name__ == "__main__":
    BareApp().run(headless=True)
