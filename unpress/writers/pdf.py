"""Lay out the HTML with WeasyPrint and write the PDF.

The URL fetcher is the security boundary: the HTML we hand to WeasyPrint is
our own, but whatever it references may only be the project's styles and
fonts, or an emblem file the user named explicitly.  Nothing else is read,
and nothing is fetched from the network.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime, time
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from unpress.startup import one_library_lookup

with one_library_lookup():
    import pydyf
    from weasyprint import CSS, HTML, Attachment
    from weasyprint.formatting_structure import boxes
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

from unpress import __version__
from unpress.errors import UnpressError
from unpress.model import Resolution
from unpress.paths import STYLES, TEMPLATES
from unpress.writers.akn import write_akn
from unpress.writers.html import render_html, stylesheets
from unpress.writers.markdown import write_markdown


class ProjectOnlyFetcher(URLFetcher):
    """Serves `file:` URLs inside the allowed roots and refuses everything else."""

    def __init__(self, extra_files: tuple[Path, ...] = ()):
        super().__init__(allowed_protocols=("file",))
        self.roots = (STYLES.resolve(), TEMPLATES.resolve())
        self.extra_files = tuple(path.resolve() for path in extra_files)

    def fetch(self, url, headers=None):
        parsed = urlparse(url)
        if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
            raise ValueError(f"unpress fetches no network resource: {url}")
        path = Path(unquote(parsed.path)).resolve()
        if path not in self.extra_files and not any(path.is_relative_to(root) for root in self.roots):
            raise ValueError(f"unpress reads no file outside its styles: {url}")
        return super().fetch(url, headers)


def render_document(resolution: Resolution, emblem: Path | None = None):
    """Lay out a resolution so that every footnote stands on its call's page.

    CSS `footnote-policy: line` asks WeasyPrint to take a call's line to the
    next page when its note does not fit, but WeasyPrint 70 can still leave a
    note behind its call: to keep two lines of a paragraph together at a page
    foot it moves the page's last notes on, wherever their calls are (the
    orphans logic of layout/block.py, Kozea/WeasyPrint#2437).  So the layout
    is read back and, for the first stray note, repaired as Word would have
    set the page (see `repair`), until no note strays or a repair is tried a
    second time (then the preflight reports the note).  Returns WeasyPrint's
    Document.
    """
    fetcher = ProjectOnlyFetcher((emblem,) if emblem else ())
    sheets = edition_stylesheets(resolution.meta.edition)
    cuts: dict[int, int] = {}
    while True:
        html = render_html(resolution, mode="pdf", emblem=emblem.as_uri() if emblem else None,
                           page_cuts=cuts, link_stylesheets=False)
        document = HTML(string=html, base_url=STYLES.as_uri() + "/", url_fetcher=fetcher).render(
            stylesheets=sheets, font_config=font_configuration())
        stray = stray_notes(document)
        if not stray:
            return document
        block, words = repair(laid_out_lines(document), min(stray))
        if cuts.get(block) == words:
            return document
        cuts[block] = words


@lru_cache(maxsize=1)
def font_configuration() -> FontConfiguration:
    """One per process: the bundled fonts are registered once, not at every build."""
    return FontConfiguration()


def edition_stylesheets(edition: str) -> list[CSS]:
    """The edition's stylesheets (those `render_html` links), parsed once per process.

    Keyed on the files' modification times, so a long-lived process (`watch`)
    picks up an edited style.
    """
    return parsed_stylesheets(tuple((path, path.stat().st_mtime_ns) for path in stylesheets(edition)))


@lru_cache(maxsize=4)
def parsed_stylesheets(files: tuple[tuple[Path, int], ...]) -> list[CSS]:
    return [CSS(filename=str(path), url_fetcher=ProjectOnlyFetcher(), font_config=font_configuration())
            for path, _ in files]


def stray_notes(document) -> set[int]:
    """Numbers of the footnotes laid out on another page than their call."""
    called: dict[str, int] = {}
    placed: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            if getattr(box, "footnote", None) is not None:
                called[box.footnote.element.get("id")] = index
            if isinstance(box, boxes.FootnoteAreaBox):
                for note in box.children:
                    placed[note.element.get("id")] = index
    return {int(note_id.removeprefix("fn")) for note_id, page in called.items()
            if placed.get(note_id) != page}


@dataclass
class LaidOutLine:
    page: int
    block: int  # the paragraph's number in document order (data-block), 0 outside one
    words: int
    calls: set[int]
    numbered: bool  # the paragraph opens with its number ("22.", "(a)")


def laid_out_lines(document) -> list[LaidOutLine]:
    """Every line of the text in order, with its paragraph and the footnotes it calls."""
    lines: list[LaidOutLine] = []

    def walk(box, paragraph, page: int) -> None:
        for child in getattr(box, "children", ()):
            if isinstance(child, (boxes.FootnoteAreaBox, boxes.MarginBox)):
                continue
            if isinstance(child, boxes.LineBox):
                texts, calls = [], set()
                for inline in child.descendants():
                    if isinstance(inline, boxes.TextBox):
                        texts.append(inline.text)
                    if getattr(inline, "footnote", None) is not None:
                        calls.add(int(inline.footnote.element.get("id").removeprefix("fn")))
                block = int(paragraph.get("data-block", 0)) if paragraph is not None else 0
                numbered = paragraph is not None and any(
                    "num" in (element.get("class") or "").split() for element in paragraph)
                lines.append(LaidOutLine(page, block, len("".join(texts).split()), calls, numbered))
            else:
                is_paragraph = isinstance(child, boxes.BlockBox) and child.element_tag == "p"
                walk(child, child.element if is_paragraph else paragraph, page)

    for index, page in enumerate(document.pages):
        walk(page._page_box, None, index)
    return lines


def repair(lines: list[LaidOutLine], note: int) -> tuple[int, int]:
    """Where to break the page so that `note` stays with its call: (paragraph, words kept before).

    If lines of a later paragraph follow the call on its page, WeasyPrint
    moved the note to make room for them: that paragraph goes to the next
    page instead.  Otherwise the note did not fit: the line holding the call
    goes.  Either way, a paragraph that would keep fewer than two lines
    behind moves whole (Word's orphan control).
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
    if len(on_page) < 2 and len(on_page) == len(before):
        return line.block, 0
    words = sum(other.words for other in before)
    return line.block, words - 1 if line.numbered and words else words


def pdf_bytes(resolution: Resolution, emblem: Path | None = None,
              source: Path | None = None) -> bytes:
    """The finished PDF of a resolution: PDF/A-3b, tagged, its sources attached, reproducible.

    The AKN4UN XML (written from the model) and the Markdown source (the
    `source` file's own bytes when it is a .md, else written from the model)
    travel inside as associated files.  Nothing in the file depends on the
    clock: dates come from the resolution (SOURCE_DATE_EPOCH when set), the
    PDF identifier from the symbol and the content.
    """
    return distribution_pdf(render_document(resolution, emblem), resolution, source)


def distribution_pdf(document, resolution: Resolution, source: Path | None = None) -> bytes:
    """Write a laid-out document as the distribution PDF (see `pdf_bytes`)."""
    stamp = document_time(resolution)
    w3c = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    if stamp.year > 1970 or "SOURCE_DATE_EPOCH" in os.environ:
        document.metadata.created = document.metadata.modified = w3c
    else:  # no date anywhere: no date in the file rather than a made-up one
        document.metadata.created = document.metadata.modified = None
    stem = resolution.meta.symbol.replace("/", "_")
    akn = write_akn(resolution).encode("utf-8")
    if source is not None and source.suffix == ".md":
        markdown = source.read_bytes()
    else:
        markdown = write_markdown(resolution).encode("utf-8")
    from_xml = source is not None and source.suffix == ".xml"
    attachments = [
        Attachment(string=markdown, name=f"{stem}.md", created=stamp, modified=stamp,
                   description=f"{resolution.meta.symbol}: Markdown source",
                   relationship="Alternative" if from_xml else "Source"),
        Attachment(string=akn, name=f"{stem}.xml", created=stamp, modified=stamp,
                   description=f"{resolution.meta.symbol}: AKN4UN (Akoma Ntoso 3.0) XML",
                   relationship="Source" if from_xml else "Alternative"),
    ]
    identity = hashlib.md5(usedforsecurity=False)
    for part in (resolution.meta.symbol.encode(), __version__.encode(), akn, markdown):
        identity.update(len(part).to_bytes(8, "big") + part)
    # fontTools (WeasyPrint's fallback subsetter) stamps head.modified with the
    # clock unless SOURCE_DATE_EPOCH is set: set it for the time of the write.
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(stamp.timestamp()))
    try:
        return document.write_pdf(pdf_variant="pdf/a-3b", pdf_tags=True, attachments=attachments,
                                  pdf_identifier=identity.hexdigest().encode("ascii"),
                                  finisher=unique_associated_files)
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def unique_associated_files(document, pdf) -> None:
    """WeasyPrint 70 lists each associated file twice in the catalog's /AF: once each."""
    if "AF" in pdf.catalog:
        pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(pdf.catalog["AF"]))


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
