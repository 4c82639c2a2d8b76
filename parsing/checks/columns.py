"""Which printed columns of a table are parts of a row's total, read from the header the reader kept."""

from __future__ import annotations

import re

import polars as pl

from parsing.library import Library


def group_members(lib: Library) -> pl.DataFrame:
    """(doc_id, source_table, measure) of the columns printed under a column group that has its
    own 小计 (财政拨款·小计 over 一般公共预算拨款 | 政府性基金预算拨款 …, from the header read into
    ``lib.tables``): parts of that 小计, which is the row's part in their stead; and a 其中 column
    (本级财政拨款·金额 | ·其中:经费拨款): inside the column before it."""
    tables = getattr(lib, "tables", None)
    found: list[tuple[str, str, str]] = []
    if tables is not None and "header" in tables.columns:
        for doc_id, source, header in tables.select("doc_id", "source_table", "header").iter_rows():
            levels = [label.split("·") for label in header or []]
            groups = {p[-2] for p in levels if len(p) > 1 and p[-1] == "小计"}
            for p in levels:
                inside = len(p) > 1 and p[-1] != "小计" and groups.intersection(p[:-1])
                if inside or re.match(r"其中[:：]", p[-1]):
                    bare = [re.sub(r"^(?:20\d\d年(?=.)|其中[:：])", "", part) for part in p]
                    # the measure as the reader names it: its label, or with its groups when repeated
                    found += [(doc_id, source, m) for m in (bare[-1], "·".join(bare[-2:]), "·".join(bare))]
    return pl.DataFrame(
        found, schema={"doc_id": pl.String, "source_table": pl.String, "measure": pl.String}, orient="row"
    )
