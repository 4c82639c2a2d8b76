"""`e`: write exactly the table on screen to CSV (or Parquet) — never silently over a file.

The file name is prefilled from what is shown; UTF-8 with BOM is the default because Excel and
WPS open Chinese CSV correctly only with it. An existing file asks once more before it is
replaced, and the write itself is atomic (``parsing.queries.export.write_table``). Served in a browser
(`yusuan serve`), the file is also delivered as a download.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar

import polars as pl
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Static

from tui.text import literal, plain

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')  # characters a file name should not carry


def frame_from_grid(rows: list[list[str]]) -> pl.DataFrame:
    """A displayed grid (header row + rows of text) as a frame: columns that hold only numbers
    become numbers again, so the CSV has 190, not "190" that a spreadsheet might read as text."""
    header, body = rows[0], rows[1:]
    columns: dict[str, pl.Series] = {}
    for i, name in enumerate(header):
        cells = [r[i] if i < len(r) else "" for r in body]
        key = name if name not in columns else f"{name}_{i}"
        numbers = [_number(c) for c in cells]
        if all(n is not None or not c.strip() for n, c in zip(numbers, cells, strict=False)) and any(
            n is not None for n in numbers
        ):
            columns[key] = pl.Series(key, numbers, dtype=pl.Float64)
        else:
            columns[key] = pl.Series(key, cells, dtype=pl.String)
    return pl.DataFrame(columns)


def _number(text: str) -> float | None:
    t = text.replace(",", "").strip()
    return float(t) if re.fullmatch(r"-?\d+(\.\d+)?", t) else None


class ExportDialog(ModalScreen[Path | None]):
    """Choose a file, encoding and provenance columns; Enter writes."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "取消")]

    def __init__(self, frame: pl.DataFrame, name: str, *, labels: dict[str, str] | None = None) -> None:
        super().__init__()
        self.frame = frame
        self.labels = labels
        self.default = Path.cwd() / (_UNSAFE.sub("-", plain(name)) + ".csv")
        self.confirm: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Static(f"导出 {self.frame.height} 行 × {self.frame.width} 列")
            yield Input(str(self.default), id="export-path")
            yield Checkbox("UTF-8 带 BOM（Excel、WPS 正确显示中文）", True, id="export-bom")
            yield Checkbox(
                "附出处列（文件、页、表）",
                False,
                id="export-provenance",
                disabled="source_file" not in self.frame.columns,
            )
            yield Static("Enter 导出 · Esc 取消", id="export-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Changed)
    def _path_changed(self) -> None:
        self.confirm = None
        self.query_one("#export-hint", Static).update("Enter 导出 · Esc 取消")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        from parsing.queries.export import write_table

        path = Path(event.value).expanduser()
        if path.exists() and self.confirm != path:
            self.confirm = path
            self.query_one("#export-hint", Static).update(
                f"{literal(path.name)} 已存在：再按 Enter 覆盖，或改名 · Esc 取消"
            )
            return
        try:
            written = write_table(
                self.frame,
                path,
                encoding="utf-8-sig" if self.query_one("#export-bom", Checkbox).value else "utf-8",
                provenance=self.query_one("#export-provenance", Checkbox).value,
                force=self.confirm == path,
                labels=self.labels,
            )
        except (OSError, ValueError) as error:
            self.notify(literal(f"导出失败：{error}"), severity="error", timeout=6)
            return
        self.notify(literal(f"已导出 {self.frame.height} 行到 {written}"), timeout=5)
        if self.app.is_web:  # yusuan serve: the file also arrives as a browser download
            self.app.deliver_binary(written, save_filename=written.name)
        self.dismiss(written)
