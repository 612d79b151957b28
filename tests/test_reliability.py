"""The reliability contract (issue 14): nothing destroyed, nothing silently dropped, nothing
exhausted.  Each case of the issue, through the command line (a subprocess, with a timeout,
wherever the old behaviour was to hang or to grow without bound) or the PDF's text."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from unpress import guards, weasy
from unpress.cli import main
from unpress.errors import UnpressError
from unpress.paths import STYLES
from unpress.pipeline import build_reporting
from unpress.readers.markdown import parse_source
from unpress.writers.pdf import project_fetcher

ROOT = Path(__file__).resolve().parents[1]
AKN = ROOT / "tests" / "fixtures" / "akn" / "A_RES_78_4.xml"
HEAD = "---\nsymbol: A/RES/58/208\ntitle: Test\n---\n\n*The General Assembly*,\n\n"
GOOD = HEAD + "1. *Decides* to test.[^1]\n\n[^1]: A note.\n"


def cli(*args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None,
        timeout: int = 120) -> subprocess.CompletedProcess:
    """The real program, bounded: a regression to a hang or a runaway fails the test, not the run."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def build(capsys, *args: str | Path) -> tuple[int, str, str]:
    status = main(["build", *map(str, args)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def refused(capsys, text: str, tmp_path: Path, *words: str, line: int | None = None) -> str:
    """Build `text`: exit 2, one line on stderr naming the source (and line) and the words,
    nothing written."""
    source = tmp_path / "res.md"
    source.write_text(text, encoding="utf-8")
    status, _, err = build(capsys, source, "-o", tmp_path / "out.pdf")
    assert status == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    where = f"{source}:{line}: " if line is not None else f"{source}"
    assert err.startswith(where), err
    for word in words:
        assert word in err, (word, err)
    assert not (tmp_path / "out.pdf").exists()
    return err


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


# -- inputs: regular files of bounded size ------------------------------------------------


@pytest.mark.parametrize("device, suffix", [("/dev/zero", ".md"), ("/dev/urandom", ".xml")])
def test_a_source_linked_to_a_device_is_refused_before_it_is_read(tmp_path, device, suffix):
    source = tmp_path / f"endless{suffix}"
    source.symlink_to(device)
    result = cli("build", source, "-o", tmp_path / "out.pdf", env={"UNPRESS_MEMORY_MB": "1024"})
    assert result.returncode == 2
    assert result.stderr.startswith(f"{source}: is a character device, not ")
    assert result.stderr.endswith(": only regular files are read\n") and result.stderr.count("\n") == 1


def test_a_fifo_in_a_source_directory_fails_alone_and_the_file_beside_it_is_built(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "good.md").write_text(GOOD, encoding="utf-8")
    os.mkfifo(folder / "pipe.md")
    result = cli("build", folder, "-o", f"{tmp_path}/out/", "--format", "html", timeout=60)
    assert result.returncode == 2
    assert f"{folder / 'pipe.md'}: is a FIFO (named pipe), not a .md source" in result.stderr
    assert (tmp_path / "out" / "good.html").read_text(encoding="utf-8").count("to test") == 1
    assert "1 built, 1 failed" in result.stdout


def test_a_source_over_the_size_limit_is_refused_by_its_size(tmp_path, capsys):
    source = tmp_path / "huge.md"
    with open(source, "wb") as handle:  # sparse: the limit is checked before anything is read
        handle.truncate(guards.MAX_SOURCE_BYTES + 1)
    status, _, err = build(capsys, source, "-o", tmp_path / "out.pdf")
    assert status == 2
    assert err == f"{source}: is larger than 20 MB, the limit for a .md source (docs/limits.md)\n"


def test_upper_case_suffixes_are_sources_in_directory_mode(tmp_path, capsys):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "UPPER.MD").write_text(GOOD, encoding="utf-8")
    status, out, err = build(capsys, tmp_path / "src", "-o", f"{tmp_path}/out/", "--format", "md")
    assert status == 0, err
    assert "to test" in (tmp_path / "out" / "UPPER.md").read_text(encoding="utf-8")


def test_an_emblem_of_too_many_pixels_is_refused(tmp_path, capsys):
    from PIL import Image

    emblem = tmp_path / "emblem.png"
    Image.new("1", (12000, 12000)).save(emblem)
    assert emblem.stat().st_size < 100_000  # small on disk, 144 million pixels decoded
    source = tmp_path / "res.md"
    source.write_text(GOOD, encoding="utf-8")
    status, _, err = build(capsys, source, "-o", tmp_path / "out.pdf", "--emblem", emblem)
    assert status == 2
    assert err.startswith(f"{emblem}: is an image of 12000 x 12000 pixels"), err
    assert not (tmp_path / "out.pdf").exists()


# -- outputs never destroy ------------------------------------------------------------------


def test_a_device_or_fifo_as_output_is_refused_and_left_as_it_was(tmp_path, capsys):
    source = tmp_path / "res.md"
    source.write_text(GOOD, encoding="utf-8")
    fifo = tmp_path / "out.pdf"
    os.mkfifo(fifo)
    for target, kind in ((fifo, "a FIFO (named pipe)"), (Path("/dev/null"), "a character device")):
        status, _, err = build(capsys, source, "-o", target)
        assert status == 2
        assert err == f"{target}: is {kind}; unpress writes only regular files, and nothing was written\n"
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_an_output_that_is_a_directory_is_refused(tmp_path, capsys):
    source = tmp_path / "res.md"
    source.write_text(GOOD, encoding="utf-8")
    (tmp_path / "out" / "res.pdf").mkdir(parents=True)
    status, _, err = build(capsys, source, "-o", f"{tmp_path}/out/")
    assert status == 2
    assert err.startswith(f"{tmp_path / 'out' / 'res.pdf'}: is a directory;"), err


@pytest.mark.parametrize("name, fmt", [("res.md", "md"), ("A_RES_78_4.xml", "akn")])
def test_an_output_that_is_the_source_is_refused_and_the_source_kept(tmp_path, capsys, name, fmt):
    source = tmp_path / name
    source.write_bytes(GOOD.encode() if fmt == "md" else AKN.read_bytes())
    before = source.read_bytes()
    link = tmp_path / "link"
    link.symlink_to(source)
    for target in (source, link):
        status, _, err = build(capsys, source, "-o", target, "--format", fmt)
        assert status == 2
        assert err == (f"{target}: is the source: writing the output would destroy it; nothing "
                       "was written (give -o another name)\n")
    assert source.read_bytes() == before


def test_an_output_that_is_another_input_is_refused(tmp_path, capsys):
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "a.xml").write_bytes(AKN.read_bytes())
    before = (tmp_path / "a.md").read_bytes()
    status, _, err = build(capsys, tmp_path / "a.xml", tmp_path / "a.md", "-o", f"{tmp_path}/",
                           "--format", "md")
    assert status == 2
    assert err == f"{tmp_path / 'a.md'}: is an input of this build ({tmp_path / 'a.md'}): writing " \
        "the output would destroy it; nothing was written (give -o another name)\n"
    assert (tmp_path / "a.md").read_bytes() == before


