"""What the narrative rules share: the filing's text as clauses, amounts quoted in them, and the
table figure a quoted subject names (收入总计, 基本支出, 三公经费, a 功能分类 类 or 项 …).

A subject is looked up by what the table rows say (their names and column labels), never by a
table's number or page, so the same words find the same figure in any district's layout.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import polars as pl

from parsing.library import Library
from parsing.schema import Row

NUM = r"(-?\d[\d,]*(?:\.\d+)?)"
AMOUNT = re.compile(rf"{NUM}\s*(万元|亿元|元)")
KINDS = ("部门预算", "单位预算", "部门决算")


@dataclass(frozen=True)
class Clause:
    """A clause of a filing's narrative with where it was printed."""

    doc: Row  # documents row (doc_id, year, department, kind)
    section: Row  # sections row: part, heading, source_* (where the section starts)
    text: str  # whitespace removed
    paragraph: str  # the paragraph it belongs to, whitespace removed
    offset: int = 0  # where the clause starts in the section's text, whitespace removed

    @property
    def at(self) -> Row:
        """The section row pointed at the clause's own page and line: what a finding cites."""
        return line_at(self.section, self.offset)

    def place(self, position: int) -> Row:
        """The section row pointed at the page and line of character ``position`` of the clause
        (a paragraph wrapped over a page break prints its amount on the next page)."""
        return line_at(self.section, self.offset + len(re.sub(r"\s+", "", self.text[:position])))


def line_at(section: Row, offset: int, flat: str | None = None) -> Row:
    """``section`` with source_page / source_line of the line holding character ``offset`` of
    its text with whitespace removed (or of ``flat``, a copy of the text, when given)."""
    if flat is not None:
        offset = len(re.sub(r"\s+", "", flat[:offset]))
    pages, numbers = section.get("line_pages") or [], section.get("line_numbers") or []
    end = 0
    for i, line in enumerate((section.get("text") or "").split("\n")):
        end += len(re.sub(r"\s+", "", line))
        if offset < end:
            if i < len(pages) and pages[i] is not None:
                return section | {"source_page": pages[i], "source_line": numbers[i] if i < len(numbers) else None}
            break
    return section


def texts(lib: Library, kinds: tuple[str, ...] = KINDS) -> pl.DataFrame:
    """Sections of budget and 决算 filings (with the cover and 目录), joined to their document."""
    docs = lib.documents.filter(pl.col("kind").is_in(kinds)).select("doc_id", "year", "department", "kind")
    return lib.sections.join(docs, on="doc_id").with_columns(
        pl.col("text").fill_null("").str.replace_all(r"[ \t\u3000]+", "").alias("flat")
    )


def paragraphs(text: str) -> list[str]:
    """Paragraphs: lines rejoined where a PDF wrapped them (a line that does not end a sentence
    goes on in the next)."""
    return [p for _, p in _paragraphs_at(text)]


def _paragraphs_at(text: str) -> list[tuple[int, str]]:
    """(where it starts in the text with whitespace removed, paragraph) of each paragraph."""
    out: list[tuple[int, str]] = []
    at = 0
    for line in text.split("\n"):
        line = line.strip()
        start, at = at, at + len(re.sub(r"\s+", "", line))
        if not line:
            continue
        if (
            out
            and not re.search(r"[。；;：:！？]$", out[-1][1])
            and not re.match(r"^[（(]?[一二三四五六七八九十\d]+[、.．)）](?!\d)", line)  # not a wrapped 92.2%
        ):
            out[-1] = (out[-1][0], out[-1][1] + line)
        else:
            out.append((start, line))
    return out


def clauses(lib: Library, kinds: tuple[str, ...] = KINDS) -> Iterator[Clause]:
    """Every clause (split at 。；) of every narrative section, with its paragraph."""
    for r in texts(lib, kinds).iter_rows(named=True):
        doc = {k: r[k] for k in ("doc_id", "year", "department", "kind")}
        for start, para in _paragraphs_at(r["flat"]):
            at = 0
            for sentence in re.split(r"(?<=[。；;])", para):
                if sentence:
                    yield Clause(doc, r, sentence, para, start + len(re.sub(r"\s+", "", para[:at])))
                at += len(sentence)


