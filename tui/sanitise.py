"""The one function for anything printed that came from outside: file names, cells, reasons.

A file name or a cell can carry terminal escapes (ESC[2J clears the screen, OSC 52 writes the
clipboard), bidi controls that reorder what is shown (U+202E, U+2066–2069), C1 controls, line
separators, and bytes that are not UTF-8 (held by Python as lone surrogates, which would make
``print`` raise). ``sanitise`` shows each such character as a visible escape (``\\x1b``,
``\\u2066``, ``\\xff`` for an undecodable byte), so the text stays recognisable and nothing reaches
the terminal as a command. No imports beyond the standard library: the command line uses it
before anything else is loaded; the app uses ``BIDI`` through ``tui.text``.
"""

from __future__ import annotations

import unicodedata

#: Bidirectional formatting controls (embeddings, overrides, isolates, marks).
BIDI = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C))
_SEPARATORS = frozenset("\u2028\u2029\u0085")


def sanitise(value: object, *, multiline: bool = False) -> str:
    """``value`` as text safe for a terminal: controls, bidi controls and undecodable bytes
    shown as escapes (newlines kept when ``multiline``, else shown as \\n too)."""
    text = "" if value is None else str(value)
    if text.isprintable() and not (BIDI & set(text)):
        return text  # the common case, fast
    return "".join(_escape(ch, multiline) for ch in text)


def _escape(ch: str, multiline: bool) -> str:
    code = ord(ch)
    if ch == "\n" and multiline:
        return ch
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if ch in BIDI or ch in _SEPARATORS or unicodedata.category(ch) in ("Cc", "Cs", "Co", "Zl", "Zp"):
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return ch
