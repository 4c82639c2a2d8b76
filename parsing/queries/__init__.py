"""Stage 5 — queries: what the command line and the app ask of a Library.

Search, year comparison, export, summaries and the department card. Each takes a Library and
returns frames, rows or plain text; none reads a file or knows about a screen.
"""
