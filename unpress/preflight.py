"""Preflight: read a finished PDF back and check what a reader relies on.

`check_pdf` is the API (the build runs it on every PDF it makes); `run_check`
is the `check` command.  The checks look at the PDF the way a reader does,
through `unpress.pdftext`, so they hold for our PDFs and the UN's alike:

* pages: every page after the first carries the document symbol (read from the
  page-1 masthead) in its running header and its own page number in the footer;
* footnotes: numbered 1..N, each call with its note on the same page;
* numbering: operative paragraphs 1..N (restarting after an "Annex" heading),
  subparagraphs (a), (b)... and (i), (ii)... in order;
* fonts: every font embedded; metadata: a /Title and a /Lang.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from itertools import takewhile
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, PdfObject

from unpress import model
from unpress.errors import UnpressError
from unpress.house import EDITIONS, FOREIGN_EDITION, LANGUAGES, Edition, Geometry
from unpress.pdftext import Line, Page, open_pdf, read_pages

EMBEDDED_FONT_KEYS = ("/FontFile", "/FontFile2", "/FontFile3")

PAGE_LABEL = re.compile(r"^(\d+)(?:\s*/\s*(\d+))?$")
# a paragraph's number and its first word may touch ("2." and "Urges")
PARAGRAPH = re.compile(r"^(\d+)\.(?:\s*[^\d\s]|$)")  # "12." may stand alone above a list
# the labels a line opens with: "(a)" in English and Chinese, "a)" in French, Spanish and Russian
# (house.LANGUAGES), or "(a) (i)" on one line
LEADING_LABELS = re.compile(r"^(?:\(?[a-z]{1,4}\)\s*)+(?=\S)")
LABEL = re.compile(r"\(?([a-z]{1,4})\)")
# headings after which paragraph numbering starts again at 1 (matched without spaces): annexes
# (and their words in the other languages: house.LANGUAGES), the numbered units of annexed texts
# ("Rule 8", "Article 3", "Guideline 9" of 76/113's guidelines; "Artículo 3", "Статья 3"), and a
# division's numeral alone on its line ("II" of a budget resolution's sections, "B" of a resolution
# in parts, "Part two";
# the Chinese files' "二" of 80/243 and "第二条 定义" of 80/162: an article's title is short, a
# line of text holds 26 characters or more); an article's number and title on one line, as the
# Spanish 80/162 sets them ("Artículo 4 Contenido del documento ...")
DIVISION = r"[IVXLC]+\.?|[一二三四五六七八九十]{1,3}"  # a division's numeral: "II", "二"
ANNEX_WORDS = sorted({word for entry in LANGUAGES.values() for word in entry.annex}, key=len, reverse=True)
RESTART = re.compile(rf"^(?:(?:{'|'.join(ANNEX_WORDS)}|Appendix)[IVXLC]*|[A-ZÀ-ÞА-ЯЁ][^\W\d_]+\d+[a-z]?"
                     rf"|{DIVISION}"
                     r"|(?:Article|Artículo|Статья|Rule|Règle|Regla|Правило)\d+[^\W\d_].*"
                     r"|[A-Z]|(?:Part|Chapter|Section)[A-Za-z0-9]+"
                     r"|第[一二三四五六七八九十百零]{1,4}[条章节]\S{0,16})$")
# a division's numeral before its title on one bold line (the Chinese 80/237: "一 内部监督事务厅的活动",
# where the English sets "I" above "Activities of the Office ...")
DIVISION_NUMERAL = re.compile(rf"^(?:{DIVISION})$")
# "A/RES/80/232", and a resolution in parts: "A/RES/79/259 A-C", "A/RES/76/235 B"
MASTHEAD_SYMBOL = re.compile(r"(A/RES/(?:(?:ES|S)-)?\d{1,3}/\d{1,4})([A-Z](?:-[A-Z])?)?(?!\d)")
RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff]")
# the closing block in the six languages (unpress.i18n; the UN's files: "54th plenary meeting",
# "54e séance plénière", "54a sesión plenaria", "54-е пленарное заседание", "الجلسة العامة 54",
# "第54次全体会议"; Arabic read back in logical or in visual order, letters reversed)
PLENARY = re.compile(r"^(?:\d+(?:st|nd|rd|th)\b.*\bplenary meeting|\d+e\b.*séance plénière.*"
                     r"|\d+a\b.*sesión plenaria.*|\d+\W?е\b.*пленарное заседание"
                     r"|.*(?:الجلسة العامة|ةماعلا ةسلجلا).*|第\d+次全体会议.*)$")
DATE = re.compile(r"^(?:\d{1,2} [A-Z][a-z]+ \d{4}|\d{1,2}(?:er)? [a-zéû]+ \d{4}|\d{1,2} de [a-z]+ de \d{4}"
                  r"|\d{1,2} [а-я]+ \d{4} года|(?=.*\d{4})[\d\s]*[\u0600-\u06ff ]+/ ?[\u0600-\u06ff ]+[\d\s]*"
                  r"|\d{4}年\d{1,2}月\d{1,2}日)$")
UPRIGHT_SCRIPTS = re.compile("[\u0590-\u08ff\u3000-\u9fff]")  # no italic, and Arabic's at the left


# a footnote call is set at 0.65 of the body size (6.5 pt); a smaller digit (A/RES/80/74 has a
# 0.96 pt "3" on page 1) is no call
CALL_SIZE = 0.5

# Print-readiness findings: a document is sound without them (the official PDFs embed no
# Times New Roman and carry no /Title), a press's own output is not (`--strict`).
PRINT_READINESS = ("fonts", "metadata")
BUNDLED_PREFIX = "unpress-"  # the family names styles/fonts/ are declared under (@font-face)


@dataclass
class Problem:
    page: int | None  # 1-based physical page; None for the whole file
    kind: str  # pages | footnotes | numbering | fonts | metadata
    message: str

    @property
    def warning(self) -> bool:
        return self.kind in PRINT_READINESS


@dataclass
class Report:
    path: str
    pages: int = 0
    footnotes: int = 0
    problems: list[Problem] = field(default_factory=list)
    strict: bool = False  # print-readiness warnings fail too
    published_numbering: bool = False  # /UnpressNumbering: numbering breaks are the publisher's

    @property
    def failures(self) -> list[Problem]:
        return [p for p in self.problems if not self.tolerated(p)]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if self.tolerated(p)]

    def tolerated(self, problem: Problem) -> bool:
        """A warning: print readiness unless strict, and a numbering break the publisher made."""
        published = self.published_numbering and problem.kind == "numbering"
        return published or (problem.warning and not self.strict)

    @property
    def ok(self) -> bool:
        return not self.failures

    def add(self, page: int | None, kind: str, message: str) -> None:
        self.problems.append(Problem(page, kind, message))

    def as_dict(self) -> dict:
        """The JSON of `check --json`: each problem as page, kind and message (a break the publisher
        made is among the warnings, and the file says its numbering is as published)."""
        report = {"file": self.path, "ok": self.ok, "problems": [asdict(p) for p in self.failures],
                  "warnings": [asdict(p) for p in self.warnings]}
        return report | ({"numbering": model.PUBLISHED_NUMBERING} if self.published_numbering else {})

    def human(self) -> str:
        """'path: ok (...)' or 'path: FAILED', one indented line per problem, then warnings."""
        lines = [f"{self.path}: ok ({self.pages} pages, {self.footnotes} footnotes)" if self.ok
                 else f"{self.path}: FAILED"]
        for problem in self.failures:
            lines.append(f"  {where(problem)}{problem.message}")
        for problem in self.warnings:
            lines.append(f"  warning: {where(problem)}{problem.message}")
        return "\n".join(lines)


def where(problem: Problem) -> str:
    return f"page {problem.page}: " if problem.page is not None else ""


def check_pdf(path: str | Path, strict: bool = False) -> Report:
    """Preflight one PDF; raises UnpressError when it cannot be read at all.

    What to expect (the house style's geometry and rules, whether a closing
    block must prove the last page) is what the PDF records of itself
    (`expected`): our PDFs name their edition, the UN's are read as the
    current edition.  `strict` fails on print-readiness findings (fonts not
    embedded, no /Title) too: the build checks its own PDFs so.
    """
    reader = open_pdf(path)
    info: dict[str, Any] = dict(reader.metadata or {})  # the document information, read once
    house, expect_closing = expected(info)
    pages = read_pages(path)
    report = Report(str(path), pages=len(pages), strict=strict,
                    published_numbering=published_numbering(info))
    check_pages(pages, report, house, expect_closing)
    report.footnotes = check_footnotes(pages, report, house.geometry)
    check_numbering(pages, report, house.geometry)
    check_fonts(reader, report, bundled_only="/UnpressEdition" in info)
    check_metadata(reader, info, report)
    return report


def run_check(pdfs: list[Path], as_json: bool, strict: bool = False) -> int:
    """The `check` command: 0 all pass (warnings listed), 1 a check failed, 2 a file could not be read."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a broken file is one line, not pypdf's chatter
    reports: list[Report] = []
    unreadable = False
    for pdf in pdfs:
        try:
            reports.append(check_pdf(pdf, strict=strict))
        except UnpressError as error:
            print(error, file=sys.stderr)
            unreadable = True
    if as_json:
        print(json.dumps([report.as_dict() for report in reports], indent=2))
    else:
        for report in reports:
            print(report.human())
    if unreadable:
        return 2
    return 0 if all(report.ok for report in reports) else 1


