"""Text normalisation shared by all readers: control characters, widths, spaces, names."""

from __future__ import annotations

import re
import unicodedata

#: Radical forms a PDF's text layer gives for ordinary characters (fonts whose glyphs are mapped
#: to the radical code points: 部⻔预算, ⼀般公共预算⽀出). They look the same, so a reader never
#: notices, but no title, name or search would match them. Kangxi radicals and compatibility
#: ideographs have an NFKC form; the simplified radicals of the Supplement have none, and are the
#: whole characters of Unicode's EquivalentUnifiedIdeograph.txt below.
_SUPPLEMENT = dict(
    zip(
        "⺠⻁⻄⻅⻆⻉⻋⻑⻓⻔⻗⻘⻙⻚⻛⻜⻝⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻮⻰⻱",
        "民虎西见角贝车長长门雨青韦页风飞食马骨鬼鱼鸟卤麦黄黾齐齿龙龜",
        strict=True,
    )
)
_IDEOGRAPHS = {
    **{
        o: unicodedata.normalize("NFKC", chr(o))
        for block in (range(0x2E80, 0x2FE0), range(0xF900, 0xFB00), range(0x2F800, 0x2FA20))
        for o in block
        if unicodedata.normalize("NFKC", chr(o)) != chr(o)
    },
    **{ord(k): v for k, v in _SUPPLEMENT.items()},
}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_SPACE = re.compile(r"\s+")
_LATEX = (
    (re.compile(r"\\geq?|\\geqslant"), "≥"),
    (re.compile(r"\\leq?|\\leqslant"), "≤"),
    (re.compile(r"\\%"), "%"),
    (re.compile(r"\$"), ""),
)


def unify_ideographs(text: str) -> str:
    """Radical and compatibility forms as the ordinary characters they stand for (部⻔ → 部门)."""
    return text.translate(_IDEOGRAPHS)


def clean(text: str | None) -> str:
    """Text as printed, minus control characters and LaTeX leftovers ($\\geq$ → ≥), trimmed, with
    radical forms as their ordinary characters."""
    if not text:
        return ""
    text = _CONTROL.sub("", unify_ideographs(text).replace("\t", " "))
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
