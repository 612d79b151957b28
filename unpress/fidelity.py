"""Measure how close a built PDF is to the official document.

Both sides become a `Layout`: per page, the body lines (as words, with where
they start and end) and the numbers of the footnotes printed there.  The
reference is either an official PDF or a seed text extracted from one (its
lines, page breaks and footnotes are the official ones).  The word sequences
are aligned, then compared: page count, the page of each footnote, the share
of the reference's line breaks that fall after the same word, and the text
similarity.  Against an official PDF, what a reader sees side by side is
measured too: continuation pages that start with the official line at the
official height, lines in place (every text line of the official page,
masthead, headers and foot included, whose first word starts one of our lines
on the same page within 2 pt), broken lines (a paragraph's line, not its last,
shorter than 60% of the column or holding three words or fewer) and footnote
calls cut from their word (a call that starts a line).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from unpress.house import EDITIONS, FOREIGN_EDITION
from unpress.pdftext import Line, Page, read_pages

GEOMETRY = EDITIONS[FOREIGN_EDITION].geometry  # the official page: the current edition's
SHORT_LINE = 0.6       # a paragraph's inner line shorter than this share of the column is broken
FEW_WORDS = 3          # ... and so is one of this many words or fewer, spread across it
IN_PLACE = 2.0         # pt: a line is in place when it starts this close to the official one
SEPARATOR = re.compile(r"^_{5,}$")
NOTE_LINE = re.compile(r"^(\d+)\s")
QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                        "\u00a0": " ", "\u2011": "-", "\u2010": "-", "\u2060": None})


@dataclass
class RefLine:
    words: list[str]
    breaks: bool  # the line ends inside a paragraph: its last word is a chosen break
    y: float = 0.0
    x: float = 0.0
    width: float = GEOMETRY.column_width   # from the column's left edge to the line's last glyph
    heading: bool = False   # bold throughout: a heading, set ragged
    call_first: bool = False  # the line starts with a footnote call

    @property
    def broken(self) -> bool:
        """A justified line of a paragraph that a reader sees as broken (a stranded word, a gap)."""
        return (self.breaks and not self.heading
                and (self.width < SHORT_LINE * GEOMETRY.column_width or len(self.words) <= FEW_WORDS))


@dataclass
class LayoutPage:
    lines: list[RefLine] = field(default_factory=list)
    notes: list[int] = field(default_factory=list)
    note_words: list[str] = field(default_factory=list)
    starts: list[tuple[str, float, float]] = field(default_factory=list)  # every text line: word, x, y


@dataclass
class Fidelity:
    pages: int
    reference_pages: int
    notes_on_page: int
    notes_total: int
    breaks_kept: int
    breaks_total: int
    similarity: float
    continuations_kept: int = 0
    continuations_total: int = 0
    lines_in_place: int = 0
    lines_total: int = 0
    broken_lines: list[str] = field(default_factory=list)   # "p2: eighteenth"
    cut_calls: list[str] = field(default_factory=list)
    positions: bool = False  # measured against a PDF: the figures of where lines stand exist
    missed: dict[int, list[tuple[float, float]]] = field(default_factory=dict)  # official lines not in place
    strays: dict[int, list[tuple[float, float]]] = field(default_factory=dict)  # our lines matching none

    @property
    def note_share(self) -> float:
        """Footnotes on their official page, as a share (1.0 when there are none)."""
        return self.notes_on_page / self.notes_total if self.notes_total else 1.0

    @property
    def break_share(self) -> float:
        """Official in-paragraph line breaks kept, as a share (1.0 when there are none)."""
        return self.breaks_kept / self.breaks_total if self.breaks_total else 1.0

    @property
    def continuation_share(self) -> float:
        """Continuation pages starting with the official line, in place (1.0 for one page)."""
        return self.continuations_kept / self.continuations_total if self.continuations_total else 1.0

    @property
    def in_place_share(self) -> float:
        """Official text lines whose first word starts one of ours within 2 pt on the same page."""
        return self.lines_in_place / self.lines_total if self.lines_total else 1.0

    def summary(self) -> str:
        lines = [
            f"pages: {self.pages} built, {self.reference_pages} official",
            f"footnotes on the official page: {self.notes_on_page}/{self.notes_total} "
            f"({self.note_share:.1%})",
            f"line breaks at the official word: {self.breaks_kept}/{self.breaks_total} "
            f"({self.break_share:.1%})",
            f"text similarity: {self.similarity:.4f}",
        ]
        if self.positions:
            lines += [
                f"continuation pages starting at the official line: {self.continuations_kept}/"
                f"{self.continuations_total} ({self.continuation_share:.1%})",
                f"lines in place: {self.lines_in_place}/{self.lines_total} ({self.in_place_share:.3f})",
            ]
        lines += [
            f"broken lines: {len(self.broken_lines)}" + "".join(f"\n  {b}" for b in self.broken_lines),
            f"footnote calls cut from their word: {len(self.cut_calls)}"
            + "".join(f"\n  {c}" for c in self.cut_calls),
        ]
        return "\n".join(lines)


def words_of(text: str) -> list[str]:
    """The words of a text, with typographic quotes, dashes and spaces made plain on both sides."""
    return text.translate(QUOTES).split()


def layout_from_seed(path: str | Path) -> list[LayoutPage]:
    """A seed text: paragraphs split by blank lines, each page closed by its notes.

    The first line (the title) and running headers (the symbol, a page
    number) are left out; a page's last line is not counted as a chosen break,
    since the page break decided it.
    """
    raw = Path(path).read_text(encoding="utf-8").split("\n")
    symbol = next((line.strip() for line in raw if line.strip().startswith("A/RES/")), None)
    pages = [LayoutPage()]
    in_notes = False
    next_note = 1  # a note line starts with the next number; "31 May" is not note 31
    body: list[tuple[str, bool]] = []  # (text, followed by a blank line)

    def close_body() -> None:
        for index, (text, paragraph_end) in enumerate(body):
            last_on_page = index == len(body) - 1
            pages[-1].lines.append(RefLine(words_of(text), not (paragraph_end or last_on_page)))
        body.clear()

    for line in raw[1:]:
        text = line.strip()
        if SEPARATOR.match(text):
            close_body()
            in_notes = True
            continue
        if in_notes:
            if text and not line.startswith(" "):
                number = NOTE_LINE.match(text)
                if number and int(number.group(1)) == next_note:
                    next_note += 1
                    pages[-1].notes.append(int(number.group(1)))
                    text = text[number.end():]
                pages[-1].note_words.extend(words_of(text))
                continue
            in_notes = False
            pages.append(LayoutPage())
        if not text or text == symbol or text.isdigit():
            if not text and body:
                body[-1] = (body[-1][0], True)
            continue
        body.append((text, False))
    close_body()
    return [page for page in pages if page.lines or page.notes]


def layout_from_pdf(path: str | Path, calls: bool = True) -> list[LayoutPage]:
    """A PDF, ours or the UN's, read as positioned lines (see `layout_page`)."""
    return [layout_page(page, calls) for page in read_pages(path)]


