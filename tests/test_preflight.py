"""The preflight (`build.py check`): good PDFs pass, damaged ones fail naming the damage."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from helpers import run_cli
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream

from unpress.errors import UnpressError
from unpress.house import Geometry
from unpress.pdftext import HEADER_BOTTOM, Line, Page, Span, read_pages
from unpress.preflight import Report, check_footnotes, check_numbering, check_pdf

PROJECT_ROOT = Path(__file__).resolve().parents[1]
OFFICIAL_PDFS = PROJECT_ROOT / "tests" / "fixtures" / "official"
OFFICIAL = sorted(OFFICIAL_PDFS.glob("*.pdf"))
OFFICIAL_SAMPLE = OFFICIAL_PDFS / "A_RES_79_268.pdf"  # 4 pages, "n / N" footers, one footnote

# Real defects of the UN's PDFs, each with the reason; every entry must occur,
# and nothing else may.  (kind, message pattern, reason)
NO_TITLE = ("metadata", r"no /Title",
            "Word's export leaves the document information without a /Title (nor XMP dc:title)")
FONTS_NOT_EMBEDDED = ("fonts", r"font TimesNewRomanPS(-BoldMT|-ItalicMT|MT) is not embedded",
                      "exported from Word without embedding Times New Roman")
FROZEN_EVEN_FOOTER = ("pages", r"numbered 2, but it is page (4|6|8|10|12) of the PDF",
                      "every even page's footer reads '2 / 12': the page field was frozen in the "
                      "even-page footer")
FONTS_EMBEDDED_IN = {"A_RES_79_313.pdf", "A_RES_80_11.pdf", "A_RES_80_189.pdf", "A_RES_80_222.pdf",
                     "A_RES_80_224.pdf", "A_RES_80_232.pdf", "A_RES_80_86.pdf"}
KNOWN_DEFECTS: dict[str, list[tuple[str, str, str]]] = {
    pdf.name: [NO_TITLE]
    + ([] if pdf.name in FONTS_EMBEDDED_IN else [FONTS_NOT_EMBEDDED])
    + ([FROZEN_EVEN_FOOTER] if pdf.name == "A_RES_79_313.pdf" else [])
    for pdf in OFFICIAL
}


def messages(report: Report, kind: str) -> list[str]:
    return [f"page {p.page}: {p.message}" for p in report.problems if p.kind == kind]


def test_all_official_pdfs_are_copied():
    assert len(OFFICIAL) == 22


@pytest.mark.parametrize("pdf", OFFICIAL, ids=[pdf.stem for pdf in OFFICIAL])
def test_official_pdf_passes_but_for_its_named_defects(pdf: Path):
    report = check_pdf(pdf)
    known = KNOWN_DEFECTS[pdf.name]
    unexplained = [p for p in report.problems
                   if not any(p.kind == kind and re.search(pattern, p.message) for kind, pattern, _ in known)]
    assert unexplained == []
    for kind, pattern, reason in known:
        assert any(p.kind == kind and re.search(pattern, p.message) for p in report.problems), \
            f"no longer a defect, drop it from KNOWN_DEFECTS: {reason}"
    assert report.pages == len(PdfReader(pdf).pages)


def test_official_pdf_with_its_defects_repaired_passes(tmp_path: Path):
    """The allow-list is all that stands between the UN's PDF and a pass."""
    repaired = tmp_path / "A_RES_80_232.pdf"
    writer = PdfWriter(clone_from=OFFICIAL_PDFS / "A_RES_80_232.pdf")
    writer.add_metadata({"/Title": "Capital master plan"})
    writer.write(repaired)
    report = check_pdf(repaired)
    assert report.ok, report.human()
    assert (report.pages, report.footnotes) == (2, 2)


def test_every_document_we_can_build_passes(built_corpus):
    """The 22 corpus documents, 58/208 and the footnote test document: the build runs
    the preflight on each PDF and fails (exit 2) if any does not pass."""
    result, out = built_corpus
    assert result.returncode == 0, result.stderr
    assert len(list(out.glob("*.pdf"))) == 24
    for pdf in out.glob("*.pdf"):
        report = check_pdf(pdf)
        assert report.ok, report.human()


def test_our_58_208_passes(built_58_208: Path):
    report = check_pdf(built_58_208)
    assert report.ok, report.human()
    assert (report.pages, report.footnotes) == (len(PdfReader(built_58_208).pages), 13)


