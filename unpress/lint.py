"""`unpress lint`: the drafting rules of UN resolutions, all findings at once.

The linter reads the Markdown source text itself, not the document model, so
that every finding has a line and column and a source the reader would refuse
(a skipped paragraph number) is still checked to the end.  The rules are the
editorial conventions of the General Assembly's resolutions; the opening
phrases come from a vocabulary learned from the UN's own AKN4UN files
(`unpress/data/openers.json`, made by `python bench/openers.py`).

A rule is turned off for a file by the front matter key `lint` (codes separated
by spaces or commas; `+CODE` turns on a rule that is off by default) and for one
block by a comment line before it: `% lint: ignore CODE ...`.
"""

from __future__ import annotations

import difflib
import json
import re
import sys
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import cache
from itertools import takewhile
from pathlib import Path

from unpress.errors import UnpressError
from unpress.house import Drafting, language
from unpress.model import ROMAN, Emphasis, Inline, Strong, Text, plain_text
from unpress.paths import DATA
from unpress.readers.source import decode_utf8, parse_front_matter, read_bytes

RULES = {
    "UN101": "a preambular paragraph opens with an italic participle or adjective phrase",
    "UN102": "a preambular paragraph ends with a comma",
    "UN103": "the opening phrase of a preambular paragraph is one the UN uses",
    "UN111": "an operative paragraph opens with an italic verb in the present tense",
    "UN112": "an operative paragraph ends with a semicolon, the last with a full stop",
    "UN113": "the opening phrase of an operative paragraph is one the UN uses",
    "UN121": "a list's introduction ends with a colon, its items with semicolons",
    "UN131": "'also' and 'further' come in order: Recalling, Recalling also, Recalling further",
    "UN132": "an opening phrase is not repeated without 'also' or 'further'",
    "UN141": "operative paragraphs are numbered without gaps or repeats",
    "UN142": "subparagraphs are lettered (a), (b) ... then numbered (i), (ii) ... in sequence",
    "UN151": "a footnote call follows the punctuation it is next to (precedes it in fr, es, ru, ar)",
    "UN152": "a footnote's text ends with a full stop",
    "UN153": "a reference repeated in the next footnote is written 'Ibid.'",
    "UN161": "a non-breaking space joins the day and month of a date",
    "UN162": "a non-breaking space joins 'resolution' and its number",
}
# Off unless a file asks for it (`lint: +UN162`): the UN's own AKN4UN files never put a
# non-breaking space there (0 of 550 "resolution N/N" in shared/akn/*/en, bench/lint.py).
# UN161 too: the UN joins most dates so (23,406 of 25,291 "day Month" in shared/akn/*/en, through
# the Markdown writer), but not consistently: the 1,885 with a plain space are in 348 of the 1,441
# documents (1,433 of them in session 76), so on by default the rule flags a quarter of the UN's
# own texts for a space that shows only at a line end.
OFF_BY_DEFAULT = frozenset({"UN161", "UN162"})

OPERATIVE_RE = re.compile(r"^(\d+)\.[ \t]+")
LABEL_RE = re.compile(r"^\(([a-z]{1,3}|[ivxlc]+)\)[ \t]+")
# "1. (a) A State Party ...": a paragraph that opens with its first item (the writer escapes it)
INLINE_LABEL_RE = re.compile(r"^\\?\(([a-z]{1,3}|[ivxlc]+)\)[ \t]+")
HEADING_RE = re.compile(r"^(#{1,6})[ \t]+")
NOTE_DEF_RE = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]*")
OPENER_RES = {"*": re.compile(r"^(\*(?!\*)|_(?!_))((?:\\.|(?!\1).)+?)\1"),  # italic
              "**": re.compile(r"^(\*\*(?!\*)|__(?!_))((?:\\.|(?!\1).)+?)\1")}  # bold (Chinese)