def expected(info: dict[str, Any]) -> tuple[Edition, bool]:
    """The edition a PDF names (/UnpressEdition, written by unpress) and whether it must have a
    closing block (/UnpressClosingBlock: "no" for a source without meeting or adoption date)."""
    name = str(info.get("/UnpressEdition", FOREIGN_EDITION))
    house = EDITIONS.get(name, EDITIONS[FOREIGN_EDITION])
    return house, str(info.get("/UnpressClosingBlock", "yes")) != "no"


def published_numbering(info: dict[str, Any]) -> bool:
    """Whether the PDF says its numbers are its publisher's (/UnpressNumbering, written by
    unpress for a source with `numbering: as published`): their breaks are then warnings."""
    return str(info.get("/UnpressNumbering", "")) == model.PUBLISHED_NUMBERING


# -- pages -------------------------------------------------------------------


def check_pages(pages: list[Page], report: Report, house: Edition, expect_closing: bool = True) -> None:
    """Running headers and page numbers, so a lost, extra or swapped page shows.

    Current-edition footers read "n / N": n must be the physical page and N the
    page count, which also catches a missing last page.  The 2003 edition prints
    only "n", so there the end of the document is proven by its closing block:
    the "NNth plenary meeting" line and the date, italic and right-aligned,
    after the last operative paragraph.  (If an annex follows the closing block
    and its last page is lost, nothing in the PDF can tell.)
    """
    geometry = house.geometry
    symbol = masthead_symbol(pages[0], geometry)
    if symbol is None:
        report.add(1, "pages", "no document symbol (A/RES/...) in the masthead")
    has_total = False
    for page in pages[1:]:
        if symbol is not None and not any(contains_symbol(line, symbol)
                                      for line in header_lines(page, geometry)):
            report.add(page.number, "pages", f"the running header lacks the symbol {symbol}")
        label = page_label(page, geometry)
        if label is None:
            report.add(page.number, "pages", "no page number in the footer")
            continue
        number, total = label
        if number != page.number:
            report.add(page.number, "pages", f"numbered {number}, but it is page {page.number} of the PDF")
        if total is not None:
            has_total = True
            if total != len(pages):
                report.add(page.number, "pages", f"the footer says {total} pages, the PDF has {len(pages)}")
    if (house.closing_block or not has_total) and expect_closing:
        check_closing_block(pages, report, geometry)