# -- damaged PDFs ------------------------------------------------------------


def keep_pages(source: Path, target: Path, order: list[int]) -> Path:
    """A copy of `source` with only the pages at `order` (0-based), in that order."""
    writer = PdfWriter(clone_from=source)
    pages = [writer.pages[index] for index in order]
    for index in reversed(range(len(writer.pages))):
        del writer.pages[index]
    for page in pages:
        writer.add_page(page)
    writer.write(target)
    return target


def multiply(m1, m2):
    """The product of two PDF matrices (a b c d e f)."""
    a1, b1, c1, d1, e1, f1 = m1
    a2, b2, c2, d2, e2, f2 = m2
    return (a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2)


def drop_running_header(source: Path, target: Path, index: int) -> Path:
    """A copy of `source` whose page `index` has lost the text of its running header.

    The text-showing operators drawn above the body are cut from the content
    stream, tracking the graphics and text matrices to know where each one draws.
    """
    writer = PdfWriter(clone_from=source)
    page = writer.pages[index]
    height = float(page.mediabox.height)
    content = ContentStream(page.get_contents(), writer)
    identity = (1, 0, 0, 1, 0, 0)
    ctm, stack, tm, tlm, leading = identity, [], identity, identity, 0.0
    kept = []
    for operands, operator in content.operations:
        values = [float(v) if isinstance(v, int | float) else v for v in operands]
        if operator == b"q":
            stack.append(ctm)
        elif operator == b"Q":
            ctm = stack.pop()
        elif operator == b"cm":
            ctm = multiply(values, ctm)
        elif operator == b"BT":
            tm = tlm = identity
        elif operator == b"Tm":
            tm = tlm = tuple(values)
        elif operator == b"TL":
            leading = values[0]
        elif operator in (b"Td", b"TD", b"T*", b"'", b'"'):
            tx, ty = values[:2] if operator in (b"Td", b"TD") else (0.0, -leading)
            if operator == b"TD":
                leading = -ty
            tm = tlm = multiply((1, 0, 0, 1, tx, ty), tlm)
        if operator in (b"Tj", b"TJ", b"'", b'"') and height - multiply(tm, ctm)[5] < HEADER_BOTTOM:
            continue
        kept.append((operands, operator))
    content.operations = kept
    page.replace_contents(content)
    writer.write(target)
    damaged = read_pages(target)[index]
    assert not [line for line in damaged.lines if line.y < HEADER_BOTTOM], "the header is still there"
    return target


def page_count(pdf: Path) -> int:
    return len(PdfReader(pdf).pages)


def test_ours_with_a_middle_page_deleted(built_58_208: Path, tmp_path: Path):
    rest = list(range(2, page_count(built_58_208)))
    report = check_pdf(keep_pages(built_58_208, tmp_path / "d.pdf", [0, *rest]))
    assert "page 2: numbered 3, but it is page 2 of the PDF" in messages(report, "pages")
    assert messages(report, "footnotes")  # the lost page's notes leave a gap


def test_ours_with_two_pages_swapped(built_58_208: Path, tmp_path: Path):
    rest = list(range(3, page_count(built_58_208)))
    report = check_pdf(keep_pages(built_58_208, tmp_path / "s.pdf", [0, 2, 1, *rest]))
    assert messages(report, "pages") == [
        "page 2: numbered 3, but it is page 2 of the PDF",
        "page 3: numbered 2, but it is page 3 of the PDF",
    ]


def test_ours_with_the_last_page_missing(built_58_208: Path, tmp_path: Path):
    """The 2003 edition prints no page count: the lost closing block gives it away."""
    kept = list(range(page_count(built_58_208) - 1))
    report = check_pdf(keep_pages(built_58_208, tmp_path / "l.pdf", kept))
    assert messages(report, "pages") == [
        f"page {len(kept)}: no closing block (plenary meeting and date): the last page may be missing"
    ]


def test_ours_with_a_running_header_removed(built_58_208: Path, tmp_path: Path):
    report = check_pdf(drop_running_header(built_58_208, tmp_path / "h.pdf", 2))
    assert messages(report, "pages") == ["page 3: the running header lacks the symbol A/RES/58/208"]


def test_official_with_a_middle_page_deleted(tmp_path: Path):
    report = check_pdf(keep_pages(OFFICIAL_SAMPLE, tmp_path / "d.pdf", [0, 2, 3]))
    found = messages(report, "pages")
    assert "page 2: numbered 3, but it is page 2 of the PDF" in found
    assert "page 2: the footer says 4 pages, the PDF has 3" in found


