"""Search: everything searchable is precomputed once into one frame, so a keystroke is a column scan.

``SearchIndex.build`` folds every text (full/half width, case, spaces) and spells every short label
(≤ 32 characters: names, codes' names, indicators) in pinyin, full and initials, once; paragraphs get
no pinyin, because the initials of a page of prose contain nearly any letter run. Printed amounts
live in a second, long frame (one row per cell) so that ``>100`` compares numbers, not text. A query
is then a few ``str.contains(literal=True)`` / comparisons over whole columns; Python touches only
the ≤ ``limit`` hits returned, to place the highlight.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import polars as pl
from pypinyin import lazy_pinyin

from parsing.library import Library
from parsing.normalize import fold
from parsing.numbers import format_amount

#: Labels up to this many characters get pinyin columns; longer text is prose.
PINYIN_MAX_CHARS = 32

#: Columns of the index (and, minus key and pinyin, of the hits).
COLUMNS: dict[str, pl.DataType] = {
    "id": pl.UInt32(),
    "kind": pl.String(),  # department | unit | project | budget_line | indicator | section
    "field": pl.String(),  # the column the text comes from: name, code, goal, target, text …
    "weight": pl.Int8(),  # 0 project names … 5 prose: ranks kinds within one match tier
    "year": pl.Int32(),
    "department": pl.String(),
    "doc_id": pl.String(),
    "where": pl.String(),  # "2023 · 深圳市龙岗区审计局 · 表7 功能分类 · 科目名称"
    "text": pl.String(),  # as printed; match offsets point into it
    "key": pl.String(),  # fold(text)
    "py_initials": pl.String(),  # "sjyw" for 审计业务; null for prose
    "py_full": pl.String(),  # "shenjiyewu"; null for prose
    "code": pl.String(),
    "amount": pl.Float64(),  # 万元: the headline amount of the row (支出总计, 预算合计 …)
    "measure": pl.String(),  # which column ``amount`` is
    "unit": pl.String(),
    "target": pl.String(),  # the Library frame to jump to: projects, budget_lines, sections …
    "row": pl.UInt32(),  # row number in that frame (of this Library)
    "project_id": pl.String(),
    "table_kind": pl.String(),
    "table_no": pl.String(),
    "part_no": pl.Int32(),
    "length": pl.UInt32(),  # len(text): shorter texts rank first among equal matches
}
_INTERNAL = ("key", "py_initials", "py_full", "weight", "length")
HIT_COLUMNS: dict[str, pl.DataType] = {
    **{c: t for c, t in COLUMNS.items() if c not in _INTERNAL},
    "match": pl.String(),  # exact | prefix | substring | pinyin | initials | code | amount
    "start": pl.Int32(),  # match offsets in ``text``; null when the match is on code or amount
    "end": pl.Int32(),
}

_AMOUNT_QUERY = re.compile(r"^(>=|<=|=|>|<|≥|≤)(-?\d+(?:\.\d+)?)(亿元|万元|元|亿|万)?$")
_POWER_OF_WANYUAN = {"亿元": 4, "亿": 4, "万元": 0, "万": 0, "元": -4, None: 0}  # 1 亿元 = 10⁴ 万元
_LETTERS = re.compile(r"^[a-z]+$")
_DIGITS = re.compile(r"^\d+$")
_PROJECT_PROSE = {"goal": "年度目标", "outcome": "完成情况", "problems": "存在问题", "rectification": "整改情况"}
_PROJECT_AMOUNTS = {
    "budget_total": "预算合计",
    "budget_gpb": "预算·一般公共预算",
    "budget_fund": "预算·政府性基金",
    "budget_nonfiscal": "预算·非财政资金",
    "actual_total": "实际合计",
    "actual_gpb": "实际·一般公共预算",
    "actual_fund": "实际·政府性基金",
    "actual_nonfiscal": "实际·非财政资金",
}
_INDICATOR_FIELDS = {"indicator": "三级指标", "target": "目标值", "outcome": "完成情况"}


@dataclass
class SearchIndex:
    """The searchable texts of one Library and its printed amounts, ready for vectorised queries."""

    rows: pl.DataFrame
    amounts: pl.DataFrame  # id (into rows), measure, amount, weight: one row per printed amount
    pinyin: dict[str, list[str]] = field(default_factory=dict)  # text → one syllable per character

    @classmethod
    def build(cls, lib: Library) -> SearchIndex:
        """Index departments, units, projects, indicators, budget lines and narrative parts."""
        docs = lib.documents.select("doc_id", "year", "department", pl.col("kind").alias("doc_kind"))
        parts = [
            _documents(lib.documents),
            _units(lib.units, docs),
            *_projects(lib.projects, docs),
            *_indicators(lib.indicators, lib.projects, docs),
            _budget_lines(lib.budget_lines, docs),
            _sections(lib.sections, docs),
        ]
        rows = (
            pl.concat([p.select(_skeleton(p)) for p in parts], how="vertical")
            .filter(pl.col("text").is_not_null() & (pl.col("text") != ""))
            .drop("id")
            .with_row_index("id")
        )
        texts = rows["text"].unique()
        rows = rows.with_columns(
            pl.col("text").replace_strict(texts, [fold(t) for t in texts], return_dtype=pl.String).alias("key"),
            pl.col("text").str.len_chars().alias("length"),
        )
        pinyin = _spell(rows.filter(pl.col("text").str.len_chars() <= PINYIN_MAX_CHARS)["text"].unique())
        if pinyin:
            spelled = pl.DataFrame(
                {
                    "text": list(pinyin),
                    "py_initials": ["".join(t[:1] for t in v) for v in pinyin.values()],
                    "py_full": ["".join(v) for v in pinyin.values()],
                },
                schema={"text": pl.String, "py_initials": pl.String, "py_full": pl.String},
            )
            rows = rows.drop("py_initials", "py_full").join(spelled, on="text", how="left")
        rows = rows.select(list(COLUMNS)).sort("id")
        return cls(rows=rows, amounts=_amounts(rows, lib), pinyin=pinyin)

    def search(self, query: str, limit: int = 200) -> pl.DataFrame:
        """Hits for ``query``, best first: exact before prefix before substring, names before prose.

        Forms: Chinese (or any) substring, folded; pinyin initials (sjyw) or full pinyin
        (shenjiyewu) of labels; 科目编码 and their prefixes (20108); amounts in 万元 (=155, >100,
        <5, >=, <=; an optional 元/万元/亿元 suffix is converted). ``=155`` matches what prints as
        155 at the query's precision (154.83 too; =154.83 only that).
        """
        q = fold(query)
        if not q:
            return pl.DataFrame(schema=HIT_COLUMNS)
        amount = _AMOUNT_QUERY.match(q)
        if amount:
            return self._by_amount(amount, limit)
        return self._by_text(q, limit)

    def _by_text(self, q: str, limit: int) -> pl.DataFrame:
        letters, digits = bool(_LETTERS.match(q)), bool(_DIGITS.match(q))
        spelled = (["py_initials"] if letters else []) + (["py_full"] if letters and len(q) > 1 else [])
        columns = ["key", *spelled]
        found = pl.any_horizontal(pl.col(c).str.contains(q, literal=True) for c in columns)
        tiers = {"text": _tier(pl.col("key"), q)}
        if digits:
            columns.append("code")
            found |= pl.col("code").str.starts_with(q)
            tiers["code"] = pl.when(pl.col("code") == q).then(0).when(pl.col("code").str.starts_with(q)).then(1)
        tiers.update({"initials" if c == "py_initials" else "pinyin": _tier(pl.col(c), q) for c in spelled})
        best = pl.min_horizontal(*(pl.col(f"tier_{name}") for name in tiers))
        which = pl.coalesce(pl.when(pl.col(f"tier_{name}") == best).then(pl.lit(name)) for name in tiers)
        # Rank on the few columns needed (gathering whole rows of 10⁵ matches costs more than matching them).
        order, descending = ["tier", "weight", "length", "year", "id"], [False, False, False, True, False]
        top = (
            self.rows.select("id", "weight", "length", "year", *columns)
            .filter(found)
            .select("id", "weight", "length", "year", *(tier.alias(f"tier_{name}") for name, tier in tiers.items()))
            .select("id", "weight", "length", "year", best.alias("tier"), which.alias("via"))
            .bottom_k(limit, by=order, reverse=descending)
            .sort(order, descending=descending, nulls_last=True)
        )
        return self._finish(self._at(top), q)

    def _by_amount(self, m: re.Match[str], limit: int) -> pl.DataFrame:
        op, number, unit = m.group(1), m.group(2), m.group(3)
        power = _POWER_OF_WANYUAN[unit]
        value = float(number) * 10.0**power
        decimals = max(0, len(number.partition(".")[2]) - power)
        amount = pl.col("amount")
        test = {
            "=": amount.round(decimals) == round(value, decimals),
            ">": amount > value,
            "<": amount < value,
            ">=": amount >= value,
            "≥": amount >= value,
            "<=": amount <= value,
            "≤": amount <= value,
        }[op]
        # Nearest first for =; otherwise names first, largest first for > and smallest first for <.
        if op == "=":
            order, descending = ["distance", "weight", "id"], [False, False, False]
        else:
            order, descending = ["weight", "amount", "id"], [False, op in (">", ">=", "≥"), False]
        cells = self.amounts.filter(test).with_columns((amount - value).abs().alias("distance"))
        if op == "=":
            cells = cells.sort("id", "distance")  # a row's nearest cell; otherwise its first in print order
        cells = (
            cells.unique("id", keep="first")
            .with_columns(pl.lit(0).alias("tier"), pl.lit("amount").alias("via"))
            .bottom_k(limit, by=order, reverse=descending)
            .sort(order, descending=descending)
        )
        return self._finish(self._at(cells.drop("weight")), "")

    def _at(self, top: pl.DataFrame) -> pl.DataFrame:
        """The index rows of ``top`` (ids are row numbers), in its order, its columns taking precedence."""
        rows = self.rows.select(pl.all().gather(top["id"])).drop(top.columns, strict=False)
        return pl.concat([rows, top], how="horizontal")

    def _finish(self, hits: pl.DataFrame, q: str) -> pl.DataFrame:
        """Name the match and place it in ``text`` (the only per-row Python, on ≤ limit rows)."""
        spans = [self._span(text, via, q) for text, via in hits.select("text", "via").iter_rows()]
        text_match = (
            pl.when(pl.col("tier") == 0)
            .then(pl.lit("exact"))
            .when(pl.col("tier") == 1)
            .then(pl.lit("prefix"))
            .otherwise(pl.lit("substring"))
        )
        return hits.with_columns(
            pl.when(pl.col("via") == "text").then(text_match).otherwise(pl.col("via")).alias("match"),
            pl.Series("start", [s[0] if s else None for s in spans], dtype=pl.Int32),
            pl.Series("end", [s[1] if s else None for s in spans], dtype=pl.Int32),
        ).select(list(HIT_COLUMNS))

    def _span(self, text: str, via: str, q: str) -> tuple[int, int] | None:
        if via == "text":
            return _locate([_fold_char(c) for c in text], q)
        if via in ("initials", "pinyin") and text in self.pinyin:
            syllables = self.pinyin[text]
            return _locate([s[:1] for s in syllables] if via == "initials" else syllables, q)
        return None


def _tier(col: pl.Expr, q: str) -> pl.Expr:
    """0 exact, 1 prefix, 2 substring, null no match."""
    return (
        pl.when(col == q).then(0).when(col.str.starts_with(q)).then(1).when(col.str.contains(q, literal=True)).then(2)
    )


def _fold_char(c: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", c).lower() if not ch.isspace())


def _locate(pieces: list[str], q: str) -> tuple[int, int] | None:
    """Where ``q`` falls in the concatenation of per-character pieces, as character offsets."""
    owner = [i for i, piece in enumerate(pieces) for _ in piece]
    at = "".join(pieces).find(q)
    if at < 0 or not q:
        return None
    return owner[at], owner[at + len(q) - 1] + 1


def _spell(texts: Iterable[str]) -> dict[str, list[str]]:
    """Each label's pinyin, one folded syllable per character (non-Chinese characters as themselves)."""
    return {t: [_fold_char(s) for s in lazy_pinyin(t, errors=lambda chars: list(chars))] for t in texts}


