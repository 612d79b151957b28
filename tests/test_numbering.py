"""The publisher's numbering: a UN file whose numbers skip, repeat or lose a point still builds.

The UN's own AKN4UN files carry such defects (es 80/113 numbers 81 before 80,
zh 80/238 skips 21, 80/116 lost its point (a)); the press sets the numbers as
given, warns of each break, and records it in the PDF so that the preflight,
then and later, reports those breaks as warnings.  A drafter's Markdown source
that skips a number is still refused unless it says `numbering: as published`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import run_cli
from lxml import etree

from unpress.pdftext import read_pages
from unpress.preflight import check_pdf

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "akn"
AKN = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"


def mutated(tmp_path: Path, name: str, change) -> Path:
    """A copy of a corpus fixture with one defect of the kind the UN's files have."""
    tree = etree.parse(str(FIXTURES / name))
    change(tree)
    target = tmp_path / name
    tree.write(str(target), xml_declaration=True, encoding="utf-8")
    return target


def skip_paragraph_two(tree: etree._ElementTree) -> None:
    """Number the second operative paragraph 3, as zh 80/238 skips 21."""
    num = next(n for n in tree.iter(f"{AKN}num") if (n.text or "").strip() == "2.")
    num.text = "3."


def lose_point_a(tree: etree._ElementTree) -> None:
    """Drop the first "(a)" point with its text, as the UN's 80/116 lost its point (a)."""
    num = next(n for n in tree.iter(f"{AKN}num") if (n.text or "").strip() == "(a)")
    point = num.getparent()
    point.getparent().remove(point)


def page_text(pdf: Path) -> str:
    return "\n".join(line.text for page in read_pages(pdf) for line in page.lines)


def built_with_warnings(tmp_path: Path, name: str,
                        mutate: Callable[[etree._ElementTree], None]) -> tuple[str, Path]:
    """Build the mutated file (it must build) and give its stderr and PDF."""
    pdf = tmp_path / "out.pdf"
    result = run_cli("build", str(mutated(tmp_path, name, mutate)), "-o", str(pdf))
    assert result.returncode == 0, result.stderr
    return result.stderr, pdf


def test_a_skipped_number_is_set_as_published_with_a_warning(tmp_path: Path) -> None:
    stderr, pdf = built_with_warnings(tmp_path, "A_RES_80_232.xml", skip_paragraph_two)
    assert "warning: the file's numbering: operative paragraph 3 follows paragraph 1" in stderr
    assert re.search(r"^1\.", page_text(pdf), re.M) and re.search(r"^3\.", page_text(pdf), re.M)
    assert not re.search(r"^2\.", page_text(pdf), re.M)  # the number as the file gives it
    report = check_pdf(pdf, strict=True)
    assert report.ok, report.human()
    assert any("paragraph 3 where 2 was expected" in p.message for p in report.warnings)


def test_a_lost_point_leaves_the_letters_as_published(tmp_path: Path) -> None:
    stderr, pdf = built_with_warnings(tmp_path, "A_RES_80_11.xml", lose_point_a)
    assert "subparagraph (b) where (a) was expected; set as published" in stderr
    report = check_pdf(pdf)
    assert report.ok and any("subparagraph (b)" in p.message for p in report.warnings)


def test_an_unbroken_file_keeps_the_strict_preflight(tmp_path: Path) -> None:
    """Only a file whose numbers break is marked: a lost page in any other still fails."""
    pdf = tmp_path / "out.pdf"
    result = run_cli("build", str(FIXTURES / "A_RES_80_232.xml"), "-o", str(pdf))
    assert result.returncode == 0 and "warning" not in result.stderr
    markdown = tmp_path / "out.md"
    run_cli("build", str(FIXTURES / "A_RES_80_232.xml"), "-o", str(markdown))
    assert "numbering:" not in markdown.read_text(encoding="utf-8")


def test_the_markdown_round_trip_keeps_the_published_numbering(tmp_path: Path) -> None:
    source = mutated(tmp_path, "A_RES_80_232.xml", skip_paragraph_two)
    markdown = tmp_path / "out.md"
    assert run_cli("build", str(source), "-o", str(markdown)).returncode == 0
    text = markdown.read_text(encoding="utf-8")
    assert "\nnumbering: as published\n" in text
    pdf = tmp_path / "again.pdf"
    assert run_cli("build", str(markdown), "-o", str(pdf), "--lint", "off").returncode == 0
    assert check_pdf(pdf, strict=True).ok
    # without the key the drafter's skipped number is refused, on its line
    plain = tmp_path / "plain.md"
    plain.write_text(text.replace("numbering: as published\n", ""), encoding="utf-8")
    result = run_cli("build", str(plain), "-o", str(tmp_path / "plain.pdf"))
    assert result.returncode == 2
    line = next(number for number, row in enumerate(text.replace("numbering: as published\n", "")
                                                     .split("\n"), 1) if row.startswith("3. "))
    assert f"plain.md:{line}: operative paragraph 3 follows paragraph 1" in result.stderr


@pytest.mark.parametrize("value", ["yes", "in order", "1"])
def test_numbering_takes_one_value(tmp_path: Path, value: str) -> None:
    source = tmp_path / "x.md"
    source.write_text(f"---\nsymbol: A/RES/80/1\ntitle: T\nnumbering: {value}\n---\n\n"
                      "*The General Assembly*,\n\n1. *Decides* to act.\n", encoding="utf-8")
    result = run_cli("build", str(source), "-o", str(tmp_path / "x.pdf"))
    assert result.returncode == 2 and "as published" in result.stderr


def test_a_session_that_contradicts_the_symbol_is_the_symbols(tmp_path: Path) -> None:
    """fr 80/226 says "Soixante-dix-neuvième session" for an eightieth-session resolution."""
    def wrong_session(tree: etree._ElementTree) -> None:
        session = next(tree.iter(f"{AKN}session"))
        session.set("value", "79")
        session.text = "Seventy-ninth session"

    source = mutated(tmp_path, "A_RES_80_232.xml", wrong_session)
    pdf = tmp_path / "out.pdf"
    result = run_cli("build", str(source), "-o", str(pdf))
    assert result.returncode == 0, result.stderr
    assert re.search(r"\.xml:\d+: warning: <session value='79'> contradicts the symbol A/RES/80/232: "
                     "set as session 80", result.stderr)
    first_page = "\n".join(line.text for line in read_pages(pdf)[0].lines)
    assert "Eightieth session" in first_page and "Seventy-ninth" not in first_page
