"""yusuan's presentation layer: the Textual app and the command line, on top of ``parsing``."""
