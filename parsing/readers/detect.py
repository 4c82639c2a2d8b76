"""What a filing is — kind, year, issuing department — read from its title and first lines.

The title is the first thing an office prints, so it is trusted first; the opening lines and the
table titles back it up. A file naming none of the four kinds is not a budget filing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsing.normalize import squash
from parsing.routes.raw import RawDocument

_KIND_WORDS = (
    ("绩效自评表", ("绩效自评", "自评表")),
    ("部门决算", ("部门决算", "单位决算", "决算")),
    ("单位预算", ("单位预算",)),
    ("部门预算", ("部门预算", "预算")),
)
_YEAR = re.compile(r"(20\d\d)\s*年")
_NOT_ISSUER = re.compile(
    r"20\d\d\s*年度?|[（(].*?[)）]|(?:预算项目|项目支出)?绩效自评表?|(?:区级|市级)?(?:部门|单位)?(?:预算|决算)(?:公开)?"
    r"|说明|目录|[:：]|表?\.pdf$|表$"
)
_ISSUER_LINE = re.compile(r"^(?:预算主管部门|主管部门|预算单位|部门名称|单位名称|编制部门)[:：](.+)$")
_SYNTHETIC = re.compile(r"示例数据|非官方发布")


@dataclass(frozen=True)
class Identity:
    """Who published what for which year."""

    kind: str
    year: int | None
    department: str | None
    title: str
    synthetic: bool


def identify(doc: RawDocument) -> Identity | None:
    """The filing's identity, or None when nothing says it is a budget filing."""
    head = [squash(l.text.lstrip("# ").replace("*", "")) for l in doc.lines[:40] if l.text.strip()]
    candidates = [squash(doc.metadata.get("Title", ""))] + head + [squash(t.title) for t in doc.tables[:3]]
    title = next((c for c in candidates if _kind(c) and _YEAR.search(c)), None)
    title = title or next((c for c in candidates if _kind(c)), None)
    if title is None:
        return None
    kind = _kind(title)
    assert kind
    year = _YEAR.search(title) or next((m for c in head if (m := _YEAR.search(c))), None)
    issuer = _NOT_ISSUER.sub("", title)
    everything = " ".join([doc.metadata.get("Subject", ""), doc.metadata.get("Keywords", ""), *head])
    return Identity(
        kind=kind,
        year=int(year.group(1)) if year else None,
        department=_issuer_line(head) or issuer or _department_line(doc),
        title=title,
        synthetic=bool(_SYNTHETIC.search(everything)),
    )


def _kind(text: str) -> str | None:
    for kind, words in _KIND_WORDS:
        if any(w in text for w in words):
            return kind
    return None


def _issuer_line(head: list[str]) -> str | None:
    """The department named on a line of its own near the top (预算主管部门：…)."""
    return next((m.group(1) for line in head[:8] if (m := _ISSUER_LINE.match(line))), None)


def _department_line(doc: RawDocument) -> str | None:
    return next((t.department for t in doc.tables if t.department), None)
