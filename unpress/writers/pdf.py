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


def pdf_bytes(resolution: Resolution, emblem: Path | None = None) -> bytes:
    """The finished PDF of a resolution."""
    return render_document(resolution, emblem).write_pdf()
