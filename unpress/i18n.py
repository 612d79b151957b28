"""The strings a press generates, in each official language, from the document's facts.

The masthead, the session, the agenda item, the adoption heading, the
"[on the report of ...]" line, the closing date and the labels of numbered
points are not in a source's text: they are made from its metadata.  Their
wording is the UN's, measured on the AKN4UN files of session 80 in all six
languages (`bench/strings.py` regenerates them for every file and compares).
Month names and ordinals come from Babel and num2words where those give the
UN's form; the tables below hold the forms where the UN's usage differs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from babel.dates import format_date
from num2words import num2words

from unpress import house
from unpress.model import ROMAN, Meta

# The Arabic months name the Levantine month, then the Egyptian one (measured: every
# Arabic file of session 80 writes "19 كانون الأول/ديسمبر 2024").
ARABIC_MONTHS = ("كانون الثاني/يناير", "شباط/فبراير", "آذار/مارس", "نيسان/أبريل", "أيار/مايو",
                 "حزيران/يونيه", "تموز/يوليه", "آب/أغسطس", "أيلول/سبتمبر", "تشرين الأول/أكتوبر",
                 "تشرين الثاني/نوفمبر", "كانون الأول/ديسمبر")
# Arabic ordinals in the feminine (الدورة is feminine): units alone, units in compounds, tens.
ARABIC_UNITS = ("", "الأولى", "الثانية", "الثالثة", "الرابعة", "الخامسة", "السادسة", "السابعة",
                "الثامنة", "التاسعة")
ARABIC_COMPOUND_UNITS = ("", "الحادية", *ARABIC_UNITS[2:])
ARABIC_TENS = ("", "العاشرة", "العشرون", "الثلاثون", "الأربعون", "الخمسون", "الستون", "السبعون",
               "الثمانون", "التسعون")
CHINESE_DIGITS = "〇一二三四五六七八九"
# num2words' forms the UN does not use: French drops the plural s of "quatre-vingts"
# before "-ième"; Spanish writes 11 and 12 "undécimo", "duodécimo".
ORDINAL_FIXES = {
    "fr": (("vingtsième", "vingtième"), ("centsième", "centième")),
    "es": (("décimoprimero", "undécimo"), ("décimosegundo", "duodécimo")),
}
# Subparagraph letters in Arabic follow the abjad order: (أ) (ب) (ج) (د) (ه) ... for (a) (b) (c)...
# (measured on the <num> of the Arabic files: 100 (أ), 100 (ب), 86 (ج), 65 (د), 45 (ه)...).
ABJAD = "أبجدهوزحطيكلمنسعفصقرشتثخذضظغ"
LATIN = "abcdefghijklmnopqrstuvwxyz"
# Chinese second-level points: ㈠ ㈡ ㈢ ... (U+3220 PARENTHESIZED IDEOGRAPH ONE onwards)
CHINESE_ROMAN = "".join(chr(0x3220 + index) for index in range(10))


@dataclass(frozen=True)
class Phrases:
    """The wording of one language's generated lines; `{}` fields are filled from the metadata."""

    authority: str
    organ: str
    distribution: str
    session: str  # {ordinal}
    agenda_item: str  # {item}
    agenda_items: str  # {items}: two or more items
    conjunction: str  # between two agenda items
    resolution: str  # the heading without its date (the 2003 edition)
    resolutions: tuple[str, str]  # the same for a document of two resolutions ("A-B"), and of more
    adopted: str  # {resolution} {date}; a line end where the current edition breaks the heading
    report: str  # {committee} {report}
    report_by_committee: tuple[tuple[str, str], ...]  # committees whose line is worded otherwise
    no_committee: str  # {draft}
    masthead_dates: str  # the language the date under "Distr." is written in


