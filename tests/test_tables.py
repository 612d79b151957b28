"""Tables as the UN's Word set them, read from AKN4UN and printed so (issue 11).

The fixtures are cuts of real files (tests/fixtures/structures/): A/RES/80/243's staffing
tables (widths, rules, a tabbed total row, a table note) and A/RES/76/243's annex table (a
header cell spanning two rows, another two columns, note letters set as superscripts).
The positions asserted are those of the official PDFs, measured with pdftext.read_pages.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_cli

from unpress.pdftext import Line, read_pages
from unpress.readers import parse
from unpress.readers.markdown import parse_source
from unpress.writers.akn import write_akn
from unpress.writers.markdown import write_markdown

ROOT = Path(__file__).resolve().parent.parent
STRUCTURES = ROOT / "tests" / "fixtures" / "structures"
STAFFING = STRUCTURES / "table_as_set_80_243.xml"
FINANCING = STRUCTURES / "table_spans_notes_76_243.xml"
TEXT_RIGHT = 612 - 123.6  # the text column's right edge


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tables")
    result = run_cli("build", str(STAFFING), str(FINANCING), "-o", f"{out}/")
    assert result.returncode == 0, result.stderr
    return out


def all_lines(pdf: Path) -> list[Line]:
    return [line for page in read_pages(pdf) for line in page.lines]


def line_with(lines: list[Line], text: str) -> Line:
    return next(line for line in lines if text in line.text)


def span_x(line: Line, text: str) -> float:
    return next(span.x for span in line.spans if span.text.strip().startswith(text))


def test_columns_take_their_word_widths_and_the_table_runs_into_the_margin(built: Path):
    lines = all_lines(built / "table_as_set_80_243.pdf")
    header = line_with(lines, "Title of post")
    # official p. 15: columns at x = 123.1, 295.6, 458.5 (8612 dxa wide: 430.6 pt from x = 123.4)
    assert abs(span_x(header, "Action") - 123.4) < 1
    assert abs(span_x(header, "Title") - 295.6) < 5
    assert abs(span_x(header, "Category") - 458.5) < 5
    row = line_with(lines, "Legal Officer")
    figure = row.spans[-1]
    assert figure.text.strip() == "1" and figure.end > TEXT_RIGHT + 50  # right-aligned, past the column
    assert figure.end < 612 - 36 + 0.5
    assert span_x(row, "Legal") < 300  # a text column is left-aligned, as Word justified it


def test_a_tab_before_a_cell_indents_it_and_a_ruled_row_stands_apart(built: Path):
    lines = all_lines(built / "table_as_set_80_243.pdf")
    total = line_with(lines, "Total new posts")
    assert abs(total.x - (123.4 + 14.4)) < 0.5  # official 137.5
    before = lines[lines.index(total) - 1]
    after = lines[lines.index(total) + 1]
    plain = lines[lines.index(before)].y - lines[lines.index(before) - 1].y
    assert abs(plain - 14.5) < 0.6  # rows 14.5 pt apart
    assert abs((total.y - before.y) - 19.2) < 1.5 and abs((after.y - total.y) - 19.0) < 1.5


def test_a_table_note_follows_the_table_in_small_type_at_the_margin(built: Path):
    lines = all_lines(built / "table_as_set_80_243.pdf")
    note = line_with(lines, "Abbreviations")
    last_row = lines[lines.index(note) - 1]
    assert "Support Section" in last_row.text
    assert abs(note.size - 8.5) < 0.1 and abs(note.x - 123.4) < 0.5
    assert line_with(lines, "Also approves").y > note.y


def test_spanning_header_cells_and_note_letters(built: Path):
    lines = all_lines(built / "table_spans_notes_76_243.pdf")
    gross = line_with(lines, "Gross")
    dollars = line_with(lines, "(United States dollars)")
    # the first header cell spans two rows, so the unit line spans the two figure columns
    assert dollars.x > span_x(gross, "Gross") - 60 and dollars.y > gross.y
    called = line_with(lines, "Estimated appropriation for 2022")
    letter = next(span for span in called.spans if span.text.strip() == "a")
    body = next(span for span in called.spans if span.text.strip().startswith("Estimated"))
    assert letter.size < 0.7 * body.size  # a superscript, not a letter run into the word
    notes = [line for line in lines if line.text.startswith(("a See", "b See", "c Reflects"))]
    assert len(notes) == 3 and all(abs(line.size - 8.5) < 0.1 for line in notes)


@pytest.mark.parametrize("source", [STAFFING, FINANCING], ids=lambda p: p.stem)
def test_word_settings_survive_an_akn_round_trip(source: Path):
    resolution = parse(source, source.read_bytes()).resolution
    again = parse(Path("again.xml"), write_akn(resolution).encode("utf-8")).resolution
    assert again.blocks == resolution.blocks and again.annexes == resolution.annexes


def test_markdown_tables_state_column_alignment_and_superscripts(tmp_path: Path):
    source = tmp_path / "aligned.md"
    head = (ROOT / "source" / "A_RES_58_208.md").read_text(encoding="utf-8").split("\n---\n")[0]
    source.write_text(head + "\n---\n\n*Noting* the table below,\n\n"
                      "| Post | Grade | Number |\n|:---|:---:|---:|\n"
                      "| Legal Officer^a^ | P-4 | 1 |\n| Risk Officer | P-3 | 12 |\n\n"
                      "1. *Decides* to approve it.\n", encoding="utf-8")
    resolution = parse(source, source.read_bytes()).resolution
    assert write_markdown(parse_source(write_markdown(resolution))) == write_markdown(resolution)
    assert "|:---|:---:|---:|" in write_markdown(resolution)
    assert "Legal Officer^a^" in write_markdown(resolution)
    out = tmp_path / "aligned.pdf"
    result = run_cli("build", str(source), "-o", str(out))
    assert result.returncode == 0, result.stderr
    lines = all_lines(out)
    first, second = line_with(lines, "Legal Officer"), line_with(lines, "Risk Officer")
    grade_1 = next(s for s in first.spans if s.text.strip() == "P-4")
    grade_2 = next(s for s in second.spans if s.text.strip() == "P-3")
    assert abs((grade_1.x + grade_1.end) - (grade_2.x + grade_2.end)) < 0.5  # centred
    assert abs(first.spans[-1].end - second.spans[-1].end) < 0.5  # right-aligned figures
    assert next(s for s in first.spans if s.text.strip() == "a").size < 7
