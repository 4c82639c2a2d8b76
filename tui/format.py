"""Numbers as an analyst reads them: amounts in 万元 or 元 with thousands separators, rates in %.

The data layer keeps every amount in 万元; the screen multiplies by 10⁴ when the reader toggles to
元. Decimals are shown as far as they carry information (37.18, 30.8, 3,234.307194), never padded.
All of it goes through ``parsing.numbers.format_number``, the one formatter of printed numbers.
"""

from __future__ import annotations

import math

from parsing.numbers import format_money, format_number

UNITS = ("万元", "元")


def money(value: float | None, unit: str = "万元") -> str:
    """An amount (stored in 万元) in ``unit``; blank for a missing value."""
    return format_money(value, unit)


def percent(value: float | None, *, sign: bool = False) -> str:
    """A rate stored as a percent number (82.86) → "82.86%"."""
    text = format_number(value, decimals=2, sign=sign, grouping=False)
    return text + "%" if text else ""


def rate_flag(value: float | None) -> str:
    """Why an execution rate deserves a look: below 80% or above 100% (blank when it does not)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if value < 80:
        return "偏低"
    if value > 100:
        return "超支"
    return ""
