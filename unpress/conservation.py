"""Conservation: every word of the source reaches the output, in order, and no word is added.

A silent loss is the worst failure a press can have, so this runs on every
build, not only in tests.  The two sides are computed independently of the
reader: the source's words straight from the raw XML or Markdown, the
output's words from the HTML the writers lay out.  What is compared:

- AKN4UN: the text of everything but `meta` and `coverPage` (the preface,
  every preamble and body, the conclusions, components, attachments, notes
  and tables) against the title, the body, the closing block and the annexes
  of the HTML.  The cover page is the masthead, rebuilt from facts;
- Markdown: the body with each note's text at its call, against the body and
  annexes of the HTML (the front matter is the masthead and the closing block).

Words are runs of letters and digits (`\\w+`): punctuation, white space,
markup and "1." against "1" do not count, a lost, added or moved word does.
Footnote calls are left out on both sides (the source marks them in
attributes, the PDF sets them from CSS counters).
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import lxml.html
from lxml import etree

from unpress.errors import UnpressError
from unpress.i18n import read_label
from unpress.readers.markdown import SUPERSCRIPT_RE

WORD = re.compile(r"\w+")
SKIPPED_AKN = {"meta", "coverPage"}
# elements inside a line of text: a word may run across their edges ("48/2<a>26</a>")
INLINE_AKN = {"a", "span", "i", "b", "u", "sup", "sub", "inline", "docTitle", "docNumber", "docDate",
              "docProponent", "docStatus", "docAuthority", "docType", "session", "location", "date",
              "organization", "person", "role", "term", "ref", "mref", "abbr", "entity", "quantity",
              "concept", "object", "event", "shortTitle", "def", "noteRef", "img"}
INLINE_HTML = {"span", "a", "em", "strong", "i", "b", "sup", "sub", "small"}
# the HTML of the model that is not in the source: masthead facts and repeated calls
SKIPPED_HTML_CLASSES = {"note-again", "note-call"}
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n.*?^(?:---|\.\.\.)[ \t]*$", re.S | re.M)
DRAFTER_NOTE = "%"  # as the Markdown reader's COMMENT
NOTE_DEFINITION = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]*")
NOTE_CALL = re.compile(r"\[\^([^\]\s]+)\]")
# emphasis: a run of asterisks, text that neither starts nor ends with a space, the same run
EMPHASIS = re.compile(r"(?<![\\*])(\*{1,3})(?=[^\s*])(.+?)(?<=[^\s\\*])\1(?!\*)")
LINK = re.compile(r"\[([^\[\]^][^\[\]]*)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")  # an autolink <http://...> prints
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
CONCLUSIONS = re.compile(rb"<(?:[\w.-]+:)?conclusions[\s>/]")
SHOWN = 12  # words quoted in an error


@dataclass
class Word:
    text: str
    line: int | None  # where the word is in the source
    element: etree._Element | None = None  # the AKN element it is in

    @property
    def where(self) -> str:
        return element_path(self.element) if self.element is not None else ""


def check(source: str | Path, raw: bytes, output_html: str) -> None:
    """Raise UnpressError naming the first passage lost (or added) between source and output."""
    words, out = compared(source, raw, output_html)
    if [w.text for w in words] == out:
        return
    raise UnpressError(Path(source), *difference(words, out))


def compared(source: str | Path, raw: bytes, output_html: str) -> tuple[list[Word], list[str]]:
    """The source's words and the output's, as `check` compares them (bench/corpus.py counts the
    words lost between the two)."""
    if Path(source).suffix == ".xml":
        words, region = akn_words(raw), "akn"
    else:
        words, region = markdown_words(raw.decode("utf-8", "replace")), "md"
    # a Markdown source's closing block, and an AKN file's that has none (80/55 in Spanish),
    # is made from the front matter, as the masthead is: no words of the source's text
    closed = region == "akn" and CONCLUSIONS.search(raw) is not None
    words = [replace(word, text=label_fold(word.text)) for word in words]
    return words, [label_fold(word) for word in html_words(output_html, region, closed)]


@lru_cache(maxsize=8192)  # a document repeats its short words: each is read as a label once
def label_fold(word: str) -> str:
    """A word that reads as a point label, as the label's value: the press prints each language's
    form of a label ("(i)" of a Chinese file as "㈠", a Cyrillic "с)" as "c)", "(هـ)" without its
    tatweel, "(أ)" typed in the text as its label), which is the same label, not a changed word.
    Both sides are folded alike, so a word that only looks like a label still compares."""
    if len(word) > 3:
        return word
    read = read_label(word) or read_label(f"({word})")
    return read[0] if read else word


def difference(source: list[Word], out: list[str]) -> tuple[str, int | None]:
    """The first place the two word sequences part: what is lost there, or what is added."""
    index = next((i for i, (a, b) in enumerate(zip((w.text for w in source), out, strict=False))
                  if a != b), min(len(source), len(out)))
    if index >= len(source):
        return (f"the output adds words the source does not have after its end: "
                f"'{' '.join(out[index:index + SHOWN])}'", source[-1].line if source else None)
    word = source[index]
    passage = " ".join(w.text for w in source[index:index + SHOWN])
    where = f" ({word.where})" if word.where else ""
    text = [w.text for w in source]
    if index < len(out) and contains(text[index:], out[index:index + 4]):
        lost = "words lost"
    elif index < len(out):
        return (f"the output adds or changes words here{where}: the source has '{passage}', "
                f"the output '{' '.join(out[index:index + SHOWN])}'", word.line)
    else:
        lost = "words lost (the output ends here)"
    return f"{lost}{where}: '{passage}'; nothing was written", word.line


def contains(haystack: list[str], needle: list[str]) -> bool:
    """Whether `needle` occurs as a run in `haystack` (the output resumes later in the source)."""
    width = len(needle)
    return any(haystack[i:i + width] == needle for i in range(1, len(haystack) - width + 1))


# -- the source ----------------------------------------------------------------------


def akn_words(raw: bytes) -> list[Word]:
    """The words of an AKN4UN file outside its metadata and cover page, in document order."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             remove_comments=True, remove_pis=True)
    stream = TextStream()

    def walk(el: etree._Element) -> None:
        name = etree.QName(el).localname
        if name in SKIPPED_AKN or repeated_label(el):
            return
        apart = name not in INLINE_AKN
        if apart:
            stream.add(" ", None)
        stream.add(el.text, el)
        for child in el:
            if isinstance(child.tag, str):
                walk(child)
            stream.add(child.tail, el)
        if apart:
            stream.add(" ", None)

    walk(etree.fromstring(raw, parser))
    return stream.words()


