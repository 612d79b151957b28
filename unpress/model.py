"""The one document model every reader produces and every writer consumes.

Readers (Markdown, AKN4UN) build a `Resolution`; `validate` holds its
invariants after every reader; writers (HTML/PDF, AKN, Markdown), the
preflight's helpers and the tests traverse it with `walk` (pandoc's one
traversal).  Inline content is a small tree of plain dataclasses so that no
writer ever has to trust markup coming from a source.

Layout decisions that change the document's blocks -- the PDF writer's page
cuts for footnote placement -- are transforms of the model
(`apply_page_cuts`), not state carried through a writer.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


@dataclass
class Text:
    text: str


@dataclass
class Emphasis:
    children: list[Inline]


@dataclass
class Strong:
    children: list[Inline]


@dataclass
class Superscript:
    """Raised small text that is not a footnote call: a table's note letters ("a"), "m<sup>2</sup>"."""

    children: list[Inline]


@dataclass
class Link:
    href: str
    children: list[Inline]


@dataclass
class NoteRef:
    """A footnote call; `number` is the document-wide footnote number.

    `again`: a later call to a note already called (AKN `noteRef`, Markdown
    `[^=label]`): it prints the number, the note's text stays at its first call.
    """

    number: int
    again: bool = False


Inline = Text | Emphasis | Strong | Superscript | Link | NoteRef
Span = Emphasis | Strong | Superscript | Link
SPANS = (Emphasis, Strong, Superscript, Link)  # the inline nodes with children


@dataclass
class Formula:
    """The enacting formula, "The General Assembly,"."""

    content: list[Inline]
    break_before: bool = False  # set by apply_page_cuts
    after_break: list[Inline] = field(default_factory=list)


@dataclass
class Paragraph:
    """A preambular paragraph, or any unnumbered paragraph of text."""

    content: list[Inline]
    break_before: bool = False  # set by apply_page_cuts
    after_break: list[Inline] = field(default_factory=list)


@dataclass
class Subparagraph:
    """A lettered "(a)" or numbered "(i)" point, possibly with its own points."""

    label: str
    content: list[Inline]
    children: list[Subparagraph] = field(default_factory=list)
    break_before: bool = False  # set by apply_page_cuts
    after_break: list[Inline] = field(default_factory=list)
    letter: bool = False  # a label that reads as a roman numeral set as a letter: "(i)" after "(h)"

    @property
    def printed_label(self) -> str:
        """The label as printed: "(a)", or the "1." of a numbered item quoted in a paragraph."""
        return self.label if self.label.endswith(".") else f"({self.label})"


@dataclass
class Operative:
    """An operative paragraph with its official number."""

    number: int
    content: list[Inline]
    children: list[Subparagraph] = field(default_factory=list)
    break_before: bool = False  # set by apply_page_cuts
    after_break: list[Inline] = field(default_factory=list)


@dataclass
class Heading:
    """A heading inside the text or an annex (e.g. "Peacebuilding Commission")."""

    content: list[Inline]
    level: int = 1
    style: str | None = None  # the source's Word style (AKN class): "HCh" 14 pt, "H1" 12 pt, "H23" 10 pt
    break_before: bool = False  # set by apply_page_cuts, with the paragraph it is kept with


@dataclass
class Cell:
    """A table cell: its runs, and how the source sets it (None/empty: the house style's way).

    An AKN4UN cell records Word's settings, which are facts of the document:
    its justification, its width in twentieths of a point (`dxa`), the rules
    drawn on its sides (their weight in points) and the columns and rows it
    spans.  `indent` counts the tabs typed before its text (Word's 14.4 pt stops).
    """

    content: list[Inline]
    align: str | None = None  # "left", "right", "center", "justify"
    valign: str | None = None  # "top", "middle", "bottom"
    width: int | None = None  # dxa (1/20 pt)
    rules: dict[str, float] = field(default_factory=dict)  # "top", "right", "bottom", "left" -> pt
    colspan: int = 1
    rowspan: int = 1
    indent: int = 0


