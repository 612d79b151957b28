"""An official PDF (the UN's own) read from its positioned text, with pypdfium2.

What the page says about the text, as the UN's files set it (measured on
shared/corpus/pdf): the body is 10 pt on a column whose continuation lines start
at one x; a paragraph's first line is indented and follows a gap; italics are an
Italic font; a footnote call is a digit at 0.75 of the line's size or less; the
notes follow a rule of underscores at the page foot, each opening with its number
as a call; running headers sit in the top 60 pt of pages after the first, folios,
the job number and the barcode text in the bottom 55 pt; page 1 holds the
masthead above the "N/N. Title" line, set bold at 12 pt or more.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from unpress.errors import UnpressError
from unpress.importers.compose import CALL, DATE, ITALIC, Draft, Piece, Run, parse_date, strip_prefix

HEADER_BAND = 60.0  # pt from the top: running header (symbol, title) on pages after the first
# a header's third line, under a long title, reaches 61 pt (80/243); the text starts at 86 pt
HEADER_DEEP, HEADER_SIZE = 80.0, 9.5
FOOTER_BAND = 55.0  # pt from the bottom: folio, job number, barcode text, "Please recycle"
CALL_RATIO = 0.75  # a call's size to its line's: 5.5 or 6.5 pt against 8 or 10 pt
BODY_SIZE = 9.5  # pt: body text is 10 pt, notes 8-8.5 (whose numbers are set apart on purpose)
SAME_BASELINE = 1.5  # pt: text pdfium gives as two lines on one baseline is one line
INDENT = 8.0  # pt beyond the column's left edge that marks a first line
CLOSING_X = 200.0  # pt beyond it: the right-aligned closing block
GAP_RATIO = 1.3  # a line spacing this much over the body's starts a paragraph
# em from a space's origin to the next glyph's, where `inside_word` looks (the 172 official PDFs of
# shared/corpus): inside a word 0.02-0.15 ("fu ture": 0.13, "non- governmental": 0.02); between
# words 0.20 and over
WORD_SPACE = 0.16
DASHES = "-\u2013"
TITLE_RE = re.compile(r"^((?:(?:ES|S)-)?\d{1,3}/\d{1,4}(?: ?[A-Z])?)\.\s+(.+)$")
SYMBOL_RE = re.compile(r"A/RES/[\w/\-() ]+?(?=\s{2,}|\s*$|\s+Distr)")
JOB_RE = re.compile(r"\b(\d{2}-\d{5})\b")
FURNITURE_RE = re.compile(r"^(?:\*\d+\*|Please recycle|\d+/\d+|\d{2}-\d{5}.*|A/RES/\S+)$")
HEADER_LENGTH = 200  # characters: a running header (title and symbol) on a line of its own
RULE_RE = re.compile(r"^_{5,}$")
SUSPENDED_RE = re.compile(r"^(?:and|or|to)\b")  # "Micro-" + "and Small": a suspended hyphen
# pdfium's mark for a hyphen at a line end: in the UN's files a real one ("capacity-" + "building")
LINE_END_HYPHEN = "\x02"


class Char(NamedTuple):
    """A character as pdfium gives it: its glyph's box (left, bottom, right, top) and its origin
    (the pen's point on the baseline, where an italic "f" starts right of its box)."""

    text: str
    box: tuple[float, float, float, float]
    size: float
    font: str
    generated: bool
    origin: tuple[float, float]


LINE_BREAK = Char("\n", (0.0, 0.0, 0.0, 0.0), 0.0, "", True, (0.0, 0.0))


@dataclass
class Line:
    page: int
    number: int
    x: float
    y: float
    size: float
    runs: list[Run] = field(default_factory=list)
    bold: bool = False

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs if run.kind != CALL).strip()


