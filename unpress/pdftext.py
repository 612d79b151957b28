"""Read the text of a PDF as positioned lines, with pypdf.

Both the preflight and the fidelity measurement look at PDFs the way a reader
does: lines on a page, their baseline, their size and where they start.  This
module is that one view, for our PDFs and the UN's alike (Word writes y upward
from the bottom, WeasyPrint flips the page; both come out as y downward from
the top here).

pypdf opens the PDF, resolves each page's resources and fonts and maps glyph
codes to Unicode (its `Font`: encodings, ToUnicode CMaps, /Widths and /W).  The
content stream itself is read here, with one compiled regular expression over
its decoded bytes: pypdf's own `extract_text` tokenises every operand into
objects (WeasyPrint writes letter-spaced text as TJ arrays of thousands of
one-glyph strings), which made the preflight the slowest step of a build.  The
interpretation follows pypdf's `extract_text` (pypdf 7.1) operator for operator
-- where it breaks runs, where its word-gap heuristics insert a space, which
matrices a run is reported with -- so the runs, their text and their positions
are the ones `page.extract_text(visitor_text=...)` reports (tests/test_pdftext.py
holds the two side by side).
"""

from __future__ import annotations

import contextlib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader
from pypdf._codecs import encoding_dict_from_named_encoding
from pypdf._text_extraction import RTL_CHARACTER_PATTERN, get_display_str
from pypdf.errors import PdfReadError, PyPdfError
from pypdf.generic import DictionaryObject, StreamObject
from pypdf.generic._font import Font, FontDescriptor

from unpress.errors import UnpressError
from unpress.house import Geometry

# the page bands and sizes every edition shares (unpress.house)
HEADER_BOTTOM = Geometry.header_bottom
FOOTER_HEIGHT = Geometry.footer_height
SUPERSCRIPT_MAX_SIZE = Geometry.superscript_max_size
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


def read_pages(path: str | Path, reader: PdfReader | None = None) -> list[Page]:
    """Every page of a PDF as positioned lines (`reader`: the PDF at `path`, already open)."""
    reader = reader or open_pdf(path)
    fonts = _FontCache()
    try:
        return [page_lines(page, index + 1, fonts) for index, page in enumerate(reader.pages)]
    except (PdfReadError, PyPdfError, ValueError, KeyError) as exc:
        raise UnpressError(path, f"cannot read the PDF's text ({exc.__class__.__name__})") from None


def page_lines(page, number: int, fonts: _FontCache | None = None) -> Page:
    """Group a page's text runs into lines; superscripts join the line they rise from."""
    height = float(page.mediabox.height)
    spans: list[Span] = []
    names: dict[int, str] = {}

    def visit(text, cm, tm, font_dict, font_size):
        if not text or not font_size:
            return
        a, b, c, d, e, f = multiply(tm, cm)
        size = round(abs(font_size * (d if d else b)), 2)
        font = names.get(id(font_dict))
        if font is None:
            base_font = str((font_dict or {}).get("/BaseFont", ""))
            font = names[id(font_dict)] = base_font.split("+")[-1].lstrip("/")
        for part in text.split("\n"):
            if part:
                spans.append(Span(part, e, height - f, size, font))

    contents = page.get_contents()
    resources = _resources(page)
    if contents is not None and resources:
        _TextReader(visit, fonts or _FontCache()).run(contents.get_data(), resources)
    return Page(number, float(page.mediabox.width), height, group_lines(spans))


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
    lines = [line for line in lines if line.raw_text.strip()]
    lines.sort(key=lambda line: line.y)
    return lines


def multiply(m1, m2):
    """The product of two PDF matrices (a b c d e f)."""
    a1, b1, c1, d1, e1, f1 = m1
    a2, b2, c2, d2, e2, f2 = m2
    return [
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    ]


# --- the content stream ------------------------------------------------------------

