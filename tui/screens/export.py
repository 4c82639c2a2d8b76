"""`e`: write exactly the table on screen to CSV (or Parquet) — never silently over a file.

The file name is prefilled from what is shown; UTF-8 with BOM is the default because Excel and
WPS open Chinese CSV correctly only with it. An existing file asks once more before it is
replaced, and the write itself is atomic (``parsing.queries.export.write_table``). Served in a browser
(`yusuan serve`), the file is also delivered as a download.
"""

from __future__ import annotations

import errno
import re
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import polars as pl
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Static

from tui.text import literal, plain

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')  # characters a file name should not carry


def frame_from_grid(rows: Sequence[Sequence[str]]) -> pl.DataFrame:
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


_REASONS = {
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.ENOENT: "文件夹不存在",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOSPC: "磁盘已满",
    errno.EROFS: "磁盘只读",
    errno.ENAMETOOLONG: "文件名太长",
}


def failure(path: Path, error: Exception) -> str:
    """Why an export failed, in Chinese, naming the file asked for (never a temporary file)."""
    if isinstance(error, FileExistsError):
        return f"{path.name} 已存在"
    if isinstance(error, OSError):
        reason = _REASONS.get(error.errno or 0, error.strerror or "无法写入")
        return f"{path}：{reason}"
    if "encoding" in str(error) or isinstance(error, LookupError):
        return f"{path.name}：不支持的编码"
    return f"{path.name}：{error}"


def free_name(folder: Path, stem: str, suffix: str = ".csv") -> Path:
    """``folder/stem.csv``, or stem_2.csv, stem_3.csv … when taken, so exports never collide."""
    path, n = folder / f"{stem}{suffix}", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}_{n}{suffix}"
    return path


class GlyphCheckbox(Checkbox):
    """A checkbox whose state reads without colour: ☑ on, ☐ off."""

    @property
    def _button(self) -> Content:
        return Content("☑" if self.value else "☐")


class ExportDialog(ModalScreen[Path | None]):
    """Choose a file, encoding and provenance columns; Enter writes."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "取消")]

    def __init__(self, frame: pl.DataFrame, name: str, *, labels: dict[str, str] | None = None) -> None:
        super().__init__()
        self.frame = frame
        self.labels = labels
        self.default = free_name(Path.cwd(), _UNSAFE.sub("-", plain(name)) or "yusuan")
        self.confirm: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Static(f"导出 {self.frame.height} 行 × {self.frame.width} 列")
            yield Input(str(self.default), id="export-path")
            yield GlyphCheckbox("UTF-8 带 BOM（Excel、WPS 正确显示中文）", True, id="export-bom")
            yield GlyphCheckbox(
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
        self._hint("Enter 导出 · Esc 取消")

    def _hint(self, markup: str, *, error: bool = False) -> None:
        hint = self.query_one("#export-hint", Static)
        hint.update(markup)
        hint.set_class(error, "error")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        from parsing.queries.export import write_table

        if not event.value.strip():
            self._hint("请输入文件名 · Esc 取消", error=True)
            return
        path = Path(event.value.strip()).expanduser()
        if path.is_dir():
            self._hint(f"{literal(str(path))} 是一个文件夹：请写上文件名", error=True)
            return
        if path.exists() and self.confirm != path:
            self.confirm = path
            self._hint(f"{literal(path.name)} 已存在：再按 Enter 覆盖，或改名 · Esc 取消")
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
        except (OSError, ValueError, LookupError) as error:
            message = f"导出失败：{failure(path, error)}"
            self._hint(literal(message), error=True)
            self.notify(literal(message), severity="error", timeout=6)
            return
        self.notify(literal(f"已导出 {self.frame.height} 行到 {written}"), timeout=5)
        if self.app.is_web:  # yusuan serve: the file also arrives as a browser download
            self.app.deliver_binary(written, save_filename=written.name)
        self.dismiss(written)