def _skeleton(df: pl.DataFrame) -> list[pl.Expr]:
    return [pl.col(c).cast(t) if c in df.columns else pl.lit(None, t).alias(c) for c, t in COLUMNS.items()]


def _unit_if_distinct() -> pl.Expr:
    """The unit where it says more than the department (a department's own key projects don't)."""
    return pl.when(pl.col("unit") != pl.col("department")).then(pl.col("unit"))


def _where(*parts: pl.Expr | str) -> pl.Expr:
    exprs = [pl.lit(p) if isinstance(p, str) else p for p in parts]
    return pl.concat_str(
        [pl.col("year").cast(pl.String), pl.col("department"), *exprs], separator=" · ", ignore_nulls=True
    ).alias("where")


def _documents(documents: pl.DataFrame) -> pl.DataFrame:
    d = documents.with_row_index("row").select("row", "doc_id", "year", "department", "title", "kind")
    return pl.concat(
        [
            d.select(
                pl.lit("department").alias("kind"),
                pl.lit(f).alias("field"),
                pl.lit(w).alias("weight"),
                "year",
                "department",
                "doc_id",
                pl.col(f).alias("text"),
                _where(pl.col("kind"), label),
                pl.lit("documents").alias("target"),
                "row",
            )
            for f, w, label in (("department", 2, "部门"), ("title", 3, "标题"))
        ]
    )


