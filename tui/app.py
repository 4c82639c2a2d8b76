"""The yusuan App: one main screen over a Library, F1 help, the command palette, and ``run``.

The App holds nothing but the library handed to it (or the paths to load one from) and the keys
that work everywhere; the main screen does the rest.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.screen import Screen

from tui.commands import FilingCommands
from tui.screens.help import HelpDialog, Section, binding_rows
from tui.screens.main import MainScreen

if TYPE_CHECKING:
    from parsing.library import Library


class YusuanApp(App[None]):
    """A keyboard-driven browser for budget filings."""

    CSS_PATH = "app.tcss"
    TITLE = "yusuan 预算"
    COMMANDS = App.COMMANDS | {FilingCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "退出", show=False),
        Binding("f1", "help", "帮助"),
        Binding("ctrl+p", "command_palette", "命令", show=False, priority=True),
    ]

    def __init__(self, library: Library | None = None, *, paths: Sequence[Path] | None = None) -> None:
        super().__init__()
        self.library = library
        self.paths = paths
        self.exit_when_ready = False

    def on_mount(self) -> None:
        self.push_screen(MainScreen(self.library, self.paths))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette's own commands, in the interface's language (Textual's are English)."""
        yield SystemCommand("帮助", "按键一览（F1）", self.action_help)
        yield SystemCommand("退出", "退出 yusuan（q）", self.action_quit)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(
                CommandPalette(placeholder="转到部门、文件、表、项目（可用拼音首字母）…", id="--command-palette")
            )

    def action_help(self) -> None:
        if isinstance(self.screen, HelpDialog):
            return
        self.push_screen(HelpDialog(help_sections(self.screen)))


def help_sections(screen: object = None) -> list[Section]:
    """Every key of the current screen, grouped by where it works (read from the bindings, so it
    never goes stale): the compare screen's own keys there, the browser's everywhere else."""
    from tui.screens.compare import CompareScreen
    from tui.screens.copy import CopyDialog
    from tui.screens.search import SearchDialog
    from tui.widgets.filing_tree import FilingTree

    app_keys = [*binding_rows(YusuanApp.BINDINGS[:2]), ("Ctrl+P", "命令面板（转到部门、打开表；拼音首字母）")]
    if isinstance(screen, CompareScreen):
        return [
            ("比较", binding_rows(CompareScreen.BINDINGS)),
            ("表格", [("Up / Down / j / k", "上下移动"), ("PgUp / PgDn", "翻页")]),
            ("全局", app_keys),
        ]
    everywhere = [*app_keys, *binding_rows(MainScreen.BINDINGS)]
    return [
        ("全局", everywhere),
        (
            "目录树",
            [
                ("Up / Down / j / k", "上下移动，右侧随之显示"),
                *binding_rows(FilingTree.BINDINGS[2:]),
                ("Space", "展开/收起"),
            ],
        ),
        (
            "表格",
            [
                ("箭头 / h j k l", "移动单元格（编码、名称列固定）"),
                ("PgUp / PgDn", "翻页"),
                ("Home / End", "到行首 / 行尾"),
            ],
        ),
        ("项目、说明、概况", [("Up / Down / j / k", "滚动"), ("PgUp / PgDn", "翻页")]),
        (
            "搜索（按 / 之后）",
            [
                ("输入", "名称、拼音（sjyw）、编码、金额（=155 >100 15,436.93），容错一字"),
                ("Enter", "跳到选中的结果"),
                *binding_rows(SearchDialog.BINDINGS),
            ],
        ),
        ("核查", [("Enter", "打开这一处所在的行"), ("Backspace", "回到核查列表")]),
        ("复制（按 y 之后）", binding_rows(CopyDialog.BINDINGS[1:5])),
        ("比较（按 c 之后）", binding_rows(CompareScreen.BINDINGS)),
    ]


def run(paths: Sequence[Path | str] | None, *, mouse: bool = True) -> None:
    """Open the browser on ``paths`` (None: the bundled seeds and the user's library).

    With YUSUAN_EXIT_WHEN_READY set (the benchmark does), it runs headless and quits as soon as
    the tree is shown, so that start-up can be timed from process start to an interactive tree.
    """
    app = YusuanApp(paths=[Path(p) for p in paths] if paths is not None else None)
    app.exit_when_ready = bool(os.environ.get("YUSUAN_EXIT_WHEN_READY"))
    app.run(mouse=mouse, headless=app.exit_when_ready)