@dataclass
class Table:
    """A table: rows of cells; `width` in dxa (None: the text column's), `frame` its outer rules."""

    rows: list[list[Cell]]
    header_rows: int = 0
    width: int | None = None
    frame: dict[str, float] = field(default_factory=dict)  # "top", ..., "inside-h", "inside-v" -> pt
    as_set: bool = False  # the source records Word's rules: they replace the house style's
    notes: list[list[Inline]] = field(default_factory=list)  # "a See A/76/411.", "Abbreviations: ..."

    def rules_of(self, cell: Cell) -> dict[str, float]:
        """The rules drawn around a cell: its own, else the table's between cells, else its frame's.

        Collapsed borders then draw a rule shared by two cells once, and the frame's outer
        sides only at the table's edges (the frame's sides are the table element's).
        """
        inside = {"top": self.frame.get("inside-h"), "bottom": self.frame.get("inside-h"),
                  "left": self.frame.get("inside-v"), "right": self.frame.get("inside-v")}
        return {side: weight for side, weight in (inside | cell.rules).items() if weight}

    def columns(self) -> list[int | None]:
        """Each grid column's width in dxa, from the first row whose cells each cover one."""
        count = max((sum(cell.colspan for cell in row) for row in self.rows), default=0)
        for row in self.rows:
            if len(row) == count and all(cell.width for cell in row):
                return [cell.width for cell in row]
        return [None] * count


@dataclass
class Division:
    """The start of a division with its own heading and numbering.

    A `<part>`, `<section>` or `<chapter>` of a body ("I" and its heading), or
    one resolution of a resolution in parts ("A" and its title).  The blocks
    that follow belong to it up to the next division; paragraph numbering may
    start again at 1.
    """

    num: list[Inline]
    heading: list[list[Inline]] = field(default_factory=list)
    level: int = 1
    kind: str = "section"  # the AKN element: section, part, chapter; "resolution" for A, B...
    break_before: bool = False  # set by apply_page_cuts, with the paragraph it is kept with


@dataclass
class Closing:
    """The meeting and date that close one resolution of a resolution in parts."""

    lines: list[list[Inline]]


Block = Formula | Paragraph | Operative | Subparagraph | Heading | Table | Division | Closing


@dataclass
class Annex:
    """An attachment to the resolution: its heading lines and its own blocks."""

    title: list[list[Inline]]
    blocks: list[Block] = field(default_factory=list)
    title_styles: list[str | None] = field(default_factory=list)  # each title line's Word style


@dataclass
class Footnote:
    number: int
    content: list[Inline]


@dataclass
class Meta:
    """The front matter: only sourced facts, every optional field may be absent."""

    symbol: str
    title: str
    session: int | None = None
    adopted: date | None = None
    meeting: str | None = None
    committee: str | None = None
    report: str | None = None
    draft: str | None = None
    agenda_item: str | None = None
    agenda_title: str | None = None
    distributed: date | None = None
    job_number: str | None = None
    edition: str = "2003"
    language: str = "en"
    # the number before the title when the source prints it otherwise than the symbol:
    # "79/93" for A/RES/79/93 A-B, "76/235" for A/RES/76/235 B (its "B" heads the text)
    title_number: str | None = None
    # "as published": the numbers are the publisher's and are kept where they break the order
    # (the UN's A/RES/80/113 in Spanish numbers 81 before 80); `numbering_breaks` lists them
    numbering: str | None = None

    @property
    def number(self) -> str:
        """The resolution number as printed before its title, e.g. "58/208", "78/183 A"."""
        return self.title_number or self.symbol.split("/RES/", 1)[-1]


@dataclass
class Resolution:
    meta: Meta
    blocks: list[Block] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    annexes: list[Annex] = field(default_factory=list)


@dataclass
class Reading:
    """What a reader returns: the document, and the emblem image its source names (a build
    setting, not a fact of the document, so it never enters `Meta`)."""

    resolution: Resolution
    emblem: Path | None = None


def plain_text(inlines: list[Inline], note_numbers: bool = True) -> str:
    """The text of inline content without markup, footnote calls as their numbers (or dropped)."""
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            parts.append(node.text)
        elif isinstance(node, NoteRef):
            if note_numbers:
                parts.append(str(node.number))
        else:
            parts.append(plain_text(node.children, note_numbers))
    return "".join(parts)


def with_children(node: Span, children: list[Inline]) -> Span:
    """The same markup (and link target) around other content."""
    return Link(node.href, children) if isinstance(node, Link) else type(node)(children)


# -- traversal ----------------------------------------------------------------------

Node = Block | Annex | Footnote | Inline
TextBlock = Formula | Paragraph | Operative | Subparagraph
TEXT_BLOCKS = (Formula, Paragraph, Operative, Subparagraph)


