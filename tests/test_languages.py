"""The six official languages: one structure read and written in each, in its own words and type.

The fixtures are A/RES/80/232 as the UN publishes it in Arabic, Chinese,
French, Russian and Spanish (AKN4UN, ../shared/corpus/akn-*); the strings
expected are the ones those files carry.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from helpers import run_cli
from lxml import etree
from pypdf import PdfReader

from unpress import i18n
from unpress.preflight import check_pdf
from unpress.readers.akn import read_akn
from unpress.readers.markdown import read_source

FIXTURES = Path(__file__).parent / "fixtures" / "akn-languages"
BUNDLED_FAMILIES = ("unpress-serif", "unpress-body", "unpress-heading", "unpress-naskh", "unpress-song")
# what each file's own masthead and heading say (A/RES/80/232, issued 31 December 2025)
MASTHEAD = {
    "ar": ("الأمــم المتحـدة", "الجمعية العامة", "الدورة الثمانون"),
    "zh": ("联合国", "大会", "第八十届会议"),
    "fr": ("Nations Unies", "Assemblée générale", "Quatre-vingtième session"),
    "ru": ("Организация Объединенных Наций", "Генеральная Ассамблея", "Восьмидесятая сессия"),
    "es": ("Naciones Unidas", "Asamblea General", "Octogésimo período de sesiones"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("languages")
    sources = sorted(str(path) for path in FIXTURES.glob("*.xml"))
    result = run_cli("build", *sources, "-o", str(out))
    assert result.returncode == 0, result.stderr
    return {path.name.split(".")[1]: path for path in out.glob("*.pdf")}


def page_text(pdf: Path, page: int = 0) -> str:
    return " ".join(PdfReader(pdf).pages[page].extract_text().split())


@pytest.mark.parametrize("language", sorted(MASTHEAD))
def test_each_language_builds_with_its_own_masthead_and_passes_the_preflight(built, language):
    text = page_text(built[language])
    for line in MASTHEAD[language]:
        assert " ".join(line.split()) in text, line
    assert PdfReader(built[language]).root_object["/Lang"] == language
    assert run_cli("check", str(built[language])).returncode == 0


def embedded_fonts(pdf: Path) -> set[str]:
    names = set()
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


@pytest.mark.parametrize("language", sorted(MASTHEAD))
def test_only_bundled_fonts_are_embedded_in_every_language(built, language):
    names = embedded_fonts(built[language])
    assert all(name.startswith(BUNDLED_FAMILIES) for name in names), names
    script_face = {"ar": "unpress-naskh", "zh": "unpress-song"}.get(language, "unpress-serif")
    assert any(name.startswith(script_face) for name in names)


def test_a_non_breaking_hyphen_in_the_facts_prints_in_a_bundled_face(tmp_path: Path):
    # 229 Russian files write the meeting "55\u2011е пленарное заседание" (U+2011, which Liberation
    # Serif lacks), 17 English titles "Secretary\u2011General": a system face stood in for it
    text = (FIXTURES / "A_RES_80_232.ru.xml").read_text(encoding="utf-8")
    assert "69-е" in text
    source = tmp_path / "A_RES_80_232.xml"
    source.write_text(text.replace("69-е", "69\u2011е").replace("Генерального секретаря",
                                                                 "Генерального\u2011секретаря"),
                      encoding="utf-8")
    pdf = tmp_path / "out.pdf"
    result = run_cli("build", str(source), "-o", str(pdf))
    assert result.returncode == 0, result.stderr  # the build's preflight refuses any other face
    assert all(name.startswith(BUNDLED_FAMILIES) for name in embedded_fonts(pdf)), embedded_fonts(pdf)


def test_arabic_numbers_paragraphs_and_labels_its_own_way(built):
    resolution = read_akn(FIXTURES / "A_RES_80_232.ar.xml")
    assert resolution.meta.language == "ar"
    assert i18n.paragraph_number(3, "ar") == "3 -"
    assert [i18n.point_label(label, "ar") for label in ("a", "b", "c", "d", "e")] == \
        ["(أ)", "(ب)", "(ج)", "(د)", "(ه)"]
    notes = page_text(built["ar"]).replace(" ", "")
    assert ")1(A/80/334" in notes  # the note number in parentheses (read back in visual order)


def test_dates_and_sessions_as_the_un_writes_them():
    day = date(2024, 12, 19)
    assert i18n.long_date(day, "ar") == "19 كانون الأول/ديسمبر 2024"
    assert i18n.long_date(day, "zh") == "2024年12月19日"
    assert i18n.long_date(date(2024, 12, 1), "fr") == "1er décembre 2024"
    assert i18n.long_date(day, "ru") == "19 декабря 2024 года"
    assert i18n.long_date(day, "es") == "19 de diciembre de 2024"
    assert i18n.session_line(79, "fr") == "Soixante-dix-neuvième session"
    assert i18n.session_line(81, "ar") == "الدورة الحادية والثمانون"
    assert i18n.session_line(101, "zh") == "第一百零一届会议"
    assert i18n.session_line(79, "ru") == "Семьдесят девятая сессия"


def test_a_chinese_agenda_reference_keeps_the_spacing_it_was_given():
    """The UN's Chinese files write "议程项目16(b)" and "议程项目16 (a)" alike (A/RES/80/122, 80/120)."""
    assert i18n.agenda_line("16(b)", "zh") == "议程项目16(b)"
    assert i18n.agenda_line("16 (a)", "zh") == "议程项目16 (a)"
    assert i18n.agenda_line("16 (a)", "fr") == "Point 16\u00a0a) de l’ordre du jour"  # French: its own form


