"""Stage 1 — routes: a file → a RawDocument (lines and raw tables with page and line numbers).

One route per kind of file: ``pdf`` (pdfplumber, imported only here), ``text`` (the extractions the
project started from). ``raw`` is the model both produce and the page-stitching both share.
"""