def test_official_with_two_pages_swapped(tmp_path: Path):
    report = check_pdf(keep_pages(OFFICIAL_SAMPLE, tmp_path / "s.pdf", [0, 2, 1, 3]))
    assert messages(report, "pages") == [
        "page 2: numbered 3, but it is page 2 of the PDF",
        "page 3: numbered 2, but it is page 3 of the PDF",
    ]


def test_official_with_the_last_page_missing(tmp_path: Path):
    report = check_pdf(keep_pages(OFFICIAL_SAMPLE, tmp_path / "l.pdf", [0, 1, 2]))
    assert messages(report, "pages") == [
        "page 2: the footer says 4 pages, the PDF has 3",
        "page 3: the footer says 4 pages, the PDF has 3",
    ]


def test_official_with_a_running_header_removed(tmp_path: Path):
    report = check_pdf(drop_running_header(OFFICIAL_SAMPLE, tmp_path / "h.pdf", 2))
    assert messages(report, "pages") == ["page 3: the running header lacks the symbol A/RES/79/268"]


def test_unreadable_file_raises_the_project_error(tmp_path: Path):
    bogus = tmp_path / "bogus.pdf"
    bogus.write_text("not a PDF")
    with pytest.raises(UnpressError):
        check_pdf(bogus)


# -- the command line --------------------------------------------------------


def run_check(*args: str | Path) -> subprocess.CompletedProcess:
    return run_cli("check", *map(str, args))


@pytest.fixture
def passing_pdf(tmp_path: Path) -> Path:
    """An official PDF with its only defect (no /Title) repaired."""
    target = tmp_path / "A_RES_80_189.pdf"
    writer = PdfWriter(clone_from=OFFICIAL_PDFS / "A_RES_80_189.pdf")
    writer.add_metadata({"/Title": "A/RES/80/189"})
    writer.write(target)
    return target


def test_cli_exit_0_when_every_file_passes(passing_pdf: Path):
    result = run_check(passing_pdf)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == f"{passing_pdf}: ok (1 pages, 1 footnotes)"


def test_cli_exit_1_and_problems_by_page_when_a_file_fails(passing_pdf: Path):
    result = run_check(passing_pdf, OFFICIAL_PDFS / "A_RES_79_313.pdf")
    assert result.returncode == 1
    assert f"{OFFICIAL_PDFS / 'A_RES_79_313.pdf'}: FAILED" in result.stdout
    assert "  page 4: numbered 2, but it is page 4 of the PDF" in result.stdout.splitlines()


def test_cli_json_parses(passing_pdf: Path):
    result = run_check("--json", passing_pdf, OFFICIAL_PDFS / "A_RES_79_313.pdf")
    assert result.returncode == 1
    findings = json.loads(result.stdout)
    assert [(f["file"], f["ok"]) for f in findings] == [
        (str(passing_pdf), True), (str(OFFICIAL_PDFS / "A_RES_79_313.pdf"), False)
    ]
    assert {"page": 4, "kind": "pages", "message": "numbered 2, but it is page 4 of the PDF"} \
        in findings[1]["problems"]
    # print-readiness findings are warnings, not failures, unless --strict
    assert {"page": None, "kind": "metadata", "message": "no /Title in the document information"} \
        in findings[1]["warnings"]


@pytest.mark.parametrize("content", [None, "not a PDF at all\n"], ids=["missing", "not-a-pdf"])
def test_cli_exit_2_with_one_line_for_an_unreadable_file(tmp_path: Path, content: str | None):
    target = tmp_path / "A_RES_1_1.pdf"
    if content is not None:
        target.write_text(content)
    result = run_check(target)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"{target}: ")


def test_cli_exit_2_wins_but_readable_files_are_still_checked(passing_pdf: Path, tmp_path: Path):
    result = run_check(tmp_path / "missing.pdf", passing_pdf)
    assert result.returncode == 2
    assert f"{passing_pdf}: ok" in result.stdout


# -- the rules on made-up pages ----------------------------------------------


def body_page(*texts: str) -> Page:
    """10 pt paragraphs: "|" starts one at the first-line indent (and adds a line at the column)."""
    lines, y = [], 100.0
    for text in texts:
        indented = text.startswith("|")
        x = 147.0 if indented else 123.0
        lines.append(Line(y, [Span(text.lstrip("|"), x, y, 10.0, "serif", end=x + 5 * len(text))]))
        if indented:
            y += 12
            lines.append(Line(y, [Span("continued", 123.0, y, 10.0, "serif", end=168.0)]))
        y += 18
    return Page(1, 612.0, 792.0, lines)


