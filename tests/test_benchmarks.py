"""The benchmark's synthetic library: a tiny one loads from the cache alone, the same every time."""

from __future__ import annotations

from benchmarks.generate import generate
from parsing.library import Library
from parsing.queries.compare import compare_years


def test_a_tiny_synthetic_library_loads_from_cache_alone(tmp_path):
    """Three departments × three years: every filing found cached (a placeholder would fail to
    parse), all three kinds and their rows present, two budget years comparable, and the same seed
    writes the same files."""
    files = generate(tmp_path / "a", departments=3, years=3, projects=4)
    lib = Library.load([tmp_path / "a"])
    assert lib.errors == []
    assert lib.documents.height == len(files) == 9
    assert set(lib.documents["kind"]) == {"部门预算", "部门决算", "绩效自评表"}
    assert lib.indicators.height == 10 * lib.projects.height == 10 * 9 * 4
    assert lib.budget_lines.height > 0 and lib.sections.height > 0
    compared = compare_years(lib, lib.documents["department"][0], 2022, 2024)
    assert compared["budget_lines"]["status"].is_in(["same", "changed"]).any()
    again = generate(tmp_path / "b", departments=3, years=3, projects=4)
    assert [f.read_bytes() for f in again] == [f.read_bytes() for f in files]
