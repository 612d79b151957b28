"""Render the document model to HTML with the Jinja2 templates in templates/."""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from itertools import count
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from unpress import __version__, i18n
from unpress.house import Edition, edition_of
from unpress.house import language as house_language
from unpress.model import (
    Annex,
    Closing,
    Heading,
    Operative,
    Paragraph,
    Resolution,
    is_chapeau,
    plain_text,
    titles_what_follows,
)
from unpress.paths import STYLES, TEMPLATES

# a "word" ends at white space and at Chinese characters and full-width punctuation, which break anywhere
WORD_CHARACTER = "[^\\s\u3000-\u9fff\uff00-\uffef]"
UNBREAKABLE_WORD = re.compile(rf"{WORD_CHARACTER}*(?:[/\u2011]|\w\.(?=\w)){WORD_CHARACTER}*")
LONGEST_UNBREAKABLE = 40  # longer than any symbol or sales number: kept whole, it could pass the margin


BREAK_AFTER = re.compile(r"([/.\-])(?=\S)")
WORD_JOINER = "\u2060"
SPACE_BEFORE_PUNCTUATION = re.compile("[ \u00a0]+(?=[;:?!])")
RESOLUTION_NUMBER = re.compile(r"\d{1,3}/\d{1,4}")


@jinja2.pass_context
def typeset(context: jinja2.runtime.Context, text: str, language: str = "en", links: bool = False) -> Markup:
    """Escape text and keep whole the words Word would not break ("A/58/98", "non‑selectivity",
    "E.93.I.8"); with `links`, a resolution's number ("75/290") links to it, as the official
    title and running title do (78/285, 80/16: the AKN title has no link).

    Pango breaks after "/", "-" and inside sales numbers where Word does not; and Liberation
    Serif has no glyph for U+2011 NON-BREAKING HYPHEN, so it is printed as "-".  In the current
    edition a WORD JOINER after each such character keeps the word whole inside the text: a
    no-wrap span did too, but WeasyPrint 70 then ended the line before it early, a word alone on
    its line (A/RES/78/4 p. 5 "which" before "4.2").  The 2003 edition letter-spaces its body, and
    Pango spaces a joiner like a letter (one official break lost on A/RES/58/208): there the
    words stay in no-wrap spans.
    """
    if language == "fr":  # the registry's French spacing: a thin no-break space before ; : ? !
        text = SPACE_BEFORE_PUNCTUATION.sub("\u202f", text)
    joiners = context["house"].name == "current"
    out, last = [], 0
    for match in UNBREAKABLE_WORD.finditer(text):
        out.append(escape(text[last:match.start()]))
        word = match.group().replace("\u2011", "-")
        if len(word) > LONGEST_UNBREAKABLE or "://" in word:  # an address breaks after its "/"
            out.append(escape(word))
        elif joiners:
            kept = escape(BREAK_AFTER.sub(r"\1" + WORD_JOINER, word))
            if links and RESOLUTION_NUMBER.fullmatch(word):
                kept = document_link(f"A/RES/{word}", kept)
            out.append(kept)
        else:
            out.append(Markup('<span class="nowrap">{}</span>').format(word))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


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


SHORT_NAME = re.compile(r"\((\w+) (\w+)\)")  # "(Fourth Committee)"
DOCUMENT_SYMBOL = re.compile(r"\b[AES]/(?:[A-Za-z0-9.\-]+/)*[A-Za-z0-9.\-]*[A-Za-z0-9]")


def short_names_whole(text: str) -> str:
    """A committee's short name in brackets on one line, "(Fourth Committee)", as the official
    "[on the report of ...]" line keeps it (with it, that line wraps as the official's in all
    172 dev documents, 15 of them Fourth Committee reports; 157 before)."""
    return SHORT_NAME.sub("(\\1\u00a0\\2)", text)


def document_link(symbol: str, text: str) -> Markup:
    """`text` as a link to the UN document `symbol` (undocs.org, as the official copy links)."""
    return Markup('<a href="https://undocs.org/en/{}">{}</a>').format(symbol, text)


def document_links(text: str) -> Markup:
    """The document symbols of a reference ("A/79/652, para. 58") as links to them, as the
    official copy links them (its "[on the report of ... (A/...)]" line)."""
    out, last = [], 0
    for match in DOCUMENT_SYMBOL.finditer(text):
        out.append(escape(text[last:match.start()]))
        out.append(document_link(match.group(), match.group()))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


# A heading line that designates a part of the text ("Part I", "Section 29A", "Income section 2",
# "VI", "B"), not the title line under it: it opens a heading of its own.
DESIGNATION = re.compile(r"^(?:\w+(?: \w+)? )?(?:[IVXLC]+|\d+[A-Z]?|[A-Z])\.?$")


