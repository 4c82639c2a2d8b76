"""A filing described in a few lines, in the words a budget analyst would use."""

from __future__ import annotations

import polars as pl

from parsing.library import Library


def describe(lib: Library, doc_id: str) -> str:
    """Kind, year, department, units, counts and tables of one loaded document."""
    doc = lib.document(doc_id)

    def mine(df: pl.DataFrame) -> pl.DataFrame:
        return df.filter(pl.col("doc_id") == doc_id)

    projects = mine(lib.projects)
    lines = mine(lib.budget_lines)
    units = mine(lib.units)["unit"].to_list()
    flag = "  [示例数据，非官方发布]" if doc["synthetic"] else ""
    where = f"{doc['pages']} 页" if doc["source_format"] == "pdf" else "文本抽取"
    out = [
        f"{doc['title']}{flag}",
        f"  {doc['kind']} · {doc['year']}年 · {doc['department']}",
        f"  文件 {doc['file']} ({where})",
        f"  预算单位 {len(units)}: {'、'.join(units)}",
        f"  项目 {projects.filter(pl.col('row_kind') == 'project').height}"
        f" · 小计/合计 {projects.filter(pl.col('row_kind') != 'project').height}"
        f" · 绩效指标 {mine(lib.indicators).height}"
        f" · 预算明细 {lines.height}"
        f" · 说明部分 {mine(lib.sections).height}",
    ]
    tables = (
        lines.group_by("table_no", "table_kind", maintain_order=True)
        .len()
        .select(pl.format("{} {}（{}条）", pl.col("table_no").fill_null(""), "table_kind", "len"))
    )
    if tables.height:
        out.append("  表: " + "；".join(tables.to_series().to_list()))
    notes = mine(lib.notes).filter(pl.col("kind") != "footnote")
    for note in notes.iter_rows(named=True):
        out.append(f"  未能识别: {note['kind']} {note['detail']}")
    return "\n".join(out)
