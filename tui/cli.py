"""The `yusuan` command: open the browser, or parse/inspect filings from the shell.

`yusuan [PATH...]` opens the app; `yusuan COMMAND ...` runs a headless command. Textual is
imported only when the app opens, so the shell commands start fast and work without a terminal.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from parsing.ingest import add
from parsing.library import Library, discover
from parsing.summary import describe

COMMANDS = ("parse", "add")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in COMMANDS:
        args = _command_parser().parse_args(argv)
        return args.run(args)
    args = _browse_parser().parse_args(argv)
    from tui.app import run  # the app (and textual) only when a browser is wanted

    run([Path(p) for p in args.paths] or None, mouse=not args.no_mouse)
    return 0


def _browse_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="yusuan", description="Browse budget filings (部门预算, 部门决算, 绩效自评表).",
                                epilog=f"commands: {', '.join(COMMANDS)} (yusuan COMMAND -h)")
    p.add_argument("paths", nargs="*", help="filings or folders (default: bundled seeds + your library)")
    p.add_argument("--no-mouse", action="store_true", help="do not capture the mouse")
    return p


def _command_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="yusuan")
    sub = p.add_subparsers(dest="command", required=True)
    parse = sub.add_parser("parse", help="parse filings and summarise them")
    parse.add_argument("paths", nargs="+", type=Path, help="files or folders")
    parse.add_argument("--json", action="store_true", help="one JSON object: table name → records")
    parse.set_defaults(run=_parse)
    add = sub.add_parser("add", help="import filings into your library")
    add.add_argument("paths", nargs="+", type=Path, help="files or folders")
    add.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    add.set_defaults(run=_add)
    return p


def _parse(args: argparse.Namespace) -> int:
    lib = Library.load(args.paths)
    for error in lib.errors:
        print(f"yusuan: {error}", file=sys.stderr)
    if args.json:
        json.dump(
            {name: getattr(lib, name).drop("raw_cells", strict=False).to_dicts()
             for name in ("documents", "units", "projects", "indicators", "budget_lines", "sections", "notes")},
            sys.stdout, ensure_ascii=False, indent=1,
        )
        print()
    else:
        for doc_id in lib.documents["doc_id"]:
            print(describe(lib, doc_id), end="\n\n")
    return 1 if lib.errors else 0


def _add(args: argparse.Namespace) -> int:
    from rich.progress import Progress  # the bar is the command line's, not the data layer's

    files, errors = discover(args.paths)
    with Progress(transient=True) as bar:
        task = bar.add_task("解析", total=len(files))
        stored, failed = add(files, workers=args.workers,
                             progress=lambda n, total, path: bar.update(task, completed=n, description=path.name[:30]))
    for error in errors + failed:
        print(f"yusuan: {error}", file=sys.stderr)
    print(f"已导入 {len(stored)} 个文件到 {stored[0].parent if stored else '资料库'}"
          + (f"，{len(errors) + len(failed)} 个失败" if errors or failed else ""))
    return 1 if errors or failed else 0


if __name__ == "__main__":
    sys.exit(main())
