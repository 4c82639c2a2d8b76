"""`python -m benchmarks.checks`: how far the 核查 findings can be trusted, per rule family.

Precision: of the ✗ raised on the genuine filings (../shared/real and ../shared/filings), the share
that are real inconsistencies printed in the filing (``REAL``, each listed in the README with the
printed figures that prove it). Recall: of the altered copies of genuine filings (benchmarks/
alter.py, one planted change per copy), the share whose planted change raises a ✗ of its family
that the genuine file does not raise. Each copy is checked beside its folder's other genuine
filings, as a reviewer has last year's filing at hand. Prints a table, then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FAMILIES = ("sums", "amounts", "shares", "words", "years", "issuer", "placeholders", "toc", "units", "codes")

#: The real inconsistencies printed in the genuine filings: (file name contains, rule, message contains).
REAL = (
    ("2021_龙岗区财政局_预算项目绩效自评表", "V-SE-SUB", "评审中心小计 预算 851.03"),
    ("2021_龙岗区财政局_预算项目绩效自评表", "V-SE-SUB", "评审中心小计 实际 850.24"),
    ("2023_龙岗区审计局_部门预算", "T-AMOUNT", "政府采购 123 万元（"),
    ("2023_龙岗区审计局_部门预算", "T-TOC", "“收入总表”"),
    ("2023_龙岗区审计局_部门预算", "T-TOC", "“基本支出总表”"),
    ("2023_龙岗区审计局_部门预算", "T-TOC", "“项目支出总表”"),
    ("2022_龙岗区审计局_部门预算_示例", "T-TOC", "“收入总表”"),
    ("2022_龙岗区审计局_部门预算_示例", "T-TOC", "“基本支出总表”"),
    ("2022_龙岗区审计局_部门预算_示例", "T-TOC", "“项目支出总表”"),
    ("2024_普陀区财政局_部门决算", "T-AMOUNT", "财政拨款收入支出总计 0.3 万元"),
    ("2024_普陀区财政局_部门决算", "T-SHARE", "印 71.73%"),
    ("2025_普陀区财政局_部门预算", "T-AMOUNT", "887.36 万元"),
)


def _is_real(row: dict) -> bool:
    name = Path(row["source_file"] or "").name
    return any(f in name and rule == row["rule"] and text in row["message"] for f, rule, text in REAL)


def precision(paths: list[Path]) -> tuple[dict[str, tuple[int, int]], list[dict]]:
    """family → (✗ raised, of which real) on the genuine filings; and the false ones."""
    from parsing.checks import run_checks
    from parsing.library import Library

    found = run_checks(Library.load(paths)).filter(pl.col("severity") == "error")
    out: dict[str, tuple[int, int]] = {f: (0, 0) for f in FAMILIES}
    false = []
    for row in found.iter_rows(named=True):
        family = row["family"] if row["family"] in out else "sums"
        raised, real = out[family]
        out[family] = (raised + 1, real + _is_real(row))
        if not _is_real(row):
            false.append(row)
    return out, false


def _errors(lib, doc_ids: list[str]) -> dict[str, int]:
    from parsing.checks import run_checks

    found = run_checks(lib).filter(pl.col("severity") == "error", pl.col("doc_id").is_in(doc_ids))
    return dict(found.group_by("family").len().rows())


def _read_from(lib, path: Path) -> list[str]:
    """The filings read from ``path``: a 情况说明 published apart from its 报表 is merged into the
    tables' filing, whose ``file`` is the other PDF (``sources`` lists both)."""
    docs = lib.documents
    read = pl.col("file") == str(path)
    if "sources" in docs.columns:
        read = read | pl.col("sources").list.contains(str(path))
    return docs.filter(read)["doc_id"].to_list()