PHRASES: dict[str, Phrases] = {
    "en": Phrases(
        "United Nations", "General Assembly", "Distr.: General", "{ordinal} session",
        "Agenda item {item}", "Agenda items {items}", " and ",
        "Resolution adopted by the General Assembly", ("Resolutions adopted by the General Assembly",) * 2,
        "{resolution}\non {date}",
        "[on the report of the {committee} ({report})]", (),
        "[without reference to a Main Committee ({draft})]", "en"),
    "fr": Phrases(
        "Nations Unies", "Assemblée générale", "Distr. générale", "{ordinal} session",
        "Point {item} de l’ordre du jour", "Points {items} de l’ordre du jour", " et ",
        "Résolution adoptée par l’Assemblée générale", ("Résolutions adoptées par l’Assemblée générale",) * 2,
        "{resolution}\nle {date}",
        "[sur la base du rapport de la {committee} ({report})]", (),
        "[sans renvoi à une grande commission ({draft})]", "fr"),
    "es": Phrases(
        "Naciones Unidas", "Asamblea General", "Distr. general", "{ordinal} período de sesiones",
        "Tema {item} del programa", "Temas {items} del programa", " y ",
        "Resolución aprobada por la Asamblea General",
        ("Resoluciones aprobadas por la Asamblea General",) * 2,
        "{resolution}\nel {date}",
        "[sobre la base del informe de la {committee} ({report})]", (),
        "[sin remisión previa a una Comisión Principal ({draft})]", "es"),
    "ru": Phrases(
        "Организация Объединенных Наций", "Генеральная Ассамблея", "Distr.: General", "{ordinal} сессия",
        "Пункт {item} повестки дня", "Пункты {items} повестки дня", " и ",
        "Резолюция, принятая Генеральной Ассамблеей", ("Резолюции, принятые Генеральной Ассамблеей",) * 2,
        "{resolution}\n{date}",
        "[по докладу {committee} ({report})]", (),
        "[без передачи в главные комитеты ({draft})]", "en"),
    "ar": Phrases(
        "الأمــم المتحـدة", "الجمعية العامة", "Distr.: General", "الدورة {ordinal}",
        "البند {item} من جدول الأعمال", "البندان {items} من جدول الأعمال", " و ",
        "قرار اتخذته الجمعية العامة",
        ("قراران اتخذتهما الجمعية العامة", "قرارات اتخذتها الجمعية العامة"),  # the dual, then the plural
        "{resolution}\nفي {date}",
        "[بناء على تقرير {committee} ({report})]", (),
        "[دون الإحالة إلى لجنة رئيسية ({draft})]", "en"),
    "zh": Phrases(
        "联合国", "大会", "Distr.: General", "第{ordinal}届会议",
        "议程项目{item}", "议程项目{items}", "和",
        "大会决议", ("大会决议",) * 2, "{date}{resolution}",
        "[根据{committee}的报告 ({report})]",
        # the Fourth Committee's line adds 通过 ("adopted"), as the UN's Chinese files write it
        (("特别政治和非殖民化委员会(第四委员会)", "[根据{committee}的报告通过 ({report})]"),),
        "[未经发交主要委员会而通过 ({draft})]", "en"),
}


def phrases(language: str) -> Phrases:
    return PHRASES[language]


# -- dates and ordinals ----------------------------------------------------------------


def long_date(value: date, language: str) -> str:
    """A date as the UN writes it in running text: "19 December 2024", "1er décembre 2024",
    "19 de diciembre de 2024", "19 декабря 2024 года", "19 كانون الأول/ديسمبر 2024", "2024年12月19日".

    English keeps the no-break spaces of the official files (the line never breaks inside a date).
    """
    if language == "ar":
        return f"{value.day} {ARABIC_MONTHS[value.month - 1]} {value.year}"
    if language == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    month = format_date(value, "d MMMM", locale=language).split(" ", 1)[1]  # genitive in Russian
    if language == "fr":
        return f"{'1er' if value.day == 1 else value.day} {month} {value.year}"
    if language == "es":
        return f"{value.day} de {month} de {value.year}"
    if language == "ru":
        return f"{value.day} {month} {value.year} года"
    return f"{value.day}\u00a0{month}\u00a0{value.year}"


def masthead_date(value: date, language: str) -> str:
    """The date of issue under "Distr.": in English on the Arabic, Chinese and Russian mastheads."""
    return long_date(value, phrases(language).masthead_dates)