def to_wan(number: str, unit: str) -> float:
    """A quoted amount in 万元."""
    value = float(number.replace(",", ""))
    return value * {"元": 1e-4, "亿元": 1e4}.get(unit, 1.0)


#: What a paragraph says its figures are of, in the order it says it: the last 口径 named before
#: a subject is the subject's. A whole-department total (收入预算, 支出总计 …) returns to 全部资金.
_CALIBER = re.compile(
    r"(?P<gp>一般公共预算(?:财政)?拨款(?:收入|支出|收支)*(?:总计|合计|预算)?)"
    r"|(?P<fund>(?:政府性基金|国有资本经营)(?:预算)?(?:财政)?拨款(?:收入|支出|收支)*(?:总计|合计|预算)?)"
    r"|(?P<grant>财政拨款(?:收入|支出|收支)*(?:总计|合计|预算)?)"
    r"|(?P<all>(?:收入|支出)预算(?!数)|(?:收入|支出|收支)总计|本年(?:收入|支出)合计|收支总预算|部门预算收入|部门预算支出)"
)
CALIBERS = {"all": "全部资金", "gp": "一般公共预算财政拨款", "grant": "财政拨款", "fund": "政府性基金等财政拨款"}


def caliber(prefix: str) -> str:
    """The 口径 of a subject from the text before it in its paragraph: "all" (全部资金, the
    default), "gp" (一般公共预算财政拨款), "grant" (财政拨款, not saying which budget) or "fund"
    (政府性基金 / 国有资本经营预算拨款)."""
    found = "all"
    for m in _CALIBER.finditer(prefix):
        found = m.lastgroup or found
    return found


# --- table lookups -------------------------------------------------------------------------


def _first_of(rows: pl.DataFrame, year: int | None = None) -> Row | None:
    """The first printed row; where the columns are years (2022年 | 2023年), the filing's own."""
    rows = rows.filter(pl.col("amount").is_not_null())
    dated = rows.filter(pl.col("measure").fill_null("").str.contains(r"20\d\d"))
    if year is not None and dated.height:
        rows = dated.filter(pl.col("measure").str.contains(str(year)))
    return rows.sort("source_page", "row_no", nulls_last=True).row(0, named=True) if rows.height else None


def _lines(lib: Library, doc_id: str) -> pl.DataFrame:
    return lib.budget_lines.filter(pl.col("doc_id") == doc_id)


def _name(pattern: str) -> pl.Expr:
    return pl.col("name").fill_null("").str.replace_all(r"\s+", "").str.contains(pattern)


def _measure(pattern: str) -> pl.Expr:
    return pl.col("measure").fill_null("").str.contains(pattern)


