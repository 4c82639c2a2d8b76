"""Comparison: two filings' rows aligned on keys that survive re-printing, as one tidy frame.

Budget lines align on (table kind, unit, side, 科目编码, measure): the code, because names get
reworded from year to year (a changed name under one code is reported as ``renamed``); rows
without a code (totals, 收支总表 items, 表12 tasks) align on the folded name minus its list
numbering (三、 / 1. / （一）). Measures named after years (三公: 2022年 / 2023年) are read as
本年 / 上年 of their filing, so they line up. Projects align on their normalised name within a
unit; what is left is paired greedily by difflib similarity ≥ 0.6 and marked ``fuzzy`` with its
score, so a reader can judge the pairing. Amounts are 万元 in every frame, so a table printed in
元 compares with one printed in 万元 as is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import polars as pl

from parsing.library import Library
from parsing.normalize import fold
from parsing.queries.lookup import PROJECTS, document_id, holdings, project_kind
from parsing.queries.pairing import fuzzy_pairs, reworded
from parsing.schema import TABLE_KINDS

#: Qualifiers that do not change which project a name denotes.
PROJECT_QUALIFIERS = (
    "通用项目",
    "专项项目",
    "一般项目",
    "延续项目",
    "新增项目",
    "经常性项目",
    "一次性项目",
    "重点项目",
)
FUZZY_THRESHOLD = 0.6

_QUALIFIER = re.compile(r"\((?:" + "|".join(PROJECT_QUALIFIERS) + r")\)$")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十\d]+\)|\d+[.、])")
_YEAR_MEASURE = re.compile(r"^(\d{4})年?$")
#: Column names meaning "the row's total" in 部门预算 and 部门决算 tables.
_TOTAL_MEASURES = {"支出总计", "合计", "总计", "本年支出合计", "本年支出", "预算数", "决算数", "金额"}
_LINE_KEY = ["table_kind", "unit_key", "side", "item", "measure_key", "occurrence"]
_PROJECT_KEY = ["unit_key", "name_key", "occurrence"]

BUDGET_COLUMNS = [
    "table_kind",
    "unit",
    "code",
    "name_a",
    "name_b",
    "measure",
    "amount_a",
    "amount_b",
    "delta",
    "delta_pct",
    "status",
]
PROJECT_COLUMNS = [
    "unit",
    "name_a",
    "name_b",
    "budget_a",
    "budget_b",
    "actual_a",
    "actual_b",
    "exec_rate_a",
    "exec_rate_b",
    "delta",
    "delta_pct",
    "status",
    "score",
    "project_id_a",
    "project_id_b",
]


def compare_budget(
    lib: Library, department: str, year_a: int, year_b: int, table_kind: str | None = None, *, kind: str = "部门预算"
) -> pl.DataFrame:
    """Budget lines of two years side by side: Δ, Δ% and same / changed / new / gone / renamed.

    Sorted by table (in schema order), then |Δ| descending, so the biggest moves come first.
    """
    a = document_id(lib, department, year_a, kind)
    b = document_id(lib, department, year_b, kind)
    lines_a, lines_b = _keyed_lines(lib, a, year_a, table_kind), _keyed_lines(lib, b, year_b, table_kind)
    return _align_lines(lines_a, reworded(lines_a, lines_b))


def compare_budget_actual(lib: Library, department: str, year: int) -> pl.DataFrame:
    """A year's budget against its actual spending, in the year-comparison shape (A = 预算, B = 实际).

    A 部门预算 meets the same year's 部门决算 line by line (table kind, 科目编码, measure; the
    总计/合计/决算数 columns count as one measure); without a 决算, a 绩效自评表's projects give
    budget against actual per project (table_kind 绩效自评表, measure 合计). ``exec_rate`` is B/A in %.
    """
    budget = document_id(lib, department, year, "部门预算", required=False)
    final = document_id(lib, department, year, "部门决算", required=False)
    if budget and final:
        aligned = _align_lines(
            _keyed_lines(lib, budget, year, None, total=True), _keyed_lines(lib, final, year, None, total=True)
        )
    else:
        evaluation = document_id(lib, department, year, "绩效自评表", required=False)
        if not evaluation:
            raise ValueError(
                f"{department} {year}：需要同年的部门预算与部门决算，或绩效自评表（现有：{holdings(lib, department)}）"
            )
        aligned = _evaluation_lines(lib, evaluation)
    return aligned.with_columns(
        pl.when(pl.col("amount_a") != 0)
        .then((pl.col("amount_b") / pl.col("amount_a") * 100).round(2))
        .alias("exec_rate")
    )


def compare_projects(
    lib: Library,
    department: str,
    year_a: int,
    year_b: int,
    *,
    kind: str | None = None,
    threshold: float = FUZZY_THRESHOLD,
) -> pl.DataFrame:
    """Projects of two years side by side, aligned by normalised name, then fuzzily.

    ``kind`` defaults to the first filing kind (部门预算 … 绩效自评表) that has projects in both
    years. Status: same / changed (budget or actual differ) / fuzzy (paired by similarity,
    ``score`` < 1) / new / gone; sorted by |Δ budget| descending.
    """
    kind = kind or project_kind(lib, department, year_a, year_b)
    if kind is None:
        raise ValueError(
            f"{department}：{year_a} 与 {year_b} 没有同一类文件都列有项目（现有：{holdings(lib, department)}）"
        )
    a = _keyed_projects(lib, document_id(lib, department, year_a, kind))
    b = _keyed_projects(lib, document_id(lib, department, year_b, kind))
    exact = a.join(b, on=_PROJECT_KEY, how="inner", suffix="_b").with_columns(pl.lit(1.0).alias("score"))
    rest_a = a.join(b, on=_PROJECT_KEY, how="anti")
    rest_b = b.join(a, on=_PROJECT_KEY, how="anti")
    pairs = fuzzy_pairs(rest_a, rest_b, threshold)
    fuzzy = rest_a.join(pairs, on="project_id", how="inner").join(
        rest_b, left_on="project_id_b", right_on="project_id", how="inner", suffix="_b"
    )
    gone = rest_a.join(pairs, on="project_id", how="anti")
    new = rest_b.join(pairs, left_on="project_id", right_on="project_id_b", how="anti")
    fields = {
        "project_id": "project_id",
        "unit": "unit",
        "name": "name",
        "budget_total": "budget",
        "actual_total": "actual",
        "exec_rate": "exec_rate",
        "order": "order",
    }
    as_a = {k: f"{v}_a" for k, v in fields.items()}
    as_b = {k: f"{v}_b" for k, v in fields.items()}
    joined_b = {f"{k}_b": v for k, v in as_b.items()}
    frames = [
        exact.rename(as_a | joined_b).with_columns(_project_status()),
        fuzzy.rename(as_a | joined_b).with_columns(pl.lit("fuzzy").alias("status")),
        gone.rename(as_a).with_columns(pl.lit("gone").alias("status")),
        new.rename(as_b).with_columns(pl.lit("new").alias("status")),
    ]
    out = pl.concat(frames, how="diagonal_relaxed").with_columns(
        pl.coalesce("unit_b", "unit_a").alias("unit"), *_delta("budget_a", "budget_b")
    )
    return out.sort(
        pl.col("delta").abs(), pl.coalesce("order_b", "order_a"), descending=[True, False], nulls_last=True
    ).select(PROJECT_COLUMNS)


def compare_years(
    lib: Library, department: str, year_a: int, year_b: int, table_kind: str | None = None
) -> dict[str, pl.DataFrame]:
    """Whatever two years of a department have in common: 部门预算 lines and/or projects.

    ``table_kind`` 项目 asks for projects only, another kind for that budget table only; without
    it both come when both exist. The keys are ``budget_lines`` and ``projects``. Raises
    ValueError when nothing can be compared.
    """
    out: dict[str, pl.DataFrame] = {}
    budgets = all(document_id(lib, department, y, "部门预算", required=False) for y in (year_a, year_b))
    if table_kind != PROJECTS and (budgets or table_kind):
        out["budget_lines"] = compare_budget(lib, department, year_a, year_b, table_kind)
    if table_kind in (None, PROJECTS) and (project_kind(lib, department, year_a, year_b) or table_kind):
        out["projects"] = compare_projects(lib, department, year_a, year_b)
    if not out:
        raise ValueError(
            f"{department}：{year_a} 与 {year_b} 之间没有可比较的内容（现有：{holdings(lib, department)}）"
        )
    return out


def _mapped(col: str, fn: Callable[[str], str]) -> Callable[[pl.DataFrame], pl.Expr]:
    """An expression applying ``fn`` once per distinct value of ``col`` (names repeat a lot)."""

    def expr(df: pl.DataFrame) -> pl.Expr:
        values = df[col].drop_nulls().unique().to_list()
        return pl.col(col).replace_strict(values, [fn(v) for v in values], default=None, return_dtype=pl.String)

    return expr


def unit_key(unit: str) -> str:
    """深圳市财政局（本级） and 深圳市财政局(本级) and 深圳市财政局本级 are one unit."""
    return re.sub(r"[()]", "", fold(unit))


def line_name_key(name: str) -> str:
    """A row name without its list numbering: 三、卫生健康支出 and 四、卫生健康支出 are one row."""
    return _NUMBERING.sub("", fold(name))


def project_name_key(name: str) -> str:
    """A project name without qualifiers: 办公设备购置（通用项目） and 办公设备购置 are one project."""
    key = fold(name)
    while True:
        stripped = _QUALIFIER.sub("", key)
        if stripped == key:
            return key
        key = stripped


def _measure_key(year: int, total: bool) -> Callable[[str], str]:
    def key(measure: str) -> str:
        m = _YEAR_MEASURE.match(fold(measure))
        if m and int(m.group(1)) in (year, year - 1):
            return "本年" if int(m.group(1)) == year else "上年"
        if total and fold(measure) in _TOTAL_MEASURES:
            return "合计"
        return fold(measure)

    return key


def _keyed_lines(
    lib: Library, doc_id: str | None, year: int, table_kind: str | None, *, total: bool = False
) -> pl.DataFrame:
    lines = lib.lines(doc_id)
    if table_kind:
        lines = lines.filter(pl.col("table_kind") == table_kind)
    item = pl.coalesce(pl.col("code"), _mapped("name", line_name_key)(lines)).fill_null("")
    lines = lines.with_columns(
        _mapped("unit", unit_key)(lines).fill_null("").alias("unit_key"),
        pl.concat_str(item, _mapped("detail", line_name_key)(lines).fill_null(""), separator="|").alias("item"),
        _mapped("measure", _measure_key(year, total))(lines).fill_null("").alias("measure_key"),
        pl.col("side").fill_null(""),
        pl.concat_str("name", "detail", separator=" · ", ignore_nulls=True).alias("name"),  # 经济分类 too
    )
    return lines.with_columns(pl.int_range(pl.len()).over(_LINE_KEY[:-1]).alias("occurrence")).select(
        *_LINE_KEY, "unit", "code", "name", "measure", "amount", "row_no"
    )


def _align_lines(a: pl.DataFrame, b: pl.DataFrame) -> pl.DataFrame:
    a = a.rename({c: f"{c}_a" for c in a.columns if c not in _LINE_KEY})
    b = b.rename({c: f"{c}_b" for c in b.columns if c not in _LINE_KEY})
    both = a.join(b, on=_LINE_KEY, how="full", coalesce=True)
    present_a, present_b = pl.col("row_no_a").is_not_null(), pl.col("row_no_b").is_not_null()
    renamed = (
        pl.col("name_a").is_not_null()
        & pl.col("name_b").is_not_null()
        & (_mapped("name_a", line_name_key)(both) != _mapped("name_b", line_name_key)(both))
    )
    status = (
        pl.when(~present_a)
        .then(pl.lit("new"))
        .when(~present_b)
        .then(pl.lit("gone"))
        .when(renamed)
        .then(pl.lit("renamed"))
        .when(pl.col("amount_a").eq_missing(pl.col("amount_b")))
        .then(pl.lit("same"))
        .otherwise(pl.lit("changed"))
    )
    order = pl.col("table_kind").replace_strict(
        list(TABLE_KINDS), list(range(len(TABLE_KINDS))), default=len(TABLE_KINDS), return_dtype=pl.Int32
    )
    return (
        both.with_columns(
            pl.coalesce("unit_b", "unit_a").alias("unit"),
            pl.coalesce("code_b", "code_a").alias("code"),
            pl.when(pl.col("measure_key").is_in(["本年", "上年", "合计"]))
            .then(pl.col("measure_key"))
            .otherwise(pl.coalesce("measure_b", "measure_a"))
            .alias("measure"),
            status.alias("status"),
            *_delta("amount_a", "amount_b"),
        )
        .sort(
            order,
            pl.col("delta").abs(),
            pl.coalesce("row_no_b", "row_no_a"),
            descending=[False, True, False],
            nulls_last=True,
        )
        .select(BUDGET_COLUMNS)
    )


def _delta(a: str, b: str) -> list[pl.Expr]:
    """Δ = B − A (a missing side counts as 0) and Δ% against A; float noise rounded away."""
    delta = (pl.col(b).fill_null(0) - pl.col(a).fill_null(0)).round(6)
    pct = pl.when(pl.col(a).is_not_null() & (pl.col(a) != 0)).then((delta / pl.col(a) * 100).round(2))
    both_missing = pl.col(a).is_null() & pl.col(b).is_null()
    return [pl.when(~both_missing).then(delta).alias("delta"), pct.alias("delta_pct")]


def _keyed_projects(lib: Library, doc_id: str | None) -> pl.DataFrame:
    p = lib.frame("projects", doc_id).filter(pl.col("row_kind") == "project").with_row_index("order")
    p = p.with_columns(
        _mapped("unit", unit_key)(p).fill_null("").alias("unit_key"),
        _mapped("name", project_name_key)(p).fill_null("").alias("name_key"),
    )
    return p.with_columns(pl.int_range(pl.len()).over("unit_key", "name_key").alias("occurrence")).select(
        *_PROJECT_KEY, "project_id", "unit", "name", "budget_total", "actual_total", "exec_rate", "order"
    )


def _project_status() -> pl.Expr:
    same = pl.col("budget_a").eq_missing(pl.col("budget_b")) & pl.col("actual_a").eq_missing(pl.col("actual_b"))
    return pl.when(same).then(pl.lit("same")).otherwise(pl.lit("changed")).alias("status")


def _evaluation_lines(lib: Library, doc_id: str) -> pl.DataFrame:
    """A 绩效自评表's projects as compared lines: A = 预算合计, B = 实际合计."""
    p = lib.frame("projects", doc_id).filter(pl.col("row_kind") == "project")
    return (
        p.select(
            pl.lit("绩效自评表").alias("table_kind"),
            "unit",
            pl.lit(None, pl.String).alias("code"),
            pl.col("name").alias("name_a"),
            pl.col("name").alias("name_b"),
            pl.lit("合计").alias("measure"),
            pl.col("budget_total").alias("amount_a"),
            pl.col("actual_total").alias("amount_b"),
            *_delta("budget_total", "actual_total"),
        )
        .with_columns(
            pl.when(pl.col("amount_a").eq_missing(pl.col("amount_b")))
            .then(pl.lit("same"))
            .otherwise(pl.lit("changed"))
            .alias("status")
        )
        .sort(pl.col("delta").abs(), descending=True, nulls_last=True, maintain_order=True)
        .select(BUDGET_COLUMNS)
    )
