"""What the search index holds: one row per searchable text of a Library, built frame by frame.

Departments and titles, units, project names and prose, indicators, budget lines (one per printed
row), narrative parts and table notes (footnotes such as 注：本表无数据), each with where it is
(``where``), what it points to (``target`` and ``row``) and its weight in the ranking; and the
printed amounts, one per cell, for amount queries. ``parsing.queries.search`` ranks over them.
"""

from __future__ import annotations

import polars as pl

from parsing import schema
from parsing.library import Library

#: Columns of the index (and, minus key and pinyin, of the hits).
COLUMNS: dict[str, pl.DataType] = {
    "id": pl.UInt32(),
    "kind": pl.String(),  # department | unit | project | budget_line | indicator | section
    "field": pl.String(),  # the column the text comes from: name, code, goal, target, text …
    "weight": pl.Int8(),  # 0 project names … 5 prose: ranks kinds within one match tier
    "year": pl.Int32(),
    "department": pl.String(),
    "doc_id": pl.String(),
    "where": pl.String(),  # "2023 · 深圳市龙岗区审计局 · 表7 功能分类 · 科目名称"
    "text": pl.String(),  # as printed; match offsets point into it
    "key": pl.String(),  # fold(text)
    "py_initials": pl.String(),  # "sjyw" for 审计业务; null for prose
    "py_full": pl.String(),  # "shenjiyewu"; null for prose
    "code": pl.String(),
    "amount": pl.Float64(),  # 万元: the headline amount of the row (支出总计, 预算合计 …)
    "measure": pl.String(),  # which column ``amount`` is
    "unit": pl.String(),
    "target": pl.String(),  # the Library frame to jump to: projects, budget_lines, sections …
    "row": pl.UInt32(),  # row number in that frame of this filing (Library.frame(target, doc_id))
    "project_id": pl.String(),
    "table_kind": pl.String(),
    "table_no": pl.String(),
    "part_no": pl.Int32(),
    "length": pl.UInt32(),  # len(text): shorter texts rank first among equal matches
}

_PROJECT_PROSE = {"goal": "年度目标", "outcome": "完成情况", "problems": "存在问题", "rectification": "整改情况"}
_PROJECT_AMOUNTS = {column: schema.LABELS[column] for column in schema.PROJECT_AMOUNTS}
_INDICATOR_FIELDS = {"indicator": "三级指标", "target": "目标值", "outcome": "完成情况"}


def _numbered(df: pl.DataFrame) -> pl.DataFrame:
    """``row``: each row's number within its filing's frame (``Library.frame(target, doc_id)``)."""
    return df.with_columns(pl.int_range(pl.len(), dtype=pl.UInt32).over("doc_id").alias("row"))


def _skeleton(df: pl.DataFrame) -> list[pl.Expr]:
    return [pl.col(c).cast(t) if c in df.columns else pl.lit(None, t).alias(c) for c, t in COLUMNS.items()]


def _unit_if_distinct() -> pl.Expr:
    """The unit where it says more than the department (a department's own key projects don't)."""
    return pl.when(pl.col("unit") != pl.col("department")).then(pl.col("unit"))


def _where(*parts: pl.Expr | str) -> pl.Expr:
    exprs = [pl.lit(p) if isinstance(p, str) else p for p in parts]
    return pl.concat_str(
        [pl.col("year").cast(pl.String), pl.col("department"), *exprs], separator=" · ", ignore_nulls=True
    ).alias("where")


def _documents(documents: pl.DataFrame) -> pl.DataFrame:
    d = _numbered(documents).select("row", "doc_id", "year", "department", "title", "kind")
    return pl.concat(
        [
            d.select(
                pl.lit("department").alias("kind"),
                pl.lit(f).alias("field"),
                pl.lit(w).alias("weight"),
                "year",
                "department",
                "doc_id",
                pl.col(f).alias("text"),
                _where(pl.col("kind"), label),
                pl.lit("documents").alias("target"),
                "row",
            )
            for f, w, label in (("department", 2, "部门"), ("title", 3, "标题"))
        ]
    )


