"""What every kind reader needs to stamp its rows: the document's id, file and identity."""

from __future__ import annotations

from dataclasses import dataclass

from parsing.numbers import to_wanyuan
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

    def figure(
        self, table: RawTable, row: RawRow, row_no: int, measure: str, text: str, value: float | None, **columns: object
    ) -> Row:
        """One printed figure as a budget line in 万元 with its provenance; ``columns`` give the
        rest (table_kind, classification, unit, code, name, row_kind …); what they omit is null."""
        return {
            "table_no": table.number and f"表{table.number}",
            "row_no": row_no,
            "side": None,
            "code": None,
            "level": None,
            "parent": None,
            "measure": measure,
            "amount": to_wanyuan(value, table.unit),
            "amount_text": text,
            "source_unit": table.unit or "万元",
            **columns,
            **self.source(row, table),
        }