@pytest.mark.parametrize("first, second", [("a/res.md", "b/res.md"), ("res.md", "res.xml")])
def test_two_sources_that_would_write_one_output_are_refused_together(tmp_path, capsys, first, second):
    for name in (first, second):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(AKN.read_bytes() if name.endswith(".xml") else GOOD.encode())
    status, out, err = build(capsys, tmp_path / first, tmp_path / second, "-o", f"{tmp_path}/out/")
    assert status == 2
    assert err == (f"{tmp_path / 'out' / 'res.pdf'}: both {tmp_path / first} and {tmp_path / second} "
                   "would be written here; nothing was built: rename one, or build them into "
                   "different directories\n")
    assert not (tmp_path / "out").exists() and out == ""


def test_the_format_follows_the_suffix_of_o_or_is_refused(tmp_path, capsys):
    source = tmp_path / "res.md"
    source.write_text(GOOD, encoding="utf-8")
    status, _, err = build(capsys, source, "-o", tmp_path / "x.html")
    assert status == 0, err
    assert (tmp_path / "x.html").read_bytes().lstrip().lower().startswith(b"<!doctype html")
    status, _, err = build(capsys, source, "-o", tmp_path / "y.html", "--format", "pdf")
    assert status == 2
    assert err == (f"{tmp_path / 'y.html'}: --format pdf writes .pdf files, but -o ends with .html: "
                   "make them agree\n")
    status, _, err = build(capsys, source, tmp_path / "res.md", "-o", tmp_path / "foo.pdf")
    assert status == 2
    assert "-o names one .pdf file, but 2 sources are given" in err
    assert not (tmp_path / "y.html").exists() and not (tmp_path / "foo.pdf").exists()


# -- nothing dropped ----------------------------------------------------------------------------


