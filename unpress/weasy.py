"""The one module that touches WeasyPrint: its import, the internals we read, its PDF options.

Everything unpress needs from WeasyPrint that is not its documented API is
here, each marked with the version it was written for (WRITTEN_FOR); the
canaries in tests/test_weasy.py fail loudly, naming the contact, when an
upgrade moves one.  The rest of the project imports WeasyPrint only
through this module.

Contacts with internals (WeasyPrint 70.0, pydyf 0.13):
- `ctypes.util.find_library` is answered from one `ldconfig -p` while
  WeasyPrint's cffi opens Pango, HarfBuzz, Fontconfig and GObject (start-up);
- `Page._page_box` and the box classes of `formatting_structure.boxes`
  (`LineBox`, `TextBox`, `BlockBox`, `FootnoteAreaBox`, `MarginBox`), a box's
  `footnote`, `element`, `element_tag`, `style`, `children`, `descendants()`:
  reading the layout back for the footnote repair; a box's `position_x`,
  `width`, `content_box_x()` and `layout.absolute.AbsolutePlaceholder`:
  finding text set past the right margin;
- the `finisher(document, pdf)` hook and `pdf.catalog["AF"]`;
- `Page.paint(stream, scale)`, a pydyf `Stream`'s `stream`, `compress`, `extra` and
  `pydyf._to_bytes`: each page's content compressed as soon as it is painted;
  `pdf.add_tags` (reading `document.pages` once, in order): each page's layout let go
  once its tags are built;
- `Document._render` leaves its layout context in reference cycles: collected after a
  long layout;
- fontTools (the fallback subsetter) reads SOURCE_DATE_EPOCH for head.modified;
- `layout.inline.justify_line` is replaced (Chinese lines justified between characters),
  after `add_word_spacing`, with `text.line_break.create_layout` and a style's `copy()`;
- `text.line_break.split_first_line`, as `layout.inline` and `layout.preferred` import it,
  is answered from memory: its arguments, the style properties it reads, and its deactivated
  `Layout` (copied with `copy.copy`) as the first of what it returns.
"""

from __future__ import annotations

import copy
import ctypes.util
import gc
import os
import re
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

WRITTEN_FOR = "70.0"
ABI = {"x86_64-64": "libc6,x86-64", "ppc64-64": "libc6,64bit", "sparc64-64": "libc6,64bit",
       "s390x-64": "libc6,64bit", "ia64-64": "libc6,IA-64"}


# -- start-up: one library lookup --------------------------------------------------------
#
# WeasyPrint opens its libraries through cffi, trying several names for each;
# every name that is not a file name makes cffi call `ctypes.util.find_library`,
# which on Linux starts `ldconfig -p` (and, when that misses, gcc and ld) each
# time: about 0.35 s of a 1 s build.  Here the linker cache is read once and
# the same search is answered from it.  A name it does not list is looked up
# the standard way only where LD_LIBRARY_PATH could make the difference.


def linker_cache() -> bytes:
    """`ldconfig -p`, as ctypes.util reads it (empty where there is none)."""
    try:
        return subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, check=False,
                              env={"LC_ALL": "C", "LANG": "C"}).stdout
    except OSError:
        return b""


def cached_find_library(listing: bytes) -> Callable[[str], str | None]:
    """A `find_library` answered from one `ldconfig -p` listing, like ctypes.util's first step."""
    machine = os.uname().machine + ("-32" if struct.calcsize("l") == 4 else "-64")
    abi = ABI.get(machine, "libc6")
    standard = ctypes.util.find_library

    def find_library(name: str) -> str | None:
        pattern = rb"\s+(lib%s\.[^\s]+)\s+\(%s" % (re.escape(name).encode(), abi.encode())
        match = re.search(pattern, listing)
        if match:
            return os.fsdecode(match.group(1))
        return standard(name) if os.environ.get("LD_LIBRARY_PATH") else None

    return find_library


