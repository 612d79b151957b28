"""From the paragraphs an importer found to the document model.

What every form shares: which paragraph is the enacting formula, a preambular or an
operative paragraph, a subparagraph and at which level, an annex heading, the closing
block (meeting and date of adoption); and, where the form carries no italics (plain
text), the opening phrase set in italics from the vocabulary `unpress lint` uses.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

from unpress.lint import DATE_SPACE_RE, base_opener, style_of, vocabulary
from unpress.model import (
    PUBLISHED_NUMBERING,
    ROMAN,
    UNIT,
    Annex,
    Block,
    Emphasis,
    Footnote,
    Formula,
    Heading,
    Inline,
    Meta,
    NoteRef,
    Operative,
    Paragraph,
    Resolution,
    Subparagraph,
    Text,
    plain_text,
    walk,
)
from unpress.paths import DATA

ITALIC, CALL = "italic", "call"
OPERATIVE_RE = re.compile(r"^(\d+)\.\s+")
LABEL_RE = re.compile(r"^\(([a-z]{1,3}|[ivxlc]+)\)\s+")
FORMULA_RE = re.compile(r"^The General Assembly,?$")
DATE = (r"\d{1,2}\s(?:January|February|March|April|May|June|July|August|September|October|"
        r"November|December)\s\d{4}")
MEETING_RE = re.compile(rf"^(\d+(?:st|nd|rd|th)(?: \(resumed\))? plenary meeting)(?:\s+({DATE}))?$")
DATE_RE = re.compile(rf"^{DATE}$")
ANNEX_RE = re.compile(r"^Annex(?:es)?(?:\s+[IVXL]+)?$")
# "Annex" and its title set as one bold line (the official 79/243: "Annex United Nations Convention ...")
ANNEX_LEAD_RE = re.compile(r"^Annex(?:\s+[IVXL]+)?(?=\s+[A-Z])")

PREPOSITIONS = {"of", "to", "by", "for", "that", "with", "on", "in", "at"}  # UN italics stop before them
HYPHENATED = re.compile(r"\w+(?:[-\u2011]\w+)+")  # "non-governmental", "COVID-19", "anti-money-laundering"


@dataclass
class Run:
    """A stretch of a paragraph: text, italic text, or a footnote call (its number as text)."""

    text: str
    kind: str = "text"


@dataclass
class Piece:
    """A paragraph as the importer found it, and where (for the report)."""

    runs: list[Run]
    page: int = 0
    line: int = 0
    heading: bool = False  # set apart in bold

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs if run.kind != CALL).strip()


@dataclass
class Draft:
    meta: dict[str, Any]  # Meta's fields, as the form gave them
    pieces: list[Piece]
    notes: dict[int, list[Run]]
    has_italics: bool = True
    problems: list[str] = field(default_factory=list)


def compose(draft: Draft) -> Resolution:
    """The document model of a draft; what cannot be placed is added to `draft.problems`."""
    pieces = take_closing(draft)
    meta = Meta(**{key: value for key, value in draft.meta.items() if value is not None})
    resolution = Resolution(meta=meta)
    target = resolution.blocks
    in_preamble, expected_number, letters_seen = True, 1, 0
    restart = False  # after a heading numbering may start again at 1 (a budget resolution's parts)
    called: set[int] = set()
    annex: Annex | None = None
    for piece in pieces:
        text = piece.text
        if not text:
            continue
        lead = ANNEX_LEAD_RE.match(text) if piece.heading else None
        if ANNEX_RE.match(text) or lead or (annex is not None and not annex.blocks and is_title(piece)):
            if annex is None or annex.blocks or lead:
                annex = Annex(title=[])
                resolution.annexes.append(annex)
                target, expected_number = annex.blocks, 1
            if lead:  # "Annex" and its title on one line: two title lines, as the AKN sets them
                annex.title += [[Text(lead.group())], inlines(strip_prefix(piece.runs, lead.end()), called)]
            else:
                annex.title.append(inlines(piece.runs, called))
            continue
        if piece.heading:
            target.append(Heading(inlines(piece.runs, called)))
            restart = True
            continue
        if FORMULA_RE.match(text):
            target.append(Formula([Emphasis([Text("The General Assembly")]), Text(",")]))
            in_preamble = True
            continue
        number = OPERATIVE_RE.match(text)
        if number:
            value = int(number.group(1))
            if value != expected_number and not (restart and value == 1):
                # the official copy is the record: its number stands, and the source says so
                draft.problems.append(f"page {piece.page}, line {piece.line}: paragraph {value} "
                                      f"where {expected_number} was expected; kept as published")
                resolution.meta.numbering = PUBLISHED_NUMBERING
            in_preamble, restart, expected_number = False, False, value + 1
            content = opener(strip_prefix(piece.runs, number.end()), "operative", draft, called)
            target.append(Operative(value, content if draft.has_italics else italicize_later_verbs(content)))
            continue
        label = LABEL_RE.match(text)
        if label:
            sub = Subparagraph(label.group(1), inlines(strip_prefix(piece.runs, label.end()), called))
            letters_seen = attach(target, sub, letters_seen)
            continue
        restart = restart or bool(UNIT.match(text))
        role = "preamble" if in_preamble and annex is None else None
        target.append(Paragraph(opener(piece.runs, role, draft, called)))
    called = prune_calls(resolution, set(draft.notes), draft.problems)
    for note, runs in sorted(draft.notes.items()):
        if note in called:
            resolution.footnotes.append(Footnote(note, inlines(runs, called)))
        else:
            draft.problems.append(f"footnote {note} has no call in the text; left out: "
                                  f"{''.join(run.text for run in runs)[:60]!r}")
    join_hyphens(resolution)
    return resolution


@dataclass(frozen=True)
class Hyphens:
    since: int  # the first session whose files join them
    words: frozenset[str]


@cache
def nonbreaking_hyphens() -> Hyphens:
    """The words the UN joins with U+2011 (python bench/hyphens.py)."""
    data = json.loads((DATA / "hyphens.json").read_text(encoding="utf-8"))
    return Hyphens(data["since"], frozenset(data["words"]))


def join_hyphens(resolution: Resolution) -> None:
    """The UN's non-breaking hyphen in the words it joins so ("non\u2011governmental"): the
    official PDFs and plain text print it as "-", so that a line may not break there is
    known from the UN's own files only.  Not in documents older than the practice."""
    hyphens = nonbreaking_hyphens()
    session = resolution.meta.session
    if session is not None and session < hyphens.since:
        return

    def join(match: re.Match[str]) -> str:
        word = match.group()
        return word.replace("-", "\u2011") if word in hyphens.words else word

    for node in walk(resolution, inlines=True):
        if isinstance(node, Text):
            node.text = HYPHENATED.sub(join, node.text)