def _units(units: pl.DataFrame, docs: pl.DataFrame) -> pl.DataFrame:
    return (
        units.with_row_index("row")
        .drop("department")
        .join(docs, on="doc_id", how="left")
        .select(
            pl.lit("unit").alias("kind"),
            pl.lit("unit").alias("field"),
            pl.lit(2).alias("weight"),
            "year",
            "department",
            "doc_id",
            pl.col("unit").alias("text"),
            "unit",
            _where(pl.col("doc_kind"), "预算单位"),
            pl.lit("units").alias("target"),
            "row",
        )
    )


def _projects(projects: pl.DataFrame, docs: pl.DataFrame) -> list[pl.DataFrame]:
    p = projects.with_row_index("row").join(docs, on="doc_id", how="left")
    common = ["year", "department", "doc_id", "unit", "project_id", "row", pl.lit("projects").alias("target")]
    names = p.select(
        pl.lit("project").alias("kind"),
        pl.lit("name").alias("field"),
        pl.lit(0).alias("weight"),
        pl.col("name").alias("text"),
        pl.col("budget_total").alias("amount"),
        pl.lit("预算合计").alias("measure"),
        _where(_unit_if_distinct(), "项目名称"),
        *common,
    )
    prose = [
        p.select(
            pl.lit("project").alias("kind"),
            pl.lit(f).alias("field"),
            pl.lit(5).alias("weight"),
            pl.col(f).alias("text"),
            _where(_unit_if_distinct(), pl.col("name"), label),
            *common,
        )
        for f, label in _PROJECT_PROSE.items()
    ]
    return [names, *prose]


