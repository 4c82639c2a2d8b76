"""`yusuan parse` as an analyst runs it."""

from __future__ import annotations

import json
import shutil

from tests.conftest import SEEDS
from tui.cli import main


def test_parse_summarises_each_filing(capsys):
    """The summary names kind, year, department, units and counts."""
    assert main(["parse", str(SEEDS / "000_533ecde84f1547da.txt"), str(SEEDS / "001_49341d35398c12a1.txt")]) == 0
    out = capsys.readouterr().out
    assert "绩效自评表 · 2021年 · 深圳市龙岗区财政局" in out
    assert "项目 22 · 小计/合计 2" in out
    assert "部门预算 · 2023年 · 深圳市龙岗区审计局" in out
    assert "表7 功能分类" in out


def test_parse_json_is_one_object_of_tables(capsys):
    """--json prints table name → records."""
    assert main(["parse", str(SEEDS / "001_49341d35398c12a1.txt"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"documents", "projects", "indicators", "budget_lines", "sections"} <= data.keys()
    assert data["documents"][0]["year"] == 2023


def test_parse_reports_a_bad_file_and_goes_on(tmp_path, capsys):
    """A missing or unreadable file: one stderr line naming it, exit 1, the others still printed."""
    bad = tmp_path / "broken.txt"
    bad.write_text("")
    assert main(["parse", str(bad), str(SEEDS / "000_533ecde84f1547da.txt")]) == 1
    captured = capsys.readouterr()
    assert captured.err.strip() == f"yusuan: {bad}: 空文件"
    assert "深圳市龙岗区财政局" in captured.out


def test_search_prints_hits_with_their_source(capsys):
    """`yusuan search sjyw` finds 审计业务 by its pinyin initials."""
    assert main(["search", "sjyw", str(SEEDS)]) == 0
    assert "审计业务" in capsys.readouterr().out


def test_search_without_hits_says_so_on_stderr(capsys):
    """`yusuan search 2010108` with no hit: nothing on stdout, one Chinese line on stderr, exit 1."""
    assert main(["search", "2010108", str(SEEDS / "001_49341d35398c12a1.txt")]) == 1
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "没有找到“2010108”（已查 1 份文件）\n")


def test_compare_shows_the_change(capsys):
    """`yusuan compare --dept 审计局 --years 2022 2023` shows 审计业务 54 → 155."""
    assert main(["compare", "--dept", "审计局", "--years", "2022", "2023", str(SEEDS)]) == 0
    out = capsys.readouterr().out
    assert "审计业务" in out and "54" in out and "155" in out and "+101" in out


def test_export_refuses_to_overwrite(tmp_path, capsys):
    """Without --force an existing file is left as it was and the exit status is 1."""
    target = tmp_path / "t7.csv"
    target.write_text("keep", encoding="utf-8")
    args = ["export", "--dept", "审计局", "--year", "2023", "--table", "功能分类", "-o", str(target), str(SEEDS)]
    assert main(args) == 1
    assert target.read_text(encoding="utf-8") == "keep"
    assert main([*args, "--force"]) == 0
    text = target.read_text(encoding="utf-8-sig")
    assert "2010804" in text and "190" in text


def test_check_lists_findings_and_exits_1_on_errors(capsys):
    """`yusuan check` on the seeds prints the findings and exits 1 (they hold real errors)."""
    assert main(["check", str(SEEDS)]) == 1
    out = capsys.readouterr().out
    assert "✗ V-SE-SUB" in out and "评审中心小计" in out and "≈ V-HIER" in out


def test_check_exits_2_when_a_file_cannot_be_read(tmp_path):
    """An unreadable file makes the exit status 2."""
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    assert main(["check", str(tmp_path)]) == 2


def test_notes_beside_the_filings_are_not_filings(tmp_path, capsys):
    """A folder of filings with the collector's SOURCES.md: check reads the filings, says nothing
    of the notes, and exits 1 for the seed's real errors (not 2 for an unreadable file)."""
    shutil.copy(SEEDS / "001_49341d35398c12a1.txt", tmp_path)
    (tmp_path / "SOURCES.md").write_text("# 来源\n2024 部门预算 from the district's site\n", encoding="utf-8")
    assert main(["check", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "SOURCES.md" not in captured.out + captured.err


def test_compare_refuses_one_year_twice(capsys):
    """`compare --years 2023 2023` is one Chinese line and exit 2, not a comparison of a year with itself."""
    assert main(["compare", str(SEEDS), "--dept", "审计局", "--years", "2023", "2023"]) == 2
    err = capsys.readouterr().err
    assert "两个不同的年度" in err and "Traceback" not in err
