"""The one escaping function, clipping by display width, and number formats."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content

from tui.format import money, percent, rate_flag
from tui.text import clip, literal, plain, to_text, wrap
from tui.widgets.project_pane import ProjectPane


def test_markup_in_a_filing_shows_as_typed():
    """Markup-like text survives Textual's parser unchanged, backslashes included."""
    for raw in ("[bold red]警告[/]", "[$accent]x[/]", "a\\[b]c", "end\\", "[@click=app.quit]q[/]"):
        assert Content.from_markup(literal(raw)).plain == raw
        assert to_text(literal(raw)).plain == raw


def test_control_characters_are_stripped():
    """Escape sequences, bells and bidi overrides never reach the terminal."""
    assert literal("红\x1b[31m字\x07\u202e!") == "红\\[31m字!"
    assert plain("a\r\nb", oneline=False) == "a\nb"
    assert plain("a\nb") == "a b"


def test_clip_measures_cells_not_characters():
    """Chinese characters count two cells; the cut ends in … and fits the width."""
    cut = clip("机关事业单位基本养老保险缴费支出", 11)
    assert cut.endswith("…") and cell_len(cut) <= 11
    assert clip("审计业务", 8) == "审计业务"


def test_clip_may_keep_the_end():
    """A row's other classifications keep their last, distinguishing part: …-基本工资."""
    assert clip("50101-工资奖金津补贴 · 30101-基本工资", 10, keep_end=True) == "…-基本工资"


def test_wrapped_text_never_splits_a_figure():
    """A 决算 sentence at any width from 16 cells up: every line fits, nothing is lost, no figure
    with its unit is cut ('2995.3' / '9万元'), and no line opens with a comma or a full stop."""
    text = "2024年度收入、支出决算总计2995.39万元，比上年减少15.16%。其中财政拨款收入2,940.05万元。"
    for width in range(16, 60):
        lines = wrap(text, width)
        assert "".join(lines) == text and all(cell_len(line) <= width for line in lines)
        for figure in ("2995.39万元", "15.16%", "2,940.05万元"):
            assert any(figure in line for line in lines), (width, lines)
        assert not any(line.startswith(("，", "。")) for line in lines)
    for width in range(16, 60):  # an opening bracket stays with what it opens
        assert not any(line.endswith("（") for line in wrap("决算总表：2,961.68 万元（p.13）；说明（p.21）", width))


def test_control_characters_in_wrapped_text_are_plain_already():
    """Controls are gone before wrapping (a paragraph's text passes through ``plain`` first)."""
    assert wrap(plain("总计\x1b[2J2995.39万元"), 40) == ["总计[2J2995.39万元"]


def test_amounts_keep_printed_precision_and_toggle_to_yuan():
    """37.18 and 30.8 stay as printed; 元 is ×10⁴; rates outside 80–100% are flagged."""
    assert (money(37.18), money(30.8), money(3451.0)) == ("37.18", "30.8", "3,451")
    assert money(190.0, "元") == "1,900,000"
    assert money(None) == ""
    assert percent(82.86) == "82.86%"
    assert (rate_flag(79.9), rate_flag(90), rate_flag(100.5)) == ("偏低", "", "超支")


def test_indicator_shows_its_weight_apart_from_its_target():
    """A 分值权重 printed beside the target is its own line (权重 10), never taken for the target."""
    row = {"indicator": "考试机位单价(元/小时)", "target": "19.75", "weight": 10.0, "verdict": None, "outcome": None}
    assert ProjectPane._indicator_rows(row) == [("指标", "考试机位单价(元/小时)"), ("目标", "19.75"), ("权重", "10")]
