"""Budget lines found by 科目编码 without scanning the library: built once per library, then O(log n).

A peers or trend question touches a few thousand of a million lines (one code, plus each filing's
合计 rows), but filtering a million-row frame costs a full pass over every column. So the index
keeps the row numbers of the coded lines sorted by code (a binary search finds one code's rows)
and the few code-less rows the queries read (合计 / unit rows of the spending tables, the 三公
table), about 20 MB on a million lines. It is rebuilt whenever the library's frame is another
object (a reload, a subset), and only the latest library's index is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from parsing.library import Library

#: Tables whose code-less rows (totals, 三公 items) the queries read.
AGGREGATE_TABLES = ("支出总表", "功能分类", "三公经费")


@dataclass
class LineIndex:
    """Row numbers of a library's budget lines by code, and its aggregate rows."""

    lines: pl.DataFrame
    codes: pl.Series  # the coded lines' codes, sorted
    order: pl.Series  # their row numbers in ``lines``, in the same order
    aggregates: pl.DataFrame  # code-less rows of AGGREGATE_TABLES

    @classmethod
    def build(cls, lines: pl.DataFrame) -> LineIndex:
        coded = lines["code"].is_not_null().arg_true()
        codes = lines["code"].gather(coded)
        by_code = codes.arg_sort()
        aggregates = lines.filter(pl.col("code").is_null() & pl.col("table_kind").is_in(AGGREGATE_TABLES))
        return cls(lines, codes.gather(by_code), coded.gather(by_code), aggregates)

    def code(self, code: str) -> pl.DataFrame:
        """Every line printed under ``code``, in library order."""
        lo = self.codes.search_sorted(code, "left")
        hi = self.codes.search_sorted(code, "right")
        return self.lines[self.order.slice(lo, hi - lo).sort()]


_LATEST: list[LineIndex] = []
_OF_FILINGS: list[tuple[int, tuple[str, ...], LineIndex]] = []


def line_index(lib: Library, doc_ids: pl.Series | None = None) -> LineIndex:
    """The index of ``lib``'s budget lines (built on first use); of the filings ``doc_ids`` only
    when the library reads its lines per filing (a large one: its whole lines are never read)."""
    if doc_ids is not None and lib.parts is not None:
        key = (id(lib), tuple(sorted(doc_ids.to_list())))
        if _OF_FILINGS and _OF_FILINGS[0][:2] == key:
            return _OF_FILINGS[0][2]
        index = LineIndex.build(lib.lines(key[1]))
        _OF_FILINGS[:] = [(*key, index)]
        return index
    if _LATEST and _LATEST[0].lines is lib.budget_lines:
        return _LATEST[0]
    index = LineIndex.build(lib.budget_lines)
    _LATEST[:] = [index]
    return index