def recall(
    sources: list[Path], out: Path, skipped: list[tuple[str, str, str]] | None = None, progress: bool = False
) -> tuple[dict[str, tuple[int, int]], list[tuple[str, str, bool]]]:
    """family → (planted, found) over the altered copies; and each copy's outcome. Changes the
    generator could not write go to ``skipped``, not into the figures; ``progress`` prints each
    outcome as it is known (the full set takes long on a shared machine)."""
    from benchmarks.alter import altered_copies
    from parsing.library import Library

    made = altered_copies(sources, out, skipped)
    result = {f: (0, 0) for f in FAMILIES}
    outcomes = []
    bases: dict[Path, dict[str, int]] = {}  # the genuine file's errors, checked once per source
    for source, copy, change in made:
        context = [p for p in source.resolve().parent.glob("*.pdf") if p != source.resolve()]
        if source not in bases:
            # One source's copies parsed together, in worker processes, as its turn comes.
            Library.load([c for s, c, _ in made if s == source])
            genuine = Library.load([source, *context])
            doc_ids = _read_from(genuine, source)
            bases[source] = _errors(genuine, doc_ids)
        base = bases[source]
        altered = Library.load([copy, *context])
        now = _errors(altered, _read_from(altered, copy))
        hit = now.get(change.family, 0) > base.get(change.family, 0)
        planted, found = result[change.family]
        result[change.family] = (planted + 1, found + hit)
        outcomes.append((change.family, f"{source.name}: {change.old[:30]} → {change.new[:30]}", hit))
        if progress:
            print(f"  {'✓' if hit else '✗'} {change.family:<12} {outcomes[-1][1]}", flush=True)
    return result, outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.checks", description=__doc__.split("\n")[0])
    parser.add_argument("--real", type=Path, default=SHARED / "real", help="genuine filings (folders of PDFs)")
    parser.add_argument(
        "--sources", type=Path, nargs="*", help="PDFs, or folders of them, to alter (default: every folder of --real)"
    )
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "yusuan-altered")
    parser.add_argument(
        "--verbose", action="store_true", help="list every planted change and whether it was found, as it is known"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("YUSUAN_CACHE_DIR", str(args.out / ".cache"))
    os.environ.setdefault("YUSUAN_DATA_DIR", str(args.out / ".data"))
    if not args.real.is_dir():
        print(f"benchmarks.checks: {args.real} is absent: nothing to measure")
        return 2
    genuine = [args.real] + ([SHARED / "filings"] if (SHARED / "filings").is_dir() else [])
    sources = sorted(p for s in (args.sources or [args.real]) for p in ([s] if s.is_file() else s.rglob("*.pdf")))
    skipped: list[tuple[str, str, str]] = []
    rec, outcomes = recall(sources, args.out, skipped, progress=args.verbose)
    prec, false = precision(genuine)
    print(f"{'family':<13}{'planted':>8}{'found':>7}{'recall':>8}{'✗ genuine':>11}{'real':>6}{'precision':>11}")
    figures = {}
    for family in FAMILIES:
        (planted, found), (raised, real) = rec[family], prec[family]
        r = found / planted if planted else None
        p = real / raised if raised else None
        figures[family] = {
            "planted": planted,
            "found": found,
            "recall": r,
            "errors": raised,
            "real": real,
            "precision": p,
        }
        show = lambda x: "—" if x is None else f"{x:.0%}"  # noqa: E731
        print(f"{family:<13}{planted:>8}{found:>7}{show(r):>8}{raised:>11}{real:>6}{show(p):>11}")
    for row in false:
        print(f"  false ✗ {row['rule']} {Path(row['source_file']).name}: {row['message'][:90]}")
    for family, what, hit in outcomes:
        if not hit:
            print(f"  missed {family}: {what}")
    for family, name, reason in skipped:
        print(f"  not planted {family}: {name}: {reason[:90]}")
    total_planted = sum(v[0] for v in rec.values())
    total_found = sum(v[1] for v in rec.values())
    total_raised = sum(v[0] for v in prec.values())
    total_real = sum(v[1] for v in prec.values())
    print(
        json.dumps(
            {
                "families": figures,
                "recall": total_found / total_planted if total_planted else None,
                "precision": total_real / total_raised if total_raised else None,
                "false_errors_on_genuine": len(false),
                "not_planted": len(skipped),
            },
            ensure_ascii=False,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
