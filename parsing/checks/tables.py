"""Rules within and across budget tables: 科目 hierarchies, row identities, totals, 三公."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from parsing.checks.base import Rule, finding, grade, page, unchecked
from parsing.checks.columns import group_members
from parsing.library import Library
from parsing.numbers import format_number
from parsing.schema import Row

TOTAL_MEASURES = ("支出总计", "合计", "总计", "本年支出合计", "本年收入合计")
KEYS = ["doc_id", "table_kind", "table_no", "side", "measure"]
#: Rows that number the columns (栏次 1 2 3 …, ** 1 2 …) rather than carry amounts.
COLUMN_NUMBERS = r"^(栏次|行次|序号|\*+|[0-9]+)$"
#: Columns that are not parts of a row's total: its split into 人员/公用 (a second partition of
#: 基本支出), 采购 (a subset), and the comparison columns a 决算 or central table adds. 上年结转结余 is a part (a source of this year's money); 上年预算数 is not.
NOT_PARTS = r"采购|人员|公用|增减|执行数|扣除|备注|栏次|编码|名称|上年[预执决数同]|比上年|变动|%"


def step() -> pl.Expr:
    """Each printed amount's rounding step in 万元, from its decimals and source unit."""
    decimals = pl.col("amount_text").str.extract(r"\.(\d+)").str.len_chars().fill_null(0).cast(pl.Int32)
    scale = pl.col("source_unit").replace_strict({"元": 1e-4, "亿元": 1e4}, default=1.0, return_dtype=pl.Float64)
    return (pl.lit(10.0).pow(-decimals) * scale).alias("step")


def coded(lib: Library) -> pl.DataFrame:
    """Lines of the classified tables (功能/经济分类 and alike), blanks as 0, with their steps."""
    return lib.budget_lines.filter(
        pl.col("classification").is_in(["function", "economic"]),
        ~pl.col("table_kind").is_in(["收支总表", "财政拨款收支总表"]),
        pl.col("code").is_not_null() | ~pl.col("name").fill_null("").str.strip_chars().str.contains(COLUMN_NUMBERS),
        ~pl.col("measure").fill_null("").str.contains("编码|名称|备注|栏次"),  # label columns read as amounts
    ).with_columns(pl.col("amount").fill_null(0.0), step())


def vouched(lib: Library) -> set[tuple[str, str]]:
    """(doc_id, source_table) of tables the readers vouch for: sure of their layout and every
    number printed in them read into a figure (``lib.tables``)."""
    tables = getattr(lib, "tables", None)
    if tables is None or tables.is_empty():
        return set()
    whole = pl.col("sure").fill_null(False) & (pl.col("cells_read").fill_null(0) >= pl.col("cells_seen").fill_null(0))
    return {(d, t) for d, t in tables.filter(whole).select("doc_id", "source_table").rows()}


def short(lib: Library, what: str) -> Callable[[Row], str | None]:
    """A shortfall (the parts add to less than the printed whole) in a table not vouched for
    is "未核": a row continued on the next page or a column the reader missed looks the same."""
    sure = vouched(lib)

    def reason(r: Row) -> str | None:
        if r["expected"] < r["amount"] and (r["doc_id"], r["source_table"]) not in sure:
            return f"{what}之和少于合计，可能有未读出的{what}"
        return None

    return reason


def _report(
    rule: Rule, rows: pl.DataFrame, label: Callable[[Row], str], doubt: Callable[[Row], str | None] | None = None
) -> list[Row]:
    """Findings for rows with columns amount (printed), expected (computed), tolerance; ``doubt``
    names why a row's premise is uncertain (then an error is "未核", not ✗)."""
    out = []
    for r in rows.iter_rows(named=True):
        severity = grade(r["expected"], r["amount"], r["tolerance"])
        if severity:
            other = {"source_table": r.get("other"), "source_page": r.get("other_page")}
            found = finding(
                rule,
                severity,
                r,
                rows=label(r),
                expected=r["expected"],
                actual=r["amount"],
                tolerance=r["tolerance"],
                message=f"{label(r)}: 印 {format_number(r['amount'], decimals=4)}（{page(r)}），算 {format_number(r['expected'], decimals=4)}"
                + (f"（{r['other']} {page(other)}）" if r.get("other") else ""),
                other=other if r.get("other") else None,
            )
            reason = doubt(r) if doubt else None
            out.append(unchecked(found, reason) if reason and severity == "error" else found)
    return out


