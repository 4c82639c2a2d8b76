"""The stored search index grows at add: filings indexed before are not indexed again, and a
filing gone leaves no hit behind."""

from __future__ import annotations

import polars as pl
import pytest

from parsing.library import Library
from parsing.queries import search_segments, search_store
from parsing.queries.lookup import document_id
from parsing.queries.search import SearchIndex
from tests.conftest import SEEDS

AUDIT = "深圳市龙岗区审计局"


@pytest.fixture(scope="module")
def seeds() -> Library:
    return Library.load([SEEDS])


def _open(folder, lib: Library) -> SearchIndex:
    found = search_store.build_into(folder, lib)
    assert found is not None
    return SearchIndex(*found)


def _same(hits: pl.DataFrame) -> pl.DataFrame:
    """Hits without their ids (numbered by segment), in one order: places of one year may come in
    either segment's order."""
    return hits.drop("id").sort(pl.all(), nulls_last=True)


def _segments(folder) -> list[str]:
    return (folder / "search" / "segments").read_text().split()


def test_an_add_indexes_only_the_new_filings(seeds, tmp_path, monkeypatch):
    """Indexing the seeds after all but the 2023 审计局 budget reuses that earlier segment and makes
    one segment of the one new filing; the result finds what a full build finds (审计业务 155 万元)."""
    new = document_id(seeds, AUDIT, 2023, "部门预算")
    before = seeds.subset(d for d in seeds.documents["doc_id"] if d != new)
    _open(tmp_path / "before", before)
    made: list[int] = []
    original = search_segments.make
    monkeypatch.setattr(
        search_segments, "make", lambda part, how: made.append(part.documents.height) or original(part, how)
    )
    index = _open(tmp_path / "after", seeds)
    assert made == [1]
    assert _segments(tmp_path / "before")[0] in _segments(tmp_path / "after")
    built = SearchIndex.build(seeds)
    for query in ("审计业务", "sjyw", "2010804", "=155", ">1000", "本年无发生额", "审记业务"):
        assert _same(index.search(query)).equals(_same(built.search(query))), query
    assert index.search("审计业务").row(0, named=True)["amount"] == 155.0


def test_a_filing_removed_leaves_no_hit(seeds, tmp_path):
    """With the 2023 审计局 budget gone, 审计业务 finds no place in it, and =190 (its 2010804 支出总计)
    no longer finds that line of that filing."""
    gone = document_id(seeds, AUDIT, 2023, "部门预算")
    _open(tmp_path / "all", seeds)
    index = _open(tmp_path / "fewer", seeds.subset(d for d in seeds.documents["doc_id"] if d != gone))
    assert gone not in set(index.search("审计业务")["doc_id"])
    assert gone not in set(index.search("=190")["doc_id"])
    assert gone in set(_open(tmp_path / "again", seeds).search("=190")["doc_id"])


def test_a_filing_changed_gets_a_new_mark(seeds):
    """A filing whose catalogue row changes (here its title) is marked anew, so its old segment is
    not reused for it."""
    changed = seeds.documents.with_columns(pl.col("title") + "（修订）")
    before, after = search_segments.marks(seeds.documents), search_segments.marks(changed)
    assert before.keys() == after.keys() and not set(before.values()) & set(after.values())
