"""The one document model every reader produces and every writer consumes.

Readers (Markdown, AKN4UN) build a `Resolution`; writers (HTML/PDF, AKN,
Markdown) walk it.  Inline content is a small tree of plain dataclasses so
that no writer ever has to trust markup coming from a source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


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
class Link:
    href: str
    children: list[Inline]


@dataclass
class NoteRef:
    """A footnote call; `number` is the document-wide footnote number."""

    number: int


Inline = Text | Emphasis | Strong | Link | NoteRef


@dataclass
class Formula:
    """The enacting formula, "The General Assembly,"."""

    content: list[Inline]


@dataclass
class Paragraph:
    """A preambular paragraph, or any unnumbered paragraph of text."""

    content: list[Inline]


@dataclass
class Subparagraph:
    """A lettered "(a)" or numbered "(i)" point, possibly with its own points."""

    label: str
    content: list[Inline]
    children: list[Subparagraph] = field(default_factory=list)


@dataclass
class Operative:
    """An operative paragraph with its official number."""

    number: int
    content: list[Inline]
    children: list[Subparagraph] = field(default_factory=list)


@dataclass
class Heading:
    """A heading inside the text or an annex (e.g. "Peacebuilding Commission")."""

    content: list[Inline]
    level: int = 1


@dataclass
class Table:
    """A table: rows of cells, each cell a list of inline runs."""

    rows: list[list[list[Inline]]]
    header_rows: int = 0


Block = Formula | Paragraph | Operative | Subparagraph | Heading | Table


@dataclass
class Annex:
    """An attachment to the resolution: its heading lines and its own blocks."""

    title: list[list[Inline]]
    blocks: list[Block] = field(default_factory=list)


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
    emblem: str | None = None
    lint: str | None = None  # drafting rules turned off for this file (unpress.lint), never printed

    @property
    def number(self) -> str:
        """The resolution number as printed before its title, e.g. "58/208"."""
        return self.symbol.split("/RES/", 1)[-1]


@dataclass
class Resolution:
    meta: Meta
    blocks: list[Block] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    annexes: list[Annex] = field(default_factory=list)


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


def with_children(node: Emphasis | Strong | Link, children: list[Inline]) -> Emphasis | Strong | Link:
    """The same markup (and link target) around other content."""
    return Link(node.href, children) if isinstance(node, Link) else type(node)(children)