def _hierarchy(lib: Library) -> list[Row]:
    """A 科目 equals the sum of its children. Scope: every coded table (功能分类, 经济分类 and
    alike), each column (measure) and 预算单位 block apart; 口径 as the table prints it."""
    missing = short(lib, "下级科目")
    lines = coded(lib)
    kids = (
        lines.filter(pl.col("parent").is_not_null())
        .group_by([*KEYS, "unit", "parent"])
        .agg(
            pl.col("amount").sum().alias("expected"),
            pl.len().alias("n"),
            pl.col("step").max().alias("kid_step"),
            pl.col("code").str.join("+").alias("kids"),
            pl.col("code").n_unique().alias("distinct"),
        )
    )
    joined = lines.join(
        kids, left_on=[*KEYS, "unit", "code"], right_on=[*KEYS, "unit", "parent"], nulls_equal=True
    ).with_columns(((pl.col("n") + 1) * pl.max_horizontal("step", "kid_step") / 2).alias("tolerance"))
    return _report(
        HIER,
        joined,
        lambda r: f"{r['table_no'] or r['table_kind']} {r['code']} {r['name']}·{r['measure']} = Σ{r['kids']}",
        lambda r: "同一科目在本表出现两次，两块表未分开" if r["distinct"] < r["n"] else missing(r),
    )


def _heads(lines: pl.DataFrame) -> pl.DataFrame:
    """The top rows of each table block (KEYS, 预算单位): its 类 (level 1); where it prints none,
    its coded rows none of whose heads (the code's 3- and 5-digit prefixes) it prints — a table
    that lists only its 项 rows (2040101 …, no 类 or 款) adds those up to its total."""
    group = [*KEYS, "unit"]
    coded_rows = lines.filter(pl.col("code").is_not_null())
    printed = coded_rows.select(*group, pl.col("code").alias("_head")).unique()
    nested = (
        coded_rows.select(
            *group,
            "code",
            pl.concat_list(pl.col("code").str.slice(0, 3), pl.col("code").str.slice(0, 5)).alias("_head"),
        )
        .explode("_head")
        .filter(pl.col("_head").str.len_chars() < pl.col("code").str.len_chars())
        .join(printed, on=[*group, "_head"], nulls_equal=True)
        .select(*group, "code")
        .unique()
    )
    classes = lines.filter(pl.col("level") == 1)
    orphans = coded_rows.join(classes.select(group).unique(), on=group, how="anti", nulls_equal=True).join(
        nested, on=[*group, "code"], how="anti", nulls_equal=True
    )
    return pl.concat([classes, orphans])


