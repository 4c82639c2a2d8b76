"""yusuan's headless core: budget filings → tidy Polars frames → queries.

Never imports textual, rich or tui, so the command line, tests and benchmarks use it directly.
"""

PARSER_VERSION = "5"