def walk(resolution: Resolution, inlines: bool = False) -> Iterator[Node]:
    """Every node in reading order: body blocks (subparagraphs under their paragraph), annexes
    and their blocks, then the footnotes; with `inlines`, each node's inline content after it.

    The one traversal the writers' helpers, the validation, the measurement
    and the tests share; the order is the order of the printed text.
    """
    def blocks(items: list[Block]) -> Iterator[Node]:
        for block in items:
            yield block
            if inlines:
                yield from block_inlines(block)
            if isinstance(block, (Operative, Subparagraph)):
                yield from blocks(list(block.children))

    yield from blocks(resolution.blocks)
    for annex in resolution.annexes:
        yield annex
        if inlines:
            for line in annex.title:
                yield from inline_nodes(line)
        yield from blocks(annex.blocks)
    for note in resolution.footnotes:
        yield note
        if inlines:
            yield from inline_nodes(note.content)


def block_inlines(block: Block) -> Iterator[Inline]:
    """The inline nodes of one block (a table's cells row by row), depth first."""
    if isinstance(block, Table):
        for row in block.rows:
            for cell in row:
                yield from inline_nodes(cell.content)
        for note in block.notes:
            yield from inline_nodes(note)
    elif isinstance(block, Division):
        for line in [block.num, *block.heading]:
            yield from inline_nodes(line)
    elif isinstance(block, Closing):
        for line in block.lines:
            yield from inline_nodes(line)
    else:
        yield from inline_nodes(block.content)
        if isinstance(block, TEXT_BLOCKS):
            yield from inline_nodes(block.after_break)


def inline_nodes(nodes: list[Inline]) -> Iterator[Inline]:
    """Inline nodes depth first, each before its children."""
    for node in nodes:
        yield node
        if isinstance(node, SPANS):
            yield from inline_nodes(node.children)


def text_blocks(resolution: Resolution) -> list[TextBlock]:
    """The paragraphs of the text in reading order: what `data-block` numbers from 1."""
    return [node for node in walk(resolution) if isinstance(node, TEXT_BLOCKS)]


# -- building -------------------------------------------------------------------------


ROMAN_LOOKING = re.compile(r"[ivx]+")


def nest_subparagraph(blocks: list[Block], sub: Subparagraph, level: int, strict: bool) -> bool:
    """Place a subparagraph of `level` (1: "(a)", 2: "(i)", ...) under the blocks read so far.

    Under a numbered paragraph it goes `level` deep; under a run of
    subparagraphs without one, one less; a first-level point with no
    paragraph above it stands alone.  `strict` (the Markdown reader, whose
    indentation states the level) refuses a level that has no parent and
    returns False; otherwise (AKN) the point goes as deep as the tree allows.
    """
    # a first-level "(i)" is the letter after "(h)": Arabic and Chinese print it unlike a roman one
    sub.letter = level == 1 and bool(ROMAN_LOOKING.fullmatch(sub.label))
    parent = blocks[-1] if blocks else None
    if isinstance(parent, Operative):
        depth = level
    elif isinstance(parent, Subparagraph) and level > 1:
        depth = level - 1
    elif level == 1 or not strict:
        blocks.append(sub)
        return True
    else:
        return False
    for _ in range(depth - 1):
        if not parent.children:
            if strict:
                return False
            break
        parent = parent.children[-1]
    parent.children.append(sub)
    return True


# -- layout transforms ------------------------------------------------------------------


def cut_before_word(inlines: list[Inline], index: int) -> tuple[list[Inline], list[Inline]]:
    """Split inline content before its `index`-th word (0-based), keeping the markup."""
    words = 0
    after_space = True

    def split(nodes: list[Inline]) -> tuple[list[Inline], list[Inline]] | None:
        nonlocal words, after_space
        for position, node in enumerate(nodes):
            if isinstance(node, Text):
                for offset, char in enumerate(node.text):
                    if not char.isspace() and after_space:
                        if words == index:
                            head: list[Inline] = [Text(node.text[:offset])] if offset else []
                            tail = [Text(node.text[offset:]), *nodes[position + 1:]]
                            return [*nodes[:position], *head], tail
                        words += 1
                    after_space = char.isspace()
            elif isinstance(node, NoteRef):
                after_space = False
            else:
                assert isinstance(node, SPANS)
                parts = split(node.children)
                if parts is not None:
                    head = [with_children(node, parts[0])] if parts[0] else []
                    tail = [with_children(node, parts[1])] if parts[1] else []
                    return [*nodes[:position], *head], [*tail, *nodes[position + 1:]]
        return None

    parts = split(inlines)
    return parts if parts is not None else (inlines, [])


def is_chapeau(content: list[Inline]) -> bool:
    """Whether a paragraph's text ends with a colon: it introduces what follows ("... and in this
    regard we:", "... the following objectives:")."""
    return plain_text(content).rstrip().endswith(":")


