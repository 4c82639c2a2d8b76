"""Describe a raw table once, before any figure is read: what kind it is and why, how its columns
divide into code / name / 预算单位 / measures, how it prints its codes, which unit it is in.

The description is a small typed record (``TableDescription``) that the budget reader follows
and that a test can assert on its own. Districts word and lay out their tables differently, so
every choice here comes from a vocabulary (data), never from a branch per district: a new
wording is a new entry below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsing.normalize import squash
from parsing.numbers import parse_amount
from parsing.readers.performance import PROJECT_NAME
from parsing.readers.tables import CODE, code_columns, column_labels, find_column, table_kind
from parsing.routes.raw import RawRow, RawTable

#: Header words that name a kind when the title names none: (words all in the header, kind, classification).
HEADER_KINDS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("因公出国", "公务接待"), "三公经费", "none"),
    (("收入", "支出", "项目"), "收支总表", "none"),
    (("经济分类",), "经济分类", "economic"),
    (("功能分类", "基本支出"), "功能分类", "function"),
    (("科目编码", "基本支出"), "功能分类", "function"),
    (("科目代码", "基本支出"), "功能分类", "function"),
)
#: Words whose presence in a header is evidence of a budget table (reported, not required).
HEADER_WORDS = ("科目编码", "科目代码", "功能分类", "经济分类", "基本支出", "项目支出", "预算数", "决算数", "栏次")
#: Column labels that name a row's 科目 or item (the name column), most specific first.
NAME_WORDS = ("科目名称", "名称", "项目", "科目")
#: Column labels that never hold a measure (a second code set, its names, remarks, a quantity).
NOT_MEASURE_WORDS = ("编码", "代码", "名称", "科目", "备注", "说明", "数量")
#: Column labels that name the 预算单位 a row belongs to.
UNIT_WORDS = ("预算单位", "单位名称")
#: A column label naming an organisation's code (部门代码 024, 单位编码 024001): never a 科目编码.
_ORG_CODE = re.compile(r"(?:部门|单位)(?:代码|编码|编号)$")
#: A column label numbering the rows (行次 1, 2, 3 … of the national 决算 template): never an amount.
_ROW_NUMBERS = re.compile(r"^(?:行次|栏次|行号|序号)$")
#: Header text that is not a column name: a column number (第6栏, 栏次, 1 2 3, **), the unit.
_NOT_A_LABEL = re.compile(r"^(?:第?\d{1,2}栏?|栏次|\*+|[（(]?\d{1,2}[)）]?|.*单位\s*[:：].*)$")
#: A code printed with the name: [2011301]行政运行, 2010601-行政运行, 2010601 行政运行.
_BRACKET = re.compile(r"^[\[［【](\d{3}(?:\d{2}){0,3})[\]］】]\s*(\S.*)$")
_DASH = re.compile(r"^(\d{3}(?:\d{2}){0,3})\s*[-—－]\s*(\S.*)$")
_PREFIX = re.compile(r"^(\d{3}(?:\d{2}){0,3})\s*([^\d\s,.，．%].*)$")
_SIDE_NAME = re.compile(r"^(?:项目|.*科目(?:[（(].*[)）])?)$")
CODE_FORMS = ("whole", "split", "bracket", "dash", "none")


@dataclass(frozen=True)
class Block:
    """One side-by-side copy of a layout: the columns from ``start`` to ``end`` (exclusive)."""

    start: int
    end: int
    side: str | None  # income | expenditure | left | right | None
    unit_col: int | None = None
    code_cols: tuple[int, ...] = ()
    name_col: int | None = None
    measures: tuple[tuple[int, str], ...] = ()  # (column, its label)
    org_cols: tuple[int, ...] = ()  # an organisation's code (部门代码 024): neither 科目编码 nor amount
    row_number_cols: tuple[int, ...] = ()  # 行次: numbers the rows, never an amount
    label_cols: tuple[int, ...] = ()  # more words that tell a row apart (经济分类 beside 功能分类)


@dataclass(frozen=True)
class TableDescription:
    """A table described: kind with its evidence, layout, blocks and columns, code form, unit."""

    kind: str | None  # one of schema.TABLE_KINDS, None when unrecognised
    classification: str  # function | economic | none
    evidence: str  # "title:功能分类; header:科目编码,基本支出; codes:2xx"
    layout: str  # coded | two_sided | by_year | single_row | projects | project_form | performance
    code_form: str  # whole | split | bracket | dash | none
    unit: str | None  # 元 | 千元 | 万元 | 亿元
    labels: tuple[str, ...]
    blocks: tuple[Block, ...] = field(default=())
    sure: bool = True


def describe(table: RawTable) -> TableDescription:
    """Describe ``table`` from its title, its header words and its content, in that order."""
    labels = [_label(l) for l in column_labels(table.header())]
    body = data_rows(table)
    header_text = squash("".join(labels))
    known, evidence = _kind(table.title, header_text, body)
    words = [w for w in HEADER_WORDS if w in header_text]
    if words:
        evidence.append("header:" + ",".join(words))
    cells = [squash(c or "") for r in table.header() for c in r.cells]
    layout = _layout(known, labels, cells, body)
    blocks: tuple[Block, ...] = ()
    if layout == "two_sided":
        blocks = _sides(labels, table)
    elif layout == "coded":
        blocks = _code_sets(tuple(_coded_block(labels, body, s, e, side) for s, e, side in _repeats(labels)), body)
    code_form = _code_form(blocks, body)
    if code_form != "none":
        evidence.append("codes:" + _code_heads(blocks, body))
    apart = layout != "coded" or len(blocks) <= 2  # three coded copies side by side: a total's copy is not told
    if not apart:
        evidence.append(f"blocks:{len(blocks)}")
    sure = (
        known is not None
        and (layout != "coded" or all(b.name_col is not None or b.code_cols for b in blocks))
        and apart
    )
    return TableDescription(
        known[0] if known else None,
        known[1] if known else "none",
        "; ".join(evidence),
        layout,
        code_form,
        table.unit,
        tuple(labels),
        blocks,
        sure,
    )


def data_rows(table: RawTable) -> list[RawRow]:
    """The table's body without column-number rows (** 1 2 3 …, 栏次) that a header may carry."""
    return [r for r in table.body() if not is_column_numbers(r)]


