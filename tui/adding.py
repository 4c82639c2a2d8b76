"""`yusuan add`: import filings into the library, parsed here, on a Dask cluster, into any store.

Its own module so that the command line's other commands stay readable; ``limit_options`` and
``limits`` are shared with `yusuan parse`.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from parsing.library import Library, discover
from parsing.paths import display
from parsing.store.ingest import add
from tui.output import fail, say
from tui.sanitise import sanitise


def add_command(sub: argparse._SubParsersAction) -> None:
    """The `add` subcommand's arguments."""
    add = sub.add_parser("add", help="把文件导入你的资料库", description="把文件导入你的资料库（并行解析、缓存）。")
    add.add_argument("paths", nargs="+", type=Path, help="文件或文件夹")
    add.add_argument("--workers", type=int, default=None, help="解析进程数（默认：每个 CPU 一个）")
    add.add_argument(
        "--cluster",
        metavar="tcp://HOST:8786",
        help="在 Dask 集群上解析（调度器地址；需要 pip install 'yusuan[cluster]'）",
    )
    add.add_argument(
        "--store",
        metavar="URL",
        help="解析结果的存储位置：本地文件夹或 fsspec URL（如 s3://桶/路径；默认：缓存文件夹；也可用 YUSUAN_STORE）",
    )
    limit_options(add)
    add.set_defaults(run=_add)


def limit_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--timeout", type=float, help="每个文件的解析时限，秒（默认 600；0 不限）")
    p.add_argument("--max-memory", type=int, metavar="MB", help="每个解析进程的内存上限，MB（默认 2048；0 不限）")


def limits(args: argparse.Namespace) -> None:
    """Pass --timeout / --max-memory to the parse workers through the environment they read."""
    if getattr(args, "timeout", None) is not None:
        os.environ["YUSUAN_PARSE_TIMEOUT"] = str(args.timeout)
    if getattr(args, "max_memory", None) is not None:
        os.environ["YUSUAN_PARSE_MEMORY_MB"] = str(args.max_memory)


def _add(args: argparse.Namespace) -> int:
    from rich.markup import escape
    from rich.progress import Progress  # the bar is the command line's, not the data layer's

    from parsing.store import remote
    from parsing.store.cluster import ClusterError

    limits(args)
    if args.store:
        os.environ["YUSUAN_STORE"] = args.store  # the workers and the library read it there
    if os.environ.get("YUSUAN_STORE"):
        try:  # a store that cannot be used is found before anything is read: one line
            remote.check()
        except remote.StoreError as e:
            fail(e)
            return 3
    files, errors = discover(args.paths)
    try:  # a cluster that cannot be used is found before anything is read: one line, nothing written
        with Progress(transient=True) as bar:
            task = bar.add_task("解析", total=len(files))
            stored, failed = add(
                files,
                workers=args.workers,
                cluster=args.cluster,
                progress=lambda n, _, path: bar.update(task, completed=n, description=escape(sanitise(path.name)[:30])),
            )
    except ClusterError as e:
        fail(e)
        return 3
    for error in errors + failed:
        fail(error)
    _ready()
    say(
        f"已导入 {len(stored)} 个文件到 {display(stored[0].parent) if stored else '资料库'}"
        + (f"，{len(errors) + len(failed)} 个失败" if errors or failed else "")
    )
    return 1 if errors or failed else 0


def _ready() -> None:
    """Leave the library ready to open: its catalogue and search index written now, not at start."""
    from parsing.queries.search import SearchIndex

    SearchIndex.open(Library.load())
