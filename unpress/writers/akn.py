"""Write the document model as an AKN4UN file (Akoma Ntoso 3.0, the UN's profile).

The output follows the conventions of the UN's own files (tests/fixtures/akn)
and is valid against the strict Akoma Ntoso 3.0 schema:

- `<statement name="resolution">` with FRBR identification
  `/akn/un/statement/deliberation/unga/<date>/<session>-<number>/` (Work),
  `.../eng@/` (Expression) and `.../eng@.xml` (Manifestation); the date is
  the adoption date (else the date of issuance, else 0001-01-01, which the
  reader takes as "unknown");
- coverPage (symbol, session, agenda item and title, date of issuance, the
  "[on the report of ...]" line), preface (docNumber and docTitle);
- preamble: the formula, then one `container` per preambular paragraph;
- mainBody: operative paragraphs (`paragraph` with `num` and `content`, or a
  `list` with its `intro` and `point`s, nested `list`s for deeper points),
  headings as `paragraph`/`heading` (level 1) or `subheading` (level 2),
  tables, loose paragraphs as `p`;
- footnotes as `authorialNote marker="n" placement="bottom"` at their call;
- conclusions: the meeting and the date of adoption;
- attachments: one `doc name="annex"` per annex, its title lines as headings.

Everything is written from the model; the output depends on nothing else,
so the same model always gives the same bytes.
"""

from __future__ import annotations

import json

from lxml import etree

from unpress import __version__, i18n
from unpress.house import edition_of, language
from unpress.model import (
    Annex,
    Block,
    Closing,
    Division,
    Emphasis,
    Formula,
    Heading,
    Inline,
    Link,
    NoteRef,
    Operative,
    Paragraph,
    Resolution,
    Strong,
    Subparagraph,
    Superscript,
    Table,
    Text,
    plain_text,
)

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
AKN4UN_NS = "http://un.org/akn4un"
UNKNOWN_DATE = "0001-01-01"
NSMAP = {None: AKN_NS, "akn4un": AKN4UN_NS}


def E(tag: str, attrs: dict[str, str] | None = None) -> etree._Element:  # noqa: N802
    """A free-standing AKN element (a part of the document), declaring the namespaces."""
    return filled(etree.Element(f"{{{AKN_NS}}}{tag}", nsmap=NSMAP), attrs)


def sub(parent: etree._Element, tag: str, attrs: dict[str, str] | None = None,
        text: str | None = None) -> etree._Element:
    """A new AKN element at the end of `parent`."""
    return filled(etree.SubElement(parent, f"{{{AKN_NS}}}{tag}"), attrs, text)


def filled(el: etree._Element, attrs: dict[str, str] | None, text: str | None = None) -> etree._Element:
    """`el` with its attributes (in the given order, for stable bytes) and text."""
    for key, value in (attrs or {}).items():
        el.set(key, value)
    if text is not None:
        el.text = text
    return el


def frbr_base(resolution: Resolution) -> str:
    """`/akn/un/statement/deliberation/unga/2003-12-23/58-208/`."""
    number = resolution.meta.number.replace("/", "-")
    return f"/akn/un/statement/deliberation/unga/{work_date(resolution)}/{number}/"


def work_date(resolution: Resolution) -> str:
    """The date that names the Work: adoption, else issuance, else the "unknown" placeholder."""
    meta = resolution.meta
    found = meta.adopted or meta.distributed
    return found.isoformat() if found else UNKNOWN_DATE


def write_akn(resolution: Resolution) -> str:
    """The AKN4UN XML of a resolution, as text (UTF-8, with an XML declaration)."""
    root = AknWriter(resolution).document()
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True,
                          pretty_print=True).decode("utf-8")


