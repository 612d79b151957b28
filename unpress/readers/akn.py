"""Read an AKN4UN file (the UN's Akoma Ntoso profile) into the document model.

The XML is treated as untrusted: lxml parses it without resolving entities,
without network access and with its size limits on; a DOCTYPE is refused.

Where things come from:

- front matter: the cover page (symbol, session, agenda items as written and
  each of their titles, date of issuance, the "[on the report of ...]" line),
  the preface (title, and its number when it differs from the symbol's), the
  conclusions (meeting, date of adoption; else the FRBR adoption date) and the
  presentation's docket number (job number);
- body: every preamble and mainBody in document order (a text adopted inline
  repeats them), and each component of a `documentCollection` (a resolution
  in parts: its letter and title, its text, its own closing).  The preamble's
  formula and containers, then the mainBody paragraphs: `<num>1.</num>` (or
  a number typed in the text, "<p>\t6\t...") makes an operative paragraph, a
  `list` gives its intro text and its points (a `sublist` nests points one
  level deeper), "(a)" labels (in `<num>` or typed at the start of the text)
  make subparagraphs, `part`/`section`/`chapter` (or a bare numeral heading,
  "II") make divisions with their own numbering, bold-only paragraphs and
  `heading`/`subheading` make headings (with the Word style their class
  names), `crossHeading` and `blockList` make preambular text, tables make
  tables.  An element with no place here fails the read, naming it;
- attachments: each "Annex ..." heading starts an annex whose title is the
  run of unnumbered headings that opens it;
- inline: italic spans, bold spans, `<a href>` links (http(s)/mailto only),
  `authorialNote` footnotes numbered in document order; `<eol/>`, tabs and
  line breaks become single spaces.  Other characters (U+00A0, U+2011, ...)
  are kept as they are.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from lxml import etree

from unpress.conservation import repeated_label
from unpress.errors import UnpressError, warn
from unpress.house import LANGUAGES, language_of_frbr
from unpress.i18n import agenda_parts, phrases, read_label
from unpress.model import (
    PUBLISHED_NUMBERING,
    SPANS,
    Annex,
    Block,
    Cell,
    Closing,
    Division,
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
    Superscript,
    Table,
    Text,
    is_chapeau,
    nest_subparagraph,
    numbering_breaks,
    plain_text,
    symbol_session,
    with_children,
)
from unpress.readers.source import ALLOWED_SCHEMES, BIDI_CONTROL, SYMBOL_RE, read_bytes, validated

SPACE_RE = re.compile(r"[ \t\r\n]+")
AKN4UN = "{http://un.org/akn4un}"  # Word's table settings, recorded as attributes of this namespace
JUSTIFICATION = {"Left": "left", "Right": "right", "Center": "center", "Both": "justify"}
VERTICAL_ALIGN = {"top": "top", "center": "middle", "bottom": "bottom"}
WORD_SIDES = {"Top": "top", "Right": "right", "Bottom": "bottom", "Left": "left",
              "InsideHorizontal": "inside-h", "InsideVertical": "inside-v"}
OPERATIVE_NUM_RE = re.compile(r"^(\d+)\s*[.-]$")  # "1." ("1 -" in Arabic)
# a label typed at the start of a paragraph's text: "(a)", "a)", "(أ)", "’1‘", "㈠", then a space
# (or the no-break space Word may join it with: "a)\u00a0Être" of fr 80/162)
TYPED_LABEL_RE = re.compile(r"^(\((?:[a-z]{1,3}|[\u0621-\u064a\u0640 ]{1,6})\)|[a-z]{1,3}\)"
                            r"|[’‘]\d{1,2}[’‘]|[\u3220-\u3229])[ \t\u00a0]+")
# an operative number typed at the start of the text: "2 –" (some Arabic files, tab-separated)
TYPED_NUMBER_RE = re.compile(r"^(\d+) [-\u2013] ")  # tabs are spaces by now
# an operative number typed between tabs in the raw text: "<p>\t6\tUrges" (79/160)
TABBED_NUMBER_RE = re.compile(r"^[ \t\r\n]*(\d{1,3})\.?\t+\.?")
ROMAN_RE = re.compile(r"^[ivxlc]+$")
# the numeral of a division, alone on its heading line: "II", "A", "Part one", "Chapter IV"
NUMERAL_RE = re.compile(r"^(?:(?:Part|Chapter|Section|Title)\s+(?:[A-Z]+|\d+|[a-z]+)|"
                        r"[IVXLC]+|[A-Z])\.?$")
HEADING_STYLE_RE = re.compile(r"^H(?:Ch|\d+)$")
DIVISIONS = ("part", "section", "chapter", "title", "subtitle", "book", "subpart", "subsection")
# elements read as one paragraph of inline text
TEXT_BLOCKS = {"p", "crossHeading", "blockList", "tblock", "longTitle", "docTitle", "span",
               "inline", "a", "i", "b", "sup", "sub", "num", "formula", "signature"}
JOB_NUMBER_RE = re.compile(r"\d{2}-\d{5}")
WHITE = r"[\s\u00a0]*"


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
    components = [first_element(c) for c in elements(first_element(root, "components"), "component")]
    return validated(published(AknReader(path).read(doc, [c for c in components if c is not None]), path),
                     path)


def published(resolution: Resolution, path: str | Path) -> Resolution:
    """An AKN file carries its publisher's numbers: where they break the order (a number
    skipped or typed twice, a point lost from the file), they are set as given, each break
    a warning, rather than refusing the UN's own document (`Meta.numbering`)."""
    for breach in numbering_breaks(resolution):
        warn(path, f"the file's numbering: {breach}; set as published")
        resolution.meta.numbering = PUBLISHED_NUMBERING
    return resolution


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
        self.language = "en"
        self.annex = re.compile(r"^Annex\b")

    def fail(self, message: str, el: etree._Element | None = None) -> UnpressError:
        return UnpressError(self.path, message, el.sourceline if el is not None else None)

    # ----------------------------------------------------------------- document

    def read(self, doc: etree._Element, components: list[etree._Element]) -> Resolution:
        """The whole document: every preamble and body in order, and each component of a collection.

        The UN writes `preamble, mainBody, preamble, mainBody` for a text adopted
        inline or a resolution in parts, and a `documentCollection` whose
        `components` are the resolutions A, B, ... of a resolution in parts.
        """
        resolution = Resolution(meta=self.meta(doc, components))
        resolution.blocks.extend(self.parts(doc, preface_titles=False))
        for component in components:
            resolution.blocks.extend(self.component(component))
        for attachment in elements(first_element(doc, "attachments"), "attachment"):
            resolution.annexes.extend(self.attachment(attachment))
        resolution.footnotes = self.footnotes
        return resolution

    def parts(self, doc: etree._Element, preface_titles: bool) -> list[Block]:
        """The blocks of a document's preface lines, preambles and bodies, in their order."""
        blocks: list[Block] = []
        for part in elements(doc):
            if part.tag == "preface":
                blocks.extend(self.preface(part, with_title=preface_titles))
            elif part.tag == "preamble":
                blocks.extend(self.preamble(part))
            elif part.tag in ("mainBody", "body"):
                blocks.extend(self.body(elements(part)))
            elif part.tag not in ("meta", "coverPage", "conclusions", "attachments",
                                  "collectionBody", "components"):
                raise self.fail(f"<{part.tag}> cannot be placed in a resolution", part)
        return blocks

    def preface(self, preface: etree._Element, with_title: bool) -> list[Block]:
        """A preface's lines as divisions: a component's letter and title ("A", "Budget
        appropriations for 2025"), or a part's letter and its note ("B"¹) under the title.

        The line with the resolution's own title (`with_title` false) is the
        masthead's title line, read in `meta`.
        """
        blocks: list[Block] = []
        for line in elements(preface):
            if not with_title and find(line, "docTitle") is not None:
                continue
            num: list[Inline] = []
            heading: list[list[Inline]] = []
            for child in elements(line):
                if child.tag == "docTitle":
                    heading.append(self.inlines(child))
                elif child.tag == "docNumber":
                    num.extend(self.inlines(child))
                elif child.tag == "authorialNote":
                    (heading[-1] if heading else num).extend(self.inline(child))
                else:
                    raise self.fail(f"<{child.tag}> cannot be placed in a preface line", child)
            if num or heading:
                blocks.append(Division(normalise(num), heading, level=1, kind="resolution"))
        return blocks

    def component(self, statement: etree._Element) -> list[Block]:
        """One resolution of a resolution in parts: its letter and title, text and closing."""
        blocks = self.parts(statement, preface_titles=True)
        conclusions = first_element(statement, "conclusions")
        if conclusions is not None:
            lines = (closing_meeting(conclusions), text_of(find(conclusions, "docDate")))
            blocks.append(Closing([[Text(line)] for line in lines if line]))
        return blocks

    def meta(self, doc: etree._Element, components: list[etree._Element]) -> Meta:
        cover = first_element(doc, "coverPage")
        preface = first_element(doc, "preface")
        own_meta = first_element(doc, "meta")
        conclusions = first_element(doc, "conclusions")

        frbr = find(own_meta, "FRBRlanguage")
        if frbr is None:  # a multi-part file names its language in each of its <components>
            frbr = next(doc.getroottree().iter("FRBRlanguage"), None)
        language = language_of_frbr(frbr.get("language") if frbr is not None else None)
        if language is None:
            assert frbr is not None
            raise self.fail(f"this AKN4UN file is in '{frbr.get('language')}', which is not laid out; "
                            "the languages are " + ", ".join(entry.frbr for entry in LANGUAGES.values()),
                            frbr)
        self.language = language.code
        # an "Annex ..." heading in the document's language opens an annex
        self.annex = re.compile(rf"^{re.escape(language.annex[0])}(?![a-zé])")
        symbol = text_of(find(cover, "docNumber"))
        if not symbol:
            raise self.fail("no resolution symbol: the coverPage has no <docNumber>", cover)
        if not SYMBOL_RE.match(symbol):
            raise self.fail(f"'{symbol}' is not a General Assembly resolution symbol",
                            find(cover, "docNumber"))
        title = text_of(find(preface, "docTitle"))
        printed = text_of(find(preface, "docNumber")).rstrip(".")
        if not title:
            raise self.fail("no title: the preface has no <docTitle>", preface)
        values: dict[str, Any] = {"symbol": symbol, "title": title,
                                     "edition": "current", "language": language.code}
        if printed and printed != symbol.split("/RES/", 1)[-1]:
            values["title_number"] = printed

        session = find(cover, "session")
        if session is not None and session.get("value") is not None:
            number = session.get("value", "").strip()
            if not re.fullmatch(r"[0-9]{1,3}", number):
                raise self.fail(f"<session value={number!r}> is not a session number (1 to 999)",
                                session)
            values["session"] = int(number)
            if (session_of_symbol := symbol_session(symbol)) not in (None, int(number)):
                # the UN's file contradicting itself (es 80/192 "Octogésimo noveno"): the symbol
                # names the document, so its session is the one set
                warn(self.path, f"<session value={number!r}> contradicts the symbol {symbol}: set as "
                     f"session {session_of_symbol}", session.sourceline)
                values["session"] = session_of_symbol
        agenda_titles = []
        for inline in (cover.iter("inline") if cover is not None else []):
            name = inline.get("name")
            if name == "agenda item" and "agenda_item" not in values:
                # the element's text, as printed ("13 and 117", "99 (ه ه)") when it reads as items
                item = squeeze(re.sub(r"^\D*", "", text_of(inline)))
                if not agenda_parts(item):  # "22 a) de l’ordre du jour": the title, and its letter
                    item = (inline.get("title") or "").strip() or item
                    # a title without the item's letter, which the line has: "99" of "البند 99 (ه ه)"
                    lettered = re.search(re.escape(item) + r"[\s\u00a0]*(\([^()\d]{1,5}\)|[a-z]{1,3}\))",
                                         text_of(inline))
                    if lettered and not re.search(r"\D", item):
                        item = f"{item} {lettered.group(1)}"
                if item:
                    values["agenda_item"] = squeeze(item)
            elif name == "agenda item name" and text_of(inline):
                agenda_titles.append(text_of(inline))
        if agenda_titles:
            values["agenda_title"] = "\n".join(agenda_titles)

        concluded = [first_element(component, "conclusions") for component in components]
        conclusions = conclusions if conclusions is not None else next(
            (c for c in reversed(concluded) if c is not None), None)
        if not components:  # a collection closes each of its resolutions, not itself
            meeting = closing_meeting(conclusions)
            if meeting:
                values["meeting"] = meeting
        # the conclusions' date is the one printed (an FRBR adoption date can be wrong: 76/254)
        when = find(conclusions, "docDate")
        adopted = parse_date(when.get("date") if when is not None else None)
        # a multi-part file dates each of its <components> (its own <meta> is empty)
        dated = own_meta if own_meta is not None and find(own_meta, "FRBRdate") is not None \
            else doc.getroottree().getroot()
        for frbr in dated.iter("FRBRdate"):
            if adopted is None and frbr.get("name") == "adoption":
                adopted = parse_date(frbr.get("date"))
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
        """`[on the report of the X Committee (A/..., para. n)]` or `[without reference ...]`,
        read against the wording of the document's language (`i18n.Phrases`)."""
        words = phrases(self.language)
        whole = text_of(el)
        if match := wording(words.no_committee).match(whole):
            return {"draft": squeeze(match.group("draft"))} if match.group("draft").strip() else {}
        for template in (*dict(words.report_by_committee).values(), words.report):
            if match := wording(template).match(whole):
                out = {"committee": squeeze(match.group("committee"))}
                if match.group("report").strip():
                    out["report"] = squeeze(match.group("report"))
                return out
        return {}

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
        """A block outside numbered paragraphs; an element with no place here fails the read."""
        if el.tag == "table":
            return [self.table(el)]
        if el.tag in ("container", "blockContainer", "content", "intro", "wrapUp", "div",
                      "blockList"):
            return self.loose(el)
        if el.tag == "item":
            return [self.item(el)]
        if el.tag in ("listIntroduction", "listWrapUp"):
            return self.paragraph_of(el)
        if el.tag in ("heading", "subheading"):
            return self.heading(el)
        if el.tag not in TEXT_BLOCKS:
            raise self.fail(f"<{el.tag}> cannot be placed here (in <{el.getparent().tag}>); "
                            "nothing was written", el)
        return self.paragraph_of(el)

    def item(self, el: etree._Element) -> Block:
        """An item of a `blockList`: "(i)" and its text."""
        num = text_of(first_element(el, "num"))
        label = read_label(num) if num else None
        parts = [c for c in elements(el) if c.tag != "num"]
        content = normalise([node for part in parts for node in [Text(" "), *self.inlines(part)]])
        if label:
            return Subparagraph(label[0], content)
        return Paragraph(normalise([Text(num + " "), *content]) if num else content)

    def paragraph_of(self, el: etree._Element) -> list[Block]:
        content = self.inlines(el)
        return [Paragraph(content)] if content else []

    def heading(self, el: etree._Element, level: int = 1) -> list[Block]:
        """A heading in a body: a bare numeral ("II") opens a division, its title follows."""
        text = text_of(el)
        if NUMERAL_RE.match(text):
            return [Division([Text(text)], [], level=level)]
        content = self.inlines(el)
        return [Heading(content, level=1 if el.tag == "heading" else 2)] if content else []

    def division(self, el: etree._Element, builder: BodyBuilder, level: int) -> None:
        """A `<part>`, `<section>` or `<chapter>`: its numeral and heading lines, then its text."""
        num = text_of(first_element(el, "num"))
        children = [c for c in elements(el) if c.tag != "num"]
        heading: list[list[Inline]] = []
        while children and children[0].tag in ("heading", "subheading"):
            line = children.pop(0)
            if not num and not heading and NUMERAL_RE.match(text_of(line)):
                num = text_of(line)
            elif content := self.inlines(line):
                heading.append(content)
        builder.add(Division([Text(num)] if num else [], heading, level=level, kind=el.tag))
        for child in children:
            if child.tag in DIVISIONS:
                self.division(child, builder, level + 1)
            else:
                self.body_item(child, builder)

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
        if el.tag in DIVISIONS:
            self.division(el, builder, level=1)
            return
        if el.tag not in ("paragraph", "point", "subparagraph", "clause",
                          "article", "hcontainer", "level", "alinea"):
            for block in self.loose_one(el):
                builder.add(block)
            return
        num = text_of(first_element(el, "num"))
        last = builder.blocks[-1] if builder.blocks else None
        if isinstance(last, Table) and not num and (el.get("class") or "").startswith("FootnoteText"):
            last.notes.append(self.paragraphs_inlines(el))  # Word's note style, under a table: its note
            return
        heading = first_element(el, "heading", "subheading")
        if heading is not None and num and not OPERATIVE_NUM_RE.match(num):
            # "(a) Transport", "I. Organization of work": the number on the heading's line, once
            label = [] if repeated_label(first_element(el, "num")) else [Text(num + " ")]  # 76/258
            builder.add(Heading(normalise([*label, *self.inlines(heading)]),
                                level=1 if heading.tag == "heading" else 2, style=word_style(el)))
            num = ""
        elif heading is not None:  # a heading over a numbered paragraph keeps the number for it
            builder.add(Heading(self.inlines(heading), level=1 if heading.tag == "heading" else 2,
                                style=word_style(el)))
        for child in elements(el):
            if child.tag in ("num", "heading", "subheading"):
                continue
            if child.tag == "content":
                self.numbered(num, elements(child) or [child], builder)
                num = ""
            elif child.tag == "list":
                intro = first_element(child, "intro")
                # "(e) ... including:" (79/93): its points (i) to (iv) go under (e), not beside it
                depth = self.numbered(num, elements(intro) if intro is not None else [], builder)
                num = ""
                self.points(child, builder, level=(depth or 0) + 1)
            elif child.tag in ("paragraph", "point", "subparagraph"):
                self.body_item(child, builder)
            else:
                for block in self.loose_one(child):
                    builder.add(block)
        if num:
            builder.add(Paragraph([Text(num)]))

    def numbered(self, num: str, parts: list[etree._Element], builder: BodyBuilder,
                 level: int | None = None) -> int | None:
        """The first paragraph of `parts` carries the number; later ones stand alone.  The
        first's subparagraph level, as `head_block` gives it."""
        first = True
        depth: int | None = None
        for part in parts:
            if part.tag == "table":
                builder.add(self.table(part))
                continue
            if not num and heading_only(part) is not None:  # <p><subheading>I</subheading></p>
                for block in self.heading(heading_only(part)):
                    builder.add(block)
                continue
            typed = TABBED_NUMBER_RE.match(part.text or "") if first and not num and level is None \
                else None
            if typed:  # "<p>\t6\tUrges": the number typed in the text, not in <num>
                num = typed.group(1) + "."
                runs = self.runs(part)
                content = normalise([Text(part.text[typed.end():]), *runs[1:]])
            else:
                content = self.inlines(part)
            if first:
                first = False
                depth = self.head_block(num, content, builder, level)
            elif content:
                builder.add(Paragraph(content))
        return self.head_block(num, [], builder, level) if first else depth

    def head_block(self, num: str, content: list[Inline], builder: BodyBuilder,
                   level: int | None) -> int | None:
        """Place the block a paragraph opens with; its subparagraph level (None when it is no
        subparagraph), since a list it introduces holds its points, one level deeper."""
        operative = OPERATIVE_NUM_RE.match(num)
        label = read_label(num) if num else None
        if operative and (level is not None or builder.quotes(int(operative.group(1)))):
            # "1. Opening of the Congress." in a list (78/223's agenda), "4. In hearing ..." after
            # "Article 9, new paragraph 4:" (78/248): a numbered item quoted, not an operative one
            return builder.subparagraph(Subparagraph(num, content), 2)
        elif operative and builder.lists(int(operative.group(1))):
            return builder.subparagraph(Subparagraph(num, content), 1)
        elif operative:
            builder.add(Operative(int(operative.group(1)), content))
        elif label:
            # the form says the level where it can ("’1‘", "㈠"): a list may open on romans
            return builder.subparagraph(Subparagraph(label[0], content), label[1] or level)
        elif num:
            builder.add(Paragraph(normalise([Text(num + " "), *content])))
        elif typed_number := typed_operative(part_text(content)):
            number, after_number = typed_number
            builder.add(Operative(number, normalise([Text(after_number), *content[1:]])))
        elif typed := typed_label(content):
            (label_text, depth), rest = typed
            return builder.subparagraph(Subparagraph(label_text, rest), level or depth)
        elif len(content) == 1 and isinstance(content[0], Strong):
            builder.add(Heading(content[0].children, level=1))
        elif content:
            builder.add(Paragraph(content))
        return None

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
                        depth = self.numbered(num, elements(intro) if intro is not None else [],
                                              builder, level)
                        num = ""
                        self.points(part, builder, (depth or level) + 1)
                if num:
                    builder.add(Paragraph([Text(num)]))
            elif child.tag in ("sublist", "list"):
                self.points(child, builder, level + 1)
            elif child.tag in ("wrapUp", "intro") and child is not first_element(el, "intro"):
                for block in self.loose(child):
                    builder.add(block)

    def table(self, el: etree._Element) -> Table:
        """A table: rows of cells as Word set them; empty rows are dropped; a leading `th` row is
        the header."""
        rows: list[list[Cell]] = []
        header_rows = 0
        for tr in el.iter("tr"):
            cells = [self.cell(cell) for cell in elements(tr, "td", "th")]
            if not any(cell.content for cell in cells):
                continue
            if len(rows) == header_rows and all(cell.tag == "th" for cell in elements(tr, "td", "th")):
                header_rows += 1
            rows.append(cells)
        filled = grid_widths(rows)
        for row, used in zip(rows, filled, strict=True):
            row.extend(Cell([]) for _ in range(max(filled, default=0) - used))
        recorded = any(part.get(AKN4UN + name) is not None for part in el.iter("table", "td", "th")
                       for name in ("data-borders-info", "data-width-type"))  # Word's layout
        return Table(rows, header_rows, width=word_width(el), frame=word_rules(el), as_set=recorded)

    def cell(self, el: etree._Element) -> Cell:
        """One cell, with the justification, width, rules and spans Word recorded for it."""
        content = self.paragraphs_inlines(el) if elements(el) else self.inlines(el)
        first = el.find("p")
        typed = "".join((first if first is not None else el).itertext())
        return Cell(content, align=JUSTIFICATION.get(el.get(AKN4UN + "data-justification", "")),
                    valign=VERTICAL_ALIGN.get(el.get(AKN4UN + "data-vertical-align", "")),
                    width=word_width(el), rules=word_rules(el),
                    colspan=span(el.get("colspan")), rowspan=span(el.get("rowspan")),
                    indent=typed[:len(typed) - len(typed.lstrip())].count("\t"))

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
        groups: list[tuple[list[list[Inline]], list[str | None], list[etree._Element]]] = []
        for el in items:
            title = self.title_line(el)
            current = groups[-1] if groups else None
            opens = title is not None and (current is None or (
                current[2] and self.annex.match(plain_text(title, note_numbers=False))))
            if opens and title is not None:
                groups.append(([title], [word_style(el)], []))
            elif title is not None and current is not None and not current[2]:
                current[0].append(title)
                current[1].append(word_style(el))
            elif current is None:
                groups.append(([], [], [el]))
            else:
                current[2].append(el)
        return [Annex(title=title, blocks=self.body(body), title_styles=styles if any(styles) else [])
                for title, styles, body in groups]

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
            self.footnotes[number - 1].content = without_typed_marker(self.paragraphs_inlines(el))
            return [NoteRef(number)]
        if tag in ("eol", "br", "eop"):
            return [Text(" ")]
        if tag == "noteRef":  # a second call to a note already given
            marker = el.get("marker", "")
            known = marker.isdigit() and 0 < int(marker) <= len(self.footnotes)
            return [NoteRef(int(marker), again=True)] if known else []
        if tag == "img":
            return []
        if tag == "sup" and text_of(el) in ("(", ")"):  # Arabic calls typed "(1)": the call is ours
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
        if tag == "sup":
            return [Superscript(children)]
        if tag == "p":
            return [Text(" "), *children, Text(" ")]
        return children