def prune_calls(resolution: Resolution, notes: set[int], problems: list[str]) -> set[int]:
    """A source calls each note once, and only notes it has: a call without its note, or a
    note's second call, is reported and left out.  Returns the notes called."""
    seen: set[int] = set()

    def prune(content: list[Inline]) -> list[Inline]:
        kept: list[Inline] = []
        for node in content:
            if isinstance(node, NoteRef):
                if node.number not in notes:
                    problems.append(f"footnote call {node.number} has no footnote text; left out")
                    continue
                if node.number in seen:
                    problems.append(f"footnote {node.number} is called a second time; the second "
                                    "call is left out")
                    continue
                seen.add(node.number)
            elif isinstance(node, Emphasis):
                node = Emphasis(prune(node.children))
            kept.append(node)
        return kept

    def walk(blocks: list) -> None:
        for block in blocks:
            if hasattr(block, "content"):
                block.content = prune(block.content)
            walk(getattr(block, "children", []))

    walk(resolution.blocks)
    for annex in resolution.annexes:
        annex.title = [prune(line) for line in annex.title]
        walk(annex.blocks)
    return seen


def take_closing(draft: Draft) -> list[Piece]:
    """The closing block ("78th plenary meeting", "23 December 2003") is front matter."""
    pieces = list(draft.pieces)
    for index, piece in enumerate(pieces):
        meeting = MEETING_RE.match(piece.text)
        if meeting:
            draft.meta.setdefault("meeting", meeting.group(1))
            following = pieces[index + 1].text if index + 1 < len(pieces) else ""
            removed = [index]
            if meeting.group(2):
                draft.meta.setdefault("adopted", parse_date(meeting.group(2)))
            elif DATE_RE.match(following):
                draft.meta.setdefault("adopted", parse_date(following))
                removed.append(index + 1)
            return [p for i, p in enumerate(pieces) if i not in removed]
    return pieces


def parse_date(text: str) -> date:
    return datetime.strptime(" ".join(text.split()), "%d %B %Y").date()


def is_title(piece: Piece) -> bool:
    """An annex's title line: short, without the punctuation that ends a paragraph."""
    text = piece.text
    return len(text) < 200 and not text.endswith((".", ";", ",", ":"))


def strip_prefix(runs: list[Run], length: int) -> list[Run]:
    """The runs after the first `length` characters (a number or label and its space)."""
    out: list[Run] = []
    skip = length + (len("".join(r.text for r in runs)) - len("".join(r.text for r in runs).lstrip()))
    for run in runs:
        if skip >= len(run.text) and run.kind != CALL:
            skip -= len(run.text)
            continue
        out.append(Run(run.text[skip:], run.kind) if run.kind != CALL else run)
        skip = 0
    if out and out[0].kind == "text":
        out[0] = Run(out[0].text.lstrip())
    return out


