"""A synthetic library written straight into the cache, so that a start on a thousand filings costs no PDF.

N departments × Y years, one filing each: a 部门预算 in even years, a 部门决算 or 绩效自评表 in odd
ones (so every department has budgets two years apart to compare). Departments are named like
深圳市龙岗区审计局, budget lines carry real 功能分类/经济分类 codes (款 and 类 rows are the sums of
their items), projects recur from year to year, and indicator targets read like ≥20个, ≥90%,
2023年12月31日前完成. N=200, Y=5 gives 1,000 filings, 30k projects, 300k indicators and about 1M
budget lines.

Each filing gets a small placeholder file whose sha256 keys its cache entry: `Library.load` finds
every one cached and parses nothing. Frames are built for the whole library at once from seeded
random columns (joins and expressions; Python only per department and filing), then split by
filing and written.
"""

from __future__ import annotations

import hashlib
import random
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl

from benchmarks.vocabulary import (
    BUREAUS,
    CITIES,
    COMMON_GROUPS,
    ECONOMIC_CLASSES,
    ECONOMIC_ITEMS,
    ECONOMIC_SHARE,
    FUNCTION_CLASSES,
    FUNCTION_GROUPS,
    SPECIAL_ITEMS,
    STANDARD_ITEMS,
    TABLES,
    UNIT_SUFFIXES,
)
from benchmarks.wording import (
    GENERIC_PROJECTS,
    INDICATORS,
    KIND_TITLES,
    PARTS,
    PROJECT_SUFFIXES,
    PROJECT_TABLES,
    SLOTS,
    contract,
    fill,
    log_uniform,
    number,
    printed,
    uniform,
)
from parsing import schema
from parsing.store import cache


def department_names(count: int) -> list[tuple[str, str, str]]:
    """The first ``count`` departments as (name, area, bureau): Shenzhen's first, bureau by bureau."""
    every = [
        (f"{city}{district}{area}{bureau}", f"{city}{district}{area}", bureau)
        for area in ("", "新区")  # a second round of districts, for a province's ten thousand filings
        for city, districts in CITIES.items()
        for bureau in BUREAUS
        for district in districts
    ]
    if count > len(every):
        raise ValueError(f"at most {len(every)} departments can be generated")
    return every[:count]


def generate(
    folder: Path,
    departments: int = 200,
    years: int = 5,
    *,
    seed: int = 7,
    groups: int = 28,
    projects: int = 30,
    first: int = 0,
) -> list[Path]:
    """Write the placeholder files into ``folder`` and their frames into the cache; returns the files.

    ``groups`` 款 per function table (about six rows each) and ``projects`` per filing set the size;
    every project has ten indicators. ``first`` skips that many departments, so that a large library
    is written in slices of bounded memory.
    """
    rng = random.Random(seed + first)
    folder.mkdir(parents=True, exist_ok=True)
    depts = department_names(first + departments)[first:]
    filings = _filings(rng, folder, depts, range(2025 - years, 2025), groups, projects)
    frames = _frames(rng, filings)
    by_doc = {name: df.partition_by("doc_id", as_dict=True) for name, df in frames.items()}

    def store(sha: str) -> None:
        key = (sha[:16],)
        cache.store(sha, {name: parts[key] if key in parts else schema.empty(name) for name, parts in by_doc.items()})

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(store, filings["sha256"]))
    return [Path(p) for p in filings["file"]]


