"""Read the text of a PDF as positioned lines, with pypdf.

Both the preflight and the fidelity measurement look at PDFs the way a reader
does: lines on a page, their baseline, their size and where they start.  This
module is that one view, for our PDFs and the UN's alike (Word writes y upward
from the bottom, WeasyPrint flips the page; both come out as y downward from
the top here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from unpress.errors import UnpressError

HEADER_BOTTOM = 78.0   # running headers stand above this baseline; body text starts at ~86
FOOTER_HEIGHT = 43.0   # footers (page number, job number) stand this close to the bottom edge
SUPERSCRIPT_MAX_SIZE = 7.0  # footnote calls 6.5 pt, note numbers 5.5 pt; text 8.5 pt and up
BASELINE_TOLERANCE = 0.6
SUPERSCRIPT_RISE = 6.0


@dataclass
class Span:
    text: str
    x: float
    y: float  # baseline, from the top of the page
    size: float
    font: str

    @property
    def superscript(self) -> bool:
        return self.size < SUPERSCRIPT_MAX_SIZE


@dataclass
class Line:
    y: float
    spans: list[Span] = field(default_factory=list)

    @property
    def x(self) -> float:
        return min(span.x for span in self.spans if span.text.strip())

    @property
    def size(self) -> float:
        """The size of the line's text (its largest non-superscript run)."""
        sizes = [span.size for span in self.spans if span.text.strip() and not span.superscript]
        return max(sizes) if sizes else max(span.size for span in self.spans)

    @property
    def text(self) -> str:
        return " ".join(self.raw_text.split())

    @property
    def raw_text(self) -> str:
        """The line's text; a leading superscript (a note's number) stands apart."""
        parts = [span.text for span in self.spans]
        if self.spans[0].superscript and len(parts) > 1:
            parts[0] += " "
        return "".join(parts).replace("\u00a0", " ")

    @property
    def words(self) -> list[str]:
        return self.text.split()

    @property
    def fonts(self) -> set[str]:
        return {span.font for span in self.spans if span.text.strip()}


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line]

    @property
    def header(self) -> list[Line]:
        return [line for line in self.lines if line.y < HEADER_BOTTOM]

    @property
    def footer(self) -> list[Line]:
        return [line for line in self.lines if line.y >= self.height - FOOTER_HEIGHT]

    @property
    def text_lines(self) -> list[Line]:
        """The lines between the running header and the footer: body and notes."""
        return [line for line in self.lines if HEADER_BOTTOM <= line.y < self.height - FOOTER_HEIGHT]


def open_pdf(path: str | Path) -> PdfReader:
    """Open a PDF or raise the project's error with a one-line reason."""
    path = Path(path)
    if not path.is_file():
        raise UnpressError(path, "no such file")
    try:
        reader = PdfReader(path)
        if len(reader.pages) == 0:
            raise UnpressError(path, "the PDF has no pages")
    except (PdfReadError, PyPdfError, ValueError, KeyError, OSError) as exc:
        raise UnpressError(path, f"not a readable PDF ({exc.__class__.__name__})") from None
    return reader


def read_pages(path: str | Path) -> list[Page]:
    """Every page of a PDF as positioned lines."""
    reader = open_pdf(path)
    try:
        return [page_lines(page, index + 1) for index, page in enumerate(reader.pages)]
    except (PdfReadError, PyPdfError, ValueError, KeyError) as exc:
        raise UnpressError(path, f"cannot read the PDF's text ({exc.__class__.__name__})") from None


def page_lines(page, number: int) -> Page:
    """Group a page's text runs into lines; superscripts join the line they rise from."""
    height = float(page.mediabox.height)
    spans: list[Span] = []

    def visit(text, cm, tm, font_dict, font_size):
        if not text or not font_size:
            return
        a, b, c, d, e, f = multiply(tm, cm)
        size = abs(font_size * (d if d else b))
        font = str((font_dict or {}).get("/BaseFont", "")).split("+")[-1].lstrip("/")
        for part in text.split("\n"):
            if part:
                spans.append(Span(part, e, height - f, round(size, 2), font))

    page.extract_text(visitor_text=visit)
    lines: list[Line] = []
    for span in sorted((s for s in spans if not s.superscript), key=lambda s: (s.y, s.x)):
        if lines and abs(lines[-1].y - span.y) <= BASELINE_TOLERANCE:
            lines[-1].spans.append(span)
        else:
            lines.append(Line(span.y, [span]))
    for span in (s for s in spans if s.superscript):
        host = min(
            (line for line in lines if 0 <= line.y - span.y <= SUPERSCRIPT_RISE),
            key=lambda line: line.y - span.y,
            default=None,
        )
        if host is None:
            lines.append(Line(span.y, [span]))
        else:
            host.spans.append(span)
    for line in lines:
        line.spans.sort(key=lambda s: s.x)
    lines = [line for line in lines if line.raw_text.strip()]
    lines.sort(key=lambda line: line.y)
    return Page(number, float(page.mediabox.width), height, lines)


def multiply(m1, m2):
    """The product of two PDF matrices (a b c d e f)."""
    a1, b1, c1, d1, e1, f1 = m1
    a2, b2, c2, d2, e2, f2 = m2
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )
