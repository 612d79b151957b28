"""Read an AKN4UN file (the UN's Akoma Ntoso profile) into the document model.

The XML is treated as untrusted: lxml parses it without resolving entities,
without network access and with its size limits on; a DOCTYPE is refused.

Where things come from:

- front matter: the cover page (symbol, session, agenda item and its title,
  date of issuance, the "[on the report of ...]" line), the preface (title),
  the FRBR adoption date, the conclusions (meeting, date of adoption) and the
  presentation's docket number (job number);
- body: the preamble's formula and containers, then the mainBody paragraphs:
  `<num>1.</num>` makes an operative paragraph, a `list` gives its intro text
  and its points (a `sublist` nests points one level deeper), "(a)" labels
  (in `<num>` or typed at the start of the text) make subparagraphs, bold-only
  paragraphs and `heading`/`subheading` make headings, tables make tables;
- attachments: each "Annex ..." heading starts an annex whose title is the
  run of unnumbered headings that opens it;
- inline: italic spans, bold spans, `<a href>` links (http(s)/mailto only),
  `authorialNote` footnotes numbered in document order; `<eol/>`, tabs and
  line breaks become single spaces.  Other characters (U+00A0, U+2011, ...)
  are kept as they are.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from lxml import etree

from unpress.errors import UnpressError
from unpress.model import (
    Annex,
    Block,
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
    Resolution,
    Strong,
    Subparagraph,
    Table,
    Text,
    nest_subparagraph,
    plain_text,
    with_children,
)
from unpress.readers.source import ALLOWED_SCHEMES, SYMBOL_RE, read_bytes, validated

SPACE_RE = re.compile(r"[ \t\r\n]+")
OPERATIVE_NUM_RE = re.compile(r"^(\d+)\.$")
LABEL_RE = re.compile(r"^\(([a-z]{1,3}|[ivxlc]+)\)$")
TYPED_LABEL_RE = re.compile(r"^\(([a-z]{1,3}|[ivxlc]+)\)[ \t]+")
ROMAN_RE = re.compile(r"^[ivxlc]+$")
ANNEX_RE = re.compile(r"^Annex\b")
JOB_NUMBER_RE = re.compile(r"\d{2}-\d{5}")
PROPONENT_RE = re.compile(r"^\[?\s*on the report of the\s+(.*?)\s*\(?\s*$", re.S)


def read_akn(path: str | Path) -> Resolution:
    """Read an AKN4UN `.xml` file into the document model."""
    path = Path(path)
    return parse_akn(read_bytes(path, "an AKN4UN .xml file"), path)


def parse_akn(raw: bytes, path: str | Path = "<akn>") -> Resolution:
    """Parse the bytes of an AKN4UN document; `path` only names it in errors."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             load_dtd=False, dtd_validation=False, remove_comments=True,
                             remove_pis=True)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        raise UnpressError(path, f"not well-formed XML: {exc.msg}", exc.lineno or None) from None
    except ValueError as exc:
        raise UnpressError(path, f"not well-formed XML: {exc}") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise UnpressError(path, "a DOCTYPE is not allowed in an AKN4UN file", 1)
    strip_namespaces(root)
    if root.tag != "akomaNtoso":
        raise UnpressError(path, f"not an Akoma Ntoso document (root element <{root.tag}>)",
                           root.sourceline)
    doc = first_element(root)
    if doc is None:
        raise UnpressError(path, "the Akoma Ntoso document is empty", root.sourceline)
    return validated(AknReader(path).read(doc), path)


def strip_namespaces(root: etree._Element) -> None:
    """Name every element by its local name: AKN versions differ only in namespace."""
    for el in root.iter():
        if isinstance(el.tag, str):
            el.tag = etree.QName(el).localname


def elements(el: etree._Element | None, *names: str) -> list[etree._Element]:
    """The child elements of `el`, only those named `names` if any are given."""
    if el is None:
        return []
    return [c for c in el if isinstance(c.tag, str) and (not names or c.tag in names)]


