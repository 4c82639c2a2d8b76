"""The same answer from both routes: every figure of the seed PDFs equals the seed texts'."""

from __future__ import annotations

import polars as pl
import pytest

from parsing.readers.filing import read_filing
from tests.conftest import FILINGS, SEEDS

PAIRS = [
    ("000_533ecde84f1547da.txt", "2021_龙岗区财政局_预算项目绩效自评表.pdf"),
    ("001_49341d35398c12a1.txt", "2023_龙岗区审计局_部门预算.pdf"),
]


def _squashed(col: str) -> pl.Expr:
    return pl.col(col).str.replace_all(r"\s+", "")


@pytest.fixture(scope="module", params=PAIRS, ids=["自评表", "部门预算"])
def routes(request) -> tuple[dict, dict]:
    text, pdf = request.param
    return read_filing(SEEDS / text), read_filing(FILINGS / pdf)


def test_identity_agrees(routes):
    """Kind, year and department are the same from text and PDF."""
    text, pdf = routes
    cols = ["kind", "year", "department"]
    assert text["documents"].select(cols).rows() == pdf["documents"].select(cols).rows()


def test_every_budget_line_agrees(routes):
    """Each (table, code, name, measure) has the same amount in 万元 from both routes."""
    text, pdf = routes
    cols = ["table_no", "table_kind", "unit", "code", "name", "measure", "side", "amount"]

    def lines(frames: dict) -> list[tuple]:
        return sorted(frames["budget_lines"].with_columns(_squashed("name")).select(cols).rows(), key=repr)

    assert lines(text) == lines(pdf)


def test_every_project_figure_agrees(routes):
    """Each project and subtotal has the same unit, 序号, amounts and 执行率 from both routes."""
    text, pdf = routes
    cols = [
        "unit",
        "seq",
        "name",
        "row_kind",
        "budget_total",
        "budget_gpb",
        "budget_fund",
        "budget_nonfiscal",
        "actual_total",
        "actual_gpb",
        "actual_fund",
        "actual_nonfiscal",
        "exec_rate",
    ]
    assert (
        text["projects"].with_columns(_squashed("name")).select(cols).rows()
        == pdf["projects"].with_columns(_squashed("name")).select(cols).rows()
    )


def test_every_indicator_agrees(routes):
    """Each indicator sits in the same slot with the same target, outcome and parsed value."""
    text, pdf = routes
    cols = ["level1", "level2", "indicator", "target", "outcome", "target_op", "target_value"]

    def rows(frames: dict) -> list[tuple]:
        return (
            frames["indicators"]
            .with_columns(_squashed("indicator"), _squashed("target"), _squashed("outcome"))
            .select(cols)
            .rows()
        )

    assert rows(text) == rows(pdf)
