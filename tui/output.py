"""How the command line prints: every line from outside through the one sanitiser.

``say`` for output (newlines kept), ``fail`` for a ``yusuan: …`` line on stderr, ``dump`` for
exact JSON with whatever a terminal would act on written as \\uXXXX, and ``quiet_failures`` so
that the data layer's warnings are one line each and an unprintable character never raises.
"""

from __future__ import annotations

import json
import logging
import re
import sys

from parsing.errors import quiet_pdfminer
from tui.sanitise import sanitise

#: What JSON leaves raw but a terminal acts on: C1 controls, bidi controls, line separators.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def say(text: object = "", *, err: bool = False, end: str = "\n") -> None:
    """Print text that may come from outside (file names, cells) through the one sanitiser."""
    print(sanitise(text, multiline=True), file=sys.stderr if err else sys.stdout, end=end)


def fail(error: object) -> None:
    """One line on stderr, prefixed with the program's name."""
    print(f"yusuan: {sanitise(error)}", file=sys.stderr)


def dump(data: object) -> None:
    """JSON on stdout, exact, with every character a terminal would act on written as \\uXXXX."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    print(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


class _Warnings(logging.Handler):
    """The data layer's warnings (the cache degraded, …) as ``yusuan: 警告：…`` lines."""

    def emit(self, record: logging.LogRecord) -> None:
        fail(f"警告：{record.getMessage()}")


def quiet_failures() -> None:
    """Warnings as one line each; an unprintable character escaped rather than raised."""
    log = logging.getLogger("yusuan")
    if not any(isinstance(h, _Warnings) for h in log.handlers):
        log.addHandler(_Warnings())
    log.propagate = False
    quiet_pdfminer()
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
