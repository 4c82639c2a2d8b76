"""One entry point from a file to the seven frames: pick the route, identify, dispatch by kind."""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl

from parsing import schema
from parsing.errors import FilingError
from parsing.paths import display
from parsing.readers.budget import read_budget
from parsing.readers.context import Context
from parsing.readers.detect import identify
from parsing.readers.self_evaluation import read_self_evaluation
from parsing.routes.raw import RawDocument
from parsing.routes.text import read_text

Frames = dict[str, pl.DataFrame]
TEXT_SUFFIXES = {".txt", ".md", ".tsv"}


def digest(path: Path) -> str:
    """The sha256 of a file's content: the key of the cache and of deduplication."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as e:
        raise FilingError(path, f"cannot read: {e.strerror or e}") from None


def read_raw(path: Path) -> RawDocument:
    """The route by content: a PDF by its header, a text extraction by its suffix."""
    with path.open("rb") as f:
        head = f.read(1024)
    if head.lstrip().startswith(b"%PDF") or path.suffix.lower() == ".pdf":
        from parsing.routes.pdf import read_pdf  # pdfplumber is imported only when a PDF must be parsed

        return read_pdf(path)
    if path.suffix.lower() in TEXT_SUFFIXES:
        return read_text(path)
    raise FilingError(path, "not a budget filing (neither a PDF nor a text extraction)")


def read_filing(path: Path, sha256: str | None = None) -> Frames:
    """Parse one filing into the schema's frames; FilingError when it is not a readable filing."""
    sha256 = sha256 or digest(path)
    raw = read_raw(path)
    identity = identify(raw)
    if identity is None:
        raise FilingError(path, "not a budget filing: no 部门预算/单位预算/部门决算/绩效自评表 title found")
    ctx = Context(sha256[:16], display(path.name), identity)
    reader = read_self_evaluation if identity.kind == "绩效自评表" else read_budget
    frames = reader(raw, ctx)
    if all(frames.get(t, schema.empty(t)).is_empty() for t in ("projects", "budget_lines")):
        raise FilingError(path, f"not a budget filing: no {identity.kind} table recognised")
    unplaced = [
        {"kind": k, "detail": d, "doc_id": ctx.doc_id, "source_file": ctx.file_name, "source_page": p}
        for k, d, p in raw.unplaced
    ]
    frames["notes"] = pl.concat([frames.get("notes", schema.empty("notes")), schema.frame("notes", unplaced)])
    frames["documents"] = schema.frame(
        "documents",
        [
            {
                "doc_id": ctx.doc_id,
                "file": display(path),
                "sha256": sha256,
                "kind": identity.kind,
                "year": identity.year,
                "department": identity.department,
                "title": identity.title,
                "source_format": raw.source_format,
                "synthetic": identity.synthetic,
                "pages": raw.pages,
            }
        ],
    )
    return {name: frames.get(name, schema.empty(name)) for name in schema.FRAMES}
