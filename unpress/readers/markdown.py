"""Read a resolution source: YAML front matter, then a Markdown body.

The block structure of a resolution (enacting formula, preambular paragraphs,
operative paragraphs with their official numbers, "(a)"/"(i)" subparagraphs
nested by indentation, footnote definitions, annexes) is a small line-based
grammar read here, so that every block and every error knows its source line.
The inline markup of each block (emphasis, links, escapes, entities, footnote
calls) is rendered by Python-Markdown and turned into the document model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import lxml.html
import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor, SimpleTagInlineProcessor

from unpress.errors import UnpressError
from unpress.guards import MAX_PARAGRAPH_CHARACTERS
from unpress.house import language
from unpress.model import (
    PUBLISHED_NUMBERING,
    UNIT,
    Annex,
    Block,
    Cell,
    Emphasis,
    Footnote,
    Formula,
    Heading,
    Inline,
    Link,
    Meta,
    NoteRef,
    Operative,
    Paragraph,
    Reading,
    Resolution,
    Strong,
    Subparagraph,
    Superscript,
    Table,
    Text,
    nest_subparagraph,
)
from unpress.readers.source import (
    ALLOWED_SCHEMES,
    decode_utf8,
    parse_front_matter,
    read_bytes,
    refuse_control_characters,
    validated,
)

OPERATIVE_RE = re.compile(r"^(\d+)\.[ \t]+(\S.*)$", re.S)
SUBPARAGRAPH_RE = re.compile(r"^\(([a-z]{1,3}|[ivxlc]+)\)[ \t]+(\S.*)$", re.S)
HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*$")
NOTE_DEF_RE = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]*(.*)$")
TABLE_CELL_RE = re.compile(r"(?<!\\)\|")  # the pipes between a row's cells (not "\|")
NOTE_CALL_RE = re.compile(r"\[\^([^\]\s]+)\]")
SUPERSCRIPT_RE = re.compile(r"(\^)([^\^\s](?:[^\^\n]*?[^\^\s])?)\^")  # ^a^: a table note's letter
FORMULA_TEXT = "The General Assembly,"
INDENT = 4
MAX_BLOCK_CHARACTERS = MAX_PARAGRAPH_CHARACTERS * 2  # the source of one paragraph, markup included
COMMENT = "%"  # a line starting with it is a note to the drafter, not text (`unpress new` writes them)


@dataclass
class SourceBlock:
    """A run of non-blank lines: its first line number, indentation and text."""

    line: int
    indent: int
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(part.strip() for part in self.lines)


def read_source(path: str | Path) -> Resolution:
    """Read a `.md` resolution source into the document model."""
    return load_source(path).resolution


def load_source(path: str | Path) -> Reading:
    """Read a `.md` source: the document, and the emblem its front matter names (if any)."""
    path = Path(path)
    return parse_reading(decode_utf8(read_bytes(path, "a .md source"), path), path)


def parse_source(text: str, path: str | Path = "<source>") -> Resolution:
    """Parse the text of a source into the document model; `path` only names it in errors."""
    return parse_reading(text, path).resolution


def parse_reading(text: str, path: str | Path = "<source>") -> Reading:
    """Parse the text of a source: the document, and the build settings its front matter gives."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise UnpressError(path, "the file is empty; a source starts with '---' front matter")
    refuse_control_characters(text, path)
    meta, settings, body_start = parse_front_matter(text, path)
    lines = text.split("\n")[body_start:]
    resolution = validated(BodyReader(path, meta).read(lines, first_line=body_start + 1), path)
    emblem = settings.get("emblem")
    return Reading(resolution, Path(emblem) if isinstance(emblem, str) else None)


