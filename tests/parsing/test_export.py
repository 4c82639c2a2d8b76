"""CSV and Parquet export: encoding, raw numbers, headers, formula safety, quoting, atomic and no-clobber."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from parsing import schema
from parsing.library import Library
from parsing.queries.compare import compare_budget
from parsing.queries.export import ExportError, filing_table, write_table
from parsing.queries.report import headers

BOM = b"\xef\xbb\xbf"


def _rows(path: Path, encoding: str = "utf-8-sig") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as f:
        return list(csv.reader(f))


@pytest.fixture
def table() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "code": ["2010804", "2010801"],
            "name": ["审计业务", "行政运行"],
            "amount": [190.0, 1812.5],
            "source_file": ["001.txt", "001.txt"],
            "source_line": [354, 355],
        }
    )


def test_bom_by_default(tmp_path, table):
    """The file starts with the UTF-8 BOM, so Excel and WPS read the Chinese correctly."""
    path = write_table(table, tmp_path / "t.csv")
    assert path.read_bytes().startswith(BOM + "科目编码".encode())


def test_plain_utf8_on_request(tmp_path, table):
    """encoding='utf-8' writes no BOM."""
    path = write_table(table, tmp_path / "t.csv", encoding="utf-8")
    assert path.read_bytes().startswith("科目编码".encode())


def test_numbers_are_raw(tmp_path):
    """190.0 is written 190, 1812.5 as 1812.5, 0.0001 without exponent, 3451 as 3451, a blank as empty."""
    df = pl.DataFrame({"amount": [190.0, 1812.5, 0.0001, None], "seq": [3451, 1, 2, 3]})
    rows = _rows(write_table(df, tmp_path / "t.csv"))
    assert rows[1:] == [["190", "3451"], ["1812.5", "1"], ["0.0001", "2"], ["", "3"]]


def test_headers_are_chinese_with_the_unit(tmp_path, table):
    """Columns with a label get it; amounts carry （万元）."""
    header = _rows(write_table(table, tmp_path / "t.csv"))[0]
    assert header == ["科目编码", "名称", "金额（万元）"]


def test_budget_columns_get_the_unit(tmp_path):
    """预算合计 and 实际合计 are headed 预算合计（万元） and 实际合计（万元）; 执行率 gets （%）."""
    df = pl.DataFrame({"budget_total": [37.18], "actual_total": [30.8], "exec_rate": [82.86]})
    assert _rows(write_table(df, tmp_path / "t.csv"))[0] == ["预算合计（万元）", "实际合计（万元）", "执行率（%）"]


def test_caller_labels_win(tmp_path):
    """A comparison names its sides: amount_a → 2022（万元）."""
    df = pl.DataFrame({"amount_a": [54.0], "amount_b": [155.0]})
    path = write_table(df, tmp_path / "t.csv", labels={"amount_a": "2022（万元）", "amount_b": "2023（万元）"})
    assert _rows(path) == [["2022（万元）", "2023（万元）"], ["54", "155"]]


def test_formula_text_is_neutralised(tmp_path):
    """Text starting with = + - @ tab or CR gets a leading apostrophe; numbers, even negative, do not."""
    df = pl.DataFrame(
        {
            "name": ["=SUM(A1:A9)", "+86 755", "-cmd", "@x", "\tx", "\rx", "审计业务"],
            "delta": [-5.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        }
    )
    rows = _rows(write_table(df, tmp_path / "t.csv"))[1:]
    assert [r[0] for r in rows] == ["'=SUM(A1:A9)", "'+86 755", "'-cmd", "'@x", "'\tx", "'\rx", "审计业务"]
    assert rows[0][1] == "-5"


def test_commas_quotes_and_newlines_round_trip(tmp_path):
    """A csv reader gets back exactly the cells written, commas, quotes and line breaks included."""
    tricky = ["3,451", 'the "三公" funds', "line one\nline two", "plain"]
    rows = _rows(write_table(pl.DataFrame({"name": tricky}), tmp_path / "t.csv"))
    assert [r[0] for r in rows[1:]] == tricky


def test_polars_reads_back_the_table(tmp_path, table):
    """Read back with Polars, the CSV holds the table's values under its Chinese headers."""
    path = write_table(table, tmp_path / "t.csv")
    back = pl.read_csv(path, schema_overrides={"科目编码": pl.String})
    assert back.rows() == table.select("code", "name", "amount").rows()


def test_provenance_only_on_request(tmp_path, table):
    """source_* columns are left out unless provenance=True, then headed 来源文件 / 行."""
    assert "来源文件" not in _rows(write_table(table, tmp_path / "a.csv"))[0]
    header = _rows(write_table(table, tmp_path / "b.csv", provenance=True))[0]
    assert header[-2:] == ["来源文件", "行"]


def test_refuses_to_overwrite(tmp_path, table):
    """An existing file raises FileExistsError and keeps its bytes."""
    path = tmp_path / "t.csv"
    path.write_bytes(b"precious")
    with pytest.raises(FileExistsError, match="--force"):
        write_table(table, path)
    assert path.read_bytes() == b"precious"


def test_force_overwrites(tmp_path, table):
    """force=True replaces an existing file."""
    path = tmp_path / "t.csv"
    path.write_bytes(b"old")
    write_table(table, path, force=True)
    assert _rows(path)[1][1] == "审计业务"


