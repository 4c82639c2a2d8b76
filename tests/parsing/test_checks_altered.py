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


def test_a_swapped_code_in_split_columns_is_planted_in_the_item_cell_and_found(real_dir, tmp_path):
    """2024 财政局 决算 (ONLYOFFICE: digit boxes 22 pt tall, 类 | 款 | 项 in three columns): the
    swap goes into the 项 cell of 行政运行's own row (01 → 02), not the 款 cell nor the row
    above, and T-CODE reports 2010602 printed as 行政运行 on p.15."""
    pytest.importorskip("pymupdf")
    from benchmarks.alter import _pages, apply, codes

    source = real_dir / "2024_普陀区财政局_部门决算.pdf"
    change = codes(_pages(source), Library.load([source]), source)
    assert change is not None and (change.old, change.new, change.page) == ("01", "02", 15)
    target = tmp_path / "codes.pdf"
    apply(source, change, target)
    found = run_checks(Library.load([target])).filter(pl.col("family") == "codes", pl.col("severity") == "error")
    assert found.height == 1 and "2010602 行政运行" in found["message"][0] and "（p.15）" in found["message"][0]


def test_the_words_to_change_are_located_on_the_line_that_prints_them(real_dir):
    """2026 苏州市审计局, p.25: '万元，占92.7%' is printed on the 基本支出 line (y ≈ 549), and it is
    found there — MuPDF's own search returns the 项目支出 line below (y ≈ 580, '占7.3%')."""
    pymupdf = pytest.importorskip("pymupdf")
    from benchmarks.alter import _locate

    with pymupdf.open(real_dir.parent / "suzhou" / "2026_苏州市审计局_部门预算.pdf") as doc:
        (box,) = _locate(doc[24], "万元，占92.7%")
        assert round(box.y0) == 549 and doc[24].get_textbox(box).replace(" ", "") == "万元，占92.7%"
