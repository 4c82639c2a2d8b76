"""A PDF whose text layer is exactly the strings given, for tests of what a reader makes of it.

Each character is a glyph of a CID font with no font program (viewers substitute one) and a
ToUnicode map saying which Unicode character it is: the very mechanism by which real filings
carry radical code points (部⻔) for ordinary characters. Only the standard library is used.
"""

from __future__ import annotations

from collections.abc import Sequence


def pdf_with_lines(lines: list[str]) -> bytes:
    """One A4 page with each string on a line of its own, top to bottom, at 12 points."""
    return pdf_with_text([(60, 780 - 20 * n, line) for n, line in enumerate(lines)])


def pdf_with_text(
    placed: Sequence[tuple[float, float, str]], rules: Sequence[tuple[float, float, float, float]] = ()
) -> bytes:
    """One A4 page with each string drawn at its (x, y) in points from the bottom left, 12 points
    high, and ruled lines from (x0, y0) to (x1, y1): a table's grid."""
    return pdf_with_pages([(placed, rules)])


def pdf_with_pages(
    pages: Sequence[tuple[Sequence[tuple[float, float, str]], Sequence[tuple[float, float, float, float]]]],
) -> bytes:
    """A4 pages, each drawn as ``pdf_with_text`` draws its one: (placed strings, ruled lines)."""
    chars = sorted({c for placed, _ in pages for _, _, text in placed for c in text})
    cid = {c: i + 1 for i, c in enumerate(chars)}
    contents = []
    for placed, rules in pages:
        content = "".join(f"{x0:g} {y0:g} m {x1:g} {y1:g} l S\n" for x0, y0, x1, y1 in rules)
        content += "BT /F1 12 Tf\n" + "".join(
            f"1 0 0 1 {x:g} {y:g} Tm <{''.join(f'{cid[c]:04X}' for c in text)}> Tj\n" for x, y, text in placed
        )
        contents.append(content + "ET")
    bfchar = "".join(f"<{cid[c]:04X}> <{c.encode('utf-16-be').hex().upper()}>\n" for c in chars)
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{len(chars)} beginbfchar\n{bfchar}endbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    first = 9  # objects 1-8 below; then a page and its content stream per page
    kids = " ".join(f"{first + 2 * n} 0 R" for n in range(len(pages)))
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>",
        "<< >>",  # unused: kept so the font objects keep their numbers
        "<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
        "/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        "<< >>",
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun "
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 "
        "/FontDescriptor 8 0 R >>",
        _stream(cmap),
        "<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -141 1000 859] /ItalicAngle 0 "
        "/Ascent 859 /Descent -141 /CapHeight 859 /StemV 80 >>",
    ]
    for n, content in enumerate(contents):
        objects.append(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
            f"/Contents {first + 2 * n + 1} 0 R >>"
        )
        objects.append(_stream(content))
    out = b"%PDF-1.7\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def _stream(text: str) -> str:
    return f"<< /Length {len(text.encode('latin-1'))} >>\nstream\n{text}\nendstream"