def word_width(el: etree._Element) -> int | None:
    """A table's or cell's width in dxa ("8612-dxa"); None for Word's "auto" and percentages."""
    kind = el.get(AKN4UN + "data-width-type", "")
    number, _, unit = kind.partition("-")
    return int(number) if unit == "dxa" and number.isdigit() and int(number) > 0 else None


def word_rules(el: etree._Element) -> dict[str, float]:
    """The sides Word draws a rule on, with its weight in points (Word's sizes are eighths).

    "none" and "nil" are no rule, and a side not named inherits the table's:
    only the rules drawn are kept.  A value that is not Word's JSON is no rule.
    """
    try:
        sides = json.loads(el.get(AKN4UN + "data-borders-info") or "{}")
    except ValueError:
        return {}
    rules: dict[str, float] = {}
    for side, border in (sides.items() if isinstance(sides, dict) else ()):
        if side in WORD_SIDES and isinstance(border, dict) and border.get("Style") not in (
                None, "none", "nil") and isinstance(border.get("Size"), (int, float)):
            rules[WORD_SIDES[side]] = max(float(border["Size"]) / 8, 0.25)
    return rules


def grid_widths(rows: list[list[Cell]]) -> list[int]:
    """How many grid columns each row fills: its cells' spans and the cells above reaching down."""
    filled: list[int] = []
    reaching: list[tuple[int, int]] = []  # (columns, rows still covered) of the cells above
    for row in rows:
        filled.append(sum(columns for columns, _ in reaching) + sum(cell.colspan for cell in row))
        reaching = [(columns, left - 1) for columns, left in reaching if left > 1] + [
            (cell.colspan, cell.rowspan - 1) for cell in row if cell.rowspan > 1]
    return filled


