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
    lines = lib.lines(doc_id)
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
        f" · 绩效指标 {lib.indicators_of(doc_id).height}"
        f" · 预算明细 {lines.height}"
        f" · 说明部分 {lib.sections_of(doc_id).height}",
    ]
    tables = (
        lines.group_by("table_no", "table_kind", maintain_order=True)
        .len()
        .select(
            pl.format(
                "{} {}（{}条）", pl.col("table_no").fill_null(""), pl.col("table_kind").fill_null("未识别"), "len"
            )
        )
    )
    if tables.height:
        out.append("  表: " + "；".join(tables.to_series().to_list()))
    notes = lib.notes_of(doc_id).filter(pl.col("kind") != "footnote")
    for note in notes.iter_rows(named=True):
        out.append(f"  未能识别: {note['kind']} {note['detail']}")
    return "\n".join(out)


def coverage(lib: Library, doc_id: str) -> str:
    """Per table its kind (or 未识别) and cells read / cells seen; per filing the share read."""
    doc = lib.document(doc_id)
    tables = lib.tables.filter(pl.col("doc_id") == doc_id)
    seen, read = int(tables["cells_seen"].sum() or 0), int(tables["cells_read"].sum() or 0)
    share = f"{100 * read / seen:.1f}%" if seen else "—"
    out = [f"{doc['title']}", f"  读取 {read}/{seen} 个数值单元格（{share}）"]
    for t in tables.iter_rows(named=True):
        where = f"第{t['source_page']}页" if t["source_page"] else ""
        mark = "" if t["sure"] else "  ?"
        kind = t["table_kind"] or "未识别"
        out.append(
            f"  {t['table_no'] or '':<6}{t['cells_read']:>5}/{t['cells_seen']:<5} {t['source_unit'] or ''}"
            f"  {kind}{mark}  {where} {t['title'] or ''}"
        )
    return "\n".join(out)