def test_a_twelve_column_table_prints_every_column(tmp_path, capsys):
    header = "| " + " | ".join(f"Line {i}" for i in range(1, 13)) + " |\n|" + "---|" * 12 + "\n"
    rows = "".join("| " + " | ".join(f"{r}{i:02d},{i:03d},{r}00" for i in range(1, 13)) + " |\n"
                   for r in range(1, 4))
    source = tmp_path / "res.md"
    source.write_text(HEAD + "1. *Decides* to pay.\n\n" + header + rows, encoding="utf-8")
    status, _, err = build(capsys, source, "-o", tmp_path / "out.pdf")
    assert status == 0, err
    text = re.sub(r"\s+", "", pdf_text(tmp_path / "out.pdf"))
    for i in range(1, 13):
        assert f"Line{i}" in text
        for r in range(1, 4):
            assert f"{r}{i:02d},{i:03d},{r}00" in text


def test_a_table_too_wide_for_the_column_and_a_ragged_row_are_refused(tmp_path, capsys):
    header = "| " + " | ".join(f"c{i}" for i in range(500)) + " |\n|" + "---|" * 500 + "\n"
    refused(capsys, HEAD + header + "| " + " | ".join("1" * 500) + " |\n", tmp_path,
            "a table of 500 columns", "at most 16")
    ragged = HEAD + "| a | b |\n|---|---|\n| 1 | 2 | 3 |\n"
    refused(capsys, ragged, tmp_path, "this table row has 3 cells and the header 2", line=10)


def test_long_urls_and_words_break_and_keep_every_character(tmp_path, capsys):
    url = "https://www.un.org/" + "/".join(f"section{i}" for i in range(16)) + "/report.pdf"
    word = "x" * 1000
    source = tmp_path / "res.md"
    source.write_text(HEAD + f"1. *Decides* {word} to test.[^1]\n\n[^1]: See [{url}]({url}).\n",
                      encoding="utf-8")
    assert len(url) > 150
    status, _, err = build(capsys, source, "-o", tmp_path / "out.pdf")
    assert status == 0, err
    text = re.sub(r"\s+", "", pdf_text(tmp_path / "out.pdf"))
    assert url in text and word in text


def test_text_past_the_right_margin_is_found():
    """The layout check the PDF writer runs: a run the CSS cannot break is reported."""
    html = ('<html><body><p style="white-space: nowrap">' + "word " * 200 + "</p></body></html>")
    document = weasy.render(html, STYLES, [], project_fetcher())
    page, text = weasy.text_past_margin(document)
    assert page == 0 and text.startswith("word word")


