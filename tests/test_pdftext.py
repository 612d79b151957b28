"""unpress.pdftext reads a content stream itself; it must read what pypdf reads.

The reference is pypdf's own `page.extract_text(visitor_text=...)`, whose runs
pdftext used to group into lines: every line, run, position, size and font must
come out the same.  The synthetic PDFs need no WeasyPrint.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from unpress.pdftext import Span, group_lines, multiply, open_pdf, page_lines, read_pages

OFFICIAL = ["A_RES_80_232", "A_RES_78_4", "A_RES_79_110", "A_RES_80_86", "A_RES_78_317", "A_RES_79_297"]


def reference_lines(page):
    """The lines as the visitor of pypdf's extract_text reports their runs."""
    height = float(page.mediabox.height)
    spans: list[Span] = []

    def visit(text, cm, tm, font_dict, font_size):
        if not text or not font_size:
            return
        a, b, c, d, e, f = multiply(tm, cm)
        size = abs(font_size * (d if d else b))
        font = str((font_dict or {}).get("/BaseFont", "")).split("+")[-1].lstrip("/")
        for part in text.split("\n"):
            if part:
                spans.append(Span(part, e, height - f, round(size, 2), font))

    page.extract_text(visitor_text=visit)
    return group_lines(spans)


def assert_same_as_pypdf(path: Path) -> None:
    reader = open_pdf(path)
    for number, (page, ours) in enumerate(zip(reader.pages, read_pages(path), strict=True), 1):
        assert ours.lines == reference_lines(page), f"{path.name} page {number}"
        # the same text as pypdf's extract_text; only the order differs, where a superscript
        # joins the line it rises from, so the characters are compared, not the words
        ours_text = Counter("".join("".join(line.words) for line in ours.lines))
        assert ours_text == Counter("".join(page.extract_text().replace("\u00a0", " ").split()))


def test_our_58_208_reads_as_pypdf_reads_it(built_58_208):
    assert_same_as_pypdf(built_58_208)


@pytest.mark.parametrize("stem", OFFICIAL)
def test_official_pdfs_read_as_pypdf_reads_them(official_pdfs, stem):
    assert_same_as_pypdf(official_pdfs / f"{stem}.pdf")


def test_positions_of_known_lines(official_pdfs, built_58_208):
    page = read_pages(official_pdfs / "A_RES_80_232.pdf")[0]
    line = next(line for line in page.lines if line.text == "United Nations")
    assert line.y == pytest.approx(57.8, abs=0.1)
    assert line.x == pytest.approx(123.4, abs=0.1)
    assert line.size == pytest.approx(14, abs=0.1)
    assert [line.text for line in page.header][:2] == ["A/RES/80/232", "United Nations"]
    ours = read_pages(built_58_208)
    assert [line.y for line in ours[0].lines] == sorted(line.y for line in ours[0].lines)
    title = next(line for line in ours[0].lines if line.text.startswith("58/208."))
    assert title.x == pytest.approx(72.4, abs=0.5)
    assert all(0 < line.y < page.height for page in ours for line in page.lines)


CONTENT = rb"""
BT /F1 12 Tf 1 0 0 1 72 700 Tm (Escaped \(parentheses\) and a \\ backslash) Tj ET
BT /F1 12 Tf 72 680 Td (Nested (balanced) parentheses) Tj 0 -20 Td [(Word)-600(gap)20( kern)] TJ ET
q 1 0 0 1 0 0 cm BI /W 2 /H 2 /BPC 8 /CS /G ID
) Tj (junk) [ << %
EI Q
BT /F1 12 Tf 72 620 Td 200 Tz (Octal \101\102\103 and \
continued) Tj 14 TL T* (Next line) ' ET
BT /F1 8 Tf 1 0 0 1 72 580 Tm (Small 2) Tj /F1 5 Tf 1 0 0 1 100 583 Tm (3) Tj ET
% a comment (with a paren
"""


def synthetic_pdf(path: Path, content: bytes = CONTENT) -> Path:
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    })
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})})
    stream = DecodedStreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = writer._add_object(stream)
    writer.write(path)
    return path


def test_literal_strings_inline_images_and_operators(tmp_path):
    path = synthetic_pdf(tmp_path / "synthetic.pdf")
    assert_same_as_pypdf(path)
    lines = [line.text for line in read_pages(path)[0].lines]
    assert lines == [
        "Escaped (parentheses) and a \\ backslash",
        "Nested (balanced) parentheses",
        "Word gap kern",
        "Octal ABC and continued",
        "Next line",
        "Small 2 3",  # pypdf sees the gap before the raised 3
    ]
    small = read_pages(path)[0].lines[-1]
    assert [span.superscript for span in small.spans] == [False, True]


def test_a_page_without_text(tmp_path):
    path = synthetic_pdf(tmp_path / "empty.pdf", b"0 0 m 10 10 l S")
    page = page_lines(open_pdf(path).pages[0], 1)
    assert page.lines == [] and page.number == 1 and page.height == 792
