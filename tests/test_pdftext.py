"""unpress.pdftext: the lines of a page as a reader sees them.

Every expectation is written here from the page itself (the official page as
printed, the content stream of a synthetic PDF as written below), never taken
from the module's own output.  The synthetic PDFs need no WeasyPrint.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from unpress.errors import UnpressError
from unpress.pdftext import Line, Span, read_pages

# A/RES/80/232, page 1, from the operative title's first line to the notes, as printed.
OFFICIAL_PAGE_1 = [
    "The General Assembly,",
    "Recalling its resolution 54/249 of 23 December 1999, section IV of its resolution",
    "55/238 of 23 December 2000, its resolutions 56/234 and 56/236 of 24 December 2001",
    "and 56/286 of 27 June 2002, section II of its resolution 57/292 of 20 December 2002,",
    "section XXII of its resolution 58/272 of 23 December 2003, section XI of its",
    "resolution 59/276 of 23 December 2004, its resolution 59/295 of 22 June 2005,",
    "section II of its resolution 60/248 of 23 December 2005, its resolutions 60/256 of",
    "8 May 2006, 60/282 of 30 June 2006, 61/251 of 22 December 2006, 62/87 of",
    "10 December 2007, 63/270 of 7 April 2009, 64/228 of 22 December 2009 and 65/269",
    "of 4 April 2011, section III of its resolution 66/258 of 9 April 2012, section V of its",
    "resolution 67/246 of 24 December 2012, sections III and IV of its resolution 67/254",
    "of 12 April 2013, section IV of its resolution 68/247 A of 27 December 2013,",
    "section VII of its resolution 68/247 B of 9 April 2014, section VIII of its resolution",
    "69/274 A of 2 April 2015 and its resolutions 70/239 of 23 December 2015 and 79/246",
    "of 24 December 2024, and its decisions 58/566 of 8 April 2004, 65/543 of",
    "24 December 2010 and 66/555 of 24 December 2011,",
    "Having considered the twenty-third annual progress report of the Secretary-",
    "General on the implementation of the capital master plan1 and the related report of",
    "the Advisory Committee on Administrative and Budgetary Questions,2",
    "1. Takes note of the report of the Secretary-General;",
    "2. Endorses the conclusions and recommendations contained in the report of",
    "the Advisory Committee on Administrative and Budgetary Questions;",
    "_______________",
    "1 A/80/334.",
    "2 A/80/396.",
]


def test_the_lines_of_an_official_page(official_pdfs):
    page = read_pages(official_pdfs / "A_RES_80_232.pdf")[0]
    texts = [line.text for line in page.text_lines]
    assert texts[texts.index("The General Assembly,"):] == OFFICIAL_PAGE_1
    superscripts = [(line.text[-3:], [span.text for span in line.spans if span.superscript])
                    for line in page.text_lines if any(span.superscript for span in line.spans)]
    assert superscripts == [(" of", ["1"]), ("s,2", ["2"]), ("34.", ["1"]), ("96.", ["2"])]


def test_letter_gaps_of_a_justified_line_stay_inside_the_word(official_pdfs):
    """Word spreads a justified line's letters up to 0.6 of a space apart ("Jun e" on screen)."""
    texts = [line.text for line in read_pages(official_pdfs / "A_RES_78_128.pdf")[3].lines]
    assert "Costa Rica and France, will be organized in Nice, France, from 9 to 13 June 2025, to" in texts
    assert "consideration to the call made in the declarations entitled “Our ocean, our future: call" in texts


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
    assert title.size == pytest.approx(12, abs=0.1)  # 16 px in WeasyPrint's page, scaled by 0.75
    assert all(0 < line.y < page.height for page in ours for line in page.lines)