def titles_what_follows(block: Block) -> bool:
    """A heading, a division's title, or an unnumbered paragraph all in italics or bold without
    the mark that ends a paragraph ("*Commitments*" in 79/2's declaration): a line that belongs
    with the paragraph after it."""
    if isinstance(block, Heading | Division):
        return True
    if not isinstance(block, Paragraph):
        return False
    spans = [node for node in block.content if not (isinstance(node, Text) and not node.text.strip())]
    text = plain_text(block.content, note_numbers=False).strip()
    return (len(spans) == 1 and isinstance(spans[0], Emphasis | Strong)
            and bool(text) and text[-1] not in ".,;:")


def apply_page_cuts(resolution: Resolution, cuts: dict[int, int]) -> Resolution:
    """The document with page breaks where the PDF writer's footnote repair put them.

    `cuts` maps a paragraph (numbered from 1 as `text_blocks` lists them) to
    the number of its words that stay before the break: 0 sends the whole
    paragraph to the next page (`break_before`), with the titles just before
    it, as Word moves a heading kept with its next paragraph; n keeps n words
    and sets the rest after the break (`after_break`).  The original is left
    as it was.
    """
    cut = copy.deepcopy(resolution)
    number = 0
    titles: list[Heading | Division | Paragraph] = []  # the titles just before the node
    for node in walk(cut):
        if isinstance(node, TEXT_BLOCKS):
            number += 1
            if cuts.get(number) == 0:
                (titles[0] if titles else node).break_before = True
            elif number in cuts:
                node.content, node.after_break = cut_before_word(node.content, cuts[number])
        titles = [*titles, node] if isinstance(node, Heading | Division | Paragraph) \
            and titles_what_follows(node) else []
    return cut


# -- invariants ---------------------------------------------------------------------------

SYMBOL = re.compile(r"^A/RES/(?:(?:ES|S)-)?(\d{1,3})/\d{1,4}(?: ?[A-Z](?:-[A-Z])?)?$")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd\ufffe\uffff\ud800-\udfff"
                     "\u202a-\u202e\u2066-\u2069]")  # and the bidi controls that reorder the text
FIRST_YEAR = 1946  # the General Assembly's first session
LAST_SESSION = 999  # a symbol carries at most three digits of session


class InvalidDocumentError(ValueError):
    """A document that breaks an invariant of the model: readers turn it into an UnpressError."""


def validate(resolution: Resolution) -> None:
    """Hold the invariants every writer relies on, whichever reader built the document.

    Text: no control character (after entities are decoded) and no U+FFFD
    left by a bad decode.  Notes: every call names a note, every note is
    called.  Numbering: operative paragraphs count 1, 2, 3... (starting again
    at 1 after a heading, a division or in an annex).  Facts: the symbol is a General
    Assembly resolution's, the session agrees with it, the document is not
    distributed before it was adopted.  Raises InvalidDocumentError with the first
    breach.
    """
    meta = resolution.meta
    symbol = SYMBOL.match(meta.symbol)
    if symbol is None:
        raise InvalidDocumentError(f"the symbol {meta.symbol!r} is not a General Assembly resolution's "
                              "(A/RES/<session>/<number>)")
    if meta.session is not None and symbol_session(meta.symbol) not in (None, meta.session):
        raise InvalidDocumentError(f"the session {meta.session} contradicts the symbol {meta.symbol}")
    if meta.session is not None and not 1 <= meta.session <= LAST_SESSION:
        raise InvalidDocumentError(f"the session {meta.session} is not a session number "
                                   f"(1 to {LAST_SESSION})")
    for day in (meta.adopted, meta.distributed):
        if day is not None and day.year < FIRST_YEAR:
            raise InvalidDocumentError(f"the date {day.isoformat()} is before the General "
                                       f"Assembly's first session ({FIRST_YEAR})")
    if meta.adopted and meta.distributed and meta.distributed < meta.adopted:
        raise InvalidDocumentError(f"distributed on {meta.distributed.isoformat()}, before its adoption "
                              f"on {meta.adopted.isoformat()}")
    for value in (meta.title, meta.agenda_title or "", meta.committee or "", meta.meeting or ""):
        refuse_control(value)
    notes = {note.number for note in resolution.footnotes}
    called: set[int] = set()
    for node in walk(resolution, inlines=True):
        if isinstance(node, Text):
            refuse_control(node.text)
        elif isinstance(node, NoteRef):
            if node.number not in notes:
                raise InvalidDocumentError(f"a call to footnote {node.number}, which has no text")
            if node.again != (node.number in called):
                raise InvalidDocumentError(
                    f"footnote {node.number} is called again before its first call" if node.again
                    else f"footnote {node.number} has a second first call; mark it as a call again")
            called.add(node.number)
    if notes - called:
        raise InvalidDocumentError(f"footnote {min(notes - called)} is never called")
    if meta.numbering != PUBLISHED_NUMBERING and (breaks := paragraph_breaks(resolution)):
        raise InvalidDocumentError(breaks[0])


