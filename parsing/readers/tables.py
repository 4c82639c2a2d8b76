"""Recognising a budget table by its title, and naming its columns from a merged header.

Titles vary by year and district (表7 / 公开07表; 一般公共预算支出表（按功能分类） / 一般公共预算支出
功能分类预算表; 收支总表 / 部门财务收支预算总表), so a table is known by the words its title
contains, checked most specific first. Column names come from the header rows with each group
label (2023年政府采购项目, 公务用车购置及运行维护费) carried over the columns it spans.
"""

from __future__ import annotations

import re

from parsing.normalize import squash
from parsing.routes.raw import RawRow

#: (words that must all appear in the title, table kind, classification) — first match wins.
_KINDS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("三公",), "三公经费", "none"),
    (("绩效目标",), "绩效目标", "none"),
    (("政府性基金",), "政府性基金", "function"),
    (("国有资本经营",), "国有资本经营", "function"),
    (("财政拨款", "收", "支", "总表"), "财政拨款收支总表", "none"),
    (("政府预算拨款", "收", "支", "总表"), "财政拨款收支总表", "none"),
    (("财政拨款", "收", "支", "总体"), "财政拨款收支总表", "none"),
    (("收", "支", "总表"), "收支总表", "none"),
    (("收支总体",), "收支总表", "none"),
    (("收入", "支出", "决算总表"), "收支总表", "none"),
    (("收入",), "收入总表", "function"),
    (("经济分类",), "经济分类", "economic"),
    (("基本支出",), "基本支出", "economic"),
    (("项目支出",), "项目支出", "function"),
    (("功能分类",), "功能分类", "function"),
    (("一般公共预算", "支出"), "功能分类", "function"),
    (("支出总表",), "支出总表", "function"),
    (("支出总体",), "支出总表", "function"),
    (("支出预算总表",), "支出总表", "function"),
    (("支出决算表",), "支出总表", "function"),
)


def table_kind(title: str) -> tuple[str, str] | None:
    """(table kind, classification) for a table title, or None when it is not a budget table."""
    t = squash(title)
    for words, kind, classification in _KINDS:
        if all(w in t for w in words):
            return kind, classification
    return None


def column_labels(header: list[RawRow]) -> list[str]:
    """One label per column: the header texts above it, group labels carried right over spans."""
    width = max((len(r.cells) for r in header), default=0)
    grid = [[squash(r.text(i)) for i in range(width)] for r in header]
    for depth, row in enumerate(grid[:-1]):
        below = grid[depth + 1 :]
        above = grid[depth - 1] if depth else None
        for i in range(1, width):
            same_group = above is None or above[i] == above[i - 1]
            if not row[i] and row[i - 1] and same_group and any(b[i] for b in below):
                row[i] = row[i - 1]
    labels = []
    for i in range(width):
        parts: list[str] = []
        for row in grid:
            if row[i] and row[i] not in parts:
                parts.append(row[i])
        labels.append("·".join(parts))
    return labels


CODE = re.compile(r"^\d{3}(?:\d{2}){0,3}$")
_CODE_PREFIX = re.compile(r"^(\d{3}(?:\d{2}){0,3})\s*(\S.*)$")


def split_code(code_cell: str, name_cell: str) -> tuple[str | None, str]:
    """(科目编码, 科目名称) from a code column or a code printed before the name."""
    code = squash(code_cell)
    if CODE.match(code):
        return code, name_cell.strip()
    m = _CODE_PREFIX.match(name_cell.strip())
    if m and not code:
        return m.group(1), m.group(2).strip()
    return None, name_cell.strip()


def find_column(labels: list[str], words: tuple[str, ...]) -> int | None:
    """The first column whose label contains one of ``words`` (tried in order)."""
    for word in words:
        for i, label in enumerate(labels):
            if word in label:
                return i
    return None


def code_columns(labels: list[str]) -> list[int]:
    """The 科目编码 column, or the run of columns it is split into (类 | 款 | 项)."""
    start = next((i for i, l in enumerate(labels) if "编码" in l or "代码" in l), None)
    if start is None:  # a header of 类 | 款 | 项 alone
        last = [l.rsplit("·", 1)[-1] for l in labels]
        start = next((i for i in range(len(last) - 1) if last[i] == "类" and last[i + 1] == "款"), None)
        if start is None:
            return []
        return [i for i in range(start, min(start + 4, len(last))) if last[i] in ("类", "款", "项", "目")]
    stem = labels[start].rsplit("·", 1)[0]
    cols = [start]
    for i in range(start + 1, len(labels)):
        label = labels[i]
        if label == "" or (label.startswith(stem) and label.rsplit("·", 1)[-1] in ("款", "项", "目")):
            cols.append(i)
        else:
            break
    return cols


def join_code(cells: list[str]) -> str | None:
    """'201' | '05' | '06' → '2010506' ('2' reads as '02'); a single cell holding the whole code works too."""
    parts = [squash(c) for c in cells]
    while parts and not parts[-1]:
        parts.pop()
    parts[1:] = [p.zfill(2) if len(p) == 1 else p for p in parts[1:]]  # 款 '2' printed for '02' (an Excel habit)
    code = "".join(parts)
    if not parts or not CODE.match(code) or any(not p.isdigit() for p in parts):
        return None
    if len(parts) > 1 and (len(parts[0]) != 3 or any(len(p) != 2 for p in parts[1:])):
        return None
    return code
