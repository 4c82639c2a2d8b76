"""After a filing's tables are read: a key for every table, and the 收支总表's expenditure rows
given the 功能分类 table's codes (moved here from ``budget`` to keep that module small)."""

from __future__ import annotations

import re

from parsing.normalize import fold
from parsing.schema import Row


def number_tables(lines: list[Row]) -> list[Row]:
    """Tables printed without a number (the Shanghai set) get their place in the filing, '#3',
    so that every table has a key; a printed number is always 表N."""
    order: dict[str, str] = {}
    for line in lines:
        if line["table_no"] is None:
            line["table_no"] = order.setdefault(line["source_table"], f"#{len(order) + 1}")
    return lines


def attach_summary_codes(lines: list[Row]) -> list[Row]:
    """Give the 收支总表's expenditure names (printed without codes) the codes of the 功能分类
    table, matching names in print order so that 行政运行 finds the nearest preceding 款."""
    function = [
        (l["code"], fold(l["name"]))
        for l in lines
        if l["table_kind"] == "功能分类" and l["code"] and l["measure"] == _first_measure(lines)
    ]
    function = list(dict.fromkeys(function))
    for kind in ("收支总表", "财政拨款收支总表"):
        pointer = 0
        last_row = None
        code = None
        for line in lines:
            if line["table_kind"] != kind or line["side"] != "expenditure":
                continue
            if line["row_no"] != last_row:
                last_row, code = line["row_no"], None
                name = fold(re.sub(r"^[一二三四五六七八九十]+、", "", line["name"]))
                for i in range(pointer, len(function)):
                    if function[i][1] == name:
                        code, pointer = function[i][0], i + 1
                        break
            if code:
                line.update(
                    code=code,
                    level={3: 1, 5: 2, 7: 3, 9: 4}.get(len(code)),
                    parent=code[:-2] if len(code) > 3 else None,
                )
    return lines


def _first_measure(lines: list[Row]) -> str | None:
    return next((l["measure"] for l in lines if l["table_kind"] == "功能分类" and l["code"]), None)
