"""Search: a keystroke ranks the distinct texts that can match, not every place they are printed.

The index (``search_store``) folds every text (full/half width, case, spaces) and spells every
short label (≤ 32 characters: names, codes' names, indicators) in pinyin, full and initials, once
per distinct text; paragraphs get no pinyin, because the initials of a page of prose contain nearly
any letter run. Posting lists (``search_grams``) name the entries a query needs, best first; those
are tiered with ``str.contains(literal=True)`` and friends exactly as a scan of every entry would,
and the best are expanded into their places (read by id from the stored occurrences). Printed amounts, one per cell, are sorted by weight and
amount, so ``>100`` reads the end of a range and ``=155`` a binary search. Python touches only the
≤ ``limit`` hits returned, to place the highlight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from parsing.library import Library
from parsing.normalize import fold
from parsing.numbers import format_amount
from parsing.queries import search_store
from parsing.queries.search_rows import COLUMNS
from parsing.queries.search_store import Stored

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
#: Entry columns a ranking reads.
_RANKED = ("entry", "weight", "length", "year", "start", "n")
#: Queries this long (or longer) also find labels one character off.
FUZZY_MIN_CHARS = 4


@dataclass
class SearchIndex:
    """The searchable texts of one Library and its printed amounts, ready for vectorised queries."""

    stored: Stored
    pinyin: dict[str, list[str]] = field(default_factory=dict)  # text → one syllable per character
    labels: dict[str, tuple[list[str], list[int]]] = field(default_factory=dict)  # column → distinct labels

    @classmethod
    def build(cls, lib: Library) -> SearchIndex:
        """Index departments, units, projects, indicators, budget lines and narrative parts."""
        return cls(*search_store.build(lib))

    @classmethod
    def open(cls, lib: Library) -> SearchIndex:
        """The index stored with ``lib``'s catalogue, built (and stored) when there is none yet:
        ``yusuan add`` builds it, so a start or a first search does not."""
        folder = lib.folder
        found = search_store.open_stored(folder) if folder is not None else None
        if found is None and folder is not None:
            found = search_store.build_into(folder, lib)
        return cls(*(found or search_store.build(lib)))

    @property
    def size(self) -> int:
        """Occurrences indexed (texts found, counted once per place)."""
        return int(self.stored.entries["n"].sum() or 0)

    def search(self, query: str, limit: int = 200) -> pl.DataFrame:
        """Hits for ``query``, best first: exact before prefix before substring, names before prose.

        Forms: Chinese (or any) substring, folded; pinyin initials (sjyw) or full pinyin
        (shenjiyewu) of labels; 科目编码 and their prefixes (20108); amounts in 万元 (=155, >100,
        <5, >=, <=; an optional 元/万元/亿元 suffix is converted). ``=155`` matches what prints as
        155 at the query's precision (154.83 too; =154.83 only that). The places of one text come
        together, newest first.
        """
        q = fold(query)
        if not q:
            return pl.DataFrame(schema=HIT_COLUMNS)
        amount = _AMOUNT_QUERY.match("=" + q.replace(",", "") if _SHOWN.match(q) else q)
        if amount:
            return self._by_amount(amount, limit)
        top = self._by_text(q, limit)
        hits = self._expand(top, limit)
        if hits.height < limit and len(q) >= FUZZY_MIN_CHARS and not _DIGITS.match(q):
            near = self._expand(self._fuzzy(q, top["entry"]), limit - hits.height)
            hits = pl.concat([hits, near], how="vertical")
        return self._finish(hits, q)

    def _fuzzy(self, q: str, found: pl.Series) -> pl.DataFrame:
        """Labels one character off the query (审记业务 → 审计业务, sjyu → sjyw), ranked below
        every exact hit: by similarity, then kind, then length."""
        from rapidfuzz import fuzz, process

        entries = self.stored.entries
        column = ("py_initials" if len(q) <= 6 else "py_full") if _LETTERS.match(q) else "key"
        if column not in self.labels:  # the distinct labels of a column, once per index
            values = entries.filter(pl.col("py_initials").is_not_null())[column].drop_nulls().unique()
            self.labels[column] = (values.to_list(), values.str.len_chars().to_list())
        texts, lengths = self.labels[column]
        choices = [t for t, n in zip(texts, lengths, strict=True) if n >= len(q) - 1]
        cutoff = 100 * (1 - 1 / len(q)) - 0.01  # one character wrong, missing or extra
        scored = process.extract(q, choices, scorer=fuzz.partial_ratio, score_cutoff=cutoff, limit=800)
        near = [(c, fuzz.ratio(q, c)) for c, _, _ in scored if _one_off(q, c)]
        if not near:
            return entries.clear().select(*_RANKED).with_columns(pl.lit(3).alias("tier"), pl.lit("fuzzy").alias("via"))
        scores = pl.DataFrame(
            {column: [c for c, _ in near], "score": [sc for _, sc in near]},
            schema={column: pl.String, "score": pl.Float64},
        )
        order, descending = ["score", "gap", "weight", "year", "entry"], [True, False, False, True, False]
        return (
            entries.filter(pl.col("py_initials").is_not_null())
            .join(scores, on=column)
            .filter(~pl.col("entry").is_in(found.implode()))
            .with_columns((pl.col(column).str.len_chars().cast(pl.Int64) - len(q)).abs().alias("gap"))
            .sort(order, descending=descending, nulls_last=True)
            .select(*_RANKED, pl.lit(3).alias("tier"), pl.lit("fuzzy").alias("via"))
        )

    def _by_text(self, q: str, limit: int) -> pl.DataFrame:
        """The entries that match, best first, each with its tier and how it matched: those the
        posting lists name as needed for ``limit`` places, when the index has them."""
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
        order, descending = ["tier", "weight", "length", "year", "entry"], [False, False, False, True, False]
        entries = self.stored.entries
        if self.stored.grams is not None:
            entries = entries[self.stored.grams.matching(entries, q, columns, limit)]
        return (
            entries.select(*_RANKED, *(c for c in columns if c not in _RANKED))
            .filter(found)
            .select(*_RANKED, *(tier.alias(f"tier_{name}") for name, tier in tiers.items()))
            .select(*_RANKED, best.alias("tier"), which.alias("via"))
            .sort(order, descending=descending, nulls_last=True)
        )

    def _expand(self, top: pl.DataFrame, limit: int) -> pl.DataFrame:
        """The first ``limit`` places of the ranked entries ``top``, in its order."""
        taken = top.with_columns(pl.col("n").cum_sum().alias("upto")).filter(pl.col("upto") - pl.col("n") < limit)
        ids: list[int] = []
        for start, n in taken.select("start", "n").iter_rows():
            ids.extend(self.stored.places.slice(start, min(n, limit - len(ids))).to_list())
        hits = self.stored.rows(ids)
        entry = pl.Series(
            "entry",
            [e for e, n in taken.select("entry", "n").iter_rows() for _ in range(n)][: len(ids)],
            dtype=pl.UInt32,
        )
        return (
            hits.with_columns(entry)
            .join(taken.select("entry", "tier", "via"), on="entry", maintain_order="left")
            .drop("entry")
        )

    def _by_amount(self, m: re.Match[str], limit: int) -> pl.DataFrame:
        op, number, unit = m.group(1), m.group(2), m.group(3)
        power = _POWER_OF_WANYUAN[unit]
        value = float(number) * 10.0**power
        decimals = max(0, len(number.partition(".")[2]) - power)
        if op == "=":  # nearest first, then names first
            half = 0.5 * 10.0**-decimals
            cells = self.stored.cells_between(value - half, value + half)
            cells = cells.filter(pl.col("amount").round(decimals) == round(value, decimals))
            cells = _nearest(cells.with_columns((pl.col("amount") - value).abs().alias("distance")), limit)
        else:  # names first; largest first for > and smallest first for <
            cells = self._extreme(op, value, limit)
        cells = cells.select("id", "measure", "amount", pl.lit(0).alias("tier"), pl.lit("amount").alias("via"))
        rows = self.stored.rows(cells["id"].to_list()).drop("measure", "amount")
        return self._finish(pl.concat([rows, cells.drop("id")], how="horizontal"), "")

    def _extreme(self, op: str, value: float, limit: int) -> pl.DataFrame:
        """Cells over (or under) ``value``, each row once at its largest (smallest) matching amount,
        ranked by weight: read from the end (start) of each weight's range, a widening slice at a time."""
        larger = op in (">", ">=", "≥")
        test = {
            ">": pl.col("amount") > value,
            "<": pl.col("amount") < value,
            ">=": pl.col("amount") >= value,
            "≥": pl.col("amount") >= value,
            "<=": pl.col("amount") <= value,
            "≤": pl.col("amount") <= value,
        }[op]
        out: list[pl.DataFrame] = []
        wanted = limit
        for start, end in self.stored.weights.values():
            size = max(4 * wanted, 1024)
            while True:
                lo = max(start, end - size) if larger else start
                hi = end if larger else min(end, start + size)
                cells = self.stored.cell_slice(lo, hi - lo).filter(test)
                cells = cells.sort("amount", "id", descending=[larger, False], maintain_order=True).unique(
                    "id", keep="first", maintain_order=True
                )
                if cells.height >= wanted or hi - lo >= end - start or cells.height < (hi - lo) // 64:
                    break
                size *= 4
            out.append(cells.head(wanted))
            wanted -= out[-1].height
            if wanted <= 0:
                break
        return pl.concat(out, how="vertical") if out else self.stored.cell_slice(0, 0)

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
            if fold(text) == text:  # nothing to fold (most texts): offsets are the text's own
                at = text.find(q)
                return (at, at + len(q)) if at >= 0 and q else None
            return _locate([_fold_char(c) for c in text], q)
        if via in ("initials", "pinyin") and text in self.pinyin:
            syllables = self.pinyin[text]
            return _locate([s[:1] for s in syllables] if via == "initials" else syllables, q)
        return None


def _nearest(cells: pl.DataFrame, limit: int) -> pl.DataFrame:
    """The ``limit`` rows nearest the amount, each once at its nearest cell, then names first: the
    nearest few cells sorted (a row has a handful of cells), more only when rows repeat."""
    order = ["distance", "weight", "id", "measure"]
    wanted = 8 * limit
    while True:
        near = cells.bottom_k(wanted, by=order).sort(order) if wanted < cells.height else cells.sort(order)
        rows = near.unique("id", keep="first", maintain_order=True)
        if rows.height >= limit or near.height >= cells.height:
            return rows.head(limit).drop("distance")
        wanted *= 4


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


_fold_char = search_store.fold_char


def _locate(pieces: list[str], q: str) -> tuple[int, int] | None:
    """Where ``q`` falls in the concatenation of per-character pieces, as character offsets."""
    owner = [i for i, piece in enumerate(pieces) for _ in piece]
    at = "".join(pieces).find(q)
    if at < 0 or not q:
        return None
    return owner[at], owner[at + len(q) - 1] + 1


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
