"""Search over the seeds: Chinese, pinyin, codes, amounts, widths, ranking and jump targets."""

from __future__ import annotations

import polars as pl
import pytest

from parsing.library import Library
from parsing.queries.search import HIT_COLUMNS, SearchIndex, format_hit
from tests.conftest import SEEDS

_MATCH_ORDER = ["exact", "prefix", "substring", "fuzzy"]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> tuple[Library, SearchIndex]:
    """The seeds and their index, loaded once, with a private cache."""
    base = tmp_path_factory.mktemp("search")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("YUSUAN_CACHE_DIR", str(base / "cache"))
        mp.setenv("YUSUAN_DATA_DIR", str(base / "data"))
        lib = Library.load([SEEDS])
    return lib, SearchIndex.build(lib)


@pytest.fixture
def index(loaded) -> SearchIndex:
    return loaded[1]


def _first(hits: pl.DataFrame) -> dict:
    assert hits.height, "no hits"
    return hits.row(0, named=True)


def test_chinese_name_finds_the_project_first(index):
    """审计业务: the 2023 key project (155 万元) comes first, matched exactly over the whole name."""
    hit = _first(index.search("审计业务"))
    assert (hit["kind"], hit["text"], hit["year"], hit["amount"]) == ("project", "审计业务", 2023, 155.0)
    assert (hit["match"], hit["start"], hit["end"]) == ("exact", 0, 4)


def test_chinese_name_finds_the_budget_lines_too(index):
    """审计业务 is also the 科目 2010804 of 表7 功能分类, at 190 万元 支出总计."""
    hits = index.search("审计业务").filter(pl.col("table_kind") == "功能分类", pl.col("year") == 2023)
    assert hits.select("code", "measure", "amount").row(0) == ("2010804", "支出总计", 190.0)


def test_pinyin_initials(index):
    """sjyw → 审计业务, the whole name highlighted."""
    hit = _first(index.search("sjyw"))
    assert (hit["text"], hit["match"], hit["start"], hit["end"]) == ("审计业务", "initials", 0, 4)


def test_full_pinyin(index):
    """shenjiyewu → 审计业务."""
    hit = _first(index.search("shenjiyewu"))
    assert (hit["text"], hit["match"], hit["start"], hit["end"]) == ("审计业务", "pinyin", 0, 4)


def test_partial_pinyin_highlights_its_characters(index):
    """jiye (计业) is highlighted on the two characters it spells."""
    hit = index.search("jiye").filter(pl.col("text") == "审计业务").row(0, named=True)
    assert hit["text"][hit["start"] : hit["end"]] == "计业"


def test_code_finds_the_budget_line(index):
    """2010804 finds 审计业务 in every table that prints the code, and nothing else."""
    hits = index.search("2010804")
    assert set(hits["code"]) == {"2010804"} and set(hits["text"]) == {"审计业务"}
    assert set(hits["match"]) == {"code"} and "功能分类" in set(hits["table_kind"])


def test_code_prefix_finds_children(index):
    """20108 finds 审计事务 (20108) first, then its 项 such as 2010804 审计业务."""
    hits = index.search("20108")
    assert hits["code"][0] == "20108"
    assert all(code.startswith("20108") for code in hits["code"])
    assert "2010804" in set(hits["code"])


def test_full_width_digits_are_half_width(index):
    """２０１０８０４ (full width) finds exactly what 2010804 finds."""
    assert index.search("２０１０８０４").equals(index.search("2010804"))


def test_full_width_brackets_match_half_width(index):
    """(本级) finds 深圳市龙岗区财政局（本级）, highlighting the full-width （本级）."""
    hits = index.search("(本级)").filter(pl.col("kind") == "unit")
    hit = _first(hits)
    assert hit["text"] == "深圳市龙岗区财政局（本级）" and hit["text"][hit["start"] : hit["end"]] == "（本级）"


def test_amount_equals_finds_the_project(index):
    """=155 finds the 审计业务 project (预算合计 155 万元) first."""
    hit = _first(index.search("=155"))
    assert (hit["kind"], hit["text"], hit["amount"], hit["measure"], hit["match"]) == (
        "project",
        "审计业务",
        155.0,
        "预算合计",
        "amount",
    )


def test_amount_in_yuan_is_converted(index):
    """=1550000元 is 155 万元."""
    assert _first(index.search("=1550000元"))["text"] == "审计业务"


def test_amount_comparison(index):
    """>1000 returns only amounts over 1000 万元, among them the 3,451 department total."""
    hits = index.search(">1000")
    assert hits.height and hits["amount"].min() > 1000
    assert 3451.0 in set(hits["amount"])


def test_ranking_exact_prefix_substring(index):
    """办公设备购置: exact names, then 办公设备购置（通用项目）-like prefixes, then substrings."""
    matches = index.search("办公设备购置")["match"].to_list()
    assert matches[0] == "exact"
    assert matches == sorted(matches, key=_MATCH_ORDER.index)


