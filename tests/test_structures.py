"""What the UN writes in AKN4UN, read whole: every structure below is cut from a real file.

tests/fixtures/structures/ holds small cuts of English files of github.com/UNxml/GAresolutions
(the file's name says which resolution): the same elements, fewer paragraphs.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from unpress import readers
from unpress.errors import UnpressError
from unpress.pdftext import read_pages
from unpress.pipeline import BuildOptions, build_one
from unpress.preflight import check_pdf

ROOT = Path(__file__).resolve().parent.parent
STRUCTURES = ROOT / "tests" / "fixtures" / "structures"
OFFICIAL = ROOT / "tests" / "fixtures" / "official"
CORPUS = ROOT / "tests" / "fixtures" / "akn"


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "build.py", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every structure fixture, built to PDF by one `build` command (which must succeed)."""
    out = tmp_path_factory.mktemp("structures")
    result = cli("build", STRUCTURES, "-o", out, "--jobs", "2")
    assert result.returncode == 0, result.stderr
    return out


def lines(pdf: Path) -> list[str]:
    """The PDF's text lines in reading order, white space squeezed."""
    return [" ".join(line.text.split()) for page in read_pages(pdf) for line in page.lines
            if line.text.strip()]


def test_every_structure_builds_and_passes_the_strict_preflight(built: Path):
    for pdf in sorted(built.glob("*.pdf")):
        report = check_pdf(pdf, strict=True)
        assert report.ok, report.human()
    assert len(list(built.glob("*.pdf"))) == len(list(STRUCTURES.glob("*.xml")))


def test_budget_sections_print_numeral_then_heading_and_restart_at_1(built: Path):
    text = lines(built / "sections_79_258.pdf")
    first = text.index("I")
    second = text.index("II")
    assert text[first + 1] == "Enterprise resource planning project, Umoja"
    assert text[second + 1].startswith("Request for a subvention to the Residual Special Court")
    numbers = [int(m[1]) for line in text if (m := re.match(r"^(\d+)\. [A-Z]", line))]
    assert numbers == [1, 2, 1, 2, 3]


def test_a_centred_division_letter_restarts_the_numbering(built: Path):
    """76/240's section: a centred "A" heading, then paragraphs from 1 again (the preflight refused it)."""
    text = lines(built / "division_heading_76_240.pdf")
    letter = text.index("A")
    assert text[letter + 1] == "Base/floor salary scale"
    numbers = [int(m[1]) for line in text if (m := re.match(r"^(\d+)\. [A-Z]", line))]
    assert numbers == [1, 2, 1, 2]


def test_paragraph_anchors_stay_unique_when_a_section_restarts_at_1(tmp_path: Path):
    out = tmp_path / "division.html"
    result = cli("build", STRUCTURES / "division_heading_76_240.xml", "-o", out, "--format", "html")
    assert result.returncode == 0, result.stderr
    ids = re.findall(r' id="([^"]+)"', out.read_text(encoding="utf-8"))
    assert "para1" in ids and len(ids) == len(set(ids))


def test_a_lettered_heading_prints_its_letter_once_and_is_no_subparagraph(built: Path):
    """76/258 writes `<num>(a)</num><subheading>(a) Transport`; headings (a), (b) between paragraphs."""
    text = lines(built / "lettered_headings_76_258.pdf")
    assert "(a) Transport" in text and "(b) Energy" in text
    assert not any(line.startswith("(a) (a)") for line in text)


def test_parts_whose_numeral_is_a_subheading_are_divisions(built: Path):
    text = lines(built / "parts_79_298.pdf")
    assert text[text.index("I") + 1] == "Support account for peacekeeping operations"
    assert text[text.index("II") + 1] == "Support account and related funding issues"


def test_every_preamble_and_body_is_read_not_only_the_first(built: Path):
    """77/118 adopts a text inline: preamble, mainBody, preamble, mainBody."""
    text = lines(built / "repeated_bodies_77_118.pdf")
    assert any(line.startswith("Calling attention also") for line in text)  # the first mainBody
    assert any(line.startswith("Noting the need to recognize") for line in text)  # 2nd preamble
    assert text[text.index("I") + 1] == "Achieving sustainable fisheries"  # 2nd mainBody
    assert any(line.startswith("1. Reaffirms the importance") for line in text)