def is_column_numbers(row: RawRow) -> bool:
    """A row numbering the columns: 栏次 / ** / 1 2 3 … and nothing else."""
    texts = [squash(c) for c in row.cells if c and c.strip()]
    if any(t in ("栏次", "行次") for t in texts):
        return True
    numbers = [t for t in texts if t.isdigit()]
    rest = [t for t in texts if not t.isdigit() and not re.fullmatch(r"\*+|[-—]+|[甲乙丙丁]", t)]
    return (
        len(numbers) >= 3
        and not rest
        and [int(n) for n in numbers] == list(range(int(numbers[0]), int(numbers[0]) + len(numbers)))
    )


def split_code_name(text: str) -> tuple[str | None, str, str]:
    """(code, name, form) from a name cell that may carry its code: bracket, dash or prefix."""
    t = text.strip()
    for pattern, form in ((_BRACKET, "bracket"), (_DASH, "dash"), (_PREFIX, "whole")):
        if m := pattern.match(t):
            return m.group(1), m.group(2).strip(), form
    return None, t, "none"


def _label(label: str) -> str:
    parts = [p for p in label.split("·") if not _NOT_A_LABEL.match(p)]
    return "·".join(parts)


def _kind(title: str, header: str, body: list[RawRow]) -> tuple[tuple[str, str] | None, list[str]]:
    known = table_kind(title)
    if known:
        return known, [f"title:{known[0]}"]
    for words, kind, classification in HEADER_KINDS:
        if all(w in header for w in words):
            return (kind, classification), [f"header:{kind}"]
    return None, []


def _layout(kind: tuple[str, str] | None, labels: list[str], cells: list[str], body: list[RawRow]) -> str:
    """How the table is laid out, from its kind and header cells (``cells``, as printed)."""
    name = kind[0] if kind else None
    if any(PROJECT_NAME.match(c) for c in cells) and any(c.startswith("绩效目标") for c in cells):
        return "projects"
    if name == "绩效目标":
        return "project_form" if "项目名称" in cells else "performance"
    if len(_side_names(labels)) >= 2:
        return "two_sided"
    if any("年度" in l for l in labels):
        return "by_year"
    if not code_columns(labels) and find_column(labels, NAME_WORDS) is None and len(body) <= 2:
        return "single_row"
    return "coded"