class AknWriter:
    """One document's writing: eIds are numbered per prefix in document order."""

    def __init__(self, resolution: Resolution) -> None:
        self.resolution = resolution
        self.meta = resolution.meta
        self.notes = {note.number: note for note in resolution.footnotes}
        self.written_notes: set[int] = set()
        self.counters: dict[str, int] = {}

    def eid(self, prefix: str) -> str:
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{prefix}_{self.counters[prefix]}"

    # -------------------------------------------------------------- document

    def document(self) -> etree._Element:
        root = E("akomaNtoso")
        statement = sub(root, "statement", {"name": "resolution"})
        statement.append(self.identification_meta("!main", with_references=True))
        statement.append(self.cover_page())
        statement.append(self.preface())
        preamble, body = self.split(self.resolution.blocks)
        if preamble:
            statement.append(self.preamble(preamble))
        main = sub(statement, "mainBody")
        self.body(main, body)
        if self.meta.meeting or self.meta.adopted:
            statement.append(self.conclusions())
        if self.resolution.annexes:
            attachments = sub(statement, "attachments")
            for index, annex in enumerate(self.resolution.annexes, 1):
                attachment = sub(attachments, "attachment")
                attachment.append(self.annex(annex, index))
        return root

    @staticmethod
    def split(blocks: list[Block]) -> tuple[list[Block], list[Block]]:
        """The preamble runs from the formula to the first operative paragraph or heading.

        A text with no operative paragraph keeps only its formula in the preamble:
        the mainBody must not be empty.
        """
        for index, block in enumerate(blocks):
            if not isinstance(block, (Formula, Paragraph, Table)):
                return blocks[:index], blocks[index:]
        index = 0
        while index < len(blocks) and isinstance(blocks[index], Formula):
            index += 1
        return blocks[:index], blocks[index:]

    def identification_meta(self, component: str, with_references: bool = False,
                            ) -> etree._Element:
        base = frbr_base(self.resolution)
        when = work_date(self.resolution)
        published = (self.meta.distributed or self.meta.adopted)
        published_date = published.isoformat() if published else when
        meta = E("meta")
        ident = sub(meta, "identification", {"source": "#unpress"})
        work = sub(ident, "FRBRWork")
        sub(work, "FRBRthis", {"value": f"{base}{component}/"})
        sub(work, "FRBRuri", {"value": base})
        sub(work, "FRBRdate", {"date": when, "name": "adoption"})
        sub(work, "FRBRauthor", {"href": "#ga", "as": "#author"})
        sub(work, "FRBRcountry", {"value": "un"})
        expression = sub(ident, "FRBRExpression")
        frbr = language(self.meta.language).frbr  # "eng", "fra", "ara"...: the expression's language
        sub(expression, "FRBRthis", {"value": f"{base}{frbr}@/{component}"})
        sub(expression, "FRBRuri", {"value": f"{base}{frbr}@/"})
        sub(expression, "FRBRdate", {"date": published_date, "name": "publication"})
        sub(expression, "FRBRauthor", {"href": "#ga", "as": "#issuer"})
        sub(expression, "FRBRlanguage", {"language": frbr})
        manifestation = sub(ident, "FRBRManifestation")
        sub(manifestation, "FRBRthis", {"value": f"{base}{frbr}@/{component}.xml"})
        sub(manifestation, "FRBRuri", {"value": f"{base}{frbr}@.xml"})
        sub(manifestation, "FRBRdate", {"date": published_date, "name": "markup"})
        sub(manifestation, "FRBRauthor", {"href": "#unpress", "as": "#editor"})
        if with_references:
            references = sub(meta, "references", {"source": "#unpress"})
            sub(references, "TLCOrganization", {"eId": "unpress",
                                                "href": "/akn/ontology/organization/unpress",
                                                "showAs": f"unpress {__version__}"})
            sub(references, "TLCOrganization", {"eId": "ga",
                                                "href": "/akn/ontology/organization/un/generalAssembly",
                                                "showAs": "General Assembly"})
            sub(references, "TLCRole", {"eId": "author", "href": "/akn/ontology/role/un/author",
                                        "showAs": "Author"})
            sub(references, "TLCRole", {"eId": "issuer", "href": "/akn/ontology/role/un/issuer",
                                        "showAs": "Issuer"})
            sub(references, "TLCRole", {"eId": "editor", "href": "/akn/ontology/role/un/editor",
                                        "showAs": "Editor"})
            sub(references, "TLCConcept", {"eId": "dateOfIssuance",
                                           "href": "/akn/ontology/concept/un/dateOfIssuance",
                                           "showAs": "Date of issuance"})
            sub(references, "TLCConcept", {"eId": "dateOfAdoption",
                                           "href": "/akn/ontology/concept/un/dateOfAdoption",
                                           "showAs": "Date of adoption"})
        if self.meta.job_number and with_references:
            # As in the UN's files: the job number sits in the presentation, under
            # an element of the AKN4UN namespace.
            presentation = sub(meta, "presentation", {"source": "#unpress"})
            code = etree.SubElement(presentation, f"{{{AKN4UN_NS}}}internalCode",
                                    nsmap={"akn4un": AKN4UN_NS})
            sub(code, "docketNumber", {"refersTo": "#publicationJobNumber"},
                text=self.meta.job_number)
        return meta

    def cover_page(self) -> etree._Element:
        meta = self.meta
        cover = E("coverPage", {"eId": "coverPage_1"})
        words = i18n.phrases(meta.language)
        sub(sub(cover, "p"), "docAuthority", text=words.authority)
        sub(sub(cover, "p", {"class": "upperRight"}), "docNumber", {"refersTo": "#symbol"},
            text=meta.symbol)
        sub(sub(cover, "p"), "docAuthority", {"class": "rightBig"}, text=words.organ)
        sub(sub(cover, "p"), "docStatus", {"class": "rightSmall"}, text=words.distribution)
        if meta.distributed:
            sub(sub(cover, "p"), "docDate", {"date": meta.distributed.isoformat(),
                                             "refersTo": "#dateOfIssuance"},
                text=i18n.masthead_date(meta.distributed, meta.language))
        if meta.session:
            sub(sub(cover, "p"), "session", {"value": str(meta.session)},
                text=i18n.session_line(meta.session, meta.language))
        if meta.agenda_item:
            sub(sub(cover, "p"), "inline", {"name": "agenda item", "title": meta.agenda_item},
                text=i18n.agenda_line(meta.agenda_item, meta.language))
        for line in (meta.agenda_title or "").split("\n"):
            if line.strip():
                sub(sub(cover, "p"), "inline", {"name": "agenda item name"}, text=line)
        heading = i18n.adopted_lines(meta, edition_of(meta).adoption_in_heading)
        sub(sub(cover, "p"), "docTitle", text=("" if meta.language == "zh" else " ").join(heading))
        reference = i18n.reference_line(meta)
        document_symbol = meta.report if meta.committee else meta.draft
        if reference:
            # the originating document, where there is one, is marked up inside the line
            proponent = sub(sub(cover, "p"), "docProponent")
            head, found, tail = reference.partition(f"({document_symbol})") if document_symbol \
                else (reference, "", "")
            proponent.text = head + ("(" if found else "")
            if found:
                sub(proponent, "inline", {"name": "originating document"},
                    text=document_symbol).tail = ")" + tail
        return cover

    def preface(self) -> etree._Element:
        preface = E("preface")
        p = sub(preface, "p")
        sub(p, "docNumber", text=f"{self.meta.number}.")
        sub(p, "docTitle", {"refersTo": "#resolutionTitle"}, text=self.meta.title)
        return preface

    def conclusions(self) -> etree._Element:
        conclusions = E("conclusions", {"eId": "conclusions"})
        p = sub(conclusions, "p")
        if self.meta.meeting:
            sub(p, "location", {"refersTo": "#adoptionMeeting"}, text=self.meta.meeting)
        if self.meta.meeting and self.meta.adopted:
            sub(p, "eol")
        if self.meta.adopted:
            sub(p, "docDate", {"date": self.meta.adopted.isoformat(), "refersTo": "#dateOfAdoption"},
                text=i18n.long_date(self.meta.adopted, self.meta.language))
        return conclusions

    # ---------------------------------------------------------------- blocks

    def preamble(self, blocks: list[Block]) -> etree._Element:
        preamble = E("preamble")
        for block in blocks:
            if isinstance(block, Formula):
                formula = sub(preamble, "formula", {"name": "enactingFormula",
                                                    "eId": self.eid("formula")})
                self.p(formula, block.content)
            elif isinstance(block, Table):
                container = sub(preamble, "container", {"name": "table", "eId": self.eid("container")})
                container.append(self.table(block))
            elif isinstance(block, Paragraph):  # `split` puts nothing else in the preamble
                container = sub(preamble, "container", {"name": container_name(block.content),
                                                        "eId": self.eid("container")})
                self.p(container, block.content)
        return preamble

    def body(self, parent: etree._Element, blocks: list[Block], in_annex: bool = False) -> None:
        for block in blocks:
            if isinstance(block, Operative):
                self.operative(parent, block)
            elif isinstance(block, Subparagraph):
                self.loose_points(parent, block)
            elif isinstance(block, Heading):
                # In an annex a heading right after the title would read as one more
                # title line: there, headings are written as `hcontainer`s.
                paragraph = (sub(parent, "hcontainer", {"name": "heading", "eId": self.eid("hcontainer")})
                             if in_annex else sub(parent, "paragraph", {"eId": self.eid("para")}))
                tag = "heading" if block.level <= 1 else "subheading"
                self.inlines(sub(paragraph, tag), block.content)
            elif isinstance(block, Table):
                parent.append(self.table(block))
                self.table_notes(parent, block)
            elif isinstance(block, Division):
                self.division(parent, block)
            elif isinstance(block, Closing):
                for line in block.lines:
                    self.p(parent, line)
            else:  # Formula or Paragraph
                self.p(parent, block.content)

    def division(self, parent: etree._Element, block: Division) -> None:
        """A division's numeral and heading lines: AKN allows one heading and one subheading."""
        paragraph = sub(parent, "paragraph", {"eId": self.eid("para")})
        if block.num:
            self.inlines(sub(paragraph, "num"), block.num)
        for tag, lines in (("heading", block.heading[:1]), ("subheading", block.heading[1:])):
            if lines:
                joined: list[Inline] = []
                for line in lines:
                    joined.extend([Text(" ")] * bool(joined) + line)
                self.inlines(sub(paragraph, tag), joined)

    def operative(self, parent: etree._Element, block: Operative) -> None:
        paragraph = sub(parent, "paragraph", {"eId": self.eid("para")})
        sub(paragraph, "num", text=i18n.paragraph_number(block.number, self.meta.language))
        self.content_or_list(paragraph, block.content, block.children)

    def point(self, parent: etree._Element, block: Subparagraph) -> None:
        point = sub(parent, "point", {"eId": self.eid("point")})
        sub(point, "num", text=i18n.point_label(block.label, self.meta.language, block.letter))
        self.content_or_list(point, block.content, block.children)

    def loose_points(self, parent: etree._Element, block: Subparagraph) -> None:
        """A point outside an operative paragraph, then its own points beside it.

        Readers nest such points by their labels ("(i)" under "(a)"), as they
        do in the UN's files, where loose points stand one after the other.
        """
        point = sub(parent, "point", {"eId": self.eid("point")})
        sub(point, "num", text=i18n.point_label(block.label, self.meta.language, block.letter))
        self.p(sub(point, "content", {"eId": self.eid("content")}), block.content)
        for child in block.children:
            self.loose_points(parent, child)

    def content_or_list(self, parent: etree._Element, content: list[Inline],
                        children: list[Subparagraph]) -> None:
        if not children:
            self.p(sub(parent, "content", {"eId": self.eid("content")}), content)
            return
        items = sub(parent, "list", {"eId": self.eid("list")})
        if content:
            self.p(sub(items, "intro", {"eId": self.eid("intro")}), content)
        for child in children:
            self.point(items, child)

    def table(self, block: Table) -> etree._Element:
        """A table with Word's settings as the UN records them (akn4un:data-*), when it has them."""
        settings = word_settings(block.width, block.frame, block.as_set)
        table = E("table", {"eId": self.eid("table"), **settings})
        for index, row in enumerate(block.rows):
            tr = sub(table, "tr")
            tag = "th" if index < block.header_rows else "td"
            for cell in row:
                settings = word_settings(cell.width, cell.rules)
                if cell.align:
                    settings[f"{{{AKN4UN_NS}}}data-justification"] = WORD_JUSTIFICATION[cell.align]
                if cell.valign:
                    settings[f"{{{AKN4UN_NS}}}data-vertical-align"] = WORD_VERTICAL_ALIGN[cell.valign]
                settings |= {name: str(count) for name, count in
                             (("colspan", cell.colspan), ("rowspan", cell.rowspan)) if count > 1}
                self.p(sub(tr, tag, settings), [Text("\t" * cell.indent), *cell.content])
        return table

    def table_notes(self, parent: etree._Element, block: Table) -> None:
        """A table's notes, after it, in Word's note style (the reader's sign of a table note)."""
        for note in block.notes:
            paragraph = sub(parent, "paragraph", {"eId": self.eid("para"), "class": "FootnoteText"})
            self.p(sub(paragraph, "content", {"eId": self.eid("content")}), note)

    def annex(self, annex: Annex, index: int) -> etree._Element:
        doc = E("doc", {"name": "annex"})
        doc.append(self.identification_meta(f"!main/annex_{index}"))
        main = sub(doc, "mainBody")
        for line in annex.title:
            paragraph = sub(main, "paragraph", {"eId": self.eid("para")})
            self.inlines(sub(paragraph, "heading"), line)
        self.body(main, annex.blocks, in_annex=True)
        return doc

    # ---------------------------------------------------------------- inline

    def p(self, parent: etree._Element, content: list[Inline]) -> etree._Element:
        p = sub(parent, "p")
        self.inlines(p, content)
        return p

    def inlines(self, parent: etree._Element, nodes: list[Inline]) -> None:
        for node in nodes:
            if isinstance(node, Text):
                append_text(parent, node.text)
            elif isinstance(node, Emphasis):
                self.inlines(sub(parent, "span", {"class": "italic"}), node.children)
            elif isinstance(node, Strong):
                self.inlines(sub(parent, "span", {"class": "bold"}), node.children)
            elif isinstance(node, Superscript):
                self.inlines(sub(parent, "sup"), node.children)
            elif isinstance(node, Link):
                self.inlines(sub(parent, "a", {"href": node.href}), node.children)
            elif isinstance(node, NoteRef):
                self.note(parent, node.number)

    def note(self, parent: etree._Element, number: int) -> None:
        """The note's text at its first call; a later call refers to it (noteRef)."""
        if number in self.written_notes:
            sub(parent, "noteRef", {"marker": str(number), "href": f"#authorialNote_{number}"})
            return
        self.written_notes.add(number)
        note = sub(parent, "authorialNote", {"marker": str(number), "placement": "bottom",
                                             "eId": f"authorialNote_{number}"})
        footnote = self.notes.get(number)
        self.p(note, footnote.content if footnote else [])


