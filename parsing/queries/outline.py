"""A library as an outline to browse: departments → filings → units, projects, tables (科目 类 → 款
→ 项), narrative parts, findings; and where a search hit or a finding sits in that outline.

The browser's tree draws what this module computes, so the hierarchy is tested without a screen.
Nodes are plain dicts: ``kind`` (document, unit, project, projects, table, line, targets, parts,
part, findings) and the keys that identify them (doc_id, unit, project_id, table_no, row_no,
side, part_no), plus ``expandable`` and what the label shows.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import polars as pl

from parsing.library import Library
from parsing.schema import UNKNOWN_DEPARTMENT

Node = dict[str, Any]
Row = dict[str, Any]
_AREA = re.compile(r"^(?:[^省]{2,}?省)?(?:[^市]{2,}?市)?(?:[^区县旗]{2,}?[区县旗])?")
SEVERITY_MARKS = (("error", "✗"), ("rounding", "≈"), ("note", "·"))
#: Verdicts that put an indicator on the 未达成 list: missed by its figures, or by the words of its outcome.
MISSED = ("missed", "likely_missed")


def short_unit(unit: str, department: str) -> str:
    """A unit's name without the area prefix it shares with its department (深圳市龙岗区…)."""
    area = _AREA.match(department)
    prefix = area.group(0) if area else ""
    return unit[len(prefix) :] if prefix and unit.startswith(prefix) and len(unit) > len(prefix) else unit


def table_sort_key(table_no: str) -> tuple[int, str]:
    digits = re.sub(r"\D", "", table_no or "")
    return (int(digits) if digits else 999, table_no or "")


def filings(lib: Library, department: str) -> list[Node]:
    """A department's filings, newest first: doc_id and the label 2023 部门预算 (示例 marked)."""
    docs = lib.documents.filter(pl.col("department") == department).sort(["year", "kind"], descending=[True, False])
    return _filing_nodes(docs)


def department_children(lib: Library, department: str) -> list[Node]:
    """A department's filings, then 未达成指标 over all its years when any indicator was missed."""
    out = filings(lib, department)
    ids = [n["doc_id"] for n in out]
    missed = lib.indicators_of(ids).filter(pl.col("verdict").is_in(MISSED)).height if ids else 0
    if missed:
        out.append({"kind": "missed", "expandable": False, "label": f"未达成指标（各年）{missed}"})
    return out


def _filing_nodes(docs: pl.DataFrame) -> list[Node]:
    return [
        {"kind": "document", "doc_id": d["doc_id"], "expandable": True, "label": _filing_label(d)}
        for d in docs.iter_rows(named=True)
    ]


def _filing_label(doc: Row) -> str:
    """2023 部门预算 (示例 marked); filings of no known department are told apart by their files."""
    label = f"{doc['year'] or ''} {doc['kind'] or ''}".strip() + (" 示例" if doc.get("synthetic") else "")
    if doc["department"] == UNKNOWN_DEPARTMENT:
        label += f" · {Path(doc['file']).name}"
    return label


def filing_children(lib: Library, doc_id: str, findings: pl.DataFrame | None = None) -> list[Node]:
    """What a filing holds: units or projects (a 自评表), tables, 项目, 整体绩效目标, 说明, 核查."""
    out: list[Node] = []
    lines = lib.lines(doc_id)
    projects = lib.projects.filter((pl.col("doc_id") == doc_id) & (pl.col("row_kind") == "project"))
    indicators = lib.indicators_of(doc_id)
    if projects.height and not lines.height:  # a self-evaluation: projects first, by unit
        units = projects["unit"].unique(maintain_order=True).to_list()
        if len(units) > 1:
            out += [{"kind": "unit", "unit": u, "expandable": True} for u in units]
        else:
            out += projects_of(lib, doc_id, None)
    tables = lines.group_by("table_no", maintain_order=True).agg(
        pl.col("table_kind").first(), pl.col("code").is_not_null().any().alias("codes")
    )
    for t in sorted(tables.to_dicts(), key=lambda t: table_sort_key(t["table_no"])):
        out.append(
            {
                "kind": "table",
                "table_no": t["table_no"],
                "expandable": t["codes"],
                "label": f"{t['table_no']} {t['table_kind'] or '未识别'}",
            }
        )
    if projects.height and lines.height:
        out.append({"kind": "projects", "expandable": True, "label": "项目"})
    if indicators.filter(pl.col("project_id").is_null()).height:
        out.append({"kind": "targets", "expandable": False, "label": "整体绩效目标"})
    if lib.sections_of(doc_id).filter(pl.col("part_no").is_not_null()).height:
        out.append({"kind": "parts", "expandable": True, "label": "说明"})
    if findings is not None and findings.height and findings.filter(pl.col("doc_id") == doc_id).height:
        out.append({"kind": "findings", "expandable": False, "label": "核查"})
    missed = indicators.filter(pl.col("verdict").is_in(MISSED)).height
    if missed:
        out.append({"kind": "missed", "expandable": False, "label": f"未达成指标 {missed}"})
    return out


