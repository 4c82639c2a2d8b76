"""Save SVG screenshots of the main views, made from the real app on the bundled seeds.

.venv/bin/python scripts/screenshots.py      # writes screenshots/*.svg
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from parsing.library import Library
from parsing.paths import seeds_dir
from tui.app import YusuanApp
from tui.widgets.filing_tree import FilingTree

OUT = Path(__file__).resolve().parents[1] / "screenshots"


async def _walk(pilot, *labels: str) -> None:
    """Down the tree to each label in turn, Enter between levels (as a reader would)."""
    tree = pilot.app.screen.query_one(FilingTree)
    for n, label in enumerate(labels):
        for _ in range(200):
            node = tree.cursor_node
            if node is not None and label in node.label.plain:
                break
            await pilot.press("down")
        if n < len(labels) - 1:
            await pilot.press("enter")
    await pilot.pause()


async def shoot(name: str, size: tuple[int, int], keys, *path: str) -> None:
    app = YusuanApp(Library.load([seeds_dir()]))
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        if path:
            await _walk(pilot, *path)
        for key in keys:
            if key == "wait":  # let background work (index, checks) finish
                await app.workers.wait_for_complete()
            else:
                await pilot.press(key)
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        app.save_screenshot(str(OUT / f"{name}.svg"))
        print(OUT / f"{name}.svg")


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    for size, tag in (((80, 24), "80x24"), ((120, 36), "120x36")):
        await shoot(f"card-{tag}", size, [], "深圳市龙岗区审计局")
        await shoot(f"project-{tag}", size, [], "深圳市龙岗区财政局", "2021 绩效自评表", "财政局（本级）", "办公楼修缮")
        await shoot(f"table-{tag}", size, ["enter", "enter", "down"], "深圳市龙岗区审计局", "2023 部门预算", "功能分类")
        await shoot(f"compare-{tag}", size, ["c", "t"], "深圳市龙岗区审计局")
        await shoot(f"search-{tag}", size, ["slash", "wait", *"sjyw"])
        await shoot(
            f"findings-{tag}",
            size,
            ["wait", "enter", "down", "down", "down", "down"],
            "深圳市龙岗区财政局",
            "2021 绩效自评表",
        )


if __name__ == "__main__":
    asyncio.run(main())
