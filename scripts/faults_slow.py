"""The slow fault-injection cases: bombs, full disks, kill -9, 50 paired concurrent adds.

.venv/bin/python scripts/faults_slow.py              # every case (~5 minutes on 2 CPUs)
.venv/bin/python scripts/faults_slow.py kill9 pairs  # some of them, by name

Each case runs the real ``yusuan`` command in fresh cache and library folders and asserts what
the fast suite (tests/test_faults*.py) asserts: the exit status, one stderr line naming each
file that failed and nothing else, no traceback, and nothing lost (every filing that should be
in the library is there once, with the hash its name claims, and no temporary is left). Full
disks are small tmpfs mounts, so those cases need root (they are skipped, and say so, without).
The last line is one JSON object: cases passed, failed, skipped, and the pair run's counts.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
FILINGS = ROOT / "tests" / "filings"
TEXTS = [SEEDS / "000_533ecde84f1547da.txt", SEEDS / "001_49341d35398c12a1.txt"]
PDFS = [FILINGS / "2021_龙岗区财政局_预算项目绩效自评表.pdf", FILINGS / "2023_龙岗区审计局_部门预算.pdf"]

CASES: dict[str, Callable[[Path], str | None]] = {}
PAIRS = int(os.environ.get("FAULTS_PAIRS", "50"))
FIGURES: dict[str, object] = {}


class Skip(Exception):
    """This case cannot run here (no mount, say)."""


def case(fn: Callable[[Path], str | None]) -> Callable[[Path], str | None]:
    CASES[fn.__name__] = fn
    return fn


# -- helpers ---------------------------------------------------------------------------------------


def env(work: Path, cache: Path | None = None, data: Path | None = None) -> dict[str, str]:
    return {
        **os.environ,
        "YUSUAN_CACHE_DIR": str(cache or work / "cache"),
        "YUSUAN_DATA_DIR": str(data or work / "data"),
        "PYTHONUNBUFFERED": "1",
    }


def yusuan(environ: dict[str, str], *args: object, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui", *map(str, args)],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        errors="backslashreplace",
        timeout=timeout,
    )


def expect(result: subprocess.CompletedProcess, code: int, failing: list[Path], *, warnings: int = 0) -> None:
    """Exit status ``code``; one stderr line per failing file naming it, up to ``warnings``
    other lines (``yusuan: 警告：…``), and no traceback."""
    lines = result.stderr.splitlines()
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == code, f"exit {result.returncode} ≠ {code}: {result.stderr[-500:]}"
    named = [line for line in lines if any(str(p) in line for p in failing)]
    assert len(named) == len(failing), f"{len(named)} lines name the {len(failing)} failing files: {lines[:5]}"
    others = [line for line in lines if line not in named]
    assert len(others) <= warnings and all("警告" in line for line in others), f"other stderr: {others[:5]}"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def holds(data: Path, sources: list[Path]) -> None:
    """Nothing lost: each source once in the library, every copy matching its name's hash, no
    temporary left."""
    folder = data / "filings"
    names = os.listdir(folder) if folder.is_dir() else []
    assert not [n for n in names if n.startswith(".")], f"temporaries left: {names}"
    copies = {n: sha(folder / n) for n in names}
    for name, digest in copies.items():
        assert name.startswith(digest[:16] + "_"), f"{name} damaged"
    for src in sources:
        count = sum(d == sha(src) for d in copies.values())
        assert count == 1, f"{src.name} is in the library {count} times"


def variant(src: Path, folder: Path, n: int) -> Path:
    """A copy of ``src`` with distinct content that reads the same (a comment after %%EOF, or
    a trailing line of text)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"{n:02d}_{src.name}"
    out.write_bytes(src.read_bytes() + (f"\n%variant {n}\n" if src.suffix == ".pdf" else f"\n变体 {n}\n").encode())
    return out


