"""yusuan's headless core: budget filings → tidy Polars frames → queries and checks.

The folders are the pipeline, each importing only those before it:
``routes`` (file → raw lines and tables) → ``readers`` (raw → frames) → ``store`` (Parquet cache,
ingest) → ``library`` (the data layer's face) → ``queries`` and ``checks``. Foundation modules at
this level (``schema``, ``numbers``, ``normalize``, ``errors``, ``paths``, and ``atomic`` over
``paths``) may be used by any stage.
Never imports textual, rich or tui, so the command line, tests and benchmarks use it directly.
"""

PARSER_VERSION = "23"
