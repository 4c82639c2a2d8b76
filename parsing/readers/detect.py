"""What a filing is — kind, year, issuer — read from its own pages, never from PDF metadata.

An office prints its identity on the cover: the lines of the first page before the 目录 or the
first heading ("2026年度" / "泉州市公安局" / "部门预算" on three lines reads as one title). A
labelled line or cell (预算主管部门：…, 部门（单位）名称 | …) names the issuer more exactly than
the cover's wording; a filing without a cover (a bare table set) is known by its table titles
(预算01表, 收支总表) and its labelled cells. Kinds are told apart by vocabulary, the most specific
first, so a 部门整体支出绩效自评表 is not taken for a 绩效自评表 nor a 部门预算.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from parsing.normalize import squash
from parsing.routes.raw import RawDocument, RawRow, RawTable

#: (kind, word sets: any set whose words all appear names the kind) — most specific first.
KIND_WORDS: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("部门整体支出绩效自评表", (("整体", "绩效", "自评"),)),
    ("绩效自评表", (("绩效自评",), ("自评表",))),
    ("部门整体绩效目标申报表", (("部门整体", "绩效目标"), ("整体支出", "绩效目标"))),
    ("项目支出绩效目标表", (("项目", "绩效目标", "表"),)),
    ("部门决算", (("决算",),)),
    ("单位预算", (("单位预算",),)),
    ("部门预算", (("预算",),)),
)
#: Titles of the tables a budget or a final account is made of: a cover-less table set is one.
_BUDGET_TABLE = re.compile(
    r"(?:预算|决算)\d+(?:-\d+)?表|收支.{0,6}总表|收支总体情况表|收入.{0,4}总表|功能分类|经济分类"
)
_YEAR = re.compile(r"(20\d\d)\s*年")
_YEAR_ONLY = re.compile(r"^[（(]?(20\d\d)\s*年度?[)）]?$")
_ASIDE = re.compile(r"[（(][^）)]*[)）]")
_COVER_STOP = re.compile(
    r"^(?:目\s*录|第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])"
)
_COVER_LINES = 6
_LABEL = (
    r"(?:预算主管部门|主管部门|预算单位|部门\s*[（(]\s*单位\s*[)）]\s*名称|部门名称|单位名称|编制部门|编制单位|填报单位"
    r"|申报单位|部门|单位)"
)
_LABEL_LINE = re.compile(rf"^{_LABEL}(?:[（(]盖章[)）])?\s*[:：]\s*(.+?)\s*(?:(?:金额)?单位\s*[:：].*)?$")
_LABEL_CELL = re.compile(rf"^{_LABEL}(?:[（(]盖章[)）])?[:：]?$")
#: Where the issuer's name ends on a cover: the kind or scope words that follow it.
_AFTER_ISSUER = re.compile(r"(?:区级|市级|县级|省级|本级)?(?:部门|单位)?(?:整体|项目支出|预算|决算|绩效)")
_NOISE = re.compile(r"20\d\d\s*年度?|[（(][^）)]*[)）]|^第[一二三四五六七八九十]+部分|[\s:：]")
#: The last characters of an organisation's name (局, 委员会, 办事处, 中心 …).
_ORG_END = re.compile(
    r"(?:局|委|委员会|办|办公室|办事处|院|厅|部|处|室|中心|会|所|站|馆|队|公司|政府|府|署|社|校|团|联|台|园|场|庭|组|宫|库|行|监狱|医院|学院|大学|学校)$"
)
_NOT_ORG = re.compile(r"部分|目录|说明|情况|预算|决算|绩效|表|合计|总计|小计|科目|项目|金额|[0-9０-９]{3}")
_SYNTHETIC = re.compile(r"示例数据|非官方发布")
_TITLE_CELL_ROWS = 4  # rows of a grid that may hold its title block (部门名称 | 北京市财政局)


@dataclass(frozen=True)
class Identity:
    """Who published what for which year, and where each of the three was read."""

    kind: str
    year: int | None
    department: str | None
    title: str
    synthetic: bool
    from_cover: bool = True  # the kind was printed on the cover, not only guessed from the tables


def identify(doc: RawDocument) -> Identity | None:
    """The filing's identity, or None when nothing on its pages says it is a budget filing."""
    cover = _cover(doc)
    kind = kind_of("".join(cover))
    title = _title(cover)
    from_cover = kind is not None
    titles = [squash(t) for t in _table_titles(doc)]
    if kind is None:
        kind = next((k for t in titles if (k := kind_of(t))), None)
        if kind is None and any(_BUDGET_TABLE.search(t) for t in titles):
            kind = "部门决算" if any("决算" in t for t in titles) else "部门预算"
        if kind is None:
            return None
        named = next((t for t in titles if kind_of(t) == kind), None)
        cover, title = ([named], named) if named else (cover, title or kind)
    head = [squash(l.text) for l in doc.lines[:40]]
    return Identity(
        kind=kind,
        year=_year(cover, titles, head),
        department=_issuer(doc, cover),
        title=title,
        synthetic=bool(_SYNTHETIC.search(" ".join(l.text for l in doc.lines[:40]))),
        from_cover=from_cover,
    )