def projects_of(lib: Library, doc_id: str | None, unit: str | None) -> list[Node]:
    """A filing's projects (of one unit when given), in print order."""
    cond = (pl.col("doc_id") == doc_id) & (pl.col("row_kind") == "project")
    if unit is not None:
        cond &= pl.col("unit") == unit
    rows = lib.projects.filter(cond).select("project_id", "name", "budget_total", "exec_rate")
    return [{"kind": "project", "unit": unit, "expandable": False, **r} for r in rows.iter_rows(named=True)]


def parts_of(lib: Library, doc_id: str | None) -> list[Node]:
    """A filing's narrative parts: part_no and the label 第一部分 部门概况."""
    if doc_id is None:
        return []
    rows = lib.sections_of(doc_id).filter(pl.col("part_no").is_not_null()).sort("part_no", maintain_order=True)
    first = rows.unique("part_no", keep="first", maintain_order=True)
    return [
        {
            "kind": "part",
            "part_no": r["part_no"],
            "expandable": False,
            "label": f"{r['part'] or ''} {r['heading'] or ''}".strip(),
        }
        for r in first.iter_rows(named=True)
    ]


def table_rows(lib: Library, doc_id: str | None, table_no: str | None) -> list[Node]:
    """One node per printed row of a table (its first measure's amount), with whether a 科目 below it
    exists (a 款 under its 类) in the same unit and side."""
    lines = lib.lines(doc_id).filter(pl.col("table_no") == table_no)
    rows = lines.group_by(["side", "row_no"], maintain_order=True).first().to_dicts()
    parents = {(r["unit"], r["side"], r["parent"]) for r in rows if r["code"] and r["parent"]}
    for r in rows:
        r["kind"] = "line"
        r["expandable"] = bool(r["code"]) and (r["unit"], r["side"], r["code"]) in parents
    return rows


def code_children(rows: list[Node], row_no: int | None = None, side: str | None = None) -> list[Node]:
    """The 科目 one level below a row (``row_no`` None: the table's top-level 科目)."""
    coded = [r for r in rows if r["code"]]
    if row_no is None:
        present = {(r["unit"], r["side"], r["code"]) for r in coded}
        return [r for r in coded if not r["parent"] or (r["unit"], r["side"], r["parent"]) not in present]
    this = next((r for r in rows if r["row_no"] == row_no and r["side"] == side), None)
    if this is None:
        return []
    return [r for r in coded if r["parent"] == this["code"] and r["unit"] == this["unit"] and r["side"] == this["side"]]


def severity_counts(findings: pl.DataFrame, doc_id: str | None) -> list[tuple[str, int]]:
    """(mark, count) of a filing's findings, ✗ first; marks with no finding left out."""
    if not findings.height:
        return []
    mine = findings.filter(pl.col("doc_id") == doc_id)["severity"].to_list()
    return [(mark, mine.count(s)) for s, mark in SEVERITY_MARKS if mine.count(s)]


def export_name(lib: Library, doc_id: str | None, table_no: str | None = None) -> str:
    """A file name for a table: 部门_年度_类型_表N_表名 (深圳市龙岗区审计局_2023_部门预算_表7_功能分类):
    the issuer's whole name, as 财政局 alone is every city's."""
    if doc_id is None:
        return "yusuan"
    doc = lib.document(doc_id)
    department = doc["department"] or ""
    parts = [department, str(doc["year"] or ""), doc["kind"] or ""]
    if table_no is not None:
        kinds = lib.lines(doc_id).filter(pl.col("table_no") == table_no)["table_kind"]
        parts += [table_no, (kinds[0] if kinds.len() else None) or "未识别"]
    return "_".join(p.replace("#", "第") for p in parts if p)


