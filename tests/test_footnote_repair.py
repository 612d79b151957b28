"""The build guarantees that every footnote stands on its call's page.

`footnotes_near_page_end.md` has four long notes called near a page end: on it
WeasyPrint 70, even with `footnote-policy: line`, lays out note 3 on the page
after its call (to keep two lines of the next paragraph at the page foot it
moves the page's last note on: the orphans logic of Kozea/WeasyPrint#2437).
The PDF writer repairs the page as Word sets it: that next paragraph starts
the following page, and the note stays with its call.
"""

from __future__ import annotations

from pathlib import Path

from helpers import run_cli

from unpress import weasy
from unpress.house import edition_of
from unpress.model import Emphasis, NoteRef, Text, cut_before_word
from unpress.paths import STYLES
from unpress.preflight import check_pdf
from unpress.readers.markdown import read_source
from unpress.writers.html import render_html
from unpress.writers.pdf import project_fetcher, render_document, stray_notes

ROOT = Path(__file__).resolve().parent.parent
BUG = ROOT / "tests" / "fixtures" / "footnotes_near_page_end.md"


def test_weasyprint_alone_puts_a_note_past_its_call():
    resolution = read_source(BUG)
    html = render_html(resolution, edition_of(resolution.meta))
    document = weasy.render(html, STYLES, [], project_fetcher())
    assert stray_notes(document) == {3}


def test_the_repaired_layout_keeps_every_note_with_its_call():
    document = render_document(read_source(BUG))
    assert stray_notes(document) == set()


def test_the_built_pdf_passes_the_preflight(tmp_path):
    out = tmp_path / "bug.pdf"
    result = run_cli("build", str(BUG), "-o", str(out))
    assert result.returncode == 0, result.stderr
    report = check_pdf(out)
    assert report.ok, report.human()
    assert report.footnotes == 4


def test_a_paragraph_is_cut_before_a_word_with_its_markup_kept():
    content = [Emphasis([Text("Takes note")]), Text(" of the report"), NoteRef(1), Text(" and decides")]
    assert cut_before_word(content, 1) == ([Emphasis([Text("Takes ")])],
                                           [Emphasis([Text("note")]), *content[1:]])
    first, rest = cut_before_word(content, 5)  # "Takes note of the report1 | and"
    assert first == [content[0], Text(" of the report"), NoteRef(1), Text(" ")]
    assert rest == [Text("and decides")]
    assert cut_before_word(content, 9) == (content, [])