def test_names_before_prose(index):
    """Among substring hits for 审计, project and budget-line names come before narrative text."""
    hits = index.search("审计").filter(pl.col("match") == "substring")
    kinds = hits["kind"].to_list()
    names = [
        i
        for i, hit in enumerate(hits.iter_rows(named=True))
        if hit["kind"] in ("project", "budget_line") and hit["field"] == "name"
    ]
    assert names and "section" in kinds
    assert max(names) < kinds.index("section")


def test_where_names_year_department_table_and_field(index):
    """A budget-line hit says where it is: 2023 · 深圳市龙岗区审计局 · 表7 功能分类 · 科目名称."""
    hit = index.search("2010804").filter(pl.col("table_kind") == "功能分类").row(0, named=True)
    assert hit["where"] == "2023 · 深圳市龙岗区审计局 · 表7 功能分类 · 科目名称"


def test_target_row_is_the_hit(loaded):
    """Each hit's (target, doc_id, row) points at the row of its filing's frame it was found in."""
    lib, index = loaded
    project = index.search("=155").row(0, named=True)
    line = index.search("2010804").row(0, named=True)
    assert lib.frame(project["target"], project["doc_id"])["name"][project["row"]] == "审计业务"
    assert lib.frame(line["target"], line["doc_id"])["code"][line["row"]] == "2010804"


def test_empty_query_has_no_hits(index):
    """A blank query returns an empty frame of the hit schema."""
    hits = index.search("  ")
    assert hits.height == 0 and hits.schema == pl.Schema(HIT_COLUMNS)


def test_limit(index):
    """At most ``limit`` hits come back."""
    assert index.search("审", limit=3).height == 3


def test_cli_line_marks_the_match(index):
    """The command-line line names where, code and amount, the match in 【】."""
    line = format_hit(index.search("2010804").filter(pl.col("table_kind") == "功能分类").row(0, named=True))
    assert line == "2023 · 深圳市龙岗区审计局 · 表7 功能分类 · 科目名称  2010804 审计业务  支出总计 190"
    assert "【审计业务】" in format_hit(index.search("sjyw").row(0, named=True))


def test_one_wrong_character_is_found_below_exact_hits(index):
    """审记业务 (记 for 计) finds 审计业务 as a fuzzy match; 审计业务 itself finds no fuzzy hit first."""
    fuzzy = index.search("审记业务")
    assert fuzzy["text"][0] == "审计业务" and fuzzy["match"][0] == "fuzzy"
    exact = index.search("审计业务")["match"].to_list()
    assert exact[0] == "exact" and exact == sorted(exact, key=_MATCH_ORDER.index)


def test_pinyin_initials_with_one_wrong_letter(index):
    """sjyu (u for w) still finds 审计业务 by its initials sjyw."""
    hits = index.search("sjyu")
    assert hits["text"][0] == "审计业务" and hits["match"][0] == "fuzzy"


def test_an_amount_typed_as_shown_is_found(index):
    """ "3,234.307194", copied from the screen, finds the 基本支出 total printed as 3234.307194."""
    hits = index.search("3,234.307194")
    assert hits.height and hits["match"][0] == "amount" and hits["amount"][0] == 3234.307194


def test_table_notes_are_searchable(index):
    """注：本表本年无发生额 is found by its words, and leads to its table."""
    hits = index.search("本年无发生额")
    assert hits.height and hits["kind"][0] == "note" and hits["table_no"][0]


@pytest.mark.parametrize("limit", [1, 3, 40, 200])
def test_posting_lists_rank_as_a_full_scan(index, limit):
    """The posting lists pick the entries a full scan of every entry would rank first, whatever
    the limit: same hits, same order, same highlight, for Chinese, pinyin, codes, notes and typos."""
    from dataclasses import replace

    scan = SearchIndex(replace(index.stored, grams=None), index.pinyin)
    queries = ["审", "审计", "审计业务", "s", "sj", "sjyw", "shenji", "jiye", "2", "201", "20108", "(本级)"]
    queries += ["办公设备购置", "本年无发生额", "审记业务", "sjyu", "支出", "zhichu", "项目"]
    for q in queries:
        assert index.search(q, limit=limit).equals(scan.search(q, limit=limit)), q


def test_a_hit_shows_the_filings_own_figure_not_last_years(real_dir):
    """The central 2026 表5 prints 2025年执行数 before 2026年预算数: its 2014001 行政运行 hit shows
    the 年初预算数 5,826.21, not last year's 执行数 5,555.07."""
    lib = Library.load([real_dir.parent / "central" / "2026_国家信访局_部门预算.pdf"])
    hits = SearchIndex.build(lib).search("2014001").filter(pl.col("table_no") == "表5")
    assert hits.select("measure", "amount").row(0) == ("年初预算数·小计", 5826.21)
