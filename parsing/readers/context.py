"""What every kind reader needs to stamp its rows: the document's id, file and identity."""

from __future__ import annotations

from dataclasses import dataclass

from parsing.readers.detect import Identity
from parsing.routes.raw import RawRow, RawTable
from parsing.schema import Row


@dataclass(frozen=True)
class Context:
    """The document being read; ``source`` gives a row's provenance columns."""

    doc_id: str
    file_name: str
    identity: Identity

    def source(self, row: RawRow | None, table: RawTable | None) -> Row:
        """The provenance columns (schema.SOURCE) for a row of a table."""
        return {
            "doc_id": self.doc_id,
            "source_file": self.file_name,
            "source_page": row.page if row else (table.page if table else None),
            "source_line": row.line if row else (table.line if table else None),
            "source_table": table.label if table else None,
        }
