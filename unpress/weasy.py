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
  reading the layout back for the footnote repair;
- the `finisher(document, pdf)` hook and `pdf.catalog["AF"]`;
- fontTools (the fallback subsetter) reads SOURCE_DATE_EPOCH for head.modified.
"""

from __future__ import annotations

import ctypes.util
import os
import re
import struct
import subprocess
import sys
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
    from weasyprint.formatting_structure import boxes
    from weasyprint.text.fonts import FontConfiguration
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


def render(html: str, base: Path, sheets: list[CSS], fetcher: URLFetcher) -> Document:
    """Lay out our HTML with the given (already parsed) stylesheets."""
    return HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher).render(
        stylesheets=sheets, font_config=font_configuration())


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
        return document.write_pdf(pdf_variant="pdf/a-3b", pdf_tags=True, attachments=attachments,
                                  pdf_identifier=identifier, custom_metadata=True,
                                  finisher=unique_associated_files)
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def unique_associated_files(document: Document, pdf: Any) -> None:
    """WeasyPrint 70 lists each associated file twice in the catalog's /AF: once each."""
    if "AF" in pdf.catalog:
        pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(pdf.catalog["AF"]))
