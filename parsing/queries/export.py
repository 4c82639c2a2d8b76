"""Export: a frame as the analyst sees it, to CSV (Excel/WPS-ready) or Parquet, never clobbering.

CSV cells are written by the csv module, not Polars, to control them one by one: numbers raw
(190, not 190.0 or "1,900,000"), text that a spreadsheet would run as a formula (= + - @, tab,
CR first) prefixed with an apostrophe, headers in Chinese with the unit (金额（万元）). The file is
written beside its target and moved into place, so a reader never sees half a file; an existing
file is replaced only with ``force`` (without it, the target is linked in only if still absent,
so even a file that appears meanwhile is not overwritten). Parquet keeps the frame's own column
names and types: it is for other tools, not for reading.
"""

from __future__ import annotations

import codecs
import csv
import json
import math
import os
import uuid
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path

import polars as pl

from parsing.library import Library
from parsing.queries.lookup import PROJECTS, document_id, project_kind
from parsing.schema import KINDS, LABELS

#: Where each figure came from; exported only on request.
PROVENANCE = ("source_file", "source_page", "source_line", "source_table")

#: Amount columns (万元) whose header gets the unit appended.
AMOUNT_COLUMNS = {
    "amount",
    "budget_total",
    "budget_gpb",
    "budget_fund",
    "budget_nonfiscal",
    "actual_total",
    "actual_gpb",
    "actual_fund",
    "actual_nonfiscal",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_table(
    df: pl.DataFrame,
    path: Path | str,
    *,
    encoding: str = "utf-8-sig",
    provenance: bool = False,
    force: bool = False,
    labels: Mapping[str, str] | None = None,
) -> Path:
    """Write ``df`` to ``path`` (.parquet → Parquet, anything else → CSV) atomically.

    ``labels`` overrides headers (a comparison passes 2022（万元） …); other columns take their
    ``LABELS`` name, amount columns with （万元）. Raises FileExistsError, leaving the file as it
    was, when ``path`` exists and ``force`` is false.
    """
    path = Path(path)
    codecs.lookup(encoding)  # an unknown encoding fails here, before anything is written
    if path.exists() and not force:
        raise FileExistsError(f"{path} exists (use --force to overwrite)")
    if not provenance:
        df = df.drop([c for c in PROVENANCE if c in df.columns])
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        if path.suffix.lower() == ".parquet":
            df.write_parquet(tmp)
        else:
            # O_EXCL: never write through a file someone else created; mode 0666 lets the umask decide.
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            with open(fd, "w", encoding=encoding, newline="") as out:
                writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL)
                writer.writerow(header(df.columns, labels))
                writer.writerows(_cells(df))
                out.flush()
                os.fsync(out.fileno())
        _move_into_place(tmp, path, force)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def filing_table(lib: Library, department: str, year: int, table_kind: str, *, kind: str | None = None) -> pl.DataFrame:
    """One table of one filing as tidy rows to export, in print order, provenance included.

    A budget table (功能分类, 三公经费 …) gives one row per printed cell: 预算单位, 科目编码, 名称,
    栏目, 金额（万元）; 项目 gives the filing's project rows with budget, actual and 执行率. ``kind``
    defaults to the first filing kind of that year that has the table.
    """
    docs = lib.documents.filter((pl.col("department") == department) & (pl.col("year") == year))
    if table_kind == PROJECTS:
        kind = kind or project_kind(lib, department, year)
        rows = lib.projects.filter(pl.col("doc_id") == document_id(lib, department, year, kind or "部门预算"))
        columns = [
            "unit",
            "seq",
            "name",
            *(c for c in lib.projects.columns if c.startswith(("budget_", "actual_"))),
            "exec_rate",
        ]
    else:
        have = lib.budget_lines.filter(pl.col("table_kind") == table_kind).join(docs, on="doc_id")
        kind = kind or next((k for k in KINDS if k in set(have["kind"])), None)
        rows = lib.budget_lines.filter(
            (pl.col("doc_id") == document_id(lib, department, year, kind or "部门预算"))
            & (pl.col("table_kind") == table_kind)
        )
        columns = ["unit", "code", "name", "measure", "amount"]
    if not rows.height:
        tables = lib.budget_lines.join(docs, on="doc_id")["table_kind"].unique(maintain_order=True).to_list()
        tables += [PROJECTS] if lib.projects.join(docs, on="doc_id").height else []
        raise ValueError(f"{department} {year}: no table {table_kind} (tables: {'、'.join(tables) or 'none'})")
    return rows.select(*columns, *PROVENANCE)


def header(columns: list[str], labels: Mapping[str, str] | None = None) -> list[str]:
    """Display headers: the caller's label, else LABELS (amounts with their unit), else the name."""
    out = []
    for col in columns:
        if labels and col in labels:
            out.append(labels[col])
            continue
        label = LABELS.get(col, col)
        if col in AMOUNT_COLUMNS and "万元" not in label:
            label = f"{label}（万元）"
        elif col == "exec_rate":
            label = f"{label}（%）"
        out.append(label)
    return out


def cell(value: object) -> str:
    """One CSV cell: numbers raw and exact, text made safe for spreadsheets, lists as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (list, tuple)):
        value = json.dumps(list(value), ensure_ascii=False)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def number(value: float) -> str:
    """190.0 → 190, 37.18 → 37.18, 0.0001 → 0.0001 (never exponent notation); NaN/inf → blank."""
    if not math.isfinite(value):
        return ""
    text = format(Decimal(repr(value)).normalize(), "f")
    return "0" if text in ("-0", "0") else text


def _cells(df: pl.DataFrame) -> Iterator[list[str]]:
    for row in df.iter_rows():
        yield [cell(v) for v in row]


def _move_into_place(tmp: Path, path: Path, force: bool) -> None:
    if force:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)  # atomic, and fails if path appeared since the check
    except FileExistsError:
        raise FileExistsError(f"{path} exists (use --force to overwrite)") from None
    except OSError:  # no hard links here (some network or FAT volumes): check, then rename
        if path.exists():
            raise FileExistsError(f"{path} exists (use --force to overwrite)") from None
        os.replace(tmp, path)
