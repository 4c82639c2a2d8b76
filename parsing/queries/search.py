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
from typing import Any

import polars as pl
from pypinyin import lazy_pinyin

from parsing.library import Library
from parsing.normalize import fold
from parsing.numbers import format_amount
from parsing.queries.search_rows import COLUMNS, amounts, index_parts

#: Labels up to this many characters get pinyin columns; longer text is prose.
PINYIN_MAX_CHARS = 32

_INTERNAL = ("key", "py_initials", "py_full", "weight", "length")
HIT_COLUMNS: dict[str, pl.DataType] = {
    **{c: t for c, t in COLUMNS.items() if c not in _INTERNAL},
    "match": pl.String(),  # exact | prefix | substring | pinyin | initials | code | amount | fuzzy
    "start": pl.Int32(),  # match offsets in ``text``; null when the match is on code or amount
    "end": pl.Int32(),
}

_AMOUNT_QUERY = re.compile(r"^(>=|<=|=|>|<|≥|≤)(-?\d+(?:\.\d+)?)(亿元|万元|元|亿|万)?$")
_POWER_OF_WANYUAN = {"亿元": 4, "亿": 4, "万元": 0, "万": 0, "元": -4, None: 0}  # 1 亿元 = 10⁴ 万元
_LETTERS = re.compile(r"^[a-z]+$")
_DIGITS = re.compile(r"^\d+$")
_SHOWN = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$|^-?\d+\.\d+$")  # an amount typed as shown: 15,436.93
#: Queries this long (or longer) also find labels one character off.
FUZZY_MIN_CHARS = 4


@dataclass
class SearchIndex:
    """The searchable texts of one Library and its printed amounts, ready for vectorised queries."""

    rows: pl.DataFrame
    amounts: pl.DataFrame  # id (into rows), measure, amount, weight: one row per printed amount
    pinyin: dict[str, list[str]] = field(default_factory=dict)  # text → one syllable per character
    labels: dict[str, tuple[list[str], list[int]]] = field(default_factory=dict)  # column → distinct labels

    @classmethod
    def build(cls, lib: Library) -> SearchIndex:
        """Index departments, units, projects, indicators, budget lines and narrative parts."""
        rows = (
            pl.concat(index_parts(lib), how="vertical")
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
        return cls(rows=rows, amounts=amounts(rows, lib), pinyin=pinyin)

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
        amount = _AMOUNT_QUERY.match("=" + q.replace(",", "") if _SHOWN.match(q) else q)
        if amount:
            return self._by_amount(amount, limit)
        hits = self._by_text(q, limit)
        if hits.height < limit and len(q) >= FUZZY_MIN_CHARS and not _DIGITS.match(q):
            hits = pl.concat([hits, self._fuzzy(q, limit - hits.height, hits["id"])], how="vertical")
        return hits

    def _fuzzy(self, q: str, limit: int, found: pl.Series) -> pl.DataFrame:
        """Labels one character off the query (审记业务 → 审计业务, sjyu → sjyw), ranked below
        every exact hit: by similarity, then kind, then length."""
        from rapidfuzz import fuzz, process

        column = ("py_initials" if len(q) <= 6 else "py_full") if _LETTERS.match(q) else "key"
        if column not in self.labels:  # the distinct labels of a column, once per index
            values = self.rows.filter(pl.col("py_initials").is_not_null())[column].drop_nulls().unique()
            self.labels[column] = (values.to_list(), values.str.len_chars().to_list())
        texts, lengths = self.labels[column]
        choices = [t for t, n in zip(texts, lengths, strict=True) if n >= len(q) - 1]
        cutoff = 100 * (1 - 1 / len(q)) - 0.01  # one character wrong, missing or extra
        scored = process.extract(q, choices, scorer=fuzz.partial_ratio, score_cutoff=cutoff, limit=limit * 4)
        near = [(c, fuzz.ratio(q, c)) for c, _, _ in scored if _one_off(q, c)]
        if not near:
            return pl.DataFrame(schema=HIT_COLUMNS)
        scores = pl.DataFrame(
            {column: [c for c, _ in near], "score": [sc for _, sc in near]},
            schema={column: pl.String, "score": pl.Float64},
        )
        order, descending = ["score", "gap", "weight", "year", "id"], [True, False, False, True, False]
        top = (
            self.rows.select("id", "weight", "length", "year", column)
            .join(scores, on=column)
            .filter(~pl.col("id").is_in(found.implode()))
            .with_columns((pl.col(column).str.len_chars().cast(pl.Int64) - len(q)).abs().alias("gap"))
            .sort(order, descending=descending, nulls_last=True)
            .head(limit)
            .select("id", "weight", "length", "year", pl.lit(3).alias("tier"), pl.lit("fuzzy").alias("via"))
        )
        return self._finish(self._at(top), q)

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


def _one_off(q: str, text: str) -> bool:
    """True when some stretch of ``text`` is ``q`` with at most one character wrong, missing or extra."""
    from rapidfuzz.distance import Levenshtein

    n = len(q)
    return any(
        Levenshtein.distance(q, text[i : i + size], score_cutoff=1) <= 1
        for size in (n - 1, n, n + 1)
        for i in range(max(1, len(text) - size + 1))
    )


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
    return {t: [_fold_char(s) for s in lazy_pinyin(t, errors=_as_themselves)] for t in texts}


def _as_themselves(chars: str) -> Any:
    """pypinyin's fallback for characters without pinyin: each character as itself."""
    return list(chars)


def snippet(hit: dict[str, Any], width: int = 40) -> str:
    """The hit's text cut to about ``width`` characters around the match, the match in 【】."""
    text: str = hit["text"]
    start: int | None = hit["start"]
    end: int | None = hit["end"]
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


def format_hit(hit: dict[str, Any]) -> str:
    """One line for the command line: where · code · text (match marked) · amount."""
    amount = "" if hit["amount"] is None else f"  {hit['measure'] or ''} {format_amount(hit['amount'])}"
    code = f"{hit['code']} " if hit["code"] else ""
    return f"{hit['where']}  {code}{snippet(hit)}{amount}"