CALL = r"\[\^[^\]\s]+\]"
TRAILER_RE = re.compile(rf"(?:\s|{CALL}|(?<!\\)[*_])+$")
MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December")
DATE_SPACE_RE = re.compile(rf"\b\d{{1,2}}( )(?:{MONTHS})\b")
RESOLUTION_SPACE_RE = re.compile(r"\bresolutions?( )\[?\d+/\d+")
# a note that cites: a link, or a document symbol ("A/77/211", "UNEP/CBD/COP/12/29"; not "and/or")
CITATION_RE = re.compile(r"\]\(|\b[A-Z][A-Z0-9.]*/[A-Z0-9]")
COORDINATED_RE = re.compile(r"(?:,\s+(?:and\s+)?|\band\s+)(\w+)")  # a verb after "and" or a comma
CLOSING_QUOTES = "\u201d\u2019\u00bb\"'"
DIRECTIVE_RE = re.compile(r"^%\s*lint:\s*ignore\s+(.+)$")
CODE_RE = re.compile(r"[+-]?UN\d{3}")
TITLE_LENGTH = 160  # characters: longer unpunctuated text is a paragraph missing its comma
INTRODUCED = ("sub", "table")  # what a paragraph ending with a colon introduces
LINK_RE = re.compile(r"\[([^\]^][^\]]*)\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*\)")  # "(PartII)" too


@dataclass
class Finding:
    path: str
    line: int
    column: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.code} {self.message}"


@dataclass
class Block:
    """A run of non-blank source lines, with what it is and where each line starts."""

    line: int
    indent: int
    lines: list[str]
    ignored: set[str] = field(default_factory=set)
    kind: str = "paragraph"
    body: str = ""  # the text after a number, label or note definition
    body_offset: int = 0
    label: str = ""
    level: int = 0  # a subparagraph's list level, as check_labels reads it
    quoted_by: str = ""  # the kind of block whose colon introduced this text (mark_quoted)

    @property
    def quoted(self) -> bool:
        """Text quoted or set out in full (a declaration, a schedule), not the resolution's own."""
        return bool(self.quoted_by)

    @property
    def text(self) -> str:
        return " ".join(part.strip() for part in self.lines)

    def position(self, offset: int) -> tuple[int, int]:
        """Line and column (1-based) of a character offset in `text`."""
        for number, part in enumerate(self.lines):
            stripped = part.strip()
            if offset <= len(stripped) or number == len(self.lines) - 1:
                return self.line + number, len(part) - len(part.lstrip()) + min(offset, len(stripped)) + 1
            offset -= len(stripped) + 1
        return self.line, 1


@dataclass
class Vocabulary:
    preamble: dict[str, int]
    operative: dict[str, int]


@dataclass(frozen=True)
class Style:
    """One language's drafting conventions (`unpress.house.Drafting`) with the patterns made of them."""

    code: str
    drafting: Drafting
    opener: re.Pattern[str]  # the opening phrase at the start of a paragraph's text
    formula: re.Pattern[str]  # the enacting formula, alone on its line
    annex: re.Pattern[str]  # a heading that starts an annex ("## Annex", "## 附件一")
    misplaced_call: re.Pattern[str]  # a footnote call on the wrong side of a mark (UN151)
    modifiers: tuple[tuple[str, re.Pattern[str]], ...]  # ("further", ...), ("also", ...)
    runs_on: re.Pattern[str]  # an item's end that reads on into the next: "; and", "; or"

    def name(self, mark: str) -> str:
        """A mark as messages name it: "a comma", with the language's own form ("a comma (،)")."""
        d = self.drafting
        names = {d.comma: ("a comma", ","), d.semicolon: ("a semicolon", ";"), d.colon: ("a colon", ":"),
                 d.full_stop: ("a full stop", ".")}
        if mark not in names:
            return repr(mark)
        word, english = names[mark]
        return word if mark == english else f"{word} ({mark})"


@cache
def style_of(code: str = "en") -> Style:
    """The drafting conventions of the source's `language:` (an unknown code is the reader's error)."""
    entry = language(code)
    d = entry.drafting
    marks = re.escape(d.marks)
    annex = "|".join(map(re.escape, entry.annex))
    opener = OPENER_RES[d.opener_markup]
    if d.lead_in:  # a short plain lead before the phrase: no mark, no markup, at most a comma
        lead = rf"(?:[^\s*_{marks}]{{1,{d.lead_in}}}{re.escape(d.comma)}?)?"
        opener = re.compile(f"^{lead}{opener.pattern[1:]}")
    return Style(
        entry.code, d, opener,
        formula=re.compile(rf"^[*_]*{re.escape(d.formula)}[*_]*{re.escape(d.comma)}?[*_]*\s*$"),
        # an annex word alone or before its number (Chinese "附件一": no space, no word boundary)
        annex=re.compile(rf"^[*_]*(?:{annex})(?:\b|(?=[一二三四五六七八九十]))"),
        # a comma between two calls is theirs, not the text's (79/138 "conflict,[^10],[^11]")
        misplaced_call=re.compile(rf"{CALL}([{marks}])(?!{CALL})" if d.call_after_punctuation
                                  else rf"(?<!\])([{marks}]){CALL}"),
        modifiers=tuple((name, modifier_pattern(words, d.modifier_place))
                        for name, words in (("further", d.further), ("also", d.also))),
        runs_on=re.compile(rf"{re.escape(d.semicolon)}\s*(?:{'|'.join(map(re.escape, d.runs_on))})$"))


