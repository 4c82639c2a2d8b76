"""Stage 3 — store: parsed frames kept as Parquet, keyed by content hash and parser version.

``cache`` reads and writes one filing's frames and whole-library snapshots, ``manifest`` remembers
file hashes so a start need not re-hash, ``worker`` parses one file under limits, ``ingest``
parses many files in worker processes, ``shelf`` keeps the verified copies in the user's library.
"""
