"""Finding things in a Library by what a person types: a department by part of its name, its years,
the filing of one kind and year (a genuine one before a 示例), the kind that has projects."""

from __future__ import annotations

import polars as pl

from parsing.library import Library
from parsing.normalize import fold
from parsing.schema import KINDS, TABLE_KINDS

#: The table_kind that means a filing's projects rather than one of its budget tables.
PROJECTS = "项目"


def departments(lib: Library) -> list[str]:
    """Every issuing department in the library, sorted."""
    return sorted(lib.documents["department"].drop_nulls().unique().to_list())


def find_department(lib: Library, text: str) -> str:
    """The one department whose name contains ``text`` (folded): 审计局 → 深圳市龙岗区审计局.

    An exact name wins over names that merely contain it; none or several raise ValueError
    naming the candidates, so a command line can say what to type instead.
    """
    wanted = fold(text)
    names = departments(lib)
    exact = [n for n in names if fold(n) == wanted]
    found = exact or [n for n in names if wanted and wanted in fold(n)]
    if len(found) == 1:
        return found[0]
    if not found:
        known = "、".join(names) or "未载入任何部门"
        raise ValueError(f"没有名称含“{text}”的部门（现有：{known}）")
    raise ValueError(f"“{text}”对应 {len(found)} 个部门：{'、'.join(found)}；请输入更完整的名称")


def find_table_kind(text: str) -> str:
    """A table kind (or 项目) from what a person typed: the kind itself, or the one kind whose name
    holds it (三公 → 三公经费); ValueError naming the kinds otherwise."""
    kinds = (*TABLE_KINDS, PROJECTS)
    wanted = fold(text)
    found = [k for k in kinds if fold(k) == wanted] or [k for k in kinds if wanted and wanted in fold(k)]
    if len(found) == 1:
        return found[0]
    raise ValueError(
        f"没有“{text}”这种表（可用：{'、'.join(kinds)}）" if not found else f"“{text}”对应多种表：{'、'.join(found)}"
    )


def department_years(lib: Library, department: str, kind: str | None = None) -> list[int]:
    """The years a department has filings for (of one kind when given), oldest first."""
    docs = lib.documents.filter(pl.col("department") == department)
    if kind:
        docs = docs.filter(pl.col("kind") == kind)
    return sorted(docs["year"].drop_nulls().unique().to_list())


def document_id(lib: Library, department: str, year: int, kind: str, *, required: bool = True) -> str | None:
    """The doc_id of a department's filing of one kind and year; a genuine one wins over a 示例.

    Missing: ValueError naming what the department has, or None when not ``required``.
    """
    docs = lib.documents.filter(
        (pl.col("department") == department) & (pl.col("year") == year) & (pl.col("kind") == kind)
    ).sort("synthetic", "doc_id", nulls_last=True)
    if docs.height:
        return str(docs["doc_id"][0])
    if required:
        raise ValueError(f"{department} 没有 {year} 年的{kind}（现有：{holdings(lib, department)}）")
    return None


def year_label(lib: Library, department: str, year: int) -> str:
    """``year`` as a heading shows it: '2022（示例）' when the department's filings of that year are
    all 示例 (synthetic), so that a comparison never passes one off as published figures."""
    docs = lib.documents.filter((pl.col("department") == department) & (pl.col("year") == year))
    return f"{year}（示例）" if docs.height and docs["synthetic"].fill_null(False).all() else str(year)


def holdings(lib: Library, department: str) -> str:
    docs = lib.documents.filter(pl.col("department") == department).sort("year", "kind")
    return "、".join(f"{y} {k}" for y, k in docs.select("year", "kind").iter_rows()) or "无"


def project_kind(lib: Library, department: str, *years: int) -> str | None:
    """The first filing kind (部门预算 … 绩效自评表) with projects in every one of ``years``."""
    have = (
        lib.projects.select("doc_id")
        .unique()
        .join(lib.documents.filter(pl.col("department") == department), on="doc_id")
        .group_by("kind")
        .agg(pl.col("year").unique())
    )
    found = {k: set(ys) for k, ys in have.iter_rows()}
    return next((kind for kind in KINDS if set(years) <= found.get(kind, set())), None)