def attach(target: list[Block], sub: Subparagraph, letters_seen: int) -> int:
    """Letters at the first level, roman numbers under them; "(i)" after "(h)" is a letter."""
    parent = target[-1] if target else None
    letter_next = chr(ord("a") + letters_seen)
    is_roman = sub.label in ROMAN and not (sub.label == letter_next and letters_seen)
    holder = parent if isinstance(parent, (Operative, Subparagraph)) else None
    if is_roman and holder is not None and holder.children:
        holder.children[-1].children.append(sub)
        return letters_seen
    if sub.label == "a":
        letters_seen = 0
    if isinstance(parent, Operative):
        parent.children.append(sub)
    else:
        target.append(sub)
    return letters_seen + 1


def opener(runs: list[Run], role: str | None, draft: Draft, called: set[int]) -> list[Inline]:
    """The paragraph's inline content; in a form without italics, its opening phrase is set in
    italics when it is one the UN uses (longest match, with "also"/"further")."""
    content = inlines(runs, called)
    if draft.has_italics or role is None or not content or not isinstance(content[0], Text):
        return content
    text = content[0].text
    phrase = longest_opener(text, role)
    if phrase is None:
        return content
    return [Emphasis([Text(text[:len(phrase)])]), Text(text[len(phrase):]), *content[1:]]


LATER_VERB_RE = re.compile(r"(?<=, and )([a-z]+s(?: [a-z]+){0,3})")


def italicize_later_verbs(content: list[Inline]) -> list[Inline]:
    """", and notes with appreciation": a further verb of the Assembly in an operative
    paragraph is italic too, when it is one of the UN's opening verbs."""
    out: list[Inline] = []
    for node in content:
        if not isinstance(node, Text):
            out.append(node)
            continue
        text, start = node.text, 0
        for match in LATER_VERB_RE.finditer(text):
            phrase = longest_opener(match.group(1)[:1].upper() + match.group(1)[1:] + " ", "operative")
            if phrase is None:
                continue
            end = match.start() + len(phrase)
            out += [Text(text[start:match.start()]), Emphasis([Text(text[match.start():end])])]
            start = end
        out.append(Text(text[start:]))
    return [node for node in out if not (isinstance(node, Text) and not node.text)]


def longest_opener(text: str, role: str) -> str | None:
    words = vocabulary()
    known = words.preamble if role == "preamble" else words.operative
    tokens = text.split(" ")
    best = None
    for end in range(1, min(len(tokens), 8) + 1):
        candidate = " ".join(tokens[:end]).rstrip(",;:")
        if base_opener(candidate, style_of("en")) in known and tokens[end - 1] not in PREPOSITIONS:
            best = candidate
    return best


def inlines(runs: list[Run], called: set[int]) -> list[Inline]:
    """Inline nodes; spaces at an italic run's edges go outside it, and two italic runs with
    only a space between (a phrase broken across lines) are one."""
    out: list[Inline] = []

    def add_text(text: str) -> None:
        if not text:
            return
        if out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + text)
        else:
            out.append(Text(text))

    for run in runs:
        if run.kind == CALL:
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text.rstrip())  # a call stands against what it follows
            called.add(int(run.text))
            out.append(NoteRef(int(run.text)))
        elif run.kind == ITALIC and run.text.strip():
            core = run.text.strip()
            lead = run.text[:len(run.text) - len(run.text.lstrip())]
            trail = run.text[len(run.text.rstrip()):]
            if lead == "" and len(out) >= 2 and isinstance(out[-2], Emphasis) \
                    and isinstance(out[-1], Text) and not out[-1].text.strip():
                out.pop()
                previous = out.pop()
                assert isinstance(previous, Emphasis)
                out.append(Emphasis([Text(plain_text(previous.children) + " " + core)]))
            else:
                add_text(lead)
                out.append(Emphasis([Text(core)]))
            add_text(trail)
        else:
            add_text(run.text)
    if out and isinstance(out[-1], Text):
        out[-1] = Text(out[-1].text.rstrip())
        if not out[-1].text:
            out.pop()
    return [Text(join_dates(node.text)) if isinstance(node, Text) else node for node in out]


def join_dates(text: str) -> str:
    """A non-breaking space between a date's day and month, as the UN sets it (lint rule UN161)."""
    return DATE_SPACE_RE.sub(lambda m: m.group(0).replace(" ", "\u00a0", 1), text)
