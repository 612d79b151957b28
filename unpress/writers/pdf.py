"""The PDF writer: lay the HTML out (through `unpress.weasy`), keep each note with its call, write.

The URL fetcher is the security boundary: the HTML we hand to WeasyPrint is
our own, but whatever it references may only be the project's styles and
fonts, or an emblem file the user named explicitly.  Nothing else is read,
and nothing is fetched from the network.

This writer calls no other writer: the files the PDF carries (the Markdown
source, the AKN4UN XML) are made by the pipeline and handed in.
"""

from __future__ import annotations

import hashlib
import logging
import os
from datetime import UTC, datetime, time
from functools import lru_cache
from pathlib import Path

from unpress import __version__, weasy
from unpress.errors import UnpressError
from unpress.house import Edition, edition_of
from unpress.model import Resolution, apply_page_cuts
from unpress.paths import STYLES, TEMPLATES
from unpress.weasy import LaidOutLine, LockedFetcher, SourceFile
from unpress.writers.html import render_html, stylesheet_paths

MAX_REPAIRS = 8  # as WeasyPrint caps its own re-layout (layout_document's max_loops)
# The longest document (untightened) whose copy is tightened to take a closing block back: the UN
# tightened documents of 3 pages to 2 (78/260, 78/271, 80/168) and kept the closing with its
# paragraph in documents of 8 and 14 pages (80/183, 78/221); the bound stands between.
COPYFIT_PAGES = 5
RUNNING_TITLE_LINES = 4  # the most a running title takes in the official PDFs (172 of 172)
LOGGER = logging.getLogger("unpress.pdf")


def project_fetcher(emblem: Path | None = None) -> LockedFetcher:
    """The fetcher of every layout: the project's styles and templates, and the named emblem."""
    return LockedFetcher((STYLES, TEMPLATES), (emblem,) if emblem else ())


@lru_cache(maxsize=1)
def styles_fetcher() -> LockedFetcher:
    """The fetcher the stylesheets are parsed with (one, so that they are parsed once)."""
    return project_fetcher()


def render_document(resolution: Resolution, emblem: Path | None = None,
                    edition: str | None = None) -> weasy.Document:
    """Lay out a resolution so that every footnote stands on its call's page and the closing
    block never stands alone at the top of a page.

    The closing block alone: Word keeps it with the last paragraph, which goes
    on with it (80/183 p. 8, 78/221 p. 14: documents of 8 and 14 pages); a
    short document's copy is tightened instead, the page saved (`copyfitted`),
    as the UN's copy of 78/260, 78/271 and 80/168 is, to 2 pages.
    """
    house = edition_of(resolution.meta, edition)
    document = repaired_layout(resolution, house, emblem)
    if not house.copyfit:
        return document
    lines = weasy.laid_out_lines(document)
    alone = closing_alone(lines)
    if alone is None:
        return document
    pages = len(document.pages)
    if pages > COPYFIT_PAGES:
        cut = last_lines_on([ParagraphLine(line) for line in lines], alone - 1)
        if cut is None:
            return document
        LOGGER.info("%s: the closing block takes paragraph %d's last lines to page %d",
                    resolution.meta.symbol, cut[0], alone + 1)
        del document, lines
        return repaired_layout(resolution, house, emblem, cuts=dict([cut]))
    # where to tighten from: the first paragraph of the page before, of two pages before, of all
    starts = [first_block_on(lines, max(page, 0)) for page in (alone - 1, alone - 2, 0)]
    del document, lines  # a long resolution would hold two layouts while it is tightened
    return copyfitted(resolution, house, emblem, pages, starts)


