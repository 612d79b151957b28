"""The AKN4UN reader and the Markdown writer, over the 22 English corpus files.

The fixtures in tests/fixtures/akn/ are copies of the development corpus
(github.com/UNxml/GAresolutions, English AKN4UN files).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from helpers import run_cli, without_word_styles
from lxml import etree

from unpress.errors import UnpressError
from unpress.lint import lint_text
from unpress.model import (
    Emphasis,
    Formula,
    Heading,
    Link,
    NoteRef,
    Operative,
    Paragraph,
    Strong,
    Subparagraph,
    Table,
    Text,
    plain_text,
    walk,
)
from unpress.pdftext import read_pages
from unpress.readers.akn import label_level, parse_akn, read_akn
from unpress.readers.markdown import parse_source
from unpress.writers.markdown import write_markdown

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "akn"
CORPUS = sorted(FIXTURES.glob("*.xml"))
AKN = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"
WS = re.compile(r"[ \t\r\n]+")


def words(text: str) -> list[str]:
    """Words split at ASCII white space only: U+00A0 and U+2011 stay inside words."""
    return [w for w in WS.split(text) if w]


# ------------------------------------------------------------- the XML side

def statement_of(path: Path) -> etree._Element:
    """The document element inside <akomaNtoso> (a comment may come first)."""
    return next(el for el in etree.parse(str(path)).getroot() if isinstance(el.tag, str))


def xml_text(path: Path) -> tuple[list[str], list[list[str]]]:
    """The XML's text: (body words, words of each footnote in document order).

    "The XML's text" is every text node (lxml itertext) of the resolution's
    `preamble` and `mainBody` and of the `preface`, `preamble` and `mainBody`
    of each attachment's document, in document order -- including `<num>`
    texts ("1.", "(a)", "I.") and headings -- except the text inside
    `authorialNote` elements, which is taken apart, one list per note.  Not
    part of it: `meta` (metadata), `coverPage` and the statement's `preface`
    (they become the front matter), `conclusions` (meeting and date, checked
    as front matter), and attribute values (e.g. the `marker` of a note).
    """
    statement = statement_of(path)
    parts = [statement.find(AKN + "preamble"), statement.find(AKN + "mainBody")]
    for doc in statement.iterfind(f"{AKN}attachments/{AKN}attachment/*"):
        parts.extend(el for el in doc if el.tag in (AKN + "preface", AKN + "preamble",
                                                     AKN + "mainBody"))
    notes: list[list[str]] = []
    for part in parts:
        if part is None:
            continue
        for note in part.iter(AKN + "authorialNote"):
            notes.append(words("".join(note.itertext())))
    body: list[str] = []
    for part in parts:
        if part is None:
            continue
        body.extend(words("".join(text_without_notes(part))))
    return body, notes


def text_without_notes(el: etree._Element):
    if el.text and el.tag != AKN + "authorialNote":
        yield el.text
    for child in el:
        if isinstance(child.tag, str) and child.tag != AKN + "authorialNote":
            yield from text_without_notes(child)
        elif isinstance(child.tag, str):
            yield " "  # a note call sits between words or after one
        if child.tail:
            yield child.tail


# ----------------------------------------------------------- the model side

def inline_text(nodes) -> str:
    out = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, NoteRef):
            out.append(" ")
        else:
            out.append(inline_text(node.children))
    return "".join(out)


def block_text(block) -> list[str]:
    if isinstance(block, (Formula, Paragraph, Heading)):
        return [inline_text(block.content)]
    if isinstance(block, Operative):
        return [f"{block.number}.", inline_text(block.content),
                *[t for child in block.children for t in block_text(child)]]
    if isinstance(block, Subparagraph):
        return [f"({block.label})", inline_text(block.content),
                *[t for child in block.children for t in block_text(child)]]
    if isinstance(block, Table):
        return [inline_text(cell.content) for row in block.rows for cell in row]
    raise AssertionError(f"unexpected block {block!r}")


def model_text(resolution) -> tuple[list[str], list[list[str]]]:
    texts = [t for block in resolution.blocks for t in block_text(block)]
    for annex in resolution.annexes:
        texts.extend(inline_text(line) for line in annex.title)
        texts.extend(t for block in annex.blocks for t in block_text(block))
    notes = [words(inline_text(note.content)) for note in resolution.footnotes]
    return words(" ".join(texts)), notes


def all_inlines(resolution):
    """Every inline node of the document (the model's one traversal)."""
    return [node for node in walk(resolution, inlines=True) if isinstance(node, INLINE_TYPES)]


INLINE_TYPES = (Text, Emphasis, Strong, Link, NoteRef)


# --------------------------------------------------------------------- tests

def test_corpus_is_present():
    assert len(CORPUS) == 22


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_text_comes_through_complete(path):
    resolution = read_akn(path)
    body, notes = xml_text(path)
    model_body, model_notes = model_text(resolution)
    assert model_body == body
    assert model_notes == notes


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_footnotes_are_the_authorial_notes_in_order(path):
    resolution = read_akn(path)
    markers = [n.get("marker") for n in etree.parse(str(path)).iter(AKN + "authorialNote")]
    assert len(resolution.footnotes) == len(markers)
    assert [note.number for note in resolution.footnotes] == list(range(1, len(markers) + 1))
    calls = [node.number for node in all_inlines(resolution) if isinstance(node, NoteRef)]
    assert calls == [note.number for note in resolution.footnotes]
    assert markers == [str(note.number) for note in resolution.footnotes]


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_operative_numbers_match_the_num_elements(path):
    resolution = read_akn(path)
    statement = statement_of(path)
    main = statement.find(AKN + "mainBody")
    nums = [p.findtext(AKN + "num").strip() for p in main.iterfind(AKN + "paragraph")
            if re.fullmatch(r"\s*\d+\.\s*", p.findtext(AKN + "num") or "")]
    assert [f"{b.number}." for b in resolution.blocks if isinstance(b, Operative)] == nums
    annex_nums = [p.findtext(AKN + "num").strip()
                  for p in statement.iterfind(f"{AKN}attachments//{AKN}mainBody/{AKN}paragraph")
                  if re.fullmatch(r"\s*\d+\.\s*", p.findtext(AKN + "num") or "")]
    assert [f"{b.number}." for annex in resolution.annexes for b in annex.blocks
            if isinstance(b, Operative)] == annex_nums


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_front_matter_comes_from_the_cover_page_and_conclusions(path):
    meta = read_akn(path).meta
    statement = statement_of(path)
    assert meta.symbol == statement.findtext(f"{AKN}coverPage//{AKN}docNumber").strip()
    assert meta.number + "." == statement.findtext(f"{AKN}preface//{AKN}docNumber").strip()
    location = statement.find(f"{AKN}conclusions//{AKN}location")
    assert meta.meeting == " ".join(words("".join(location.itertext())))
    concluded = statement.find(f"{AKN}conclusions//{AKN}docDate").get("date")
    assert meta.adopted == date.fromisoformat(concluded)
    assert meta.language == "en" and meta.edition == "current"
    assert meta.session and meta.agenda_item and meta.agenda_title and meta.distributed
    assert (meta.committee is None) != (meta.draft is None)
    assert re.fullmatch(r"\d{2}-\d{5}", meta.job_number)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_markdown_round_trip_gives_an_equal_model(path):
    resolution = read_akn(path)
    text = write_markdown(resolution)
    assert parse_source(text, f"{path.stem}.md") == without_word_styles(resolution)
    assert write_markdown(parse_source(text)) == text


def test_front_matter_of_80_232():
    meta = read_akn(FIXTURES / "A_RES_80_232.xml").meta
    assert meta.symbol == "A/RES/80/232"
    assert meta.title == "Capital master plan"
    assert meta.session == 80
    assert meta.agenda_item == "135"
    assert meta.agenda_title == "Programme budget for 2025"
    assert meta.adopted == date(2025, 12, 30)
    assert meta.meeting == "69th (resumed) plenary meeting"
    assert meta.committee == "Fifth Committee"
    assert meta.report == "A/80/568, para. 19"
    assert meta.draft is None
    assert meta.distributed == date(2025, 12, 31)
    assert meta.job_number == "25-21247"


def test_front_matter_variants():
    meta = read_akn(FIXTURES / "A_RES_78_235.xml").meta
    assert meta.agenda_item == "71 (b)"
    meta = read_akn(FIXTURES / "A_RES_78_128.xml").meta
    assert meta.draft == "A/78/L.25" and meta.committee is None
    assert meta.agenda_item == "13 and 75 (a)"
    assert meta.agenda_title.count("\n") == 1
    meta = read_akn(FIXTURES / "A_RES_79_110.xml").meta
    assert meta.committee == "Special Political and Decolonization Committee (Fourth Committee)"


def test_structure_of_80_232():
    resolution = read_akn(FIXTURES / "A_RES_80_232.xml")
    formula, recalling = resolution.blocks[:2]
    assert formula == Formula([Emphasis([Text("The General Assembly")]), Text(",")])
    assert recalling.content[0] == Emphasis([Text("Recalling")])
    assert recalling.content[2] == Link("https://docs.un.org/en/A/RES/54/249", [Text("54/249")])
    assert [b.number for b in resolution.blocks if isinstance(b, Operative)] == list(range(1, 8))
    assert resolution.footnotes[0].content == [
        Link("https://docs.un.org/en/A/80/334", [Text("A/80/334")]), Text(".")]


def test_lists_sublists_and_headings_of_80_11():
    resolution = read_akn(FIXTURES / "A_RES_80_11.xml")
    headings = [b for b in resolution.blocks if isinstance(b, Heading)]
    assert headings[0] == Heading([Text("Peacebuilding Commission")])
    first = next(b for b in resolution.blocks if isinstance(b, Operative))
    assert first.content[0] == Emphasis([Text("Reaffirms")])
    b = first.children[1]
    assert b.label == "b" and [c.label for c in b.children] == ["i", "ii"]
    assert first.children[2].label == "c"


def test_annexes_tables_and_typed_labels():
    resolution = read_akn(FIXTURES / "A_RES_78_128.xml")
    assert [annex.title[0] for annex in resolution.annexes] == [
        [Text("Annex I")], [Text("Annex II")], [Text("Annex III")]]
    seventh = resolution.annexes[0].blocks[6]
    assert seventh.number == 7 and [c.label for c in seventh.children] == ["a", "b"]
    staffing = read_akn(FIXTURES / "A_RES_78_252.xml").annexes[0]
    assert [line for line in staffing.title] == [[Text("Annex")], [Text("Staffing table for 2024")]]
    table = staffing.blocks[0]
    assert isinstance(table, Table) and table.header_rows == 1
    assert all(len(row) == 4 for row in table.rows)
    assert table.rows[0][0].content == [Emphasis([Text("Category")])]
    sids = read_akn(FIXTURES / "A_RES_78_317.xml").annexes[0]
    para21 = next(b for b in sids.blocks if isinstance(b, Operative) and b.number == 21)
    assert [c.label for c in para21.children] == ["a", "b", "c", "d"]
    assert [c.label for c in para21.children[1].children] == ["i", "ii", "iii", "iv", "v",
                                                               "vi", "vii"]


def test_special_characters_are_kept():
    path = FIXTURES / "A_RES_78_128.xml"
    body, notes = xml_text(path)
    model_body, model_notes = model_text(read_akn(path))
    text = " ".join(body + [w for note in notes for w in note])
    model = " ".join(model_body + [w for note in model_notes for w in note])
    for char in ("\u00a0", "\u2011"):
        assert text.count(char) > 0 and model.count(char) == text.count(char)


def test_bad_xml_names_the_line(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<akomaNtoso>\n<statement>\n<p>unclosed</statement>\n</akomaNtoso>\n")
    with pytest.raises(UnpressError) as error:
        read_akn(bad)
    assert "not well-formed XML" in error.value.message
    assert error.value.line == 3


def test_entities_and_doctype_are_refused():
    evil = (b'<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
            b"<akomaNtoso><statement>&e;</statement></akomaNtoso>")
    with pytest.raises(UnpressError) as error:
        parse_akn(evil, "evil.xml")
    assert "passwd" not in str(error.value) and "root:" not in str(error.value)


def test_not_akoma_ntoso_and_missing_file(tmp_path):
    with pytest.raises(UnpressError, match="not an Akoma Ntoso document"):
        parse_akn(b"<html/>", "x.xml")
    with pytest.raises(UnpressError, match="no such file"):
        read_akn(tmp_path / "missing.xml")


def test_unsafe_links_keep_their_text_only():
    source = (FIXTURES / "A_RES_80_232.xml").read_bytes().replace(
        b'href="https://docs.un.org/en/A/RES/54/249"', b'href="javascript:alert(1)"')
    resolution = parse_akn(source, "x.xml")
    recalling = resolution.blocks[1]
    assert "javascript" not in repr(recalling)
    assert "its resolution 54/249 of 23" in inline_text(recalling.content).replace("\u00a0", " ")
    assert not any(isinstance(n, Link) and "javascript" in n.href for n in all_inlines(resolution))


def test_markdown_escapes_survive():
    resolution = read_akn(FIXTURES / "A_RES_80_232.xml")
    tricky = "1. *not* [a](b) <b> &amp; _x_ `c` \\ # | (a) end\u00a0"
    resolution.blocks.append(Paragraph([Text(tricky)]))
    resolution.blocks.append(Paragraph([Text("# not a heading")]))
    resolution.blocks.append(Paragraph([Text("(b) not a subparagraph")]))
    assert parse_source(write_markdown(resolution)) == resolution


def test_build_md_from_the_command_line(tmp_path):
    out = tmp_path / "md"
    out.mkdir()
    single = run_cli("build", str(FIXTURES / "A_RES_80_232.xml"), "--format", "md", "-o", str(out))
    assert single.returncode == 0, single.stderr
    assert (out / "A_RES_80_232.md").is_file()
    every = run_cli("build", *map(str, CORPUS), "--format", "md", "-o", str(out), "--jobs", "1")
    assert every.returncode == 0, every.stderr
    for path in CORPUS:
        written = out / f"{path.stem}.md"
        assert parse_source(written.read_text(encoding="utf-8"), written) \
            == without_word_styles(read_akn(path))


def test_roman_point_after_a_double_letter_point_is_roman():
    """"(i)" after "(aa)" is a sub-subparagraph, not the letter after "(aa)" (no crash either)."""
    assert label_level("i", "aa") == 2
    assert label_level("i", "h") == 1


def test_a_lettered_point_with_its_own_list_holds_its_points():
    """79/93 A: "(e) ... including:" is a `paragraph` whose `list` holds the points (i) to (iv):
    they are (e)'s, one level deeper, not letters after it (the linter's UN142 and UN121)."""
    resolution = read_akn(ROOT / "tests" / "fixtures" / "structures" / "point_list_79_93.xml")
    points = [block for block in resolution.blocks if isinstance(block, Subparagraph)]
    assert [point.label for point in points] == ["a", "b", "c", "d", "e", "f"]
    assert plain_text(points[4].content).endswith("within the United Nations system, including:")
    assert [point.label for point in points[4].children] == ["i", "ii", "iii", "iv"]
    text = write_markdown(resolution)
    assert re.search(r"^ {8}\(i\) The development of the human", text, re.M)
    assert [block for block in parse_source(text).blocks if isinstance(block, Subparagraph)] == points
    assert lint_text(text) == []


# ------------------------------------------------------------- the PDF side

def pdf_words(pdf: Path) -> tuple[list[str], list[str]]:
    """The words a reader reads in our PDF: (the text, the notes), without footnote calls,
    note numbers, the page-1 masthead (up to the title line), running headers and footers,
    and the closing block (meeting and date, right-aligned)."""
    text: list[str] = []
    notes: list[str] = []
    for page in read_pages(pdf):
        lines = page.text_lines
        if page.number == 1:  # the title (12 pt, maybe on two lines) ends the masthead
            lines = lines[title_end(lines)]
        first_note = min((line.y for line in lines if line.size < 9.4 and line.spans[0].superscript),
                         default=page.height)  # the notes: from the first numbered 8.5 pt line down
        for line in lines:
            spans = [span for span in line.spans if not span.superscript]
            words_here = pdf_normalised(line.joined(spans))
            if line.size < 9.4 and line.y >= first_note:
                notes.extend(words_here)
            elif not closing_line(line, page.width):
                text.extend(words_here)
    return text, notes


def title_end(lines) -> slice:
    """Page 1's lines after the title: the run of 12 pt lines that starts with the resolution's
    number (an annex that runs on after the closing block has 14 and 12 pt titles of its own)."""
    large = [i for i, line in enumerate(lines) if line.size >= 11.5]
    start = next(i for i in large if TITLE_NUMBER.match(lines[i].text))
    end = start
    while end + 1 < len(lines) and lines[end + 1].size >= 11.5:
        end += 1
    return slice(end + 1, None)


TITLE_NUMBER = re.compile(r"^(?:[A-Z]+-)?\d+/\d+")  # "78/4.", "ES-10/21."
FORMAT_CHARACTERS = re.compile("[\u200b-\u200f\u2060]")  # nothing to print (e.g. U+200E in 79/221)


def all_blocks(resolution):
    """The blocks of the body and of every annex."""
    yield from resolution.blocks
    for annex in resolution.annexes:
        yield from annex.blocks


def closing_line(line, width: float) -> bool:
    """A line of the closing block: italic, right of the middle (meeting and date)."""
    return line.x > width / 2 and all("Italic" in font for font in line.fonts)


def pdf_normalised(text: str) -> list[str]:
    """U+00A0 separates words in extracted text; U+2011 is printed as "-"; a line may
    end after a hyphen or an en dash ("Secretary-" | "General"), so they end a word."""
    text = FORMAT_CHARACTERS.sub("", text.replace("\u00a0", " ").replace("\u2011", "-"))
    return text.replace("-", "- ").replace("\u2013", "\u2013 ").split()


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_the_built_pdf_carries_the_xml_text(path, built_corpus):
    """Every word of the XML is printed, and nothing else: the text and the notes word for
    word, in order.  Where a table sets cells side by side, extracted lines run cells
    together, so there every character is compared instead (with its count); a table
    repeats its header on each page it runs onto, and only that may come in addition."""
    _, out = built_corpus
    text, notes = pdf_words(out / f"{path.stem}.pdf")
    body, xml_notes = xml_text(path)
    body = pdf_normalised(" ".join(body))
    assert notes == pdf_normalised(" ".join(" ".join(note) for note in xml_notes))
    if statement_of(path).find(f".//{AKN}table") is None:
        assert text == body
    else:
        printed, written = Counter("".join(text)), Counter("".join(body))
        assert not written - printed  # nothing lost
        header = Counter("".join(pdf_normalised(" ".join(
            plain_text(cell.content) for block in all_blocks(read_akn(path)) if isinstance(block, Table)
            for row in block.rows[:block.header_rows] for cell in row))))
        extra = printed - written
        repeats = extra[next(iter(header))] // header[next(iter(header))] if header else 0
        assert extra == Counter({c: n * repeats for c, n in header.items()})


def test_a_second_call_to_a_note_survives_markdown_and_builds(tmp_path):
    """AKN's noteRef (a later call to a note) becomes `[^=1]`, which the Markdown reader accepts."""
    xml = (FIXTURES / "A_RES_80_232.xml").read_bytes().replace(
        b"of the report of the Secretary-General;",
        b'of the report of the Secretary-General<noteRef marker="1" href="#authorialNote_1"/>;', 1)
    source = tmp_path / "again.xml"
    source.write_bytes(xml)
    resolution = read_akn(source)
    calls = [node for node in walk(resolution, inlines=True) if isinstance(node, NoteRef)]
    assert [(call.number, call.again) for call in calls] == [(1, False), (2, False), (1, True)]
    markdown = write_markdown(resolution)
    assert markdown.count("[^=1]") == 1 and markdown.count("[^1]") == 2  # the call and the note
    md = tmp_path / "again.md"
    md.write_text(markdown, encoding="utf-8")
    assert parse_source(markdown) == resolution
    result = run_cli("build", str(md), "-o", str(tmp_path / "a.pdf"))
    assert result.returncode == 0, result.stderr
    page = read_pages(tmp_path / "a.pdf")[0]
    assert "Secretary-General1;" in " ".join(line.text for line in page.lines)