def bomb(path: Path, megabytes: int = 300) -> Path:
    """A one-page PDF whose content stream inflates to ``megabytes`` MB of text operators."""
    chunk = b"BT /F1 12 Tf 72 712 Td (0) Tj ET\n" * 1000
    z = zlib.compressobj(9)
    stream = b"".join(z.compress(chunk) for _ in range(megabytes * (1 << 20) // len(chunk))) + z.flush()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    path.write_bytes(bytes(out))
    return path


@contextlib.contextmanager
def tmpfs(folder: Path, size: str) -> Iterator[Path]:
    """A small tmpfs at ``folder`` (root only)."""
    folder.mkdir(parents=True, exist_ok=True)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", folder], capture_output=True).returncode:
        raise Skip("mount -t tmpfs is not permitted here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", folder], capture_output=True)


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid``."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(entry.name))
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


# -- cases -------------------------------------------------------------------------------------------


@case
def bomb_timeout(work: Path) -> str:
    """A 0.9 MB PDF inflating to 300 MB of operators beside a good filing, --timeout 20: one line
    'took longer than 20 s' naming the bomb, the good filing added, all within a minute."""
    bad = bomb(work / "bomb.pdf")
    good = variant(TEXTS[1], work / "in", 1)
    start = time.monotonic()
    result = yusuan(env(work), "add", bad, good, "--timeout", "20")
    took = time.monotonic() - start
    expect(result, 1, [bad])
    assert "解析超过 20 秒" in result.stderr and took < 60, (result.stderr, took)
    holds(work / "data", [good])
    return f"{bad.stat().st_size / 1e6:.1f} MB → 300 MB; refused after {took:.0f} s"


@case
def bomb_memory(work: Path) -> str:
    """The same bomb under --max-memory 1000 (and a long timeout): one line naming it ('too large'
    or 'worker died'), the good filing added."""
    bad = bomb(work / "bomb.pdf")
    good = variant(TEXTS[0], work / "in", 2)
    start = time.monotonic()
    result = yusuan(env(work), "add", bad, good, "--max-memory", "1000", "--timeout", "300", "--workers", "2")
    took = time.monotonic() - start
    expect(result, 1, [bad])
    assert "文件过大" in result.stderr or "意外退出" in result.stderr, result.stderr
    holds(work / "data", [good])
    return f"refused after {took:.0f} s"


@case
def trailing_zeros(work: Path) -> str:
    """A real PDF followed by 100 MB of zeros, --timeout 30: parsed or refused in one line, in
    bounded time, the other filing added."""
    bad = work / "zeros.pdf"
    bad.write_bytes(PDFS[1].read_bytes() + bytes(100 << 20))
    good = variant(TEXTS[0], work / "in", 3)
    start = time.monotonic()
    result = yusuan(env(work), "add", bad, good, "--timeout", "30")
    took = time.monotonic() - start
    refused = result.returncode == 1
    expect(result, 1 if refused else 0, [bad] if refused else [])
    holds(work / "data", [good] if refused else [good, bad])
    assert took < 90, took
    return f"{'refused' if refused else 'parsed'} after {took:.0f} s"


@case
def disk_full_cache(work: Path) -> str:
    """The cache on a full tmpfs: parse of two PDFs exits 0, both described, exactly one warning
    (No space left on device)."""
    with tmpfs(work / "cache", "256k") as cache:
        with contextlib.suppress(OSError), open(cache / "filler", "wb") as f:
            f.write(b"\0" * (1 << 20))  # the disk is now full
        result = yusuan(env(work, cache=cache), "parse", *PDFS)
    expect(result, 0, [], warnings=1)
    assert "深圳市龙岗区审计局" in result.stdout and "深圳市龙岗区财政局" in result.stdout
    assert len(result.stderr.splitlines()) == 1 and "No space left on device" in result.stderr, result.stderr
    return result.stderr.strip()


@case
def disk_full_library(work: Path) -> str:
    """The library on a 400 KB tmpfs, adding two ~290 KB PDFs: the one that fits is added and
    verified, the other gets one line naming it; no temporary left."""
    with tmpfs(work / "data", "400k") as data:
        result = yusuan(env(work, data=data), "add", *PDFS, "--workers", "1")
        stored = [p for p in PDFS if any(n.startswith(sha(p)[:16]) for n in os.listdir(data / "filings"))]
        failing = [p for p in PDFS if p not in stored]
        expect(result, 1 if failing else 0, failing)
        assert failing and all("No space left on device" in line for line in result.stderr.splitlines())
        holds(data, stored)
    return f"{len(stored)} stored, {len(failing)} refused"


@case
def disk_full_export(work: Path) -> str:
    """Parquet and CSV export onto a full 8 KB tmpfs: exit 1, one line naming the target, no
    temporary left."""
    with tmpfs(work / "out", "64k") as out:
        with contextlib.suppress(OSError), open(out / "filler", "wb") as f:
            f.write(b"\0" * (1 << 20))  # the disk is now full
        notes = []
        for name in ("t.parquet", "t.csv"):
            target = out / name
            result = yusuan(
                env(work), "export", "--dept", "审计局", "--year", "2023", "--table", "功能分类", "-o", target, SEEDS
            )
            expect(result, 1, [target])
            assert ".tmp" not in result.stderr and sorted(os.listdir(out)) == ["filler"], os.listdir(out)
            notes.append(result.stderr.strip().split("：", 1)[-1])
    return "; ".join(notes)


@case
def kill9_add(work: Path) -> str:
    """kill -9 of `yusuan add --workers 2` mid-batch: its workers are gone within 5 s; a second
    add completes the library (every filing once, verified, no temporary)."""
    files = [variant(PDFS[n % 2], work / "in", n) for n in range(6)]
    environ = env(work)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui", "add", "--workers", "2", *map(str, files)],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2:
        workers = [c for c in children(proc.pid) if "resource_tracker" not in _cmdline(c)]
        time.sleep(0.2)
    assert len(workers) >= 2, f"no workers seen: {workers}"
    time.sleep(2)  # mid-parse
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    gone_at = time.monotonic()
    while any(alive(w) for w in workers) and time.monotonic() - gone_at < 5:
        time.sleep(0.1)
    left = [w for w in workers if alive(w)]
    for w in left:
        with contextlib.suppress(OSError):
            os.kill(w, signal.SIGKILL)
    assert not left, f"workers left running: {left}"
    waited = time.monotonic() - gone_at
    result = yusuan(environ, "add", *files)
    expect(result, 0, [])
    holds(work / "data", files)
    return f"{len(workers)} workers gone {waited:.1f} s after the kill; re-add complete"


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return ""


@case
def worker_dies(work: Path) -> str:
    """Workers that cannot live (a 60 MB memory ceiling): exit 1, each file named once, no
    traceback, nothing half-stored."""
    files = [variant(PDFS[n], work / "in", n) for n in range(2)]
    result = yusuan(env(work), "add", "--workers", "2", "--max-memory", "60", *files)
    expect(result, 1, files)
    holds(work / "data", [])
    return result.stderr.splitlines()[0].split(": ", 2)[-1]


@case
def pairs(work: Path) -> str:
    """50 pairs of concurrent `yusuan add` on overlapping sets (1 or 2 workers each), each pair
    into a fresh library: 0 crashes, 0 filings lost."""
    rng = random.Random(16)
    pool = [variant(TEXTS[n % 2], work / "pool", n) for n in range(8)] + [
        variant(PDFS[n], work / "pool", 8 + n) for n in range(2)
    ]
    crashes = lost = 0
    examples: list[str] = []
    for n in range(PAIRS):
        shared = rng.sample(pool, 2)
        a = shared + rng.sample([p for p in pool if p not in shared], 2)
        b = shared + rng.sample([p for p in pool if p not in a], 2)
        environ = env(work, data=work / f"data{n}")
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "tui", "add", "--workers", str(rng.choice([1, 2])), *map(str, files)],
                cwd=ROOT,
                env=environ,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for files in (a, b)
        ]
        for proc in procs:
            _, err = proc.communicate(timeout=600)
            if proc.returncode != 0 or "Traceback" in err:
                crashes += 1
                examples.append(f"exit {proc.returncode}: {err.strip()[-300:]}")
        try:
            holds(work / f"data{n}", list({*a, *b}))
        except AssertionError as e:
            lost += 1
            examples.append(str(e))
    FIGURES["pairs"] = {"runs": PAIRS, "crashes": crashes, "libraries_with_a_lost_filing": lost}
    for example in examples[:5]:
        print("   ", example.replace("\n", " | "), flush=True)
    assert crashes == 0 and lost == 0, FIGURES["pairs"]
    return f"{PAIRS} pairs: 0 crashes, 0 filings lost"


# -- runner ------------------------------------------------------------------------------------------


def main(names: list[str]) -> int:
    chosen = names or list(CASES)
    passed = failed = skipped = 0
    for name in chosen:
        work = Path(tempfile.mkdtemp(prefix=f"yusuan-faults-{name}-"))
        start = time.monotonic()
        try:
            note = CASES[name](work)
            passed += 1
            print(f"✓ {name:<18} {time.monotonic() - start:6.1f} s  {note or ''}", flush=True)
        except Skip as e:
            skipped += 1
            print(f"- {name:<18} skipped: {e}", flush=True)
        except Exception as e:  # a failed case is reported and the run goes on
            failed += 1
            print(f"✗ {name:<18} {time.monotonic() - start:6.1f} s  {type(e).__name__}: {str(e)[:300]}", flush=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{passed}/{len(chosen)} passed, {failed} failed, {skipped} skipped")
    print(json.dumps({"passed": passed, "failed": failed, "skipped": skipped, **FIGURES}))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