def test_runs_join_with_a_space_only_across_a_word_gap():
    plan = Span("plan", 100.0, 500.0, 10.0, "serif", end=117.0)
    call = Span("1", 118.1, 496.0, 6.5, "serif", end=121.3)  # 1.1 pt on: glued, as Word sets a call
    after = Span("and", 124.0, 500.0, 10.0, "serif", end=139.0)  # 2.7 pt on: a word space
    kerned = Span("d", 139.4, 500.0, 10.0, "serif", end=144.4)  # 0.4 pt: kerning
    line = Line(500.0, [plan, call, after, kerned])
    assert line.text == "plan1 andd"
    assert line.joined([plan, after]) == "plan and"
    assert line.words == ["plan1", "andd"]
    number = Span("10", 117.1, 690.0, 5.5, "serif", end=122.6)  # a note's number, 0.8 pt before its text
    note = Line(693.0, [number, Span("Resolution", 123.4, 693.0, 8.5, "serif", end=162.0)])
    assert note.text == "10 Resolution"


CONTENT = rb"""
BT /F1 12 Tf 1 0 0 1 72 700 Tm (Escaped \(parentheses\) and a \\ backslash) Tj ET
BT /F1 12 Tf 72 680 Td (Nested (balanced) parentheses) Tj 0 -20 Td [(Word)-600(gap)20( kern)] TJ ET
q 1 0 0 1 0 0 cm BI /W 2 /H 2 /BPC 8 /CS /G ID
)[<(
EI Q
BT /F1 12 Tf 72 620 Td 200 Tz (Octal \101\102\103 and \
continued) Tj 14 TL T* (Next line) ' 100 Tz ET
BT /F1 8 Tf 1 0 0 1 72 580 Tm (Small 2) Tj /F1 5 Tf 1 0 0 1 100 583 Tm (3) Tj ET
BT /F1 10 Tf 1 0 0 1 72 560 Tm (Spaced) Tj 1 0 0 1 110 560 Tm (apart) Tj ET
% a comment (with a paren
"""


def synthetic_pdf(path: Path, content: bytes = CONTENT) -> Path:
    """A one-page PDF with Helvetica as /F1 and `content` as its content stream."""
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    })
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    stream = DecodedStreamObject()
    stream.set_data(content)
    page.replace_contents(stream)
    writer.write(path)
    return path


def test_literal_strings_inline_images_and_operators(tmp_path):
    page = read_pages(synthetic_pdf(tmp_path / "synthetic.pdf"))[0]
    assert [line.text for line in page.lines] == [
        "Escaped (parentheses) and a \\ backslash",
        "Nested (balanced) parentheses",
        "Word gap kern",  # a TJ offset of 600/1000 em is a word gap, one of -20 is kerning
        "Octal ABC and continued",
        "Next line",
        "Small 23",  # the raised 3 stands 1.3 pt from the 2, less than a word gap at 8 pt
        "Spaced apart",
    ]
    small = page.lines[-2]
    assert [span.superscript for span in small.spans] == [False, True]
    assert small.y == pytest.approx(792 - 580)
    assert page.lines[0].fonts == {"Helvetica"}
    assert page.lines[0].size == 12


def test_a_page_without_text(tmp_path):
    page = read_pages(synthetic_pdf(tmp_path / "empty.pdf", b"0 0 m 10 10 l S"))[0]
    assert page.lines == [] and page.number == 1 and page.height == 792


@pytest.mark.parametrize("content", [None, b"%PDF-1.7\nnot really\n"], ids=["missing", "not-a-pdf"])
def test_an_unreadable_file_is_the_projects_error(tmp_path, content):
    path = tmp_path / "broken.pdf"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(UnpressError) as error:
        read_pages(path)
    assert str(error.value).startswith(str(path)) and "\n" not in str(error.value)


def test_a_job_number_in_small_type_reads_whole(official_pdfs):
    """Word sets the 7 pt job number of a continuation page in three runs ("23", "-", "25871");
    read as a note's number and its text, it came out "23 -25871" (78/128 p. 3)."""
    foot = [line.text for line in read_pages(official_pdfs / "A_RES_78_128.pdf")[2].lines if line.y > 745]
    assert foot == ["23-25871 3/25"]
    number = Span("23", 60.2, 753.8, 6.96, "serif", end=67.3)
    rest = Span("-25871", 67.5, 753.8, 6.96, "serif", end=87.7)
    assert Line(753.8, [number, rest]).text == "23-25871"