def designates(heading: Heading) -> bool:
    return bool(DESIGNATION.match(plain_text(heading.content, note_numbers=False).strip()))


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["typeset"] = typeset
    env.filters["short_names_whole"] = short_names_whole
    env.filters["longdate"] = i18n.long_date
    env.filters["masthead_date"] = i18n.masthead_date
    for name in ("phrases", "session_line", "agenda_line", "adopted_lines", "reference_line",
                 "paragraph_number", "point_label"):
        env.globals[name] = getattr(i18n, name)
    env.filters["document_links"] = document_links
    env.globals["kind"] = lambda node: type(node).__name__
    env.tests["designation"] = designates
    env.tests["title_line"] = titles_what_follows
    env.globals["barcode_svg"] = barcode_svg
    env.globals["qr_svg"] = qr_svg
    return env


def stylesheet_paths(house: Edition, language: str = "en") -> list[Path]:
    """The edition's stylesheets, then the language's, in cascade order (the registry names them)."""
    own = house_language(language).stylesheet
    return [STYLES / name for name in (*house.stylesheets, *([own] if own else []))]


CSS_URL = re.compile(r"""url\(["']?([^"')]+)["']?\)""")
MEDIA_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".svg": "image/svg+xml", ".png": "image/png"}


def inlined_stylesheet(path: Path) -> str:
    """A stylesheet with every file it references (fonts, the note rule) as a data: URL."""
    def data_url(match: re.Match[str]) -> str:
        target = (path.parent / match.group(1)).resolve()
        if not target.is_relative_to(STYLES.resolve()) or target.suffix not in MEDIA_TYPES:
            raise ValueError(f"{path.name} references {match.group(1)!r}, outside styles/")
        encoded = base64.b64encode(target.read_bytes()).decode("ascii")
        return f'url("data:{MEDIA_TYPES[target.suffix]};base64,{encoded}")'

    return CSS_URL.sub(data_url, path.read_text(encoding="utf-8"))


def continues_a_chapeau(annex: Annex) -> bool:
    """Whether an annex's numbered paragraphs complete a chapeau ("… and in this regard we:").

    Such paragraphs are operative clauses, set like a resolution's (the number
    at the first-line indent, A/RES/78/4's declaration); other annexes
    number their paragraphs at the column (78/128, 78/317).
    """
    for index, block in enumerate(annex.blocks):
        if isinstance(block, Operative):
            before = annex.blocks[index - 1] if index else None
            return isinstance(before, Paragraph) and is_chapeau(before.content)
    return False


def render_html(resolution: Resolution, house: Edition, mode: str = "pdf", emblem: str | None = None,
                link_stylesheets: bool = True, inline_styles: bool = False,
                tightened_from: int | None = None, wide_title: bool = False) -> str:
    """The HTML of a resolution in a house style.

    `mode="pdf"` puts each footnote's text at its call, for CSS `float: footnote`;
    `mode="web"` links calls to a list of notes at the end, for a browser;
    `mode="html"` (the HTML edition) has both, each medium's CSS shows one.
    `link_stylesheets=False` leaves out the stylesheet links, for a caller
    that hands WeasyPrint the same sheets already parsed; `inline_styles`
    puts them, with their fonts, inside the page.  Page breaks chosen by the
    PDF writer are already in the model (`model.apply_page_cuts`);
    `tightened_from` is the first paragraph (`data-block`) its copyfit sets
    on the tightened pitch; `wide_title` sets the running title on the wider
    measure of a title that would take more than four lines.
    """
    blocks = count(1)
    anchors: set[str] = set()

    def first_anchor(name: str) -> str:
        """`name` the first time, then "": sections and parts number their paragraphs from 1 again."""
        fresh = name not in anchors
        anchors.add(name)
        return name if fresh else ""

    layouts = [layout.name for layout in house.layouts_of(resolution.meta)]
    sheets = stylesheet_paths(house, resolution.meta.language)
    template = environment().get_template("resolution.html")
    return template.render(
        continues_a_chapeau=continues_a_chapeau,
        next_block=lambda: next(blocks),
        first_anchor=first_anchor,
        resolution=resolution,
        meta=resolution.meta,
        closed_in_parts=any(isinstance(block, Closing) for block in resolution.blocks),
        house=house,
        language=house_language(resolution.meta.language),
        body_classes=" ".join(["edition-" + house.name, *layouts, *(["wide-title"] if wide_title else [])]),
        notes={note.number: note for note in resolution.footnotes},
        mode=mode,
        emblem=emblem,
        stylesheets=[sheet.as_uri() for sheet in sheets] if link_stylesheets and not inline_styles else [],
        inline_styles=[Markup(inlined_stylesheet(sheet)) for sheet in sheets] if inline_styles else [],
        version=__version__,
        tightened_from=tightened_from,
    )


def html_edition(resolution: Resolution, edition: str | None = None) -> str:
    """The HTML edition: one self-contained file (styles and fonts inside), no path of this machine."""
    return render_html(resolution, edition_of(resolution.meta, edition), mode="html", inline_styles=True)