def layout_page(page: Page, calls: bool = True) -> LayoutPage:
    """Body lines (on page 1, those below the title, found by its size) and the footnotes.

    Only page 1 has a masthead to skip: a large annex title on a later page
    (12 pt in some official files) is text like any other.  `calls=False`
    leaves the footnote calls (superscripts) out of the body's words: Word's
    text puts a space before a call and ours does not, and the notes are
    measured apart anyway.  (A seed text has its calls glued to the words, so
    a PDF compared with a seed keeps them.)
    """
    result = LayoutPage()
    result.starts = [(words_of(line.text)[0], line.x, line.y) for line in page.lines
                     if words_of(line.text)]
    lines = page.text_lines
    title = -1
    if page.number == 1:
        title = max((i for i, line in enumerate(lines) if line.size >= GEOMETRY.title_size), default=-1)
    body: list[Line] = []
    for line in lines[title + 1:]:
        if GEOMETRY.body_size[0] <= line.size <= GEOMETRY.body_size[1] and not result.notes:
            body.append(line)
        elif GEOMETRY.note_size[0] <= line.size <= GEOMETRY.note_size[1] and not SEPARATOR.match(line.text):
            spans = [span for span in line.spans if span.text.strip()]  # Word leads with a blank run
            marker = spans[0] if spans else line.spans[0]
            text = line.text
            if marker.superscript and marker.text.strip().isdigit():
                result.notes.append(int(marker.text.strip()))
                text = line.joined(spans[1:])
            result.note_words.extend(words_of(text))
    column = min((line.x for line in body), default=0.0)
    for index, line in enumerate(body):
        following = body[index + 1] if index + 1 < len(body) else None
        breaks = (following is not None
                  and following.y - line.y < GEOMETRY.paragraph_gap
                  and following.x < column + GEOMETRY.continuation_indent)
        text = line.text if calls else line.joined(span for span in line.spans if not span.superscript)
        visible = [span for span in line.spans if span.text.strip()]
        result.lines.append(RefLine(
            words_of(text), breaks, y=line.y, x=line.x,
            width=max(span.end for span in visible) - column if visible else 0.0,
            heading=all("Bold" in span.font for span in visible if not span.superscript),
            call_first=bool(visible) and visible[0].superscript,
        ))
    return result