@contextmanager
def one_library_lookup() -> Iterator[None]:
    """While WeasyPrint is imported, answer its library searches from one ldconfig run."""
    listing = linker_cache() if sys.platform.startswith("linux") else b""
    if not listing:
        yield
        return
    standard = ctypes.util.find_library
    ctypes.util.find_library = cached_find_library(listing)  # type: ignore[assignment]
    try:
        yield
    finally:
        ctypes.util.find_library = standard


with one_library_lookup():
    import pydyf
    import weasyprint
    from weasyprint import CSS, HTML, Attachment
    from weasyprint import pdf as weasy_pdf
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import inline as weasy_inline
    from weasyprint.layout import preferred as weasy_preferred
    from weasyprint.layout.absolute import AbsolutePlaceholder
    from weasyprint.text import line_break
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.text.line_break import create_layout
    from weasyprint.urls import URLFetcher

VERSION = weasyprint.__version__
Document = Any  # weasyprint.document.Document (WeasyPrint ships no type information)


# -- fetching: the security boundary ------------------------------------------------------


class LockedFetcher(URLFetcher):
    """Serves `file:` URLs inside the allowed roots (or the files named) and refuses all else."""

    def __init__(self, roots: tuple[Path, ...], extra_files: tuple[Path, ...] = ()):
        super().__init__(allowed_protocols=("file",))
        self.roots = tuple(root.resolve() for root in roots)
        self.extra_files = tuple(path.resolve() for path in extra_files)

    def fetch(self, url: str, headers: Any = None) -> Any:
        parsed = urlparse(url)
        if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
            raise ValueError(f"unpress fetches no network resource: {url}")
        path = Path(unquote(parsed.path)).resolve()
        if path not in self.extra_files and not any(path.is_relative_to(root) for root in self.roots):
            raise ValueError(f"unpress reads no file outside its styles: {url}")
        return super().fetch(url, headers)


# -- layout ---------------------------------------------------------------------------------

# Chinese justification.  WeasyPrint 70 justifies a line by widening its spaces only
# (`layout.inline.justify_line`), and Chinese has none: its lines ended 4-20 pt short of the
# margin.  Word, and the UN's Chinese files, spread the line's slack between the characters.
# `justify_line` is replaced by one that does that for the text boxes holding Chinese (as
# letter-spacing on their own copy of the style, laid out again as WeasyPrint's own word
# spacing is) and leaves every other line to WeasyPrint.
CHINESE = re.compile("[\u3000-\u9fff\uff00-\uffef]")
SPACES_ONLY_JUSTIFY = weasy_inline.justify_line


def chinese_boxes(box: Any) -> Iterator[Any]:
    if isinstance(box, boxes.TextBox):
        if CHINESE.search(box.text):
            yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            yield from chinese_boxes(child)


def justify_between_characters(context: Any, line: Any, extra_width: float) -> None:
    characters = sum(len(box.text) for box in chinese_boxes(line))
    if extra_width <= 0 or not characters:
        SPACES_ONLY_JUSTIFY(context, line, extra_width)
        return
    # Pango spaces every character, the last one too: that trailing space falls past the margin
    # only when the line ends on a Chinese character; a line ending in Latin text ("和 NPT/CONF.
    # 2000/28", zh 80/45) has one gap more, or its last word is pushed 1 spacing past the margin
    last = next(iter(text_boxes_from_the_end(line)), None)
    ends_chinese = last is not None and bool(CHINESE.search(last.text.rstrip()[-1:]))
    spread_between_characters(context, line, extra_width / max(characters - ends_chinese, 1), 0.0)


def text_boxes_from_the_end(box: Any) -> Iterator[Any]:
    """The text boxes of a line, the last first (in the line's order)."""
    if isinstance(box, boxes.TextBox):
        if box.text.strip():
            yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in reversed(box.children):
            yield from text_boxes_from_the_end(child)


