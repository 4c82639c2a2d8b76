"""Numbers as printed in filings ("3,451", "2944", "82.86%", "3234.307194") → floats in 万元."""

from __future__ import annotations

import re
import unicodedata

_AMOUNT = re.compile(r"^[-−]?\d{1,3}(,\d{3})+(\.\d+)?$|^[-−]?\d+(\.\d+)?$")
_PERCENT = re.compile(r"^([-−]?\d+(?:\.\d+)?)%$")

#: Multiplier from a printed unit to 万元.
TO_WANYUAN = {"元": 1e-4, "千元": 0.1, "万元": 1.0, "亿元": 1e4}


def _prep(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).replace("−", "-")


def parse_amount(text: str | None) -> float | None:
    """A printed amount as a float; None for blanks, dashes and anything that is not a number."""
    if not text:
        return None
    t = _prep(text)
    if not _AMOUNT.match(t):
        return None
    return float(t.replace(",", ""))


def parse_percent(text: str | None) -> float | None:
    """'82.86%' → 82.86; '100%' → 100.0; None when the cell holds no percentage."""
    if not text:
        return None
    m = _PERCENT.match(_prep(text))
    return float(m.group(1)) if m else None


def to_wanyuan(value: float | None, unit: str | None) -> float | None:
    """Scale a value printed in ``unit`` (元, 千元, 万元, 亿元; default 万元) to 万元."""
    if value is None:
        return None
    return round(value * TO_WANYUAN.get(unit or "万元", 1.0), 8)  # 0.01 元 is 1e-6 万元: no float noise


def unit_of(text: str) -> str | None:
    """The unit in a '单位：万元' / '单位:元' / '金额单位：亿元' line, or None."""
    m = re.search(r"单位\s*[:：]\s*(亿元|万元|千元|元)", text)
    return m.group(1) if m else None


#: Multiplier from 万元 (how amounts are stored) to a unit amounts can be shown in.
FROM_WANYUAN = {"万元": 1.0, "元": 1e4}


def format_number(value: float | None, *, decimals: int = 2, sign: bool = False, grouping: bool = True) -> str:
    """The one formatter of numbers as printed: at most ``decimals`` places, trailing zeros dropped,
    thousands grouped (3,451; 37.18; 3,234.307194); blank for a missing value, never "-0"."""
    if value is None or value != value or value in (float("inf"), float("-inf")):
        return ""
    spec = f"{'+' if sign else ''}{',' if grouping else ''}.{decimals}f"
    text = format(value, spec)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("+0", "-0", "") else text


def format_amount(value: float | None, *, sign: bool = False) -> str:
    """A figure in 万元 for plain reading, as exact as stored, no grouping (805.05, 54, +101,
    223.79925): never rounded, since 万元 printed from 元 carries up to six decimals."""
    return format_number(value, decimals=6, sign=sign, grouping=False)


def format_money(value: float | None, unit: str = "万元", *, grouping: bool = True) -> str:
    """An amount stored in 万元, shown in ``unit`` (万元 or 元): 元 to the fen, 万元 as precise as stored."""
    if value is None:
        return ""
    return format_number(value * FROM_WANYUAN[unit], decimals=2 if unit == "元" else 6, grouping=grouping)
