"""Export: a frame as the analyst sees it, to CSV (Excel/WPS-ready) or Parquet, never clobbering.

CSV cells are written by the csv module, not Polars, to control them one by one: numbers raw
(190, not 190.0 or "1,900,000"), text that a spreadsheet would run as a formula (= + - @, tab,
CR first) prefixed with an apostrophe, headers in Chinese with the unit (金额（万元）). The file is
written through ``parsing.atomic`` (a unique temporary beside the target, moved into place), so a
reader never sees half a file; an existing file is replaced only with ``force`` (without it, the
target is linked in only if still absent, so even a file that appears meanwhile is not
overwritten), and only a regular file is ever replaced. Parquet keeps the frame's own column
names and types: it is for other tools, not for reading.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import stat
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

import polars as pl

from parsing import atomic
from parsing.library import Library
from parsing.paths import display
from parsing.queries.lookup import PROJECTS, document_id, project_kind
from parsing.schema import KINDS, LABELS, PROJECT_AMOUNTS

#: Where each figure came from; exported only on request.
PROVENANCE = ("source_file", "source_page", "source_line", "source_table")

#: Amount columns (万元) whose header gets the unit appended.
AMOUNT_COLUMNS = {"amount", *PROJECT_AMOUNTS}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportError(ValueError):
    """An export that could not be written; ``str()`` is one line naming the target."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        super().__init__(f"{display(path)}：{reason}")


class TargetExists(ExportError, FileExistsError):
    """The target exists and ``force`` was not given; it is left as it was."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, "文件已存在（加 --force 覆盖）")


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
    ``LABELS`` name, amount columns with （万元）. Raises ExportError (one line naming ``path``,
    never a temporary) for anything that stops it, leaving the target as it was: an existing
    file without ``force``, a target that is not a regular file (a device, FIFO or folder is
    never replaced, even with ``force``), an unknown encoding, a full disk.
    """
    path = Path(path)
    try:
        codecs.lookup(encoding)  # an unknown encoding fails here, before anything is written
    except LookupError:
        raise ExportError(path, f"未知的编码 {encoding!r}（例如 utf-8-sig、utf-8、gb18030）") from None
    _check_target(path, force)
    if not provenance:
        df = df.drop([c for c in PROVENANCE if c in df.columns])
    try:
        if path.suffix.lower() == ".parquet":
            placed = atomic.write(path, df.write_parquet, overwrite=force)
        else:
            placed = atomic.write(path, lambda out: _write_csv(df, out, encoding, labels), overwrite=force)
    except UnicodeEncodeError as e:
        raise ExportError(
            path, f"编码 {encoding} 无法表示字符 {e.object[e.start : e.end]!r}（可改用 utf-8-sig）"
        ) from None
    except Exception as e:  # full disk, no permission, a Parquet writer error: one line, target intact
        raise ExportError(path, f"无法写入（{getattr(e, 'strerror', None) or e}）") from None
    if not placed:
        raise TargetExists(path)
    return path


def _check_target(path: Path, force: bool) -> None:
    """Refuse, before writing, a target that exists without ``force`` or is not a regular file."""
    try:
        st = path.stat()  # through a symlink: what would be written over is its target
    except FileNotFoundError:
        if not path.parent.is_dir():
            raise ExportError(path, "所在文件夹不存在") from None
        return
    except OSError as e:
        raise ExportError(path, f"无法访问（{e.strerror or e}）") from None
    if stat.S_ISDIR(st.st_mode):
        raise ExportError(path, "是一个文件夹，不是文件")
    if not stat.S_ISREG(st.st_mode):
        raise ExportError(path, "不是普通文件（设备、管道或套接字），不会写入")
    if not force:
        raise TargetExists(path)


def _write_csv(df: pl.DataFrame, out: BinaryIO, encoding: str, labels: Mapping[str, str] | None) -> None:
    text = io.TextIOWrapper(out, encoding=encoding, newline="")
    writer = csv.writer(text, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header(df.columns, labels))
    writer.writerows(_cells(df))
    text.flush()
    text.detach()


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
        have = lib.lines(docs["doc_id"]).filter(pl.col("table_kind") == table_kind).join(docs, on="doc_id")
        kind = kind or next((k for k in KINDS if k in set(have["kind"])), None)
        chosen = document_id(lib, department, year, kind or "部门预算")
        rows = lib.lines(chosen).filter(pl.col("table_kind") == table_kind)
        detail = ["detail"] if rows["detail"].drop_nulls().len() else []  # 经济分类 beside 功能分类
        columns = ["unit", "code", "name", *detail, "measure", "amount"]
    if not rows.height:
        tables = lib.lines(docs["doc_id"])["table_kind"].unique(maintain_order=True).to_list()
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
