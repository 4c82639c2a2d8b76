"""Numbers as an analyst reads them: amounts in 万元 or 元 with thousands separators, rates in %.

The data layer keeps every amount in 万元; the screen multiplies by 10⁴ when the reader toggles to
元. Decimals are shown as far as they carry information (37.18, 30.8, 3,234.307194), never padded.
"""

from __future__ import annotations

import math

UNITS = ("万元", "元")
_SCALE = {"万元": 1.0, "元": 10_000.0}


def money(value: float | None, unit: str = "万元") -> str:
    """An amount (stored in 万元) in ``unit``; blank for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    scaled = value * _SCALE[unit]
    digits = 2 if unit == "元" else 6
    text = f"{scaled:,.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def percent(value: float | None) -> str:
    """A rate stored as a percent number (82.86) → "82.86%"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".") + "%"


def rate_flag(value: float | None) -> str:
    """Why an execution rate deserves a look: below 80% or above 100% (blank when it does not)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if value < 80:
        return "偏低"
    if value > 100:
        return "超支"
    return ""
