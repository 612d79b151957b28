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
    "UN161": (f"12{NBSP}September", "12 September", "UN161"),
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
    mistake = CLEAN.replace(f"12{NBSP}September", "12 September")
    per_file = mistake.replace("language: en", "language: en\nlint: UN161")
    assert lint(tmp_path, per_file, capsys) == (0, "")
    per_block = mistake.replace("*Taking note* of the meeting",
                                "% lint: ignore UN161\n*Taking note* of the meeting")
    assert lint(tmp_path, per_block, capsys) == (0, "")


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