def repaired_layout(resolution: Resolution, house: Edition, emblem: Path | None,
                    tightened_from: int | None = None, cuts: dict[int, int] | None = None) -> weasy.Document:
    """One layout of the resolution, repaired so that every footnote stands on its call's page.

    CSS `footnote-policy: line` asks WeasyPrint to take a call's line to the
    next page when its note does not fit, but WeasyPrint 70 can still leave a
    note behind its call: to keep a paragraph's `orphans` lines together at a
    page foot it moves the page's last notes on, wherever their calls are
    (layout/block.py, Kozea/WeasyPrint#2437).  So the layout is read back
    and, for the first stray note, repaired as Word would have set the page
    (`repair`, applied to the model by `apply_page_cuts`), at most
    MAX_REPAIRS times; a note still astray is then the preflight's to report.
    The end-of-text rule is repaired alike where it runs into page 1's foot
    (`weasy.end_rule_overlap`).  `cuts`: page breaks decided before.
    """
    fetcher = project_fetcher(emblem)
    sheets = weasy.stylesheets(stylesheet_paths(house, resolution.meta.language), styles_fetcher())
    cuts = dict(cuts or {})
    attempt = 0
    wide_title = False
    while True:
        laid_out = apply_page_cuts(resolution, cuts) if cuts else resolution
        html = render_html(laid_out, house, mode="pdf", emblem=emblem.as_uri() if emblem else None,
                           link_stylesheets=False, tightened_from=tightened_from, wide_title=wide_title)
        document = weasy.render(html, STYLES, sheets, fetcher)
        if not wide_title and weasy.running_title_lines(document) > RUNNING_TITLE_LINES:
            wide_title = True  # the official sets it wider, on 4 lines (79/243, 78/285)
            del document
            continue
        stray = stray_notes(document)
        overlap = not stray and weasy.end_rule_overlap(document)
        if not stray and not overlap:
            return document
        if attempt == MAX_REPAIRS:
            LOGGER.info("%s: repair stopped after %d passes; %s", resolution.meta.symbol, MAX_REPAIRS,
                        f"notes {sorted(stray)} stray" if stray else "the end rule in page 1's foot")
            return document
        if stray:
            block, words = repair(paragraph_lines(document), min(stray))
            why = f"note {min(stray)} is not on its call's page"
        else:
            cut = last_lines_on(paragraph_lines(document), 0)
            if cut is None:
                return document
            block, words = cut
            why = "the end-of-text rule runs into page 1's foot"
        LOGGER.info("%s: pass %d: %s; paragraph %d %s", resolution.meta.symbol, attempt + 1, why, block,
                    "moves to the next page" if words == 0 else f"breaks after word {words}")
        if cuts.get(block) == words:
            return document
        cuts[block] = words
        del document  # before the next pass: two layouts of a long resolution need twice the memory
        attempt += 1


def copyfitted(resolution: Resolution, house: Edition, emblem: Path | None, pages: int,
               starts: list[int | None]) -> weasy.Document:
    """The layout of `pages` pages whose closing block opened its last page, copyfitted if
    tightening can take it back onto the page before.

    The UN never lets the closing block open a page (0 of the 172 official
    dev PDFs; four of them show two text lines and the closing block on their
    last page): its copy sets the paragraphs before it on an 11.5 pt pitch
    (`.tightened`) until it fits.  The paragraphs are tightened from each of
    `starts` in turn; the first layout that takes the closing block back is
    kept, else the untightened one is laid out again.
    """
    for first in dict.fromkeys(start for start in starts if start is not None):
        tightened = repaired_layout(resolution, house, emblem, tightened_from=first)
        if len(tightened.pages) < pages and closing_alone(weasy.laid_out_lines(tightened)) is None:
            LOGGER.info("%s: copyfit: paragraphs from %d tightened, %d pages", resolution.meta.symbol,
                        first, len(tightened.pages))
            return tightened
        del tightened
    return repaired_layout(resolution, house, emblem)


def closing_alone(lines: list[LaidOutLine]) -> int | None:
    """The page (from 0) the closing block opens, if nothing of the text precedes it there."""
    for index, line in enumerate(lines):
        if weasy.has_class(line.paragraph, "closing-line"):
            return line.page if index and lines[index - 1].page < line.page else None
    return None


def first_block_on(lines: list[LaidOutLine], page: int) -> int | None:
    """The first numbered paragraph (`data-block`) with a line on that page."""
    return min((int(line.paragraph.get("data-block")) for line in lines
                if line.page == page and line.paragraph is not None
                and line.paragraph.get("data-block")), default=None)


def stray_notes(document: weasy.Document) -> set[int]:
    """Numbers of the footnotes laid out on another page than their call."""
    called, placed = weasy.footnote_pages(document)
    return {int(note_id.removeprefix("fn")) for note_id, page in called.items()
            if placed.get(note_id) != page}


class ParagraphLine:
    """A laid-out line as the repair sees it: its paragraph's number, words and calls."""

    def __init__(self, line: LaidOutLine) -> None:
        element = line.paragraph
        self.page = line.page
        self.block = int(element.get("data-block", 0)) if element is not None else 0
        self.words = len(line.text.split())
        self.calls = {int(note.removeprefix("fn")) for note in line.notes}
        self.numbered = element is not None and any(  # the paragraph opens with "22." or "(a)"
            weasy.has_class(child, "num") for child in element)
        self.orphans = line.orphans


def paragraph_lines(document: weasy.Document) -> list[ParagraphLine]:
    return [ParagraphLine(line) for line in weasy.laid_out_lines(document)]