def _filings(
    rng: random.Random, folder: Path, depts: list[tuple[str, str, str]], years: range, groups: int, projects: int
) -> pl.DataFrame:
    """One row per filing, with the per-filing choices (its 款, its projects and their units) as lists."""
    rows = []
    others = [g for g in FUNCTION_GROUPS if g not in COMMON_GROUPS]
    for d, (department, area, bureau) in enumerate(depts):
        own, topics = BUREAUS[bureau]
        stem = bureau.removesuffix("局")
        units = [f"{department}本级"] + [f"{area}{stem}{s}" for s in rng.sample(UNIT_SUFFIXES, rng.randint(1, 3))]
        pool = [f"{t}{s}" for t in topics for s in PROJECT_SUFFIXES] + list(GENERIC_PROJECTS)
        pool = rng.sample(pool, min(len(pool), projects + 6))
        extra = rng.sample([g for g in others if g not in own], groups + 3)
        for year in years:
            kind = "部门预算" if year % 2 == 0 else ("部门决算", "绩效自评表")[d % 2]
            path = folder / f"{year}_{department}_{kind}.txt"
            content = f"{year}年{department}{kind}（合成数据，seed {rng.random():.12f}）\n".encode()
            path.write_bytes(content)
            names = sorted(rng.sample(range(len(pool)), min(len(pool), projects)))
            rows.append(
                {
                    "sha256": hashlib.sha256(content).hexdigest(),
                    "file": str(path),
                    "source_file": path.name,
                    "department": department,
                    "topic": "、".join(topics),
                    "kind": kind,
                    "year": year,
                    "units": units,
                    "unit_count": len(units),
                    "project_names": [pool[i] for i in names],
                    "project_units": [units[i % len(units)] for i in names],
                    "groups": [*COMMON_GROUPS, *own, *rng.sample(extra, groups - len(own) - len(COMMON_GROUPS))],
                }
            )
    return pl.DataFrame(rows).with_columns(
        pl.col("sha256").str.slice(0, 16).alias("doc_id"), pl.col("year").cast(pl.Int32)
    )


def _frames(rng: random.Random, filings: pl.DataFrame) -> dict[str, pl.DataFrame]:
    lines = _budget_lines(rng, filings)
    projects = _projects(rng, filings)
    totals = (
        lines.filter((pl.col("row_kind") == "total") & (pl.col("table_kind") == "支出总表"))
        .pivot("measure", index="doc_id", values="amount", aggregate_function="first")
        .select(
            "doc_id",
            pl.col("基本支出").alias("basic"),
            pl.col("项目支出").alias("project"),
            (pl.col("基本支出").fill_null(0) + pl.col("项目支出").fill_null(0)).round(2).alias("total"),
        )
    )
    filings = filings.join(totals, on="doc_id", how="left", maintain_order="left").with_columns(
        uniform(rng, filings.height).alias("r"), pl.col("project_names").list.len().alias("projects")
    )
    return {
        "documents": contract(
            "documents",
            filings.with_columns(
                pl.lit("text").alias("source_format"),
                pl.lit(True).alias("synthetic"),
                pl.when(pl.col("kind") == "绩效自评表")
                .then(4 + pl.col("r") * 6)
                .otherwise(20 + pl.col("r") * 12)
                .cast(pl.Int32)
                .alias("pages"),
                pl.coalesce(pl.when(pl.col("kind") == k).then(fill(t)) for k, t in KIND_TITLES.items()).alias("title"),
            ),
        ),
        "units": contract(
            "units",
            filings.select("doc_id", "department", pl.col("units").alias("unit"))
            .explode("unit")
            .with_columns(pl.col("unit").str.ends_with("本级").alias("is_own_level")),
        ),
        "projects": projects,
        "indicators": _indicators(rng, projects, filings),
        "budget_lines": lines,
        "sections": _sections(filings),
        "notes": schema.empty("notes"),
        "tables": schema.empty("tables"),
    }