def load_layout(path: str | Path, calls: bool = True) -> list[LayoutPage]:
    """A `.txt` path is a seed text, anything else a PDF."""
    path = Path(path)
    return layout_from_seed(path) if path.suffix == ".txt" else layout_from_pdf(path, calls)


def flatten(layout: list[LayoutPage]) -> tuple[list[str], set[int], set[int], list[int]]:
    """All body words, the indices where a chosen break follows, all line ends, and each page's first word."""
    words: list[str] = []
    breaks: set[int] = set()
    ends: set[int] = set()
    firsts: list[int] = []
    for page in layout:
        firsts.append(len(words))
        for line in page.lines:
            words.extend(line.words)
            if line.words:
                ends.add(len(words) - 1)
                if line.breaks:
                    breaks.add(len(words) - 1)
    return words, breaks, ends, firsts


def note_pages(layout: list[LayoutPage]) -> dict[int, int]:
    """Footnote number -> the 1-based page it is printed on."""
    return {number: index + 1 for index, page in enumerate(layout) for number in page.notes}


def near(a: tuple[str, float, float], b: tuple[str, float, float]) -> bool:
    """The same first word, starting within `IN_PLACE` of the same point."""
    return a[0] == b[0] and abs(a[1] - b[1]) <= IN_PLACE and abs(a[2] - b[2]) <= IN_PLACE


def measure(built: str | Path, reference: str | Path) -> Fidelity:
    """Compare a built PDF with its reference (official PDF or seed text)."""
    calls = Path(reference).suffix == ".txt"  # a seed keeps its calls glued to the words
    ours, theirs = load_layout(built, calls), load_layout(reference, calls)
    our_words, _, our_ends, our_firsts = flatten(ours)
    ref_words, ref_breaks, _, ref_firsts = flatten(theirs)
    matcher = difflib.SequenceMatcher(None, ref_words, our_words, autojunk=False)
    mapping: dict[int, int] = {}
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            mapping[block.a + offset] = block.b + offset
    kept = [i for i in ref_breaks if mapping.get(i) in our_ends]
    our_notes, ref_notes = note_pages(ours), note_pages(theirs)
    all_words = (ref_words + [w for page in theirs for w in page.note_words],
                 our_words + [w for page in ours for w in page.note_words])
    similarity = difflib.SequenceMatcher(None, *all_words, autojunk=False).ratio()
    result = Fidelity(
        pages=len(ours),
        reference_pages=len(theirs),
        notes_on_page=sum(1 for n, p in ref_notes.items() if our_notes.get(n) == p),
        notes_total=len(ref_notes),
        breaks_kept=len(kept),
        breaks_total=len(ref_breaks),
        similarity=similarity,
        positions=not calls,
    )
    for number, page in enumerate(ours, 1):
        for line in page.lines:
            label = f"p{number} y={line.y:.1f}: " + " ".join(line.words[:6])
            if line.broken:
                result.broken_lines.append(label)
            if line.call_first:
                result.cut_calls.append(label)
    if result.positions:
        compare_positions(result, ours, theirs, mapping, our_firsts, ref_firsts)
    return result


def compare_positions(result: Fidelity, ours: list[LayoutPage], theirs: list[LayoutPage],
                      mapping: dict[int, int], our_firsts: list[int], ref_firsts: list[int]) -> None:
    """Continuation pages and lines in place: where a reader sees the lines stand, page by page."""
    for index in range(1, len(theirs)):
        if not theirs[index].lines:
            continue
        result.continuations_total += 1
        if index < len(ours) and ours[index].lines:
            same_word = mapping.get(ref_firsts[index]) == our_firsts[index]
            same_height = abs(ours[index].lines[0].y - theirs[index].lines[0].y) <= IN_PLACE
            result.continuations_kept += same_word and same_height
    for index, page in enumerate(theirs):
        mine = ours[index].starts if index < len(ours) else []
        missed = [start[1:] for start in page.starts if not any(near(start, o) for o in mine)]
        result.lines_total += len(page.starts)
        result.lines_in_place += len(page.starts) - len(missed)
        result.missed[index + 1] = missed
        result.strays[index + 1] = [start[1:] for start in mine
                                    if not any(near(start, t) for t in page.starts)]


def run_compare(built: Path, reference: Path, report: Path | None = None) -> int:
    """`unpress compare`: print the figures (and write the side-by-side report); exit 0."""
    result = measure(built, reference)
    print(result.summary())
    if report is not None:
        from unpress.fidelity_report import write_report

        index = write_report(built, reference, result.summary(), result.missed, result.strays, report)
        print(f"report: {index}")
    return 0