def _indicators(indicators: pl.DataFrame, projects: pl.DataFrame, docs: pl.DataFrame) -> list[pl.DataFrame]:
    i = (
        indicators.with_row_index("row")
        .filter(~pl.col("not_applicable").fill_null(False))
        .join(projects.select("project_id", pl.col("name").alias("project")), on="project_id", how="left")
        .join(docs, on="doc_id", how="left")
    )
    owner = pl.col("project").fill_null(pl.lit("部门整体绩效目标"))
    level = pl.concat_str([pl.col("level1"), pl.col("level2")], separator="/", ignore_nulls=True)
    out = []
    for f, label in _INDICATOR_FIELDS.items():
        rows = i if f != "target" else i.filter(pl.col("target") != pl.col("indicator").fill_null(""))
        out.append(
            rows.select(
                pl.lit("indicator").alias("kind"),
                pl.lit(f).alias("field"),
                pl.lit(4).alias("weight"),
                pl.col(f).alias("text"),
                _where(owner, level, label),
                "year",
                "department",
                "doc_id",
                "unit",
                "project_id",
                pl.lit("indicators").alias("target"),
                "row",
            )
        )
    return out


def _budget_lines(lines: pl.DataFrame, docs: pl.DataFrame) -> pl.DataFrame:
    """One row per printed row (the measures of a row share its name and code)."""
    printed = ["doc_id", "table_no", "unit", "side", "row_no"]
    table = pl.concat_str([pl.col("table_no"), pl.col("table_kind")], separator=" ", ignore_nulls=True)
    return (
        lines.with_row_index("row")
        .unique(printed, keep="first", maintain_order=True)
        .join(docs, on="doc_id", how="left")
        .select(
            pl.lit("budget_line").alias("kind"),
            pl.lit("name").alias("field"),
            pl.lit(1).alias("weight"),
            pl.col("name").alias("text"),
            "code",
            "amount",
            "measure",
            "unit",
            "table_kind",
            "table_no",
            _where(table, pl.when(pl.col("code").is_not_null()).then(pl.lit("科目名称")).otherwise(pl.lit("名称"))),
            "year",
            "department",
            "doc_id",
            pl.lit("budget_lines").alias("target"),
            "row",
        )
    )


