"""A Fiscal Data Package (OpenSpending's format) of any selection: one filing, a department, the library.

One CSV resource, ``budget.csv``, holds every printed figure (each budget-table cell, each
project's budget and actual) as a row, and ``datapackage.json`` describes it twice: as a Tabular
Data Package (field types, so any Frictionless tool validates it) and through the fiscal
``model`` of Fiscal Data Package 0.3 (measures and dimensions). Decisions:

- Phase is per figure, so amounts sit in one column per phase, only one filled in a row:
  ``approved`` (a 部门预算 or 单位预算 is published after the people's congress approves it, and a
  决算's 预算数 column is that approved budget), ``adjusted`` (a 绩效自评表's budget is the
  full-year, adjusted one) and ``executed`` (决算 figures, a 自评表's actual spending). Nothing in
  these filings is a proposal, so ``proposed`` never occurs.
- Amounts are 万元 as in every frame: currency CNY, ``factor`` 10000 turns them into 元.
- A column named after a year (三公: 2022年 in a 2023 filing) is that year's figure; columns that
  print a change (增减变化金额) are left out: they are not amounts of any phase.
- 功能分类 and 经济分类 are hierarchies 类 → 款 → 项 with codes and the labels the same filing
  prints for them; the administrative classification is department → 预算单位.
- Figures overlap as they do on paper (支出总表 and 功能分类 carry the same money; a 类 is the sum
  of its 款): select by ``table_kind`` and ``level`` before adding up.

The package is validated offline as a tabular-data-package: the fiscal profile's JSON schema
lives on the web, so the model is checked by ``check_model`` instead (every source a field).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

import polars as pl

from parsing import atomic
from parsing.library import Library
from parsing.queries.export import cell
from parsing.schema import Row

RESOURCE = "budget"
PHASES = ("approved", "adjusted", "executed")
PHASE_LABELS = {"approved": "预算", "adjusted": "调整预算", "executed": "决算"}
#: Field name → Table Schema type, in file order.
FIELDS: dict[str, str] = {
    "row_id": "integer",
    "fiscal_year": "integer",
    "phase": "string",
    "phase_label": "string",
    "filing_kind": "string",
    "doc_id": "string",
    "department": "string",
    "unit": "string",
    "direction": "string",
    "table_kind": "string",
    "table_title": "string",
    "row_kind": "string",
    "classification": "string",
    "code": "string",
    "label": "string",
    "level": "integer",
    "func_code": "string",
    "func_label": "string",
    "func_class": "string",
    "func_class_label": "string",
    "func_section": "string",
    "func_section_label": "string",
    "func_item": "string",
    "func_item_label": "string",
    "econ_code": "string",
    "econ_label": "string",
    "econ_class": "string",
    "econ_class_label": "string",
    "econ_section": "string",
    "econ_section_label": "string",
    "project": "string",
    "column": "string",
    "approved": "number",
    "adjusted": "number",
    "executed": "number",
    "source_file": "string",
    "source_page": "integer",
    "source_line": "integer",
}


def fdp_rows(lib: Library, doc_ids: Iterable[str] | None = None) -> pl.DataFrame:
    """Every figure of the chosen filings (all when None) as the package's rows (FIELDS)."""
    docs = lib.documents if doc_ids is None else lib.documents.filter(pl.col("doc_id").is_in(list(doc_ids)))
    docs = docs.select("doc_id", pl.col("year").alias("doc_year"), pl.col("kind").alias("filing_kind"), "department")
    lines = _lines((lib.budget_lines if doc_ids is None else lib.lines(docs["doc_id"])).join(docs, on="doc_id"))
    projects = _projects(lib.projects.join(docs, on="doc_id"))
    rows = pl.concat([lines, projects], how="diagonal_relaxed")
    rows = rows.with_columns(
        pl.col("phase").replace_strict(PHASE_LABELS, default=None).alias("phase_label"),
        *(pl.when(pl.col("phase") == p).then(pl.col("amount")).alias(p) for p in PHASES),
    )
    rows = _with_hierarchy(rows, "function", "func", ((3, "class"), (5, "section"), (7, "item")))
    rows = _with_hierarchy(rows, "economic", "econ", ((3, "class"), (5, "section")))
    rows = rows.with_row_index("row_id", offset=1)
    return rows.select(
        [
            pl.col(f).cast(pl.Int64 if t == "integer" else pl.Float64 if t == "number" else pl.String)
            for f, t in FIELDS.items()
        ]
    )


