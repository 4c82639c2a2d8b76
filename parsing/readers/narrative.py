"""The narrative of a filing as sections: 第一部分 … 第九部分, or 一、二、… where a filing
numbers its parts that way, each with its text.

A 目录 lists the same headings before the parts begin, so a heading counts where it is seen for
the last time in order; a filing with no recognisable parts keeps its text as one section. The
text before the first part (cover and 目录) is kept as a section without a part number: the
checks read the issuer on the cover and the tables the 目录 promises.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from parsing.normalize import clean, squash
from parsing.readers.context import Context
from parsing.routes.raw import RawDocument, RawLine
from parsing.schema import Row

_PART = re.compile(r"^第([一二三四五六七八九十]+)部分\s*(.*)$")
_ITEM = re.compile(r"^([一二三四五六七八九十]+)、\s*(.+)$")
_NUMERALS = "一二三四五六七八九十"
_END = re.compile(r"^[一二三四五六七八九十]+、表格部分|^部门预算表$")
#: A 目录 entry's dot leaders and page number ('部门主要职能 ………… 3').
_LEADER = re.compile(r"(?:[.…·．\-—_]{2,}.*|\s*\d+)$")
#: The generic owner a 目录 heading starts with, which the body prints as the issuer's name.
_OWNER = re.compile(r"^本?(?:部门|单位)")
_SENTENCE = re.compile(r"[，。；：:,;]")
_PREFIX_MAX = 40  # an issuer's name and year before a heading's own words


def read_sections(doc: RawDocument, ctx: Context) -> Iterator[Row]:
    """The filing's parts with their text (the 目录 that lists them is skipped)."""
    lines = [(squash(l.text.lstrip("#-* ").replace("*", "")), l) for l in doc.lines]
    starts = _starts(lines, _PART, lambda m: f"第{m.group(1)}部分") or _starts(
        lines, _ITEM, lambda m: f"{m.group(1)}、"
    )
    if not starts:
        text = "\n".join(clean(l.text) for _, l in lines)
        if text:
            yield {"part_no": 0, "part": "说明", "heading": "说明", "text": text, **_at(ctx, doc.lines[0], doc.lines)}
        return
    front = [clean(l.text) for _, l in lines[: starts[0][0]]]
    if any(front):
        yield {
            "part_no": None,
            "part": "封面及目录",
            "heading": "封面及目录",
            "text": "\n".join(front),
            **_at(ctx, doc.lines[0], [l for _, l in lines[: starts[0][0]]]),
        }
    for (i, number, part, heading), nxt in zip(starts, [*starts[1:], (len(lines), 0, "", "")], strict=False):
        body: list[RawLine] = []
        for bare, line in lines[i + 1 : nxt[0]]:
            if _END.match(bare):
                break
            body.append(line)
        text = "\n".join(clean(l.text.lstrip("#").replace("**", "")) for l in body)
        yield {"part_no": number, "part": part, "heading": heading, "text": text, **_at(ctx, lines[i][1], body)}


def _starts(
    lines: list[tuple[str, RawLine]], pattern: re.Pattern[str], name: Callable[[re.Match[str]], str]
) -> list[tuple[int, int, str, str]]:
    """(line index, number, part, heading) of each part of the filing's main run of headings.

    Runs are numbered 1, 2, 3 … in order. The 目录 is the first run; the body is the later run
    with the same headings (else the run after the 目录), not a project's own 一、二、 list.
    """
    runs: list[list[tuple[int, int, str, str]]] = []
    for i, (bare, line) in enumerate(lines):
        m = pattern.match(bare)
        if not m or line.text.lstrip().startswith("- "):
            continue
        number = _number(m.group(1))
        if number == 1:
            runs.append([])
        if runs and number == len(runs[-1]) + 1:
            runs[-1].append((i, number, name(m), _LEADER.sub("", m.group(2)) or m.group(2)))
    runs = [r for r in runs if len(r) >= 2]
    if not runs:
        return []
    body = _find_in_order(lines, runs[0], pattern)
    return body if len(body) >= 2 else runs[min(1, len(runs) - 1)]


def _find_in_order(
    lines: list[tuple[str, RawLine]], toc: list[tuple[int, int, str, str]], pattern: re.Pattern[str]
) -> list[tuple[int, int, str, str]]:
    """The 目录's headings where they appear again after it, in the same order (the body may
    print a heading without its number, or wrapped onto two lines). A heading the body prints
    with more words (the issuer's name, the year: '上海市普陀区财政局（部门）主要职能') keeps
    them: the checks read the issuer and the year there."""
    found = []
    i = toc[-1][0] + 1
    for _, number, part, heading in toc:
        for j in range(i, len(lines)):
            m = pattern.match(lines[j][0])
            printed = m.group(2) if m else lines[j][0]
            if _prints(printed, heading):
                longer = len(printed) > len(heading) and printed.endswith(_OWNER.sub("", heading))
                found.append((j, number, part, printed if longer else heading))
                i = j + 1
                break
    return found


def _prints(text: str, heading: str) -> bool:
    """Whether a body line prints a 目录 heading: the same words, the start of a heading wrapped
    onto two lines, or the heading's own words after the issuer's name or the year (目录
    '一、部门主要职能' → '上海市普陀区财政局主要职能'; '四、部门预算编制说明' → '2025年部门预算编制说明')."""
    if text == heading or (heading.startswith(text) and len(text) >= 0.6 * len(heading)):
        return True
    own = _OWNER.sub("", heading)
    return (
        len(own) >= 2 and text.endswith(own) and len(text) <= len(heading) + _PREFIX_MAX and not _SENTENCE.search(text)
    )


def _number(numeral: str) -> int:
    """一 … 十九 as an int."""
    if numeral.startswith("十"):
        return 10 + (_NUMERALS.index(numeral[1]) + 1 if len(numeral) > 1 else 0)
    return _NUMERALS.index(numeral[0]) + 1 + (9 if len(numeral) > 1 else 0)


def _at(ctx: Context, line: RawLine, body: list[RawLine]) -> Row:
    """Where a section starts, and the page and line of each line of its text."""
    return ctx.source(None, None) | {
        "source_page": line.page,
        "source_line": line.line,
        "line_pages": [l.page for l in body],
        "line_numbers": [l.line for l in body],
    }