def spread_between_characters(context: Any, box: Any, spacing: float, x_advance: float) -> float:
    """`add_word_spacing` of WeasyPrint 70, widening the characters of Chinese text boxes."""
    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        if CHINESE.search(box.text):
            style = box.style.copy()
            letter_spacing = style["letter_spacing"]
            style["letter_spacing"] = (0 if letter_spacing == "normal" else letter_spacing) + spacing
            box.style = style
            layout = create_layout(box.text, style, context, max_width=None,
                                   justification_spacing=box.justification_spacing)
            layout.deactivate()
            box.pango_layout = layout
            box.width += spacing * len(box.text)
            x_advance += spacing * len(box.text)
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        before = x_advance
        children = box.children[::-1] if box.style["direction"] == "rtl" else box.children
        for child in children:
            if child.is_in_normal_flow():
                x_advance = spread_between_characters(context, child, spacing, x_advance)
        box.width += x_advance - before
    else:
        box.translate(x_advance, 0)
    return x_advance


weasy_inline.justify_line = justify_between_characters


# -- line breaking, remembered ----------------------------------------------------------------
#
# Pango's line breaking (`text.line_break.split_first_line`) is the largest part of a layout,
# and most of its calls repeat one already made: WeasyPrint lays a page's footnote area out
# again for every note it adds to the page, the footnote repair and the copyfit lay the whole
# document out again, and `watch` lays out again a document of which one word changed (58/208:
# 355 of the 672 calls of a first build are new, 1 after a word is changed).  The answer depends on the text,
# the width, the justification spacing, whether the line starts a line box, and the style
# properties the line breaker reads (LINE_BREAK_PROPERTIES: each one `text/line_break.py` and
# `text/fonts.py` of 70.0 read), so it is remembered under them.  Each caller gets its own copy
# of the Pango layout object (deactivated, as WeasyPrint returns it), which drawing
# re-activates and may change.
LINE_BREAK_PROPERTIES = (
    "direction", "font_family", "font_feature_settings", "font_kerning", "font_language_override",
    "font_size", "font_stretch", "font_style", "font_variant_alternates", "font_variant_caps",
    "font_variant_east_asian", "font_variant_ligatures", "font_variant_numeric",
    "font_variant_position", "font_variation_settings", "font_weight", "hyphenate_character",
    "hyphenate_limit_chars", "hyphenate_limit_zone", "hyphens", "lang", "letter_spacing",
    "line_height", "overflow_wrap", "tab_size", "text_decoration_line", "white_space",
    "word_break", "word_spacing")
LINE_BREAKS_KEPT = 20_000  # about 30 documents' lines; then forgotten at once (a few MB at most)
PANGO_LINE_BREAK = line_break.split_first_line
line_breaks: dict[tuple, tuple] = {}


def split_first_line_but_trailing_spaces(text: str, style: Any, context: Any, max_width: float | None,
                                         justification_spacing: float, is_line_start: bool = True,
                                         minimum: bool = False) -> tuple:
    """`split_first_line` of WeasyPrint 70, except that a text whose only overflow is its trailing
    space stays one line.

    WeasyPrint compares the first line's width, trailing space included, with the width
    available, so a text that ends before an inline element (a link: "... Council resolution
    <a>2013/40</a>") and fits but for that space is taken for one that cannot be broken, and is
    broken after its first word: "43. *Requests*, ..., / within / its mandate ... resolution"
    (79/313), a line of one word in 4 of the 172 dev documents.  Its callers let a trailing space
    overflow (`layout.inline.split_inline_box`), so such a text is laid out whole, as WeasyPrint
    lays out a text given no width.  The minimal case for an upstream report:
    docs/upstream/trailing-space-before-inline.html.
    """
    arguments = (text, style, context, max_width, justification_spacing, is_line_start, minimum)
    split = PANGO_LINE_BREAK(*arguments)
    if split[2] is None or minimum or max_width is None or not text.endswith(" ") \
            or style["white_space"] not in ("normal", "nowrap", "pre-line"):
        return split
    visible = PANGO_LINE_BREAK(text.rstrip(" "), *arguments[1:])
    if visible[2] is None and visible[3] <= max_width:
        return PANGO_LINE_BREAK(text, style, context, None, justification_spacing, is_line_start)
    return split