def first_element(el: etree._Element | None, *names: str) -> etree._Element | None:
    """The first child element of `el` (named `names` if given), or None."""
    found = elements(el, *names)
    return found[0] if found else None


def find(el: etree._Element | None, name: str) -> etree._Element | None:
    """The first descendant named `name`."""
    if el is None:
        return None
    return next(el.iter(name), None)


def squeeze(text: str) -> str:
    """Collapse runs of ASCII white space (tabs, line breaks) into one space."""
    return SPACE_RE.sub(" ", text).strip()


def text_of(el: etree._Element | None) -> str:
    """All the text inside `el`, white space squeezed ("" for no element)."""
    if el is None:
        return ""
    return squeeze("".join(t for t in el.itertext() if isinstance(t, str)))


def parse_date(value: str | None) -> date | None:
    """An ISO date, or None for none, a malformed one and the 0001-01-01 "unknown" placeholder."""
    if not value:
        return None
    try:
        found = date.fromisoformat(value.strip())
    except ValueError:
        return None
    return found if found.year > 1 else None


def safe_href(href: str) -> str | None:
    """A link target the sources allow (http(s), mailto), made safe to write back."""
    href = href.strip()
    if not href.startswith(ALLOWED_SCHEMES):
        return None
    href = quote(href, safe="/:?#[]@!$&'*+,;=%-._~()")
    if href.count("(") != href.count(")"):
        href = href.replace("(", "%28").replace(")", "%29")
    return href