def masthead_symbol(page: Page, geometry: Geometry) -> str | None:
    """The symbol set large at the top of page 1: a 20 pt "A" and "/RES/80/232"."""
    for line in page.lines:
        # (searched: a right-to-left masthead sets the authority's name on the symbol's baseline)
        large = line.y < geometry.header_bottom + 20 and line.size >= geometry.masthead_symbol_size
        if large and (found := MASTHEAD_SYMBOL.search("".join(line.words))):
            return found[1] + (f" {found[2]}" if found[2] else "")
    return None


def header_lines(page: Page, geometry: Geometry) -> list[Line]:
    """The lines of the running header, above the body."""
    return [line for line in page.lines if line.y < geometry.header_bottom]


def contains_symbol(line: Line, symbol: str) -> bool:
    """The symbol as a whole token: A/RES/78/6 is not A/RES/78/65."""
    whole = re.compile(rf"(?<![\w/]){re.escape(symbol)}(?![\w/])")
    if whole.search(line.text):
        return True
    # the text layer may split the symbol around a right-to-left title: "A/RES/80/<title>232"
    joined = re.sub(r"[\u0590-\u08ff\s\u00a0]+", "", line.text) if RIGHT_TO_LEFT.search(line.text) else ""
    return whole.search(joined) is not None


