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
    """Lay out a resolution; returns WeasyPrint's Document (pages, boxes)."""
    extra = (emblem,) if emblem else ()
    html = render_html(resolution, mode="pdf", emblem=emblem.as_uri() if emblem else None)
    return HTML(string=html, base_url=STYLES.as_uri() + "/",
                url_fetcher=ProjectOnlyFetcher(extra)).render(font_config=FontConfiguration())


def pdf_bytes(resolution: Resolution, emblem: Path | None = None) -> bytes:
    """The finished PDF of a resolution."""
    return render_document(resolution, emblem).write_pdf()
