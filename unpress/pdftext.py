"""Read the text of a PDF as positioned lines, with PDFium (pypdfium2).

Both the preflight and the fidelity measurement look at PDFs the way a reader
does: lines on a page, their baseline, their size and where they start.  This
module is that one view, for our PDFs and the UN's alike (Word writes y upward
from the bottom, WeasyPrint flips the page; both come out as y downward from
the top here).

PDFium (Chrome's PDF engine) gives every glyph of a page's text with its
Unicode value, origin, box and size.  Here the glyphs become runs (`Span`: one
text object's glyphs that follow each other without a gap), runs on one
baseline become a `Line`, and a `Line` puts a space between two runs a word
gap apart.  Objects (fonts, metadata, attachments, the
structure tree) are pypdf's business: `open_pdf`.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from unpress.errors import UnpressError
from unpress.house import Geometry

# the page bands and sizes every edition shares (unpress.house)
GEOMETRY = Geometry()
HEADER_BOTTOM = GEOMETRY.header_bottom
SUPERSCRIPT_MAX_SIZE = GEOMETRY.superscript_max_size
BASELINE_TOLERANCE = 0.6
SUPERSCRIPT_RISE = 6.0
# A space is 0.25 em in Times New Roman and in our serif (the spaces of A/RES/80/232: 2.49 pt
# at 9.96 pt; of our 58/208: 2.5 pt at 10 pt).  Gaps between runs on a line, in spaces, where
# no space glyph parts them: Word's justified lines 0.0-0.6 inside words and 0.9 and up between
# them (60 PDFs of corpus/dev2 and the 22 of tests/fixtures/official), ours 0.0-0.3 and 1.5 up.
SPACE_WIDTH = 0.25
WORD_GAP = 0.7
# white space as spaces; PDFium marks the hyphen that ends a line 0xFFFE (in the page's text)
# or 0x02 (in the glyph's), where the PDF has a plain hyphen
_TEXT = str.maketrans("\r\n\t\u00a0\ufffe\x02", "    --")


@dataclass(slots=True)
class Span:
    """Glyphs of one font and size that follow each other on one baseline."""

    text: str
    x: float  # the origin of the first glyph
    y: float  # baseline, from the top of the page
    size: float
    font: str
    end: float  # where the advance of the last glyph ends

    @property
    def superscript(self) -> bool:
        return self.size < SUPERSCRIPT_MAX_SIZE


def word_gap(before: Span, after: Span) -> bool:
    """Whether the gap from one run to the next is wider than a word gap.

    A word space is set in the text's size, not a superscript's: Word leaves 1.1 pt before
    a 6.5 pt footnote call (A/RES/80/232, page 1), 0.44 of the text's space.
    """
    return after.x - before.end > WORD_GAP * SPACE_WIDTH * max(before.size, after.size)


@dataclass(slots=True)
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
        return self.joined()

    def joined(self, spans: Iterable[Span] | None = None) -> str:
        """The text of some of the line's runs (all by default), white space made single.

        Two runs are joined with a space where a word gap parts them; a leading
        superscript before text of a larger size, a note's number, always stands
        apart (ours hang "10" 0.8 pt before the note's text).  A line all in small
        type, as the 7 pt job number "25-20092" in three runs, is no note.
        """
        spans = list(self.spans if spans is None else spans)
        parts = [span.text for span in spans[:1]]
        for before, after in zip(spans, spans[1:], strict=False):
            number = before is self.spans[0] and before.superscript and not after.superscript
            apart = word_gap(before, after) or number
            parts.append(" " + after.text if apart else after.text)
        return " ".join("".join(parts).split())

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
        return [line for line in self.lines if line.y >= GEOMETRY.footer_top(self.number, self.height)]

    @property
    def text_lines(self) -> list[Line]:
        """The lines between the running header and the footer: body and notes."""
        return [line for line in self.lines
                if HEADER_BOTTOM <= line.y < GEOMETRY.footer_top(self.number, self.height)]


def open_pdf(path: str | Path) -> PdfReader:
    """Open a PDF's objects with pypdf, or raise the project's error with a one-line reason."""
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
    path = Path(path)
    if not path.is_file():
        raise UnpressError(path, "no such file")
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        raise UnpressError(path, f"not a readable PDF ({exc})") from None
    try:
        if len(document) == 0:
            raise UnpressError(path, "the PDF has no pages")
        return [page_lines(page, number) for number, page in enumerate(document, 1)]
    except pdfium.PdfiumError as exc:
        raise UnpressError(path, f"cannot read the PDF's text ({exc})") from None
    finally:
        document.close()


def page_lines(page: pdfium.PdfPage, number: int) -> Page:
    """One page's runs grouped into lines."""
    left, bottom, right, top = page.get_mediabox()
    textpage = page.get_textpage()
    try:
        spans = _TextPage(textpage, top - bottom).spans()
    finally:
        textpage.close()
    return Page(number, right - left, top - bottom, group_lines(spans))


def group_lines(spans: list[Span]) -> list[Line]:
    """Runs on one baseline form a line; a superscript joins the line it rises from."""
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
    lines = [line for line in lines if line.text]
    lines.sort(key=lambda line: line.y)
    return lines


# FPDFText_GetTextObject returning a plain address: a run ends where the text object changes,
# and comparing pypdfium2's pointer objects (a ctypes.cast each) would cost more than the call.
_text_object = ctypes.cast(pdfium_c.FPDFText_GetTextObject,
                           ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int))


