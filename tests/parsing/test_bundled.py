"""The seeds ship their parsed form, and it is what the parser makes of them today."""

from __future__ import annotations

import pytest

from parsing.library import Library, discover
from parsing.paths import seeds_dir
from parsing.readers.filing import digest, read_filing
from parsing.store import cache


@pytest.mark.parametrize("path", discover([seeds_dir()])[0], ids=lambda p: p.name)
def test_shipped_parse_is_current(path):
    """seeds/.parsed holds each seed's frames for this parser version, equal to a fresh parse
    (if not: run scripts/bundle_seeds.py)."""
    sha = digest(path)
    shipped = cache.read_folder(cache.bundled(sha), discard=False)
    assert shipped is not None, f"no shipped parse of {path.name}: run scripts/bundle_seeds.py"
    fresh = read_filing(path, sha)
    for name, frame in fresh.items():
        where = [c for c in frame.columns if c != "file"]  # the absolute path depends on the checkout
        assert shipped[name].select(where).equals(frame.select(where)), (
            f"{path.name}: {name} differs: run scripts/bundle_seeds.py"
        )


def test_first_start_on_seeds_parses_nothing(monkeypatch):
    """With an empty cache, the seeds load from their shipped parse."""
    monkeypatch.setattr("parsing.store.worker.read_filing", lambda *a: pytest.fail("parsed a seed"))
    assert Library.load([seeds_dir()]).documents.height == 4