def text_without_superscripts(line: Line) -> str:
    """The line without its superscript runs (the job number beside a page number is 6.96 pt)."""
    return line.joined(span for span in line.spans if not span.superscript)


def page_label(page: Page, geometry: Geometry) -> tuple[int, int | None] | None:
    """The footer's "n" or "n / N"."""
    for line in reversed(page.lines):
        if line.y < geometry.footer_top(page.number, page.height):
            break
        match = PAGE_LABEL.match(text_without_superscripts(line))
        if match:
            return int(match[1]), int(match[2]) if match[2] else None
    return None


def body_lines(page: Page, geometry: Geometry) -> list[Line]:
    """Lines of body text: 10 pt, between the running header and the footer."""
    return [
        line for line in page.lines
        if geometry.header_bottom <= line.y < geometry.footer_top(page.number, page.height)
        and line.size >= geometry.body_size[0]
    ]


def check_closing_block(pages: list[Page], report: Report, geometry: Geometry) -> None:
    """The 2003 edition's proof of the last page: the plenary meeting line, then the date."""
    last = pages[-1].number
    for page in pages:
        lines = body_lines(page, geometry)
        for line, after in zip(lines, lines[1:], strict=False):
            if PLENARY.match(line.text) and DATE.match(after.text):
                latin = not UPRIGHT_SCRIPTS.search(line.text)
                # right-aligned: starting right of 0.4 of the width ("69-е (возобновленное)
                # пленарное заседание" starts at x = 295, left of the middle)
                if latin and not all(is_italic(item) and item.x > page.width * 0.4 for item in (line, after)):
                    report.add(page.number, "pages", "the closing block is not italic and right-aligned")
                return
    report.add(last, "pages", "no closing block (plenary meeting and date): the last page may be missing")


def is_italic(line: Line) -> bool:
    """Every font of the line is italic, judged by its name (all a PDF reliably tells)."""
    return all("italic" in font.lower() or "oblique" in font.lower() for font in line.fonts)


# -- footnotes ---------------------------------------------------------------


def check_footnotes(pages: list[Page], report: Report, geometry: Geometry) -> int:
    """Calls and notes numbered 1..N in reading order, each pair on one page; returns N."""
    calls: list[tuple[int, int]] = []  # (number, page)
    notes: list[tuple[int, int]] = []
    for page in pages:
        for line in sorted(body_lines(page, geometry) + lone_calls(page, geometry),
                           key=lambda line: line.y):
            calls.extend((number, page.number) for number in superscript_numbers(line))
        for line in page.lines:
            number = note_number(line, page, geometry)
            if number is not None:
                notes.append((number, page.number))
    first_page: dict[int, int] = {}  # a later call to a note repeats its number: only first calls count
    for number, on in calls:
        first_page.setdefault(number, on)
    check_sequence(list(first_page.items()), "footnote call", report)
    check_sequence(notes, "note", report)
    call_pages = first_page  # a note stands on its first call's page
    note_pages = dict(notes)
    for number, on in call_pages.items():
        if number not in note_pages:
            report.add(on, "footnotes", f"footnote {number} has a call but no note")
        elif note_pages[number] != on:
            report.add(on, "footnotes",
                       f"footnote {number} is on page {note_pages[number]}, its call on page {on}")
    for number, on in note_pages.items():
        if number not in call_pages:
            report.add(on, "footnotes", f"note {number} has no call")
    return len(note_pages)


def lone_calls(page: Page, geometry: Geometry) -> list[Line]:
    """Lines of nothing but a call: WeasyPrint may wrap a call after a paragraph's last word
    onto a line of its own (6.5 pt, so not a body line); a note line has its text after it."""
    return [line for line in page.lines
            if geometry.header_bottom <= line.y < geometry.footer_top(page.number, page.height)
            and CALL_SIZE * geometry.body_size[0] <= line.size < geometry.body_size[0]
            and all(span.superscript and span.text.strip().isdigit()
                    for span in line.spans if span.text.strip())
            and any(span.text.strip() for span in line.spans)]


CALL_GAP = 2.0  # pt: the digit runs of one call touch


