"""`yusuan peers`, `yusuan trend` and `yusuan export --format fdp` as an analyst runs them."""

from __future__ import annotations

import json

import frictionless

from tests.conftest import SEEDS
from tui.cli import main


def test_peers_prints_the_ranking_with_last_year(capsys):
    """2010804 in 2023: 审计局 ranked 1st with 190, 66 the year before, +124 (+187.88%)."""
    assert main(["peers", "--code", "2010804", "--year", "2023", str(SEEDS)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "2010804 审计业务 · 预算数 · 2023年 · 单位：万元"
    line = next(line for line in out.splitlines() if line.endswith("深圳市龙岗区审计局"))
    assert line.split() == ["1", "190", "5.51%", "66", "+124", "187.88%", "=", "深圳市龙岗区审计局"]
    assert "深圳市龙岗区财政局（无该年文件）" in out


def test_peers_metric_as_json(capsys):
    """--metric 三公 --json: 审计局's 2023 三公 is 26.5, unchanged from 2022."""
    assert main(["peers", "--metric", "三公", "--year", "2023", "--json", str(SEEDS)]) == 0
    rows = {r["department"]: r for r in json.loads(capsys.readouterr().out)}
    assert (rows["深圳市龙岗区审计局"]["amount"], rows["深圳市龙岗区审计局"]["delta"]) == (26.5, 0.0)


def test_peers_with_an_unknown_metric_says_so(capsys):
    """An unknown metric: one line naming the metrics there are, exit 2."""
    assert main(["peers", "--metric", "奖金", "--year", "2023", str(SEEDS)]) == 2
    assert capsys.readouterr().err.strip() == "yusuan: 没有“奖金”这一指标（可用：三公、项目支出占比、执行率、人均）"


def test_trend_prints_each_year(capsys):
    """审计局 30227 委托业务费: 2022 70, 2023 193 (+123)."""
    assert main(["trend", "--dept", "审计局", "--code", "30227", str(SEEDS)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2].split()[:2] == ["2022", "70"]
    assert lines[3].split()[:3] == ["2023", "193", "+123"]


def test_export_fdp_writes_a_valid_package(tmp_path, capsys):
    """export --format fdp -o DIR: datapackage.json and budget.csv that Frictionless accepts."""
    assert main(["export", "--format", "fdp", "--dept", "审计局", "-o", str(tmp_path / "pkg"), str(SEEDS)]) == 0
    assert "已导出 2 份文件的数据包" in capsys.readouterr().out
    assert frictionless.validate(str(tmp_path / "pkg" / "datapackage.json")).valid


def test_peers_names_an_unreadable_file_and_ranks_the_rest(tmp_path, capsys):
    """An empty file among the paths: one stderr line naming it; 审计局 still ranked with 190."""
    bad = tmp_path / "broken.txt"
    bad.write_text("")
    assert main(["peers", "--code", "2010804", "--year", "2023", str(SEEDS), str(bad)]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("yusuan: ") and "broken.txt" in captured.err
    assert len(captured.err.strip().splitlines()) == 1
    assert any(line.split()[:2] == ["1", "190"] for line in captured.out.splitlines())
