"""The Fiscal Data Package export: valid for Frictionless, and read back into the filings' figures."""

from __future__ import annotations

import json
from decimal import Decimal

import frictionless
import polars as pl
import pytest

from parsing.library import Library
from parsing.queries.fdp import check_model, write_fdp
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> Library:
    base = tmp_path_factory.mktemp("fdp")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("YUSUAN_CACHE_DIR", str(base / "cache"))
        mp.setenv("YUSUAN_DATA_DIR", str(base / "data"))
        return Library.load([SEEDS])


@pytest.fixture(scope="module")
def package(seeds, tmp_path_factory):
    return write_fdp(seeds, tmp_path_factory.mktemp("fdp-out") / "pkg")


def _read(package) -> list[dict]:
    return [row.to_dict() for row in frictionless.Package(str(package)).get_resource("budget").read_rows()]


def test_the_seeds_package_validates_with_frictionless(package):
    """Types, the primary key and the descriptor all pass Frictionless's validation."""
    report = frictionless.validate(str(package))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_the_fiscal_model_names_fields_currency_and_phases(package):
    """Measures in CNY with factor 10000 (万元), phases approved / adjusted / executed, and every
    dimension attribute a field of the resource."""
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    measures = descriptor["model"]["measures"]
    assert {m["phase"] for m in measures.values()} == {"approved", "adjusted", "executed"}
    assert {(m["currency"], m["factor"]) for m in measures.values()} == {("CNY", 10000)}
    assert check_model(descriptor) == []
    dims = descriptor["model"]["dimensions"]
    assert dims["functional-classification"]["attributes"]["section"]["parent"] == "class"
    assert dims["administrative-classification"]["attributes"]["unit"]["parent"] == "department"


def test_the_package_reads_back_into_the_same_figures(package, seeds):
    """Every budget-line figure (change columns aside) comes back with its amount, per filing."""
    rows = pl.DataFrame(_read(package), infer_schema_length=None)
    back = (
        rows.filter(pl.col("table_kind") != "项目")
        .with_columns(pl.coalesce("approved", "executed").cast(pl.Float64).alias("amount"))
        .group_by("doc_id")
        .agg(pl.len(), pl.col("amount").sum().round(4))
        .sort("doc_id")
    )
    lines = seeds.budget_lines.filter(~pl.col("measure").str.contains("增减"))
    expected = lines.group_by("doc_id").agg(pl.len(), pl.col("amount").sum().round(4)).sort("doc_id")
    assert back.rows() == expected.rows()


def test_2010804_comes_back_as_the_approved_190_with_its_hierarchy(package):
    """2023 功能分类 支出总计 of 2010804: approved 190, 类 201 一般公共服务支出 → 款 20108 审计事务."""
    rows = [
        r
        for r in _read(package)
        if r["code"] == "2010804"
        and r["fiscal_year"] == 2023
        and r["table_kind"] == "功能分类"
        and r["column"] == "支出总计"
    ]
    assert len(rows) == 1
    r = rows[0]
    assert (r["approved"], r["executed"], r["phase_label"]) == (190, None, "预算")
    assert (r["func_class"], r["func_class_label"], r["func_section"], r["func_section_label"]) == (
        "201",
        "一般公共服务支出",
        "20108",
        "审计事务",
    )
    assert r["department"] == "深圳市龙岗区审计局" and r["unit"] == "深圳市龙岗区审计局本级"


def test_a_self_evaluation_project_has_an_adjusted_budget_and_an_executed_actual(package):
    """办公楼修缮 (2021): budget 37.18 (adjusted, the full-year budget), actual 30.8 (executed)."""
    rows = [r for r in _read(package) if r["project"] == "办公楼修缮" and r["fiscal_year"] == 2021]
    assert sorted((r["column"], r["adjusted"], r["executed"]) for r in rows) == [
        ("实际合计", None, Decimal("30.8")),
        ("预算合计", Decimal("37.18"), None),
    ]


def test_an_existing_package_is_not_overwritten(seeds, package):
    """A second export into the same folder fails without force and leaves the file as it was."""
    before = package.read_bytes()
    with pytest.raises(FileExistsError):
        write_fdp(seeds, package.parent)
    assert package.read_bytes() == before