def span(value: str | None) -> int:
    """A colspan or rowspan: a small positive count, 1 when absent or not a number."""
    return min(int(value), 64) if value and value.isdigit() and int(value) > 0 else 1


def word_style(el: etree._Element) -> str | None:
    """The Word heading style the UN's class names ("HCh", "H1", "H23", "H4"), if any."""
    style = (el.get("class") or "").strip()
    return style if HEADING_STYLE_RE.match(style) else None


def heading_only(el: etree._Element) -> etree._Element | None:
    """The heading a paragraph holds and nothing else (77/118: `<p><subheading>I</subheading></p>`)."""
    children = elements(el)
    if len(children) != 1 or children[0].tag not in ("heading", "subheading"):
        return None
    if squeeze(el.text or "") or squeeze(children[0].tail or ""):
        return None
    return children[0]


def closing_meeting(conclusions: etree._Element | None) -> str:
    """The meeting line of a closing block: its text without the date."""
    if conclusions is None:
        return ""
    date_text = text_of(find(conclusions, "docDate"))
    whole = text_of(conclusions)
    return squeeze(whole[: len(whole) - len(date_text)] if date_text and whole.endswith(date_text)
                   else whole.replace(date_text, ""))


def typed_label(content: list[Inline]) -> tuple[tuple[str, int | None], list[Inline]] | None:
    """A "(a)<tab>" label typed at the start of a paragraph's text (in any language's form)."""
    if not content or not isinstance(content[0], Text):
        return None
    match = TYPED_LABEL_RE.match(content[0].text)
    label = read_label(match.group(1)) if match else None
    if not match or label is None:
        return None
    rest = content[0].text[match.end():]
    return label, normalise(([Text(rest)] if rest else []) + content[1:])