def _top(lib: Library) -> list[Row]:
    """A total row equals its top rows (``_heads``: its 类, or the rows under no printed 类 or 款);
    where the table is split by 预算单位, its units' totals (a unit's total its top rows). Scope:
    every coded table, each column apart; 口径 as the table prints it. An organisation's code
    (部门代码 024) is no 类 (readers/describe)."""
    lines = coded(lib)
    level1 = (
        _heads(lines)
        .group_by([*KEYS, "unit"])
        .agg(
            pl.col("amount").sum().alias("expected"),
            pl.len().alias("n"),
            pl.col("step").max().alias("kid_step"),
            pl.col("level")
            .min()
            .replace_strict({2: "款", 3: "项"}, default="类", return_dtype=pl.String)
            .alias("_tier"),
        )
    )
    units = (
        lines.filter(pl.col("row_kind") == "unit_total")
        .group_by(KEYS)
        .agg(pl.col("amount").sum().alias("expected"), pl.len().alias("n"), pl.col("step").max().alias("kid_step"))
    )
    unit_rows = lines.filter(pl.col("row_kind") == "unit_total").join(level1, on=[*KEYS, "unit"], nulls_equal=True)
    totals = lines.filter(pl.col("row_kind") == "total")
    by_units = totals.join(units, on=KEYS, nulls_equal=True)
    by_classes = totals.join(units, on=KEYS, how="anti", nulls_equal=True).join(
        level1.drop("unit"), on=KEYS, nulls_equal=True
    )
    rows = pl.concat([unit_rows, by_units, by_classes], how="diagonal_relaxed").with_columns(
        ((pl.col("n") + 1) * pl.max_horizontal("step", "kid_step") / 2).alias("tolerance")
    )
    return _report(
        TOP,
        rows,
        lambda r: f"{r['table_no'] or r['table_kind']} {r['name']}·{r['measure']} = Σ{r.get('_tier') or '类'}",
    )


def _row_identity(lib: Library) -> list[Row]:
    """A row's 合计 column equals its parts: 基本支出 + 项目支出 (+ 上缴, 事业单位经营 …), with
    人员经费 + 公用经费 in 基本支出's stead where the row prints no 基本支出 column. Scope: every
    coded table's rows; columns that are carried-over or subtotal columns (``NOT_PARTS``) are not
    parts, and a column group's 小计 stands for its members, a 其中 column is inside the column
    before it (``group_members``): neither is added beside what it is part of."""
    lines = coded(lib).with_columns(pl.coalesce("code", "name").alias("_row"))
    keys = ["doc_id", "table_kind", "table_no", "unit", "row_no", "_row"]
    total = lines.filter(pl.col("measure").is_in(TOTAL_MEASURES))
    split = pl.col("measure").str.contains(r"^(人员|公用|日常公用)")
    basic = lines.filter(pl.col("measure").str.contains("基本支出")).select(keys).unique()
    parts = (
        pl.concat(
            [
                lines.filter(~pl.col("measure").is_in(TOTAL_MEASURES), ~pl.col("measure").str.contains(NOT_PARTS)),
                lines.filter(split).join(basic, on=keys, how="anti", nulls_equal=True),
            ]
        )
        .join(group_members(lib), on=["doc_id", "source_table", "measure"], how="anti")
        .group_by(keys)
        .agg(pl.col("amount").sum().alias("expected"), pl.len().alias("n"), pl.col("step").max().alias("kid_step"))
    )
    rows = (
        total.join(parts, on=keys, nulls_equal=True)
        .filter(pl.col("n") >= 2)
        .with_columns(((pl.col("n") + 1) * pl.max_horizontal("step", "kid_step") / 2).alias("tolerance"))
    )
    return _report(
        ROW,
        rows,
        doubt=short(lib, "分栏"),
        label=lambda r: (
            f"{r['table_no'] or r['table_kind']} {r['code'] or ''} {r['name']}·{r['measure']} = 各栏之和".replace(
                "  ", " "
            )
        ),
    )


def _balance(lib: Library) -> list[Row]:
    """收入总计 = 支出总计 (V-BAL). Scope: the 收支总表 (全部资金) and the 财政拨款收支总表
    (财政拨款 口径), each against itself, column for column (a 决算's 预算数 and 决算数 apart)."""
    totals = lib.budget_lines.with_columns(pl.col("amount").fill_null(0.0), step()).filter(
        pl.col("table_kind").is_in(["收支总表", "财政拨款收支总表"]), pl.col("name").str.ends_with("总计")
    )
    income = totals.filter(pl.col("side") == "income")
    spend = totals.filter(pl.col("side") == "expenditure").select(
        "doc_id",
        "table_kind",
        "source_table",
        "measure",
        pl.col("amount").alias("expected"),
        pl.col("step").alias("kid_step"),
    )
    # Each table against itself: two tables of one kind (a title the reader could not make out
    # gives the 财政拨款 总表 the 收支总表's kind) are never crossed.
    rows = income.join(spend, on=["doc_id", "table_kind", "source_table", "measure"], nulls_equal=True).with_columns(
        ((pl.col("step") + pl.col("kid_step")) / 2).alias("tolerance")
    )
    return _report(BAL, rows, lambda r: f"{r['table_no'] or r['table_kind']} 收入总计 = 支出总计")


