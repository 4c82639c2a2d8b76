"""The figure under the cursor: what it is, its value, where it was printed, and its row and table.

Panes describe their highlighted figure with one of these; the screen shows its source on demand
and copies it (cell, row or table as TSV, or a citation). All strings here are plain text (no
markup), because they go to the clipboard; they are escaped only when shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from tui.text import plain


@dataclass(frozen=True)
class Figure:
    """One figure with its provenance and context."""

    label: str  # what the figure is, e.g. "2010804 审计业务 支出总计"
    value: str  # as shown, e.g. "190"
    unit: str  # "万元", "元", "%" or "" for text
    title: str  # the filing's title, e.g. 2023年深圳市龙岗区审计局部门预算
    source: Mapping[str, object] = field(default_factory=dict)  # source_* columns of the row
    row: Sequence[tuple[str, str]] = ()  # (column, value) pairs of the figure's row
    table: Sequence[Sequence[str]] = ()  # the whole table, header first
    text: str = ""  # what "copy cell" takes when the figure is a text (a narrative part)
    department: str = ""  # the issuing department, e.g. 深圳市龙岗区审计局
    filing: str = ""  # year and kind, e.g. 2023 部门预算
    name: str = ""  # a file name for exporting the table: 审计局_2023_部门预算_表7_功能分类

    def where(self) -> str:
        """File, page or line, and table: "001_….txt 第354行 表7 …"."""
        parts = [plain(self.source.get("source_file"))]
        if self.source.get("source_page") is not None:
            parts.append(f"第{self.source['source_page']}页")
        if self.source.get("source_line") is not None:
            parts.append(f"第{self.source['source_line']}行")
        if self.source.get("source_table"):
            parts.append(plain(self.source["source_table"]))
        return " ".join(p for p in parts if p)

    def citation(self) -> str:
        """A sentence to paste into a memo: department, filing, table, row, figure and page.

        《2023年深圳市龙岗区审计局部门预算》表7 … 2010804 审计业务 支出总计 190万元（第354行）
        """
        title = plain(self.title) or f"{plain(self.department)}{plain(self.filing)}"
        missing = [
            x for x in (plain(self.department), plain(self.filing)) if x and not all(w in title for w in x.split())
        ]
        prefix = " ".join(missing)
        table = plain(self.source.get("source_table"))
        head = (f"{prefix} " if prefix else "") + f"《{title}》" + (f"{table} " if table and table not in title else "")
        at = self.page()
        return f"{head}{plain(self.label)} {self.value}{self.unit}".strip() + (f"（{at}）" if at else "")

    def page(self) -> str:
        """第N页 for a PDF, 第N行 for a text extraction, blank when unknown."""
        if self.source.get("source_page") is not None:
            return f"第{self.source['source_page']}页"
        if self.source.get("source_line") is not None:
            return f"第{self.source['source_line']}行"
        return ""

    def cell_text(self) -> str:
        return plain(self.value) or plain(self.text, oneline=False)

    def row_tsv(self) -> str:
        """The figure's row: a header line and a value line."""
        return tsv([[c for c, _ in self.row], [v for _, v in self.row]]) if self.row else self.cell_text()

    def table_tsv(self) -> str:
        return tsv(self.table) if self.table else self.row_tsv()


def tsv(rows: Sequence[Sequence[object]]) -> str:
    """Rows as tab-separated text; tabs and newlines inside cells become spaces."""
    return "\n".join("\t".join(plain(cell) for cell in row) for row in rows) + "\n"