def _units(units: pl.DataFrame, docs: pl.DataFrame) -> pl.DataFrame:
    return (
        _numbered(units)
        .drop("department")
        .join(docs, on="doc_id", how="left")
        .select(
            pl.lit("unit").alias("kind"),
            pl.lit("unit").alias("field"),
            pl.lit(2).alias("weight"),
            "year",
            "department",
            "doc_id",
            pl.col("unit").alias("text"),
            "unit",
            _where(pl.col("doc_kind"), "预算单位"),
            pl.lit("units").alias("target"),
            "row",
        )
    )


def _projects(projects: pl.DataFrame, docs: pl.DataFrame) -> list[pl.DataFrame]:
    p = _numbered(projects).join(docs, on="doc_id", how="left")
    common: list[str | pl.Expr] = [
        "year",
        "department",
        "doc_id",
        "unit",
        "project_id",
        "row",
        pl.lit("projects").alias("target"),
    ]
    names = p.select(
        pl.lit("project").alias("kind"),
        pl.lit("name").alias("field"),
        pl.lit(0).alias("weight"),
        pl.col("name").alias("text"),
        pl.col("budget_total").alias("amount"),
        pl.lit("预算合计").alias("measure"),
        _where(_unit_if_distinct(), "项目名称"),
        *common,
    )
    prose = [
        p.select(
            pl.lit("project").alias("kind"),
            pl.lit(f).alias("field"),
            pl.lit(5).alias("weight"),
            pl.col(f).alias("text"),
            _where(_unit_if_distinct(), pl.col("name"), label),
            *common,
        )
        for f, label in _PROJECT_PROSE.items()
    ]
    return [names, *prose]


def _indicators(indicators: pl.DataFrame, projects: pl.DataFrame, docs: pl.DataFrame) -> list[pl.DataFrame]:
    i = (
        _numbered(indicators)
        .filter(~pl.col("not_applicable").fill_null(False))
        .join(projects.select("project_id", pl.col("name").alias("project")), on="project_id", how="left")
        .join(docs, on="doc_id", how="left")
    )
    owner = pl.col("project").fill_null(pl.lit("部门整体绩效目标"))
    level = pl.concat_str([pl.col("level1"), pl.col("level2")], separator="/", ignore_nulls=True)
    out = []
    for f, label in _INDICATOR_FIELDS.items():
        rows = i if f != "target" else i.filter(pl.col("target") != pl.col("indicator").fill_null(""))
        out.append(
            rows.select(
                pl.lit("indicator").alias("kind"),
                pl.lit(f).alias("field"),
                pl.lit(4).alias("weight"),
                pl.col(f).alias("text"),
                _where(owner, level, label),
                "year",
                "department",
                "doc_id",
                "unit",
                "project_id",
                pl.lit("indicators").alias("target"),
                "row",
            )
        )
    return out


#: A cell a hit should not show for its row when another is printed: last year's (上年, 执行数) or
#: a change (增减, 变化) — the central 表5 prints 2025年执行数 before 2026年预算数.
_OTHER_FIGURE = pl.col("measure").str.contains("上年|执行数|增减|变化|比较|差额").fill_null(False)


def _budget_lines(lines: pl.DataFrame, docs: pl.DataFrame) -> pl.DataFrame:
    """One row per printed row (the measures of a row share its name and code)."""
    printed = ["doc_id", "table_no", "unit", "side", "row_no"]
    table = pl.concat_str([pl.col("table_no"), pl.col("table_kind")], separator=" ", ignore_nulls=True)
    return (
        _numbered(lines)
        .with_row_index("order")
        .sort(_OTHER_FIGURE, maintain_order=True)  # the filing's own figure is the row's headline
        .unique(printed, keep="first", maintain_order=True)
        .sort("order")
        .join(docs, on="doc_id", how="left")
        .select(
            pl.lit("budget_line").alias("kind"),
            pl.lit("name").alias("field"),
            pl.lit(1).alias("weight"),
            pl.concat_str("name", "detail", separator=" · ", ignore_nulls=True).alias("text"),  # 经济分类 too
            "code",
            "amount",
            "measure",
            "unit",
            "table_kind",
            "table_no",
            _where(table, pl.when(pl.col("code").is_not_null()).then(pl.lit("科目名称")).otherwise(pl.lit("名称"))),
            "year",
            "department",
            "doc_id",
            pl.lit("budget_lines").alias("target"),
            "row",
        )
    )


