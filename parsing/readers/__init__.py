"""Stage 2 — readers: a RawDocument → the schema's Polars frames.

``detect`` finds kind, year and issuer; ``tables`` classifies raw tables and their columns; one
reader per kind of content (``budget``, ``performance``, ``self_evaluation``, ``narrative``) with
the indicator and target grammar beside them; ``filing`` runs a file through a route and the readers.
"""
