"""A library reads its filings' heavy frames per filing, and keeps its search index on disk."""

from __future__ import annotations

import shutil

import polars as pl

from parsing.library import Library
from parsing.queries.lookup import document_id
from parsing.queries.search import SearchIndex
from parsing.store import cache
from tests.conftest import SEEDS

AUDIT = "深圳市龙岗区审计局"


def _counting(monkeypatch) -> list[str]:
    """Record every frame the store reads from the cache."""
    reads: list[str] = []
    original = cache.read_frame

    def counted(sha: str, name: str):
        reads.append(name)
        return original(sha, name)

    monkeypatch.setattr("parsing.store.filings.cache.read_frame", counted)
    return reads


def test_a_start_reads_no_budget_line_and_a_filing_reads_its_own(monkeypatch):
    """A start on a known set of files reads its catalogue only; opening the 2023 审计局 budget
    then reads that filing's lines (审计业务 2010804: 支出总计 190 万元), one part, nothing else."""
    Library.load([SEEDS])
    reads = _counting(monkeypatch)
    lib = Library.load([SEEDS])
    assert reads == []
    doc = document_id(lib, AUDIT, 2023, "部门预算")
    lines = lib.lines(doc)
    assert reads == ["budget_lines"]
    audit = lines.filter(
        pl.col("code") == "2010804", pl.col("measure") == "支出总计", pl.col("table_kind") == "功能分类"
    )
    assert audit["amount"].to_list()[:1] == [190.0]


def test_per_filing_frames_are_the_whole_frames_filtered():
    """For every seed filing and every lazy frame, the filing's read equals the whole frame's rows of it."""
    lib = Library.load([SEEDS])
    for doc in lib.documents["doc_id"]:
        for name in ("budget_lines", "indicators", "sections", "notes", "projects"):
            whole = getattr(lib, name).filter(pl.col("doc_id") == doc)
            assert Library.load([SEEDS]).frame(name, doc).equals(whole), (doc, name)


def test_a_filing_whose_cache_entry_is_gone_is_read_again(tmp_path):
    """The cache is only a speed-up: lines of a filing whose entry was deleted after the start are
    parsed again from its file, the same rows."""
    filing = tmp_path / "budget.txt"
    filing.write_text((SEEDS / "001_49341d35398c12a1.txt").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    expected = Library.load([filing]).budget_lines
    lib = Library.load([filing])
    shutil.rmtree(cache.entry(lib.documents["sha256"][0]))
    assert expected.height and lib.lines(lib.documents["doc_id"][0]).equals(expected)


def test_the_search_index_is_stored_and_answers_as_built():
    """The index is written beside the catalogue once; opened again it is read from disk (its places
    stay there) and finds what a fresh build finds: 审计业务 (155 万元), sjyw, 2010804, =155, >1000."""
    SearchIndex.open(Library.load([SEEDS]))
    lib = Library.load([SEEDS])
    stored, built = SearchIndex.open(lib), SearchIndex.build(lib)
    assert not isinstance(stored.stored.occurrences, pl.DataFrame)
    for query in ("审计业务", "sjyw", "2010804", "=155", ">1000", "审记业务"):
        assert stored.search(query).equals(built.search(query)), query
    hit = stored.search("审计业务").row(0, named=True)
    assert (hit["kind"], hit["amount"]) == ("project", 155.0)