WORD_JUSTIFICATION = {"left": "Left", "right": "Right", "center": "Center", "justify": "Both"}
WORD_VERTICAL_ALIGN = {"top": "top", "middle": "center", "bottom": "bottom"}
WORD_SIDES = {"top": "Top", "right": "Right", "bottom": "Bottom", "left": "Left",
              "inside-h": "InsideHorizontal", "inside-v": "InsideVertical"}


def word_settings(width: int | None, rules: dict[str, float], as_set: bool = False) -> dict[str, str]:
    """A width in dxa and the rules drawn (weights in pt) as the UN's akn4un attributes; a table
    set as Word set it records its borders even when it draws none (the reader's sign of it)."""
    settings = {f"{{{AKN4UN_NS}}}data-width-type": f"{width}-dxa"} if width else {}
    if rules or as_set:
        borders = {word: ({"Style": "single", "Size": round(rules[side] * 8), "Space": 0}
                          if side in rules else None) for side, word in WORD_SIDES.items()}
        settings[f"{{{AKN4UN_NS}}}data-borders-info"] = json.dumps(borders, separators=(",", ":"))
    return settings


def append_text(parent: etree._Element, text: str) -> None:
    """Text after the last child goes in its tail (lxml has no text nodes)."""
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def container_name(content: list[Inline]) -> str:
    """UN files name a preambular container after its opening italic words ("Recalling")."""
    if content and isinstance(content[0], Emphasis):
        name = plain_text(content[0].children).strip()
        if name:
            return name
    return "preambularParagraph"