def modifier_pattern(words: tuple[str, ...], place: str) -> re.Pattern[str]:
    """A modifier as a word of its own ("also", "en outre"), or as the phrase's first character
    (Chinese "又回顾")."""
    forms = "|".join(map(re.escape, words))
    if place == "prefix":
        return re.compile(rf"^(?:{forms})")
    return re.compile(rf"(?<!\S)(?:{forms})(?!\S)", re.IGNORECASE)


@cache
def vocabulary(code: str = "en") -> Vocabulary:
    """The opening phrases of the UN's files in that language (python bench/openers.py)."""
    name = "openers.json" if code == "en" else f"openers-{code}.json"
    data = json.loads((DATA / name).read_text(encoding="utf-8"))
    return Vocabulary(data["preamble"], data["operative"])


def leading_opener(content: list[Inline], style: Style) -> str | None:
    """The opening phrase a paragraph opens with in the model (italic, or bold in Chinese), or None."""
    first = next((node for node in content if not (isinstance(node, Text) and not node.text.strip())),
                 None)
    if isinstance(first, Strong if style.drafting.opener_markup == "**" else Emphasis):
        return plain_text(first.children, note_numbers=False).strip(" " + style.drafting.separators)
    return None


def base_opener(phrase: str, style: Style) -> str:
    """The opening phrase without its modifier: "Also decides" -> "Decides", "又回顾" -> "回顾"."""
    rest = phrase
    for _, pattern in style.modifiers:
        rest = pattern.sub(" ", rest)
    rest = " ".join(rest.split())
    if not rest:
        return phrase
    return (rest[:1].upper() if style.drafting.capitalized else rest[:1].lower()) + rest[1:]


def modifier(phrase: str, style: Style) -> str | None:
    """"also" or "further" (by their English names) in an opening phrase; none in a pair of verbs
    ("Welcoming and further encouraging" is a phrase of its own)."""
    if style.drafting.conjunction in {word.lower() for word in phrase.split()}:
        return None
    return next((name for name, pattern in style.modifiers if pattern.search(phrase)), None)


def lint_file(path: Path) -> list[Finding]:
    """Every finding of every rule in one source (a front matter error raises UnpressError)."""
    return lint_text(decode_utf8(read_bytes(path, "a .md source"), path), str(path))