def last_lines_on(lines: list[ParagraphLine], page: int) -> tuple[int, int] | None:
    """Where to break so that the last paragraph of `page` goes on with the closing block under it:
    whole if it starts on that page (80/183's paragraph 42, 5 lines, on the official's page 8),
    else its last two lines (Word's widow control), unless fewer than its `orphans` would stay.
    None where no paragraph ends the page (a table does)."""
    paragraphs = [line for line in lines if line.page == page and line.block]
    if not paragraphs:
        return None
    last = paragraphs[-1]
    own = [line for line in lines if line.block == last.block]
    text = own[1:] if last.numbered else own  # "42." is a line box of its own, out of the flow
    keep = len(text) - 2
    if keep < last.orphans or all(line.page == page for line in text):
        return last.block, 0
    return last.block, sum(line.words for line in text[:keep])


def repair(lines: list[ParagraphLine], note: int) -> tuple[int, int]:
    """Where to break the page so that `note` stays with its call: (paragraph, words kept before).

    If lines of a later paragraph follow the call on its page, WeasyPrint
    moved the note to make room for them: that paragraph goes to the next
    page instead.  Otherwise the note did not fit: the line holding the call
    goes.  Either way, a paragraph that would keep fewer than its `orphans`
    lines behind moves whole (Word's orphan control).
    """
    at = next(i for i, line in enumerate(lines) if note in line.calls)
    call = lines[at]
    later = [line for line in lines[at + 1:] if line.page == call.page and line.block]
    if later and later[-1].block != call.block:
        at = next(i for i, line in enumerate(lines)
                  if line.block == later[-1].block and line.page == call.page)
    line = lines[at]
    before = [other for other in lines[:at] if other.block == line.block]
    on_page = [other for other in before if other.page == line.page]
    if len(on_page) < line.orphans and len(on_page) == len(before):
        return line.block, 0
    words = sum(other.words for other in before)
    return line.block, words - 1 if line.numbered and words else words


def pdf_bytes(resolution: Resolution, emblem: Path | None = None, files: list[SourceFile] | None = None,
              edition: str | None = None) -> bytes:
    """The finished PDF of a resolution: PDF/A-3b, tagged, `files` attached, reproducible.

    Nothing in the file depends on the clock: dates come from the resolution
    (SOURCE_DATE_EPOCH when set), the PDF identifier from the symbol and the
    content.  The document information records what the preflight must
    expect of this PDF (`expectations`), so `unpress check` on the file
    alone gives the build's verdict.
    """
    house = edition_of(resolution.meta, edition)
    document = render_document(resolution, emblem, edition)
    overflow = weasy.text_past_margin(document)
    if overflow is not None:
        page, text = overflow
        raise UnpressError(None, f"page {page + 1}: {text[:40]!r} runs past the right margin "
                           "and would be cut off; break the word or split the table")
    stamp = document_time(resolution)
    if stamp.year > 1970 or "SOURCE_DATE_EPOCH" in os.environ:
        document.metadata.created = document.metadata.modified = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    else:  # no date anywhere: no date in the file rather than a made-up one
        document.metadata.created = document.metadata.modified = None
    identity = hashlib.md5(usedforsecurity=False)
    for part in (resolution.meta.symbol.encode(), __version__.encode(), *(f.data for f in files or ())):
        identity.update(len(part).to_bytes(8, "big") + part)
    return weasy.write_pdf(document, stamp, identity.hexdigest().encode("ascii"), files or [],
                           expectations(resolution, house))


def expectations(resolution: Resolution, house: Edition) -> dict[str, str]:
    """What the preflight must find in this PDF, as /Info keys (read by `preflight.expected`)."""
    closing = bool(resolution.meta.meeting and resolution.meta.adopted)
    keys = {"UnpressEdition": house.name, "UnpressClosingBlock": "yes" if closing else "no"}
    if resolution.meta.numbering:  # its breaks are its publisher's: warnings, not failures
        keys["UnpressNumbering"] = resolution.meta.numbering
    return keys


def document_time(resolution: Resolution) -> datetime:
    """The one time a PDF carries: SOURCE_DATE_EPOCH if set, else the adoption (or issue) date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except (ValueError, OverflowError, OSError):
            raise UnpressError("SOURCE_DATE_EPOCH", f"{epoch!r} is not a Unix time in "
                               "seconds") from None
    day = resolution.meta.adopted or resolution.meta.distributed
    if day is None:
        return datetime(1970, 1, 1, tzinfo=UTC)
    return datetime.combine(day, time(0, 0), UTC)
