"""The issuer named the same way in every slot where a filing names itself.

Scope: every section of 部门预算, 单位预算 and 部门决算 (cover, 目录 and each part's heading as the
body prints it) and the tables' printed 部门/单位名称 lines; for a performance form, its title
against its 部门名称 cell. A slot is a place only the filing's own body fills: '…（部门）',
'…部门预算', '…部门只有本级', '…收入预算', '…概况', '…机关运行经费', '…“三公”经费', '…（简称…）',
'预算单位：…', and each table's '单位名称：…' line. The issuer is the name the filing prints most
often (every mention in its text, and each table line naming it); a slot naming another body is
✗, citing both pages, unless that body is one of the filing's own 预算单位.
"""

from __future__ import annotations

import re
from collections import Counter

import polars as pl

from parsing.checks.base import Rule, finding, page
from parsing.checks.prose import KINDS, line_at, texts
from parsing.library import Library
from parsing.schema import Row

_SLOT = re.compile(
    r"（部门）|（单位）|(?:20\d\d)?年?度?(?:部门(?!的|等|和|及|之间)|单位(?:预算|决算))|概况|主要职能|机构设置"
    r"|(?:20\d\d)年度?(?:收入|支出|财政拨款|“三公”|\"三公\")|(?:收入|支出)预算|机关运行经费"
    r"|[“\"]三公[”\"]经费|[（(](?:以下)?简称"
)
#: A label whose value is the body the page belongs to ('预算单位：…', '单位名称：…').
_LABEL = re.compile(r"(?:预算单位|单位名称|部门名称|编制部门|编制单位|填报单位)[:：]([^\s，,。；;：:（(）)]{4,30})")
PLACEHOLDER_TEXT = re.compile(r"(?<![A-Za-z])(?:XX|xx|ＸＸ|××|xx|某某|\{单位\}|\{部门\}|＊＊)(?![A-Za-z])")
_BODY = re.compile(r"[局处室会院所心队站部委府厅办]$")
#: What a subordinate unit's name ends in: a name that extends the issuer's and ends so is one of
#: its units ('北京市财政局国库支付中心'); one ending in another body word is a renamed issuer.
_UNIT_WORD = re.compile(r"(?:中心|所|站|队|院|校|馆|处|科|室|分局|会|委|办)$")


def name_before(text: str, end: int) -> str:
    """The body's name printed just before ``end``: the run of CJK text after the last
    punctuation or figure, without a leading 年/度/本."""
    # A cover prints the name on the line above its title: the line break before the slot is
    # skipped, any other one ends the name.
    run = re.split(
        r"[，,。；;：:、\d\s“”\"《》（）()…．.·]|部分|目录|说明|包括|只有|范围的|纳入|其中",
        text[max(0, end - 40) : end].rstrip(),
    )[-1]
    return re.sub(r"^(?:年度?|度|本|全|的)", "", run)


def _slots(group: pl.DataFrame) -> list[tuple[str, Row]]:
    """(name, the row pointed at its line) of every slot that names a body."""
    named = []
    for r in group.iter_rows(named=True):
        # A part's heading as the body prints it ('…（部门）主要职能'), at the part's first line.
        heading = re.sub(r"\s+", "", r.get("heading") or "")
        for m in _SLOT.finditer(heading):
            name = name_before(heading, m.start())
            if len(name) >= 4 and _BODY.search(name):
                named.append((name, r))
        for m in _SLOT.finditer(r["flat"]):
            name = name_before(r["flat"], m.start())
            # '人民政府部门' is the government's departments, not a body's name.
            generic = name.endswith("政府") and m.group(0).endswith("部门")
            if len(name) >= 4 and _BODY.search(name) and not generic:
                named.append((name, line_at(r, m.start(), r["flat"])))
        for m in _LABEL.finditer(r["flat"]):
            if _BODY.search(m.group(1)):
                named.append((m.group(1), line_at(r, m.start(1), r["flat"])))
    return named


def _short_form(name: str, issuer: str) -> bool:
    """Whether ``name`` is the issuer after words the split left: it ends in the issuer's name
    ('纳入上海市普陀区财政局'), or in its short form from the level on ('合并在市司法局' for
    杭州市司法局)."""
    if name.endswith(issuer):
        return True
    shared = 0
    while shared < min(len(name), len(issuer)) and name[-1 - shared] == issuer[-1 - shared]:
        shared += 1
    return shared >= 4 and issuer[-shared] in "省市区县州旗盟镇乡"


def _unit_of(name: str, issuer: str, units: list[str]) -> bool:
    """Whether ``name`` is one of the filing's own 预算单位: listed (or a short form of a listed
    unit), or extending the issuer's name with a unit word (中心, 所, 队 …)."""
    if any(name == u or name in u or (len(u) >= 6 and u in name) for u in units if u != issuer):
        return True
    return issuer in name and bool(_UNIT_WORD.search(name.split(issuer, 1)[1]))