def remembered_split_first_line(text: str, style: Any, context: Any, max_width: float | None,
                                justification_spacing: float, is_line_start: bool = True,
                                minimum: bool = False) -> tuple:
    """`split_first_line` of WeasyPrint 70, answered from memory when it was asked before."""
    arguments = (text, style, context, max_width, justification_spacing, is_line_start, minimum)
    try:
        key = (text, max_width, justification_spacing, is_line_start, minimum, id(style.font_config),
               tuple(style[name] for name in LINE_BREAK_PROPERTIES))
        known = line_breaks.get(key)
    except TypeError:  # a property value that cannot be hashed: asked of Pango
        return split_first_line_but_trailing_spaces(*arguments)
    if known is None:
        known = split_first_line_but_trailing_spaces(*arguments)
        if len(line_breaks) >= LINE_BREAKS_KEPT:
            line_breaks.clear()
        line_breaks[key] = (copy.copy(known[0]), *known[1:])
        return known
    return (copy.copy(known[0]), *known[1:])


weasy_inline.split_first_line = remembered_split_first_line
weasy_preferred.split_first_line = remembered_split_first_line


@lru_cache(maxsize=1)
def font_configuration() -> FontConfiguration:
    """One per process: the bundled fonts are registered once, not at every build."""
    return FontConfiguration()


def stylesheets(paths: list[Path], fetcher: URLFetcher) -> list[CSS]:
    """The stylesheets parsed once per process, keyed on the files' modification times (so a
    long-lived process, `watch`, picks up an edited style)."""
    return parsed(tuple((path, path.stat().st_mtime_ns) for path in paths), fetcher)


@lru_cache(maxsize=8)
def parsed(files: tuple[tuple[Path, int], ...], fetcher: URLFetcher) -> list[CSS]:
    return [CSS(filename=str(path), url_fetcher=fetcher, font_config=font_configuration())
            for path, _ in files]


LONG_LAYOUT_PAGES = 50  # a collection walks the whole heap: 60-90 ms, worth it only for a long layout


def render(html: str, base: Path, sheets: list[CSS], fetcher: URLFetcher) -> Document:
    """Lay out our HTML with the given (already parsed) stylesheets.

    WeasyPrint's layout context (styles cascaded for every element, the page
    maker's states) is left in reference cycles, which Python's collector
    reaches only once the heap has grown by another quarter: after a long
    layout it is collected at once, so that painting and writing reuse its
    memory (a 1,000-page resolution: 960,000 objects; docs/limits.md).
    """
    document = HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher).render(
        stylesheets=sheets, font_config=font_configuration())
    if len(document.pages) >= LONG_LAYOUT_PAGES:
        gc.collect()
    return document


def page_boxes(document: Document) -> list[Any]:
    """The laid-out page boxes (internal in 70.0: `Page._page_box`)."""
    return [page._page_box for page in document.pages]


def footnote_pages(document: Document) -> tuple[dict[str, int], dict[str, int]]:
    """(note id -> page of its call, note id -> page its text is laid out on), pages from 0.

    A call is an inline box whose `footnote` is the note's box; the notes
    are the children of a page's `FootnoteAreaBox` (internals of 70.0).
    """
    called: dict[str, int] = {}
    placed: dict[str, int] = {}
    for index, page in enumerate(page_boxes(document)):
        for box in page.descendants():
            if getattr(box, "footnote", None) is not None:
                called[box.footnote.element.get("id")] = index
            if isinstance(box, boxes.FootnoteAreaBox):
                for note in box.children:
                    placed[note.element.get("id")] = index
    return called, placed


def has_class(element: Any, name: str) -> bool:
    """Whether an HTML element (lxml, as WeasyPrint keeps it) carries the class `name`."""
    return element is not None and name in (element.get("class") or "").split()


def classed(box: Any, name: str) -> bool:
    """Whether a laid-out box comes from an element of the class `name`."""
    return has_class(getattr(box, "element", None), name)