class AknReader:
    """One file's reading: footnotes are numbered in document order as they are met."""

    def __init__(self, path: str | Path) -> None:
        self.path = path
        self.footnotes: list[Footnote] = []

    def fail(self, message: str, el: etree._Element | None = None) -> UnpressError:
        return UnpressError(self.path, message, el.sourceline if el is not None else None)

    # ----------------------------------------------------------------- document

    def read(self, doc: etree._Element) -> Resolution:
        meta = self.meta(doc)
        resolution = Resolution(meta=meta)
        preamble = first_element(doc, "preamble")
        resolution.blocks.extend(self.preamble(preamble))
        main = first_element(doc, "mainBody", "body")
        if main is not None:
            resolution.blocks.extend(self.body(elements(main)))
        for attachment in elements(first_element(doc, "attachments"), "attachment"):
            resolution.annexes.extend(self.attachment(attachment))
        resolution.footnotes = self.footnotes
        return resolution

    def meta(self, doc: etree._Element) -> Meta:
        cover = first_element(doc, "coverPage")
        preface = first_element(doc, "preface")
        own_meta = first_element(doc, "meta")
        conclusions = first_element(doc, "conclusions")

        language = find(own_meta, "FRBRlanguage")
        if language is not None and language.get("language") not in (None, "eng", "en"):
            raise self.fail(f"this AKN4UN file is in '{language.get('language')}'; only "
                            "English (eng) is read so far", language)
        symbol = text_of(find(cover, "docNumber"))
        if not symbol:
            raise self.fail("no resolution symbol: the coverPage has no <docNumber>", cover)
        if not SYMBOL_RE.match(symbol):
            raise self.fail(f"'{symbol}' is not a General Assembly resolution symbol",
                            find(cover, "docNumber"))
        title = text_of(find(preface, "docTitle"))
        if not title:
            raise self.fail("no title: the preface has no <docTitle>", preface)
        values: dict[str, Any] = {"symbol": symbol, "title": title,
                                     "edition": "current", "language": "en"}

        session = find(cover, "session")
        if session is not None and (session.get("value") or "").strip().isdigit():
            values["session"] = int(session.get("value"))
        agenda_titles = []
        for inline in (cover.iter("inline") if cover is not None else []):
            name = inline.get("name")
            if name == "agenda item" and "agenda_item" not in values:
                item = (inline.get("title") or "").strip() or re.sub(
                    r"^Agenda items?\s*", "", text_of(inline))
                if item:
                    values["agenda_item"] = squeeze(item)
            elif name == "agenda item name" and text_of(inline):
                agenda_titles.append(text_of(inline))
        if agenda_titles:
            values["agenda_title"] = "\n".join(agenda_titles)

        adopted = None
        for frbr in (own_meta.iter("FRBRdate") if own_meta is not None else []):
            if frbr.get("name") == "adoption":
                adopted = parse_date(frbr.get("date"))
                break
        location = find(conclusions, "location")
        if text_of(location):
            values["meeting"] = text_of(location)
        if adopted is None:
            concluded = find(conclusions, "docDate")
            adopted = parse_date(concluded.get("date") if concluded is not None else None)
        if adopted is not None:
            values["adopted"] = adopted

        for issued in (cover.iter("docDate") if cover is not None else []):
            if issued.get("refersTo") in (None, "#dateOfIssuance"):
                distributed = parse_date(issued.get("date"))
                if distributed is not None:
                    values["distributed"] = distributed
                    break

        proponent = find(cover, "docProponent")
        if proponent is not None:
            values.update(self.proponent(proponent))

        docket = find(own_meta, "docketNumber")
        if text_of(docket):
            found = JOB_NUMBER_RE.search(text_of(docket))
            values["job_number"] = found.group(0) if found else text_of(docket)
        return Meta(**values)

    def proponent(self, el: etree._Element) -> dict[str, str]:
        """`[on the report of the X Committee (A/..., para. n)]` or `[without reference ...]`."""
        document = next((i for i in el.iter("inline") if i.get("name") == "originating document"),
                        None)
        reference = text_of(document) or None
        whole = text_of(el)
        if "without reference to a Main Committee" in whole:
            return {"draft": reference} if reference else {}
        before = squeeze((el.text or "") if document is not None else whole)
        match = PROPONENT_RE.match(before)
        if not match:
            return {}
        committee = match.group(1).strip()
        if document is None:
            committee = re.sub(r"\s*\]\s*$", "", committee)
        out = {"committee": committee}
        if reference:
            out["report"] = reference
        return out

    # ------------------------------------------------------------------ blocks

    def preamble(self, preamble: etree._Element | None) -> list[Block]:
        blocks: list[Block] = []
        for el in elements(preamble):
            if el.tag == "formula":
                content = self.paragraphs_inlines(el)
                if content:
                    blocks.append(Formula(content))
            elif el.tag in ("container", "blockContainer"):
                blocks.extend(self.loose(el))
            else:
                blocks.extend(self.loose_one(el))
        return blocks

    def loose(self, el: etree._Element) -> list[Block]:
        """The blocks of a container: its paragraphs and tables in order."""
        blocks: list[Block] = []
        for child in elements(el):
            blocks.extend(self.loose_one(child))
        return blocks

    def loose_one(self, el: etree._Element) -> list[Block]:
        if el.tag == "table":
            return [self.table(el)]
        if el.tag in ("container", "blockContainer", "content", "intro", "wrapUp", "div"):
            return self.loose(el)
        content = self.inlines(el)
        return [Paragraph(content)] if content else []

    def paragraphs_inlines(self, el: etree._Element) -> list[Inline]:
        """The inline content of all paragraphs of `el`, joined by spaces."""
        parts: list[Inline] = []
        for child in elements(el) or [el]:
            content = self.inlines(child)
            if content:
                if parts:
                    parts.append(Text(" "))
                parts.extend(content)
        return normalise(parts)

    def body(self, items: list[etree._Element]) -> list[Block]:
        builder = BodyBuilder()
        for el in items:
            self.body_item(el, builder)
        return builder.blocks

    def body_item(self, el: etree._Element, builder: BodyBuilder) -> None:
        if el.tag not in ("paragraph", "point", "subparagraph", "clause", "section",
                          "article", "hcontainer", "level", "alinea"):
            for block in self.loose_one(el):
                builder.add(block)
            return
        num = text_of(first_element(el, "num"))
        heading = first_element(el, "heading", "subheading")
        if heading is not None:
            content = self.inlines(heading)
            if num:
                content = normalise([Text(num + " "), *content])
            builder.add(Heading(content, level=1 if heading.tag == "heading" else 2))
            num = ""
        for child in elements(el):
            if child.tag in ("num", "heading", "subheading"):
                continue
            if child.tag == "content":
                self.numbered(num, elements(child) or [child], builder)
                num = ""
            elif child.tag == "list":
                intro = first_element(child, "intro")
                self.numbered(num, elements(intro) if intro is not None else [], builder)
                num = ""
                self.points(child, builder, level=1)
            elif child.tag in ("paragraph", "point", "subparagraph"):
                self.body_item(child, builder)
            else:
                for block in self.loose_one(child):
                    builder.add(block)
        if num:
            builder.add(Paragraph([Text(num)]))

    def numbered(self, num: str, parts: list[etree._Element], builder: BodyBuilder,
                 level: int | None = None) -> None:
        """The first paragraph of `parts` carries the number; later ones stand alone."""
        first = True
        for part in parts:
            if part.tag == "table":
                builder.add(self.table(part))
                continue
            content = self.inlines(part)
            if first:
                first = False
                self.head_block(num, content, builder, level)
            elif content:
                builder.add(Paragraph(content))
        if first:
            self.head_block(num, [], builder, level)

    def head_block(self, num: str, content: list[Inline], builder: BodyBuilder,
                   level: int | None) -> None:
        operative = OPERATIVE_NUM_RE.match(num)
        label = LABEL_RE.match(num)
        if operative:
            builder.add(Operative(int(operative.group(1)), content))
        elif label:
            builder.subparagraph(Subparagraph(label.group(1), content), level)
        elif num:
            builder.add(Paragraph(normalise([Text(num + " "), *content])))
        elif typed := typed_label(content):
            label_text, rest = typed
            builder.subparagraph(Subparagraph(label_text, rest), level)
        elif len(content) == 1 and isinstance(content[0], Strong):
            builder.add(Heading(content[0].children, level=1))
        elif content:
            builder.add(Paragraph(content))

    def points(self, el: etree._Element, builder: BodyBuilder, level: int) -> None:
        for child in elements(el):
            if child.tag == "point":
                num = text_of(first_element(child, "num"))
                for part in elements(child):
                    if part.tag == "content":
                        self.numbered(num, elements(part) or [part], builder, level)
                        num = ""
                    elif part.tag == "list":
                        intro = first_element(part, "intro")
                        self.numbered(num, elements(intro) if intro is not None else [],
                                      builder, level)
                        num = ""
                        self.points(part, builder, level + 1)
                if num:
                    builder.add(Paragraph([Text(num)]))
            elif child.tag in ("sublist", "list"):
                self.points(child, builder, level + 1)
            elif child.tag in ("wrapUp", "intro") and child is not first_element(el, "intro"):
                for block in self.loose(child):
                    builder.add(block)

    def table(self, el: etree._Element) -> Table:
        """A table: rows of cells; empty rows are dropped; leading `th` rows are the header."""
        rows: list[list[list[Inline]]] = []
        header_rows = 0
        in_header = True
        for tr in el.iter("tr"):
            cells = [self.paragraphs_inlines(cell) if elements(cell) else self.inlines(cell)
                     for cell in elements(tr, "td", "th")]
            if not any(cells):
                continue
            is_header = all(cell.tag == "th" for cell in elements(tr, "td", "th"))
            if in_header and is_header and header_rows < 1:
                header_rows += 1
            else:
                in_header = False
            rows.append(cells)
        width = max((len(row) for row in rows), default=0)
        for row in rows:
            row.extend([] for _ in range(width - len(row)))
        return Table(rows, header_rows)

    def attachment(self, attachment: etree._Element) -> list[Annex]:
        annexes: list[Annex] = []
        for doc in elements(attachment):
            items: list[etree._Element] = []
            for part in elements(doc):
                if part.tag in ("mainBody", "body", "preamble", "preface"):
                    items.extend(elements(part))
            annexes.extend(self.annexes(items))
        return annexes

    def annexes(self, items: list[etree._Element]) -> list[Annex]:
        """Split an attachment at its "Annex ..." headings; each opens with its title run."""
        groups: list[tuple[list[list[Inline]], list[etree._Element]]] = []
        for el in items:
            title = self.title_line(el)
            current = groups[-1] if groups else None
            opens = title is not None and (current is None or (
                current[1] and ANNEX_RE.match(plain_text(title, note_numbers=False))))
            if opens and title is not None:
                groups.append(([title], []))
            elif title is not None and current is not None and not current[1]:
                current[0].append(title)
            elif current is None:
                groups.append(([], [el]))
            else:
                current[1].append(el)
        return [Annex(title=title, blocks=self.body(body)) for title, body in groups]

    def title_line(self, el: etree._Element) -> list[Inline] | None:
        """The text of an unnumbered heading paragraph, or None."""
        if el.tag != "paragraph" or text_of(first_element(el, "num")):
            return None
        heading = first_element(el, "heading", "subheading")
        if heading is None or len(elements(el)) != 1:
            return None
        return self.inlines(heading)

    # ------------------------------------------------------------------ inline

    def inlines(self, el: etree._Element) -> list[Inline]:
        return normalise(self.runs(el))

    def runs(self, el: etree._Element) -> list[Inline]:
        """The raw inline runs of `el`: its text, its children and their tails."""
        out: list[Inline] = []
        if el.text:
            out.append(Text(el.text))
        for child in el:
            if isinstance(child.tag, str):
                out.extend(self.inline(child))
            if child.tail:
                out.append(Text(child.tail))
        return out

    def inline(self, el: etree._Element) -> list[Inline]:
        tag = el.tag
        if tag == "authorialNote":
            number = len(self.footnotes) + 1
            self.footnotes.append(Footnote(number, []))
            self.footnotes[number - 1].content = self.paragraphs_inlines(el)
            return [NoteRef(number)]
        if tag in ("eol", "br", "eop"):
            return [Text(" ")]
        if tag == "noteRef":  # a second call to a note already given
            marker = el.get("marker", "")
            known = marker.isdigit() and 0 < int(marker) <= len(self.footnotes)
            return [NoteRef(int(marker), again=True)] if known else []
        if tag == "img":
            return []
        children = self.runs(el)
        classes = (el.get("class") or "").split()
        if tag == "a":
            href = safe_href(el.get("href") or "")
            return [Link(href, children)] if href else children
        if tag in ("i", "em") or "italic" in classes:
            return [Emphasis(children)]
        if tag in ("b", "strong") or "bold" in classes:
            return [Strong(children)]
        if tag == "p":
            return [Text(" "), *children, Text(" ")]
        return children


def typed_label(content: list[Inline]) -> tuple[str, list[Inline]] | None:
    """A "(a)<tab>" label typed at the start of a paragraph's text."""
    if not content or not isinstance(content[0], Text):
        return None
    match = TYPED_LABEL_RE.match(content[0].text)
    if not match:
        return None
    rest = content[0].text[match.end():]
    return match.group(1), normalise(([Text(rest)] if rest else []) + content[1:])


def label_level(label: str, last_first_level: str | None) -> int:
    """1 for letters, 2 for roman numerals ("(i)" after "(h)" is a letter)."""
    if not ROMAN_RE.match(label):
        return 1
    if len(label) == 1 and last_first_level and len(last_first_level) == 1 \
            and ord(label) == ord(last_first_level) + 1:
        return 1
    return 2


class BodyBuilder:
    """Collects blocks, nesting subparagraphs the way the Markdown reader does."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.last_letter: str | None = None

    def add(self, block: Block) -> None:
        if isinstance(block, (Operative, Heading)):
            self.last_letter = None
        self.blocks.append(block)

    def subparagraph(self, sub: Subparagraph, level: int | None) -> None:
        if level is None:
            level = label_level(sub.label, self.last_letter)
        if level == 1:
            self.last_letter = sub.label
        nest_subparagraph(self.blocks, sub, level, strict=False)


# ------------------------------------------------------------- normalisation

def normalise(runs: list[Inline]) -> list[Inline]:
    """Collapse white space, keep it outside markup, drop empty markup, merge neighbours."""
    hoisted = hoist(runs)
    collapsed = collapse(hoisted, [True])
    return trim(merge(collapsed))


def hoist(runs: list[Inline]) -> list[Inline]:
    """Move white space at the edges of emphasis, strong and links outside them."""
    out: list[Inline] = []
    for node in runs:
        if isinstance(node, (Emphasis, Strong, Link)):
            children = hoist(node.children)
            lead: list[Inline] = []
            trail: list[Inline] = []
            while children and isinstance(children[0], Text) and not children[0].text.strip(" \t\r\n"):
                lead.append(children.pop(0))
            while children and isinstance(children[-1], Text) and not children[-1].text.strip(" \t\r\n"):
                trail.insert(0, children.pop())
            if children and isinstance(children[0], Text):
                text = children[0].text
                stripped = text.lstrip(" \t\r\n")
                if stripped != text:
                    lead.append(Text(text[: len(text) - len(stripped)]))
                    children[0] = Text(stripped)
            if children and isinstance(children[-1], Text):
                text = children[-1].text
                stripped = text.rstrip(" \t\r\n")
                if stripped != text:
                    trail.insert(0, Text(text[len(stripped):]))
                    children[-1] = Text(stripped)
            out.extend(lead)
            if children:
                out.append(with_children(node, children))
            out.extend(trail)
        else:
            out.append(node)
    return out


def collapse(runs: list[Inline], after_space: list[bool]) -> list[Inline]:
    """Collapse white space runs across node boundaries; `after_space` is shared state."""
    out: list[Inline] = []
    for node in runs:
        if isinstance(node, Text):
            text = SPACE_RE.sub(" ", node.text)
            if after_space[0] and text.startswith(" "):
                text = text[1:]
            if text:
                after_space[0] = text.endswith(" ")
                out.append(Text(text))
        elif isinstance(node, NoteRef):
            after_space[0] = False
            out.append(node)
        else:
            children = collapse(node.children, after_space)
            if children:
                out.append(with_children(node, children))
    return out


def merge(runs: list[Inline]) -> list[Inline]:
    """Join neighbouring texts, and neighbouring spans of the same markup (links: same target)."""
    out: list[Inline] = []
    for node in runs:
        if isinstance(node, (Emphasis, Strong, Link)):
            node = with_children(node, merge(node.children))
        prev = out[-1] if out else None
        if isinstance(node, Text) and isinstance(prev, Text):
            out[-1] = Text(prev.text + node.text)
        elif (isinstance(node, (Emphasis, Strong)) and type(prev) is type(node)) or (
                isinstance(node, Link) and isinstance(prev, Link) and prev.href == node.href):
            out[-1] = with_children(node, merge(prev.children + node.children))
        else:
            out.append(node)
    return out


def trim(runs: list[Inline]) -> list[Inline]:
    """Strip the white space at both ends of a block's content."""
    while runs and isinstance(runs[0], Text) and not runs[0].text.strip(" "):
        runs = runs[1:]
    while runs and isinstance(runs[-1], Text) and not runs[-1].text.strip(" "):
        runs = runs[:-1]
    if runs and isinstance(runs[0], Text):
        runs = [Text(runs[0].text.lstrip(" ")), *runs[1:]]
    if runs and isinstance(runs[-1], Text):
        runs = [*runs[:-1], Text(runs[-1].text.rstrip(" "))]
    return runs