def test_a_resolution_in_parts_prints_each_part_with_its_closing(built: Path):
    pdf = built / "collection_79_259.pdf"
    text = lines(pdf)
    assert "A/RES/79/259 A-C" in " ".join(text[:6])
    assert any(line.startswith("79/259. Programme budget for 2025") for line in text)
    a, b = text.index("A"), text.index("B")
    assert text[a + 1] == "Budget appropriations for 2025"
    assert text[b + 1] == "Income estimates for 2025"
    assert text.count("55th (resumed) plenary meeting") == 2
    assert text.count("24 December 2024") >= 2


def test_a_list_numbered_1_to_5_under_a_paragraph_ending_with_a_colon_is_its_list(built: Path):
    """79/1's Global Digital Compact: paragraph 7 "... the following objectives:", then siblings
    numbered 1. to 5., then paragraph 8.  Read as operative paragraphs they failed the preflight
    ("paragraph 1 where 8 was expected") and nothing was written."""
    annex = readers.read(STRUCTURES / "numbered_list_79_1.xml").annexes[0]
    seventh = next(block for block in annex.blocks if getattr(block, "number", None) == 7)
    assert [sub.label for sub in seventh.children] == ["1.", "2.", "3.", "4.", "5."]
    assert [block.number for block in annex.blocks if hasattr(block, "number")][-2:] == [7, 8]
    text = lines(built / "numbered_list_79_1.pdf")
    assert any(line.startswith("1. Close all digital divides") for line in text)


def test_a_numbered_list_under_a_paragraph_goes_through_markdown_and_back(tmp_path: Path):
    """Written as "    1. Close all digital divides ..." under "7. ...:", read back as the items
    of paragraph 7 (the Markdown reader refused the indented "1." as a list)."""
    source = tmp_path / "79_1.md"
    result = cli("build", STRUCTURES / "numbered_list_79_1.xml", "-o", source, "--format", "md")
    assert result.returncode == 0, result.stderr
    assert "\n    1. Close all digital divides" in source.read_text(encoding="utf-8")
    seventh = next(block for block in readers.read(source).annexes[0].blocks
                   if getattr(block, "number", None) == 7)
    assert [sub.label for sub in seventh.children] == ["1.", "2.", "3.", "4.", "5."]


def test_labels_go_on_after_z_with_aa(built: Path):
    text = lines(built / "long_labels_76_179.pdf")
    z = next(i for i, line in enumerate(text) if line.startswith("(z) "))
    assert next(line for line in text[z + 1:] if line.startswith("(")).startswith("(aa) ")


def test_numbers_typed_in_the_text_are_paragraph_numbers(tmp_path: Path):
    out = tmp_path / "typed.md"
    result = cli("build", STRUCTURES / "typed_numbers_79_160.xml", "-o", out, "--format", "md")
    assert result.returncode == 0, result.stderr
    markdown = out.read_text(encoding="utf-8")
    assert re.search(r"^26\. \*Condemns without reservation\*", markdown, re.M)
    assert re.search(r"^27\. \*Affirms its deep commitment\*", markdown, re.M)


def test_agenda_items_and_their_titles_print_as_written(tmp_path: Path):
    """78/128: "Agenda items 13 and 75 (a)" and two agenda titles, each on its own line; the
    report's symbol in the reference line is a link as in the official copy."""
    pdf = tmp_path / "78_128.pdf"
    result = cli("build", CORPUS / "A_RES_78_128.xml", "-o", pdf)
    assert result.returncode == 0, result.stderr
    first_page = lines(pdf)[:20]
    assert "Agenda items 13 and 75 (a)" in first_page
    second = first_page.index("Oceans and the law of the sea: oceans and the law of the sea")
    assert first_page[second - 1].endswith("economic, social and related fields")
    links = [annot.get_object()["/A"]["/URI"] for annot in PdfReader(pdf).pages[0]["/Annots"]
             if "/A" in annot.get_object()]
    assert any(uri.startswith("https://undocs.org/en/A/78/") for uri in links)