def _sections(sections: pl.DataFrame, docs: pl.DataFrame) -> pl.DataFrame:
    heading = pl.concat_str([pl.col("part"), pl.col("heading")], separator=" ", ignore_nulls=True)
    return (
        sections.with_row_index("row")
        .join(docs, on="doc_id", how="left")
        .select(
            pl.lit("section").alias("kind"),
            pl.lit("text").alias("field"),
            pl.lit(5).alias("weight"),
            pl.col("text"),
            _where(heading),
            "year",
            "department",
            "doc_id",
            "part_no",
            pl.lit("sections").alias("target"),
            "row",
        )
    )


def _amounts(rows: pl.DataFrame, lib: Library) -> pl.DataFrame:
    """Every printed amount of budget lines and projects, keyed by the index row it belongs to."""
    printed = ["doc_id", "table_no", "unit", "side", "row_no"]
    index_rows = rows.filter(pl.col("target") == "budget_lines").select("id", "row")
    lines = lib.budget_lines.with_row_index("row")
    heads = lines.join(index_rows, on="row", how="inner").select(*printed, "id")
    line_cells = lines.join(heads, on=printed, how="inner", nulls_equal=True).select("id", "measure", "amount")
    names = rows.filter((pl.col("target") == "projects") & (pl.col("field") == "name")).select("id", "row")
    project_cells = (
        lib.projects.with_row_index("row")
        .join(names, on="row", how="inner")
        .unpivot(list(_PROJECT_AMOUNTS), index="id", variable_name="measure", value_name="amount")
        .with_columns(pl.col("measure").replace_strict(_PROJECT_AMOUNTS))
    )
    return (
        pl.concat([line_cells, project_cells], how="vertical")
        .filter(pl.col("amount").is_not_null())
        .join(rows.select("id", "weight"), on="id", how="left")
        .sort("id", maintain_order=True)
    )


def snippet(hit: dict, width: int = 40) -> str:
    """The hit's text cut to about ``width`` characters around the match, the match in 【】."""
    text, start, end = hit["text"], hit["start"], hit["end"]
    if start is None or end is None:
        return text if len(text) <= width else text[:width] + "…"
    left = max(0, start - (width - (end - start)) // 2)
    right = min(len(text), max(end, left + width))
    return (
        ("…" if left else "")
        + text[left:start]
        + "【"
        + text[start:end]
        + "】"
        + text[end:right]
        + ("…" if right < len(text) else "")
    )


def format_hit(hit: dict) -> str:
    """One line for the command line: where · code · text (match marked) · amount."""
    amount = "" if hit["amount"] is None else f"  {hit['measure'] or ''} {format_amount(hit['amount'])}"
    code = f"{hit['code']} " if hit["code"] else ""
    return f"{hit['where']}  {code}{snippet(hit)}{amount}"
