"""A narrative's paragraphs joined across the PDF's line breaks, and only there."""

from __future__ import annotations

from parsing.queries.reflow import paragraphs

FULL = "上海市普陀区财政局2024年度收入支出总计2995.3"  # a line that ran to the margin
TEXT = "\n".join(
    [
        "一、收入支出决算总体情况说明",
        FULL,
        "9万元。与2023年度相比，收入支出总计减少56.95万元。",
        "二、收入决算情况说明",
        "本年收入合计2946.25万元，其中：财政拨款收入2940.05万元，占99.79%；其他收入6.2万元，",
        "占0.21%。",
        "其中：",
        "1、一般公共服务支出（类）财政事务（款）行政运行（项）。",
    ]
)


def test_a_figure_broken_at_the_margin_is_whole_again():
    """'2995.3' / '9万元' printed on two lines reads 2995.39万元 on one."""
    assert "收入支出总计2995.39万元。与2023年度相比" in paragraphs(TEXT)


def test_headings_sentences_and_numbered_items_keep_their_own_lines():
    """A heading (narrower than a full line), a sentence's end (。) and an item opening (1、, 其中：)
    each start a new line."""
    lines = paragraphs(TEXT).split("\n")
    assert lines[0] == "一、收入支出决算总体情况说明"
    assert lines[2] == "二、收入决算情况说明"
    assert lines[3].endswith("其他收入6.2万元，占0.21%。")
    assert lines[4:] == ["其中：", "1、一般公共服务支出（类）财政事务（款）行政运行（项）。"]


def test_short_lines_that_never_reach_a_margin_stay_apart():
    """Two short lines (no PDF margin to run to) are not joined."""
    assert paragraphs("主要职能。[bold red]警告[/]\n第二段。") == "主要职能。[bold red]警告[/]\n第二段。"