def read_pdf(path: Path) -> Draft:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise UnpressError(path, f"not a readable PDF ({exc})") from None
    draft = Draft(meta={}, pieces=[], notes={})
    pages = []
    for number in range(len(document)):
        page = document[number]
        pages.append((page.get_size()[1], page_lines(page, number + 1)))
    body: list[Line] = []
    for index, (height, lines) in enumerate(pages):
        if index == 0:
            lines = masthead(lines, draft)
        symbol = str(draft.meta.get("symbol", "\0"))
        lines = [line for line in lines if not furniture(line, height, index)
                 and not (index > 0 and symbol in line.text and len(line.text) < HEADER_LENGTH)]
        rule = next((i for i, line in enumerate(lines) if RULE_RE.match(line.text)), None)
        if rule is not None:
            read_notes(lines[rule + 1:], draft)
            lines = lines[:rule]
        body.extend(lines)
    draft.pieces = paragraphs(body)
    return draft


def page_lines(page, number: int) -> list[Line]:
    """The page's text lines as pdfium orders them, each as runs of text, italics and calls."""
    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    font = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    chars: list[Char] = []
    for i in range(textpage.count_chars()):
        char = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i))
        pdfium_c.FPDFText_GetFontInfo(textpage.raw, i, font, 256, ctypes.byref(flags))
        pdfium_c.FPDFText_GetCharOrigin(textpage.raw, i, ctypes.byref(origin_x), ctypes.byref(origin_y))
        chars.append(Char("-" if char == LINE_END_HYPHEN else char, textpage.get_charbox(i),
                          pdfium_c.FPDFText_GetFontSize(textpage.raw, i), font.value.decode("latin-1"),
                          pdfium_c.FPDFText_IsGenerated(textpage.raw, i) == 1,
                          (origin_x.value, origin_y.value)))
        if char == LINE_END_HYPHEN:  # pdfium gives no line break after it: the next line runs on
            chars.append(LINE_BREAK)
    lines: list[Line] = []
    current: list[Char] = []
    for index, item in enumerate([*chars, LINE_BREAK]):
        if item.text in "\r\n":
            if current:
                add_line(lines, make_line(current, number, len(lines) + 1))
            current = []
            continue
        after = chars[index + 1].text if index + 1 < len(chars) else ""
        if item.generated and item.text == " " and after == "-":
            continue  # pdfium's guess of a space before a hyphen ("fifty -sixth"; "Micro- and" keeps its)
        if item.text == " " and inside_word(chars, index):
            continue
        current.append(item)
    return lines


def inside_word(chars: list[Char], index: int) -> bool:
    """A space that separates no words: pdfium's guess at a gap between two letters of one word
    ("fu ture", "internationa l") or before a dash ("2015 –2030"), or a space after a hyphen or
    dash that Word set without width ("non- governmental", "3– 14 June"); either way the next
    glyph starts closer than a word space."""
    if not 0 < index < len(chars) - 1:
        return False
    before, space, after = chars[index - 1], chars[index], chars[index + 1]
    if (before.font, before.size) != (after.font, after.size):
        return False
    if before.text in DASHES:
        joined = after.text.isalnum()
    elif after.text in DASHES:  # "2015 –2030"
        joined = space.generated and before.text.isalnum()
    else:
        joined = space.generated and before.text.isalpha() and after.text.isalpha()
    return joined and after.origin[0] - space.origin[0] < WORD_SPACE * before.size


def add_line(lines: list[Line], line: Line) -> None:
    """A call that pdfium gives a line of its own (a raised digit set apart) joins the body line
    it is raised from: the one before, when within a line's height."""
    previous = lines[-1] if lines else None
    if (previous is not None and line.text.isdigit() and line.size <= previous.size * CALL_RATIO
            and previous.size >= BODY_SIZE and abs(line.y - previous.y) < previous.size):
        previous.runs.append(Run(line.text, CALL))  # before the same-baseline join: 79/159's "2"
        return
    if previous is not None and abs(line.y - previous.y) < SAME_BASELINE and line.x > previous.x:
        # the rest of a line pdfium cut at a call or a font change
        if previous.runs[-1].text[-1:] not in (" ", "-") and line.runs and line.runs[0].kind != CALL \
                and line.runs[0].text[:1].isalnum():
            previous.runs.append(Run(" "))
        previous.runs.extend(line.runs)
        return
    lines.append(line)