def _issuer(lib: Library) -> list[Row]:
    """The name printed most often (text mentions and table 单位名称 lines) is the filing's; a slot
    naming another body that is not one of the filing's 预算单位 (a short form of the issuer's
    name is the issuer) is an error (a copied template), citing that slot and the issuer's first."""
    out = []
    # A 预算单位 the tables list excuses a slot naming it; the filing's own name (which the
    # readers give the tables when they list no unit) is no evidence for itself.
    own = lib.documents.select("doc_id", pl.col("department").alias("_own"))
    units = (
        lib.units.join(own, on="doc_id", how="left")
        .filter(pl.col("unit") != pl.col("_own").fill_null(""))
        .group_by("doc_id")
        .agg(pl.col("unit").drop_nulls())
    )
    units_by_doc = {d: [u for u in us if len(u) >= 4] for d, us in units.rows()}
    tables_by_doc = _table_units(lib)
    for (doc_id,), group in texts(lib).group_by("doc_id"):
        own_units = units_by_doc.get(doc_id, [])
        named = _slots(group.sort("source_page", nulls_last=False))
        if not named:
            continue
        # A name wrapped over two lines counts; so does one in a heading.
        whole = "".join(group["heading"].fill_null("").to_list() + group["flat"].to_list()).replace("\n", "")
        # Every mention votes, in slots or not: a name printed once, on a copied cover, loses to
        # the one the body of the text uses throughout.
        # The name the readers gave the filing (its cover's or its 单位 line's) is a candidate
        # even where no slot prints it.
        department = group["department"][0] or ""
        said = Counter({n: whole.count(n) for n in {n for n, _ in named} | ({department} - {""})})
        votes = Counter(said)
        # The tables' 部门/单位 lines vote too: a unit they name that a slot names as well; and
        # where every table names one and the same body other than the filing's (a text that
        # names its issuer once, on the cover), that body, once per table.
        votes.update(u for u in set(own_units) if u in votes)
        listed = tables_by_doc.get(doc_id)
        if listed is not None and listed["unit"].n_unique() == 1 and listed.height >= 2:
            votes[listed["unit"][0]] += listed.height
        issuer, times = _winner(votes)
        if not issuer:
            continue
        from_tables = listed is not None and listed["unit"][0] == issuer and said.get(issuer, 0) < listed.height
        other = listed.row(0, named=True) if from_tables and listed is not None else None
        other = other or next((r for n, r in named if n == issuer), None)
        for name, r in named:
            if name in issuer or _short_form(name, issuer) or PLACEHOLDER_TEXT.search(name):
                continue
            if _unit_of(name, issuer, own_units):
                continue
            where = f"表中 {listed.height} 处单位名称" if from_tables and listed is not None else f"全文其余 {times} 处"
            out.append(
                finding(
                    ISSUER,
                    "error",
                    r,
                    rows=f"单位称谓 {name}",
                    message=f"单位称谓不一致：此处“{name}”（{page(r)}），{where}为“{issuer}”"
                    + (f"（{other['source_table'] if from_tables else '首见'}，{page(other)}）" if other else ""),
                    other=other,
                )
            )
    return out + _form_titles(lib)


def _form_titles(lib: Library) -> list[Row]:
    """A performance form (部门整体绩效目标申报表, 自评表) whose title names another body than its
    部门名称 cell (the form's one unit): the title is ✗, citing the cell."""
    out = []
    forms = lib.documents.filter(~pl.col("kind").is_in(KINDS)).select("doc_id", "file", "title", "department")
    named = lib.units.join(forms, on="doc_id").filter(pl.col("unit") != pl.col("department").fill_null(""))
    for (doc_id,), group in named.group_by("doc_id"):
        title = re.sub(r"\s+", "", group["title"][0] or "")
        slot = _SLOT.search(title)
        units = group["unit"].unique().to_list()
        if not slot or len(units) != 1:
            continue
        name, unit = name_before(title, slot.start()), units[0]
        if len(name) < 4 or not _BODY.search(name) or name in unit or unit in name or _short_form(name, unit):
            continue
        at = {"doc_id": doc_id, "source_file": group["file"][0], "source_page": 1, "source_table": title}
        other = at | {"source_table": "部门名称"}
        out.append(
            finding(
                ISSUER,
                "error",
                at,
                rows=f"单位称谓 {name}",
                message=f"单位称谓不一致：表题“{name}”（{page(at)}），部门名称栏为“{unit}”（{page(other)}）",
                other=other,
            )
        )
    return out


def _winner(votes: Counter[str]) -> tuple[str, int]:
    """The name with the most votes, at least two; where names that contain one another tie (a
    short form counts every mention of the long one), the longest; ("", 0) where two unrelated
    names tie or only one is named."""
    if len(votes) < 2:
        return "", 0
    best = max(votes.values())
    tops = sorted((n for n, v in votes.items() if v == best), key=len, reverse=True)
    if best < 2 or any(t not in tops[0] for t in tops[1:]):
        return "", 0
    return tops[0], best


def _table_units(lib: Library) -> dict[str, pl.DataFrame]:
    """Per filing, its tables whose printed 部门/单位 line names a body other than the filing's
    (a table without such a line carries the filing's own name)."""
    tables = getattr(lib, "tables", None)
    if tables is None or tables.is_empty():
        return {}
    named = tables.join(lib.documents.select("doc_id", "department"), on="doc_id").filter(
        pl.col("unit").is_not_null(), pl.col("unit") != pl.col("department").fill_null("")
    )
    # The first table read without doubt is the one a finding cites (the line is printed either way).
    first = [pl.col("sure").fill_null(False) & pl.col("table_kind").is_not_null(), "source_page"]
    return {d: g.sort(first, descending=[True, False]) for (d,), g in named.group_by("doc_id")}


ISSUER = Rule("T-ISSUER", "单位称谓前后一致", "The issuer is named the same throughout", _issuer, "issuer")
