"""One entry point from a file to the seven frames: pick the route, identify, dispatch by kind."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import polars as pl

from parsing import schema
from parsing.errors import FilingError
from parsing.paths import TEXT_SUFFIXES, display
from parsing.readers.budget import read_budget
from parsing.readers.context import Context
from parsing.readers.department_forms import read_department_evaluation, read_department_targets
from parsing.readers.detect import identify
from parsing.readers.self_evaluation import read_self_evaluation
from parsing.routes.raw import RawDocument
from parsing.routes.text import read_text
from parsing.schema import Row

Frames = dict[str, pl.DataFrame]
_READERS = {
    "绩效自评表": read_self_evaluation,
    "部门整体支出绩效自评表": read_department_evaluation,
    "部门整体绩效目标申报表": read_department_targets,
}
_NARRATIVE_CHARS = 200  # a narrative-only filing says at least this much


def digest(path: Path) -> str:
    """The sha256 of a file's content: the key of the cache and of deduplication."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as e:
        raise FilingError(path, f"无法读取：{e.strerror or e}") from None


def read_raw(path: Path) -> RawDocument:
    """The route by content: a PDF by its header, a text extraction by its suffix."""
    with path.open("rb") as f:
        head = f.read(1024)
    if head.lstrip().startswith(b"%PDF") or path.suffix.lower() == ".pdf":
        from parsing.routes.pdf import read_pdf  # pdfplumber is imported only when a PDF must be parsed

        return read_pdf(path)
    if path.suffix.lower() in TEXT_SUFFIXES:
        return read_text(path)
    raise FilingError(path, "不是预算公开文件：既不是 PDF，也不是文本提取")


def read_filing(path: Path, sha256: str | None = None) -> Frames:
    """Parse one filing into the schema's frames; FilingError when it is not a readable filing."""
    sha256 = sha256 or digest(path)
    raw = read_raw(path)
    identity = identify(raw)
    if identity is None:
        raise FilingError(path, "不是预算公开文件：未找到 部门预算/单位预算/部门决算/绩效自评表 标题")
    found = identity.department is not None
    identity = replace(identity, department=identity.department or schema.UNKNOWN_DEPARTMENT)
    ctx = Context(sha256[:16], display(path.name), identity)
    frames = _READERS.get(identity.kind, read_budget)(raw, ctx)
    if not _has_content(frames, identity.from_cover):
        raise FilingError(path, f"不是预算公开文件：未识别出{identity.kind}的表格或情况说明")
    unplaced = [
        {"kind": k, "detail": d, "doc_id": ctx.doc_id, "source_file": ctx.file_name, "source_page": p}
        for k, d, p in raw.unplaced
    ]
    if not found:
        unplaced.append(_unknown_issuer(ctx))
    if identity.year is None:
        unplaced.append(
            {
                "kind": "year_unknown",
                "detail": f"{ctx.file_name}: 封面和表题中都没有年份（20xx年）",
                **ctx.source(None, None),
            }
        )
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


def _has_content(frames: Frames, from_cover: bool) -> bool:
    """Tables, projects or indicators read; or, for a filing whose cover names its kind, its
    narrative (the 情况说明 published apart from the tables)."""
    if any(not frames.get(t, schema.empty(t)).is_empty() for t in ("projects", "budget_lines", "indicators")):
        return True
    sections = frames.get("sections", schema.empty("sections"))
    return from_cover and sections["text"].str.len_chars().sum() >= _NARRATIVE_CHARS


def _unknown_issuer(ctx: Context) -> Row:
    return {
        "kind": "issuer_unknown",
        "detail": f"{ctx.file_name}: 没有 部门名称/编制单位/预算单位 行，封面标题也未写明部门；"
        f"列在「{schema.UNKNOWN_DEPARTMENT}」下",
        **ctx.source(None, None),
    }