_DELIMITER = rb"\s/\[\]()<>{}%"
_NUMBER = rb"[+-]?(?:\d+\.?\d*|\.\d+)"
_LITERAL = rb"\((?:[^()\\]|\\[\s\S])*\)"  # without unescaped parentheses inside
_HEX = rb"<[0-9A-Fa-f\s]*>"
# One token per match; a whole `[...] TJ` is one match, the common case that is worth a
# shortcut (_ELEMENT reads its strings and numbers).  Group numbers are the token kinds below.
_TOKEN = re.compile(
    rb"\[((?:[^\[\]()\\]++|" + _LITERAL + rb")*+)\]\s*TJ(?![^" + _DELIMITER + rb"])"
    rb"|(" + _NUMBER + rb")(?![^" + _DELIMITER + rb"])"
    rb"|(" + _LITERAL + rb")"
    rb"|(" + _HEX + rb")"
    rb"|(/[^" + _DELIMITER + rb"]*)"
    rb"|(<<|\[)"
    rb"|(>>|\])"
    rb"|(\()"
    rb"|(%[^\r\n]*|[{}<>)])"
    rb"|([^" + _DELIMITER + rb"]+)"
)
_TJ, _NUM, _STR, _HEXSTR, _NAME, _OPEN, _CLOSE, _PAREN, _SKIP, _OPERATOR = range(1, 11)
_ELEMENT = re.compile(rb"<([0-9A-Fa-f\s]*)>|\(((?:[^()\\]|\\[\s\S])*)\)|(" + _NUMBER + rb")")
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|[\r\n][\r\n]?|[\s\S])")
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_ESCAPES.update((bytes([c]), bytes([c])) for c in b"()/\\ %<>[]#_&$")
_INLINE_DATA = re.compile(rb"(?<![^" + _DELIMITER + rb"])ID\s")
_INLINE_END = re.compile(rb"(?<=\s)EI(?![^" + _DELIMITER + rb"])")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_MAX_FORMS = 5000  # pypdf's xform_maximum_invocations_per_extraction


class _Name(str):
    """A name operand (/F1); a string operand is bytes."""


def _unescape_match(match: re.Match) -> bytes:
    escaped = match.group(1)
    if escaped in _ESCAPES:
        return _ESCAPES[escaped]
    if escaped[0] in b"01234567":
        code = int(escaped, 8)
        return bytes([code]) if code <= 255 else b"\\" + escaped
    if escaped[0] in b"\r\n":
        return b""  # an escaped line break
    return b"\\" + escaped


def _literal(raw: bytes) -> bytes:
    """The bytes of a literal string's body, escapes resolved as pypdf resolves them."""
    return _ESCAPE.sub(_unescape_match, raw) if b"\\" in raw else raw


def _hex(raw: bytes) -> bytes:
    digits = bytes(raw.split()) if not raw.isalnum() else raw
    return bytes.fromhex((digits + b"0").decode() if len(digits) % 2 else digits.decode())


def _literal_end(data: bytes, start: int) -> int:
    """The end of the literal string opened at `start`, parentheses balanced."""
    depth, index, size = 0, start, len(data)
    while index < size:
        char = data[index]
        if char == 0x5C:  # backslash: the next byte is escaped
            index += 1
        elif char == 0x28:
            depth += 1
        elif char == 0x29:
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    raise PdfReadError("a literal string runs past the end of the content stream")


def _name(raw: bytes) -> _Name:
    if b"#" in raw:
        raw = _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
    return _Name(raw.decode("utf-8", "replace"))


def _resources(obj) -> DictionaryObject | None:
    resources = obj.get_inherited("/Resources", None)
    resources = resources.get_object() if resources is not None else None
    return resources if isinstance(resources, DictionaryObject) else None


