"""Text from filings made safe to show: the one escaping function, plus width-aware clipping.

Every string that comes out of a filing reaches a widget through ``literal``: control and
bidi-override characters are dropped and ``[`` is escaped, so "[bold red]警告[/]" shows as typed.
Textual's own markup parser is the only one used (``to_text`` converts for Tree and DataTable,
which would otherwise parse with Rich's slightly different rules about backslashes).
"""

from __future__ import annotations

import re
import unicodedata

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.content import Content

from tui.sanitise import BIDI

ELLIPSIS = "…"
_SPACES = re.compile(r"[ \t\u3000]+")


def plain(value: object, *, oneline: bool = True) -> str:
    """``value`` as text without control characters (newlines kept unless ``oneline``)."""
    if value is None:
        return ""
    text = str(value)
    if text.isprintable() and not BIDI.intersection(text):  # the common case: nothing to drop
        return _SPACES.sub(" ", text).strip() if oneline else text
    out = []
    for ch in text.replace("\r\n", "\n").replace("\r", "\n"):
        if ch == "\n":
            out.append(" " if oneline else "\n")
        elif ch == "\t":
            out.append(" ")
        elif ch in BIDI or unicodedata.category(ch) in ("Cc", "Cs", "Co"):
            continue
        else:
            out.append(ch)
    text = "".join(out)
    return _SPACES.sub(" ", text).strip() if oneline else text.strip("\n")


def literal(value: object, *, oneline: bool = True, width: int | None = None) -> str:
    """Filing text as Textual markup that shows exactly as printed (optionally clipped to width)."""
    text = plain(value, oneline=oneline)
    if width is not None:
        text = clip(text, width)
    return text.replace("[", "\\[")


def clip(text: str, width: int, *, keep_end: bool = False) -> str:
    """``text`` cut to at most ``width`` terminal cells, ending in … when cut (``keep_end``: its
    end kept, starting with …, for text whose last part tells rows apart)."""
    if cell_len(text) <= width:
        return text
    if width <= 0:
        return ""
    out, used = [], 0
    for ch in reversed(text) if keep_end else text:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return ELLIPSIS + "".join(reversed(out)) if keep_end else "".join(out) + ELLIPSIS


def to_text(markup: str, *, wrap: bool = False) -> Text:
    """Textual markup (built with ``literal``) as a Rich Text, for widgets that render Rich Text."""
    content = Content.from_markup(markup)
    text = Text(end="", no_wrap=not wrap)
    for part, style in content.render(end=""):
        text.append(part, style.rich_style if style else None)
    return text


def bold_text(value: object, width: int) -> Text:
    """What ``to_text(f"[bold]{literal(value, width=width)}[/]")`` gives, without parsing markup:
    a tree of a thousand departments labels each twice before it is first drawn."""
    text = Text(end="", no_wrap=True)
    text.append(clip(plain(value), width), _bold())
    return text


def _bold() -> Style:
    if not _BOLD:
        _BOLD.append(to_text("[bold]x[/]").spans[0].style)  # type: ignore[arg-type]
    return _BOLD[0]


_BOLD: list[Style] = []


#: What one line break may not split: a figure with its sign, separators and unit (-2,995.39万元,
#: 15.16%), a latin word, or any character, with the opening marks before it and the closing
#: punctuation after it (（p.13）, 。，》…).
_CLOSING = "，。、；：？！）》」』”’,.;:?!)"
_OPENING = "（(《「『“‘"
_UNBROKEN = re.compile(
    rf"[{_OPENING}]*(?:[-+−]?[\d０-９][\d０-９,，.．]*(?:[%％‰]|个百分点|[万亿]?元)?|[A-Za-z][\w.\-/]*|\s+|.)[{_CLOSING}]*",
    re.S,
)


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken between Chinese characters but never
    inside a figure: Textual folds a Chinese paragraph anywhere, '2995.3' / '9万元' on two lines."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for token in _UNBROKEN.findall(paragraph):
            cells = cell_len(token)
            if used + cells > width and line.strip():
                lines.append(line.rstrip())
                line, used = "", 0
                token = token.lstrip()
                cells = cell_len(token)
            while cells > width > 0:  # longer than a line: cut where it must be cut
                head = clip(token, width + 1)[:-1] or token[0]
                if len(head) > 1 and token[len(head)] in _CLOSING:  # the mark stays with its character
                    head = head[:-1]
                lines.append(head)
                token = token[len(head) :]
                cells = cell_len(token)
            line, used = line + token, used + cells
        lines.append(line.rstrip())
    return lines
