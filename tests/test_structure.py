"""The structure the project grows on (issue 10): one pipeline, one house-style registry, one
WeasyPrint adapter, and the user-visible bugs the old leaks caused."""

from __future__ import annotations

import ast
import os
import re
import shutil
from pathlib import Path

import pytest
import tinycss2
from pypdf import PdfReader

import unpress
from unpress import weasy
from unpress.cli import main
from unpress.house import EDITIONS, Geometry
from unpress.paths import STYLES
from unpress.readers import read
from unpress.writers.pdf import render_document

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(unpress.__file__).parent
SOURCE = ROOT / "source" / "A_RES_58_208.md"
NO_CLOSING = ROOT / "tests" / "fixtures" / "footnotes_near_page_end.md"


# -------------------------------------------------------------- the import graph

def imports_of(path: Path) -> set[str]:
    """The unpress modules (and weasyprint/pydyf) a module imports, at any depth of its code."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    modules = {module_name(p) for p in PACKAGE.rglob("*.py")}
    return {name for name in names if name in modules or name.split(".")[0] in ("weasyprint", "pydyf")}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


GRAPH = {module_name(path): imports_of(path) for path in PACKAGE.rglob("*.py")}


def test_no_import_cycle_in_the_package():
    state: dict[str, int] = {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for imported in sorted(GRAPH.get(module, ())):
            if imported not in GRAPH or imported == module:
                continue
            if state.get(imported) == 1:
                pytest.fail("import cycle: " + " -> ".join([*trail, module, imported]))
            if imported not in state:
                visit(imported, [*trail, module])
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [])


def test_pipeline_is_below_the_commands():
    """cli, batch and watch build on the pipeline; neither batch nor watch imports a command."""
    assert not GRAPH["unpress.pipeline"] & {"unpress.cli", "unpress.batch", "unpress.watch"}
    assert "unpress.pipeline" in GRAPH["unpress.batch"] and "unpress.pipeline" in GRAPH["unpress.watch"]
    assert not GRAPH["unpress.batch"] & {"unpress.cli", "unpress.watch"}
    assert not GRAPH["unpress.watch"] & {"unpress.cli", "unpress.batch"}


def test_only_the_adapter_touches_weasyprint():
    touching = sorted(module for module, names in GRAPH.items()
                      if any(name.split(".")[0] in ("weasyprint", "pydyf") for name in names))
    assert touching == ["unpress.weasy"]


def test_no_writer_calls_another_writer():
    writers = {name for name in GRAPH if name.startswith("unpress.writers.")}
    for writer in writers:
        # the PDF writer's first stage is the HTML writer (HTML + CSS -> WeasyPrint), nothing else
        allowed = {"unpress.writers.html"} if writer == "unpress.writers.pdf" else set()
        assert GRAPH[writer] & writers <= allowed, writer


# -------------------------------------------------------------- the registry against the CSS

def declarations(sheet: Path) -> dict[str, dict[str, str]]:
    """selector -> property -> value, for the plain rules of a stylesheet (last one wins)."""
    rules: dict[str, dict[str, str]] = {}
    for rule in tinycss2.parse_stylesheet(sheet.read_text(encoding="utf-8"), skip_comments=True,
                                          skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue
        selector = tinycss2.serialize(rule.prelude).strip()
        for item in tinycss2.parse_declaration_list(rule.content, skip_comments=True,
                                                    skip_whitespace=True):
            if item.type == "declaration":
                rules.setdefault(selector, {})[item.lower_name] = tinycss2.serialize(item.value).strip()
    return rules


def points(value: str) -> float:
    match = re.fullmatch(r"(-?[\d.]+)pt", value.split()[0])
    assert match, value
    return float(match.group(1))


@pytest.mark.parametrize("name", sorted(EDITIONS))
def test_the_css_sets_what_the_registry_says(name):
    edition = EDITIONS[name]
    geometry: Geometry = edition.geometry
    css: dict[str, dict[str, str]] = {}
    for sheet in edition.stylesheets:
        for selector, values in declarations(STYLES / sheet).items():
            css.setdefault(selector, {}).update(values)
    body, pitch = points(css["html"]["font-size"]), points(css["html"]["line-height"])
    assert geometry.body_size[0] <= body <= geometry.body_size[1]
    assert pitch == geometry.body_pitch
    assert geometry.note_size[0] <= points(css[".footnote"]["font-size"]) <= geometry.note_size[1]
    assert points(css[".footnote::footnote-call"]["font-size"]) < geometry.superscript_max_size
    gap = points(css[".body p + p, .annex p + p"]["margin-top"])
    assert pitch < geometry.paragraph_gap < pitch + gap  # a paragraph gap is told from a line's pitch
    indent = points(css[".formula, .paragraph, .operative, .subparagraph"]["text-indent"])
    assert geometry.first_line_indent[0] <= indent <= geometry.first_line_indent[1]
    assert indent > geometry.continuation_indent


def test_each_edition_names_existing_stylesheets_and_the_template_knows_its_layouts():
    template = (ROOT / "templates" / "resolution.html").read_text(encoding="utf-8")
    for edition in EDITIONS.values():
        assert all((STYLES / sheet).is_file() for sheet in edition.stylesheets)
        for layout in edition.layouts:
            css = "".join((STYLES / sheet).read_text(encoding="utf-8") for sheet in edition.stylesheets)
            assert f".{layout.name}" in css and "body_classes" in template


# -------------------------------------------------------------- WeasyPrint canaries

def test_weasyprint_is_the_version_the_adapter_was_written_for():
    assert weasy.VERSION == weasy.WRITTEN_FOR, (
        f"WeasyPrint {weasy.VERSION}: re-check every contact listed in unpress/weasy.py, then "
        "update WRITTEN_FOR")


@pytest.fixture(scope="module")
def laid_out_58_208():
    return render_document(read(SOURCE))


def test_the_internals_the_repair_reads_are_there(laid_out_58_208):
    pages = weasy.page_boxes(laid_out_58_208)
    assert len(pages) == 4
    called, placed = weasy.footnote_pages(laid_out_58_208)
    assert len(called) == 13 and called == placed  # every call found, every note with it
    lines = weasy.laid_out_lines(laid_out_58_208)
    paragraphs = [line for line in lines if line.paragraph is not None]
    assert len(paragraphs) > 100
    assert {line.orphans for line in paragraphs} == {2}  # CSS `orphans`, the computed value
    assert sum(len(line.notes) for line in lines) == 13


def test_writing_compressed_as_painted_and_released_as_tagged_gives_weasyprints_bytes(monkeypatch):
    """The memory savings of a long resolution (docs/limits.md) change no byte of the file but
    those of the compression level: at pydyf's own, WeasyPrint's bytes."""
    monkeypatch.setattr(weasy, "PAGE_COMPRESSION", 9)
    options = {"pdf_tags": True, "pdf_identifier": b"canary", "pdf_variant": "pdf/a-3b"}
    plain = render_document(read(SOURCE)).write_pdf(**options)
    document = render_document(read(SOURCE))
    weasy.compress_when_painted(document)
    document.pages = weasy.PagesWrittenOnce(document.pages)
    assert document.write_pdf(**options) == plain
    assert [page._page_box for page in document.pages] == [None] * 4  # the layout was let go


def test_line_breaks_answered_from_memory_give_weasyprints_bytes(monkeypatch):
    """Pango's remembered answers (unpress.weasy) change no byte of a PDF: 58/208 and a Chinese
    resolution, each laid out after the other, as they are laid out without a memory."""
    options = {"pdf_tags": True, "pdf_identifier": b"canary", "pdf_variant": "pdf/a-3b"}
    chinese = ROOT / "tests" / "fixtures" / "akn-languages" / "A_RES_80_232.zh.xml"
    weasy.line_breaks.clear()
    remembered = [render_document(read(path)).write_pdf(**options) for path in (SOURCE, chinese)]
    asked = []
    monkeypatch.setattr(weasy, "PANGO_LINE_BREAK", lambda *arguments: asked.append(arguments))
    assert render_document(read(SOURCE)).write_pdf(**options) == remembered[0]
    assert asked == []  # laid out again, 58/208 asked Pango nothing
    monkeypatch.undo()
    monkeypatch.setattr(weasy.weasy_inline, "split_first_line", weasy.split_first_line_but_trailing_spaces)
    monkeypatch.setattr(weasy.weasy_preferred, "split_first_line", weasy.split_first_line_but_trailing_spaces)
    assert [render_document(read(path)).write_pdf(**options) for path in (SOURCE, chinese)] == remembered


@pytest.mark.parametrize("style", ["font-size: 13pt", "font-weight: bold", "font-style: italic",
                                   "letter-spacing: 0.5pt", "word-spacing: 2pt", "hyphens: auto",
                                   "white-space: nowrap"])
def test_a_line_break_is_remembered_only_for_the_same_style(style, monkeypatch):
    """The same text in another style is broken anew: laid out after the plain paragraph, the
    styled one breaks where WeasyPrint alone breaks it."""
    from unpress.house import EDITIONS
    from unpress.writers.html import stylesheet_paths
    from unpress.writers.pdf import project_fetcher

    text = "The General Assembly, recalling its resolutions on the sustainable development of " * 4
    html = (f"<html lang=en><body><p style='width: 170pt'>{text}</p>"
            f"<p style='width: 170pt; {style}'>{text}</p></body></html>")
    sheets = weasy.stylesheets(stylesheet_paths(EDITIONS["current"]), project_fetcher())

    def lines() -> list[str]:
        document = weasy.render(html, STYLES, sheets, project_fetcher())
        return [line.text for line in weasy.laid_out_lines(document)]

    weasy.line_breaks.clear()
    remembered = lines()
    monkeypatch.setattr(weasy.weasy_inline, "split_first_line", weasy.split_first_line_but_trailing_spaces)
    assert remembered == lines()


def test_the_repair_is_capped_and_logged(caplog):
    import logging

    caplog.set_level(logging.INFO, logger="unpress")
    render_document(read(NO_CLOSING))
    passes = [record.getMessage() for record in caplog.records if "pass" in record.getMessage()]
    assert passes and len(passes) <= 8
    assert "note 3 is not on its call's page" in passes[0]


# -------------------------------------------------------------- the bugs, through the CLI

def test_a_pdf_the_build_accepted_passes_check_on_its_own(tmp_path, capsys):
    """A source without meeting or date: its PDF says there is no closing block to look for."""
    pdf = tmp_path / "no-closing.pdf"
    assert main(["build", str(NO_CLOSING), "-o", str(pdf)]) == 0
    assert PdfReader(pdf).metadata["/UnpressClosingBlock"] == "no"
    capsys.readouterr()
    assert main(["check", str(pdf)]) == 0, capsys.readouterr().out


def test_outputs_get_the_users_permissions(tmp_path):
    saved = os.umask(0o027)
    try:
        assert main(["build", str(SOURCE), "--format", "md", "-o", str(tmp_path / "r.md")]) == 0
    finally:
        os.umask(saved)
    assert (tmp_path / "r.md").stat().st_mode & 0o777 == 0o640


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"unpress {unpress.__version__}"


def test_an_unexpected_exception_is_one_line_naming_the_file(tmp_path, capsys, monkeypatch):
    def broken(*_args, **_kwargs):
        raise KeyError("lost")

    monkeypatch.setattr("unpress.writers.markdown.write_markdown", broken)
    status = main(["build", str(SOURCE), "--format", "md", "-o", str(tmp_path / "r.md")])
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"{SOURCE}: internal error (KeyError: 'lost')")


def test_debug_after_the_command_shows_the_traceback(tmp_path):
    (tmp_path / "bad.md").write_text("", encoding="utf-8")
    with pytest.raises(unpress.errors.UnpressError, match="empty"):
        main(["build", str(tmp_path / "bad.md"), "-o", str(tmp_path / "x.pdf"), "--debug"])


def test_the_cache_sees_an_emblem_named_with_a_comment(tmp_path, capsys):
    source = tmp_path / "r.md"
    text = SOURCE.read_text(encoding="utf-8")
    source.write_text(text.replace("---\n", "---\nemblem: e.svg  # the UN emblem\n", 1), encoding="utf-8")
    shutil.copy(ROOT / "styles" / "footnote-rule.svg", tmp_path / "e.svg")
    out = tmp_path / "out"
    assert main(["build", str(source), "--format", "md", "-o", f"{out}/"]) == 0
    assert main(["build", str(source), "--format", "md", "-o", f"{out}/"]) == 0
    assert "(up to date)" in capsys.readouterr().out
    (tmp_path / "e.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    assert main(["build", str(source), "--format", "md", "-o", f"{out}/"]) == 0
    assert "(up to date)" not in capsys.readouterr().out


# -------------------------------------------------------------- an installable package

def test_the_wheel_works_outside_the_checkout(tmp_path):
    """Templates, styles and fonts travel in the wheel: unpacked elsewhere, it builds and checks."""
    import subprocess
    import sys
    import zipfile

    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "-w", str(tmp_path / "dist"), str(ROOT)], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("unpress-*.whl"))
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    assert (site / "unpress" / "styles" / "fonts" / "LiberationSerif-Regular.ttf").is_file()
    work = tmp_path / "elsewhere"
    work.mkdir()
    shutil.copy(SOURCE, work / "r.md")
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = [sys.executable, "-c", "import sys, unpress.cli; assert unpress.__file__.startswith(sys.argv[1]); "
           "raise SystemExit(unpress.cli.main(sys.argv[2:]))", str(site)]
    built = subprocess.run([*run, "build", "r.md", "-o", "r.pdf"], cwd=work, env=env,
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    checked = subprocess.run([*run, "check", "r.pdf"], cwd=work, env=env, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout
    html = subprocess.run([*run, "build", "r.md", "--format", "html", "-o", "r.html"], cwd=work, env=env,
                          capture_output=True, text=True)
    assert html.returncode == 0, html.stderr
    assert str(ROOT) not in (work / "r.html").read_text(encoding="utf-8")


def test_the_html_edition_on_screen_shows_no_print_furniture(tmp_path):
    """In a browser (CSS media "screen") the running heads, folios and the page-1 foot are hidden."""
    from weasyprint import HTML

    source = ROOT / "tests" / "fixtures" / "akn" / "A_RES_80_232.xml"
    page = tmp_path / "r.html"
    assert main(["build", str(source), "--format", "html", "-o", str(page)]) == 0
    for media, furniture in (("print", True), ("screen", False)):
        pdf = tmp_path / f"{media}.pdf"
        HTML(filename=str(page), media_type=media).write_pdf(pdf)
        text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
        folio = re.search(r"\b2\s*/\s*2\b", text) is not None  # page 2 of 2
        job_line = "(E)" in text  # page 1's foot
        assert folio == job_line == furniture, (media, text[:300])
        if not furniture:
            assert text.count("A/RES/80/232") == 1  # the masthead's, no running head