def ordinal(number: int, language: str) -> str:
    """The session's ordinal in words, capitalised as it opens the line where the language puts it."""
    if language == "ar":
        return arabic_ordinal(number)
    if language == "zh":
        return chinese_number(number)
    words = num2words(number, lang=language, to="ordinal", **({"gender": "f"} if language == "ru" else {}))
    for wrong, right in ORDINAL_FIXES.get(language, ()):
        words = words.replace(wrong, right)
    return words[:1].upper() + words[1:]


def arabic_ordinal(number: int) -> str:
    """"التاسعة والسبعون" (seventy-ninth), "الثمانون" (eightieth), for 1-99."""
    tens, units = divmod(number % 100, 10)
    if tens == 0:
        return ARABIC_UNITS[units]
    if tens == 1:
        return "العاشرة" if units == 0 else f"{ARABIC_COMPOUND_UNITS[units]} عشرة"
    if units == 0:
        return ARABIC_TENS[tens]
    return f"{ARABIC_COMPOUND_UNITS[units]} و{ARABIC_TENS[tens]}"


def chinese_number(number: int) -> str:
    """七十九, 八十, 一百零一: Chinese numerals for 1-999 (the session in 第七十九届会议)."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    out = f"{CHINESE_DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else CHINESE_DIGITS[tens]) + "十"
    elif hundreds and units:
        out += "零"
    if units:
        out += CHINESE_DIGITS[units]
    return out


# -- labels ------------------------------------------------------------------------------------


def is_roman(label: str) -> bool:
    return label in ROMAN


def point_label(label: str, language: str, letter: bool = False) -> str:
    """A point's label as printed: "(a)", "a)", "(أ)", "(i)", "i)", "’1‘", "㈠" (the registry's forms);
    `letter`: "i", "v", "x" are letters (agenda items are lettered only). The "1." of a numbered
    item quoted in a paragraph is printed as the source numbers it."""
    if label.endswith("."):
        return label
    conventions = house.language(language)
    roman = is_roman(label) and not letter
    if roman and conventions.romans == "quoted digits":
        return f"’{ROMAN.index(label) + 1}‘"
    if roman and conventions.romans == "ideographs" and ROMAN.index(label) < len(CHINESE_ROMAN):
        return CHINESE_ROMAN[ROMAN.index(label)]
    if conventions.letters == "abjad" and not roman:
        label = " ".join(ABJAD[LATIN.index(char)] for char in label)
    return conventions.label.format(label)


def paragraph_number(number: int, language: str) -> str:
    """An operative paragraph's number as printed: "1." ("1 -" in Arabic)."""
    return house.language(language).paragraph_number.format(number)


# Cyrillic letters typed for their Latin twins in some Russian labels ("а)", "с)")
LOOKALIKES = str.maketrans("асеорху", "aceopxy")
LABEL = re.compile(r"^\(?\s*([a-z]{1,3}|[ivxlc]+)\s*\)$")
ARABIC_LABEL = re.compile(r"^\(([\u0621-\u064a\u0640 ]{1,6})\)$")
ARABIC_ROMAN = re.compile(r"^[’‘'`]\s*(\d{1,2})\s*[’‘'`]$")


def read_label(text: str) -> tuple[str, int | None] | None:
    """A printed point label in any language: the model's label, and its level where its form says.

    "(a)", "a)", "а)" (Cyrillic) -> ("a", None); "(ب ب)" -> ("bb", 1); "’2‘" and "㈡" -> ("ii", 2).
    Latin labels leave the level to the reader ("(i)" after "(h)" is a letter).
    """
    text = text.strip()
    if len(text) == 1 and text in CHINESE_ROMAN:
        return ROMAN[CHINESE_ROMAN.index(text)], 2
    if match := ARABIC_ROMAN.match(text):
        index = int(match.group(1))
        return (ROMAN[index - 1], 2) if 0 < index <= len(ROMAN) else None
    if match := ARABIC_LABEL.match(text):
        letters = match.group(1).replace("\u0640", "").replace(" ", "")
        if letters and all(char in ABJAD[:len(LATIN)] for char in letters):  # beyond "z": no label
            return "".join(LATIN[ABJAD.index(char)] for char in letters), 1
        return None
    if match := LABEL.match(text.translate(LOOKALIKES)):
        return match.group(1), None
    return None


