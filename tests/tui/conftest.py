"""Fixtures for the browser's tests: a tiny hand-made library, the seeds, and the screen as text."""

from __future__ import annotations

import pytest
from textual.app import App

from parsing.library import Library
from parsing.schema import frame

MARKUP = "[bold red]警告[/]"


def _src(doc: str, line: int, table: str) -> dict:
    return {"doc_id": doc, "source_file": f"{doc}.txt", "source_line": line, "source_table": table}


def tiny() -> Library:
    """Two filings: a 自评表 with a markup-named project, and a 部门预算 with a 功能分类 table."""
    se, bu = "selfeval00000000", "budget0000000000"
    docs = frame(
        "documents",
        [
            {
                "doc_id": se,
                "file": "a.txt",
                "kind": "绩效自评表",
                "year": 2021,
                "department": "测试区财政局",
                "title": "2021年度测试区财政局预算项目绩效自评表",
            },
            {
                "doc_id": bu,
                "file": "b.txt",
                "kind": "部门预算",
                "year": 2023,
                "department": "测试区审计局",
                "title": "2023年测试区审计局部门预算",
            },
        ],
    )
    table = "自评表"
    project = {"doc_id": se, "row_kind": "project", "source_unit": "万元", **_src(se, 14, table)}
    projects = frame(
        "projects",
        [
            {
                **project,
                "project_id": f"{se}:0",
                "unit": "测试区财政局（本级）",
                "seq": 1,
                "name": "办公楼修缮",
                "budget_total": 37.18,
                "budget_gpb": 37.18,
                "actual_total": 30.8,
                "actual_gpb": 30.8,
                "exec_rate": 82.86,
                "goal": "对办公大楼进行日常检修",
                "outcome": "完成",
                "problems": "无",
            },
            {
                **project,
                "project_id": f"{se}:1",
                "unit": "测试区财政局（本级）",
                "seq": 2,
                "name": MARKUP,
                "budget_total": 10.0,
                "actual_total": 5.0,
                "exec_rate": 50.0,
                "goal": f"{MARKUP}目标\x1b[31m红\x07",
                "source_line": 15,
            },
            {
                **project,
                "project_id": f"{se}:2",
                "unit": "测试区财政评审中心",
                "seq": 1,
                "name": "评审",
                "budget_total": 100.0,
                "actual_total": 120.0,
                "exec_rate": 120.0,
                "source_line": 16,
            },
        ],
    )
    ind = {"doc_id": se, "project_id": f"{se}:0", "unit": "测试区财政局（本级）", **_src(se, 14, table)}
    indicators = frame(
        "indicators",
        [
            {
                **ind,
                "level1": "产出",
                "level2": "质量",
                "indicator": "修缮验收合格率",
                "target": "修缮验收合格率",
                "outcome": "验收合格率100%",
                "not_applicable": False,
                "verdict": "met",
            },
            {
                **ind,
                "level1": "产出",
                "level2": "数量",
                "indicator": "年度修缮次数",
                "target": "年度修缮次数",
                "outcome": "4次",
                "not_applicable": False,
                "verdict": "missed",
            },
            {
                **ind,
                "level1": "效益",
                "level2": "生态效益",
                "indicator": "不适用",
                "target": "不适用",
                "outcome": "不适用",
                "not_applicable": True,
                "verdict": "na",
            },
        ],
    )
    t7 = "表7 一般公共预算支出表（按功能分类）"
    lines = []
    rows = [
        ("total", None, None, None, "测试区审计局", (3451, 3234, 217)),
        ("unit_total", None, None, None, "测试区审计局本级", (3451, 3234, 217)),
        ("line", "201", 1, None, "一般公共服务支出", (2165, 1949, 217)),
        ("line", "20108", 2, "201", "审计事务", (2165, 1949, 217)),
        ("line", "2010801", 3, "20108", "行政运行", (1812, 1812, 0)),
        ("line", "2010804", 3, "20108", "审计业务", (190, 0, 190)),
        ("line", "208", 1, None, MARKUP, (351, 351, 0)),
    ]
    for n, (kind, code, level, parent, name, amounts) in enumerate(rows):
        for measure, amount in zip(("支出总计", "基本支出", "项目支出"), amounts, strict=False):
            lines.append(
                {
                    "doc_id": bu,
                    "table_no": "表7",
                    "table_kind": "功能分类",
                    "classification": "function",
                    "unit": "测试区审计局本级",
                    "row_no": n,
                    "row_kind": kind,
                    "code": code,
                    "level": level,
                    "parent": parent,
                    "name": name,
                    "measure": measure,
                    "amount": float(amount),
                    "amount_text": str(amount),
                    "source_unit": "万元",
                    **_src(bu, 350 + n, t7),
                }
            )
    sections = frame(
        "sections",
        [
            {
                "part_no": 1,
                "part": "第一部分",
                "heading": "部门概况",
                "text": f"主要职能。{MARKUP}\n第二段。",
                **_src(bu, 36, ""),
            },
        ],
    )
    notes = frame("notes", [{"kind": "footnote", "detail": "注：本表尾数误差为四舍五入所致", **_src(bu, 360, t7)}])
    return Library(
        documents=docs,
        projects=projects,
        indicators=indicators,
        budget_lines=frame("budget_lines", lines),
        sections=sections,
        notes=notes,
    )


@pytest.fixture
def tiny_library() -> Library:
    return tiny()


@pytest.fixture
def seed_library():
    """The bundled seeds, loaded as the app loads them."""
    return Library.load()


def screen_text(app: App) -> str:
    """What the terminal shows, as plain lines."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def walk(pilot, *labels: str) -> None:
    """Move through the tree with the keyboard: to the node whose label contains each label in turn,
    pressing Enter between levels (which expands and steps into the first child)."""
    from tui.widgets.filing_tree import FilingTree

    tree = pilot.app.screen.query_one(FilingTree)
    await pilot.pause()
    for depth, label in enumerate(labels):
        node = tree.cursor_node
        siblings = node.parent.children if node is not None and node.parent is not None else tree.root.children
        target = next((n for n in siblings if label in n.label.plain), None)
        assert target is not None, f"{label!r} not among {[n.label.plain for n in siblings]}"
        delta = target.line - tree.cursor_line
        await pilot.press(*(["j"] * delta if delta > 0 else ["k"] * -delta))
        assert tree.cursor_node is target
        if depth < len(labels) - 1:
            await pilot.press("enter")
    await pilot.pause()
