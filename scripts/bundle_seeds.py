"""Parse the bundled seeds afresh into seeds/.parsed, the parsed form shipped beside them.

Run it after any change to the parser (a test fails until the shipped form matches a fresh parse):
    .venv/bin/python scripts/bundle_seeds.py
"""

from __future__ import annotations

import shutil

from parsing.library import discover
from parsing.paths import bundled_cache_dir, seeds_dir
from parsing.readers.filing import digest, read_filing
from parsing.store import cache


def main() -> None:
    shutil.rmtree(bundled_cache_dir(), ignore_errors=True)
    files, _ = discover([seeds_dir()])
    for path in files:
        sha = digest(path)
        cache.write_folder(cache.bundled(sha), read_filing(path, sha))
        print(f"{path.name} → {cache.bundled(sha).relative_to(seeds_dir().parent)}")


if __name__ == "__main__":
    main()