def without_typed_marker(content: list[Inline]) -> list[Inline]:
    """A note's text without the "()" the Arabic files type where Word puts the note's number."""
    if content and isinstance(content[0], Text) and content[0].text.startswith("()"):
        return normalise([Text(content[0].text[2:]), *content[1:]])
    return content


def part_text(content: list[Inline]) -> str:
    """The text a paragraph opens with (before its first markup), "" if it opens with markup."""
    return content[0].text if content and isinstance(content[0], Text) else ""


def typed_operative(text: str) -> tuple[int, str] | None:
    """An operative number typed at the start of a paragraph, and the text after it."""
    match = TYPED_NUMBER_RE.match(text)
    return (int(match.group(1)), text[match.end():]) if match else None


def wording(template: str) -> re.Pattern[str]:
    """A generated line's template as a pattern: its fields are groups, its spaces any white space."""
    pattern = re.escape(template).replace(r"\ ", WHITE).replace(" ", WHITE)
    for field, group in (("committee", ".*"), ("report", ".*?"), ("draft", ".*?")):  # the committee
        pattern = pattern.replace(re.escape("{" + field + "}"), f"(?P<{field}>{group})")  # may hold "("
    return re.compile(WHITE + pattern + WHITE + "$", re.S)


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

    def quotes(self, number: int) -> bool:
        """Whether an operative number out of sequence, after a paragraph ending with a colon,
        numbers a quoted paragraph (an amendment's text) rather than the resolution's next one."""
        operatives = [block.number for block in self.blocks if isinstance(block, Operative)]
        last = self.blocks[-1] if self.blocks else None
        return bool(operatives) and number not in (1, operatives[-1] + 1) \
            and isinstance(last, Paragraph) and is_chapeau(last.content)

    def lists(self, number: int) -> bool:
        """Whether "1.", "2." ... after an operative paragraph ending with a colon number the
        items of its list (79/1 paragraph 7, "... the following objectives:" and its objectives
        1 to 5, then paragraph 8) rather than operative paragraphs: the first is 1, each next
        one follows the item before, and none is the operative number that comes next."""
        last = self.blocks[-1] if self.blocks else None
        if not isinstance(last, Operative) or number == last.number + 1:
            return False
        if not last.children:
            return number == 1 and is_chapeau(last.content)
        item = last.children[-1]
        return item.label == f"{number - 1}." and all(sub.label.endswith(".") for sub in last.children)

    def add(self, block: Block) -> None:
        """Add a block; a heading right after a bare numeral is that division's title."""
        if isinstance(block, (Operative, Heading, Division)):
            self.last_letter = None
        last = self.blocks[-1] if self.blocks else None
        if isinstance(block, Heading) and isinstance(last, Division) and not last.heading:
            last.heading.append(block.content)
            return
        self.blocks.append(block)

    def subparagraph(self, sub: Subparagraph, level: int | None) -> int:
        """Nest `sub` at `level` (None: the one its label reads as); the level, for its own list."""
        if level is None:
            level = label_level(sub.label, self.last_letter)
        if level == 1:
            self.last_letter = sub.label
        nest_subparagraph(self.blocks, sub, level, strict=False)
        return level


