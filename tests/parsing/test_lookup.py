"""What a person types, found in the library: a table kind by part of its name, a 示例 year marked."""

from __future__ import annotations

import pytest

from parsing.library import Library
from parsing.queries.lookup import find_table_kind, year_label
from tests.conftest import SEEDS


@pytest.mark.parametrize(
    ("typed", "kind"), [("三公", "三公经费"), ("三公经费", "三公经费"), ("功能", "功能分类"), ("项目", "项目")]
)
def test_a_table_kind_is_found_by_part_of_its_name(typed, kind):
    """`--table 三公` means 三公经费 (it printed an empty comparison before)."""
    assert find_table_kind(typed) == kind


def test_an_unknown_or_ambiguous_table_kind_is_refused_in_chinese():
    """An unknown kind names the kinds there are; one matching several names them."""
    with pytest.raises(ValueError, match=r"没有“xyz”这种表.*三公经费"):
        find_table_kind("xyz")
    with pytest.raises(ValueError, match="“收支”对应多种表"):
        find_table_kind("收支")


def test_a_year_read_only_from_a_synthetic_filing_is_marked():
    """The seeds' 2022 审计局 budget is 示例: a comparison heading shows '2022（示例）'; 2023 is genuine."""
    lib = Library.load([SEEDS])
    department = "深圳市龙岗区审计局"
    assert (year_label(lib, department, 2022), year_label(lib, department, 2023)) == ("2022（示例）", "2023")