def _top_total(lines: pl.DataFrame, kind: str, measures: tuple[str, ...]) -> pl.DataFrame:
    rows = lines.filter(
        pl.col("table_kind") == kind,
        pl.col("code").is_null(),
        pl.col("measure").is_in(measures),
        pl.col("row_kind").is_in(["total", "unit_total"]),
    )
    return rows.sort("row_no").group_by("doc_id", maintain_order=True).first()


def _cross(lib: Library) -> list[Row]:
    """功能分类 and 经济分类 spread the same general-budget money (财政拨款 口径): their totals
    agree (X-3). Scope: the 功能分类 table's total row against the 经济分类 table's, column for
    column where both print 基本支出 and 项目支出; where the 经济分类 table covers 基本支出 only
    (its title says 基本支出, or its columns are 人员/公用 without 项目支出), its total is compared
    with the 功能分类 table's 基本支出 column, never with its 合计 of 基本 + 项目."""
    lines = lib.budget_lines.with_columns(pl.col("amount").fill_null(0.0), step())
    economic_scope = (
        lines.filter(pl.col("table_kind") == "经济分类")
        .group_by("doc_id")
        .agg(
            (
                pl.col("source_table").first().fill_null("").str.contains("基本支出")
                | ~pl.col("measure").str.contains("项目").any()
            ).alias("basic_only")
        )
    )
    out = []
    for f_measure, e_measure, basic_only in (
        ("支出总计", "支出总计", False),
        ("合计", "合计", False),
        ("基本支出", "基本支出", False),
        ("项目支出", "项目支出", False),
        ("基本支出", "合计", True),
    ):
        function = _top_total(lines, "功能分类", (f_measure,))
        economic = (
            _top_total(lines, "经济分类", (e_measure,))
            .join(economic_scope.filter(pl.col("basic_only") == basic_only), on="doc_id")
            .select(
                "doc_id",
                pl.col("amount").alias("expected"),
                pl.col("step").alias("kid_step"),
                pl.col("source_table").alias("other"),
                pl.col("source_page").alias("other_page"),
            )
        )
        rows = function.join(economic, on="doc_id").with_columns(
            ((pl.col("step") + pl.col("kid_step")) / 2).alias("tolerance")
        )
        out += _report(CROSS, rows, _cross_label(e_measure))
    return out


