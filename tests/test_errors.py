"""Broken sources through the real CLI: one clear line, exit 2, nothing written, nothing lost."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers import run_cli

from unpress.errors import UnpressError
from unpress.pipeline import write_atomically

ROOT = Path(__file__).resolve().parent.parent

GOOD = """---
symbol: A/RES/58/208
title: Test
---

*The General Assembly*,

1. *Decides* to test.[^1]

[^1]: A note.
"""




def variant(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


# name: (source text or bytes, expected "path:line" prefix suffix, words the message must carry)
CASES: dict[str, tuple[str | bytes, int | None, tuple[str, ...]]] = {
    "empty file": ("", None, ("empty", "'---' front matter")),
    "blank file": ("\n  \n", None, ("empty",)),
    "no front matter": (GOOD.split("---\n", 2)[2], 1, ("no front matter", "'---'", "symbol:")),
    "front matter not closed": ("---\nsymbol: A/RES/58/208\ntitle: Test\n", 1, ("not closed", "'---'")),
    "front matter not YAML": (variant("title: Test", "title: [Test"), 3, ("not valid YAML",)),
    "front matter not a mapping": ("---\n- a\n- b\n---\n\nText.\n", 2, ("'key: value'",)),
    "symbol missing": (variant("symbol: A/RES/58/208\n", ""), 3,
                       ("'symbol' is required", "symbol: A/RES/58/208", "closing '---'")),
    "title missing": (variant("title: Test\n", ""), 3,
                      ("'title' is required", "title:", "closing '---'")),
    "symbol empty": (variant("symbol: A/RES/58/208", "symbol:"), 2, ("'symbol' is empty", "A/RES/58/208")),
    "unknown key": (variant("title: Test\n", "title: Test\ncolour: blue\n"), 4,
                    ("unknown front matter key 'colour'", "known keys", "symbol", "title")),
    "malformed symbol": (variant("A/RES/58/208", "A/58/208"), 2,
                         ("'symbol' must be", "such as A/RES/58/208", "'A/58/208'")),
    "YAML python tag": (variant("title: Test", "title: !!python/object/apply:os.system ['echo pwned']"), 3,
                        ("not valid YAML", "tags", "not allowed")),
    "footnote called, never defined": (variant("[^1]: A note.\n", ""), 8,
                                       ("[^1] is called but never defined", "[^1]: text")),
    "footnote defined, never called": (variant("to test.[^1]", "to test."), 10,
                                       ("[^1] is defined but never called",)),
    "operative numbering skips": (variant("1. *Decides* to test.[^1]",
                                          "1. *Decides* to test.[^1]\n\n3. *Requests* more."), 10,
                                  ("paragraph 3 follows paragraph 1", "expected 2")),
    "operative numbering repeats": (variant("1. *Decides* to test.[^1]",
                                            "1. *Decides* to test.[^1]\n\n1. *Requests* more."), 10,
                                    ("paragraph 1 follows paragraph 1", "expected 2")),
    "operative numbering starts at 2": (variant("1. *Decides*", "2. *Decides*"), 8,
                                        ("paragraph 2 follows paragraph 0", "expected 1")),
    "not UTF-8": (GOOD.encode().replace(b"to test", b"to t\xe9st"), 8,
                  ("not valid UTF-8", "0xe9", "column 18", "save the file as UTF-8")),
    "raw HTML": (variant("to test.", "to <b>test</b>."), 8, ("raw HTML is not allowed", "Markdown")),
}


def assert_one_error_line(result: subprocess.CompletedProcess, where: str, words: tuple[str, ...]) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    line = lines[0]
    assert line.startswith(where + ": "), line
    for word in words:
        assert word in line, (word, line)
    return line


@pytest.mark.parametrize("name", list(CASES))
def test_broken_source(tmp_path, name):
    text, line, words = CASES[name]
    source = tmp_path / "bad.md"
    if isinstance(text, bytes):
        source.write_bytes(text)
    else:
        source.write_text(text, encoding="utf-8")
    result = run_cli("build", "bad.md", "-o", "out.pdf", cwd=tmp_path)
    where = "bad.md" if line is None else f"bad.md:{line}"
    assert_one_error_line(result, where, words)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.md"]


def test_debug_shows_the_traceback(tmp_path):
    (tmp_path / "bad.md").write_text("", encoding="utf-8")
    result = run_cli("--debug", "build", "bad.md", "-o", "out.pdf", cwd=tmp_path)
    assert result.returncode != 0
    assert "Traceback" in result.stderr and "UnpressError" in result.stderr
    assert not (tmp_path / "out.pdf").exists()


def test_source_does_not_exist(tmp_path):
    result = run_cli("build", "missing.md", "-o", "out.pdf", cwd=tmp_path)
    assert_one_error_line(result, "missing.md", ("no such file",))
    assert list(tmp_path.iterdir()) == []


def test_source_is_not_a_source(tmp_path):
    (tmp_path / "notes.txt").write_text(GOOD, encoding="utf-8")
    result = run_cli("build", "notes.txt", "-o", "out.pdf", cwd=tmp_path)
    assert_one_error_line(result, "notes.txt", ("not a source", ".md"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("output", ["blocker/out.pdf", "blocker/deeper/out.pdf"])
def test_output_under_a_regular_file(tmp_path, output):
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "blocker").write_text("not a directory", encoding="utf-8")
    result = run_cli("build", "good.md", "-o", output, cwd=tmp_path)
    assert_one_error_line(result, output, ("cannot write the output", "'blocker' is a file"))
    assert (tmp_path / "blocker").read_text(encoding="utf-8") == "not a directory"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker", "good.md"]


def test_output_in_an_unwritable_place(tmp_path):
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    result = run_cli("build", "good.md", "-o", "/proc/unpress-test.pdf", cwd=tmp_path)
    assert_one_error_line(result, "/proc/unpress-test.pdf", ("cannot write the output",))
    assert not Path("/proc/unpress-test.pdf").exists()


def test_failed_build_leaves_the_earlier_pdf_untouched(tmp_path):
    (tmp_path / "res.md").write_text(GOOD, encoding="utf-8")
    first = run_cli("build", "res.md", "-o", "out/res.pdf", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    before = (tmp_path / "out" / "res.pdf").read_bytes()
    assert before.startswith(b"%PDF-")
    (tmp_path / "res.md").write_text(variant("1. *Decides*", "2. *Decides*"), encoding="utf-8")
    second = run_cli("build", "res.md", "-o", "out/res.pdf", cwd=tmp_path)
    assert second.returncode == 2
    assert (tmp_path / "out" / "res.pdf").read_bytes() == before
    assert [p.name for p in (tmp_path / "out").iterdir() if p.name != ".unpress-cache.json"] == ["res.pdf"]


def test_failed_write_leaves_no_temp_file(tmp_path):
    """The final rename fails (the target is a directory): the temp file beside it is removed."""
    (tmp_path / "res.pdf").mkdir()
    (tmp_path / "res.pdf" / "keep").write_text("kept", encoding="utf-8")
    with pytest.raises(UnpressError, match="cannot write the output"):
        write_atomically(tmp_path / "res.pdf", b"%PDF-new")
    assert [p.name for p in tmp_path.iterdir()] == ["res.pdf"]
    assert (tmp_path / "res.pdf" / "keep").read_text(encoding="utf-8") == "kept"


def test_batch_goes_on_past_a_bad_source(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "a.md").write_text(GOOD, encoding="utf-8")
    (sources / "b.md").write_text(variant("[^1]: A note.\n", ""), encoding="utf-8")
    (sources / "c.md").write_text(variant("A/RES/58/208", "A/RES/58/209"), encoding="utf-8")
    (sources / "d.md").write_bytes(b"\xff\xfe")
    result = run_cli("build", "sources", "-o", "out", cwd=tmp_path)
    assert result.returncode == 2
    assert sorted(p.name for p in (tmp_path / "out").iterdir()
                  if p.name != ".unpress-cache.json"
                  ) == ["a.pdf", "c.pdf"]
    errors = result.stderr.splitlines()
    assert len(errors) == 2 and "Traceback" not in result.stderr
    assert errors[0].startswith("sources/b.md:8: ") and errors[1].startswith("sources/d.md:1: ")
    summary = result.stdout.splitlines()[-1]
    assert summary.startswith("2 built, 2 failed")
    assert "sources/b.md" in summary and "sources/d.md" in summary


def test_batch_of_files_fails_when_any_fails(tmp_path):
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    result = run_cli("build", "a.md", "missing.md", "-o", "out", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "missing.md: no such file or directory"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()
                  if p.name != ".unpress-cache.json"
                  ) == ["a.pdf"]
    assert result.stdout.splitlines()[-1].startswith("1 built, 1 failed: missing.md (")


def test_a_footnote_called_twice_is_refused(tmp_path):
    source = tmp_path / "res.md"
    source.write_text(variant("1. *Decides*", "*Recalling*[^1] its work,\n\n1. *Decides*"),
                      encoding="utf-8")
    result = run_cli("build", "res.md", "-o", "res.pdf", cwd=tmp_path)
    assert result.returncode == 2
    assert "is called a second time" in result.stderr and "res.md:" in result.stderr
    assert not (tmp_path / "res.pdf").exists()
