"""The `yusuan` command: open the browser, or parse/inspect filings from the shell.

`yusuan [PATH...]` opens the app; `yusuan COMMAND ...` runs a headless command. Textual is
imported only when the app opens, so the shell commands start fast and work without a terminal;
the data layer (and Polars) only when a command loads filings, so the app draws its tree first.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from parsing.paths import display, seeds_dir
from tui.output import dump, fail, quiet_failures, say
from tui.sanitise import sanitise
from tui.usage import ChineseParser

if TYPE_CHECKING:
    from parsing.library import Library

COMMANDS = ("parse", "add", "search", "compare", "peers", "trend", "export", "check", "seeds", "serve")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    quiet_failures()
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
    p = ChineseParser(
        prog="yusuan",
        description="浏览预算公开文件（部门预算、部门决算、绩效自评表）。",
        epilog=f"命令：{', '.join(COMMANDS)}（yusuan 命令 -h 查看说明）",
    )
    p.add_argument("paths", nargs="*", help="文件或文件夹（默认：内置示例 + 你的资料库）")
    p.add_argument("--no-mouse", action="store_true", help="不捕获鼠标")
    return p


def _command_parser() -> argparse.ArgumentParser:
    from tui.adding import add_command, limit_options

    p = ChineseParser(prog="yusuan", description="预算公开文件的命令行工具。")
    sub = p.add_subparsers(dest="command", required=True, title="命令")
    parse = sub.add_parser("parse", help="解析文件并给出摘要", description="解析文件并给出摘要。")
    parse.add_argument("paths", nargs="*", type=Path, help="文件或文件夹（默认：内置示例 + 你的资料库）")
    parse.add_argument("--json", action="store_true", help="输出一个 JSON 对象：表名 → 记录")
    parse.add_argument("--coverage", action="store_true", help="每张表：表类（或 未识别）、读取 / 所见数值单元格")
    limit_options(parse)
    parse.set_defaults(run=_parse)
    add_command(sub)
    search = sub.add_parser(
        "search", help="按名称、编码、拼音（sjyw）或金额（=155、>100，万元）查找", description="在所有文件中查找。"
    )
    search.add_argument("query", help="查找内容")
    search.add_argument("paths", nargs="*", type=Path, help="文件或文件夹（默认：内置示例 + 你的资料库）")
    search.add_argument("--limit", type=int, default=200, help="最多显示的条数（默认 200）")
    search.add_argument("--json", action="store_true", help="以 JSON 记录输出")
    search.set_defaults(run=_search)
    compare = sub.add_parser("compare", help="同一部门两个年度对比", description="同一部门两个年度对比。")
    compare.add_argument("--dept", required=True, help="部门名称中唯一的一段（如 审计局）")
    compare.add_argument("--years", nargs=2, type=int, required=True, metavar=("A", "B"), help="两个年度")
    compare.add_argument("--table", help="一种表（功能分类 …）或 项目（默认：项目和所有表）")
    compare.add_argument("paths", nargs="*", type=Path, help="文件或文件夹")
    compare.add_argument("--json", action="store_true", help="输出一个 JSON 对象：projects / budget_lines → 记录")
    compare.set_defaults(run=_compare)
    _add_peers_and_trend(sub)
    export = sub.add_parser(
        "export",
        help="把一张表（或一次对比）导出为 CSV 或 Parquet，或导出财政数据包（FDP）",
        description="导出一张表。",
    )
    export.add_argument("--dept", help="部门名称中唯一的一段（--format fdp 时省略即全部部门）")
    export.add_argument("--year", type=int, help="文件的年度（与 --compare 同用时不需要）")
    export.add_argument("--table", help="表的种类（功能分类、三公经费 …）或 项目")
    export.add_argument("--format", choices=("table", "fdp"), default="table", help="fdp：-o 指向一个文件夹")
    export.add_argument("--compare", nargs=2, type=int, metavar=("A", "B"), help="导出 A → B 的对比")
    export.add_argument("-o", "--output", required=True, type=Path, help="FILE.csv 或 FILE.parquet（fdp：文件夹）")
    export.add_argument("--force", action="store_true", help="覆盖已有的文件")
    export.add_argument("--encoding", default="utf-8-sig", help="默认 utf-8-sig（带 BOM，Excel/WPS 可直接打开）")
    export.add_argument("--provenance", action="store_true", help="加上来源文件 / 页 / 行 / 表 列")
    export.add_argument("paths", nargs="*", type=Path, help="文件或文件夹")
    export.set_defaults(run=_export)
    check = sub.add_parser(
        "check",
        help="勾稽关系核查：0 无误，1 发现错误，2 有文件无法读取",
        description="勾稽关系核查：退出码 0 无误，1 发现错误，2 有文件无法读取。",
    )
    check.add_argument("paths", nargs="*", type=Path, help="文件或文件夹（默认：内置示例 + 你的资料库）")
    check.add_argument("--json", action="store_true", help="以 JSON 记录输出核查结果")
    check.set_defaults(run=_check)
    seeds = sub.add_parser("seeds", help="只打开内置示例", description="只打开内置示例。")
    seeds.add_argument("--no-mouse", action="store_true", help="不捕获鼠标")
    seeds.set_defaults(run=_seeds)
    serve = sub.add_parser(
        "serve",
        help="在本机网页中提供同一浏览器（textual-serve）",
        description="在本机网页中提供同一浏览器；网址带有本次运行的随机令牌，只接受来自本机页面的连接。",
    )
    serve.add_argument("paths", nargs="*", type=Path, help="文件或文件夹")
    serve.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，仅本机可访问）")
    serve.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    serve.set_defaults(run=_serve)
    return p


def _parse(args: argparse.Namespace) -> int:
    from parsing.queries.summary import coverage, describe
    from tui.adding import limits

    limits(args)
    lib = _load(args.paths)
    for error in lib.errors:
        fail(error)
    if args.json:
        dump(
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
            }
        )
    else:
        for doc_id in lib.documents["doc_id"]:
            say((coverage if args.coverage else describe)(lib, doc_id), end="\n\n")
    return 1 if lib.errors else 0


def _check(args: argparse.Namespace) -> int:
    from parsing.checks import exit_status, run_checks, summarise

    lib = _load(args.paths)
    for error in lib.errors:
        fail(error)
    findings = run_checks(lib)
    if args.json:
        dump(findings.to_dicts())
    else:
        marks = {"error": "✗", "rounding": "≈", "note": "·"}
        for f in findings.iter_rows(named=True):
            where = f"{f['source_file']} {'p.' + str(f['source_page']) if f['source_page'] else 'l.' + str(f['source_line'])}"
            say(
                sanitise(
                    f"{marks[f['severity']]} {f['rule']:<12} {f['year']} {f['department']}  {f['message']}  [{where}]"
                )
            )
        counts = summarise(findings)
        say(f"{counts['error']} 处错误 · {counts['rounding']} 处尾数误差 · {counts['note']} 条提示")
    return 2 if lib.errors else exit_status(findings)


def _seeds(args: argparse.Namespace) -> int:
    from tui.app import run

    run([seeds_dir()], mouse=not args.no_mouse)
    return 0


def _serve(args: argparse.Namespace) -> int:
    from tui.serve import serve

    serve(args.paths or None, host=args.host, port=args.port)
    return 0


def _search(args: argparse.Namespace) -> int:
    from parsing.queries.search import SearchIndex, format_hit

    lib = _load(args.paths)
    hits = SearchIndex.open(lib).search(args.query, limit=args.limit)
    if args.json:
        dump(hits.to_dicts())
    else:
        for hit in hits.iter_rows(named=True):
            say(sanitise(format_hit(hit).replace("\n", " ")))
    if not hits.height:  # exit status 1 alone looks like a crash to a person at the prompt
        say(f"没有找到“{args.query}”（已查 {lib.documents.height} 份文件）", err=True)
    return 0 if hits.height else 1


def _compare(args: argparse.Namespace) -> int:
    from parsing.queries.compare import compare_years
    from parsing.queries.lookup import find_department, find_table_kind, year_label
    from parsing.queries.report import format_comparison

    a, b = args.years
    if a == b:
        fail(f"比较需要两个不同的年度（给的是 {a} 与 {b}）")
        return 2
    lib = _load(args.paths)
    try:
        department = find_department(lib, args.dept)
        frames = compare_years(lib, department, a, b, args.table and find_table_kind(args.table))
    except ValueError as e:
        fail(e)
        return 2
    if args.json:
        dump({name: df.to_dicts() for name, df in frames.items()})
    else:
        say(f"{department}  {year_label(lib, department, a)} → {year_label(lib, department, b)}")
        say(format_comparison(frames, a, b))
    return 0


def _export(args: argparse.Namespace) -> int:
    from parsing.queries.compare import compare_budget, compare_projects
    from parsing.queries.export import filing_table, write_table
    from parsing.queries.lookup import PROJECTS, find_department, find_table_kind
    from parsing.queries.report import headers

    if args.format == "fdp":
        return _export_fdp(args)
    if not args.dept or not args.table:
        fail("export 需要 --dept 和 --table（或 --format fdp）")
        return 2
    if args.compare is None and args.year is None:
        fail("export 需要 --year 年度 或 --compare A B")
        return 2
    lib = _load(args.paths)
    try:
        department, table = find_department(lib, args.dept), find_table_kind(args.table)
        if args.compare:
            a, b = args.compare
            df = (
                compare_projects(lib, department, a, b)
                if table == PROJECTS
                else compare_budget(lib, department, a, b, table)
            )
            labels = headers(str(a), str(b))
        else:
            df, labels = filing_table(lib, department, args.year, table), None
        path = write_table(
            df, args.output, encoding=args.encoding, provenance=args.provenance, force=args.force, labels=labels
        )
    except (ValueError, OSError) as e:  # ExportError: one line naming the target, left as it was
        fail(e)
        return 1
    say(f"已导出 {df.height} 行到 {display(path)}")
    return 0


def _add_peers_and_trend(sub: argparse._SubParsersAction) -> None:
    peers = sub.add_parser(
        "peers", help="某一年各部门同一科目或指标的排名", description="某一年各部门同一科目或指标的排名。"
    )
    trend = sub.add_parser(
        "trend", help="一个部门某科目或指标的历年走势", description="一个部门某科目或指标在已载入各年度的走势。"
    )
    for p in (peers, trend):
        what = p.add_mutually_exclusive_group(required=True)
        what.add_argument("--code", help="科目编码，任一级次（2010607、30227、201）")
        what.add_argument("--metric", help="三公、项目支出占比、执行率 或 人均")
        p.add_argument("--measure", default="预算数", help="预算数（默认）、决算数、基本支出 或 项目支出")
        p.add_argument("paths", nargs="*", type=Path, help="文件或文件夹（默认：内置示例 + 你的资料库）")
        p.add_argument("--json", action="store_true", help="以 JSON 记录输出")
    peers.add_argument("--year", type=int, required=True, help="年度")
    peers.set_defaults(run=_peers)
    trend.add_argument("--dept", required=True, help="部门名称中唯一的一段（如 审计局）")
    trend.set_defaults(run=_trend)


def _peers(args: argparse.Namespace) -> int:
    from parsing.queries.peers import format_peers, peers
    from parsing.queries.subjects import subject

    try:
        subj = subject(args.code, args.metric, args.measure)
    except ValueError as e:
        fail(e)
        return 2
    lib = _load(args.paths)
    for error in lib.errors:  # a file that could not be read: one line, the rest compared
        fail(error)
    df = peers(lib, subj, args.year)
    if args.json:
        dump(df.to_dicts())
    else:
        say(format_peers(df, subj, args.year))
    return 0 if (df["status"] == "ok").any() else 1


def _trend(args: argparse.Namespace) -> int:
    from parsing.queries.lookup import find_department
    from parsing.queries.subjects import subject
    from parsing.queries.trend import format_trend, trend

    lib = _load(args.paths)
    for error in lib.errors:
        fail(error)
    try:
        t = trend(lib, find_department(lib, args.dept), subject(args.code, args.metric, args.measure))
    except ValueError as e:
        fail(e)
        return 2
    if args.json:
        out = {"department": t.department, "subject": t.subject.label, "unit": t.subject.unit, "missing": t.missing}
        dump({**out, "series": t.series.to_dicts()})
    else:
        say(format_trend(t))
    return 0 if t.series.height else 1


def _export_fdp(args: argparse.Namespace) -> int:
    """A Fiscal Data Package of the library, a department (--dept) or one filing (--dept --year)."""
    import polars as pl

    from parsing.queries.fdp import write_fdp
    from parsing.queries.lookup import find_department

    lib = _load(args.paths)
    for error in lib.errors:
        fail(error)
    docs = lib.documents
    try:
        if args.dept:
            docs = docs.filter(pl.col("department") == find_department(lib, args.dept))
        if args.year is not None:
            docs = docs.filter(pl.col("year") == args.year)
        path = write_fdp(lib, args.output, docs["doc_id"].to_list(), force=args.force)
    except (ValueError, OSError) as e:
        fail(e)
        return 1
    say(f"已导出 {docs.height} 份文件的数据包到 {display(path.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())


def _load(paths: list[Path]) -> Library:
    """The filings named (none: the seeds and the user's library)."""
    from parsing.library import Library

    return Library.load(paths or None)