PUBLISHED_NUMBERING = "as published"  # the one value of `Meta.numbering` (None: in order)
ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv",
         "xv", "xvi", "xvii", "xviii", "xix", "xx", "xxi", "xxii", "xxiii", "xxiv", "xxv")


# a paragraph naming a numbered unit of an annexed text, whose paragraphs count from 1 again
# ("Article 4 Scope of application" of a convention, "Rule 8" of rules of procedure): the UN sets
# it as a paragraph of its own (80/162, 79/243)
UNIT = re.compile(r"^(?:Article|Rule|Regulation|Guideline|Principle)s?\s+\d+\b")


def paragraph_breaks(resolution: Resolution) -> list[str]:
    """Operative paragraphs out of the order 1, 2, 3... (which starts again after a heading,
    a division or in an annex; 1 may start it again anywhere): a source's error, or its
    publisher's (`Meta.numbering`)."""
    breaks: list[str] = []
    previous: int | None = None
    for node in walk(resolution):
        if isinstance(node, (Heading, Annex, Division)):
            previous = None
        elif isinstance(node, Operative):
            if node.number != 1 and previous is not None and node.number != previous + 1:
                breaks.append(f"operative paragraph {node.number} follows paragraph {previous}")
            previous = node.number
    return breaks


def numbering_breaks(resolution: Resolution) -> list[str]:
    """Every break in the order of paragraph numbers and of subparagraph labels, in reading order.

    Labels follow the rule the preflight reads off the page (`label_step`): (a), (b)... under
    each paragraph, (i), (ii)... under each letter, (a) again after an unlabelled paragraph.
    """
    breaks = paragraph_breaks(resolution)
    letter, roman, fresh = "", 0, True
    for node in walk(resolution):
        if isinstance(node, (Operative, Annex, Division)):
            letter, roman, fresh = "", 0, True
        elif isinstance(node, (Paragraph, Heading)):  # a heading may split a list: "(c)" goes on
            fresh = True
        if not isinstance(node, (Operative, Subparagraph)) or getattr(node, "label", "").endswith("."):
            continue
        labels = [node.label] if isinstance(node, Subparagraph) else []
        # labels the text opens with count as on the page: "3. (a) Each State", "(a) (i) The"
        if leading := TEXT_LABELS.match(plain_text(node.content, False)):
            labels += INLINE_LABEL.findall(leading[0])
        for label in labels:
            letter, roman, expected = label_step(label, letter, roman, fresh)
            fresh = False
            if expected is not None:
                breaks.append(f"subparagraph ({label}) where ({expected}) was expected")
    return breaks


TEXT_LABELS = re.compile(r"(?:\([a-z]{1,4}\)\s+)*")
INLINE_LABEL = re.compile(r"\(([a-z]{1,4})\)")


def label_step(label: str, letter: str, roman: int, fresh: bool) -> tuple[str, int, str | None]:
    """The (letter, roman) state after a subparagraph label, and the label that was expected
    if this one breaks the order (None: in order)."""
    next_letter = following_letter(letter)
    if label == next_letter or (label == "a" and fresh):
        return label, 0, None
    if label in ROMAN and ROMAN.index(label) in (0, roman):
        return letter, ROMAN.index(label) + 1, None
    return label[0], 0, next_letter


def following_letter(letter: str) -> str:
    """The label after `letter`: (a)...(z), then (aa), (bb)... as the UN doubles them."""
    if not letter:
        return "a"
    if letter[-1] == "z":
        return "a" * (len(letter) + 1)
    return chr(ord(letter[0]) + 1) * len(letter)


def symbol_session(symbol: str) -> int | None:
    """The session a regular session's symbol names (None: a special or emergency session's,
    whose symbol counts its own sessions, or no resolution symbol)."""
    match = SYMBOL.match(symbol)
    return int(match.group(1)) if match and not symbol.startswith(("A/RES/ES-", "A/RES/S-")) else None


def refuse_control(text: str) -> None:
    match = CONTROL.search(text)
    if match:
        raise InvalidDocumentError(f"control character U+{ord(match.group()):04X} in {text[:40]!r}: "
                              "no edition can print it")