def test_a_french_markdown_source_gets_every_generated_line_in_french(tmp_path):
    source = tmp_path / "fr.md"
    source.write_text(
        "---\nsymbol: A/RES/79/221\ntitle: Activités\nsession: 79\nlanguage: fr\nedition: current\n"
        "agenda_item: 22 (a)\nadopted: 2024-12-19\ndistributed: 2024-12-23\n"
        "committee: Deuxième Commission\nreport: A/79/441/Add.1, par. 8\n"
        "meeting: 54e séance plénière\n---\n\n*L’Assemblée générale*,\n\n"
        "1. *Décide* : ceci ;\n", encoding="utf-8")
    pdf = tmp_path / "fr.pdf"
    result = run_cli("build", str(source), "-o", str(pdf))
    assert result.returncode == 0, result.stderr
    text = page_text(pdf)
    for line in ("Nations Unies", "Distr. générale", "23 décembre 2024", "Soixante-dix-neuvième session",
                 "Point 22 a) de l’ordre du jour",
                 "Résolution adoptée par l’Assemblée générale le 19 décembre 2024",
                 "[sur la base du rapport de la Deuxième Commission (A/79/441/Add.1, par. 8)]"):
        assert " ".join(line.split()) in text.replace("\u202f", " "), line
    assert "Décide\u202f:" in PdfReader(pdf).pages[0].extract_text()  # the French thin space


@pytest.mark.parametrize("language,frbr", [("ar", "ara"), ("zh", "zho"), ("fr", "fra"),
                                           ("ru", "rus"), ("es", "spa")])
