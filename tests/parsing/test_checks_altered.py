"""The altered-filing generator of benchmarks.checks: a planted change is printed where the old
words stood, and the checks find it."""

from __future__ import annotations

import polars as pl
import pytest

from parsing.checks import run_checks
from parsing.library import Library
from parsing.routes.pdf import read_pdf


def test_a_planted_unit_slip_is_printed_and_found(real_dir, tmp_path):
    """2025 万里: '收入预算18,976.76万元' rewritten as '…元' reads back in its line, and the check
    reports a T-UNIT error against the 收支总表's 18,976.7551 万元 that the genuine file does not."""
    pytest.importorskip("pymupdf")
    from benchmarks.alter import Change, apply

    source = real_dir / "2025_普陀区万里街道办事处_部门预算.pdf"
    target = tmp_path / "units.pdf"
    apply(source, Change("units", "收入预算18,976.76万元", "收入预算18,976.76元", 6), target)
    lines = [l.text.replace(" ", "") for l in read_pdf(target).lines if l.page == 6]
    assert any("办事处收入预算18,976.76元，其中" in l for l in lines)
    found = run_checks(Library.load([target])).filter(pl.col("rule") == "T-UNIT", pl.col("severity") == "error")
    assert found.height == 1 and found["expected"][0] == pytest.approx(18976.7551)
    genuine = run_checks(Library.load([source])).filter(pl.col("rule") == "T-UNIT")
    assert genuine.is_empty()