def finding_place(lib: Library, finding: dict[str, Any]) -> Node:
    """Where a finding is: the table it cites, else the project it names, else the filing's text."""
    doc_id = finding["doc_id"]
    table = finding.get("source_table") or finding.get("table")
    tables = lib.lines(doc_id).filter(pl.col("source_table") == (table or ""))
    if tables.height:
        # The row a finding names: the first word of its label that is a code or a row name
        # ("#6 301 工资福利支出·决算数 = Σ…" names 301; "#3 合计·本年支出合计 = Σ类" names 合计).
        words = re.split(r"[\s·=]+", finding.get("rows") or "")
        hit = None
        for word in (w for w in words if w):
            row = tables.filter((pl.col("code") == word) | (pl.col("name") == word))
            if row.height:
                hit = row.row(0, named=True)
                break
        return {
            "kind": "line" if hit else "table",
            "doc_id": doc_id,
            "table_no": tables["table_no"][0],
            "row_no": hit["row_no"] if hit else None,
            "side": hit["side"] if hit else None,
        }
    name = (finding.get("rows") or "").split(" ")[0]
    projects = lib.projects.filter((pl.col("doc_id") == doc_id) & (pl.col("name") == name))
    if not projects.height and table:  # a subtotal: "评审中心小计" names its unit
        rows = lib.projects.filter((pl.col("doc_id") == doc_id) & (pl.col("source_table") == table))
        named = [r for r in rows.iter_rows(named=True) if r["name"] and r["name"] in (finding.get("rows") or "")]
        projects = pl.DataFrame(named[:1], schema=lib.projects.schema) if named else projects
    if projects.height:
        p = projects.row(0, named=True)
        kind = "project" if p["row_kind"] == "project" else "unit"
        return {"kind": kind, "doc_id": doc_id, "project_id": p["project_id"], "unit": p["unit"]}
    # A finding in the narrative: the part of the text it was read in (the section it cites).
    part = lib.sections_of(doc_id).filter(
        (pl.col("source_page") == finding.get("source_page"))
        & (pl.col("source_line") == finding.get("source_line"))
        & pl.col("part_no").is_not_null()
    )
    if part.height and not table:
        return {"kind": "part", "doc_id": doc_id, "part_no": part["part_no"][0]}
    return {"kind": "parts", "doc_id": doc_id}


def hit_place(lib: Library, hit: dict[str, Any]) -> Node:
    """Where a search hit is: its project, table row, narrative part, unit, filing or department."""
    doc_id, target = hit.get("doc_id"), hit.get("target")
    if hit.get("project_id"):
        return {"kind": "project", "doc_id": doc_id, "project_id": hit["project_id"]}
    if target == "budget_lines" and hit.get("row") is not None:
        line = lib.lines(doc_id).row(hit["row"], named=True)  # the row's number within its filing
        return {
            "kind": "line",
            "doc_id": doc_id,
            "table_no": line["table_no"],
            "row_no": line["row_no"],
            "side": line["side"],
        }
    if target == "notes" and hit.get("table_no"):
        return {"kind": "table", "doc_id": doc_id, "table_no": hit["table_no"]}
    if hit.get("part_no") is not None:
        return {"kind": "part", "doc_id": doc_id, "part_no": hit["part_no"]}
    if hit.get("kind") == "unit":
        return {"kind": "unit", "doc_id": doc_id, "unit": hit.get("text")}
    if doc_id:
        return {"kind": "document", "doc_id": doc_id}
    return {"kind": "department"}


def findings_of(findings: pl.DataFrame, doc_id: str | None) -> list[dict[str, Any]]:
    """A filing's findings as rows, errors first (the order the checks gave)."""
    if not findings.height:
        return []
    return findings.filter(pl.col("doc_id") == doc_id).to_dicts()


def missed_indicators(lib: Library, *, doc_id: str | None = None, department: str | None = None) -> list[Node]:
    """Indicators judged 未达成 (missed, or likely_missed by the outcome's words), of one filing or of every filing of a department,
    newest first, each with its project, unit, target and outcome as printed."""
    docs = lib.documents
    if doc_id is not None:
        docs = docs.filter(pl.col("doc_id") == doc_id)
    if department is not None:
        docs = docs.filter(pl.col("department") == department)
    missed = (
        lib.indicators_of(docs["doc_id"])
        .filter(pl.col("verdict").is_in(MISSED))
        .join(docs.select("doc_id", "year", "kind"), on="doc_id")
    )
    projects = lib.projects.select("project_id", pl.col("name").alias("project"))
    rows = missed.join(projects, on="project_id", how="left").sort("year", descending=True, maintain_order=True)
    return rows.to_dicts()