def test_akn_and_markdown_writers_keep_the_language(tmp_path, language, frbr):
    source = FIXTURES / f"A_RES_80_232.{language}.xml"
    akn, md = tmp_path / "out.xml", tmp_path / "out.md"
    assert run_cli("build", str(source), "-o", str(akn), "--format", "akn").returncode == 0
    root = etree.parse(str(akn)).getroot()
    namespace = {"a": root.nsmap[None]}
    assert root.find(".//a:FRBRExpression/a:FRBRlanguage", namespace).get("language") == frbr
    assert f"/{frbr}@/" in root.find(".//a:FRBRExpression/a:FRBRthis", namespace).get("value")
    assert read_akn(akn).meta == read_akn(source).meta
    assert run_cli("build", str(source), "-o", str(md), "--format", "md").returncode == 0
    assert f"language: {language}" in md.read_text(encoding="utf-8")
    assert read_source(md).meta.language == language
    # the Markdown builds with every word conserved (Chinese runs "**认可**行政" and
    # "第[54/249](...)号决议" on without spaces)
    built = run_cli("build", str(md), "-o", str(tmp_path / "md.pdf"))
    assert built.returncode == 0, built.stderr


def test_chinese_lines_are_justified_to_the_right_edge(built):
    """WeasyPrint stretches only spaces; Chinese has none, and its lines ended 4-20 pt short."""
    sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
    from justification import line_ends

    ends = line_ends(str(built["zh"]))
    within = [short for short, _ in ends if abs(short) <= 1]
    assert len(ends) > 20 and len(within) >= 0.7 * len(ends), sorted(short for short, _ in ends)


def test_a_call_right_after_a_paragraph_number_does_not_hide_the_number(tmp_path):
    """A/RES/79/221 in Chinese: paragraph 1's line reads "1. 12" (the call of note 12 follows the number).

    The preflight took that line for no paragraph start and refused "paragraph 2 where 1 was expected".
    """
    source = FIXTURES.parent / "akn-languages-calls" / "A_RES_79_221.zh.xml"
    result = run_cli("build", str(source), "-o", str(tmp_path / "zh.pdf"))
    assert result.returncode == 0, result.stderr
    assert run_cli("check", str(tmp_path / "zh.pdf")).returncode == 0


LABELS = Path(__file__).parent / "fixtures" / "akn-languages-labels"