def test_a_runaway_paragraph_is_refused_with_its_line(tmp_path, capsys):
    text = HEAD + "1. *Decides* " + "word " * (guards.MAX_PARAGRAPH_CHARACTERS // 5 + 10) + "end.\n"
    refused(capsys, text, tmp_path, "a paragraph of", "characters", "split it", line=8)


def test_too_many_notes_in_one_paragraph_are_refused_before_the_layout(tmp_path, capsys):
    n = guards.MAX_NOTES_PER_PARAGRAPH + 1
    calls = " ".join(f"word[^{i}]" for i in range(1, n + 1))
    notes = "\n".join(f"[^{i}]: Note {i}." for i in range(1, n + 1))
    refused(capsys, HEAD + f"1. *Decides* {calls} end.\n\n{notes}\n", tmp_path,
            f"a paragraph calls {n} footnotes", "at most 1000", line=8)


def test_a_document_of_more_than_a_hundred_notes_passes_the_preflight(tmp_path, capsys):
    """The preflight read note 100's marker as "10": the build was refused (issue 14)."""
    paragraphs = "\n\n".join(f"{i}. *Decides* to act on item {i}.[^{i}]" for i in range(1, 106))
    notes = "\n".join(f"[^{i}]: Document A/58/{i}." for i in range(1, 106))
    source = tmp_path / "res.md"
    source.write_text(HEAD + paragraphs + "\n\n" + notes + "\n", encoding="utf-8")
    status, _, err = build(capsys, source, "-o", tmp_path / "out.pdf")
    assert status == 0, err
    assert "Document A/58/105." in pdf_text(tmp_path / "out.pdf")


def test_bidi_controls_are_refused_in_markdown_and_akn(tmp_path, capsys):
    refused(capsys, HEAD + "1. *Decides* to pay \u202e000 001 dollars.\n", tmp_path,
            "bidirectional control character U+202E", line=8)
    akn = tmp_path / "res.xml"
    raw = AKN.read_text(encoding="utf-8")
    assert "Adopts</span> the" in raw
    akn.write_text(raw.replace("Adopts</span> the", "Adopts</span> \u2067the", 1), encoding="utf-8")
    status, _, err = build(capsys, akn, "-o", tmp_path / "out.pdf")
    assert status == 2 and "U+2067" in err and err.startswith(str(akn)), err


@pytest.mark.parametrize("char, words", [("\U0001F600", "U+1F600 GRINNING FACE"),
                                         ("\U000E0080", "U+E0080 (an unassigned code point)")])
def test_a_character_no_bundled_font_prints_is_refused_with_its_line(tmp_path, capsys, char, words):
    refused(capsys, HEAD + f"1. *Decides* to test {char}.\n", tmp_path, words,
            "cannot be printed", line=8)


@pytest.mark.parametrize("reference", ["&#0;", "&#xD800;", "&#x110000;", "&#27;"])
def test_a_character_reference_to_no_character_is_refused(tmp_path, capsys, reference):
    refused(capsys, HEAD + f"1. *Decides* {reference} to test.\n", tmp_path,
            f"the character reference '{reference}' at column 14", line=8)


def test_a_second_paragraph_of_a_footnote_is_refused(tmp_path, capsys):
    text = GOOD + "\n    Second paragraph of the note.\n"
    refused(capsys, text, tmp_path, "footnote [^1] goes on with a second paragraph", line=12)


def test_numbered_paragraphs_without_blank_lines_are_refused_not_merged(tmp_path, capsys):
    text = HEAD + "1. *Decides* one;\n2. *Decides* two;\n3. *Decides* three.\n"
    refused(capsys, text, tmp_path, "'2. *Decides* two;' starts a new paragraph", line=9)
    text = HEAD + "1. *Decides*:\n    (a) one;\n"
    refused(capsys, text, tmp_path, "'(a) one;' starts a new paragraph", line=9)


def test_a_duplicate_front_matter_key_is_refused(tmp_path, capsys):
    text = GOOD.replace("title: Test\n", "title: Test\ntitle: Other\n")
    refused(capsys, text, tmp_path, "front matter key 'title' is given twice (first at line 3)", line=4)


def test_annex_headings_are_checked(tmp_path, capsys):
    refused(capsys, GOOD + "\n# Annex\n\n# Title of the annex\n\nText.\n", tmp_path,
            "this annex has a title and no text", line=12)
    refused(capsys, GOOD + "\n# Appendix\n\nText.\n", tmp_path,
            "'# Appendix' would start an annex", "'## '", line=12)


def test_an_empty_footnote_is_refused_as_such(tmp_path, capsys):
    refused(capsys, GOOD.replace("[^1]: A note.", "[^1]:"), tmp_path,
            "footnote [^1] has no text", line=10)


@pytest.mark.parametrize("value, words", [
    ("2023-13-45", "a real date written YYYY-MM-DD"),
    ("2023-02-30", "a real date written YYYY-MM-DD"),
    ("2023-02-03T25:00", "a real date written YYYY-MM-DD"),
    ("2023-01-01 25:00:00", "a real date written YYYY-MM-DD"),
    ("0001-01-01", "a date from 1946 on"),
])
def test_impossible_dates_are_refused_with_their_line(tmp_path, capsys, value, words):
    refused(capsys, GOOD.replace("title: Test\n", f"title: Test\nadopted: {value}\n"), tmp_path,
            f"'adopted' must be {words}", line=4)


def test_impossible_sessions_are_refused(tmp_path, capsys):
    text = GOOD.replace("A/RES/58/208\n", "A/RES/ES-10/1\nsession: 1000\n")
    refused(capsys, text, tmp_path, "'session' must be a session number from 1 to 999", line=3)
    akn = tmp_path / "res.xml"
    akn.write_text(re.sub(r'(<(?:akn:)?session [^>]*value=")\d+"', "\\1\u00b2\"",
                          AKN.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    status, _, err = build(capsys, akn, "-o", tmp_path / "out.pdf")
    assert status == 2 and "<session value='²'> is not a session number" in err, err


# -- bounded cost ----------------------------------------------------------------------------


def test_the_memory_limit_is_set_and_a_runaway_ends_as_one_line(tmp_path, monkeypatch):
    probe = ("import resource\nfrom unpress.guards import limit_memory\nlimit_memory()\n"
             "print(resource.getrlimit(resource.RLIMIT_AS)[0])\n"
             "try:\n    bytearray(2 * 2**30)\nexcept MemoryError:\n    print('MemoryError')\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "UNPRESS_MEMORY_MB": "1500"}, cwd=ROOT)
    assert result.stdout.split() == [str(1500 * 2**20), "MemoryError"]

    def runaway(*args: object) -> None:
        raise MemoryError

    monkeypatch.setattr("unpress.pipeline.build_one", runaway)
    line, _ = build_reporting(tmp_path / "res.md", tmp_path / "res.pdf", guards_options())
    assert line == (f"{tmp_path / 'res.md'}: the build ran out of memory (the limit is 4,096 MB per "
                    "build process, UNPRESS_MEMORY_MB); the source is too large to set (docs/limits.md)")


ABORTING_BUILD = """
import os
from unpress import pipeline

real = pipeline.render_bytes


def render_bytes(source, data, options):  # a C library's abort (Pango, cairo) under the memory cap
    if source.name.startswith("abort"):
        os.abort()
    return real(source, data, options)


pipeline.render_bytes = render_bytes
"""


def test_a_worker_that_dies_costs_only_its_own_build(tmp_path):
    """A build that aborts its worker process fails alone; the pool's other builds are written."""
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(ABORTING_BUILD, encoding="utf-8")  # every process loads it
    folder = tmp_path / "src"
    folder.mkdir()
    names = ["a", "abort", "b", "c", "d"]
    for name in names:
        (folder / f"{name}.md").write_text(GOOD, encoding="utf-8")
    result = cli("build", folder, "-o", f"{tmp_path}/out/", "--jobs", "2", timeout=300,
                 env={"PYTHONPATH": f"{hooks}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"})
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == (f"{folder / 'abort.md'}: the build process died (a library "
                                     "aborted, or it was killed); nothing was written")
    assert sorted(p.stem for p in (tmp_path / "out").glob("*.pdf")) == ["a", "b", "c", "d"]
    assert "4 built, 1 failed" in result.stdout


def guards_options():
    from unpress.pipeline import BuildOptions

    return BuildOptions()


# -- property: any text is a document or one clear refusal -------------------------------------

HOSTILE = st.sampled_from(["\u202e", "\u2066", "\x00", "\x1b", "&#0;", "&#xD800;", "\U0001F600",
                           "\ufffd", "[^9]", "# ", "\n2. ", "\n\n    ", "|", "\u00ad", "&amp;"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.text(alphabet=st.characters(codec="utf-8"), max_size=8), HOSTILE),
                max_size=8))
def test_any_paragraph_is_read_or_refused_with_one_error(parts):
    """Whatever the paragraph holds, the reader and the guards raise an UnpressError or give
    a document whose text holds no control, bidi or unprintable character."""
    text = HEAD + "1. *Decides* " + "".join(parts) + "\n"
    try:
        resolution = parse_source(text, "res.md")
        guards.check_document(resolution, Path("res.md"), text, printing=True)
    except UnpressError:
        return
    from unpress.model import Text, walk

    printed = "".join(node.text for node in walk(resolution, inlines=True) if isinstance(node, Text))
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069\ufffd]", printed)
    assert set(printed) <= guards.font_coverage() | guards.INVISIBLE | guards.PRINTED_AS_ANOTHER


def test_one_build_on_a_terminal_shows_that_it_is_working(tmp_path):
    """A long build is not silent on a terminal: a spinner names the source and the time taken."""
    import pty

    source = tmp_path / "res.md"
    source.write_text(GOOD, encoding="utf-8")
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "build", str(source), "-o",
                                str(tmp_path / "out.pdf")], cwd=ROOT, stdout=follower,
                               stderr=follower, env={**os.environ, "TERM": "xterm", "COLUMNS": "300"})
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: the build ended
            break
        if not chunk:
            break
        seen += chunk
    assert process.wait(timeout=120) == 0
    os.close(leader)
    assert f"building {source}".encode() in seen
    assert b" -> " in seen and (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")


def test_a_preflight_failure_names_the_source_not_the_temporary_pdf(tmp_path, monkeypatch):
    from unpress.pipeline import preflight

    def unreadable(path: str) -> None:
        raise UnpressError(path, "not a readable PDF (PdfReadError)")

    monkeypatch.setattr("unpress.preflight.check_pdf", unreadable)
    source = tmp_path / "res.md"
    with pytest.raises(UnpressError) as caught:
        preflight(source, b"%PDF-1.7 truncated")
    assert str(caught.value) == (f"{source}: the built PDF cannot be checked (not a readable PDF "
                                 "(PdfReadError)); nothing was written")