class BodyReader:
    """Turns body lines into blocks, footnotes and annexes, checking numbering."""

    def __init__(self, path: str | Path, meta: Meta) -> None:
        self.path = path
        self.meta = meta
        self.inline = InlineRenderer(path)
        self.note_numbers: dict[str, int] = {}
        self.call_lines: dict[str, int] = {}
        self.annex_lines: list[int] = []

    def read(self, lines: list[str], first_line: int) -> Resolution:
        blocks, definitions = self.split(lines, first_line)
        resolution = Resolution(meta=self.meta)
        target = resolution.blocks
        last_number, restart_ok = 0, False
        for block in blocks:
            head = block.text
            heading = HEADING_RE.match(head) if block.indent < INDENT else None
            if heading and len(heading.group(1)) == 1:
                matches = [HEADING_RE.match(line.strip()) for line in block.lines]
                titles = [title for title in matches if title and len(title.group(1)) == 1]
                if len(titles) != len(matches):
                    raise UnpressError(self.path, "an annex heading is one or more lines that "
                                       "each start with '# '; leave a blank line after it",
                                       block.line)
                self.refuse_empty_annex(resolution)
                words = language(self.meta.language).annex[:1]  # "Annex", "Annexe", "附件"...
                if not titles[0].group(2).startswith(words):
                    raise UnpressError(self.path, f"'# {titles[0].group(2)[:30]}' would start an "
                                       f"annex, and an annex title begins with '{words[0]}'; write "
                                       "'## ' for a heading in the text", block.line)
                annex = Annex(title=[self.inlines(title.group(2), block) for title in titles])
                self.annex_lines.append(block.line)
                resolution.annexes.append(annex)
                target = annex.blocks
                last_number = 0
                continue
            if heading:
                target.append(Heading(self.inlines(heading.group(2), block),
                                      level=len(heading.group(1)) - 1))
                restart_ok = True  # after a heading, numbering may start again at 1
                continue
            operative = OPERATIVE_RE.match(head) if block.indent < INDENT else None
            if operative:
                number = int(operative.group(1))
                if number != last_number + 1 and not (restart_ok and number == 1) \
                        and self.meta.numbering != PUBLISHED_NUMBERING:
                    raise UnpressError(
                        self.path,
                        f"operative paragraph {number} follows paragraph {last_number}: "
                        f"paragraphs are numbered without gaps or repeats (expected {last_number + 1})",
                        block.line,
                    )
                last_number, restart_ok = number, False
                target.append(Operative(number, self.inlines(operative.group(2), block)))
                continue
            sub = SUBPARAGRAPH_RE.match(head)
            if sub:
                self.attach_subparagraph(
                    target, block, Subparagraph(sub.group(1), self.inlines(sub.group(2), block)))
                continue
            item = OPERATIVE_RE.match(head) if block.indent >= INDENT else None
            if item:  # "    1. Close all digital divides": a numbered item of the paragraph above (79/1)
                self.attach_subparagraph(
                    target, block, Subparagraph(item.group(1) + ".", self.inlines(item.group(2), block)))
                continue
            if block.lines[0].lstrip().startswith("|"):
                target.append(self.table(block))
                continue
            content = self.inlines(head, block)
            plain = head.replace("*", "").replace("_", "")
            if plain in (FORMULA_TEXT, FORMULA_TEXT[:-1]):
                target.append(Formula(content))
            else:
                target.append(Paragraph(content))
                restart_ok = restart_ok or bool(UNIT.match(plain))  # "Article 5": its 1. 2. ...
        self.refuse_empty_annex(resolution)
        resolution.footnotes = self.footnotes(definitions)
        return resolution

    def refuse_empty_annex(self, resolution: Resolution) -> None:
        """An annex holds text: a heading right after another is a title line, written with
        no blank line between them."""
        if resolution.annexes and not resolution.annexes[-1].blocks:
            raise UnpressError(self.path, "this annex has a title and no text; if the next "
                               "'# ' line continues its title, remove the blank line between "
                               "them", self.annex_lines[-1])

    def split(self, lines: list[str], first_line: int) -> tuple[list[SourceBlock], dict[str, SourceBlock]]:
        """Group lines into blocks; collect `[^label]: text` definitions apart.

        A line that opens a block of its own (a numbered paragraph, a point, a
        heading) right under another line is refused, not merged into it; so is
        an indented block after a footnote (a second paragraph of the note).
        """
        blocks: list[SourceBlock] = []
        definitions: dict[str, SourceBlock] = {}
        current: SourceBlock | None = None
        note: str | None = None  # the label of the definition `current` is
        after_note: str | None = None  # the label of the definition a blank line just ended
        for offset, line in enumerate(lines):
            number = first_line + offset
            if not line.strip():
                after_note = note if current is not None else after_note
                current = note = None
                continue
            if line.lstrip().startswith(COMMENT):
                continue
            if "\t" in line[: len(line) - len(line.lstrip())]:
                line = line.expandtabs(INDENT)
            indent = len(line) - len(line.lstrip(" "))
            if current is None and after_note is not None and indent >= INDENT:
                raise UnpressError(self.path, f"footnote [^{after_note}] goes on with a second "
                                   "paragraph; a UN footnote is one paragraph: join the lines, "
                                   "or make this a note of its own", number)
            after_note = None
            definition = NOTE_DEF_RE.match(line) if indent < INDENT else None
            if definition:
                note = definition.group(1)
                if note in definitions:
                    raise UnpressError(self.path, f"footnote [^{note}] is defined twice "
                                       f"(first at line {definitions[note].line})", number)
                current = definitions[note] = SourceBlock(number, indent, [definition.group(2)])
                continue
            if current is None:
                current = SourceBlock(number, indent)
                blocks.append(current)
            else:
                self.refuse_run_on(current, line.strip(), indent, number)
            current.lines.append(line)
        for block in [*blocks, *definitions.values()]:
            if sum(map(len, block.lines)) > MAX_BLOCK_CHARACTERS:
                raise UnpressError(self.path, f"a paragraph whose source passes "
                                   f"{MAX_BLOCK_CHARACTERS:,} characters; a paragraph holds at "
                                   f"most {MAX_PARAGRAPH_CHARACTERS:,} characters of text "
                                   "(docs/limits.md): split it", block.line)
        return blocks, definitions

    def refuse_run_on(self, current: SourceBlock, line: str, indent: int, number: int) -> None:
        """A line that starts a numbered paragraph, a point or a heading ends the block above
        only after a blank line: without one it would silently join that block.  (A table's
        rows, and an annex title's '# ' lines, are one block.)"""
        first = current.lines[0].strip()
        if first.startswith("|") or (HEADING_RE.match(first) and HEADING_RE.match(line)):
            return
        starts = (SUBPARAGRAPH_RE.match(line) or (indent < INDENT and (
            OPERATIVE_RE.match(line) or HEADING_RE.match(line))))
        if starts:
            raise UnpressError(self.path, f"{line[:20]!r} starts a new paragraph right under the "
                               "line above; leave a blank line between paragraphs", number)

    def attach_subparagraph(self, target: list[Block], block: SourceBlock,
                            sub: Subparagraph) -> None:
        """Nest a subparagraph by its indentation: 4 spaces per level."""
        if not nest_subparagraph(target, sub, max(block.indent // INDENT, 1), strict=True):
            raise UnpressError(
                self.path,
                f"subparagraph ({sub.label}) is indented deeper than the paragraph above it; "
                f"indent by {INDENT} spaces per level under its numbered paragraph",
                block.line,
            )

    def table(self, block: SourceBlock) -> Table:
        """A pipe table, rendered by Python-Markdown's tables extension."""
        root = self.inline.render("\n".join(line.strip() for line in block.lines), block)
        table = root.find(".//table")
        if table is None:
            raise UnpressError(self.path, "a line starting with '|' must be part of a "
                               "table with a '|---|' line under its header", block.line)
        widths = [len(TABLE_CELL_RE.findall(line.strip().strip("|"))) + 1 for line in block.lines]
        for offset, width in enumerate(widths):
            if width > widths[0]:
                raise UnpressError(self.path, f"this table row has {width} cells and the header "
                                   f"{widths[0]}: a cell would be dropped; add a header cell "
                                   "or join the cells", block.line + offset)
        rows: list[list[Cell]] = []
        header_rows = 0
        for row in table.iter("tr"):
            cells = [Cell(self.inline.nodes(cell, block, self), align=column_align(cell))
                     for cell in row if cell.tag in ("td", "th")]
            if row.getparent().tag == "thead":
                if not any(cell.content for cell in cells):
                    continue  # an empty header row: a table without header
                header_rows += 1
            rows.append(cells)
        return Table(rows, header_rows)

    def inlines(self, text: str, block: SourceBlock) -> list[Inline]:
        """The inline content of one paragraph's text; block-level Markdown is refused."""
        root = self.inline.render(text, block)
        children = list(root)
        if len(children) != 1 or children[0].tag != "p" or (root.text or "").strip():
            raise UnpressError(
                self.path, "this paragraph uses Markdown this format does not support "
                "(lists other than numbered paragraphs, quotes, code blocks)", block.line)
        return self.inline.nodes(children[0], block, self)

    def note_call(self, label: str, block: SourceBlock) -> NoteRef:
        """Footnotes are numbered by their call, whatever their labels say.

        A note has one call; a later reference to the same note is written
        `[^=label]` (AKN4UN's `noteRef`): it prints the note's number again.
        """
        if label.startswith("="):
            first = label[1:]
            if first not in self.note_numbers:
                raise UnpressError(self.path, f"[^={first}] calls footnote [^{first}] again, but "
                                   f"[^{first}] has not been called before it", block.line)
            return NoteRef(self.note_numbers[first], again=True)
        if label in self.note_numbers:
            raise UnpressError(
                self.path, f"footnote [^{label}] is called a second time (first at line "
                f"{self.call_lines[label]}); in UN documents each note has one call: add a "
                f"new note (e.g. 'Ibid.'), or write [^={label}] to print its number again",
                block.line)
        self.note_numbers[label] = len(self.note_numbers) + 1
        self.call_lines[label] = block.line + next(
            (i for i, line in enumerate(block.lines) if f"[^{label}]" in line), 0)
        return NoteRef(self.note_numbers[label])

    def footnotes(self, definitions: dict[str, SourceBlock]) -> list[Footnote]:
        """Every call defined and every definition called, in call order."""
        for label, line in self.call_lines.items():
            if label not in definitions:
                raise UnpressError(self.path, f"footnote [^{label}] is called but never "
                                   f"defined; add a line '[^{label}]: text'", line)
        notes = []
        for label, block in definitions.items():
            if label not in self.note_numbers:
                raise UnpressError(self.path, f"footnote [^{label}] is defined but never "
                                   f"called; put [^{label}] after the word it annotates",
                                   block.line)
            if not block.text.strip():
                raise UnpressError(self.path, f"footnote [^{label}] has no text; write it after "
                                   f"'[^{label}]:' on the same line", block.line)
            notes.append(Footnote(self.note_numbers[label], self.inlines(block.text, block)))
        return sorted(notes, key=lambda note: note.number)


def column_align(cell: lxml.html.HtmlElement) -> str | None:
    """The alignment a pipe table's `|:---:|` line gives a cell (Python-Markdown: its style)."""
    match = re.search(r"text-align:\s*(left|right|center)", cell.get("style", ""))
    return match.group(1) if match else cell.get("align")


class NoteCallPattern(InlineProcessor):
    """`[^label]` becomes a placeholder element that the model turns into a NoteRef."""

    def handleMatch(self, m: re.Match[str], data: str,  # noqa: N802 (Python-Markdown's API)
                    ) -> tuple[ElementTree.Element, int, int]:
        el = ElementTree.Element("sup")
        el.set("data-note", m.group(1))
        return el, m.start(0), m.end(0)


class NoteCallExtension(Extension):
    """Registers `[^label]` before the link patterns, which would take it for a link, and
    `^text^` (superscript, pandoc's syntax) after it; `\\^` is a literal caret."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's API)
        md.inlinePatterns.register(NoteCallPattern(NOTE_CALL_RE.pattern, md), "note-call", 175)
        md.inlinePatterns.register(SimpleTagInlineProcessor(SUPERSCRIPT_RE.pattern, "sup"),
                                   "superscript", 65)
        md.ESCAPED_CHARS.append("^")


class InlineRenderer:
    """Python-Markdown for inline markup, with raw HTML refused."""

    def __init__(self, path: str | Path) -> None:
        self.path = path
        self.md = markdown.Markdown(extensions=[NoteCallExtension(), "tables"])

    def render(self, text: str, block: SourceBlock) -> lxml.html.HtmlElement:
        self.md.reset()
        html = self.md.convert(text)
        for raw in self.md.htmlStash.rawHtmlBlocks:
            if str(raw).lstrip().startswith("<"):
                raise UnpressError(
                    self.path, f"raw HTML is not allowed in a source ({str(raw)[:40]!r}); "
                    "use Markdown: *italic*, **bold**, [text](https://...); write &lt; for a "
                    "literal '<'", block.line)
        return lxml.html.fragment_fromstring(html, create_parent="div")

    def nodes(self, element: lxml.html.HtmlElement, block: SourceBlock,
              reader: BodyReader) -> list[Inline]:
        """The inline nodes of an element's content, in order."""
        out: list[Inline] = []

        def text(value: str | None) -> None:
            if value:
                if out and isinstance(out[-1], Text):
                    out[-1] = Text(out[-1].text + value)
                else:
                    out.append(Text(value))

        text(element.text)
        for child in element:
            tag = child.tag
            if tag == "sup" and child.get("data-note"):
                out.append(reader.note_call(child.get("data-note"), block))
            elif tag in ("em", "i"):
                out.append(Emphasis(self.nodes(child, block, reader)))
            elif tag in ("strong", "b"):
                out.append(Strong(self.nodes(child, block, reader)))
            elif tag == "sup":
                out.append(Superscript(self.nodes(child, block, reader)))
            elif tag == "a":
                href = child.get("href", "")
                if not href.startswith(ALLOWED_SCHEMES):
                    raise UnpressError(self.path, f"link target {href!r} is not allowed; "
                                       "links must be http(s) addresses", block.line)
                out.append(Link(href, self.nodes(child, block, reader)))
            elif tag == "code":
                text(child.text_content())
            elif tag == "img":
                raise UnpressError(self.path, "images are not allowed in a source; the "
                                   "emblem is given with the 'emblem' key", block.line)
            else:
                raise UnpressError(self.path, f"unsupported markup <{tag}>", block.line)
            text(child.tail)
        return out