@pytest.fixture(scope="module")
def labelled(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("labels")
    result = run_cli("build", str(LABELS), "-o", f"{out}/")
    assert result.returncode == 0, result.stderr
    return out


def test_a_ninth_letter_is_printed_as_a_letter_not_a_roman_numeral(labelled):
    """A/RES/80/11 in Chinese: points (a) to (i) of paragraph 2 are letters, "(i)" after "(h)";
    the UN's second level, "㈠", only where the file has it."""
    text = "\n".join(page.extract_text() for page in PdfReader(labelled / "A_RES_80_11.zh.pdf").pages)
    source = (LABELS / "A_RES_80_11.zh.xml").read_text(encoding="utf-8")
    assert "(h)" in text and "(i)" in text
    assert text.count("㈠") == source.count("<num>㈠</num>")


def test_a_bidi_pop_that_closes_nothing_is_dropped_not_refused(labelled):
    """A/RES/80/128 in Arabic ends a preambular paragraph with a U+202C that opens no embedding."""
    assert "\u202c" in (LABELS / "A_RES_80_128.ar.xml").read_text(encoding="utf-8")
    text = "\n".join(page.extract_text() for page in PdfReader(labelled / "A_RES_80_128.ar.pdf").pages)
    assert "\u202c" not in text and "ميثاق الأمم المتحدة" in text


def test_the_conservation_check_reads_a_label_in_any_language_s_form():
    """The press prints each language's form of a label: the same label, not a changed word."""
    from unpress.conservation import label_fold

    assert label_fold("с") == label_fold("c") == "c"  # a Cyrillic "с)" typed for "c)"
    assert label_fold("㈠") == label_fold("i") == "i"
    assert label_fold("هـ") == label_fold("ه") == "e"  # with and without its tatweel
    assert label_fold("Decides") == "Decides" and label_fold("1") == "1"


def test_a_chinese_line_ending_in_latin_text_stays_inside_the_margin(labelled):
    """zh 80/45: a note's line ends on "NPT/CONF.2000/28 (Part": the slack spread between its few
    Chinese characters pushed that symbol 4.6 pt past the margin, and the build was refused."""
    from unpress.pdftext import read_pages

    ends = [line.spans[-1].end for page in read_pages(labelled / "A_RES_80_45.zh.pdf")
            for line in page.lines if "NPT/CONF" in line.text]
    assert ends and max(ends) <= 612 - 123.6 + 1


CONVENTION = """---
symbol: A/RES/80/999
title: Convención de prueba
session: 80
edition: current
language: es
---

*La Asamblea General*,

*Recordando* su resolución 79/1,

1. *Aprueba* la Convención que figura en el anexo;

2. *Decide* seguir examinando la cuestión.

# Anexo
# Convención de prueba

## Artículo 1

1. La presente Convención será aplicable a los documentos.

2. La presente Convención no afectará a ningún convenio.

3. Ninguna disposición de la presente Convención afectará a la aplicación de la ley.

## Artículo 2 Definiciones

1. Por “expedidor” se entenderá la persona que celebre el contrato.

2. Por “destinatario” se entenderá la persona designada en el contrato.
"""


PARTS = """---
symbol: A/RES/80/999
title: 测试
session: 80
edition: current
language: zh
---

**大会**，

**回顾**其第79/1号决议，

## 一 内部监督事务厅的活动

1. **重申**大会在审议向其提交的报告方面的首要作用；

2. **请**秘书长提交报告；

3. **认可**行政和预算问题咨询委员会报告所载结论和建议；

## 二 独立审计咨询委员会的活动

1. **赞赏地注意到**独立审计咨询委员会的工作；

2. **决定**继续审议这一问题。
"""


ARTICLES = """---
symbol: A/RES/80/999
title: Test Convention
session: 80
edition: current
---

*The General Assembly*,

*Recalling* its resolution 79/1,

1. *Adopts* the Convention annexed to the present resolution;

2. *Decides* to remain seized of the matter.

# Annex
# Test Convention

*Article 1*

1. This Convention applies to negotiable cargo documents.

2. Nothing in this Convention affects any other convention.

*Article 2 Definitions*

1. “Consignor” means the person who concludes the contract.

2. “Consignee” means the person named in the contract.
"""


# "Article 1" as a paragraph of its own, as the UN's AKN files set a convention's articles
# (80/162, 79/243), for the Markdown reader; "Artículo 1" (an accented word) and "Artículo 2
# Definiciones" (number and title on one line, as the Spanish 80/162 sets them); "一 内部监督
# 事务厅的活动" (a part's numeral and title on one bold line, as the Chinese 80/237 sets them):
# numbering starts again for the preflight too
@pytest.mark.parametrize("text", [ARTICLES, CONVENTION, PARTS],
                         ids=["en-articles", "es-articles", "zh-parts"])
def test_a_part_or_article_heading_starts_numbering_again(tmp_path: Path, text: str):
    source = tmp_path / "A_RES_80_999.md"
    source.write_text(text, encoding="utf-8")
    pdf = tmp_path / "out.pdf"
    result = run_cli("build", str(source), "-o", str(pdf))
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr  # by the language's drafting rules the text is clean
    report = check_pdf(pdf, strict=True)
    assert report.ok and not any(p.kind == "numbering" for p in report.problems), report.human()


def test_an_arabic_annex_heading_stands_at_the_right_of_the_column(tmp_path: Path):
    from unpress.pdftext import read_pages

    source, pdf = tmp_path / "ar.md", tmp_path / "ar.pdf"
    assert run_cli("new", "A/RES/80/999", "-o", str(source), "--language", "ar").returncode == 0
    assert run_cli("build", str(source), "-o", str(pdf)).returncode == 0
    heading = "المرفق"  # read back in logical or in visual order
    line = next(line for line in read_pages(pdf)[0].lines if line.text.strip() in (heading, heading[::-1]))
    assert min(span.x for span in line.spans) > 612 / 2  # it was set flush left, as in English