class _FontCache:
    """pypdf's `Font` for each font dictionary, and the strings decoded with it."""

    DEFAULT = Font(name="NotInitialized", sub_type="Unknown",
                   encoding=encoding_dict_from_named_encoding("cp1252"), font_descriptor=FontDescriptor())
    UNKNOWN = Font("Unknown", space_width=250, encoding=dict.fromkeys(range(256), "\ufffd"),
                   font_descriptor=FontDescriptor(), character_map={})

    def __init__(self) -> None:
        self.fonts: dict[int, tuple[DictionaryObject, Font | None]] = {}  # the dictionary keeps its id
        self.strings: dict[int, tuple[dict, dict]] = {}

    def font(self, font_dict) -> Font | None:
        key = id(font_dict)
        if key not in self.fonts:
            font: Font | None
            try:
                font = Font.from_font_resource(font_dict)
                if font.character_widths.get(font.space_char, 0) == 0:
                    font.space_width = 200.0  # extract_text's default space_width
            except (AttributeError, TypeError):
                font = None
            self.fonts[key] = (font_dict, font)
        return self.fonts[key][1]

    def decoded(self, font: Font) -> tuple[dict, dict]:
        """One font's strings, by their bytes and by their hex digits:
        (codes, width, text shown, text before the CMap, right-to-left)."""
        if id(font) not in self.strings:
            self.strings[id(font)] = ({}, {})
        return self.strings[id(font)]


def _decode(font: Font, raw: bytes) -> tuple[int, float, str, str, bool]:
    """A shown string as pypdf's get_text_operands and get_display_str read it."""
    encoding = font.encoding
    if isinstance(encoding, str):
        try:
            text = raw.decode(encoding, "surrogatepass")
        except UnicodeDecodeError:
            text = raw.decode(encoding, "replace")
        codes = text
    else:
        text = "".join(encoding.get(byte, chr(byte)) for byte in raw)
        codes = raw.decode("latin-1") or text
    widths = 0.0
    for char in codes:
        widths += font.space_width if char == font.space_char else font.get_text_width(char)
    character_map = font.character_map
    shown = "".join(character_map.get(char, char) for char in text)
    return len(text), widths, shown, text, RTL_CHARACTER_PATTERN.search(shown) is not None


def _orientation_axis(m) -> int:
    """5 (y) for upright or upside-down text, 4 (x) for text turned 90 degrees."""
    return 5 if m[3] > 1e-6 or m[3] < -1e-6 else 4