def _lines(lines: pl.DataFrame) -> pl.DataFrame:
    year = pl.col("measure").str.extract(r"^(\d{4})年$", 1).cast(pl.Int64, strict=False)
    final = pl.col("filing_kind") == "部门决算"
    phase = (
        pl.when(pl.col("measure").str.contains("预算"))
        .then(pl.lit("approved"))
        .when(final)
        .then(pl.lit("executed"))
        .otherwise(pl.lit("approved"))
    )
    direction = pl.when((pl.col("side") == "income") | (pl.col("table_kind") == "收入总表")).then(pl.lit("revenue"))
    return lines.filter(pl.col("amount").is_not_null() & ~pl.col("measure").str.contains("增减")).select(
        pl.coalesce(year, pl.col("doc_year")).alias("fiscal_year"),
        phase.alias("phase"),
        "filing_kind",
        "doc_id",
        "department",
        "unit",
        direction.otherwise(pl.lit("expenditure")).alias("direction"),
        "table_kind",
        pl.col("source_table").alias("table_title"),
        "row_kind",
        "classification",
        "code",
        pl.col("name").alias("label"),
        "level",
        pl.col("measure").alias("column"),
        "amount",
        "source_file",
        "source_page",
        "source_line",
        "table_no",
    )


def _projects(projects: pl.DataFrame) -> pl.DataFrame:
    """A project's budget (approved in a budget, adjusted in a 自评表) and its actual (executed)."""
    rows = projects.filter(pl.col("row_kind") == "project")
    base: list[str | pl.Expr] = [
        pl.col("doc_year").alias("fiscal_year"),
        "filing_kind",
        "doc_id",
        "department",
        "unit",
        pl.lit("expenditure").alias("direction"),
        pl.lit("项目").alias("table_kind"),
        pl.col("source_table").alias("table_title"),
        "row_kind",
        pl.lit("none").alias("classification"),
        pl.col("name").alias("project"),
        "source_file",
        "source_page",
        "source_line",
    ]
    evaluation = pl.col("filing_kind") == "绩效自评表"
    budget = rows.filter(pl.col("budget_total").is_not_null()).select(
        *base,
        pl.when(evaluation).then(pl.lit("adjusted")).otherwise(pl.lit("approved")).alias("phase"),
        pl.lit("预算合计").alias("column"),
        pl.col("budget_total").alias("amount"),
    )
    actual = rows.filter(pl.col("actual_total").is_not_null()).select(
        *base,
        pl.lit("executed").alias("phase"),
        pl.lit("实际合计").alias("column"),
        pl.col("actual_total").alias("amount"),
    )
    return pl.concat([budget, actual])


def _with_hierarchy(
    rows: pl.DataFrame, classification: str, prefix: str, levels: tuple[tuple[int, str], ...]
) -> pl.DataFrame:
    """Code, label and each level's code and label (as the same filing's table prints them)."""
    mine = (pl.col("classification") == classification) & pl.col("code").is_not_null()
    names = (
        rows.filter(mine)
        .select("doc_id", "table_no", "code", "label")
        .unique(["doc_id", "table_no", "code"], keep="first", maintain_order=True)
    )
    out = rows.with_columns(
        pl.when(mine).then(pl.col("code")).alias(f"{prefix}_code"),
        pl.when(mine).then(pl.col("label")).alias(f"{prefix}_label"),
    )
    for width, level in levels:
        key = f"{prefix}_{level}"
        code = pl.when(pl.col(f"{prefix}_code").str.len_chars() >= width).then(
            pl.col(f"{prefix}_code").str.slice(0, width)
        )
        out = out.with_columns(code.alias(key)).join(
            names.rename({"code": key, "label": f"{key}_label"}),
            on=["doc_id", "table_no", key],
            how="left",
            nulls_equal=False,
        )
    return out