def test_an_element_with_no_place_fails_the_build_naming_it(tmp_path: Path):
    source = tmp_path / "A_RES_77_118.xml"
    text = (STRUCTURES / "repeated_bodies_77_118.xml").read_text(encoding="utf-8")
    source.write_text(text.replace("<mainBody>", "<mainBody>\n<tblock>x</tblock><foo>Lost</foo>", 1),
                      encoding="utf-8")
    result = cli("build", source, "-o", tmp_path / "out.pdf")
    assert result.returncode == 2
    assert re.fullmatch(rf"{re.escape(str(source))}:\d+: <foo> cannot be placed here .*\n",
                        result.stderr)
    assert not (tmp_path / "out.pdf").exists()


def test_a_passage_the_writers_do_not_put_out_fails_the_build(tmp_path: Path, monkeypatch):
    """The conservation check: a reader that drops the last paragraph is caught, named by line."""
    real = readers.parse

    def dropping(path, raw):
        reading = real(path, raw)
        reading.resolution.blocks.pop()
        return reading

    monkeypatch.setattr(readers, "parse", dropping)
    source = STRUCTURES / "sections_79_258.xml"
    with pytest.raises(UnpressError) as failure:
        build_one(source, tmp_path / "out.html", BuildOptions(format="html"))
    raw = source.read_text(encoding="utf-8")
    last = raw[:raw.rindex("<num>3.</num>")].count("\n") + 1
    message = str(failure.value)
    assert message.startswith(f"{source}:")
    assert "words lost" in message
    assert int(message.split(":")[1]) >= last
    assert not (tmp_path / "out.html").exists()


def test_a_failed_preflight_names_the_source_and_its_line(tmp_path: Path):
    # a Markdown source is the drafter's own: a skipped letter fails (an AKN file's is the
    # publisher's and builds with a warning, tests/test_numbering.py)
    source = tmp_path / "A_RES_58_208.md"
    text = (ROOT / "source" / "A_RES_58_208.md").read_text(encoding="utf-8")
    source.write_text(text.replace("    (b) ", "    (c) ", 1), encoding="utf-8")
    result = cli("build", source, "-o", tmp_path / "out.pdf")
    assert result.returncode == 2
    line = text[:text.index("    (b) ")].count("\n") + 1
    error = result.stderr.splitlines()[-1]  # after the linter's warnings
    assert error.startswith(f"{source}:{line}: the built PDF fails the preflight")
    assert "subparagraph (c) where (b) was expected" in error
    assert not (tmp_path / "out.pdf").exists()


def test_an_official_pdf_passes_check_with_print_readiness_warnings():
    official = OFFICIAL / "A_RES_78_128.pdf"
    result = cli("check", official)
    assert result.returncode == 0, result.stdout
    assert "warning: no /Title in the document information" in result.stdout
    assert "warning: page 1: font TimesNewRomanPSMT is not embedded" in result.stdout
    strict = cli("check", "--strict", "--json", official)
    assert strict.returncode == 1
    problems = json.loads(strict.stdout)[0]["problems"]
    assert {p["kind"] for p in problems} == {"fonts", "metadata"}


def test_a_file_without_a_closing_block_builds_its_closing_from_the_adoption_date(tmp_path: Path):
    """80/55 in Spanish and 80/3 in French have no <conclusions>: the closing block is made from the
    FRBR adoption date, as a Markdown source's is from its front matter, and is no lost text."""
    text = (STRUCTURES / "typed_numbers_79_160.xml").read_text(encoding="utf-8")
    unclosed = tmp_path / "unclosed.xml"
    unclosed.write_text(re.sub(r"<conclusions.*?</conclusions>", "", text, flags=re.S), encoding="utf-8")
    assert "<conclusions" in text and "<conclusions" not in unclosed.read_text(encoding="utf-8")
    result = cli("build", unclosed, "-o", tmp_path / "unclosed.pdf")
    assert result.returncode == 0, result.stderr
    adopted = readers.parse(unclosed, unclosed.read_bytes()).resolution.meta.adopted
    printed = lines(tmp_path / "unclosed.pdf")
    closing = f"{adopted.day} {adopted:%B %Y}" if adopted else None
    assert closing in printed and printed.index(closing) > printed.index(f"on {closing}")  # not the heading
