"""App-wide messages: requests that travel up from any pane to the screen."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from tui.figure import Figure
from tui.refs import Ref


@dataclass
class FigureChanged(Message):
    """The figure under a pane's cursor changed (None: nothing citable is highlighted)."""

    figure: Figure | None


@dataclass
class GoTo(Message):
    """Show this node: select it in the tree and update the right side."""

    ref: Ref