def superscript_numbers(line: Line) -> list[int]:
    """The footnote calls in a line; adjacent superscript runs form one number."""
    numbers: list[str] = []
    joined = False
    end = 0.0
    for span in line.spans:
        printed = span.text.strip()
        text = printed.strip("()")  # Arabic calls read "(1)"
        if not text:
            joined = joined and not printed  # a parenthesis closes one call, opens the next
            continue
        if span.superscript and text.isdigit():
            # runs that touch; two calls of one line stand apart even where the text between them
            # sits on a baseline of its own (a Chinese face's, 1 pt below the calls': zh 80/187)
            if joined and span.x - end < CALL_GAP:
                numbers[-1] += text
            else:
                numbers.append(text)
            joined, end = True, span.end
        else:
            joined = False
    if RIGHT_TO_LEFT.search(line.text):  # the runs come left to right: the first call is the last
        numbers.reverse()
    return [int(number) for number in numbers]


def note_number(line: Line, page: Page, geometry: Geometry) -> int | None:
    """The number of a note: an 8.5 pt line in the lower page led by a superscript number."""
    in_notes_area = page.height / 3 < line.y < geometry.footer_top(page.number, page.height)
    if not in_notes_area or not geometry.note_size[0] <= line.size <= geometry.note_size[1]:
        return None
    printed = [span for span in line.spans if span.text.strip()]
    # the number leads the note: at its left, or at its right in a right-to-left note ("(1)",
    # whose parentheses come as runs of their own)
    for runs in (printed, printed[::-1]):
        lead = list(takewhile(lambda span: span.superscript, runs))
        number = "".join(span.text.strip() for span in (lead if runs is printed else lead[::-1]))
        if number.strip("()").isdigit():
            return int(number.strip("()"))
    return None


def check_sequence(items: list[tuple[int, int]], what: str, report: Report) -> None:
    """Report where 1, 2, 3... breaks: a gap, a repeat or a step back."""
    expected = 1
    for number, page in items:
        if number != expected:
            report.add(page, "footnotes", f"{what} {number} where {expected} was expected")
        expected = max(expected, number + 1)


# -- numbering ---------------------------------------------------------------


def check_numbering(pages: list[Page], report: Report, geometry: Geometry) -> None:
    """Operative paragraphs 1..N, then (a), (b)... under each and (i), (ii)... under each letter.

    Numbering may restart at 1 where the document's structure restarts it:
    after an "Annex" heading (or "Appendix", and "Rule 8" or "Article 3" in
    annexed rules and conventions) and after a division's numeral ("II",
    "B"); letters may restart at (a) after any unlabelled paragraph (annexed
    rules do that).
    """
    paragraph = 0
    letter = ""
    roman = 0
    restart = False
    fresh = False  # a new paragraph began, so (a) may start again
    for page, line, certain in paragraph_starts(pages, geometry):
        # without calls: Chinese 79/221 reads "1. 12", the call of note 12 right after the number
        text = line.joined(span for span in line.spans if not span.superscript)
        bold = all("bold" in font.lower() for font in line.fonts)
        division = bold and bool(line.words) and DIVISION_NUMERAL.match(line.words[0])
        if RESTART.match("".join(line.words)) or division:
            restart = fresh = True
        elif bold:
            continue  # a lettered heading ("(b) Energy" of 76/258) numbers headings, not subparagraphs
        elif match := PARAGRAPH.match(text):
            number = int(match[1])
            expected = 1 if number == 1 and restart else paragraph + 1
            if number != expected:
                if not certain:
                    continue
                report.add(page.number, "numbering", f"paragraph {number} where {expected} was expected")
            paragraph, letter, roman, restart, fresh = number, "", 0, False, False
            labels = LEADING_LABELS.match(text[len(match[1]) + 1:].lstrip())  # "3. (a) Each State"
            for label in LABEL.findall(labels[0] if labels else ""):
                letter, roman = label_step(label, letter, roman, True, page.number, report)
        elif labels := LEADING_LABELS.match(text):
            for label in LABEL.findall(labels[0]):  # "(a)", or "(a) (i)" on one line
                letter, roman = label_step(label, letter, roman, fresh, page.number, report,
                                           certain)
                fresh = False
        elif certain:
            fresh = True


def label_step(label: str, letter: str, roman: int, fresh: bool, page: int, report: Report,
               certain: bool = True) -> tuple[str, int]:
    """The (letter, roman) state after a subparagraph label; a label out of order is reported."""
    letter, roman, expected = model.label_step(label, letter, roman, fresh)
    if expected is not None and certain:
        report.add(page, "numbering", f"subparagraph ({label}) where ({expected}) was expected")
    return letter, roman


