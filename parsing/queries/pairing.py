"""Pairing what two years print differently: a code-less row reworded at its end, a project
renamed. Each pairing is conservative (a unique candidate, a similarity threshold) and marked
(``renamed``, ``fuzzy`` with its score), so a reader can judge it."""

from __future__ import annotations

import difflib

import polars as pl


def reworded(a: pl.DataFrame, b: pl.DataFrame) -> pl.DataFrame:
    """B's code-less rows keyed as A's where a name only grew or shrank by words at its end
    (一般公共预算 → 一般公共预算资金, 其他收入 → 其他收入合计): the same row, ``renamed``, not one
    row gone and another new. Only a single candidate on each side is paired."""
    group = ["table_kind", "unit_key", "side", "measure_key"]
    codeless = pl.col("code").is_null()
    only_a = a.filter(codeless).join(b.filter(codeless), on=[*group, "item"], how="anti")
    only_b = b.filter(codeless).join(a.filter(codeless), on=[*group, "item"], how="anti")
    if not only_a.height or not only_b.height:
        return b
    pairs = only_a.select(*group, pl.col("item").alias("item_a")).join(
        only_b.select(*group, pl.col("item").alias("item_b")), on=group
    )
    grew = pairs.filter(
        (pl.col("item_a") != "")
        & (pl.col("item_b") != "")
        & (pl.col("item_b").str.starts_with(pl.col("item_a")) | pl.col("item_a").str.starts_with(pl.col("item_b")))
    )
    unique = grew.filter((pl.len().over([*group, "item_a"]) == 1) & (pl.len().over([*group, "item_b"]) == 1)).unique()
    if not unique.height:
        return b
    return (
        b.join(unique.rename({"item_b": "item"}), on=[*group, "item"], how="left")
        .with_columns(pl.coalesce("item_a", "item").alias("item"))
        .drop("item_a")
    )


def fuzzy_pairs(a: pl.DataFrame, b: pl.DataFrame, threshold: float) -> pl.DataFrame:
    """Greedy best-first pairing of leftover projects within a unit by difflib ratio ≥ threshold."""
    candidates = sorted(
        (
            (difflib.SequenceMatcher(None, ka, kb, autojunk=False).ratio(), ia, ib)
            for ua, ka, ia in a.select("unit_key", "name_key", "project_id").iter_rows()
            for ub, kb, ib in b.select("unit_key", "name_key", "project_id").iter_rows()
            if ua == ub
        ),
        key=lambda c: -c[0],
    )
    used_a: set[str] = set()
    used_b: set[str] = set()
    pairs = []
    for score, ia, ib in candidates:
        if score >= threshold and ia not in used_a and ib not in used_b:
            used_a.add(ia)
            used_b.add(ib)
            pairs.append((ia, ib, round(score, 2)))
    return pl.DataFrame(
        pairs, schema={"project_id": pl.String, "project_id_b": pl.String, "score": pl.Float64}, orient="row"
    )