def make_line(chars: list[Char], page: int, number: int) -> Line:
    """A line at its first glyph's left edge and on its text's baseline (not a call's, raised, nor
    a glyph's lowest point: an opening quote's sits 4 pt above the baseline, a bracket's below)."""
    visible = [c for c in chars if c.text.strip()]
    size = max((c.size for c in visible), default=0.0)
    first = visible[0] if visible else chars[0]
    baseline = next((c.origin[1] for c in visible if c.size == size), first.origin[1])
    line = Line(page, number, first.box[0], baseline, size,
                bold=bool(visible) and all("Bold" in c.font for c in visible))
    for item in chars:
        char = item.text
        kind = CALL if char.isdigit() and item.size <= size * CALL_RATIO else (
            ITALIC if "Italic" in item.font and char.strip() else "text")
        if char == " " and line.runs and line.runs[-1].kind == ITALIC:
            kind = ITALIC  # a space inside an italic phrase
        if line.runs and line.runs[-1].kind == kind:
            line.runs[-1] = Run(line.runs[-1].text + char, kind)
        else:
            line.runs.append(Run(char, kind))
    if line.runs and line.runs[-1].kind == ITALIC and not line.runs[-1].text.strip():
        line.runs[-1] = Run(line.runs[-1].text)
    return line


def furniture(line: Line, height: float, index: int) -> bool:
    """Running headers, folios, the job number, the barcode text, "Please recycle"."""
    if line.y < FOOTER_BAND or (index > 0 and line.y > height - HEADER_BAND):
        return True
    if index > 0 and line.y > height - HEADER_DEEP and line.size < HEADER_SIZE:
        return True
    return bool(FURNITURE_RE.match(line.text))


def masthead(lines: list[Line], draft: Draft) -> list[Line]:
    """Front matter from page 1 above the title; the lines from the title on are returned."""
    start = next((i for i, line in enumerate(lines) if line.bold and line.size >= 12
                  and TITLE_RE.match(line.text)), None)
    if start is None:
        draft.problems.append("page 1: no 'N/N. Title' line; symbol and title must be written "
                              "into the front matter")
        draft.meta.update(symbol="A/RES/0/0", title="Title")
        return lines
    head = lines[:start]
    title_lines = [lines[start]]
    for line in lines[start + 1:]:
        if not (line.bold and line.size == lines[start].size):
            break
        title_lines.append(line)
    title = TITLE_RE.match(" ".join(line.text for line in title_lines))
    assert title is not None
    meta = draft.meta
    meta["symbol"] = f"A/RES/{title.group(1)}"
    meta["title"] = " ".join(title.group(2).split())
    session = title.group(1).split("/")[0]
    if session.isdigit():
        meta["session"] = int(session)
    texts = [line.text for line in head]
    joined = " ".join(texts)
    if (job := JOB_RE.search(joined)) is not None:
        meta["job_number"] = job.group(1)
    if (issued := re.search(rf"Distr\.: General\s+({DATE})", joined)) is not None:
        meta["distributed"] = parse_date(issued.group(1))
    if (adopted := re.search(rf"adopted by the General Assembly\s+on\s+({DATE})", joined)) is not None:
        meta["adopted"] = parse_date(adopted.group(1))
    if (report := re.search(r"\[on the report of the (.+?)\s*(?:\((.+)\))?\s*\]", joined)) is not None:
        meta["committee"] = report.group(1)
        if report.group(2):
            meta["report"] = report.group(2)
    agenda = next((i for i, text in enumerate(texts) if text.startswith("Agenda item")), None)
    if agenda is not None:
        meta["agenda_item"] = re.sub(r"^Agenda items?\s+", "", texts[agenda])
        titles = []
        for text in texts[agenda + 1:]:
            if text.startswith("Resolution adopted"):
                break
            titles.append(text)
        if titles:
            meta["agenda_title"] = " ".join(" ".join(titles).split())
    meta["edition"] = "current"
    return lines[start + len(title_lines):]


PLAIN_NOTE_NUMBER = re.compile(r"^(\d{1,3})\s*(?=[^\d\s.,;:/)\-])")  # "2 United", "2“Global"


