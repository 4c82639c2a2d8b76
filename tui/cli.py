"""The `yusuan` command: open the browser, or parse/inspect filings from the shell.

`yusuan [PATH...]` opens the app; `yusuan COMMAND ...` runs a headless command. Textual is
imported only when the app opens, so the shell commands start fast and work without a terminal.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from parsing.library import Library, discover
from parsing.paths import seeds_dir
from parsing.queries.summary import coverage, describe
from parsing.store.ingest import add

COMMANDS = ("parse", "add", "search", "compare", "export", "check", "seeds", "serve")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in COMMANDS:
        args = _command_parser().parse_args(argv)
        try:
            return args.run(args)
        except BrokenPipeError:  # `yusuan check | head`: the reader left, nothing is wrong
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
    args = _browse_parser().parse_args(argv)
    from tui.app import run  # the app (and textual) only when a browser is wanted

    run([Path(p) for p in args.paths] or None, mouse=not args.no_mouse)
    return 0


def _browse_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="yusuan",
        description="Browse budget filings (部门预算, 部门决算, 绩效自评表).",
        epilog=f"commands: {', '.join(COMMANDS)} (yusuan COMMAND -h)",
    )
    p.add_argument("paths", nargs="*", help="filings or folders (default: bundled seeds + your library)")
    p.add_argument("--no-mouse", action="store_true", help="do not capture the mouse")
    return p


def _command_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="yusuan")
    sub = p.add_subparsers(dest="command", required=True)
    parse = sub.add_parser("parse", help="parse filings and summarise them")
    parse.add_argument("paths", nargs="+", type=Path, help="files or folders")
    parse.add_argument("--json", action="store_true", help="one JSON object: table name → records")
    parse.add_argument("--coverage", action="store_true", help="per table: kind (or 未识别), cells read / cells seen")
    parse.set_defaults(run=_parse)
    add = sub.add_parser("add", help="import filings into your library")
    add.add_argument("paths", nargs="+", type=Path, help="files or folders")
    add.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    add.set_defaults(run=_add)
    search = sub.add_parser("search", help="find names, codes, pinyin (sjyw) or amounts (=155, >100) in 万元")
    search.add_argument("query")
    search.add_argument("paths", nargs="*", type=Path, help="files or folders (default: seeds + your library)")
    search.add_argument("--limit", type=int, default=200)
    search.add_argument("--json", action="store_true", help="the hits as JSON records")
    search.set_defaults(run=_search)
    compare = sub.add_parser("compare", help="two years of a department side by side")
    compare.add_argument("--dept", required=True, help="a unique part of the department's name (审计局)")
    compare.add_argument("--years", nargs=2, type=int, required=True, metavar=("A", "B"))
    compare.add_argument("--table", help="one table kind (功能分类 …) or 项目 (default: projects and all tables)")
    compare.add_argument("paths", nargs="*", type=Path)
    compare.add_argument("--json", action="store_true", help="one JSON object: projects / budget_lines → records")
    compare.set_defaults(run=_compare)
    export = sub.add_parser("export", help="one table (or a comparison) to CSV or Parquet")
    export.add_argument("--dept", required=True)
    export.add_argument("--year", type=int, help="the filing's year (not needed with --compare)")
    export.add_argument("--table", required=True, help="table kind (功能分类, 三公经费 …) or 项目")
    export.add_argument("--compare", nargs=2, type=int, metavar=("A", "B"), help="export the A → B comparison")
    export.add_argument("-o", "--output", required=True, type=Path, help="FILE.csv or FILE.parquet")
    export.add_argument("--force", action="store_true", help="overwrite an existing file")
    export.add_argument("--encoding", default="utf-8-sig", help="default utf-8-sig (BOM, for Excel/WPS)")
    export.add_argument("--provenance", action="store_true", help="add source file / page / line / table columns")
    export.add_argument("paths", nargs="*", type=Path)
    export.set_defaults(run=_export)
    check = sub.add_parser("check", help="consistency checks (勾稽关系): exit 0 clean, 1 errors, 2 unreadable files")
    check.add_argument("paths", nargs="*", type=Path, help="files or folders (default: seeds + your library)")
    check.add_argument("--json", action="store_true", help="the findings as JSON records")
    check.set_defaults(run=_check)
    seeds = sub.add_parser("seeds", help="open the browser on the bundled seeds only")
    seeds.add_argument("--no-mouse", action="store_true", help="do not capture the mouse")
    seeds.set_defaults(run=_seeds)
    serve = sub.add_parser("serve", help="serve the browser on localhost (textual-serve)")
    serve.add_argument("paths", nargs="*", type=Path)
    serve.add_argument("--host", default="localhost")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=_serve)
    return p


def _parse(args: argparse.Namespace) -> int:
    lib = Library.load(args.paths)
    for error in lib.errors:
        print(f"yusuan: {error}", file=sys.stderr)
    if args.json:
        json.dump(
            {
                name: getattr(lib, name).drop("raw_cells", strict=False).to_dicts()
                for name in (
                    "documents",
                    "units",
                    "projects",
                    "indicators",
                    "budget_lines",
                    "sections",
                    "notes",
                    "tables",
                )
            },
            sys.stdout,
            ensure_ascii=False,
            indent=1,
        )
        print()
    else:
        for doc_id in lib.documents["doc_id"]:
            print((coverage if args.coverage else describe)(lib, doc_id), end="\n\n")
    return 1 if lib.errors else 0


def _add(args: argparse.Namespace) -> int:
    from rich.progress import Progress  # the bar is the command line's, not the data layer's

    files, errors = discover(args.paths)
    with Progress(transient=True) as bar:
        task = bar.add_task("解析", total=len(files))
        stored, failed = add(
            files,
            workers=args.workers,
            progress=lambda n, total, path: bar.update(task, completed=n, description=path.name[:30]),
        )
    for error in errors + failed:
        print(f"yusuan: {error}", file=sys.stderr)
    print(
        f"已导入 {len(stored)} 个文件到 {stored[0].parent if stored else '资料库'}"
        + (f"，{len(errors) + len(failed)} 个失败" if errors or failed else "")
    )
    return 1 if errors or failed else 0


def _check(args: argparse.Namespace) -> int:
    from parsing.checks import exit_status, run_checks, summarise

    lib = Library.load(args.paths or None)
    for error in lib.errors:
        print(f"yusuan: {error}", file=sys.stderr)
    findings = run_checks(lib)
    if args.json:
        json.dump(findings.to_dicts(), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        marks = {"error": "✗", "rounding": "≈", "note": "·"}
        for f in findings.iter_rows(named=True):
            where = f"{f['source_file']} {'p.' + str(f['source_page']) if f['source_page'] else 'l.' + str(f['source_line'])}"
            print(f"{marks[f['severity']]} {f['rule']:<12} {f['year']} {f['department']}  {f['message']}  [{where}]")
        counts = summarise(findings)
        print(f"{counts['error']} 处错误 · {counts['rounding']} 处尾数误差 · {counts['note']} 条提示")
    return 2 if lib.errors else exit_status(findings)


def _seeds(args: argparse.Namespace) -> int:
    from tui.app import run

    run([seeds_dir()], mouse=not args.no_mouse)
    return 0


def _serve(args: argparse.Namespace) -> int:
    from tui.serve import serve

    print(f"yusuan: serving on http://{args.host}:{args.port} (ctrl+c stops)", file=sys.stderr)
    serve(args.paths or None, host=args.host, port=args.port)
    return 0


def _search(args: argparse.Namespace) -> int:
    from parsing.queries.search import SearchIndex, format_hit

    lib = Library.load(args.paths or None)
    hits = SearchIndex.build(lib).search(args.query, limit=args.limit)
    if args.json:
        json.dump(hits.to_dicts(), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for hit in hits.iter_rows(named=True):
            print(format_hit(hit))
    return 0 if hits.height else 1


def _compare(args: argparse.Namespace) -> int:
    from parsing.queries.compare import compare_years
    from parsing.queries.lookup import find_department
    from parsing.queries.report import format_comparison

    lib = Library.load(args.paths or None)
    a, b = args.years
    try:
        department = find_department(lib, args.dept)
        frames = compare_years(lib, department, a, b, args.table)
    except ValueError as e:
        print(f"yusuan: {e}", file=sys.stderr)
        return 2
    if args.json:
        json.dump({name: df.to_dicts() for name, df in frames.items()}, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print(f"{department}  {a} → {b}")
        print(format_comparison(frames, a, b))
    return 0


def _export(args: argparse.Namespace) -> int:
    from parsing.queries.compare import compare_budget, compare_projects
    from parsing.queries.export import filing_table, write_table
    from parsing.queries.lookup import PROJECTS, find_department
    from parsing.queries.report import headers

    if args.compare is None and args.year is None:
        print("yusuan: export needs --year Y or --compare A B", file=sys.stderr)
        return 2
    lib = Library.load(args.paths or None)
    try:
        department = find_department(lib, args.dept)
        if args.compare:
            a, b = args.compare
            df = (
                compare_projects(lib, department, a, b)
                if args.table == PROJECTS
                else compare_budget(lib, department, a, b, args.table)
            )
            labels = headers(str(a), str(b))
        else:
            df, labels = filing_table(lib, department, args.year, args.table), None
        path = write_table(
            df, args.output, encoding=args.encoding, provenance=args.provenance, force=args.force, labels=labels
        )
    except (ValueError, OSError) as e:  # FileExistsError included: the file is left as it was
        print(f"yusuan: {e}", file=sys.stderr)
        return 1
    print(f"已导出 {df.height} 行到 {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