def repeated_label(el: etree._Element) -> bool:
    """A `<num>` its heading repeats (76/258 `<num>(a)</num><subheading>(a) Transport`): one label.

    The AKN reader prints such a number once, and the words of the source count it once.
    """
    heading = el.getnext()
    if etree.QName(el).localname != "num" or heading is None or not isinstance(heading.tag, str) \
            or etree.QName(heading).localname not in ("heading", "subheading"):
        return False
    label = "".join(el.itertext()).strip()
    return bool(label) and "".join(heading.itertext()).strip().startswith(label)


class TextStream:
    """Text as a reader meets it, each piece with its element; words may span inline elements."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.starts: list[int] = []
        self.owners: list[etree._Element | None] = []
        self.length = 0

    def add(self, text: str | None, owner: etree._Element | None) -> None:
        if text:
            self.pieces.append(text)
            self.starts.append(self.length)
            self.owners.append(owner)
            self.length += len(text)

    def words(self) -> list[Word]:
        words = []
        for match in WORD.finditer("".join(self.pieces)):
            owner = self.owners[bisect.bisect_right(self.starts, match.start()) - 1]
            words.append(Word(match.group(), owner.sourceline if owner is not None else None, owner))
        return words

    def text(self) -> str:
        return "".join(self.pieces)


def element_path(el: etree._Element) -> str:
    """An element's path by local names: /akomaNtoso/statement/mainBody/part[2]/paragraph[4]."""
    steps = []
    while el is not None:
        name = etree.QName(el).localname
        parent = el.getparent()
        same = [c for c in parent if isinstance(c.tag, str) and etree.QName(c).localname == name] \
            if parent is not None else [el]
        steps.append(f"{name}[{same.index(el) + 1}]" if len(same) > 1 else name)
        el = parent
    return "/" + "/".join(reversed(steps))