def _sangong(lib: Library) -> list[Row]:
    """三公 合计 = 因公出国 + 公务接待 + 公务用车 (the 小计), and the 小计 = 购置 + 运行维护.
    Scope: the 三公经费 table (财政拨款 口径), each column (预算数, 决算数, a year) and 预算单位
    apart; a table that does not print every part is not checked."""
    lines = lib.budget_lines.filter(pl.col("table_kind") == "三公经费").with_columns(
        pl.col("amount").fill_null(0.0), step()
    )
    out = []
    for (_doc_id, _unit, measure), group in lines.group_by("doc_id", "unit", "measure"):
        named = {r["name"]: r for r in group.iter_rows(named=True)}
        total = next((r for n, r in named.items() if n in ("总计", "合计")), None)
        abroad = next((r for n, r in named.items() if "出国" in n), None)
        reception = next((r for n, r in named.items() if "接待" in n), None)
        vehicle = next((r for n, r in named.items() if "小计" in n), None)
        buy = next((r for n, r in named.items() if "购置" in n.split("·")[-1] and "小计" not in n), None)
        run = next(
            (r for n, r in named.items() if "运行" in n.split("·")[-1] and "小计" not in n and "机关" not in n), None
        )
        for whole, parts, label in (
            (total, (abroad, reception, vehicle), "三公合计 = 出国 + 接待 + 公务用车"),
            (vehicle, (buy, run), "公务用车 = 购置 + 运行维护"),
        ):
            known = [p for p in parts if p is not None]
            if whole is None or len(known) < len(parts):
                continue
            expected = sum(p["amount"] for p in known)
            tolerance = (len(known) * max(p["step"] for p in known) + whole["step"]) / 2
            severity = grade(expected, whole["amount"], tolerance)
            if severity:
                out.append(
                    finding(
                        SANGONG,
                        severity,
                        whole,
                        rows=f"{measure} {label}",
                        expected=expected,
                        actual=whole["amount"],
                        tolerance=tolerance,
                        message=f"{measure} {label}: 印 {format_number(whole['amount'], decimals=4)}，"
                        f"算 {format_number(expected, decimals=4)}（{page(whole)}）",
                    )
                )
    return out


def _projects_sum(lib: Library) -> list[Row]:
    """Σ the filing's listed projects = its 项目支出 (a shorter list is a note: it may be partial)."""
    lines = lib.budget_lines.with_columns(step())
    totals = pl.concat([_top_total(lines, kind, ("项目支出",)) for kind in ("支出总表", "功能分类")])
    totals = totals.group_by("doc_id", maintain_order=True).first()
    projects = (
        lib.projects.filter(pl.col("row_kind") == "project", pl.col("budget_total").is_not_null())
        .join(lib.documents.filter(pl.col("kind") != "绩效自评表").select("doc_id"), on="doc_id")
        .group_by("doc_id")
        .agg(pl.col("budget_total").sum().alias("expected"), pl.len().alias("n"))
    )
    out = []
    for r in totals.join(projects, on="doc_id").iter_rows(named=True):
        tolerance = (r["n"] + 1) * r["step"] / 2
        severity = grade(r["expected"], r["amount"], tolerance)
        if severity:
            out.append(
                finding(
                    PROJECTS,
                    "note" if severity == "error" else severity,
                    r,
                    rows=f"项目支出 = Σ{r['n']}个项目",
                    expected=r["expected"],
                    actual=r["amount"],
                    tolerance=tolerance,
                    message=f"项目支出 {format_number(r['amount'], decimals=4)} 与所列 {r['n']} 个项目合计 {format_number(r['expected'], decimals=4)} 不符",
                )
            )
    return out


HIER = Rule("V-HIER", "上级科目等于下级科目之和", "A 科目 equals the sum of its children", _hierarchy)
TOP = Rule("V-TOP", "合计行等于各类之和", "A total row equals the sum of its 类 rows", _top)
ROW = Rule("V-ROW", "合计栏等于各栏之和（基本支出 + 项目支出）", "A row's total equals its columns", _row_identity)
BAL = Rule("V-BAL", "收入总计等于支出总计", "Total income equals total expenditure", _balance)
CROSS = Rule("X-3", "功能分类与经济分类合计一致", "Functional and economic tables agree", _cross)
SANGONG = Rule("V-3G", "三公经费合计等于各项之和", "三公 total equals its parts", _sangong)
PROJECTS = Rule("X-6", "项目支出等于所列项目之和", "Project spending equals the listed projects", _projects_sum)
TABLE_RULES = (HIER, TOP, ROW, BAL, CROSS, SANGONG, PROJECTS)


def _cross_label(economic_measure: str) -> Callable[[Row], str]:
    """'功能分类表·基本支出 ↔ 经济分类表·合计': which columns of which two tables a finding compares."""
    return lambda r: f"{r['source_table']}·{r['measure']} ↔ {r['other']}·{economic_measure}"