def read_notes(lines: list[Line], draft: Draft) -> None:
    """The notes under a page's rule: each opens with its number, set as a call (pdfium may
    give the number a line of its own)."""
    pending: int | None = None
    for line in lines:
        runs = list(line.runs)
        while runs and not runs[0].text.strip():
            runs.pop(0)
        if line.text.isdigit() or (len(runs) == 1 and runs[0].kind == CALL):
            pending = int(line.text or runs[0].text)
            continue
        if runs and runs[0].kind == CALL:
            pending, runs = int(runs[0].text), runs[1:]
        elif pending is None and (plain := PLAIN_NOTE_NUMBER.match(line.text)) \
                and int(plain.group(1)) == max(draft.notes, default=0) + 1:
            # the next note's number set at the text's size (79/214): not raised, so not a call
            pending, runs = int(plain.group(1)), strip_prefix(runs, len(plain.group(1)))
        # the next note's number, on a line of its own, joined to this line's end as a call (79/2)
        following = runs.pop() if runs and runs[-1].kind == CALL and len(runs) > 1 and \
            int(runs[-1].text) == max([*draft.notes, pending or 0]) + 1 else None
        if pending is not None:
            draft.notes[pending] = [Run(runs[0].text.lstrip(), runs[0].kind), *runs[1:]] if runs else []
            pending = None
        elif draft.notes:
            join_line(draft.notes[max(draft.notes)], runs)
        else:
            draft.problems.append(f"page {line.page}, line {line.number}: text under the footnote "
                                  f"rule that starts no note: {line.text[:60]!r}")
        if following is not None:
            pending = int(following.text)


def paragraphs(lines: list[Line]) -> list[Piece]:
    """Lines into paragraphs: a first-line indent, a gap, a heading or the closing block starts one;
    a paragraph runs on across a page when the next page's first line is not indented."""
    body = [line for line in lines if line.text]
    sizes = Counter(round(line.size) for line in body)
    main_size = sizes.most_common(1)[0][0] if sizes else 10
    margins = Counter(round(line.x) for line in body if round(line.size) == main_size)
    margin = min((x for x, n in margins.items() if n >= max(3, margins.most_common(1)[0][1] // 10)),
                 default=0)
    spacing = Counter(round(a.y - b.y, 1) for a, b in zip(body, body[1:], strict=False) if a.page == b.page)
    step = max((gap for gap, _ in spacing.most_common(3) if gap > 0), default=12.0)
    step = min((gap for gap, _ in spacing.most_common(3) if gap > 0), default=step)
    pieces: list[Piece] = []
    previous: Line | None = None
    for line in body:
        starts = (previous is None or line.bold != previous.bold or line.x > margin + INDENT
                  or (line.page == previous.page and previous.y - line.y > step * GAP_RATIO)
                  or previous.x > margin + CLOSING_X)
        if starts:
            pieces.append(Piece(list(line.runs), line.page, line.number, heading=line.bold))
        else:
            join_line(pieces[-1].runs, line.runs)
        previous = line
    return pieces


def join_line(runs: list[Run], more: list[Run]) -> None:
    """Add a line's runs: a space between, none after a line-end hyphen (a real one, as in
    "Secretary-" + "General": the UN's files do not hyphenate words at line ends)."""
    while runs and runs[-1].kind != CALL and not runs[-1].text.rstrip():
        runs.pop()
    if runs and runs[-1].kind != CALL:
        runs[-1] = Run(runs[-1].text.rstrip(), runs[-1].kind)
    if runs and not (runs[-1].kind != CALL and runs[-1].text.endswith("-")) or SUSPENDED_RE.match(
            "".join(run.text for run in more).lstrip()):
        runs.append(Run(" "))
    stripped = list(more)
    if stripped and stripped[0].kind != CALL:
        stripped[0] = Run(stripped[0].text.lstrip(), stripped[0].kind)
    if runs and stripped and runs[-1].kind == stripped[0].kind == ITALIC:  # "Seventy-" + "first"
        runs[-1] = Run(runs[-1].text + stripped.pop(0).text, ITALIC)
    runs.extend(stripped)