def paragraph_starts(pages: list[Page], geometry: Geometry) -> Iterator[tuple[Page, Line, bool]]:
    """Lines that may begin a paragraph, and whether they surely do; and division headings.

    A paragraph begins at the first-line indent, or at the text column after a
    paragraph gap (block paragraphs in annexes).  A line at the column on top of
    a page may be a paragraph's continuation, so it is not sure.
    """
    column = text_column(pages, geometry)
    low, high = geometry.first_line_indent
    for page in pages:
        previous = None
        for line in body_lines(page, geometry):
            indented = low <= line.x - column <= high
            at_column = abs(line.x - column) <= 2
            gapped = previous is not None and line.y - previous.y > geometry.paragraph_gap
            if indented or (at_column and (gapped or previous is None)):
                yield page, line, indented or gapped
            elif RESTART.match("".join(line.words)):  # a centred division heading ("A", "II")
                yield page, line, False
            previous = line


def text_column(pages: list[Page], geometry: Geometry) -> float:
    """The left edge of the text column: the leftmost place where many body lines start.

    Not simply the commonest start: hanging subparagraphs in annexes can put more
    lines at the first-line indent than at the column.
    """
    starts = Counter(round(line.x) for page in pages for line in body_lines(page, geometry))
    total = sum(starts.values())
    frequent = [x for x, count in starts.items() if count >= total / 10]
    return float(min(frequent)) if frequent else 0.0


# -- fonts and metadata ------------------------------------------------------


def check_fonts(reader: PdfReader, report: Report, bundled_only: bool = False) -> None:
    """Every font a page uses must travel with the PDF (Type3 glyphs always do); in a PDF unpress
    made, every font is one of its bundled faces (styles/fonts/, embedded as "unpress-..."): a
    system font there stood in for a glyph the faces lack, and differs from machine to machine."""
    seen: set[str] = set()
    for number, page in enumerate(reader.pages, start=1):
        for name, font in page_fonts(page.get("/Resources")):
            if name in seen:
                continue
            seen.add(name)
            if not font_embedded(font):
                report.add(number, "fonts", f"font {name} is not embedded")
            elif bundled_only and not name.split("+", 1)[-1].startswith(BUNDLED_PREFIX):
                report.add(number, "fonts", f"font {name} is not one of the bundled faces: a system "
                           "font stood in for a character they lack")


def page_fonts(resources: PdfObject | None, depth: int = 0) -> list[tuple[str, DictionaryObject]]:
    """The fonts of a resource dictionary and of the form XObjects it draws."""
    resources = resources.get_object() if resources is not None else None
    if not isinstance(resources, DictionaryObject) or depth > 8:
        return []
    fonts = [
        (str(font.get("/BaseFont", key)).lstrip("/"), font)
        for key, ref in resources.get("/Font", DictionaryObject()).get_object().items()
        if isinstance(font := ref.get_object(), DictionaryObject)
    ]
    for ref in resources.get("/XObject", DictionaryObject()).get_object().values():
        xobject = ref.get_object()
        if xobject.get("/Subtype") == "/Form":
            fonts.extend(page_fonts(xobject.get("/Resources"), depth + 1))
    return fonts


def font_embedded(font: DictionaryObject) -> bool:
    """A font program travels with the PDF (a Type0 font: in each of its descendants)."""
    if font.get("/Subtype") == "/Type3":
        return True
    if font.get("/Subtype") == "/Type0":
        descendants = font.get("/DescendantFonts")
        return descendants is not None and bool(descendants.get_object()) and all(
            font_embedded(d.get_object()) for d in descendants.get_object())
    reference = font.get("/FontDescriptor")
    descriptor = reference.get_object() if reference is not None else {}
    return any(key in descriptor for key in EMBEDDED_FONT_KEYS)


def check_metadata(reader: PdfReader, info: dict[str, Any], report: Report) -> None:
    """A title for the window and screen readers, a language for hyphenation and speech."""
    title = info.get("/Title")
    if not title or not str(title).strip():
        report.add(None, "metadata", "no /Title in the document information")
    lang = reader.root_object.get("/Lang")
    if not lang or not str(lang).strip():
        report.add(None, "metadata", "no /Lang in the document catalog")
