"""The house styles: one entry per edition and per language, the one place their facts live.

Shaped like WeasyPrint's table of PDF variants (`weasyprint/pdf/__init__.py`,
`VARIANTS`): each edition is one `Edition` holding its stylesheets, the page
geometry its stylesheets set, its date-gated layouts, its masthead rules and
what the preflight must find in its PDFs.  Each language is one `Language`.
The readers take the names they accept from here, the HTML and PDF writers
the stylesheets and masthead rules, the preflight and the fidelity measure
every threshold; tests/test_house.py holds the CSS against these numbers.

Geometry is in PDF points, y measured down from the top edge of an A4 page
(595.3 x 841.9), as `unpress.pdftext` reads positions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from unpress.errors import UnpressError
from unpress.model import Meta


@dataclass(frozen=True)
class Geometry:
    """Where a reader of a PDF finds each part of a page, and how text is set there.

    The bands and sizes are measured on the official PDFs of sessions 58-80
    (tests/fixtures/official and ../shared/corpus) and hold for ours, which
    set the same page: body text 10 pt on a 12 pt pitch, notes 8.5 pt, calls
    6.5 pt, running headers 8.5 pt at baseline ~64-73, folios at ~757-800.
    """

    header_bottom: float = 78.0  # running headers stand above this baseline; body text starts at ~86
    footer_height: float = 43.0  # folios and job numbers stand this close to the bottom edge
    # page 1's foot reaches higher: the job line of files distributed before July 2025 stands at
    # baseline 747.6 (44.4 above the bottom), above a note line of the 2003 edition's pages 2-4
    # (747.1, A/RES/58/208), so the band is page 1's only
    first_footer_height: float = 46.0
    masthead_symbol_size: float = 18.0  # the 20 pt "A" of the symbol in the page-1 masthead
    title_size: float = 11.5  # the 12 pt title line on page 1 ends the masthead
    body_size: tuple[float, float] = (9.5, 10.6)  # body text 10 pt (Word's 9.96 in official files)
    note_size: tuple[float, float] = (7.5, 9.2)  # notes 8.5 pt
    superscript_max_size: float = 7.0  # calls 6.5 pt, note numbers 5.5 pt; text 8.5 pt and up
    body_pitch: float = 12.0  # baselines within a paragraph (11.5 on a tightened last page)
    paragraph_gap: float = 14.5  # baselines further apart separate paragraphs (17.5-18 pt)
    first_line_indent: tuple[float, float] = (18.0, 30.0)  # a paragraph opens ~23.7 pt right of the column
    continuation_indent: float = 10.0  # a line starting less far right of the column continues one
    column_width: float = 365.0  # the text column, x = 123.4 .. 488.4 (un-layout.md)

    def footer_top(self, page_number: int, page_height: float) -> float:
        """Where the footer of that page starts: lines at or below it are folios and job lines."""
        return page_height - (self.first_footer_height if page_number == 1 else self.footer_height)


@dataclass(frozen=True)
class Layout:
    """A date-gated variant of an edition: a CSS class on <body> (and the @page it names)."""

    name: str
    distributed_before: date  # documents issued before this day are set this way
    # plenary resolutions (without reference to a Main Committee) of this session on have the new
    # template already: 11 of the 13 of session 79 distributed before July 2025 (79/2 of
    # 11 October 2024 to 79/279; not 79/9, 79/268), none of the 13 of session 78 (to 78/321)
    plenary_since: int | None = None

    def sets(self, meta: Meta) -> bool:
        """Whether a document is set in this older layout."""
        if meta.distributed is None or meta.distributed >= self.distributed_before:
            return False
        plenary = not meta.committee
        return not (plenary and self.plenary_since is not None and meta.session is not None
                    and meta.session >= self.plenary_since)


@dataclass(frozen=True)
class Edition:
    """One house style."""

    name: str
    description: str
    stylesheets: tuple[str, ...]  # file names in styles/, in cascade order
    folio_total: bool  # folios read "n / N" (a lost last page shows in every footer)
    closing_block: bool  # the closing block must prove the last page (where folios cannot)
    adoption_in_heading: bool  # "Resolution adopted by the General Assembly on <date>"
    page_one_foot: bool  # job number, barcode and QR code at the foot of page 1
    running_title: bool  # the running header carries the title beside the symbol
    copyfit: bool = False  # a closing block left alone on a page is copyfitted (`.tightened`)
    layouts: tuple[Layout, ...] = ()
    geometry: Geometry = Geometry()

    def layouts_of(self, meta: Meta) -> list[Layout]:
        """The date-gated layouts a document is set in (none: the edition's own)."""
        return [layout for layout in self.layouts if layout.sets(meta)]


EDITIONS: dict[str, Edition] = {
    "2003": Edition(
        name="2003",
        description="the layout of A/RES/58/208 (2003): folio only, closing block, no page-1 foot",
        stylesheets=("base.css", "edition-2003.css"),
        folio_total=False, closing_block=True, adoption_in_heading=False,
        page_one_foot=False, running_title=False,
    ),
    "current": Edition(
        name="current",
        description="the layout of sessions 78-80: running titles, 'n/N' folios, barcode and QR code",
        stylesheets=("base.css", "edition-current.css"),
        folio_total=True, closing_block=False, adoption_in_heading=True,
        page_one_foot=True, running_title=True, copyfit=True,
        # the text block moved up 4.1 pt in the template of July 2025 (edition-current.css)
        # continuation pages changed on 1 July 2025, page 1's foot a day later (79/297, 79/299,
        # 79/303 of 1 July have the old foot; 79/313, 79/315 of 2 July the new)
        layouts=(Layout("layout-2024", date(2025, 7, 1), plenary_since=79),
                 Layout("foot-2024", date(2025, 7, 2), plenary_since=79)),
    ),
}
DEFAULT_EDITION = "2003"  # what a Markdown source without `edition:` is set in
FOREIGN_EDITION = "current"  # what a PDF that does not name its edition (the UN's own) is read as


@dataclass(frozen=True)
class Drafting:
    """How a resolution's text is written in one language: what `unpress lint` checks it against.

    Measured on the UN's AKN4UN files of session 80 (~244 a language) through the Markdown
    writer; the counts are in docs/languages.md, "Drafting rules in each language".
    """

    formula: str = "The General Assembly"  # the enacting formula, which starts a preamble
    comma: str = ","  # ends a preambular paragraph
    semicolon: str = ";"  # ends an operative paragraph and a list's item
    colon: str = ":"  # ends the paragraph or item a list follows
    full_stop: str = "."  # ends the last operative paragraph and a footnote
    question_mark: str = "?"  # may end an item (77/247: the questions put to the Court)
    opener_markup: str = "*"  # the Markdown of an opening phrase: "*" italic, "**" bold
    capitalized: bool = True  # "Recalling"; Russian "ссылаясь"
    call_after_punctuation: bool = True  # "Nations,[^1]"; French "Unies[^1],"
    also: tuple[str, ...] = ("also",)  # a phrase repeated in the next paragraph takes this word,
    further: tuple[str, ...] = ("further",)  # then this one
    modifier_place: str = "first word"  # after the first word ("Recalling also", "Also decides"
    # before a verb), at the "end" ("Rappelant également"), or a "prefix" (Chinese "又回顾")
    conjunction: str = "and"  # "Welcoming and further encouraging" is a phrase of its own
    runs_on: tuple[str, ...] = ("and", "or")  # an item that reads on into the next: "; and"
    ibid: str = "Ibid"  # how a note repeating the one before it starts
    present_tense: str | None = "s"  # the ending of an operative verb ("Adopts"), if it has one
    particles: tuple[str, ...] = ()  # words before a phrase's verb (Arabic "وإذ تشير")
    lead_in: int = 0  # characters of plain text a phrase may follow (Chinese "在这方面**回顾**")
    off: frozenset[str] = frozenset()  # rules the language's texts do not keep (why: at its entry)

    @property
    def separators(self) -> str:
        """The marks an opening phrase may carry inside its markup: comma, semicolon, colon."""
        return self.comma + self.semicolon + self.colon

    @property
    def marks(self) -> str:
        """The marks a paragraph ends with: comma, semicolon, colon, full stop."""
        return self.separators + self.full_stop


@dataclass(frozen=True)
class Language:
    """One official language: its codes, how its text runs, and its typographic conventions.

    The conventions are measured on the UN's AKN4UN files of session 80 (~243 a
    language, ../shared/akn/80/<code>/): the labels in their <num> elements,
    the markup of opening phrases, the characters before "; : ? !".  The
    generated wording (masthead, session, dates) is in `unpress.i18n`.
    """

    code: str  # the source's `language:` (ISO 639-1), HTML lang, PDF /Lang
    frbr: str  # the FRBR expression language of AKN (ISO 639-2/B as AKN4UN writes it)
    name: str
    direction: str = "ltr"
    job_letter: str = "E"  # after the job number on page 1: "24-24331 (E)", (F), (S), (R), (A), (C)
    stylesheet: str | None = None  # styles/lang-<code>.css: fonts, direction, spacing
    paragraph_number: str = "{}."  # an operative paragraph's number: "1."
    resolution_number: str = "{}."  # the number before the title: "79/221."
    label: str = "({})"  # a point's label around its letters or numeral: "(a)", "(i)"
    letters: str = "latin"  # first-level points: "latin" a b c, "abjad" أ ب ج د ه
    romans: str = "roman"  # second level: "roman" i ii, "quoted digits" ’1‘ ’2‘, "ideographs" ㈠
    note_call: str = "1"  # a footnote call (superscript)
    opening_phrases: str = "italic"  # how "Recalling", "Decides" are set
    digits: str = "Western"
    space_before_punctuation: str = "none"  # before ; : ? !
    annex: tuple[str, ...] = ("Annex", "Appendix")  # headings after which numbering restarts
    drafting: Drafting = Drafting()


LANGUAGES: dict[str, Language] = {
    # measured: 6,631 "N." and 106 "(a)", 25 "(i)" <num>; opening phrases <i> (4,200 a sample of 80)
    "en": Language("en", "eng", "English"),
    # measured: "b)" 100, "i)" 24; U+00A0 before ";" 2,404 times, before ":" 217 (of 80 files);
    # printed as a thin no-break space (U+202F), as the UN's French PDFs space them
    "fr": Language("fr", "fra", "French", job_letter="F", label="{})",
                   space_before_punctuation="thin no-break space (U+202F)", annex=("Annexe", "Appendice"),
                   drafting=Drafting("L’Assemblée générale", call_after_punctuation=False,
                                     also=("également",), further=("en outre",), modifier_place="end",
                                     conjunction="et", runs_on=("et", "ou"), present_tense=None,
                                     # a phrase repeated plainly ("Rappelant", "Rappelant"): 40 times in
                                     # 26 of 61 files of 80/fr (in 80/en 0.04 a file)
                                     off=frozenset({"UN132"}))),
    # measured: "a)" 111, "i)" 27; ";" follows a letter 2,240 times, a space once
    "es": Language("es", "spa", "Spanish", job_letter="S", label="{})",
                   annex=("Anexo", "Apéndice"),
                   drafting=Drafting("La Asamblea General", call_after_punctuation=False,
                                     also=("también",), further=("además",), modifier_place="end",
                                     conjunction="y", runs_on=("y", "o"), present_tense=None)),
    # measured: "a)" 88 (and 10 typed with Cyrillic "а"), "i)" 24; opening phrases lower-case italic
    "ru": Language("ru", "rus", "Russian", job_letter="R", label="{})",
                   opening_phrases="lower-case italic", annex=("Приложение", "Добавление"),
                   drafting=Drafting("Генеральная Ассамблея", capitalized=False, call_after_punctuation=False,
                                     also=("также",), further=("далее",), modifier_place="end",
                                     conjunction="и", runs_on=("и", "или"), ibid="Там же",
                                     present_tense=None)),
    # measured: "N -" 6,562; "<docNumber>79/221</docNumber>" (no full stop) in 244 of 244;
    # abjad letters (أ) 100, (ب) 100, (ج) 86, (د) 65, (ه) 45; "’N‘" 44;
    # opening phrases <span class="bold italic"> 3,738 of 4,201 spans; Western digits throughout
    "ar": Language("ar", "ara", "Arabic", job_letter="A", direction="rtl", stylesheet="lang-ar.css",
                   paragraph_number="{} -", resolution_number="{}", letters="abjad", romans="quoted digits",
                   note_call="(1)", opening_phrases="bold", annex=("المرفق", "مرفق", "التذييل"),
                   drafting=Drafting("إن الجمعية العامة", comma="،", semicolon="؛", question_mark="؟",
                                     capitalized=False, call_after_punctuation=False,
                                     also=("أيضا", "أيضاً"), further=("كذلك",), modifier_place="end",
                                     conjunction="و", runs_on=("أو",), ibid="المرجع نفسه",
                                     present_tense=None, particles=("وإذ", "إذ"))),
    # measured: "N." 6,648, "(a)" 106, "㈠" 8; opening phrases <span class="bold"> 3,828; full-width
    # "，" 12,716, "；" 2,368, "。" 1,142 after text
    "zh": Language("zh", "zho", "Chinese", job_letter="C", stylesheet="lang-zh.css", romans="ideographs",
                   opening_phrases="bold", space_before_punctuation="none (full-width ，；：)",
                   annex=("附件", "附录"),
                   drafting=Drafting("大会", comma="，", semicolon="；", colon="：", full_stop="。",
                                     question_mark="？", opener_markup="**", capitalized=False,
                                     also=("又",), further=("还",), modifier_place="prefix",
                                     conjunction="和", runs_on=("和", "或"), ibid="同上",
                                     # "在这方面**回顾**" (in this regard, recalls), "为此**决定**":
                                     # 27 paragraphs in 61 files of 80/zh
                                     present_tense=None, lead_in=12)),
}
FRBR_LANGUAGES = {entry.frbr: entry for entry in LANGUAGES.values()}


def edition(name: str | None) -> Edition:
    """The edition of that name (the default for None); one error line for an unknown one."""
    key = name or DEFAULT_EDITION
    if key not in EDITIONS:
        raise UnpressError(None, f"unknown edition {key!r}; the editions are "
                           + ", ".join(repr(known) for known in EDITIONS))
    return EDITIONS[key]


def edition_of(meta: Meta, override: str | None = None) -> Edition:
    """The edition a document is set in: the build's `--edition`, else its own."""
    return edition(override or meta.edition)


def language_of_frbr(code: str | None) -> Language | None:
    """The language an AKN file's FRBRlanguage names ("fra", also "fr"); None if none is laid out."""
    if code is None:
        return LANGUAGES["en"]
    return FRBR_LANGUAGES.get(code) or LANGUAGES.get(code)


def language(code: str) -> Language:
    """The language of that code; one error line for one not laid out."""
    if code not in LANGUAGES:
        raise UnpressError(None, f"language {code!r} is not laid out; the languages are "
                           + ", ".join(repr(known) for known in LANGUAGES))
    return LANGUAGES[code]
