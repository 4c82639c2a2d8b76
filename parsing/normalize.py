"""Text normalisation shared by all readers: control characters, widths, spaces, names."""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_SPACE = re.compile(r"\s+")
_LATEX = (
    (re.compile(r"\\geq?|\\geqslant"), "≥"),
    (re.compile(r"\\leq?|\\leqslant"), "≤"),
    (re.compile(r"\\%"), "%"),
    (re.compile(r"\$"), ""),
)


def clean(text: str | None) -> str:
    """Text as printed, minus control characters and LaTeX leftovers ($\\geq$ → ≥), trimmed."""
    if not text:
        return ""
    text = _CONTROL.sub("", text.replace("\t", " "))
    for pattern, repl in _LATEX:
        text = pattern.sub(repl, text)
    return text.strip()


def squash(text: str | None) -> str:
    """``clean`` with every whitespace removed: wrapped PDF cells compare equal to their text."""
    return _SPACE.sub("", clean(text))


def fold(text: str | None) -> str:
    """A matching key: NFKC (full-width → half-width), no whitespace, lower case."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", clean(text))).lower()


def unit_name(text: str | None) -> str:
    """A 预算单位 name as displayed: no spaces, Chinese (full-width) brackets and colons.

    深圳市龙岗区财政局(本级) and 深圳市龙岗区财政局（本级） become one unit.
    """
    name = squash(text)
    return name.replace("(", "（").replace(")", "）").replace(":", "：")
