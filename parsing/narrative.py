"""The narrative of a budget: 第一部分 … 第九部分 as sections, each with its text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from parsing.context import Context
from parsing.normalize import clean, squash
from parsing.raw import RawDocument

_PART = re.compile(r"^第([一二三四五六七八九十]+)部分\s*(.*)$")
_NUMERALS = "一二三四五六七八九十"


def read_sections(doc: RawDocument, ctx: Context) -> Iterator[dict]:
    """第一部分 … 第九部分 with their text; a 目录 listing the parts first is skipped."""
    parts: list[dict] = []
    for line in doc.lines:
        bare = squash(line.text.lstrip("#-* ").replace("*", ""))
        m = _PART.match(bare)
        if m and not line.text.lstrip().startswith("- "):
            number = _NUMERALS.index(m.group(1)[-1]) + 1 + (10 if len(m.group(1)) > 1 else 0)
            if parts and number <= parts[-1]["part_no"]:
                parts.clear()
            parts.append({"part_no": number, "part": f"第{m.group(1)}部分", "heading": m.group(2),
                          "text": [], **ctx.source(None, None),
                          "source_page": line.page, "source_line": line.line})
        elif parts and re.match(r"^[一二三四五六七八九十]+、表格部分", bare):
            break
        elif parts:
            parts[-1]["text"].append(clean(line.text.lstrip("#").replace("**", "")))
    for part in parts:
        yield part | {"text": "\n".join(part["text"])}