def end_rule_overlap(document: Document) -> bool:
    """Whether the end-of-text rule of page 1, drawn 31.8 pt under the last baseline, runs into
    the page's foot (its QR code from y = 711.1, its job line).

    Word does not let it: A/RES/79/318's closing block would end at baseline
    698 on page 1, its rule at 729.8, and Word took the last paragraph and
    the closing block to a second page; 80/189's rule stands at 702.8.  On a
    later page the rule may stand lower than the notes' top, over the notes
    (80/21 p. 3, 78/301 p. 4, 80/118 p. 18) or under the text down to y = 792.
    """
    page = page_boxes(document)[0]
    rules = [box.position_y + box.margin_top for box in page.descendants() if classed(box, "end-of-text")]
    foot = [item.position_y for margin in page.children if isinstance(margin, boxes.MarginBox)
            for item in margin.descendants() if classed(item, "qr") or classed(item, "job-line")]
    return bool(rules and foot) and max(rules) > min(foot)


def running_title_lines(document: Document) -> int:
    """The lines of the running title over page 2 (0 for a document of one page)."""
    if len(document.pages) < 2:
        return 0
    titles = [box for margin in page_boxes(document)[1].children if isinstance(margin, boxes.MarginBox)
              for box in margin.descendants() if classed(box, "rh-title")]
    return max((sum(isinstance(line, boxes.LineBox) for line in title.descendants()) for title in titles),
               default=0)


@dataclass
class LaidOutLine:
    """One line of the text as WeasyPrint set it, with the paragraph (`<p>`) it belongs to."""

    page: int  # from 0
    paragraph: Any  # the <p> element (lxml), None outside one
    text: str
    notes: list[str]  # ids of the footnotes called on this line
    orphans: int  # the paragraph's computed `orphans`: lines it keeps at a page foot


def laid_out_lines(document: Document) -> list[LaidOutLine]:
    """Every line of the text in order (margin boxes and footnote areas left out)."""
    lines: list[LaidOutLine] = []

    def walk(box: Any, paragraph: Any, page: int) -> None:
        for child in getattr(box, "children", ()):
            if isinstance(child, (boxes.FootnoteAreaBox, boxes.MarginBox)):
                continue
            if isinstance(child, boxes.LineBox):
                texts, notes = [], []
                for inline in child.descendants():
                    if isinstance(inline, boxes.TextBox):
                        texts.append(inline.text)
                    if getattr(inline, "footnote", None) is not None:
                        notes.append(inline.footnote.element.get("id"))
                element, orphans = paragraph if paragraph is not None else (None, 2)
                lines.append(LaidOutLine(page, element, "".join(texts), notes, orphans))
            elif isinstance(child, boxes.BlockBox) and child.element_tag == "p":
                walk(child, (child.element, int(child.style["orphans"])), page)
            else:
                walk(child, paragraph, page)

    for index, page in enumerate(page_boxes(document)):
        walk(page, None, index)
    return lines


def text_past_margin(document: Document, tolerance: float = 2.0) -> tuple[int, str] | None:
    """(page from 0, text) of the first run of text that ends right of its block's content
    box: what WeasyPrint sets there is cut off at the page edge or printed over the margin.

    A justified line may end a point past the measure when WeasyPrint's breaker fits it with
    the house's negative word spacing (the Spanish 80/178, page 7: 1.1 pt, a line holding
    "de 1.000 millones" with no-break spaces); unseen in print, so not an overflow.  What the
    check is for ends tens of points past: an unbreakable word, a table too wide.

    Each block is its own measure, so a block the house style sets wider than the text
    column on purpose (the mirrored heading block of an Arabic page) is not an overflow.
    """
    for index, page in enumerate(page_boxes(document)):
        text = text_beyond(page, page.content_box_x() + page.width + tolerance, tolerance)
        if text is not None:
            return index, text
    return None


def text_beyond(box: Any, right: float, tolerance: float) -> str | None:
    """The first text box under `box` that ends right of its block's content box (margin
    boxes and the absolutely placed masthead, set in the margin on purpose, left out)."""
    for child in getattr(box, "children", ()):
        if isinstance(child, (boxes.MarginBox, AbsolutePlaceholder)):
            continue
        # a Chinese box's width is widened by our own justification (spread_between_characters) and
        # overstates what is drawn; where its lines end is measured by bench/justification.py
        if isinstance(child, boxes.TextBox) and child.position_x + child.width > right \
                and not CHINESE.search(child.text):
            return str(child.text)
        edge = right
        if isinstance(child, boxes.BlockBox):
            edge = child.content_box_x() + child.width + tolerance
        found = text_beyond(child, edge, tolerance)
        if found is not None:
            return found
    return None