def _sections(sections: pl.DataFrame, docs: pl.DataFrame) -> pl.DataFrame:
    heading = pl.concat_str([pl.col("part"), pl.col("heading")], separator=" ", ignore_nulls=True)
    return (
        _numbered(sections)
        .join(docs, on="doc_id", how="left")
        .select(
            pl.lit("section").alias("kind"),
            pl.lit("text").alias("field"),
            pl.lit(5).alias("weight"),
            pl.col("text"),
            _where(heading),
            "year",
            "department",
            "doc_id",
            "part_no",
            pl.lit("sections").alias("target"),
            "row",
        )
    )


def _amounts(rows: pl.DataFrame, lib: Library) -> pl.DataFrame:
    """Every printed amount of budget lines and projects, keyed by the index row it belongs to."""
    printed = ["doc_id", "table_no", "unit", "side", "row_no"]
    index_rows = rows.filter(pl.col("target") == "budget_lines").select("id", "doc_id", "row")
    lines = _numbered(lib.budget_lines)
    heads = lines.join(index_rows, on=["doc_id", "row"], how="inner").select(*printed, "id")
    line_cells = lines.join(heads, on=printed, how="inner", nulls_equal=True).select("id", "measure", "amount")
    names = rows.filter((pl.col("target") == "projects") & (pl.col("field") == "name")).select("id", "doc_id", "row")
    project_cells = (
        _numbered(lib.projects)
        .join(names, on=["doc_id", "row"], how="inner")
        .unpivot(list(_PROJECT_AMOUNTS), index="id", variable_name="measure", value_name="amount")
        .with_columns(pl.col("measure").replace_strict(_PROJECT_AMOUNTS))
    )
    return (
        pl.concat([line_cells, project_cells], how="vertical")
        .filter(pl.col("amount").is_not_null())
        .join(rows.select("id", "weight"), on="id", how="left")
        .sort("id", maintain_order=True)
    )


def _notes(notes: pl.DataFrame, lines: pl.DataFrame, docs: pl.DataFrame) -> pl.DataFrame:
    """Footnotes printed under tables (and under the filing), found by their text, leading to the table."""
    tables = lines.select("doc_id", "source_table", "table_no", "table_kind").unique(["doc_id", "source_table"])
    return (
        _numbered(notes)
        .filter(pl.col("kind") == "footnote")
        .join(tables, on=["doc_id", "source_table"], how="left")
        .join(docs, on="doc_id", how="left")
        .select(
            pl.lit("note").alias("kind"),
            pl.lit("note").alias("field"),
            pl.lit(5).alias("weight"),
            pl.col("detail").alias("text"),
            "table_no",
            "table_kind",
            _where(pl.col("source_table"), "表注"),
            "year",
            "department",
            "doc_id",
            pl.lit("notes").alias("target"),
            "row",
        )
    )


def index_parts(lib: Library) -> list[pl.DataFrame]:
    """Every searchable text of ``lib``, one frame per source, each in the index's columns."""
    docs = lib.documents.select("doc_id", "year", "department", pl.col("kind").alias("doc_kind"))
    parts = [
        _documents(lib.documents),
        _units(lib.units, docs),
        *_projects(lib.projects, docs),
        *_indicators(lib.indicators, lib.projects, docs),
        _budget_lines(lib.budget_lines, docs),
        _sections(lib.sections, docs),
        _notes(lib.notes, lib.budget_lines, docs),
    ]
    return [part.select(_skeleton(part)) for part in parts]


def amounts(rows: pl.DataFrame, lib: Library) -> pl.DataFrame:
    """Every printed amount of budget lines and projects, keyed by the index row it belongs to."""
    return _amounts(rows, lib)