def kind_of(text: str) -> str | None:
    """The filing kind a title names, by vocabulary, the most specific first."""
    t = squash(text)
    for kind, sets in KIND_WORDS:
        if any(all(w in t for w in words) for words in sets):
            return kind
    return None


def _cover(doc: RawDocument) -> list[str]:
    """The title block: the first text page's opening lines, up to the 目录 or a heading.

    A page whose text is all inside the grid (a table set) gives its first table's title cells.
    """
    lines = [l for l in doc.lines if squash(_bare(l.text))]
    first_page = min((l.page for l in lines if l.page is not None), default=None)
    first_grid = min((t.page for t in doc.tables if t.page is not None), default=None)
    if first_page is not None and first_grid is not None and first_grid < first_page:
        return [c for c in _title_cells(doc.tables[0]) if not _LABEL_CELL.match(c)][:_COVER_LINES]
    block: list[str] = []
    for line in (l for l in lines if l.page == first_page):
        text = squash(_bare(line.text))
        if _COVER_STOP.match(text) or len(block) == _COVER_LINES:
            break
        if not _SYNTHETIC.search(text):  # a publisher's 示例数据 banner is no part of the title
            block.append(text)
    return block


def _title(cover: list[str]) -> str:
    """The cover's lines up to the one naming the kind, and a year printed alone under it."""
    end = next((i for i in range(len(cover)) if kind_of("".join(cover[: i + 1]))), len(cover) - 1) + 1
    if end < len(cover) and _YEAR_ONLY.match(cover[end]):
        end += 1
    return "".join(cover[:end])


def _bare(text: str) -> str:
    return text.lstrip("#-* ").replace("*", "")


def _table_titles(doc: RawDocument) -> Iterator[str]:
    """Each table's printed title and the title-like cells at the top of its grid, in order."""
    for table in doc.tables:
        if table.title:
            yield table.title
        yield from (c for c in _title_cells(table) if len(c) <= 40)


def _title_cells(table: RawTable) -> list[str]:
    """Non-empty cells of the first rows of a grid's pages, each squashed, in reading order."""
    return [t for row in _top_rows(table) for c in row.cells if (t := squash(c))]


def _top_rows(table: RawTable) -> Iterator[RawRow]:
    """The first rows of each page of a grid: where a title block printed inside it sits."""
    for fragment in table.fragments:
        yield from fragment[:_TITLE_CELL_ROWS]


def _year(cover: list[str], titles: list[str], head: list[str]) -> int | None:
    """The year beside the kind on the cover, else any cover year, else a title's or a
    stand-alone year cell's (（2026年度）), else the first year in the opening lines."""
    kinded = [t for t in cover if kind_of(t)]
    years = [c for c in titles if _YEAR_ONLY.match(c)] + [t for t in titles if kind_of(t) or _BUDGET_TABLE.search(t)]
    for text in (_title(cover), *kinded, *cover, *years, *head):
        if m := _YEAR.search(_unbracket(text)):
            return int(m.group(1))
    return None


def _unbracket(text: str) -> str:
    """Text without its bracketed asides (（据2023年文本推算）), a bracketed year (（2024年度）) kept."""
    return _ASIDE.sub(lambda m: m.group() if _YEAR_ONLY.match(m.group()) else "", text)


def _issuer(doc: RawDocument, cover: list[str]) -> str | None:
    """A labelled line of the cover, the cover's title, a labelled cell, the tables' 部门 lines."""
    candidates = [
        *(_labelled_lines(cover)),
        _from_title("".join(cover)),
        *_labelled_cells(doc.tables),
        *_most_common(t.department for t in doc.tables),
        *_labelled_lines(squash(l.text) for l in doc.lines),
    ]
    return next((c for c in (issuer_name(c) for c in candidates if c) if c), None)


def issuer_name(text: str) -> str | None:
    """``text`` as an issuer's name (brackets, years, spaces dropped), or None when it does not
    read as an organisation's name (a place, a heading, a sentence)."""
    name = _NOISE.sub("", text)
    if not 3 <= len(name) <= 40 or _NOT_ORG.search(name) or not _ORG_END.search(name):
        return None
    return name


def _from_title(title: str) -> str | None:
    """The words before the kind in a cover title: 2026年度泉州市公安局部门预算 → 泉州市公安局."""
    text = _NOISE.sub("", title)
    m = _AFTER_ISSUER.search(text)
    return text[: m.start()] if m and m.start() else None


def _labelled_lines(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        if m := _LABEL_LINE.match(line):
            yield m.group(1)


def _labelled_cells(tables: list[RawTable]) -> Iterator[str]:
    """The value right of a label cell in a grid's first rows (部门名称 | 广州市生态环境局)."""
    for table in tables:
        for row in _top_rows(table):
            cells = [squash(c) for c in row.cells]
            for i, cell in enumerate(cells):
                if _LABEL_CELL.match(cell):
                    value = next((c for c in cells[i + 1 :] if c), None)
                    if value:
                        yield value
                elif m := _LABEL_LINE.match(cell):
                    yield m.group(1)


def _most_common(names: Iterable[str | None]) -> list[str]:
    return [n for n, _ in Counter(n for n in names if n).most_common()]
