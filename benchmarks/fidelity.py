"""`python -m benchmarks.fidelity [PATH...]` (default ../shared/real): how much of a filing's
printed figures yusuan reads, measured against bare pdfplumber ``extract_tables()`` on every page.

- **yield**: numeric cells in rows that carry a 科目编码 (whole, split over 类|款|项, bracketed or
  dash-joined) or a 合计/总计 label, that yusuan reports with the same value (after unit
  conversion) on the same page under the same code or label;
- **precision**: yusuan's amounts that equal a numeric cell of a bare row on the same page that
  carries the line's code or name;
- **totals**: printed 收入总计 / 支出总计 (the first amount right of the label) reported exactly;
- **accepted**: files read without rejection.

A code is one whose 类 exists (so a 序号, a target or a score such as 100 or 366 is none); cells
under a header naming a rate, a score or weight, a 数量, a 规格型号, an organisation code or the
row numbers (行次) are no amounts and count towards yield neither as seen nor as read (precision
still compares with them); a total's figure is the first amount right of its label outside them.

The unit of a bare table is found independently of yusuan: the last 单位：… printed inside it,
else a unit in one of its header cells (预算金额（万元）), else the first on its page, else the last
one of an earlier page, else 万元. One table per folder
(jurisdiction), then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber

from parsing.errors import FilingError
from parsing.normalize import squash
from parsing.numbers import TO_WANYUAN, parse_amount
from parsing.readers.filing import read_filing

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "real"
_UNIT = re.compile(r"单位\s*[:：]\s*(千元|亿元|万元|元)")
#: A 类 that exists: 101-119 revenue, 201-239 function, 301-313 / 399 and 501-519 / 599 economic
#: (so a 序号, a score or a target such as 100, 330 or 366 is never taken for a code).
_CLASS = r"(?:1(?:0[1-9]|1\d)|2(?:0[1-9]|[1-3]\d)|3(?:0\d|1[0-3]|99)|5(?:0\d|1\d|99))"
_WHOLE = re.compile(r"^[\[［【]?(" + _CLASS + r"(?:\d{2}){0,3})[\]］】]?(?:[-—－]*[^\d,.，．%\-—－].*)?$")
#: A unit printed in a header cell: 预算金额（万元）.
_HEAD_UNIT = re.compile(r"[（(](千元|亿元|万元|元)[)）]")
#: Header cells over columns that hold no amount: a rate, a score or weight, a quantity, an
#: organisation code, a 规格型号, the rows' numbers 行次 (counted neither as seen nor as read).
_NOT_AMOUNT = re.compile(r"率|[%％]|分值|得分|权重|数量|规格|(?:单位|部门|预算)(?:编码|代码)|^(?:行次|栏次)$")
#: Numbering before a label (①中央财政资金, 一、, （一）): the same item with or without it.
_NUMBERING = re.compile(r"^(?:[①-⑳]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、．])")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_TOTAL = re.compile(r"合\s*计|总\s*计")
_TOTALS = ("收入总计", "支出总计")
_FACTOR = {**TO_WANYUAN, "千元": 0.1}


@dataclass
class Row:
    """A bare pdfplumber row: its keys (codes and label texts) and its amounts in 万元."""

    keys: set[str]
    labels: set[str]
    values: list[float]  # every numeric cell that is not the code, in 万元
    amounts: list[float]  # those of them in columns that hold amounts (not a rate, score or 数量)
    scored: bool  # carries a code or a 合计/总计 label
    totals: list[tuple[str, float]]  # (收入总计 | 支出总计, first amount right of it)


@dataclass
class Score:
    """Counts for one file or one folder."""

    files: int = 0
    accepted: int = 0
    seen: int = 0
    found: int = 0
    lines: int = 0
    exact: int = 0
    totals: int = 0
    totals_right: int = 0
    missed: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("files", "accepted", "seen", "found", "lines", "exact", "totals", "totals_right"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.missed.extend(other.missed)

    def figures(self) -> dict[str, float | int | None]:
        share = lambda a, b: round(100 * a / b, 1) if b else None  # noqa: E731
        return {
            "files": self.files,
            "accepted": share(self.accepted, self.files),
            "yield": share(self.found, self.seen),
            "precision": share(self.exact, self.lines),
            "totals": share(self.totals_right, self.totals),
            "cells": self.seen,
            "lines": self.lines,
            "totals_printed": self.totals,
        }


def bare_rows(path: Path) -> dict[int, list[Row]]:
    """Page → rows of bare ``extract_tables()``, each with its keys and amounts in 万元."""
    pages: dict[int, list[Row]] = {}
    unit = "万元"
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            text = page.extract_text() or ""
            units = _UNIT.findall(text)
            page_unit = units[0] if units else unit
            rows: list[Row] = []
            for table in page.extract_tables():
                inner = [u for r in table for c in r if c for u in _UNIT.findall(c)]
                inner = inner or [
                    u for r in table for c in r if c and parse_amount(c) is None for u in _HEAD_UNIT.findall(c)
                ]
                head: set[str] = set()
                skip: set[int] = set()
                for cells in table:
                    row = _row(cells, inner[-1] if inner else page_unit, skip)
                    if not row.values:
                        head |= row.keys
                        for i, c in enumerate(cells):
                            if c and c.strip():
                                (skip.add if _NOT_AMOUNT.search(squash(c)) else skip.discard)(i)
                    elif not row.keys - row.labels:  # items printed as columns: the header names them
                        row.keys |= head
                    rows.append(row)
            if units:
                unit = units[-1]
            pages[page.page_number] = rows
            page.close()
    return pages


def _row(cells: list[str | None], unit: str, skip: set[int] | None = None) -> Row:
    texts = [squash(c) for c in cells]
    keys: set[str] = set()
    code_cells: set[int] = set()
    filled = [i for i, t in enumerate(texts) if t]
    words = [i for i in filled if parse_amount(texts[i]) is None]  # a unit code between code and name is skipped
    label_after = lambda j: next((bool(_CJK.search(texts[k])) for k in words if k > j), False)  # noqa: E731
    for i, t in enumerate(texts):
        m = _WHOLE.match(t)
        if m and (not t.isdigit() or label_after(i)):
            keys.add(m.group(1))
            code_cells.add(i)
    for i in range(len(texts) - 1):  # split over 类 | 款 | 项
        if _WHOLE.fullmatch(texts[i]) and len(texts[i]) == 3:
            parts, j = [texts[i]], i + 1
            while (
                j < len(texts) and re.fullmatch(r"\d{2}" if len(parts) > 2 else r"\d{1,2}", texts[j]) and len(parts) < 4
            ):
                parts.append(texts[j].zfill(2))  # a 款 printed without its leading zero ("2" for "02")
                j += 1
            if len(parts) > 1 and (label_after(j - 1) or keys):  # a second code set of a coded row
                keys.add("".join(parts))
                code_cells.update(range(i, j))
    if not keys:  # only the row's own level filled: '06' on a 款 row
        for i in filled[:1]:
            if re.fullmatch(r"\d{2}", texts[i]) and label_after(i):
                code_cells.add(i)
                keys.add("level:" + texts[i])
    labels = {t for t in texts if t and parse_amount(t) is None}
    labels |= {_NUMBERING.sub("", t) for t in labels} - {""}
    keys |= labels
    factor = _FACTOR.get(unit, 1.0)
    values = [
        round(v * factor, 8) for i, t in enumerate(texts) if i not in code_cells and (v := parse_amount(t)) is not None
    ]
    amounts = [
        round(v * factor, 8)
        for i, t in enumerate(texts)
        if i not in code_cells and i not in (skip or ()) and (v := parse_amount(t)) is not None
    ]
    totals = []
    for i, t in enumerate(texts):
        label = re.sub(r"^[一二三四五六七八九十]+、", "", t)
        if label in _TOTALS:
            after = next(
                (
                    parse_amount(x)
                    for j, x in enumerate(texts)
                    if j > i and j not in (skip or ()) and parse_amount(x) is not None
                ),
                None,
            )
            if after is not None:
                totals.append((label, round(after * factor, 8)))
    scored = bool(keys - labels) or any(_TOTAL.search(t) for t in labels)
    return Row(keys, labels, values, amounts, scored, totals)


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=5e-7)


def score_file(path: Path) -> Score:
    """Bare cells vs yusuan's lines for one file."""
    score = Score(files=1)
    try:
        frames = read_filing(path)
    except FilingError as e:
        score.missed.append(f"{path.name}: rejected: {e.reason}")
        frames = None
    pages = bare_rows(path)
    ours: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    lines: list[tuple[int, set[str], float]] = []
    if frames is not None:
        score.accepted = 1
        bl = frames["budget_lines"].filter(frames["budget_lines"]["amount"].is_not_null())
        for page, code, name, amount in bl.select("source_page", "code", "name", "amount").iter_rows():
            if page is None:
                continue
            names = {squash(name), *squash(name).split("·")}
            keys = {code, *names, *(_NUMBERING.sub("", n) for n in names)} - {None, ""}
            for k in keys:
                ours[page][k].append(amount)
            lines.append((page, keys, amount))
    for page, rows in pages.items():
        for row in rows:
            if row.scored:
                for value in row.amounts:
                    score.seen += 1
                    if any(_same(value, v) for k in row.keys for v in ours[page].get(k, ())):
                        score.found += 1
                    elif len(score.missed) < 400:
                        score.missed.append(f"{path.name} p{page}: {sorted(row.keys)[:3]} {value}")
            for label, value in row.totals:
                score.totals += 1
                score.totals_right += any(_same(value, v) for v in ours[page].get(label, ()))
    for page, keys, amount in lines:
        score.lines += 1
        if any(keys & row.keys and any(_same(amount, v) for v in row.values) for row in pages.get(page, ())):
            score.exact += 1
        elif len(score.missed) < 800:
            score.missed.append(f"{path.name} p{page}: yusuan {sorted(keys)[:3]} {amount} not printed")
    return score


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.fidelity", description=__doc__.split("\n\n")[0])
    p.add_argument("paths", nargs="*", type=Path, default=[DEFAULT], help="folders of filings (default ../shared/real)")
    p.add_argument(
        "--misses",
        "--missed",
        dest="missed",
        action="store_true",
        help="list the cells not read and the amounts not printed",
    )
    args = p.parse_args(argv)
    folders: dict[str, Score] = {}
    for root in args.paths:
        files = sorted(root.rglob("*.pdf")) if root.is_dir() else [root]
        for path in files:
            name = path.parent.name
            score = score_file(path)
            folders.setdefault(name, Score()).add(score)
    total = Score()
    print(f"{'folder':<16}{'files':>6}{'accepted':>10}{'yield':>8}{'precision':>11}{'totals':>8}{'cells':>8}")
    for name, score in folders.items():
        total.add(score)
        _print_row(name, score)
    _print_row("all", total)
    if args.missed:
        print("\n".join(total.missed), file=sys.stderr)
    print(
        json.dumps(
            {"folders": {n: s.figures() for n, s in folders.items()}, "all": total.figures()}, ensure_ascii=False
        )
    )
    return 0


def _print_row(name: str, score: Score) -> None:
    f = score.figures()
    cell = lambda v: "—" if v is None else f"{v}%"  # noqa: E731
    print(
        f"{name:<16}{f['files']:>6}{cell(f['accepted']):>10}{cell(f['yield']):>8}"
        f"{cell(f['precision']):>11}{cell(f['totals']):>8}{f['cells']:>8}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