class _TextReader:
    """pypdf's TextExtraction state machine over a tokenised content stream."""

    def __init__(self, visit, fonts: _FontCache, forms: list[int] | None = None) -> None:
        self.visit = visit
        self.fonts = fonts
        self.forms = forms if forms is not None else [0]  # form invocations so far
        self.open_forms: set[int] = set()

    def run(self, data: bytes, resources: DictionaryObject) -> str:
        """Interpret one content stream; returns the last character pypdf's output would end with."""
        visit, cache = self.visit, self.fonts
        font_resources: dict[str, DictionaryObject] = {}
        fonts: dict[str, Font] = {}
        font_dict = resources.get("/Font")
        font_dict = font_dict.get_object() if font_dict is not None else None
        if isinstance(font_dict, DictionaryObject):
            for name in font_dict:
                try:
                    font_resource = font_dict[name].get_object()
                    font_resources[name] = font_resource
                    font = cache.font(font_resource)
                    if font is None:
                        continue
                    fonts[name] = font
                except (AttributeError, TypeError):
                    pass

        # the state of pypdf's TextExtraction (the names in its comments)
        cm = list(_IDENTITY)
        tm = list(_IDENTITY)
        stack: list = []
        cm_prev, tm_prev = list(_IDENTITY), list(_IDENTITY)
        memo_cm, memo_tm = list(_IDENTITY), list(_IDENTITY)
        char_spacing = 0.0
        half_space = 500.0  # _space_width: half a space, in glyph units
        previous_font_space = None
        str_widths = 0.0  # _actual_str_size
        str_height = 0.0
        leading = 0.0
        font_size = 12.0
        line_span = None
        text = ""
        last_out = ""  # the last character of the output so far
        rtl = False
        font_resource = None
        font = cache.DEFAULT
        decoded, decoded_hex = cache.decoded(font)
        # crlf_space_check's view of the current matrix, while it has not moved
        moved = True
        axis_index, axis, scale_x = 5, 0.0, 1.0

        def flush() -> None:
            nonlocal text, last_out, memo_cm, memo_tm
            if text:
                last_out = text[-1]
            visit(text, memo_cm, memo_tm, font_resource, font_size)
            text = ""
            memo_cm, memo_tm = cm.copy(), tm.copy()

        def check(widths: float) -> None:
            """_post_process_text_operation and crlf_space_check."""
            nonlocal text, last_out, memo_cm, memo_tm, cm_prev, tm_prev, line_span, moved
            nonlocal axis_index, axis, scale_x
            was_empty = text == ""
            space = font_size * half_space
            if previous_font_space is not None:
                space = min(space, previous_font_space)
            space /= 1000
            last = text[-1:] or last_out
            if not moved and font_size >= 0 and str_height >= 0 and widths == 0:
                # nothing moved since the last check: no line break; a space only for a zero space width
                if space * scale_x <= 0 and last not in ("", " "):
                    text += " "
                if last in ("", "\n") or line_span is None or line_span[0] != axis_index:
                    line_span = (axis_index, axis, axis)
            else:
                m_prev = multiply(tm_prev, cm_prev)
                m = multiply(tm, cm)
                index = _orientation_axis(m)
                delta_x, delta_y = m[4] - m_prev[4], m[5] - m_prev[5]
                moved_height, moved_width = (delta_y, delta_x) if index == 5 else (delta_x, delta_y)
                scale_prev_x = math.sqrt(m_prev[0] ** 2 + m_prev[1] ** 2)
                scale_prev_y = math.sqrt(m_prev[2] ** 2 + m_prev[3] ** 2)
                scale_y = math.sqrt(m[2] ** 2 + m[3] ** 2)
                axis_index, axis, scale_x = index, m[index], math.sqrt(m[0] ** 2 + m[1] ** 2)
                if line_span is None or line_span[0] != index:
                    distance = abs(moved_height)
                else:
                    lower, upper = line_span[1], line_span[2]
                    distance = 0.0 if lower <= axis <= upper else min(abs(axis - lower), abs(axis - upper))
                threshold = 0.8 * min(str_height * scale_prev_y, font_size * scale_y)
                if distance > threshold:
                    if last not in ("", "\n"):
                        visit(text + "\n", memo_cm, memo_tm, font_resource, font_size)
                        last_out = "\n"
                        text = ""
                    line_span = (index, axis, axis)
                else:
                    if ((abs(moved_height) > threshold or moved_width >= (space + widths) * scale_prev_x)
                            and last not in ("", " ")):
                        text += " "
                    if last in ("", "\n") or line_span is None or line_span[0] != index:
                        line_span = (index, axis, axis)
                    else:
                        line_span = (index, min(line_span[1], axis), max(line_span[2], axis))
                tm_prev, cm_prev = tm.copy(), cm.copy()
                moved = False
            if was_empty or text == "":
                memo_cm, memo_tm = cm.copy(), tm.copy()

        def show(entry: tuple[int, float, str, str, bool]) -> None:
            """Tj with a string operand (decoded)."""
            nonlocal text, rtl, last_out, str_widths, str_height, previous_font_space
            previous_font_space = None
            codes, widths, shown, before_map, right_to_left = entry
            if rtl or right_to_left:
                text, rtl, completed = get_display_str(
                    text, cm, tm, font_resource, font, before_map, font_size, rtl, visit)
                if completed:
                    last_out = completed[-1]
            else:
                text += shown
            str_widths += widths * font_size + 1000 * char_spacing * codes
            str_height = font_size
            check(0.0)

        def gap(offset: float, space_width: float) -> None:
            """A number in a TJ array: it moves the pen; a wide one is a word gap (a space)."""
            nonlocal str_widths
            str_widths -= offset * font_size  # the space added for the gap does not count
            if -offset >= space_width:
                word_gap()

        def word_gap() -> None:
            nonlocal text, str_height, previous_font_space
            previous = text[-1:] or last_out
            if previous and previous not in " \n":
                previous_font_space = None
                text += " "
                str_height = font_size
                check(0.0)

        def decode(raw: bytes) -> tuple[int, float, str, str, bool]:
            entry = decoded.get(raw)
            if entry is None:
                entry = decoded[raw] = _decode(font, raw)
            return entry

        def move() -> float:
            """The text width since the last move, in text space (and start again)."""
            nonlocal str_widths, moved
            widths = str_widths / 1000
            str_widths = 0.0
            moved = True
            return widths

        operands: list = []
        starts: list[int] = []  # where the open arrays and dictionaries begin in operands
        pos, end = 0, len(data)
        while pos < end:
            for match in _TOKEN.finditer(data, pos):
                kind = match.lastindex
                if kind == _NUM:
                    value = match.group(_NUM)
                    operands.append(float(value) if b"." in value else int(value))
                    continue
                if kind == _NAME:
                    operands.append(_name(match.group(_NAME)))
                    continue
                if kind == _TJ:
                    space_width = half_space * 0.95
                    # Once a string of the array has been shown, the text has not moved since
                    # (pypdf does not advance the text matrix): `check` would only extend the
                    # line, so the loop does that itself while nothing else can happen.
                    steady = False
                    for hexa, literal, number in _ELEMENT.findall(match.group(_TJ)):
                        if number:
                            offset = float(number)
                            str_widths -= offset * font_size  # as in gap()
                            if -offset >= space_width:
                                word_gap()
                            continue
                        if hexa:
                            entry = decoded_hex.get(hexa)
                            if entry is None:
                                entry = decoded_hex[hexa] = decode(_hex(hexa))
                        elif literal:
                            entry = decoded.get(literal) if b"\\" not in literal else None
                            if entry is None:
                                entry = decode(_literal(literal))
                        elif steady and text and text[-1] != "\n":
                            continue  # an empty string (WeasyPrint writes many): nothing changes
                        else:
                            entry = decode(b"")
                        if not steady or entry[4]:
                            show(entry)
                            steady = (not moved and not rtl and font_size > 0 and scale_x > 0
                                      and half_space > 0 and line_span is not None
                                      and line_span[0] == axis_index)
                            continue
                        last = text[-1:] or last_out
                        if not text:
                            memo_cm, memo_tm = cm.copy(), tm.copy()
                        text += entry[2]
                        if last == "" or last == "\n":
                            line_span = (axis_index, axis, axis)
                        str_widths += entry[1] * font_size + 1000 * char_spacing * entry[0]
                    operands.clear()
                    starts.clear()
                    continue
                if kind == _STR:
                    operands.append(_literal(match.group(_STR)[1:-1]))
                    continue
                if kind == _HEXSTR:
                    operands.append(_hex(match.group(_HEXSTR)[1:-1]))
                    continue
                if kind == _OPEN:
                    starts.append(len(operands))
                    continue
                if kind == _CLOSE:
                    if starts:
                        start = starts.pop()
                        items = operands[start:]
                        del operands[start:]
                        operands.append(items if match.group(_CLOSE) == b"]" else None)
                    continue
                if kind == _SKIP:
                    continue
                if kind == _PAREN:  # a literal string with parentheses inside
                    stop = _literal_end(data, match.start())
                    operands.append(_literal(data[match.start() + 1:stop - 1]))
                    pos = stop
                    break
                op = match.group(_OPERATOR)
                if op == b"BI":  # an inline image: skip its data
                    begin = _INLINE_DATA.search(data, match.end())
                    stop = _INLINE_END.search(data, begin.end()) if begin else None
                    pos = stop.end() if stop else end
                    operands.clear()
                    starts.clear()
                    break
                if op in (b"true", b"false", b"null"):
                    operands.append(None)
                    continue

                # the operators pypdf's extract_text interprets
                if op == b"Tj":
                    if operands and isinstance(operands[0], bytes):
                        show(decode(operands[0]))
                    else:
                        check(0.0)
                elif op == b"Td" or (op == b"TD" and len(operands) >= 2):  # pypdf ignores a short TD
                    tx = float(operands[0]) if operands and _is_number(operands[0]) else 0.0
                    ty = float(operands[1]) if len(operands) > 1 and _is_number(operands[1]) else 0.0
                    if op == b"TD" and _is_number(operands[1]):
                        leading = float(-operands[1])
                    tm[4] += tx * tm[0] + ty * tm[2]
                    tm[5] += tx * tm[1] + ty * tm[3]
                    check(move())
                elif op == b"Tm":
                    try:
                        values = [float(value) for value in operands[:6]]
                    except (TypeError, ValueError):
                        values = []
                    tm = values if len(values) == 6 else list(_IDENTITY)
                    check(move())
                elif op == b"T*" or op == b"'" or op == b'"':
                    if op == b'"':
                        if len(operands) < 3:
                            operands.clear()
                            starts.clear()
                            continue
                        char_spacing = float(operands[1]) if _is_number(operands[1]) else 0.0
                    tm[4] -= leading * tm[2]
                    tm[5] -= leading * tm[3]
                    check(move())
                    if op != b"T*":
                        shown = operands[2:] if op == b'"' else operands
                        if shown and isinstance(shown[0], bytes):
                            show(decode(shown[0]))
                        else:
                            check(0.0)
                elif op == b"Tf":
                    if text != "":
                        previous_font_space = font_size * half_space
                        flush()
                    else:
                        memo_cm, memo_tm = cm.copy(), tm.copy()
                    name = operands[0] if operands else None
                    if isinstance(name, str) and name in font_resources and name in fonts:
                        font_resource, font = font_resources[name], fonts[name]
                    else:
                        font_resource, font = None, cache.UNKNOWN
                    decoded, decoded_hex = cache.decoded(font)
                    half_space = font.space_width / 2
                    if len(operands) > 1 and isinstance(operands[1], (int, float, bytes)):
                        with contextlib.suppress(ValueError):
                            font_size = float(operands[1])
                elif op == b"BT":
                    tm = list(_IDENTITY)
                    moved = True
                    flush()
                elif op == b"ET":
                    flush()
                elif op == b"cm":
                    if text:
                        last_out = text[-1]
                    visit(text, memo_cm, memo_tm, font_resource, font_size)
                    text = ""
                    try:
                        cm = multiply([float(value) for value in operands[:6]], cm)
                    except (TypeError, ValueError):
                        cm = list(_IDENTITY)
                    moved = True
                    memo_cm, memo_tm = cm.copy(), tm.copy()
                elif op == b"q":
                    stack.append((cm, font_resource, font, font_size, char_spacing, leading))
                elif op == b"Q":
                    if stack:
                        cm, font_resource, font, font_size, char_spacing, leading = stack.pop()
                        decoded, decoded_hex = cache.decoded(font)
                    else:
                        cm = list(_IDENTITY)
                    moved = True
                elif op == b"Tc":
                    char_spacing = float(operands[0]) if operands and _is_number(operands[0]) else 0.0
                elif op == b"TL":
                    leading = float(operands[0]) if operands and _is_number(operands[0]) else 0.0
                elif op == b"TJ":
                    array = operands[0] if operands else None
                    if isinstance(array, list):
                        space_width = half_space * 0.95
                        for item in array:
                            if isinstance(item, bytes):
                                show(decode(item))
                            elif _is_number(item):
                                gap(float(item), space_width)
                elif op == b"Do" and operands:
                    if text:
                        last_out = text[-1]
                    visit(text, memo_cm, memo_tm, font_resource, font_size)
                    if last_out not in ("", "\n"):
                        last_out = "\n"
                    form_last = self.form(resources, operands[0])
                    if form_last:
                        last_out = form_last
                    text = ""
                    memo_cm, memo_tm = cm.copy(), tm.copy()
                operands.clear()
                starts.clear()
            else:
                break
        if text:
            visit(text, memo_cm, memo_tm, font_resource, font_size)
            last_out = text[-1]
        return last_out

    def form(self, resources: DictionaryObject, name) -> str:
        """The text of a form XObject, read as pypdf reads it: on its own, from a fresh state."""
        try:
            xform = resources["/XObject"][name]
            if xform["/Subtype"] == "/Image" or not isinstance(xform, StreamObject):
                return ""
            if id(xform) in self.open_forms or self.forms[0] >= _MAX_FORMS:
                return ""
            self.forms[0] += 1
            form_resources = _resources(xform)
            if not form_resources:
                return ""
            self.open_forms.add(id(xform))
            try:
                return self.run(xform.get_data(), form_resources)
            finally:
                self.open_forms.discard(id(xform))
        except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError):
            return ""  # pypdf logs "Impossible to decode XFormObject" and goes on


def _is_number(value) -> bool:
    return isinstance(value, (int, float))
