"""argparse speaking Chinese: 用法 / 错误 lines, section titles and -h, for every (sub)command.

argparse writes its own lines in English through gettext, and the messages it raises are
formatted before they reach ``error``; so the headings are set here and each message is matched
against argparse's own templates and said again in Chinese (one it does not know stays as it is).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from typing import Any, NoReturn

#: argparse's messages (as patterns over their formatted text) and what the user reads instead.
MESSAGES: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: (.+)", r"缺少必需的参数：\1"),
    (r"unrecognized arguments: (.+)", r"无法识别的参数：\1"),
    (r"one of the arguments (.+) is required", r"必须给出其中之一：\1"),
    (r"argument (.+?): not allowed with argument (.+)", r"参数 \1 不能与 \2 同用"),
    (r"argument (.+?): invalid choice: (.+) \(choose from (.+)\)", r"参数 \1：无效的选项 \2（可选：\3）"),
    (r"argument (.+?): invalid (\S+) value: (.+)", r"参数 \1：\3 不是有效的 \2 值"),
    (r"argument (.+?): expected one argument", r"参数 \1 需要一个值"),
    (r"argument (.+?): expected at least one argument", r"参数 \1 至少需要一个值"),
    (r"argument (.+?): expected at most one argument", r"参数 \1 至多一个值"),
    (r"argument (.+?): expected (\d+) arguments?", r"参数 \1 需要 \2 个值"),
    (r"argument (.+?): ignored explicit argument (.+)", r"参数 \1 不接受值 \2"),
    (r"argument (.+?): (.+)", r"参数 \1：\2"),
    (r"ambiguous option: (.+) could match (.+)", r"选项 \1 不明确，可能是：\2"),
)


class ChineseHelpFormatter(argparse.HelpFormatter):
    """The usage line begins 用法："""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ChineseParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage, help headings and error lines are Chinese; subcommands
    made with ``add_subparsers().add_parser`` are of this class too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        add_help = kwargs.pop("add_help", True)
        kwargs["add_help"] = False  # argparse's own -h says its help in English
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本说明并退出")

    def error(self, message: str) -> NoReturn:
        """Usage, then ``yusuan: 错误：…`` on stderr; exit status 2, as argparse's own."""
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 错误：{translate(message)}\n")


def translate(message: str) -> str:
    """argparse's message in Chinese; one it does not know, unchanged."""
    for pattern, chinese in MESSAGES:
        match = re.fullmatch(pattern, message, flags=re.DOTALL)
        if match:
            return match.expand(chinese)
    return message