def markdown_words(text: str) -> list[Word]:
    """The words of a Markdown source's body, each note's text in place of its call."""
    front = FRONT_MATTER.match(text)
    start_line = text.count("\n", 0, front.end()) + 2 if front else 1
    body = text[front.end():] if front else text
    lines = body.splitlines()
    notes: dict[str, list[tuple[str, int]]] = {}
    main: list[tuple[str, int]] = []
    current: list[tuple[str, int]] | None = None
    for number, line in enumerate(lines, start=start_line - 1):
        if line.lstrip().startswith(DRAFTER_NOTE):
            continue  # a note to the drafter ("% ..."), which the press skips
        definition = NOTE_DEFINITION.match(line)
        if definition:
            current = notes.setdefault(definition.group(1), [])
            current.append((line[definition.end():], number))
        elif current is not None and (line.startswith((" ", "\t")) or not line.strip()):
            current.append((line, number))
        else:
            current = None
            main.append((line, number))
    words: list[Word] = []

    def add(line: str, number: int) -> None:
        last = 0
        line = html.unescape(LINK.sub(r"\1", line))  # "&lt;" is printed "<"
        for call in NOTE_CALL.finditer(line):
            words.extend(Word(m.group(), number) for m in WORD.finditer(unraised(line[last:call.start()])))
            for note_line, note_number in notes.pop(call.group(1), []):
                add(note_line, note_number)
            last = call.end()
        words.extend(Word(m.group(), number) for m in WORD.finditer(unraised(line[last:])))

    for line, number in main:
        add(line, number)
    return words


def unraised(text: str) -> str:
    """Text between note calls as it prints: superscripts' carets dropped ("Officer^a^" prints
    "Officera") and emphasis marks, which join what they touch as the HTML's inline elements do
    ("**回顾**其" prints "回顾其"; a lone "*" stays: "7*7")."""
    text = SUPERSCRIPT_RE.sub(r"\2", text)
    while (plain := EMPHASIS.sub(r"\2", text)) != text:
        text = plain
    return text


# -- the output ------------------------------------------------------------------------


def html_words(html: str, region: str, closed: bool = True) -> list[str]:
    """The words of the parts of the HTML that come from the source (see the module's doc)."""
    # a control character a source may carry is no word, and lxml refuses it
    document = lxml.html.document_fromstring(CONTROL.sub(" ", html))
    parts = document.xpath("//main | //section[contains(concat(' ', @class, ' '), ' annex ')]")
    if region == "akn":
        parts = document.xpath("//h2[contains(concat(' ', @class, ' '), ' title ')]") + parts
    stream = TextStream()
    for part in parts:
        if not closed:
            for closing in part.xpath(".//footer[contains(@class, 'closing')]"):
                closing.drop_tree()
        visible_text(part, stream)
    return WORD.findall(stream.text())


def visible_text(el: lxml.html.HtmlElement, stream: TextStream) -> None:
    """The text of an element, without the calls and repeated note numbers the model adds."""
    classes = set((el.get("class") or "").split())
    if classes & SKIPPED_HTML_CLASSES:
        return
    apart = el.tag not in INLINE_HTML or "footnote" in classes
    if apart:
        stream.add(" ", None)
    stream.add(el.text, None)
    for child in el:
        if isinstance(child.tag, str):
            visible_text(child, stream)
        stream.add(child.tail, None)
    if apart:
        stream.add(" ", None)