class _TextPage:
    """PDFium's glyphs of one page, read into runs."""

    def __init__(self, textpage: pdfium.PdfTextPage, height: float) -> None:
        self.raw = textpage.raw
        self.height = height
        self.count = textpage.count_chars()
        text = textpage.get_text_range() if self.count else ""
        if len(text) != self.count:  # characters beyond the BMP take two UTF-16 units
            text = "".join(chr(pdfium_c.FPDFText_GetUnicode(self.raw, i)) for i in range(self.count))
        self.text = text.translate(_TEXT)
        self.fonts: dict[int, str] = {}  # by text object

    def spans(self) -> list[Span]:
        """A run per text object, and a new one where a glyph does not start where the last ended."""
        raw, text = self.raw, self.text
        generated, loose_box = pdfium_c.FPDFText_IsGenerated, pdfium_c.FPDFText_GetLooseCharBox
        box = pdfium_c.FS_RECTF()
        spans: list[Span] = []
        current, end, tolerance = None, 0.0, 0.0
        for index in range(self.count):
            if text[index] == " " and generated(raw, index):
                continue  # PDFium's own guess at a word space: Line decides from the gap
            obj = _text_object(raw, index)
            loose_box(raw, index, box)
            if not spans or obj != current or abs(box.left - end) > tolerance:
                if spans:
                    spans[-1].end = end
                spans.append(self.span(index, obj))
                current = obj
                tolerance = WORD_GAP * SPACE_WIDTH * spans[-1].size
            spans[-1].text += text[index]
            end = box.right
        if spans:
            spans[-1].end = end
        return spans

    def span(self, index: int, obj: int) -> Span:
        """A run starting at glyph `index`: its origin, its size on the page, its font."""
        x, y = ctypes.c_double(), ctypes.c_double()
        pdfium_c.FPDFText_GetCharOrigin(self.raw, index, x, y)
        matrix = pdfium_c.FS_MATRIX()
        pdfium_c.FPDFText_GetMatrix(self.raw, index, matrix)
        scale = matrix.d if matrix.d else matrix.b
        size = round(abs(pdfium_c.FPDFText_GetFontSize(self.raw, index) * scale), 2)
        return Span("", x.value, self.height - y.value, size, self.font(index, obj), x.value)

    def font(self, index: int, obj: int) -> str:
        """The name of the font of glyph `index` (of text object `obj`), without its subset tag."""
        if obj not in self.fonts:
            length = pdfium_c.FPDFText_GetFontInfo(self.raw, index, None, 0, None)
            buffer = ctypes.create_string_buffer(length)
            pdfium_c.FPDFText_GetFontInfo(self.raw, index, buffer, length, None)
            self.fonts[obj] = buffer.value.decode("utf-8", "replace").split("+")[-1]
        return self.fonts[obj]