# -- writing ----------------------------------------------------------------------------------


@dataclass
class SourceFile:
    """A file to carry inside the PDF (PDF/A-3 associated file)."""

    name: str
    data: bytes
    description: str
    relationship: str  # "Source" or "Alternative"


def write_pdf(document: Document, stamp: datetime, identifier: bytes, files: list[SourceFile],
              custom: dict[str, str]) -> bytes:
    """PDF/A-3b, tagged, with the files attached, the custom /Info keys, and no clock in it.

    fontTools (WeasyPrint's fallback subsetter) stamps head.modified with the
    clock unless SOURCE_DATE_EPOCH is set: it is set for the time of the write.
    """
    document.metadata.custom = custom
    attachments = [Attachment(string=file.data, name=file.name, created=stamp, modified=stamp,
                              description=file.description, relationship=file.relationship)
                   for file in files]
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(stamp.timestamp()))
    try:
        compress_when_painted(document)
        document.pages = PagesWrittenOnce(document.pages)
        return document.write_pdf(pdf_variant="pdf/a-3b", pdf_tags=True, attachments=attachments,
                                  pdf_identifier=identifier, custom_metadata=True,
                                  finisher=unique_associated_files)
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def compress_when_painted(document: Document) -> None:
    """Each page's content stream compressed as soon as the page is painted.

    WeasyPrint 70 keeps every page's drawing operators as a list of small
    byte strings until the whole file is written: 0.27 MB a page, 280 MB of a
    1,000-page resolution on top of its 700 MB of layout (docs/limits.md).
    Compressed at once, a page costs a few KB, written as pydyf would write
    it (Filter before Length), at PAGE_COMPRESSION.
    """
    for page in document.pages:
        page.paint = compressing(page.paint)


# zlib's default level, not pydyf's 9: 58/208's pages compress in 8 ms less (84.6 -> 76.6 ms of
# writing the PDF, 8 % of a `watch` rebuild) for 2 % more bytes (61,186 -> 62,380)
PAGE_COMPRESSION = 6


def compressing(paint: Callable[[Any, float], None]) -> Callable[[Any, float], None]:
    def paint_and_compress(stream: Any, scale: float = 1) -> None:
        paint(stream, scale)
        if stream.compress:
            operators = b"\n".join(pydyf._to_bytes(item) for item in stream.stream)
            compressor = zlib.compressobj(level=PAGE_COMPRESSION)
            stream.stream = [compressor.compress(operators) + compressor.flush()]
            stream.extra["Filter"] = "/FlateDecode"
            stream.compress = False
    return paint_and_compress


class PagesWrittenOnce(list):
    """The pages of a document written once: the tags, the layout's last reader, let it go.

    WeasyPrint 70 builds the tags after painting every page, and then writes
    the file; releasing each page's layout as its tags are built keeps the
    layout out of what the writing needs (docs/limits.md: the peak of a
    1,000-page resolution).
    """

    releasing = False

    def __iter__(self) -> Iterator[Any]:
        for page in list.__iter__(self):
            yield page
            if self.releasing:
                page._page_box = None


def tags_releasing_layout(pdf: Any, document: Document, pdf_version: Any, page_streams: Any) -> None:
    if isinstance(document.pages, PagesWrittenOnce):
        document.pages.releasing = True
    add_tags(pdf, document, pdf_version, page_streams)


add_tags = weasy_pdf.add_tags
weasy_pdf.add_tags = tags_releasing_layout


def unique_associated_files(document: Document, pdf: Any) -> None:
    """WeasyPrint 70 lists each associated file twice in the catalog's /AF: once each."""
    if "AF" in pdf.catalog:
        pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(pdf.catalog["AF"]))