def _sides(labels: list[str], table: RawTable) -> tuple[Block, ...]:
    """收支总表 printed income | expenditure: each side from its 项目 column to the next."""
    names = _side_names(labels)
    ends = [*names[1:], len(labels)]
    sides: list[str] = []
    spent = 0
    for i in names:  # blocks under 收入 are income; the first 支出 block is expenditure, then expenditure2 …
        if labels[i].split("·")[0] == "收入" or (not sides and len(names) == 2):
            sides.append("income")
        else:
            spent += 1
            sides.append("expenditure" if spent == 1 else f"expenditure{spent}")
    body = data_rows(table)
    blocks = []
    for s, e, side in zip(names, ends, sides, strict=False):
        numbers = tuple(c for c in range(s + 1, e) if row_numbers(labels[c], body, c))
        measures = tuple((c, labels[c].split("·")[-1]) for c in range(s + 1, e) if c not in numbers)
        blocks.append(Block(s, e, side, name_col=s, measures=measures, row_number_cols=numbers))
    return tuple(blocks)


def row_numbers(label: str, body: list[RawRow], col: int) -> bool:
    """A column numbering the rows (行次): labelled so, or unlabelled with cells that count up
    by one down the table (1, 2, 3 … or 32, 33, 34 …). Its numbers are no amounts."""
    if _ROW_NUMBERS.match(label.split("·")[-1]):
        return True
    filled = [squash(r.text(col)) for r in body if r.text(col)]
    return (
        not label
        and len(filled) >= 5
        and all(t.isdigit() for t in filled)
        and [int(t) for t in filled] == list(range(int(filled[0]), int(filled[0]) + len(filled)))
    )


def _side_names(labels: list[str]) -> list[int]:
    """Name columns of a 收支总表's blocks: 项目, or a 科目 column (支出功能分类科目（按大类）)
    under a 收入 / 支出 group label."""
    found = []
    for i, label in enumerate(labels):
        parts = label.split("·")
        grouped = parts[0] in ("收入", "支出") and len(parts) > 1
        if parts[-1] == "项目" or (grouped and _SIDE_NAME.match(parts[-1])):
            found.append(i)
    return found


def _repeats(labels: list[str]) -> list[tuple[int, int, str | None]]:
    """Column ranges of side-by-side copies of one layout (人员经费 | 公用经费 printed in pairs, each
    copy's first column labelled alike under its own group: 人员经费·科目代码 | 公用经费·科目代码)."""
    first = labels[0].rsplit("·", 1)[-1] if labels else ""
    starts = [i for i, l in enumerate(labels) if l.rsplit("·", 1)[-1] == first] if first else [0]
    ranges = list(zip(starts, [*starts[1:], len(labels)], strict=False))
    return [(s, e, ("left", "right")[n] if len(ranges) == 2 else None) for n, (s, e) in enumerate(ranges)]


def _code_sets(blocks: tuple[Block, ...], body: list[RawRow]) -> tuple[Block, ...]:
    """A copy with no amount of its own is not a side-by-side block but a code set of the same row
    (功能分类 | 部门经济分类 | 政府经济分类 科目编码): joined to the block after it, whose measures
    it shares; the row keeps the first code set and its name."""
    out: list[Block] = []
    for block in blocks:
        if out and not any(parse_amount(r.text(c)) is not None for c, _ in out[-1].measures for r in body):
            head = out.pop()
            block = Block(
                head.start,
                block.end,
                None,
                head.unit_col,
                head.code_cols,
                head.name_col,
                block.measures,
                (*head.org_cols, *block.org_cols),
                (*head.row_number_cols, *block.row_number_cols),
                (*head.label_cols, *block.label_cols),
            )
        out.append(block)
    return tuple(out)