def lint_text(text: str, path: str = "<source>") -> list[Finding]:
    """Every finding in a source's text, by the conventions of its `language:` (English if none)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    meta, settings, body_start = parse_front_matter(text, path)
    style = style_of(meta.language)
    switches = CODE_RE.findall(str(settings.get("lint") or ""))
    off = (set(OFF_BY_DEFAULT) - {code[1:] for code in switches if code.startswith("+")}) | {
        code.lstrip("-") for code in switches if not code.startswith("+")} | style.drafting.off
    blocks, notes = split(text.split("\n")[body_start:], body_start + 1, style)
    linter = Linter(path, style)
    linter.check_body(blocks)
    linter.check_notes(notes)
    for block in blocks + notes:
        linter.check_inline(block)
    findings = [finding for finding in linter.findings if finding.code not in off]
    return sorted(findings, key=lambda f: (f.line, f.column, f.code))


def split(lines: list[str], first_line: int, style: Style) -> tuple[list[Block], list[Block]]:
    """Blocks of the body and footnote definitions, as the reader groups them."""
    blocks: list[Block] = []
    notes: list[Block] = []
    current: Block | None = None
    ignored: set[str] = set()
    for offset, raw in enumerate(lines):
        line = raw.expandtabs(4)
        stripped = line.strip()
        if stripped.startswith("%"):
            directive = DIRECTIVE_RE.match(stripped)
            if directive:
                ignored |= set(CODE_RE.findall(directive.group(1)))
            continue
        if not stripped:
            current = None
            continue
        indent = len(line) - len(line.lstrip(" "))
        definition = NOTE_DEF_RE.match(line) if indent < 4 else None
        if definition or current is None:
            current = Block(first_line + offset, indent, [], ignored)
            ignored = set()
            (notes if definition else blocks).append(current)
        current.lines.append(line)
    for block in blocks + notes:
        classify(block, style)
    return blocks, notes


def classify(block: Block, style: Style) -> None:
    text = block.text
    matchers = (("note", NOTE_DEF_RE), ("heading", HEADING_RE), ("operative", OPERATIVE_RE),
                ("sub", LABEL_RE))
    for kind, pattern in matchers:
        match = pattern.match(text)
        if match and (kind != "operative" or block.indent < 4):
            # an invisible format character may open the text: "6. \u200e *Reaffirms*" in 5 files
            start = match.end() + invisible_prefix(text[match.end():])
            block.kind, block.body, block.body_offset = kind, text[start:], start
            block.label = match.group(1)
            if kind == "heading" and (len(match.group(1)) == 1 or style.annex.match(block.body)):
                block.kind = "annex"
            return
    if text.startswith("|"):
        block.kind = "table"
    elif style.formula.match(text):
        block.kind = "formula"
    elif text[:1].islower():
        block.kind = "continuation"  # a paragraph's text resuming after its list (77/177 "and in ...")
    block.body = text


def invisible_prefix(text: str) -> int:
    """How many spaces and format characters (category Cf) the text opens with."""
    return next((index for index, ch in enumerate(text)
                 if not (ch.isspace() or unicodedata.category(ch) == "Cf")), len(text))


def end_character(text: str) -> str:
    """The last character that is not a space, a footnote call, an emphasis marker or an
    invisible format character (U+200E LEFT-TO-RIGHT MARK ends five paragraphs of shared/akn)."""
    text = LINK_RE.sub(r"\1", text)  # "[A/78/17](https://...)": the text, not the address
    trimmed = TRAILER_RE.sub("", "".join(ch for ch in text if unicodedata.category(ch) != "Cf"))
    return trimmed[-1:] if trimmed else ""


def note_end(text: str) -> str:
    """A note's last mark; a note that closes a quotation ends with the quotation's own
    (79/18, notes quoting the Outer Space Treaty: '... shall also not be prohibited.”')."""
    end = end_character(text)
    while end and end in CLOSING_QUOTES:
        text = text[:text.rindex(end)]
        end = end_character(text)
    return end


def list_end_ok(text: str, expected: str, style: Style) -> bool:
    """An item ends with its mark, or with "; and" / "; or" where a list reads on; an item that is
    a question ends with its question mark (77/247: the questions put to the Court)."""
    d = style.drafting
    end = end_character(text)
    return end == expected or (end == d.question_mark and expected in d.semicolon + d.full_stop) or (
        expected == d.semicolon and bool(style.runs_on.search(TRAILER_RE.sub("", text))))


class Linter:
    def __init__(self, path: str, style: Style) -> None:
        self.path = path
        self.style = style
        self.findings: list[Finding] = []

    def report(self, block: Block, offset: int, code: str, message: str) -> None:
        if code in block.ignored:
            return
        line, column = block.position(offset)
        self.findings.append(Finding(self.path, line, column, code, message))

    def check_body(self, blocks: list[Block]) -> None:
        """Walk the body in sections: each enacting formula starts a preamble, an annex ends the text."""
        sections: list[list[Block]] = [[]]
        for block in blocks:
            if block.kind in ("formula", "annex") and sections[-1]:
                sections.append([])
            sections[-1].append(block)
        in_text = True
        for section in filter(None, sections):
            in_text = in_text and section[0].kind != "annex"
            mark_quoted(section, self.style)
            self.check_numbering(section)
            self.check_labels(section)
            if in_text:
                self.check_section(section)

    def check_section(self, section: list[Block]) -> None:
        style, d = self.style, self.style.drafting
        visible = [block for block in section if block.quoted or not is_title_line(block, style)]
        following = dict(zip(map(id, visible), [*visible[1:], None], strict=True))
        operatives = [block for block in visible if block.kind == "operative" and not block.quoted]
        first_operative = visible.index(operatives[0]) if operatives else len(visible)
        preamble = [block for block in visible[:first_operative]
                    if block.kind == "paragraph" and not block.quoted]
        preamble_end = first_operative
        declaration = not operatives or is_declaration(operatives, style)
        if declaration and preamble and opens_operatively(preamble[-1], style):
            # a resolution with one operative paragraph does not number it (76/15: "Takes note ..."),
            # nor one whose numbered paragraphs are the text it adopts (76/1, 76/247 "Resolves that:")
            single = preamble.pop()
            self.check_paragraph(single, "operative", end_before(following[id(single)], d.full_stop, d),
                                 Openers("operative", style))
            preamble_end = visible.index(single)
            self.check_items(visible[preamble_end:first_operative], list_end=d.full_stop)
        openers = Openers("preamble", style)
        for block in preamble:
            self.check_paragraph(block, "preamble", end_before(following[id(block)], d.comma, d), openers)
        self.check_items(visible[:preamble_end], list_end=d.comma)
        if declaration:
            return
        openers = Openers("operative", style)
        for block in operatives:
            after = following[id(block)]
            expected = end_before(after, d.full_stop if block is operatives[-1] else d.semicolon, d)
            # the last paragraph of a part (before its successor's heading) ends either way: 143 with
            # a full stop, 84 with a semicolon in shared/akn/*/en
            part_end = after is not None and after.kind == "heading"
            self.check_paragraph(block, "operative", expected, openers,
                                 also=d.full_stop + d.semicolon if part_end else "")
        self.check_items(visible[first_operative:], list_end=d.full_stop)

    def check_paragraph(self, block: Block, role: str, expected: str, openers: Openers,
                        also: str = "") -> None:
        codes = {"preamble": ("UN101", "UN102", "UN103"), "operative": ("UN111", "UN112", "UN113")}[role]
        body, start, style = block.body, block.body_offset, self.style
        opener = style.opener.match(body)
        if opener is None:
            markup = style.drafting.opener_markup
            what = "participle or adjective phrase" if role == "preamble" else "verb"
            self.report(block, start, codes[0], f"the paragraph should open with "
                        f"{'a bold' if markup == '**' else 'an italic'} {what} "
                        f"({markup}{first_words(body, style)}{markup})")
            openers.reset()
        else:
            phrase = opener.group(2).replace("\\", "").strip(" " + style.drafting.separators)
            self.check_vocabulary(block, start, role, phrase, codes[2])
            # the verb runs on past the italics ("*Also request*s", 80/256: UN113's finding); a
            # Chinese phrase runs on into the text, which is no lower-case letter
            tail = "".join(takewhile(str.isalnum, body[opener.end():]))
            openers.check(self, block, start, phrase + (tail if tail.islower() else ""))
        openers.met_in(body)
        end = end_character(body)
        if end != expected and not (end and end in also):
            why = {style.drafting.colon: " (it introduces subparagraphs)",
                   style.drafting.full_stop: " (the last operative paragraph)"}
            self.report(block, len(block.text) - 1, codes[1], f"ends with {style.name(end)}, "
                        f"not {style.name(expected)}{why.get(expected, '')}")

    def check_vocabulary(self, block: Block, offset: int, role: str, phrase: str, code: str) -> None:
        words = vocabulary(self.style.code)
        known, other = (words.preamble, words.operative) if role == "preamble" else (
            words.operative, words.preamble)
        base = base_opener(phrase, self.style)
        if base in known:
            return
        if base in other:
            form = "an operative verb" if role == "preamble" else "a preambular phrase"
            self.report(block, offset, code, f"'{phrase}' is {form}; this is a "
                        f"{'preambular' if role == 'preamble' else 'operative'} paragraph")
            return
        close = difflib.get_close_matches(base, list(known), n=1, cutoff=0.8)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        self.report(block, offset, code, f"'{phrase}' is not an opening phrase of UN resolutions{hint}")

    def check_items(self, blocks: list[Block], list_end: str) -> None:
        """An item with items under it ends with a colon, the others with semicolons, or in the
        preamble with commas as the list's first item sets (14 of the 15 preambular lists of
        shared/akn/*/en use commas, 80/151 semicolons); the last item of a list ends as its
        paragraph would (a comma in the preamble, a full stop at the end)."""
        separator, d = "", self.style.drafting
        for index, block in enumerate(blocks):
            if block.kind != "sub" or block.quoted:
                separator = separator if block.quoted_by == "sub" else ""
                continue
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if following is not None and following.kind == "sub" and following.level > block.level:
                expected = d.colon
            elif following is not None and following.kind == "sub":
                if not separator:
                    semicolons = list_end != d.comma or end_character(block.body) == d.semicolon
                    separator = d.semicolon if semicolons else d.comma
                expected = separator
            else:
                expected = end_before(following, list_end if following is None or list_end == d.comma
                                      else d.semicolon, d)
            # the last item of a part, before the next part's heading, ends as the part's last
            # paragraph may: a full stop or a semicolon (77/128, 78/80, 79/93, 80/84)
            part_end = following is not None and following.kind == "heading" and list_end != d.comma
            if not list_end_ok(block.body, expected, self.style) and not (
                    part_end and end_character(block.body) in d.full_stop + d.semicolon):
                self.report(block, len(block.text) - 1, "UN121",
                            f"subparagraph ({block.label}) ends with {end_character(block.body)!r}, "
                            f"not {expected!r}")

    def check_numbering(self, section: list[Block]) -> None:
        """Operative paragraphs count 1, 2, 3 ...; a numbered list that a paragraph introduces with a
        colon counts from 1, and the paragraphs after it go on from that paragraph (79/1: the
        Global Digital Compact's paragraph 7 and its five objectives)."""
        last, resume, restart_ok = 0, 0, False
        previous: Block | None = None
        for block in section:
            if block.kind not in ("operative", "sub"):
                restart_ok = True  # a new part (a heading or a line such as "B") may count from 1
            if block.kind == "operative":
                number = int(block.label)
                if number == 1 and previous is not None and \
                        end_character(previous.body) == self.style.drafting.colon:
                    resume, last = last, 0
                elif resume and (not block.quoted or number == resume + 1 != last + 1):
                    resume, last = 0, resume  # the resolution's own paragraph, or the next number
                if number != last + 1 and not (restart_ok and number == 1):
                    self.report(block, 0, "UN141", f"paragraph {number} follows paragraph {last} "
                                f"(expected {last + 1})")
                last, restart_ok = number, False
            previous = block

    def check_labels(self, section: list[Block]) -> None:
        """Letters at the first level, roman numbers at the second, each in sequence.  A heading
        may start the list again at (a) (78/317) or let it run on (79/323); a paragraph may open
        with its first item ("1. (a) A State Party ...", 79/243)."""
        expected: dict[int, int] = {}
        after_heading = False
        for index, block in enumerate(section):
            if block.quoted_by == "sub" or block.kind == "continuation":
                continue  # the text an item introduces (78/269) or that closes it (79/243 "with the
                # intent that ..."): the list runs on after it
            if block.kind != "sub":
                if block.kind != "heading":
                    expected.clear()
                after_heading = block.kind == "heading"
                if INLINE_LABEL_RE.match(block.body) and block.kind != "heading":
                    expected[1] = 1
                continue
            level = max(block.indent // 4, 1)
            following = section[index + 1].label if index + 1 < len(section) else ""
            letter = letters(expected.get(level - 1, -1))
            if (level % 2 == 0 and block.label in ROMAN[:-1] and block.label == letter
                    and following != ROMAN[ROMAN.index(block.label) + 1]):
                level -= 1  # "(i)" after "(h)" and before "(j)": the letter, set one level too deep
            block.level = level
            for deeper in [depth for depth in expected if depth > level]:
                del expected[deeper]
            want = expected.get(level, 0)
            if after_heading and block.label == label_at(level, 0):
                want = 0
            if block.label != label_at(level, want):
                kind = "lettered (a), (b)" if level % 2 else "numbered (i), (ii)"
                self.report(block, 0, "UN142", f"subparagraph ({block.label}) at level {level} should "
                            f"be ({label_at(level, want)}): this level is {kind} in sequence")
            expected[level] = want + 1
            after_heading = False
            if INLINE_LABEL_RE.match(block.body):
                expected[level + 1] = 1

    def check_notes(self, notes: list[Block]) -> None:
        """A note ends with a full stop; a citation repeated in the next note is "Ibid.", but an
        explanatory note is written out again (78/128: the list of Territories, notes 11 and 12;
        80/110 notes 21 and 22; 76/258, a table's notes 11-13)."""
        previous, d = None, self.style.drafting
        for block in notes:
            if note_end(block.body) not in (d.full_stop, ""):
                self.report(block, len(block.text) - 1, "UN152", "the footnote's text should end with "
                            f"{self.style.name(d.full_stop)}")
            reference = block.body.strip()
            repeated = previous is not None and reference == previous and bool(CITATION_RE.search(reference))
            if repeated and not reference.lstrip("*_").startswith(d.ibid):
                self.report(block, block.body_offset, "UN153", "the same reference as the footnote "
                            f"before it: write '{d.ibid}{d.full_stop}'")
            previous = reference

    def check_inline(self, block: Block) -> None:
        text = block.text
        start = block.body_offset if block.kind == "note" else 0  # not the "[^1]:" of a definition
        sides = ("after", "before") if self.style.drafting.call_after_punctuation else ("before", "after")
        for match in self.style.misplaced_call.finditer(text, start):
            self.report(block, match.start(), "UN151", f"the footnote call goes {sides[0]} the "
                        f"'{match.group(1)}', not {sides[1]} it")
        for match in DATE_SPACE_RE.finditer(text):
            self.report(block, match.start(1), "UN161", "a date's day and month are joined by a "
                        "non-breaking space (U+00A0)")
        for match in RESOLUTION_SPACE_RE.finditer(text):
            self.report(block, match.start(1), "UN162", "'resolution' and its number are joined by a "
                        "non-breaking space (U+00A0)")


class Openers:
    """The opening phrase of the paragraph before (rules UN131, UN132).

    UN practice, measured over shared/akn/*/en (bench/lint.py): a phrase repeated in the next
    paragraph takes "also", then "further" (Recalling, Recalling also, Recalling further), after
    which a fourth may be plain again; a phrase met again later is plain.  Operative paragraphs
    repeat a verb plainly in long runs ("Encourages" 20 times in 79/139: 1,811 such repeats), so
    there only the order of "also"/"further" is checked.
    """

    def __init__(self, role: str, style: Style) -> None:
        self.role = role
        self.style = style
        self.previous: tuple[str, str | None] | None = None
        self.verbs: set[str] = set()  # "Also decides" may come paragraphs after "Decides" (80/16)
        words = vocabulary(style.code)
        self.known = {phrase.split()[0] for phrase in (words.preamble if role == "preamble"
                                                       else words.operative)}  # `met_in` looks for them

    def check(self, linter: Linter, block: Block, offset: int, phrase: str) -> None:
        style = self.style
        base, mod = base_opener(phrase, style), modifier(phrase, style)
        after = block.body[offset - block.body_offset + len(phrase) + 2:].split(maxsplit=1)
        if mod is None and after and after[0].strip(style.drafting.comma) in style.drafting.also:
            mod = "also"  # "*Taking note* also of": the UN sets "also" in roman too ("further" after
            # a verb is an adjective there: "Encourages further efforts")
        verb = next((word for word in base.split() if word not in style.drafting.particles), base)
        before = self.previous
        if mod is not None and verb not in self.verbs:
            linter.report(block, offset, "UN131", f"'{phrase}' without an earlier paragraph opening "
                          f"with '{verb}'")
        elif mod is None and self.role == "preamble" and before is not None and before[0] == base \
                and before[1] != "further":
            linter.report(block, offset, "UN132", f"'{phrase}' opens the paragraph before too: write "
                          f"'{with_modifier(phrase, 'further' if before[1] == 'also' else 'also', style)}'")
        self.previous = (base, mod)
        self.verbs.add(verb)

    def met_in(self, text: str) -> None:
        """The verbs a paragraph uses after its opening, where "also" may refer back to them
        (78/265: "11. *Recalls* ..., and in this regard, looks forward to ..." then "12. *Looks
        forward also* ..."; 80/129), and the first word of one whose opener is not in italics
        (78/263 "Recalling the report ...": UN101's finding)."""
        self.verbs.update(word for word in (match[1].capitalize() for match in COORDINATED_RE.finditer(text))
                          if word in self.known)
        first = text.lstrip("*_ ").split(maxsplit=1)
        if first and first[0] in self.known:
            self.verbs.add(first[0])

    def reset(self) -> None:
        """A paragraph without an italic opening phrase breaks the run."""
        self.previous = None


def mark_quoted(section: list[Block], style: Style) -> None:
    """Mark the text a colon introduces that is neither a list nor a paragraph of the resolution:
    a declaration or agenda it adopts (76/1, 76/3), a schedule (77/328 "Tuesday, 28 May: ..."),
    a question put to the Court (79/232), an amended article (78/248), a budget's numbered text
    (76/247 "Resolves that, for 2022:").  It runs until a paragraph opens with an italic phrase
    again; text that an item introduces ends at the next item, the list running on (78/269)."""
    quote = ""
    previous: Block | None = None
    for block in section:
        if block.kind in ("paragraph", "operative") and style.opener.match(block.body):
            quote = ""
        elif block.kind == "sub":
            quote = "" if quote == "sub" else quote
        elif not quote and previous is not None and end_character(previous.body) == style.drafting.colon:
            quote = previous.kind
        block.quoted_by = quote
        previous = block


def end_before(following: Block | None, otherwise: str, drafting: Drafting) -> str:
    """The mark a paragraph ends with: a colon before the list, table or text it introduces."""
    if following is not None and (following.kind in INTRODUCED or following.quoted):
        return drafting.colon
    return otherwise


def is_title_line(block: Block, style: Style) -> bool:
    """A line set apart in a preamble, not a paragraph: "* * *", a part's "I", or a section title
    of a budget resolution (76/246): short, and without the punctuation that ends a paragraph."""
    text = LINK_RE.sub(r"\1", block.body).strip()
    if not any(ch.isalpha() for ch in text):
        return True
    return block.kind == "paragraph" and len(text) < TITLE_LENGTH \
        and end_character(text) not in style.drafting.marks


def opens_operatively(block: Block, style: Style) -> bool:
    """An unnumbered paragraph that opens with an operative verb: a phrase that opens more operative
    paragraphs than preambular ones, or a present tense ("Adopts") that opens numbered ones too.
    The vocabulary counts a resolution's one unnumbered paragraph as preambular ("Adopts" 12 to 4);
    the preamble's own phrases are participles and adjectives, and of those that end in "-s" none
    opens an operative paragraph ("Conscious" 146, "Desirous" 18 times)."""
    opener = style.opener.match(block.body)
    if opener is None:
        return False
    base = base_opener(opener.group(2).replace("\\", "").strip(" " + style.drafting.separators), style)
    words, ending = vocabulary(style.code), style.drafting.present_tense
    operative, preamble = words.operative.get(base, 0), words.preamble.get(base, 0)
    return operative > preamble or (operative > 0 and ending is not None and base.split()[0].endswith(ending))


def is_declaration(operatives: list[Block], style: Style) -> bool:
    """Numbered paragraphs most of which open without an italic verb are the text of a
    declaration or of a budget decision ("2. Member States shall ..."), not operative
    paragraphs: the UN sets them as plain sentences (76/3, 79/261)."""
    plain = sum(1 for block in operatives if not style.opener.match(block.body))
    return plain >= 2 and plain * 2 > len(operatives)


def with_modifier(phrase: str, name: str, style: Style) -> str:
    """The phrase with "also" or "further" in the language's place: "Recalling also", "Also decides"
    (an English operative verb takes it first), "Rappelant également", "又回顾"."""
    d = style.drafting
    word = (d.also if name == "also" else d.further or d.also)[0]
    if d.modifier_place == "prefix":
        return word + phrase
    if d.modifier_place == "end":
        return f"{phrase} {word}"
    if d.present_tense and phrase.endswith(d.present_tense) and " " not in phrase:
        return f"{word.capitalize()} {phrase[:1].lower()}{phrase[1:]}"
    first, _, rest = phrase.partition(" ")
    return " ".join(filter(None, [first, word, rest]))


def label_at(level: int, index: int) -> str:
    """The index-th label of a list level: letters at odd levels, roman numbers at even ones."""
    return letters(index) if level % 2 else ROMAN[index] if index < len(ROMAN) else ""


def letters(index: int) -> str:
    """The label of the index-th lettered item: a ... z, aa, bb (UN practice doubles the letter)."""
    return chr(ord("a") + index % 26) * (index // 26 + 1)


def first_words(text: str, style: Style) -> str:
    return " ".join(text.split()[:2]).strip(style.drafting.separators)


def run_lint(paths: list[Path], as_json: bool = False) -> int:
    """Print every finding; exit status 1 when there is any, 0 when the sources are clean."""
    findings: list[Finding] = []
    for path in paths:
        if path.suffix != ".md":
            raise UnpressError(path, "lint reads .md sources")
        findings.extend(lint_file(path))
    if as_json:
        print(json.dumps([asdict(finding) for finding in findings], ensure_ascii=False, indent=1))
    else:
        for finding in findings:
            print(finding)
    return 1 if findings else 0


def lint_hook(source: Path, data: bytes, fail: bool) -> None:
    """The build's lint step, on the source's bytes (a Dask worker has no file): each finding on
    stderr as a warning, or, when `fail`, an error that stops this source's build (nothing is
    written)."""
    findings = lint_text(decode_utf8(data, source), str(source))
    if fail and findings:
        for finding in findings[1:]:
            print(f"{finding}", file=sys.stderr)
        first = findings[0]
        raise UnpressError(source, f"{first.column}: {first.code} {first.message} ({len(findings)} "
                           "drafting findings, `unpress lint`; nothing was written)", first.line)
    for finding in findings:
        print(f"{finding.path}:{finding.line}:{finding.column}: warning: {finding.code} {finding.message}",
              file=sys.stderr)
