"""The command line's own lines (usage, errors, -h) are Chinese, as the rest of the interface."""

from __future__ import annotations

import pytest

from tui.cli import main
from tui.usage import translate


def test_missing_argument_is_a_chinese_usage_and_error(capsys):
    """`yusuan add` without a path: exit 2, 用法：yusuan add … then yusuan add: 错误：缺少必需的参数：paths."""
    with pytest.raises(SystemExit) as stop:
        main(["add"])
    err = capsys.readouterr().err
    assert stop.value.code == 2
    assert err.startswith("用法：yusuan add [-h]")
    assert err.endswith("yusuan add: 错误：缺少必需的参数：paths\n")
    assert "usage" not in err and "error" not in err


def test_bad_value_names_the_option_in_chinese(capsys):
    """A value argparse cannot convert: 参数 --years：'abc' 不是有效的 int 值."""
    with pytest.raises(SystemExit):
        main(["compare", "--dept", "审计局", "--years", "2022", "abc"])
    assert capsys.readouterr().err.endswith("yusuan compare: 错误：参数 --years：'abc' 不是有效的 int 值\n")


def test_help_still_works_in_chinese(capsys):
    """-h prints the help and exits 0: 用法, 位置参数, 选项 and the -h line itself in Chinese."""
    with pytest.raises(SystemExit) as stop:
        main(["add", "-h"])
    out = capsys.readouterr().out
    assert stop.value.code == 0
    assert out.startswith("用法：yusuan add")
    assert "位置参数" in out and "选项" in out and "-h, --help            显示本说明并退出" in out
    assert "--cluster tcp://HOST:8786" in out


def test_unknown_message_is_kept_as_it_is():
    """A message argparse did not write (none of its templates) passes through unchanged."""
    assert translate("部门名称不唯一") == "部门名称不唯一"
