"""A/RES/58/208 from its Markdown source: the PDF a reader gets, read back as a reader reads it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import run_cli
from pypdf import PdfReader

from unpress.fidelity import measure
from unpress.pdftext import read_pages

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source" / "A_RES_58_208.md"
SEED = ROOT / "tests" / "fixtures" / "seed" / "A_RES_58_208.txt"
SYMBOL = "A/RES/58/208"
BUNDLED_FONTS = {"unpress-serif", "unpress-serif-Italic", "unpress-serif-Bold", "unpress-serif-BoldItalic"}




@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("58-208") / "A_RES_58_208.pdf"
    result = run_cli("build", str(SOURCE), "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def pages(pdf):
    return read_pages(pdf)


def reading_words(pages) -> tuple[list[str], list[str]]:
    """The words a reader reads, from the title on: the text, then the notes.

    Running headers and footers are left out; a note is an 8.5 pt line.
    """
    text: list[str] = []
    notes: list[str] = []
    for page in pages:
        lines = page.text_lines
        if page.number == 1:
            start = next(i for i, line in enumerate(lines) if line.text.startswith("58/208."))
            lines = lines[start:]
        for line in lines:
            (notes if line.size < 9 else text).extend(line.words)
    return text, notes


def seed_words() -> tuple[list[str], list[str]]:
    """The seed's words, text and notes apart (a page's notes follow its separator)."""
    text: list[str] = []
    notes: list[str] = []
    in_notes = False
    for line in SEED.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if re.fullmatch(r"_+", stripped):
            in_notes = True
            continue
        if in_notes and (not stripped or line.startswith(" ")):
            in_notes = False
        if stripped in (SYMBOL, "4"):
            continue
        (notes if in_notes else text).extend(stripped.split())
    return text, notes


def test_text_is_the_official_text_word_for_word(pages):
    text, notes = reading_words(pages)
    seed_text, seed_notes = seed_words()
    assert text == seed_text
    assert notes == seed_notes


def test_footnotes_numbered_through_and_each_on_the_page_of_its_call(pages):
    calls, notes = {}, {}
    for page in pages:
        for line in page.text_lines:
            first = line.spans[0]
            if line.size >= 9.5:
                for span in line.spans:
                    if span.superscript:
                        calls[int(span.text)] = page.number
            elif first.superscript:
                notes[int(first.text)] = page.number
    assert sorted(calls) == list(range(1, 14))
    assert notes == calls
    assert [notes[n] for n in range(1, 14)] == [1] * 7 + [2] * 4 + [3] + [4]


def test_running_header_on_every_later_page_on_the_outer_side(pages):
    assert not any(line.size < 9 for line in pages[0].header + pages[0].footer)
    for page in pages[1:]:
        header = page.header
        assert [line.text for line in header] == [SYMBOL], page.number
        middle = page.width / 2
        if page.number % 2 == 0:
            assert header[0].x < middle - 100
        else:
            assert header[0].x > middle + 100
        assert [line.text for line in page.footer] == [str(page.number)]


def test_operative_numbers_and_subparagraph_letters_in_order(pages):
    body = [line.text for page in pages for line in page.lines if line.size >= 9.5]
    numbers = [int(m.group(1)) for text in body if (m := re.match(r"(\d+)\. \S", text))]
    letters = [m.group(1) for text in body if (m := re.match(r"\(([a-z])\) \S", text))]
    assert numbers == list(range(1, 12))
    assert letters == ["a", "b", "c", "d"]


def test_only_the_bundled_fonts_are_embedded(pdf):
    reader = PdfReader(pdf)
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"]
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            names.add(str(font["/BaseFont"]).split("+", 1)[-1])
    assert names <= BUNDLED_FONTS, names - BUNDLED_FONTS
    assert {"unpress-serif", "unpress-serif-Italic", "unpress-serif-Bold"} <= names


def test_metadata_title_subject_language_outline(pdf):
    reader = PdfReader(pdf)
    assert reader.metadata.title == "International migration and development"
    assert reader.metadata.subject == SYMBOL
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert [item.title for item in reader.outline][:1] == ["58/208. International migration and development"]


def test_fidelity_against_the_official_line_and_page_breaks(pdf):
    result = measure(pdf, SEED)
    assert (result.pages, result.reference_pages) == (4, 4)
    assert result.notes_on_page == result.notes_total == 13
    assert result.break_share >= 0.95, result.summary()
    assert result.similarity > 0.99


def test_compare_command_prints_the_figures(pdf):
    result = run_cli("compare", str(pdf), str(SEED))
    assert result.returncode == 0
    assert "pages: 4 built, 4 official" in result.stdout
    assert re.search(r"line breaks at the official word: \d+/\d+ \(\d+\.\d%\)", result.stdout)


def test_html_renders_to_the_same_pdf_with_the_weasyprint_command(pdf, pages, tmp_path):
    html = tmp_path / "r.html"
    assert run_cli("build", str(SOURCE), "--format", "html", "-o", str(html)).returncode == 0
    again = tmp_path / "r.pdf"
    subprocess.run([sys.executable, "-m", "weasyprint", str(html), str(again)], check=True)
    assert [[(line.text, round(line.x, 1), round(line.y, 1)) for line in page.lines]
            for page in read_pages(again)] == \
        [[(line.text, round(line.x, 1), round(line.y, 1)) for line in page.lines] for page in pages]


def test_default_command_builds_every_source_into_build(tmp_path):
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "A_RES_58_208.md").write_bytes(SOURCE.read_bytes())
    result = run_cli(cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "build" / "A_RES_58_208.pdf").read_bytes().startswith(b"%PDF")


def test_missing_source_is_one_line_and_exit_2(tmp_path):
    result = run_cli("build", str(tmp_path / "nope.md"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"{tmp_path / 'nope.md'}: no such file or directory"