# -- agenda items --------------------------------------------------------------------------------

AGENDA_PART = re.compile(r"(\d+)\s*(?:\(?\s*([a-z]{1,3}|[\u0621-\u064a ]{1,5})\s*\))?")


def agenda_parts(item: str) -> list[tuple[str, str]] | None:
    """The items of an agenda reference in any language: "22 (a)", "22\u00a0a)", "22 (أ)",
    "22(a)", "30 and 31", "30 et 31" -> [("22", "a")], [("30", ""), ("31", "")]."""
    parts = []
    rest = item.strip().translate(LOOKALIKES).replace("\u200e", "").replace("\u200f", "")
    while rest:
        match = AGENDA_PART.match(rest)
        if not match:
            return None
        letter = match.group(2) or ""
        if letter and letter.strip()[:1] in ABJAD:
            read = read_label(f"({letter})")
            if read is None:
                return None
            letter = read[0]
        parts.append((match.group(1), letter.strip()))
        rest = re.sub(r"^\s*(?:and|et|y|и|و|和|,)\s*", "", rest[match.end():])
        if rest and not rest[0].isdigit():
            return None
    return parts or None


def agenda_label(item: str, language: str) -> str:
    """An agenda reference in a language's form: "22 (a)", "22\u00a0a)", "22 (أ)"; as given if unread."""
    parts = agenda_parts(item)
    if parts is None:
        return item
    # measured: "22\u00a0b)" in French, Spanish, Russian; Chinese files write "22(b)" (60 of session
    # 80) and "22 (b)" (57) with no rule found (the same item, committee and day both ways): a
    # Chinese reference keeps the spacing it was given, "22(b)" when it has none to keep
    space = {"fr": "\u00a0", "es": "\u00a0", "ru": "\u00a0", "zh": ""}.get(language, " ")
    if language == "zh" and re.search(r"\d \(", item):
        space = " "
    words = [number + (space + point_label(letter, language, letter=True) if letter else "")
             for number, letter in parts]
    return phrases(language).conjunction.join(words)


def agenda_line(item: str, language: str) -> str:
    """"Agenda item 22 (a)", "Point 22 a) de l’ordre du jour", "议程项目22 (a)"."""
    words = phrases(language)
    parts = agenda_parts(item)
    several = parts is not None and len(parts) > 1
    template = words.agenda_items if several else words.agenda_item
    label = agenda_label(item, language)
    return template.format(item=label, items=label)


# -- the generated lines of one document -------------------------------------------------------------


def reference_line(meta: Meta) -> str | None:
    """"[on the report of the Second Committee (A/79/441/Add.1, para. 8)]", in the document's language."""
    words = phrases(meta.language)
    if meta.committee:
        template = dict(words.report_by_committee).get(meta.committee, words.report)
        line = template.format(committee=meta.committee, report=meta.report or "")
        return line.replace(" ()", "")
    if meta.draft:
        return words.no_committee.format(draft=meta.draft)
    return None


PARTS = re.compile(r" ([A-Z])-([A-Z])$")  # "A/RES/80/236 A-B": two resolutions in one document


def adopted_lines(meta: Meta, with_date: bool) -> list[str]:
    """"Resolution adopted by the General Assembly" and, `with_date`, "on 19 December 2024":
    the heading's lines in the document's language (one line where it does not break)."""
    words = phrases(meta.language)
    parts = PARTS.search(meta.symbol)
    count = ord(parts.group(2)) - ord(parts.group(1)) + 1 if parts else 1
    heading = words.resolution if count == 1 else words.resolutions[0 if count == 2 else 1]
    if not with_date or meta.adopted is None:
        return [heading]
    return words.adopted.format(resolution=heading,
                                date=long_date(meta.adopted, meta.language)).split("\n")


def session_line(session: int, language: str) -> str:
    """"Seventy-ninth session", "Soixante-dix-neuvième session", "الدورة التاسعة والسبعون"..."""
    return phrases(language).session.format(ordinal=ordinal(session, language))