# ------------------------------------------------------------- normalisation

def normalise(runs: list[Inline]) -> list[Inline]:
    """Collapse white space, keep it outside markup, drop empty markup, merge neighbours."""
    hoisted = hoist(without_stray_pops(runs))
    collapsed = collapse(hoisted, [True])
    return trim(merge(collapsed))


BIDI_PUSH = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c", "\u202e": "\u202c",
             "\u2066": "\u2069", "\u2067": "\u2069", "\u2068": "\u2069"}


def without_stray_pops(runs: list[Inline]) -> list[Inline]:
    """A block's text without the bidi pops (U+202C, U+2069) that close nothing: the bidi algorithm
    ignores them (UAX #9, X6a-X7), so dropping them changes nothing printed.  Word leaves one at
    the end of a paragraph (80/128 and 80/217 in Arabic); any other bidi control stays, for the
    model's invariant to refuse."""
    opened: list[str] = []

    def strip(text: str) -> str:
        kept = []
        for char in text:
            if char in BIDI_PUSH:
                opened.append(BIDI_PUSH[char])
            elif char in ("\u202c", "\u2069"):
                if char not in opened:
                    continue
                del opened[len(opened) - 1 - opened[::-1].index(char):]
            kept.append(char)
        return "".join(kept)

    def walk(nodes: list[Inline]) -> list[Inline]:
        # nearly every text holds no bidi control: nothing to track, nothing to drop, kept as it is
        return [Text(strip(node.text)) if isinstance(node, Text) and BIDI_CONTROL.search(node.text)
                else with_children(node, walk(node.children)) if isinstance(node, SPANS) else node
                for node in nodes]

    return walk(runs)


def hoist(runs: list[Inline]) -> list[Inline]:
    """Move white space at the edges of emphasis, strong and links outside them."""
    out: list[Inline] = []
    for node in runs:
        if isinstance(node, SPANS):
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
        if isinstance(node, SPANS):
            node = with_children(node, merge(node.children))
        prev = out[-1] if out else None
        if isinstance(node, Text) and isinstance(prev, Text):
            out[-1] = Text(prev.text + node.text)
        elif (isinstance(node, (Emphasis, Strong, Superscript)) and type(prev) is type(node)) or (
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