def descriptor(rows: pl.DataFrame, title: str, name: str) -> Row:
    """datapackage.json: package metadata, the resource's Table Schema and the fiscal model."""
    years = rows["fiscal_year"].drop_nulls().cast(pl.Int64).to_list()
    phases = [p for p in PHASES if rows[p].drop_nulls().len()] or ["approved"]
    field: dict[str, dict[str, Any]] = {f: {"name": f, "type": t} for f, t in FIELDS.items()}
    for f in (
        "code",
        "func_code",
        "func_class",
        "func_section",
        "func_item",
        "econ_code",
        "econ_class",
        "econ_section",
    ):
        field[f]["constraints"] = {"pattern": r"\d{3}(\d{2}){0,3}"}
    for p in PHASES:
        field[p]["description"] = f"金额（万元），{PHASE_LABELS[p]}"
    field["phase"]["constraints"] = {"enum": list(PHASES)}

    def hierarchy(prefix: str, kind: str, levels: tuple[str, ...]) -> Row:
        attributes: dict[str, Row] = {
            "code": {"source": f"{prefix}_code"},
            "label": {"source": f"{prefix}_label", "labelfor": "code"},
        }
        parent = None
        for level in levels:
            attributes[level] = {"source": f"{prefix}_{level}", **({"parent": parent} if parent else {})}
            attributes[f"{level}_label"] = {"source": f"{prefix}_{level}_label", "labelfor": level}
            parent = level
        return {
            "dimensionType": "classification",
            "classificationType": kind,
            "attributes": attributes,
            "primaryKey": ["code"],
        }

    return {
        "profile": "tabular-data-package",
        "profiles": {"fiscal": "*", "tabular": "*"},
        "name": name,
        "title": title,
        "countryCode": "cn",
        "granularity": "aggregated",
        "fiscalPeriod": {"start": f"{min(years)}-01-01", "end": f"{max(years)}-12-31"} if years else {},
        "resources": [
            {
                "name": RESOURCE,
                "path": f"{RESOURCE}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": list(field.values()), "primaryKey": ["row_id"], "missingValues": [""]},
            }
        ],
        "model": {
            "measures": {
                p: {"source": p, "resource": RESOURCE, "currency": "CNY", "factor": 10000, "phase": p, "unit": "万元"}
                for p in phases
            },
            "dimensions": {
                "date": {
                    "dimensionType": "datetime",
                    "attributes": {"fiscal-year": {"source": "fiscal_year"}},
                    "primaryKey": "fiscal-year",
                },
                "administrative-classification": {
                    "dimensionType": "classification",
                    "classificationType": "administrative",
                    "attributes": {
                        "department": {"source": "department"},
                        "unit": {"source": "unit", "parent": "department"},
                    },
                    "primaryKey": ["department", "unit"],
                },
                "functional-classification": hierarchy("func", "functional", ("class", "section", "item")),
                "economic-classification": hierarchy("econ", "economic", ("class", "section")),
                "activity": {
                    "dimensionType": "activity",
                    "attributes": {"project": {"source": "project"}},
                    "primaryKey": "project",
                },
                "direction": {
                    "dimensionType": "other",
                    "attributes": {"direction": {"source": "direction"}},
                    "primaryKey": "direction",
                },
                "filing": {
                    "dimensionType": "fact",
                    "attributes": {
                        "doc-id": {"source": "doc_id"},
                        "kind": {"source": "filing_kind"},
                        "table": {"source": "table_kind"},
                        "title": {"source": "table_title"},
                        "column": {"source": "column"},
                        "label": {"source": "label"},
                    },
                    "primaryKey": ["doc-id", "table", "column"],
                },
            },
        },
    }


def check_model(package: Row) -> list[str]:
    """What is wrong with a package's fiscal model: measures and attributes whose source is no field."""
    fields = {f["name"] for r in package["resources"] for f in r["schema"]["fields"]}
    model = package.get("model", {})
    problems = [] if model.get("measures") else ["no measure"]
    for key, m in model.get("measures", {}).items():
        if m.get("source") not in fields or not m.get("currency"):
            problems.append(f"measure {key}: source {m.get('source')!r} or currency missing")
    for key, d in model.get("dimensions", {}).items():
        for attr, a in d.get("attributes", {}).items():
            if a.get("source") not in fields:
                problems.append(f"dimension {key}.{attr}: no field {a.get('source')!r}")
            if a.get("parent") and a["parent"] not in d["attributes"]:
                problems.append(f"dimension {key}.{attr}: no parent {a['parent']!r}")
    return problems


def write_fdp(
    lib: Library, folder: Path | str, doc_ids: Iterable[str] | None = None, *, title: str = "", force: bool = False
) -> Path:
    """Write the package of the chosen filings into ``folder``; returns datapackage.json's path.

    An existing package in the folder is replaced only with ``force`` (FileExistsError otherwise);
    each file is written through ``parsing.atomic``, so no reader sees half a file, and the
    descriptor last, so a package is never described before its data is in place.
    """
    folder = Path(folder)
    target = folder / "datapackage.json"
    if target.exists() and not force:
        raise FileExistsError(f"{target} exists (use --force to overwrite)")
    rows = fdp_rows(lib, doc_ids)
    if not rows.height:
        raise ValueError("没有可导出的内容：所选范围内没有数字")
    folder.mkdir(parents=True, exist_ok=True)
    years = rows["fiscal_year"].drop_nulls().to_list()
    name = f"yusuan-{min(years)}-{max(years)}" if years else "yusuan-budget"
    package = descriptor(rows, title or "yusuan 预算公开数据", name)

    def table(out: BinaryIO) -> None:
        text = io.TextIOWrapper(out, encoding="utf-8", newline="")
        writer = csv.writer(text)
        writer.writerow(rows.columns)
        writer.writerows([cell(v) for v in row] for row in rows.iter_rows())
        text.flush()
        text.detach()

    atomic.write(folder / f"{RESOURCE}.csv", table)
    described = json.dumps(package, ensure_ascii=False, indent=1).encode("utf-8")
    if not atomic.write_bytes(target, described, overwrite=force):
        raise FileExistsError(f"{target} exists (use --force to overwrite)")
    return target
