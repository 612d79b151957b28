"""The drafting tools through the CLI: `new`, `lint`, `import`, and `build --lint`.

Fixtures: tests/fixtures/drafting/A_RES_80_1.md (the Markdown of the UN's AKN4UN file of
80/1, which the linter passes), the seed text and official PDFs of tests/fixtures/.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from unpress.cli import main
from unpress.fidelity import measure
from unpress.readers import read

FIXTURES = Path(__file__).parent / "fixtures"
CLEAN = (FIXTURES / "drafting" / "A_RES_80_1.md").read_text(encoding="utf-8")
NBSP = "\u00a0"


def lint(tmp_path: Path, text: str, capsys, *extra: str) -> tuple[int, str]:
    source = tmp_path / "x.md"
    source.write_text(text, encoding="utf-8")
    status = main(["lint", str(source), *extra])
    return status, capsys.readouterr().out


def test_the_uns_own_text_is_clean(tmp_path, capsys):
    assert lint(tmp_path, CLEAN, capsys) == (0, "")


# Each rule, by the one mistake that breaks it in the clean text: (old, new, code).
MISTAKES = {
    "UN101": ("*Recalling* its relevant", "Recalling its relevant", "UN101"),
    "UN102": ("question of Palestine,", "question of Palestine;", "UN102"),
    "UN103": ("*Recalling* its relevant", "*Recaling* its relevant", "UN103"),
    "UN103-role": ("*Recalling* its relevant", "*Recalls* its relevant", "UN103"),
    "UN111": ("2. *Also decides*", "2. Also decides", "UN111"),
    "UN112": ("the eightieth session.", "the eightieth session;", "UN112"),
    "UN113": ("3. *Further decides*", "3. *Further decidez*", "UN113"),
    "UN121": ("present in the Assembly Hall;", "present in the Assembly Hall,", "UN121"),
    "UN131": ("*Regretting*,", "*Regretting also*,", "UN131"),
    "UN132": ("*Recalling also* the Headquarters", "*Recalling* the Headquarters", "UN132"),
    "UN141": ("3. *Further decides*", "4. *Further decides*", "UN141"),
    "UN142": ("    (b) The State", "    (c) The State", "UN142"),
    "UN151": ("United Nations[^1] are", "United Nations[^1], are", "UN151"),
    "UN152": ("[169 (II)](https://docs.un.org/en/A/RES/169(II)).",
              "[169 (II)](https://docs.un.org/en/A/RES/169(II))", "UN152"),
}


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_each_rule_finds_its_mistake_with_its_line(tmp_path, capsys, name):
    old, new, code = MISTAKES[name]
    assert old in CLEAN
    text = CLEAN.replace(old, new, 1)
    line = text[:text.index(new)].count("\n") + 1
    status, out = lint(tmp_path, text, capsys)
    assert status == 1
    assert any(f"x.md:{line}:" in row and f" {code} " in row for row in out.splitlines()), out


def test_findings_are_reported_all_at_once_and_as_json(tmp_path, capsys):
    text = CLEAN.replace("question of Palestine,", "question of Palestine;").replace(
        "3. *Further decides*", "4. *Further decides*")
    status, out = lint(tmp_path, text, capsys, "--format", "json")
    assert status == 1
    assert {finding["code"] for finding in json.loads(out)} == {"UN102", "UN141"}


def test_ibid_and_the_opt_in_rule(tmp_path, capsys):
    text = CLEAN.replace("Agreement,", "Agreement,[^2]").replace(
        "[^1]: See", "[^2]: See resolution [169 (II)](https://docs.un.org/en/A/RES/169(II)).\n\n[^1]: See")
    assert " UN153 " in lint(tmp_path, text, capsys)[1]
    opted = CLEAN.replace("language: en", "language: en\nlint: +UN162").replace(
        "its relevant resolutions", "its resolution 79/1")
    assert " UN162 " in lint(tmp_path, opted, capsys)[1]


def test_a_rule_is_turned_off_per_file_and_per_block(tmp_path, capsys):
    mistake = CLEAN.replace("question of Palestine,", "question of Palestine;")
    assert lint(tmp_path, mistake, capsys)[0] == 1
    per_file = mistake.replace("language: en", "language: en\nlint: UN102")
    assert lint(tmp_path, per_file, capsys) == (0, "")
    per_block = mistake.replace("*Recalling* its relevant", "% lint: ignore UN102\n*Recalling* its relevant")
    assert lint(tmp_path, per_block, capsys) == (0, "")


def test_the_date_space_rule_is_off_unless_asked_for(tmp_path, capsys):
    mistake = CLEAN.replace(f"12{NBSP}September", "12 September")
    assert lint(tmp_path, mistake, capsys) == (0, "")
    opted = mistake.replace("language: en", "language: en\nlint: +UN161")
    line = opted[:opted.index("12 September")].count("\n") + 1
    assert f"x.md:{line}:" in lint(tmp_path, opted, capsys)[1]


FRONT = CLEAN[:CLEAN.index("*The General Assembly*")]


def resolution(*paragraphs: str) -> str:
    """A source of the fixture's front matter and these paragraphs (cut from the UN's files)."""
    return FRONT + "\n\n".join(["*The General Assembly*,", *paragraphs]) + "\n"


# The UN's own forms, each cut from the AKN4UN file named, and a mistake in it that the rule
# still finds: (paragraphs, old, new, code).
UN_FORMS = {
    "preambular list with commas (76/29)": ((
        "*Convinced* that the Convention constitutes a major contribution to:",
        "    (a) International peace and security,",
        "    (b) Eliminating chemical weapons and preventing their re-emergence,",
        "    (c) The ultimate objective of general and complete disarmament,",
        "*Noting* the impact of the coronavirus disease (COVID-19) on the work of the Organisation,",
        "1. *Decides* to include in the provisional agenda of its seventy-seventh session the item.",
    ), "re-emergence,", "re-emergence;", "UN121"),
    "one unnumbered paragraph with a list (78/329)": ((
        "*Recalling* its resolution 77/7 of 3 November 2022,",
        "*Decides*:",
        "    (a) To include in the provisional agenda of its seventy-ninth session the item;",
        "    (b) To biennialize the consideration of the agenda item as of its seventy-ninth session.",
        "92nd plenary meeting",
    ), "seventy-ninth session.", "seventy-ninth session;", "UN121"),
    "one unnumbered paragraph before the annex (76/294)": ((
        "*Adopts* the political declaration of the high-level meeting on improving global road "
        "safety, as contained in the annex to the present resolution.",
        "75th plenary meeting",
        "## Annex",
        "We, Heads of State and Government, gathered at United Nations Headquarters,",
    ), "present resolution.", "present resolution;", "UN112"),
    "a schedule and a question set out after a colon (77/328, 79/232)": ((
        "*Recalling* its resolution 76/300 of 28 July 2022,",
        "1. *Decides* that the interactive dialogues will be held as follows:",
        "Tuesday, 28 May: from 11 a.m. to 1 p.m. and from 4 to 6 p.m.;",
        "Thursday, 30 May: from 11 a.m. to 1 p.m.",
        "2. *Decides* to request the International Court of Justice to render an advisory opinion "
        "on the following question:",
        "What are the obligations of Israel in relation to the presence and activities of the "
        "United Nations?",
    ), "following question:", "following question;", "UN112"),
    "a part's last item before the next part (79/93)": ((
        "*Recalling* its resolution 78/1 of 2 October 2023,",
        "## A",
        "1. *Decides* that the Committee shall:",
        "    (a) Meet once a year;",
        "    (b) Report to the Assembly at its next session.",
        "## B",
        "1. *Requests* the Secretary-General to submit a report.",
    ), "    (a) Meet once a year;", "    (a) Meet once a year,", "UN121"),
    "a budget's numbered text (76/249)": ((
        "*Resolves* that:",
        "1. The Working Capital Fund shall be established for 2022 in the amount of 150 million "
        "United States dollars;",
        "2. Member States shall make advances to the Working Capital Fund;",
        "3. There shall be set off against this allocation of advances the credits of Member States.",
    ), "3. There", "4. There", "UN141"),
    "a numbered list a paragraph introduces (79/1)": ((
        "*Recalling* its resolution 78/1,",
        "1. *Decides* to pursue the following objectives:",
        "1. Close all digital divides;",
        "2. Expand inclusion in and benefits from the digital economy for all;",
        "2. *Requests* the Secretary-General to report thereon.",
    ), "2. *Requests*", "3. *Requests*", "UN141"),
    "an item's text set out, the list running on (78/269)": ((
        "*Recalling* its resolution 78/1,",
        "1. *Decides* that the organizational arrangements for the panels will be as follows:",
        "    (a) Two multi-stakeholder panels will be held in parallel to the plenary segment;",
        "    (b) The multi-stakeholder panels will address the following themes:",
        "Panel 1: Addressing the urgent global risk of antimicrobial resistance;",
        "Panel 2: Addressing human health, animal health and agrifood systems;",
        "    (c) Each of the two multi-stakeholder panels will be co-chaired by two representatives.",
    ), "    (c) Each", "    (d) Each", "UN142"),
    "an invisible mark before the verb (76/242)": ((
        "*Recalling* its resolution 61/261,",
        "1. \u200e *Reaffirms* its decision to establish a new system of administration of justice;",
        "2. *Decides* to remain seized of the matter.",
    ), "the matter.", "the matter;", "UN112"),
    "questions as items (77/247)": ((
        "*Recalling* its resolution 78/1,",
        "1. *Decides* to request the International Court of Justice to render an advisory opinion "
        "on the following questions:",
        "    (a) What are the legal consequences arising from the ongoing violation by Israel of the "
        "right of the Palestinian people to self-determination?",
        "    (b) How do the policies and practices of Israel affect the legal status of the occupation?",
        "2. *Requests* the Secretary-General to report to the General Assembly at its seventy-eighth "
        "session.",
    ), "occupation?", "occupation,", "UN121"),
    "a part ending with a semicolon before the next part's heading (76/240)": ((
        "*Recalling* its resolution 70/244,",
        "1. *Recalls* its decision contained in resolution 70/244;",
        "2. *Notes* the decision of the Commission to continue monitoring the level of the margin;",
        "## C",
        "*Decides*, for implementation as from 1 January 2022, to maintain the reimbursement rates.",
    ), "the margin;", "the margin,", "UN112"),
    "the letter (i) written one level too deep (78/181)": ((
        "*Recalling* its resolution 78/1,",
        "1. *Urges* Member States to take action, including by:",
        *[f"    ({letter}) Promoting the participation of rural women;" for letter in "abcdefg"],
        "    (h) Integrating a gender perspective into development policies;",
        "        (i) Mainstreaming a gender perspective in the governance of natural resources;",
        "    (j) Enacting policies to eradicate poverty and reduce inequalities.",
    ), "natural resources;", "natural resources,", "UN121"),
    "an article's list: opened inline, closed by text, restarted under a heading (79/243, "
    "78/317)": ((
        "*Adopts* the Convention annexed to the present resolution.",
        "## Annex",
        "### Article 1",
        "1. \\(a) A State Party transferring personal data shall do so in accordance with its law;",
        "    (b) Where the transfer would not be compliant with paragraph 1 (a), States Parties may "
        "impose conditions.",
        "2. Each State Party shall establish as criminal offences:",
        "    (a) The obtaining, production or sale of:",
        "        (i) A device designed for the purpose of committing any of the offences; or",
        "        (ii) A password or similar data;",
        "with the intent that the device or the password be used for committing any of the offences; and",
        "    (b) The possession of an item referred to in paragraph 2 (a) (i) or (ii) of this article.",
        "### Article 2",
        "    (a) Accelerated actions towards full implementation of the Paris Agreement.",
    ), "    (b) The possession", "    (c) The possession", "UN142"),
}


@pytest.mark.parametrize("name", sorted(UN_FORMS))
def test_the_uns_forms_are_clean_and_a_mistake_in_them_is_found(tmp_path, capsys, name):
    paragraphs, old, new, code = UN_FORMS[name]
    text = resolution(*paragraphs)
    assert lint(tmp_path, text, capsys) == (0, "")
    assert old in text
    mistake = text.replace(old, new, 1)
    line = mistake[:mistake.index(new)].count("\n") + 1
    out = lint(tmp_path, mistake, capsys)[1]
    assert any(f"x.md:{line}:" in row and f" {code} " in row for row in out.splitlines()), out


def codes(tmp_path: Path, capsys, *paragraphs: str) -> list[str]:
    """The codes of the findings on a resolution of these paragraphs, in order."""
    out = lint(tmp_path, resolution(*paragraphs), capsys, "--format", "json")[1]
    return [finding["code"] for finding in json.loads(out)]


OPENING = "*Recalling* its resolution 78/1,"
CLOSING = "1. *Decides* to remain seized of the matter.[^1]"
TERRITORIES = "American Samoa, Anguilla, Aruba, Bermuda, Guam, Montserrat and Tokelau."


# What the UN writes and the rules once took for mistakes, each cut from the AKN4UN file named,
# and beside it the mistake the rule still finds: (the UN's paragraphs, the mistake's, its code).
UN_USAGES = {
    "a note quoting a treaty ends with the quotation's full stop (79/18)": (
        (OPENING, CLOSING, "[^1]: \u201cThe Moon shall be used exclusively for peaceful purposes.\u201d"),
        (OPENING, CLOSING, "[^1]: \u201cThe Moon shall be used exclusively for peaceful purposes\u201d"),
        "UN152"),
    "a note that is a link whose address has parentheses (76/63)": (
        (OPENING, CLOSING, "[^1]: [A/76/190 (Part II).](https://undocs.org/en/A/76/190(PartII))"),
        (OPENING, CLOSING, "[^1]: [A/76/190 (Part II)](https://undocs.org/en/A/76/190(PartII))"),
        "UN152"),
    "two calls after one comma, a comma between them (79/138)": (
        ("*Recalling* the fatalities recorded in a single conflict,[^1],[^2] and the attacks,", CLOSING,
         "[^1]: See A/78/1.", "[^2]: See A/78/2."),
        ("*Recalling* the fatalities recorded in a single conflict[^1],[^2], and the attacks,", CLOSING,
         "[^1]: See A/78/1.", "[^2]: See A/78/2."),
        "UN151"),
    "an explanatory note written out again, a citation as 'Ibid.' (78/128)": (
        (OPENING, "1. *Decides* to remain seized of the matter,[^1] and of the question.[^2]",
         f"[^1]: {TERRITORIES}", f"[^2]: {TERRITORIES}"),
        (OPENING, "1. *Decides* to remain seized of the matter,[^1] and of the question.[^2]",
         "[^1]: See [A/77/211](https://undocs.org/en/A/77/211).",
         "[^2]: See [A/77/211](https://undocs.org/en/A/77/211)."),
        "UN153"),
    "'also' after the verb used inside a paragraph before (78/265, 80/129)": (
        (OPENING, "1. *Recalls* its resolution 76/307, and looks forward to the Summit;",
         "2. *Also looks forward* to the review in 2025."),
        (OPENING, "1. *Recalls* its resolution 76/307, and welcomes the Summit;",
         "2. *Also looks forward* to the review in 2025."),
        "UN131"),
    "'also' after the phrase set without italics (78/263: only UN101)": (
        ("Recalling the report of the Working Group,", "*Recalling also* the 2005 World Summit Outcome,",
         CLOSING.removesuffix("[^1]")),
        ("Noting the report of the Working Group,", "*Recalling also* the 2005 World Summit Outcome,",
         CLOSING.removesuffix("[^1]")),
        "UN131"),
}


@pytest.mark.parametrize("name", sorted(UN_USAGES))
def test_the_uns_usage_is_no_finding_and_the_mistake_beside_it_is(tmp_path, capsys, name):
    usage, mistake, code = UN_USAGES[name]
    expected = ["UN101"] if "without italics" in name else []
    assert codes(tmp_path, capsys, *usage) == expected
    assert codes(tmp_path, capsys, *mistake) == [*expected, code]


def test_build_warns_and_lint_error_fails(tmp_path, capsys):
    source = tmp_path / "x.md"
    source.write_text(CLEAN.replace("question of Palestine,", "question of Palestine;"), encoding="utf-8")
    assert main(["build", str(source), "-o", str(tmp_path / "x.html"), "--format", "html"]) == 0
    assert "warning: UN102" in capsys.readouterr().err
    assert main(["build", str(source), "-o", str(tmp_path / "y.html"), "--format", "html",
                 "--lint", "error"]) == 2
    assert not (tmp_path / "y.html").exists()


def test_new_writes_a_source_that_lints_clean_and_builds(tmp_path, capsys):
    source = tmp_path / "new.md"
    assert main(["new", "A/RES/80/999", "-o", str(source), "--committee", "Second Committee"]) == 0
    text = source.read_text(encoding="utf-8")
    assert "symbol: A/RES/80/999" in text and "committee: Second Committee" in text
    assert "% " in text  # the comment lines saying what goes where
    assert main(["lint", str(source)]) == 0
    pdf = tmp_path / "new.pdf"
    assert main(["build", str(source), "-o", str(pdf)]) == 0
    printed = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    for expected in ("A/RES/80/999", "Second Committee", "Recalling", "Requests", "Decides", "Annex"):
        assert expected in printed
    resolution = read(source)
    assert [type(block).__name__ for block in resolution.blocks] == [
        "Formula", "Paragraph", "Operative", "Operative"]
    assert len(resolution.footnotes) == 1 and len(resolution.annexes) == 1
    assert main(["new", "A/RES/80/999", "-o", str(source)]) == 2  # never overwrites


def test_new_in_french(tmp_path):
    source = tmp_path / "fr.md"
    assert main(["new", "A/RES/80/999", "-o", str(source), "--language", "fr"]) == 0
    text = source.read_text(encoding="utf-8")
    assert "language: fr" in text and "*L’Assemblée générale*," in text
    pdf = tmp_path / "fr.pdf"
    assert main(["build", str(source), "-o", str(pdf)]) == 0  # its "# Annexe" opens an annex
    page = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Nations Unies" in page and "Annexe" in page


@pytest.mark.parametrize("language", ["en", "fr", "es", "ru", "ar", "zh"])
def test_new_in_every_language_lints_clean_and_builds(tmp_path, capsys, language):
    source = tmp_path / f"{language}.md"
    assert main(["new", "A/RES/80/999", "-o", str(source), "--language", language]) == 0
    capsys.readouterr()
    assert lint(tmp_path, source.read_text(encoding="utf-8"), capsys) == (0, "")
    # Chinese sets a phrase and its text without a space ("**请**秘书长"): every word still counts
    assert main(["build", str(source), "-o", str(tmp_path / "out.pdf")]) == 0


LANGUAGE_FIXTURES = FIXTURES / "akn-languages"
# One mistake in the UN's own text of 80/232 in each language, and what it breaks by that
# language's conventions (house.Drafting): the marks, the markup, the side of a call.
LANGUAGE_MISTAKES = {
    "fr": ("1. *Prend acte*", "1. *Prends acte*", "UN113", "did you mean 'Prend acte'?"),
    "es": ("[^2],", ",[^2]", "UN151", "goes before the ','"),
    "ru": ("1. *принимает к сведению*", "1. принимает к сведению", "UN111", "an italic verb"),
    "ar": ("بتقرير الأمين العام؛", "بتقرير الأمين العام،", "UN112", "a comma (،), not a semicolon (؛)"),
    "zh": ("2. **认可**", "2. 认可", "UN111", "a bold verb"),
}


@pytest.mark.parametrize("language", sorted(LANGUAGE_MISTAKES))
def test_lint_reads_each_language_by_its_own_conventions(tmp_path, capsys, language):
    source = tmp_path / "source.md"
    xml = LANGUAGE_FIXTURES / f"A_RES_80_232.{language}.xml"
    assert main(["build", str(xml), "--format", "md", "-o", str(source)]) == 0
    capsys.readouterr()
    text = source.read_text(encoding="utf-8")
    assert lint(tmp_path, text, capsys) == (0, "")  # the UN's text, by the English rules: ~60 findings
    old, new, code, message = LANGUAGE_MISTAKES[language]
    at = text.index(old)
    mistaken = text[:at] + new + text[at + len(old):]
    status, out = lint(tmp_path, mistaken, capsys)
    line = mistaken[:at].count("\n") + 1
    assert status == 1 and out.count("\n") == 1, out
    assert f"x.md:{line}:" in out and f" {code} " in out and message in out, out


def test_importing_the_seed_text_builds_the_same_pdf_as_the_source(tmp_path):
    source = tmp_path / "seed.md"
    assert main(["import", str(FIXTURES / "seed" / "A_RES_58_208.txt"), "-o", str(source)]) == 0
    text = source.read_text(encoding="utf-8")
    assert "adopted: 2003-12-23" in text and "meeting: 78th plenary meeting" in text
    assert "*Recalling also* its resolutions" in text and "and *notes with appreciation*" in text
    pdf = tmp_path / "seed.pdf"
    assert main(["build", str(source), "-o", str(pdf)]) == 0
    result = measure(pdf, FIXTURES / "seed" / "A_RES_58_208.txt")
    # the same figures as source/A_RES_58_208.md (README): the text lacks only the committee line
    # and the italics of the notes, which move no break
    assert (result.pages, result.reference_pages) == (4, 4)
    assert result.notes_on_page == result.notes_total == 13
    assert result.breaks_kept >= 107 and result.similarity == 1.0


def test_importing_an_official_pdf_gives_the_akn_facts_and_text(tmp_path):
    source = tmp_path / "x.md"
    assert main(["import", str(FIXTURES / "official" / "A_RES_78_106.pdf"), "-o", str(source)]) == 0
    imported = read(source)
    official = read(FIXTURES / "akn" / "A_RES_78_106.xml")
    for key in ("symbol", "title", "session", "adopted", "committee", "report", "agenda_item",
                "agenda_title", "distributed", "job_number"):
        assert getattr(imported.meta, key) == getattr(official.meta, key), key
    assert len(imported.footnotes) == len(official.footnotes) == 1
    assert [type(b).__name__ for b in imported.blocks] == [type(b).__name__ for b in official.blocks]
    text = source.read_text(encoding="utf-8")
    assert "*Recalling also* its resolution 77/160" in text
    assert "fifty-sixth session;[^1]" in text  # the call, and no space pdfium guessed before "-"


def imported_text(tmp_path: Path, name: str) -> str:
    source = tmp_path / f"{name}.md"
    assert main(["import", str(FIXTURES / "official" / f"{name}.pdf"), "-o", str(source)]) == 0
    return source.read_text(encoding="utf-8")


def test_importing_an_official_pdf_keeps_a_paragraph_whole_across_its_lines(tmp_path):
    # 79/194 p. 10: pdfium gives no line break after a line-end hyphen ("capacity-" + "building"),
    # so two lines came as one and the next, two lines lower, opened a paragraph
    assert "capacity-building support to developing countries to support their efforts to " \
           "collect, analyse and disseminate relevant" in imported_text(tmp_path, "A_RES_79_194")
    # 79/313 p. 1: a line opening with a quotation mark, whose glyph sits above the baseline,
    # read as set after a gap; 78/65 p. 1: a line's text after the call at its end, 2 pt higher
    assert "Development”, by which it adopted a comprehensive" in imported_text(tmp_path, "A_RES_79_313")
    assert "(Treaty of Pelindaba)[^1] as a contribution" in imported_text(tmp_path, "A_RES_78_65")


def test_importing_an_official_pdf_drops_the_spaces_inside_words(tmp_path):
    # 78/128 p. 4: pdfium guesses a space at a gap between two letters ("fu ture", 1.3 pt), and
    # 79/65 p. 3: Word sets a space without width after the hyphen of "non- governmental"
    text = imported_text(tmp_path, "A_RES_78_128")
    assert "our future:" in text and "fu ture" not in text and "internationa l" not in text
    assert "and non\u2011governmental organizations" in imported_text(tmp_path, "A_RES_79_65")


def test_importing_joins_the_words_the_un_joins_with_a_non_breaking_hyphen(tmp_path):
    # the official PDF prints U+2011 as "-": 79/65's AKN4UN file has "non\u2011proliferation", and
    # "Secretary-General", which the UN breaks, stays as printed
    text = imported_text(tmp_path, "A_RES_79_65")
    assert "disarmament, non\u2011proliferation and" in text and "non-proliferation" not in text
    assert "Secretary-General" in text and "Secretary\u2011General" not in text
    # the UN's files join them from the 78th session on: a 2003 text keeps its hyphen
    seed = (FIXTURES / "seed" / "A_RES_58_208.txt").read_text(encoding="utf-8")
    for session, hyphen in (("58", "-"), ("78", "\u2011")):
        txt, source = tmp_path / f"{session}.txt", tmp_path / f"{session}.md"
        txt.write_text(seed.replace("58/208.", f"{session}/208.").replace(
            "follow-up to the outcomes", "non-governmental outcomes"), encoding="utf-8")
        assert main(["import", str(txt), "-o", str(source)]) == 0
        assert f"non{hyphen}governmental outcomes" in source.read_text(encoding="utf-8")


# Pages cut from official PDFs (pypdf), each with a way the UN sets a note: 79/214 its numbers
# at the text's size, 79/2 a number on a line of its own before a quotation mark, 79/159 a call
# on a line of its own in the text
@pytest.mark.parametrize("name,notes", [("A_RES_79_214", 3), ("A_RES_79_2", 6), ("A_RES_79_159", 7)])
def test_importing_reads_every_footnote_of_an_official_pdf(tmp_path, capsys, name, notes):
    source = tmp_path / "x.md"
    assert main(["import", str(FIXTURES / "import" / f"{name}.pages.pdf"), "-o", str(source)]) == 0
    assert "not placed" not in capsys.readouterr().err
    imported = read(source)
    assert [note.number for note in imported.footnotes] == list(range(1, notes + 1))


def test_importing_a_resolution_in_parts_numbers_each_part_from_one(tmp_path, capsys):
    """80/243 (pages 1-3): parts I-IV each count their paragraphs from 1; the running header's
    second line ("proposed programme budget for 2026") is furniture, not a heading."""
    from unpress.model import Heading, Operative, plain_text

    source = tmp_path / "x.md"
    assert main(["import", str(FIXTURES / "import" / "A_RES_80_243.pages.pdf"), "-o", str(source)]) == 0
    assert "not placed" not in capsys.readouterr().err
    parts: list[list[int]] = []
    numerals: list[str] = []
    for block in read(source).blocks:
        if isinstance(block, Heading):
            parts.append([])
            numerals.append(plain_text(block.content).split()[0])
        elif isinstance(block, Operative):
            parts[-1].append(block.number)
    assert len(parts) == 4 and all(numbers == list(range(1, len(numbers) + 1)) for numbers in parts)
    assert numerals == ["I", "II", "III", "IV"]


def test_an_imported_official_pdf_keeps_its_numbering_as_published_and_builds(tmp_path, capsys):
    # 78/128's annex goes 2, 4 on page 19: the official copy is the record, so the source keeps
    # the number, says `numbering: as published`, and builds (the preflight warns)
    source, pdf = tmp_path / "x.md", tmp_path / "x.pdf"
    assert main(["import", str(FIXTURES / "official" / "A_RES_78_128.pdf"), "-o", str(source)]) == 0
    assert "paragraph 4 where 3 was expected; kept as published" in capsys.readouterr().err
    assert "\nnumbering: as published\n" in source.read_text(encoding="utf-8")
    assert main(["build", str(source), "-o", str(pdf)]) == 0, capsys.readouterr().err


def test_importing_word(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("80/999. A test of the importer")
    document.add_paragraph().add_run("The General Assembly").italic = True
    preamble = document.add_paragraph()
    preamble.add_run("Recalling").italic = True
    preamble.add_run(" its resolution 79/1,")
    for verb, rest in (("Welcomes", " the report;"), ("Decides", " to remain seized of the matter.")):
        paragraph = document.add_paragraph(style="List Number")
        paragraph.add_run(verb).italic = True
        paragraph.add_run(rest)
    document.save(tmp_path / "x.docx")
    source = tmp_path / "x.md"
    assert main(["import", str(tmp_path / "x.docx"), "-o", str(source)]) == 0
    text = source.read_text(encoding="utf-8")
    assert "symbol: A/RES/80/999" in text
    assert "*Recalling* its resolution 79/1," in text
    assert "1. *Welcomes* the report;" in text and "2. *Decides* to remain seized" in text
    assert main(["lint", str(source)]) == 0


def test_import_reports_what_it_could_not_place(tmp_path, capsys):
    seed = (FIXTURES / "seed" / "A_RES_58_208.txt").read_text(encoding="utf-8")
    broken = tmp_path / "broken.txt"
    broken.write_text(seed.replace("Secretary-General;12", "Secretary-General;"), encoding="utf-8")
    assert main(["import", str(broken), "-o", str(tmp_path / "x.md")]) == 0
    assert "footnote 12 has no call in the text" in capsys.readouterr().err