def lookup(lines: pl.DataFrame, subject: str, final: bool, year: int | None = None, scope: str = "all") -> Row | None:
    """The table row a narrative subject names (its printed amount), or None when the filing's
    tables do not print it; ``final`` picks 决算数 over 预算数 where a table prints both.

    ``scope`` is the 口径 the paragraph gives (``caliber``): 基本支出 / 项目支出 of 全部资金 are the
    支出总表's columns, of 一般公共预算 (or 财政拨款) the 功能分类 table's; of 政府性基金 no
    table here prints them, so they are not looked up."""

    def _first(rows: pl.DataFrame) -> Row | None:
        return _first_of(rows, year)

    total = pl.col("row_kind").is_in(["total", "unit_total"]) & pl.col("code").is_null()
    summary = lines.filter(pl.col("table_kind") == "收支总表")
    grant = lines.filter(pl.col("table_kind") == "财政拨款收支总表")
    income = lines.filter(pl.col("table_kind") == "收入总表", total)
    spend = lines.filter(pl.col("table_kind") == "支出总表", total)
    function = lines.filter(pl.col("table_kind") == "功能分类")
    # 三公经费预（决）算数 heads the figures of either kind of filing (Changsha's template)
    either = r"|预[（(]决[)）]算"
    sangong = lines.filter(
        pl.col("table_kind") == "三公经费", _measure(("决算" if final else "预算") + either) | ~_measure("算")
    )
    basic = lines.filter(pl.col("table_kind").is_in(["经济分类", "基本支出"]))
    s = subject
    if re.search(r"财政拨款收入支出总计|财政拨款收支总计", s):
        return _first(grant.filter(_name("^总计$|收入总计"), pl.col("side") == "income"))
    if re.search(r"^财政拨款支出", s):
        return _first(
            grant.filter(
                _name("^总计$|支出总计"), pl.col("side") == "expenditure", _measure("^合计$|预算数|决算数|^总计$")
            )
        )
    if re.search(r"收入支出总计|收支总计|收入总计|收支总预算", s) or s == "收入预算":
        return _grand(summary, "income", year)
    if re.search(r"^支出总计|支出预算总计", s) or s == "支出预算":
        return _grand(summary, "expenditure", year)
    if re.search(r"本年收入合计", s):
        return _first(income.filter(_measure("^合计$|本年收入合计"))) or _first(summary.filter(_name("本年收入合计")))
    if re.search(r"本年支出合计", s):
        return _first(spend.filter(_measure("^合计$|本年支出合计"))) or _first(summary.filter(_name("本年支出合计")))
    if re.search(r"^财政拨款收入$", s):
        return _first(income.filter(_measure("^财政拨款"))) or _first(summary.filter(_name("财政拨款收入")))
    if re.search(r"一般公共预算(财政)?拨款支出", s):
        return _first(function.filter(total, _measure("^合计$|^总计$|支出总计|小计")))
    if re.search(r"一般公共预算财政拨款基本支出", s):
        return _first(function.filter(total, _measure("^基本支出")))
    if re.search(r"^(基本|项目)支出", s) and scope == "fund":
        return None
    if re.search(r"^(基本|项目)支出", s) and scope != "all":
        return _first(function.filter(total, _measure("^" + s[:4])))
    if re.search(r"^基本支出", s):
        return _first(spend.filter(_measure("^基本支出")))
    if re.search(r"^项目支出", s):
        return _first(spend.filter(_measure("^项目支出")))
    if re.search(r"^(人员|公用)经费$", s):
        return (
            _first(basic.filter(_name(f"^{s}合计$")))
            or _first(basic.filter(pl.col("code").is_null(), total, _measure("^" + s)))
            or by_class(basic, s, _first(spend.filter(_measure("^基本支出"))) if scope == "all" else None)
        )
    if re.search(r"三公.?经费", s):
        return _first(sangong.filter(_name("^(合计|总计)$|三公")))
    if re.search(r"因公出国", s):
        return _first(sangong.filter(_name("因公出国")))
    if re.search(r"公务用车购置及运行", s):
        return _first(sangong.filter(_name("小计|公务用车购置及运行(维护)?费?$")))
    if re.search(r"公务用车购置费?$", s):
        return _first(sangong.filter(_name("购置费?$"), ~_name("运行")))
    if re.search(r"公务用车运行(维护)?费$", s):
        return _first(sangong.filter(_name("运行(维护)?费$"), ~_name("购置及")))
    if re.search(r"公务接待", s):
        return _first(sangong.filter(_name("公务接待")))
    if re.search(r"机关运行经费", s):
        return _first(lines.filter(_name("机关运行经费"), pl.col("code").is_null()))
    return None


def _grand(summary: pl.DataFrame, side: str, year: int | None) -> Row | None:
    """The 收支总表's grand total of one side: the row named 总计 (收入总计, 支出总计), else the
    side's last total row (收入合计 printed after 上年结转结余 is the grand total there)."""
    rows = summary.filter(pl.col("side") == side)
    named = _first_of(rows.filter(_name("^总计$|收入总计|支出总计")), year)
    if named is not None:
        return named
    totals = rows.filter(pl.col("row_kind") == "total", pl.col("amount").is_not_null())
    last = totals.filter(pl.col("row_no") == pl.col("row_no").max().over("source_table"))
    return _first_of(last, year)