def test_no_temporary_file_is_left(tmp_path, table):
    """After a write and after a refused write the folder holds only the target."""
    path = write_table(table, tmp_path / "t.csv")
    with pytest.raises(FileExistsError):
        write_table(table, path)
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_failed_write_leaves_nothing(tmp_path):
    """A cell the encoding cannot hold fails the export with one line naming the target and the
    character: no file, no temporary file."""
    with pytest.raises(ExportError, match=r"t\.csv：编码 gbk 无法表示字符 '🧾'"):
        write_table(pl.DataFrame({"name": ["审计 🧾"]}), tmp_path / "t.csv", encoding="gbk")
    assert list(tmp_path.iterdir()) == []


def test_parquet_keeps_names_and_types(tmp_path, table):
    """A .parquet path writes Parquet with the frame's own columns (minus provenance) and types."""
    path = write_table(table, tmp_path / "t.parquet")
    assert pl.read_parquet(path).equals(table.drop("source_file", "source_line"))


def _audit_library() -> Library:
    docs = [
        {"doc_id": d, "kind": "部门预算", "year": y, "department": "深圳市龙岗区审计局"}
        for d, y in (("a", 2022), ("b", 2023))
    ]
    lines = [
        {
            "doc_id": d,
            "table_kind": "功能分类",
            "unit": "本级",
            "code": "2010804",
            "name": "审计业务",
            "measure": "支出总计",
            "amount": v,
            "row_no": 0,
            "source_file": f"{d}.pdf",
            "source_page": 9,
        }
        for d, v in (("a", 66.0), ("b", 190.0))
    ]
    return Library(documents=schema.frame("documents", docs), budget_lines=schema.frame("budget_lines", lines))


def test_filing_table_exports_one_table(tmp_path):
    """One filing's 功能分类 as tidy rows: 表号, 预算单位, 科目编码, 级次, 上级, 名称, 栏目, 金额（万元）."""
    df = filing_table(_audit_library(), "深圳市龙岗区审计局", 2023, "功能分类")
    assert _rows(write_table(df, tmp_path / "t.csv")) == [
        ["表号", "预算单位", "科目编码", "级次", "上级", "名称", "栏目", "金额（万元）"],
        ["", "本级", "2010804", "", "", "审计业务", "支出总计", "190"],
    ]


def test_filing_table_names_the_tables_it_has():
    """An absent table raises ValueError, in Chinese, listing the filing's tables."""
    with pytest.raises(ValueError, match="2023 年的文件中没有三公经费（现有：功能分类）"):
        filing_table(_audit_library(), "深圳市龙岗区审计局", 2023, "三公经费")


def test_names_printed_without_codes_get_their_level_from_the_amounts():
    """一般公共服务支出 12,868.19 = 社会工作事务 0.19 (= 其他社会工作事务支出 0.19) + 其他一般公共服务支出
    12,868 (= 其他一般公共服务支出 12,868): the name printed twice is a 款 and a 项, each with its parent."""
    printed = [
        ("一般公共服务支出", 12868.19),
        ("社会工作事务", 0.19),
        ("其他社会工作事务支出", 0.19),
        ("其他一般公共服务支出", 12868.0),
        ("其他一般公共服务支出", 12868.0),
    ]
    lines = [
        {"doc_id": "a", "table_kind": "功能分类", "table_no": "表5", "unit": "司法局", "name": n}
        | {"measure": "合计", "amount": v, "row_no": i, "row_kind": "line"}
        for i, (n, v) in enumerate(printed)
    ]
    docs = [{"doc_id": "a", "kind": "部门预算", "year": 2026, "department": "司法局"}]
    lib = Library(documents=schema.frame("documents", docs), budget_lines=schema.frame("budget_lines", lines))
    df = filing_table(lib, "司法局", 2026, "功能分类")
    assert df.select("level", "parent", "name").rows() == [
        ("类", None, "一般公共服务支出"),
        ("款", "一般公共服务支出", "社会工作事务"),
        ("项", "社会工作事务", "其他社会工作事务支出"),
        ("款", "一般公共服务支出", "其他一般公共服务支出"),
        ("项", "其他一般公共服务支出", "其他一般公共服务支出"),
    ]


def test_names_whose_amounts_do_not_add_up_keep_an_unknown_level():
    """类 10 over 款 4 and 项 4 (short by 6): no level is guessed."""
    lines = [
        {"doc_id": "a", "table_kind": "功能分类", "name": n, "measure": "合计", "amount": v, "row_no": i}
        | {"row_kind": "line"}
        for i, (n, v) in enumerate((("甲", 10.0), ("乙", 4.0), ("丙", 4.0)))
    ]
    docs = [{"doc_id": "a", "kind": "部门预算", "year": 2026, "department": "司法局"}]
    lib = Library(documents=schema.frame("documents", docs), budget_lines=schema.frame("budget_lines", lines))
    assert filing_table(lib, "司法局", 2026, "功能分类")["level"].to_list() == [None, None, None]


def test_comparison_reads_back_equal(tmp_path):
    """An exported comparison, read back with Polars, holds the compared values under year headers."""
    df = compare_budget(_audit_library(), "深圳市龙岗区审计局", 2022, 2023)
    path = write_table(df, tmp_path / "c.csv", labels=headers("2022", "2023"))
    back = pl.read_csv(path, schema_overrides={"科目编码": pl.String})
    assert back.columns[5:8] == ["栏目", "2022（万元）", "2023（万元）"]
    assert back.rows() == df.rows()
