"""Render the document model to HTML with the Jinja2 templates in templates/."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from itertools import count
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from unpress import __version__
from unpress.model import Annex, Inline, NoteRef, Operative, Paragraph, Resolution, Text, plain_text
from unpress.paths import STYLES, TEMPLATES

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
UNITS = ("", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
UNIT_WORDS = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
TEENS = ("tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
         "sixteenth", "seventeenth", "eighteenth", "nineteenth")
TENS = ("", "", "twent", "thirt", "fort", "fift", "sixt", "sevent", "eight", "ninet")


UNBREAKABLE_WORD = re.compile(r"\S*(?:[/\u2011]|\w\.(?=\w))\S*")


def typeset(text: str) -> Markup:
    """Escape text and keep whole the words Word would not break ("A/58/98", "non‑selectivity",
    "E.93.I.8").

    Pango breaks after "/" and inside sales numbers where Word does not; and Liberation Serif has no
    glyph for U+2011 NON-BREAKING HYPHEN, so it is printed as "-" inside a
    no-wrap span, which keeps its meaning with a glyph the bundled font has.
    """
    out, last = [], 0
    for match in UNBREAKABLE_WORD.finditer(text):
        out.append(escape(text[last:match.start()]))
        word = match.group().replace("\u2011", "-")
        out.append(Markup('<span class="nowrap">{}</span>').format(word))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def longdate(value: date) -> str:
    """UN style: "23 December 2003", with no-break spaces as the official files carry."""
    return f"{value.day}\u00a0{MONTHS[value.month - 1]}\u00a0{value.year}"


def ordinal_session(number: int) -> str:
    """The session in words, as the masthead prints it: "Fifty-eighth", "Eightieth"."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    if rest == 0:
        words = ""
    elif rest < 10:
        words = UNITS[units]
    elif rest < 20:
        words = TEENS[rest - 10]
    elif units == 0:
        words = TENS[tens] + "ieth"
    else:
        words = TENS[tens] + "y-" + UNITS[units]
    if hundreds:
        head = UNIT_WORDS[hundreds] + " hundred"
        words = f"{head} and {words}" if words else head + "th"
    return words[:1].upper() + words[1:]


def barcode_svg(job_number: str) -> Markup:
    """The Code 39 barcode of a job number ("25-21247" -> "*2521247*") as inline SVG.

    Inline, so WeasyPrint draws it without fetching anything; one unit of the
    viewBox is one narrow module, the stylesheet gives the printed size.
    """
    import barcode  # here, not at the top: only the current edition's page 1 needs it (start-up time)

    code = barcode.Code39(job_number.replace("-", ""), add_checksum=False)
    modules = code.build()[0]
    bars, x = [], 0
    for match in re.finditer(r"1+", modules):
        bars.append(f"M{match.start()} 0h{len(match.group())}v1h-{len(match.group())}z")
        x = match.end()
    return Markup(
        '<svg class="barcode" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} 1" '
        'preserveAspectRatio="none" role="img" aria-label="*{}*"><path d="{}"/></svg>'
    ).format(x, code.get_fullcode(), "".join(bars))


def qr_svg(url: str) -> Markup:
    """A QR code of the document's permalink (https://undocs.org/<symbol>) as inline SVG."""
    import segno  # here, not at the top: only the current edition's page 1 needs it (start-up time)

    svg = segno.make(url, error="m").svg_inline(border=0, omitsize=True, svgclass="qr", lineclass=None)
    return Markup(svg)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["longdate"] = longdate
    env.filters["typeset"] = typeset
    env.filters["ordinal_session"] = ordinal_session
    env.globals["kind"] = lambda node: type(node).__name__
    env.globals["barcode_svg"] = barcode_svg
    env.globals["qr_svg"] = qr_svg
    return env


def stylesheets(edition: str) -> list[Path]:
    """The shared base sheet, then the edition's own sheet over it."""
    return [STYLES / "base.css", STYLES / f"edition-{edition}.css"]


@dataclass
class PageCut:
    """How a paragraph is set: whole, after a page break, or cut before a word."""

    first: list[Inline]
    rest: list[Inline] = field(default_factory=list)
    whole: bool = False  # the whole paragraph starts a new page


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
                            head = [Text(node.text[:offset])] if offset else []
                            tail = [Text(node.text[offset:]), *nodes[position + 1:]]
                            return [*nodes[:position], *head], tail
                        words += 1
                    after_space = char.isspace()
            elif isinstance(node, NoteRef):
                after_space = False
            else:
                parts = split(node.children)
                if parts is not None:
                    head = [replace(node, children=parts[0])] if parts[0] else []
                    tail = [replace(node, children=parts[1])] if parts[1] else []
                    return [*nodes[:position], *head], [*tail, *nodes[position + 1:]]
        return None

    parts = split(inlines)
    return parts if parts is not None else (inlines, [])


def continues_a_chapeau(annex: Annex) -> bool:
    """Whether an annex's numbered paragraphs complete a chapeau ("… and in this regard we:").

    Such paragraphs are operative clauses, set like a resolution's (the number
    at the first-line indent, A/RES/78/4's declaration); other annexes
    number their paragraphs at the column (78/128, 78/317).
    """
    for index, block in enumerate(annex.blocks):
        if isinstance(block, Operative):
            before = annex.blocks[index - 1] if index else None
            return isinstance(before, Paragraph) and plain_text(before.content).rstrip().endswith(":")
    return False


def render_html(resolution: Resolution, mode: str = "pdf", emblem: str | None = None,
                page_cuts: dict[int, int] | None = None, link_stylesheets: bool = True) -> str:
    """The HTML of a resolution.

    `mode="pdf"` puts each footnote's text at its call, for CSS `float: footnote`;
    `mode="web"` links calls to a list of notes at the end, for a browser.
    `link_stylesheets=False` leaves out the stylesheet links, for a caller
    that hands WeasyPrint the same sheets already parsed.
    `page_cuts` maps a paragraph (numbered in document order, `data-block`)
    to the number of its words that stay before a page break (0: the whole
    paragraph starts a new page): the PDF writer's repair of footnote placement.
    """
    cuts = page_cuts or {}
    blocks = count(1)
    called: set[int] = set()

    def first_call(number: int) -> bool:
        """A note is printed at its first call; a later call prints its number only."""
        first = number not in called
        called.add(number)
        return first

    def page_cut(block: int, inlines: list[Inline]) -> PageCut:
        if block not in cuts:
            return PageCut(inlines)
        if cuts[block] == 0:
            return PageCut(inlines, whole=True)
        return PageCut(*cut_before_word(inlines, cuts[block]))

    template = environment().get_template("resolution.html")
    return template.render(
        page_cut=page_cut,
        continues_a_chapeau=continues_a_chapeau,
        first_call=first_call,
        next_block=lambda: next(blocks),
        resolution=resolution,
        meta=resolution.meta,
        notes={note.number: note for note in resolution.footnotes},
        mode=mode,
        emblem=emblem,
        stylesheets=[sheet.as_uri() for sheet in stylesheets(resolution.meta.edition)]
        if link_stylesheets else [],
        version=__version__,
    )