def _projects(rng: random.Random, filings: pl.DataFrame) -> pl.DataFrame:
    p = (
        filings.select(
            "doc_id",
            "source_file",
            "kind",
            "year",
            "department",
            pl.col("project_names").alias("name"),
            pl.col("project_units").alias("unit"),
        )
        .explode("name", "unit")
        .with_columns(pl.int_range(pl.len()).over("doc_id").alias("n"))
    )
    p = p.with_columns(uniform(rng, p.height).alias("r1"), uniform(rng, p.height).alias("r2"))
    budget = log_uniform(pl.col("r1"), 5, 2000)
    actual = pl.when(pl.col("kind") != "部门预算").then((budget * (0.55 + 0.45 * pl.col("r2")) + 0.01).round(2))
    rate = (actual / budget * 100).round(2)
    self_evaluation = pl.col("kind") == "绩效自评表"
    p = p.with_columns(
        pl.concat_str(pl.col("doc_id"), pl.lit(":"), pl.col("n")).alias("project_id"),
        (pl.col("n") + 1).alias("seq"),
        pl.lit("project").alias("row_kind"),
        budget.alias("budget_total"),
        budget.alias("budget_gpb"),
        actual.alias("actual_total"),
        actual.alias("actual_gpb"),
        rate.alias("exec_rate"),
        pl.concat_str(rate.round(2).cast(pl.String), pl.lit("%")).alias("exec_rate_text"),
        fill("按照年度工作计划推进{name}，保障{unit}业务正常开展，提高资金使用效益。").alias("goal"),
        pl.when(self_evaluation).then(fill("{name}年度任务已完成，资金按计划支出。")).alias("outcome"),
        pl.when(self_evaluation & (rate < 90))
        .then(pl.lit("受采购进度影响，部分资金未能在年内支付。"))
        .alias("problems"),
        pl.when(self_evaluation & (rate < 90))
        .then(pl.lit("加强预算执行监控，提前谋划采购计划。"))
        .alias("rectification"),
        pl.lit("万元").alias("source_unit"),
        pl.concat_list(
            pl.col("n").add(1).cast(pl.String), "name", budget.cast(pl.String), actual.cast(pl.String).fill_null("")
        ).alias("raw_cells"),
        (2 + pl.col("n") // 8).alias("source_page"),
        pl.when(self_evaluation)
        .then(fill(KIND_TITLES["绩效自评表"]))
        .otherwise(pl.col("kind").replace_strict(PROJECT_TABLES, default=None))
        .alias("source_table"),
    )
    return contract("projects", p)


def _indicators(rng: random.Random, projects: pl.DataFrame, filings: pl.DataFrame) -> pl.DataFrame:
    templates = pl.DataFrame(
        [(level2, t, *spec) for level2, specs in INDICATORS.items() for t, spec in enumerate(specs)],
        schema=["level2", "t", "indicator", "form", "word", "low", "high"],
        orient="row",
    )
    slots = pl.DataFrame(SLOTS, schema=["level1", "level2"], orient="row")
    i = (
        projects.select(
            "project_id", "doc_id", "unit", "source_file", "source_page", "source_table", "budget_total", "actual_total"
        )
        .join(filings.select("doc_id", "kind", "year"), on="doc_id", maintain_order="left")
        .join(slots, how="cross", maintain_order="left_right")
    )
    i = i.with_columns(*(uniform(rng, i.height).alias(f"r{k}") for k in range(3)))
    i = i.with_columns(
        (pl.col("r0") * pl.col("level2").replace_strict({k: len(v) for k, v in INDICATORS.items()}))
        .cast(pl.Int64)
        .alias("t")
    ).join(templates, on=["level2", "t"], maintain_order="left")
    form, low, high, year = pl.col("form"), pl.col("low"), pl.col("high"), pl.col("year")
    count = (low + pl.col("r1") * (high - low)).round().cast(pl.Int64)
    value = (
        pl.when(form == "count")
        .then(count)
        .when(form == "pct")
        .then(low)
        .when(form == "full")
        .then(100)
        .when(form == "cost")
        .then(pl.col("budget_total"))
        .when(form == "date")
        .then(year * 10000 + 1231)
        .cast(pl.Float64)
    )
    target = (
        pl.when(form == "count")
        .then(pl.concat_str(pl.lit("≥"), count, "word"))
        .when(form == "pct")
        .then(pl.concat_str(pl.lit("≥"), low, pl.lit("%")))
        .when(form == "full")
        .then(pl.lit("100%"))
        .when(form == "cost")
        .then(pl.concat_str(pl.lit("≤"), pl.col("budget_total"), pl.lit("万元")))
        .when(form == "date")
        .then(pl.concat_str(year, pl.lit("年12月31日前完成")))
        .otherwise("word")
    )
    # Outcomes (self-evaluations only): most met, some missed, a few counts far over target.
    reached = pl.col("r2") < 0.85
    done = (count * (0.85 + 0.6 * pl.col("r2"))).round().cast(pl.Int64)
    rate = pl.when(reached).then(low + 10 * pl.col("r2") * (100 - low) / 100).otherwise(low - 5 * pl.col("r2")).round(1)
    day = pl.concat_str(year, pl.lit("年"), (9 + 3 * pl.col("r2")).cast(pl.Int64), pl.lit("月30日完成"))
    outcome = (
        pl.when(form == "count")
        .then(pl.concat_str(done, "word"))
        .when(form == "pct")
        .then(pl.concat_str(number(rate), pl.lit("%")))
        .when(form == "full")
        .then(
            pl.when(reached).then(pl.lit("100%")).otherwise(pl.concat_str(number(95 + 5 * pl.col("r2")), pl.lit("%")))
        )
        .when(form == "cost")
        .then(pl.concat_str(pl.col("actual_total"), pl.lit("万元")))
        .when(form == "date")
        .then(pl.when(reached).then(day).otherwise(pl.concat_str(year + 1, pl.lit("年1月15日完成"))))
        .otherwise(pl.when(reached).then(pl.lit("已完成")).otherwise(pl.lit("基本完成")))
    )
    verdict = (
        pl.when(pl.col("outcome").is_null() | (form == "text"))
        .then(pl.lit("unparsed"))
        .when(form == "count")
        .then(
            pl.when(done < count)
            .then(pl.lit("missed"))
            .when(done >= 1.5 * count)
            .then(pl.lit("overachieved"))
            .otherwise(pl.lit("met"))
        )
        .when(form == "pct")
        .then(pl.when(rate < low).then(pl.lit("missed")).otherwise(pl.lit("met")))
        .when((form == "full") & reached)
        .then(pl.lit("identical"))
        .when(reached | (form == "cost"))
        .then(pl.lit("met"))
        .otherwise(pl.lit("missed"))
    )
    i = i.with_columns(
        target.alias("target"),
        pl.when(pl.col("kind") == "绩效自评表").then(outcome).alias("outcome"),
        pl.lit(False).alias("not_applicable"),
        form.replace_strict({"date": "date", "text": "qual"}, default="quant").alias("target_kind"),
        form.replace_strict({"count": ">=", "pct": ">=", "full": "=", "cost": "<=", "date": "<="}, default=None).alias(
            "target_op"
        ),
        value.alias("target_value"),
        pl.when(form == "count")
        .then("word")
        .when(form.is_in(["pct", "full"]))
        .then(pl.lit("%"))
        .when(form == "cost")
        .then(pl.lit("万元"))
        .alias("target_unit"),
    )
    return contract("indicators", i.with_columns(verdict.alias("verdict")))


def _budget_lines(rng: random.Random, filings: pl.DataFrame) -> pl.DataFrame:
    """Each table's items drawn at random, its 款 and 类 rows their sums, a 合计 row on top."""
    items = pl.DataFrame(
        [
            (group, group + suffix, name.format(FUNCTION_GROUPS[group]), share)
            for group in FUNCTION_GROUPS
            for suffix, name, share in SPECIAL_ITEMS.get(group, STANDARD_ITEMS)
        ],
        schema=["group", "code", "name", "share"],
        orient="row",
    )
    economic = pl.DataFrame({"code": list(ECONOMIC_ITEMS), "share": [ECONOMIC_SHARE[c[:3]] for c in ECONOMIC_ITEMS]})
    tables = pl.DataFrame(
        TABLES,
        schema=["kind", "classification", "table_no", "table_kind", "source_table", "total_measure", "source_page"],
        orient="row",
    )
    filed = filings.filter(pl.col("kind") != "绩效自评表").select("doc_id", "source_file", "kind", "department")
    by_function = (
        filed.join(
            filings.select("doc_id", pl.col("groups").alias("group")).explode("group"),
            on="doc_id",
            maintain_order="left_right",
        )
        .join(items.drop("name"), on="group", maintain_order="left_right")
        .drop("group")
        .join(tables.filter(pl.col("classification") == "function"), on="kind", maintain_order="left_right")
    )
    by_economy = filed.join(economic, how="cross", maintain_order="left_right").join(
        tables.filter(pl.col("classification") == "economic"), on="kind", maintain_order="left_right"
    )
    by_economy = by_economy.filter(uniform(rng, by_economy.height) < 0.85)
    leaves = pl.concat([by_function, by_economy.select(by_function.columns)])
    leaves = leaves.with_columns(uniform(rng, leaves.height))
    amount = log_uniform(pl.col("r"), 1, 3000)
    leaves = leaves.with_columns(
        pl.when(pl.col("share") > 0).then((amount * pl.col("share")).round(2)).alias("basic"),
        pl.when(pl.col("share") < 1).then((amount * (1 - pl.col("share"))).round(2)).alias("project"),
    )
    table = [c for c in leaves.columns if c not in ("code", "share", "r", "basic", "project")]
    columns = [*table, "code", "basic", "project"]
    sums = [pl.col("basic").sum().round(2), pl.col("project").sum().round(2)]
    parents = [
        leaves.filter(pl.col("code").str.len_chars() > width)
        .group_by(*table, pl.col("code").str.slice(0, width))
        .agg(sums)
        .select(columns)
        for width in (3, 5)
    ]
    total = leaves.group_by(table).agg(sums).with_columns(pl.lit(None, pl.String).alias("code")).select(columns)
    rows = (
        pl.concat([leaves.select(columns), *parents, total])
        .with_columns(pl.when(pl.col(c) != 0).then(c).alias(c) for c in ("basic", "project"))
        .sort("doc_id", "table_no", "code", nulls_last=False)
        .with_columns(pl.int_range(pl.len()).over("doc_id", "table_no").alias("row_no"))
    )
    names = {
        **FUNCTION_CLASSES,
        **FUNCTION_GROUPS,
        **ECONOMIC_CLASSES,
        **ECONOMIC_ITEMS,
        **dict(zip(items["code"], items["name"], strict=False)),
    }
    width = pl.col("code").str.len_chars()
    rows = rows.with_columns(
        pl.col("code").replace_strict(names, default="合计").alias("name"),
        pl.when(pl.col("code").is_null()).then(pl.lit("total")).otherwise(pl.lit("line")).alias("row_kind"),
        width.replace_strict({3: 1, 5: 2, 7: 3}, default=None).alias("level"),
        pl.when(width > 3).then(pl.col("code").str.slice(0, width - 2)).alias("parent"),
        pl.when(pl.col("basic").is_not_null() | pl.col("project").is_not_null())
        .then((pl.col("basic").fill_null(0) + pl.col("project").fill_null(0)).round(2))
        .alias("total"),
    )
    amounts = ["total", "basic", "project"]
    lines = (
        rows.unpivot(amounts, index=[c for c in rows.columns if c not in amounts], value_name="amount")
        .sort("doc_id", "table_no", "row_no", pl.col("variable").replace_strict(amounts, [0, 1, 2]))
        .with_columns(
            pl.when(pl.col("variable") == "total")
            .then("total_measure")
            .when(pl.col("variable") == "basic")
            .then(pl.lit("基本支出"))
            .otherwise(pl.lit("项目支出"))
            .alias("measure"),
            printed(pl.col("amount")).alias("amount_text"),
            pl.col("department").alias("unit"),
            pl.lit("万元").alias("source_unit"),
        )
    )
    return contract("budget_lines", lines)


def _sections(filings: pl.DataFrame) -> pl.DataFrame:
    parts = pl.DataFrame(
        [(kind, *part) for kind, kind_parts in PARTS.items() for part in kind_parts],
        schema=["kind", "part_no", "part", "heading", "template"],
        orient="row",
    )
    s = filings.join(parts, on="kind", maintain_order="left_right").with_columns(
        pl.col("unit_count").alias("units"),
        (pl.col("total") * 0.04).round(2).alias("procurement"),
        (pl.col("total") * 0.002).round(2).alias("sangong"),
        (pl.col("total") * 0.0005).round(2).alias("reception"),
        (pl.col("total") * 0.0015).round(2).alias("cars"),
        (pl.col("basic") * 0.08).round(2).alias("running"),
        pl.col("part_no").alias("source_page"),
        pl.col("part").alias("source_table"),
    )
    texts = [pl.when(pl.col("template") == t).then(fill(t)) for t in parts["template"].unique(maintain_order=True)]
    return contract("sections", s.with_columns(pl.coalesce(texts).alias("text")))