#: 经济分类 类 of 人员经费: 工资福利支出, 对个人和家庭的补助; 公用经费 is 基本支出's other 类.
PERSONNEL_CLASSES = ("301", "303")


def by_class(basic: pl.DataFrame, subject: str, whole: Row | None = None) -> Row | None:
    """人员经费 / 公用经费 where no table prints them: the 基本支出 column of the 经济分类 (or a
    table of 基本支出 only, its total column) summed over its 类 — 301 + 303 for 人员经费, the
    other 类 for 公用经费. ``whole``, the 支出总表's 基本支出 (全部资金), must equal the column's
    total: else the 经济分类 table is of another 口径 and nothing is derived. The row carries the
    parts' summed rounding as its ``step``."""
    classes = basic.filter(pl.col("code").str.len_chars() == 3, pl.col("amount").is_not_null())
    column = classes.filter(_measure("^基本支出$"))
    if column.is_empty():
        column = classes.filter(
            pl.col("source_table").fill_null("").str.contains("基本支出"), _measure("^合计$|^总计$|^小计$|支出总计")
        )
    if column.is_empty() or column["unit"].n_unique() > 1:
        return None  # a table split by 预算单位: its 类 rows are each unit's, not the department's
    first = column.sort("source_page", "row_no", nulls_last=True).row(0, named=True)
    column = column.filter(pl.col("source_table") == first["source_table"], pl.col("measure") == first["measure"])
    column = column.unique(["code"], keep="first", maintain_order=True).with_columns(
        pl.col("amount_text").fill_null("").str.extract(r"\.(\d+)$").str.len_chars().fill_null(0).alias("_d")
    )
    scale = 1e-4 if first.get("source_unit") == "元" else 1.0
    if (
        whole is not None
        and abs(column["amount"].sum() - whole["amount"]) > sum(10.0**-d for d in column["_d"]) * scale
    ):
        return None
    personnel = pl.col("code").is_in(PERSONNEL_CLASSES)
    parts = column.filter(personnel if subject == "人员经费" else ~personnel)
    if parts.is_empty():
        return None
    amount = float(parts["amount"].sum())
    return first | {
        "code": None,
        "name": f"{subject}（{'+'.join(parts['code'].to_list())}）",
        "amount": amount,
        "step": float(sum(10.0**-d for d in parts["_d"])) * scale,
    }


def classified(lines: pl.DataFrame, names: list[str]) -> Row | None:
    """The 功能分类 row named by a chain "类 款 项" (each as printed before （类）（款）（项）),
    its total column; the chain disambiguates 行政运行 under one 款 from another."""
    function = lines.filter(pl.col("table_kind") == "功能分类", pl.col("code").is_not_null())
    if function.is_empty():
        return None
    rows = function.with_columns(pl.col("name").fill_null("").str.replace_all(r"\s+", "").alias("_n"))
    by_code: dict[str, str] = {}
    for r in rows.iter_rows(named=True):
        by_code.setdefault(r["code"], r["_n"])
    level = len(names)
    candidates = [
        c
        for c, n in by_code.items()
        if len(c) == {1: 3, 2: 5, 3: 7}.get(level, 0)
        and n == names[-1]
        and all(by_code.get(c[: 3 + 2 * i]) in (None, names[i]) for i in range(level - 1))
    ]
    if len(candidates) != 1:
        return None
    first = rows.filter(pl.col("code") == candidates[0], pl.col("amount").is_not_null())
    total = _measure("^合计$|^总计$|支出总计|决算数|小计")
    if rows.filter(total, pl.col("amount").is_not_null()).height:
        # The table has a total column: a row left blank there is not compared with another
        # column's figure (last year's 执行数 printed beside a blank 预算数).
        first = first.filter(total)
    return _first_of(first)