def _coded_block(labels: list[str], body: list[RawRow], start: int, end: int, side: str | None) -> Block:
    """Code, name and 预算单位 columns by their labels, else by what their cells hold."""
    part = labels[start:end]
    unit_col = find_column(part, UNIT_WORDS)
    org = {i for i, label in enumerate(part) if _ORG_CODE.search(label.rsplit("·", 1)[-1])}
    codes = code_columns([("单位标识" if i in org else label) for i, label in enumerate(part)])
    name_col: int | None
    if codes:
        after = codes[-1] + 1
        while after < len(part) - 1 and any(w in part[after] for w in ("编码", "代码")):
            after += 1  # an organisation code (单位编码) between the 科目编码 and the name
        rest = find_column(part[after:], ("名称",))
        name_col = after + (rest or 0)
    else:
        name_col = _name_column(part, body, start)
    if not codes:
        codes = _code_column_by_content(body, start, end, {unit_col, name_col, *org})
        if codes and name_col is not None and name_col <= codes[-1]:
            name_col = codes[-1] + 1
    if name_col is None:
        name_col = _text_column(body, start, end, {*codes, unit_col})
    first = max(c for c in (unit_col, *codes, name_col, -1) if c is not None) + 1
    numbers = tuple(c for c in range(first, len(part)) if row_numbers(part[c], body, start + c))
    measures = tuple(
        (start + c, part[c] or f"第{c + 1}栏")
        for c in range(first, len(part))
        if (part[c] or any(r.text(start + c) for r in body))
        and c not in numbers
        and not any(w in part[c] for w in NOT_MEASURE_WORDS)
        and _holds_amounts(body, start + c)
    )

    figures = min((c for c, _ in measures), default=end)
    label_cols = tuple(  # words between the name and the figures: the row's other classifications
        c
        for c in range(start + first, figures)
        if c - start not in numbers and not _holds_amounts(body, c) and any(r.text(c) for r in body)
    )

    def shift(c: int | None) -> int | None:
        return None if c is None else start + c

    org_cols = tuple(start + c for c in sorted(org))
    return Block(
        start,
        end,
        side,
        shift(unit_col),
        tuple(start + c for c in codes),
        shift(name_col),
        measures,
        org_cols,
        tuple(start + c for c in numbers),
        label_cols,
    )


def _holds_amounts(body: list[RawRow], col: int) -> bool:
    """A measure column: most of its filled cells are amounts (a 规格型号 or 采购目录 column of
    words that prints a figure now and then is not)."""
    filled = [r.text(col) for r in body if r.text(col) and r.text(col).strip("-—－ ")]
    return not filled or sum(parse_amount(t) is not None for t in filled) * 2 > len(filled)


def _name_column(part: list[str], body: list[RawRow], start: int) -> int | None:
    """The name column: a label ending in 名称 / 科目 or reading 项目, else one holding NAME_WORDS
    over cells that are words (so 项目支出, a measure, is never taken for it)."""
    for i, label in enumerate(part):
        last = label.split("·")[-1]
        if last.endswith(("名称", "科目")) or last in ("项目", "科目", "项目（科目）"):
            return i
    for word in NAME_WORDS:
        for i, label in enumerate(part):
            filled = [r.text(start + i) for r in body[:20] if r.text(start + i)]
            if word in label and sum(parse_amount(t) is None for t in filled) * 2 > len(filled):
                return i
    return None


def _code_column_by_content(body: list[RawRow], start: int, end: int, taken: set[int | None]) -> list[int]:
    """A column where most filled cells are 科目编码 (a header that sits over another column);
    ``taken`` are columns known to hold something else (预算单位, names, an organisation's code)."""
    for c in range(0, min(end - start, 4)):
        if c in taken:
            continue
        filled = [squash(r.text(start + c)) for r in body if r.text(start + c)]
        codes = len(filled) >= 2 and sum(bool(CODE.match(t)) for t in filled) >= 0.6 * len(filled)
        if codes and all(parse_amount(r.text(start + c + 1)) is None for r in body[:5] if r.text(start + c + 1)):
            return [c]
    return []


def _text_column(body: list[RawRow], start: int, end: int, taken: set[int | None]) -> int | None:
    """The first column whose filled cells are mostly words: the name column of an unlabelled table."""
    for c in range(0, end - start):
        if c in taken:
            continue
        filled = [r.text(start + c) for r in body if r.text(start + c)]
        if filled and sum(parse_amount(t) is None for t in filled) >= 0.6 * len(filled):
            return c
    return None


def _code_form(blocks: tuple[Block, ...], body: list[RawRow]) -> str:
    if not blocks:
        return "none"
    block = blocks[0]
    if len(block.code_cols) > 1:
        return "split"
    forms = []
    for row in body[:40]:
        if block.code_cols and CODE.match(squash(row.text(block.code_cols[0]))):
            forms.append("whole")
        elif block.name_col is not None:
            forms.append(split_code_name(row.text(block.name_col))[2])
    found = [f for f in forms if f != "none"]
    return max(set(found), key=found.count) if found else "none"


def _code_heads(blocks: tuple[Block, ...], body: list[RawRow]) -> str:
    heads: set[str] = set()
    for row in body[:40]:
        for block in blocks[:1]:
            cells = [squash(row.text(c)) for c in block.code_cols]
            name = row.text(block.name_col) if block.name_col is not None else ""
            code = next((c for c in cells if CODE.match(c)), None) or split_code_name(name)[0]
            if code:
                heads.add(code[0] + "xx")
    return ",".join(sorted(heads))
