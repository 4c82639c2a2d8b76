"""A non-editable install works: the wheel carries the code, the stylesheet and the bundled seeds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_installed_wheel_parses_the_bundled_seeds(tmp_path):
    """Build the wheel, install it into a folder outside the checkout, and `yusuan parse --json`
    with no path prints the four seed filings — read from the installed copy, not the checkout."""
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", tmp_path / "dist", ROOT], check=True)
    wheel = next((tmp_path / "dist").glob("yusuan-*.whl"))
    site = tmp_path / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", site, wheel], check=True)
    code = (
        "import sys, parsing; from tui.cli import main; print(parsing.__file__, file=sys.stderr); "
        "sys.argv = ['yusuan', 'parse', '--json']; sys.exit(main())"
    )
    env = os.environ | {"PYTHONPATH": str(site), "YUSUAN_CACHE_DIR": str(tmp_path / "cache")}
    env["YUSUAN_DATA_DIR"] = str(tmp_path / "data")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stderr.splitlines()[0].startswith(str(site))
    parsed = json.loads(out.stdout)
    titles = {(d["year"], d["kind"], d["department"]) for d in parsed["documents"]}
    assert titles == {
        (2021, "绩效自评表", "深圳市龙岗区财政局"),
        (2022, "绩效自评表", "深圳市龙岗区财政局"),
        (2022, "部门预算", "深圳市龙岗区审计局"),
        (2023, "部门预算", "深圳市龙岗区审计局"),
    }
    audit = [r for r in parsed["projects"] if r["name"] == "审计业务" and r["budget_total"] == 155]
    assert audit, "2023 审计业务 = 155 万元 from the installed seeds"
    parsed_again = [p for p in (tmp_path / "cache").rglob("*.parquet") if "snapshots" not in p.parts]
    assert parsed_again == [], "the installed seeds' shipped parse was not used"