def numbering_problems(*texts: str) -> list[str]:
    report = Report("made-up.pdf")
    check_numbering([body_page(*texts)], report, Geometry())
    return [p.message for p in report.problems]


def test_numbering_in_order_with_letters_romans_and_an_annex_restart():
    assert numbering_problems(
        "|The General Assembly,", "|1. Decides", "|2. Requests", "|(a) One", "|(i) Sub", "|(ii) Sub",
        "|(b) Two", "|3. Decides", "|(a) Again", "Annex", "|1. First", "|2. Second",
    ) == []


def test_numbering_gaps_and_letter_skips_are_named():
    assert numbering_problems("|1. A", "|3. B", "|(a) x", "|(c) y", "|(iii) z") == [
        "paragraph 3 where 2 was expected",
        "subparagraph (c) where (b) was expected",
        "subparagraph (iii) where (d) was expected",
    ]


def test_numbering_restart_without_an_annex_heading_is_named():
    assert numbering_problems("|1. A", "|2. B", "|1. C") == ["paragraph 1 where 3 was expected"]


def footnote_page(number: int, calls: list[str], notes: list[str]) -> Page:
    lines = [Line(100.0 + 12 * i, [Span("text", 123.0, 100.0 + 12 * i, 10.0, "serif", end=140.0),
                                   Span(call, 200.0, 96.0 + 12 * i, 6.5, "serif", end=203.0)])
             for i, call in enumerate(calls)]
    lines += [Line(650.0 + 10 * i, [Span(note, 117.0, 647.0 + 10 * i, 5.5, "serif", end=120.0),
                                    Span("Resolution 1.", 123.0, 650.0 + 10 * i, 8.5, "serif", end=170.0)])
              for i, note in enumerate(notes)]
    return Page(number, 612.0, 792.0, lines)


def test_footnote_gap_and_stray_note_are_named_but_a_call_again_is_sound():
    """A later call to note 2 (AKN noteRef, Markdown [^=x]) repeats its number; 3 is missing."""
    report = Report("made-up.pdf")
    pages = [footnote_page(1, ["1", "2"], ["1", "2"]), footnote_page(2, ["2", "4"], ["4", "5"])]
    check_footnotes(pages, report, Geometry())
    assert [f"page {p.page}: {p.message}" for p in report.problems] == [
        "page 2: footnote call 4 where 3 was expected",
        "page 2: note 4 where 3 was expected",
        "page 2: note 5 has no call",
    ]


def test_footnote_away_from_its_call_is_named():
    report = Report("made-up.pdf")
    check_footnotes([footnote_page(1, ["1", "2"], ["1"]), footnote_page(2, [], ["2"])], report,
                    Geometry())
    assert [f"page {p.page}: {p.message}" for p in report.problems] == [
        "page 1: footnote 2 is on page 2, its call on page 1",
    ]


def test_two_calls_of_a_line_stay_two_calls_when_the_text_between_sits_apart():
    """zh 80/187: the Chinese text of a line sits 1 pt below its calls and is read as a line of
    its own: the calls "3" and "4", 105 pt apart, are two calls, not "34"."""
    from unpress.pdftext import Line, Span
    from unpress.preflight import superscript_numbers

    calls = Line(y=400.0, spans=[Span("5. ", 147.1, 400.0, 10.0, "f", 157.6),
                                 Span("3", 333.7, 397.0, 6.5, "f", 337.0),
                                 Span("4", 442.0, 397.0, 6.5, "f", 445.3)])
    kerned = Line(y=400.0, spans=[Span("1", 300.0, 397.0, 6.5, "f", 303.2),
                                  Span("2", 303.5, 397.0, 6.5, "f", 306.7)])
    assert superscript_numbers(calls) == [3, 4]
    assert superscript_numbers(kerned) == [12]


def test_chinese_division_numerals_and_articles_restart_the_numbering():
    from unpress.preflight import RESTART

    assert RESTART.match("二") and RESTART.match("第二条定义") and RESTART.match("第四条可转让货物单证的内容")
    assert not RESTART.match("第二条规定的义务适用于所有缔约国和其他国家以及")  # a line of text
