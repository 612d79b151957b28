"""Lay out the HTML with WeasyPrint and write the PDF.

The URL fetcher is the security boundary: the HTML we hand to WeasyPrint is
our own, but whatever it references may only be the project's styles and
fonts, or an emblem file the user named explicitly.  Nothing else is read,
and nothing is fetched from the network.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint import HTML
from weasyprint.formatting_structure import boxes
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from unpress.model import Resolution
from unpress.paths import STYLES, TEMPLATES
from unpress.writers.html import render_html


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
    next page when its note does not fit, but WeasyPrint 70 can still push a
    note past its call (its widows logic, Kozea/WeasyPrint#2437).  So the
    layout is checked, and each paragraph whose note strayed is started on a
    new page, until none strays or the same paragraph would move twice (then
    the preflight reports what is left).  Returns WeasyPrint's Document.
    """
    fetcher = ProjectOnlyFetcher((emblem,) if emblem else ())
    font_config = FontConfiguration()
    moved: frozenset[int] = frozenset()
    while True:
        html = render_html(resolution, mode="pdf", emblem=emblem.as_uri() if emblem else None,
                           page_before_notes=moved)
        document = HTML(string=html, base_url=STYLES.as_uri() + "/",
                        url_fetcher=fetcher).render(font_config=font_config)
        stray = stray_notes(document) - moved
        if not stray:
            return document
        moved |= {min(stray)}


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
    import hashlib
    import os

    from weasyprint import Attachment

    from unpress import __version__
    from unpress.writers.akn import write_akn
    from unpress.writers.markdown import write_markdown

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
    import pydyf

    if "AF" in pdf.catalog:
        pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(pdf.catalog["AF"]))


def document_time(resolution: Resolution):
    """The one time a PDF carries: SOURCE_DATE_EPOCH if set, else the adoption (or issue) date."""
    import os
    from datetime import UTC, datetime, time

    from unpress.errors import UnpressError

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
