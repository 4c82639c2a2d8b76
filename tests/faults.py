"""Helpers of the fault-injection suites: run a command as the analyst would, check the library.

Every case asserts the same four things: the exit status, one stderr line naming the file (and
no other line), no traceback, and nothing lost (each filing that should be in the library is
there once, with the hash its name claims).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from parsing.paths import library_dir
from tests.conftest import SEEDS
from tui.cli import main

SELF_EVALUATION = SEEDS / "000_533ecde84f1547da.txt"  # 2021 绩效自评表, 龙岗区财政局: 22 projects, 154 indicators
BUDGET = SEEDS / "001_49341d35398c12a1.txt"  # 2023 部门预算, 龙岗区审计局: 审计业务 155 万元


def run(capsys, *argv: str | Path) -> tuple[int, str, str]:
    """``yusuan ARGV`` in this process: (exit status, stdout, stderr); never a traceback."""
    code = main([os.fsdecode(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Traceback" not in out
    return code, out, err


def copy(src: Path, folder: Path, name: str | bytes) -> Path:
    """``src`` copied into ``folder`` under ``name`` (bytes for a name that is not UTF-8)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = Path(os.fsdecode(os.path.join(os.fsencode(folder), os.fsencode(name))))
    shutil.copyfile(src, target)
    return target


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def library_shas() -> dict[str, str]:
    """Each library copy's name → its content hash."""
    folder = library_dir()
    return {p.name: sha(p) for p in folder.iterdir() if not p.name.startswith(".")} if folder.is_dir() else {}


def assert_library_holds(*sources: Path) -> None:
    """Nothing lost: each source's content is in the library exactly once, undamaged, and every
    copy's content matches the hash its name starts with."""
    copies = library_shas()
    for name, digest in copies.items():
        assert name.startswith(digest[:16] + "_"), f"{name} is damaged"
    for src in sources:
        assert sum(d == sha(src) for d in copies.values()) == 1, f"{src.name} missing from the library"


def no_raw_controls(text: str) -> bool:
    """True when no ESC, C1 control, bidi control or line separator would reach the terminal."""
    return not any(
        (ord(c) < 0x20 and c not in "\n") or 0x7F <= ord(c) <= 0x9F or 0x2066 <= ord(c) <= 0x2069 or c in "\u202e\u2028"
        for c in text
    )


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[bool]:
    """``folder`` made read-only: by its mode, or (as root, whom modes do not stop) as a read-only
    mount of itself. Yields False when neither can be done here."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield True
        finally:
            folder.chmod(0o755)
        return
    bound = subprocess.run(["mount", "--bind", folder, folder], capture_output=True).returncode == 0
    ro = bound and subprocess.run(["mount", "-o", "remount,bind,ro", folder], capture_output=True).returncode == 0
    try:
        yield ro
    finally:
        if bound:
            subprocess.run(["umount", folder], capture_output=True)
