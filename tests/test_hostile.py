"""Hostile sources: nothing is fetched, nothing outside the project is read.

Policy: a source is data.  The reader refuses raw HTML anywhere (blocks, inline,
footnotes, table cells, headings, comments), images, and links other than
http(s)/mailto; front matter values are plain text, printed literally by the
autoescaping templates; YAML tags are refused; a source may name an emblem only
as an image file in its own folder.  WeasyPrint only ever reads through
`project_fetcher`: the project's styles and templates, and the one emblem
file named, never the network.
"""

from __future__ import annotations

import http.server
import re
import secrets
import threading
import urllib.request
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unpress.cli import main
from unpress.errors import UnpressError
from unpress.model import Meta, Resolution
from unpress.paths import STYLES, TEMPLATES
from unpress.pdftext import read_pages
from unpress.readers.markdown import parse_source
from unpress.writers.pdf import pdf_bytes, project_fetcher

HEAD = "---\nsymbol: A/RES/58/208\ntitle: Test\n---\n\n*The General Assembly*,\n\n"
TAIL = "1. *Decides* to test.[^1]\n\n[^1]: A note.\n"
RAW_HTML = "raw HTML is not allowed"


class Server:
    """An HTTP server on 127.0.0.1 that counts every request it gets."""

    def __init__(self):
        self.requests: list[str] = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's API)
                owner.requests.append(self.path)
                body = b"body { background: red } /* fetched */"
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def server():
    srv = Server()
    # The server answers: a request from anything here would be counted.
    with urllib.request.urlopen(srv.url + "/ping", timeout=5) as response:
        assert response.status == 200
    assert srv.requests == ["/ping"]
    srv.requests.clear()
    yield srv
    srv.close()


@pytest.fixture
def hostile(tmp_path, server):
    """A work folder with a secret beside it; after the test, the server saw nothing."""
    token = "SECRET" + secrets.token_hex(12)
    secret = tmp_path / "secret.txt"
    secret.write_text(token + "\n", encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    yield {"url": server.url, "secret": secret, "token": token, "work": work}
    assert server.requests == [], f"the server was asked for {server.requests}"
    server.requests.clear()


def vectors(url: str, secret: Path) -> dict[str, str]:
    """Bodies (after the enacting formula) the reader must refuse."""
    file_url = secret.as_uri()
    return {
        "div": f"<div>{file_url}</div>\n",
        "iframe": f'<iframe src="{url}/iframe"></iframe>\n',
        "object": f'<object data="{url}/object"></object>\n',
        "embed": f'<embed src="{url}/embed">\n',
        "style import": f"<style>@import url({url}/import.css);</style>\n",
        "link stylesheet": f"<link rel=stylesheet href={url}/link.css>\n",
        "img file block": f"<img src={file_url}>\n",
        "script": f"<script>fetch('{url}/script')</script>\n",
        "svg": f'<svg><image href="{url}/svg"/></svg>\n',
        "inline img": f'1. *Decides* <img src="{url}/img"> x.\n',
        "inline span style": f'1. *Decides* <span style="background:url({url}/span)">x</span>.\n',
        "inline link tag": f'1. *Decides* <a href="{file_url}">x</a>.\n',
        "markdown image": f"1. *Decides* ![x]({url}/image.png).\n",
        "markdown image of the secret": f"1. *Decides* ![x]({file_url}).\n",
        "file link": f"1. *Decides* [x]({file_url}).\n",
        "file autolink": f"1. *Decides* <{file_url}>.\n",
        "javascript link": "1. *Decides* [x](javascript:alert(1)).\n",
        "JavaScript link": "1. *Decides* [x](JaVaScRiPt:alert(1)).\n",
        "data link": "1. *Decides* [x](data:text/html,<b>x</b>).\n",
        "comment": "<!-- a comment -->\n",
        "inline comment": "1. *Decides* <!-- x --> to test.\n",
        "footnote inline html": f"1. *Decides*.[^1]\n\n[^1]: A <img src='{url}/fn'> note.\n",
        "footnote block html": f"1. *Decides*.[^1]\n\n[^1]: <iframe src='{url}/fn2'></iframe>\n",
        "footnote image": f"1. *Decides*.[^1]\n\n[^1]: ![x]({url}/fn3.png)\n",
        "table cell html": f"| a | b |\n|---|---|\n| <img src='{url}/cell'> | x |\n",
        "table cell image": f"| a | b |\n|---|---|\n| ![x]({url}/cell.png) | x |\n",
        "heading html": f"## <object data='{url}/h'></object>\n",
        "annex html": f"# Annex <embed src='{url}/annex'>\n",
        "subparagraph html": f"1. *Decides*:\n\n    (a) <img src='{url}/sub'>;\n",
        "processing instruction": "<?xml-stylesheet href='x.css'?>\n",
    }


VECTOR_NAMES = list(vectors("http://x", Path("/x")))
REFUSALS = {
    "markdown image": "images are not allowed",
    "markdown image of the secret": "images are not allowed",
    "file link": "is not allowed; links must be http(s)",
    "file autolink": "is not allowed; links must be http(s)",
    "javascript link": "is not allowed; links must be http(s)",
    "JavaScript link": "is not allowed; links must be http(s)",
    "data link": "is not allowed; links must be http(s)",
    "footnote image": "images are not allowed",
    "table cell image": "images are not allowed",
}


def build(source: Path, out: Path, capsys, *extra: str) -> tuple[int, str, str]:
    status = main(["build", str(source), "-o", str(out), *extra])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def pdf_text(path: Path) -> str:
    """The PDF's words as one line: wrapped lines joined with single spaces."""
    return " ".join(" ".join(line.text for line in page.lines) for page in read_pages(path))


def assert_no_secret(pdf: Path, token: str) -> str:
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert token.encode() not in data
    text = pdf_text(pdf)
    assert token not in text
    return text


@pytest.mark.parametrize("name", VECTOR_NAMES)
def test_reader_refuses(hostile, capsys, name):
    body = vectors(hostile["url"], hostile["secret"])[name]
    source = hostile["work"] / "res.md"
    source.write_text(HEAD + body, encoding="utf-8")
    out = hostile["work"] / "res.pdf"
    status, _, err = build(source, out, capsys)
    assert status == 2
    assert err.count("\n") == 1 and err.startswith(f"{source}:")
    assert REFUSALS.get(name, RAW_HTML) in err
    assert not out.exists()


@pytest.mark.parametrize("yaml_value", [
    "!!python/object/apply:os.system ['echo pwned']",
    "!!python/name:os.system",
    "!!binary aGVsbG8=",
])
def test_front_matter_tags_refused(hostile, capsys, yaml_value):
    source = hostile["work"] / "res.md"
    source.write_text(HEAD.replace("title: Test", f"title: {yaml_value}") + TAIL, encoding="utf-8")
    status, _, err = build(source, hostile["work"] / "res.pdf", capsys)
    assert status == 2
    assert err.startswith(f"{source}:3: ") and err.count("\n") == 1
    assert not (hostile["work"] / "res.pdf").exists()


def test_front_matter_html_is_printed_as_text(hostile, capsys):
    url, secret = hostile["url"], hostile["secret"].as_uri()
    title = f'<img src="{url}/title"> and <iframe src="{secret}">'
    front = {
        "symbol": "A/RES/58/208",
        "title": title,
        "agenda_title": f"<style>@import url({url}/agenda.css);</style>",
        "committee": f"<link rel=stylesheet href={url}/committee.css>",
        "meeting": f'<object data="{secret}"></object>',
    }
    source = hostile["work"] / "res.md"
    source.write_text("---\n" + yaml.safe_dump(front, width=1000) + "---\n\n"
                      "*The General Assembly*,\n\n" + TAIL, encoding="utf-8")
    out = hostile["work"] / "res.pdf"
    status, _, err = build(source, out, capsys)
    assert status == 0, err
    text = assert_no_secret(out, hostile["token"])
    squashed = text.replace(" ", "")
    for value in front.values():
        assert value.replace(" ", "") in squashed, value


def test_jinja_syntax_and_tags_in_the_title_are_printed_exactly(hostile, capsys):
    title = "Curly {{ 7*7 }} and <b>tags</b> kept"
    source = hostile["work"] / "res.md"
    source.write_text(HEAD.replace("title: Test", f"title: '{title}'") + TAIL, encoding="utf-8")
    out = hostile["work"] / "res.pdf"
    status, _, err = build(source, out, capsys)
    assert status == 0, err
    text = assert_no_secret(out, hostile["token"])
    assert title in text
    assert "Curly 49" not in text


def test_text_that_looks_like_html_is_printed_as_text(hostile, capsys):
    url, secret = hostile["url"], hostile["secret"].as_uri()
    body = (f"1. *Decides* &lt;img src=\"{url}/entity\"&gt; &amp; &#60;b&#62; &copy;.\n\n"
            f"2. *Requests* `<iframe src=\"{secret}\">` to be quoted.\n\n"
            f"3. *Notes* [a link]({url}/link) and <{url}/autolink> are links, not fetched.[^1]\n\n"
            f"| Cell | {{{{ 7*7 }}}} |\n|---|---|\n| &lt;script&gt; | x |\n\n"
            f"[^1]: A note with &lt;object data=\"{url}/note\"&gt;.\n")
    source = hostile["work"] / "res.md"
    source.write_text(HEAD + body, encoding="utf-8")
    out = hostile["work"] / "res.pdf"
    status, _, err = build(source, out, capsys)
    assert status == 0, err
    text = assert_no_secret(out, hostile["token"])
    squashed = text.replace(" ", "")
    for literal in (f'<img src="{url}/entity"> & <b> ©', f'<iframe src="{secret}">',
                    "{{ 7*7 }}", "<script>", f'<object data="{url}/note">'):
        assert literal.replace(" ", "") in squashed, literal


def svg_with_references(url: str, secret: Path) -> str:
    return ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            'width="10" height="10">'
            f'<image href="{url}/svg-image.png" width="5" height="5"/>'
            f'<image xlink:href="{secret.as_uri()}" width="5" height="5"/>'
            f'<style>@import url({url}/svg.css);</style>'
            '<rect width="10" height="10" fill="blue"/></svg>')


def test_emblem_svg_cannot_reach_out(hostile, capsys):
    work = hostile["work"]
    (work / "emblem.svg").write_text(svg_with_references(hostile["url"], hostile["secret"]),
                                     encoding="utf-8")
    source = work / "res.md"
    source.write_text(HEAD.replace("title: Test", "title: Test\nemblem: emblem.svg") + TAIL,
                      encoding="utf-8")
    status, _, err = build(source, work / "a.pdf", capsys)
    assert status == 0, err
    assert_no_secret(work / "a.pdf", hostile["token"])
    status, _, err = build(source, work / "b.pdf", capsys, "--emblem", str(work / "emblem.svg"))
    assert status == 0, err
    assert_no_secret(work / "b.pdf", hostile["token"])


@pytest.mark.parametrize("kind", ["absolute", "outside", "url", "not an image", "missing"])
def test_source_may_not_name_files_elsewhere(hostile, capsys, kind):
    work, secret = hostile["work"], hostile["secret"]
    (work / "notes.txt").write_text("x", encoding="utf-8")
    value = {"absolute": str(secret), "outside": "../secret.txt", "url": f"{hostile['url']}/e.png",
             "not an image": "notes.txt", "missing": "emblem.png"}[kind]
    source = work / "res.md"
    source.write_text(HEAD.replace("title: Test", f"title: Test\nemblem: '{value}'") + TAIL,
                      encoding="utf-8")
    status, _, err = build(source, work / "res.pdf", capsys)
    assert status == 2
    assert err.startswith(f"{source}:4: 'emblem' must be ") and err.count("\n") == 1
    assert not (work / "res.pdf").exists()


def test_fetcher_refuses_everything_but_the_project(hostile):
    fetcher = project_fetcher()
    refused = [
        f"{hostile['url']}/direct",
        "http://127.0.0.1:1/x",
        "https://example.org/x.css",
        "ftp://127.0.0.1/x",
        "file:///etc/passwd",
        hostile["secret"].as_uri(),
        (STYLES / ".." / "unpress" / "cli.py").as_uri(),
        STYLES.as_uri() + "/../unpress/cli.py",
        STYLES.as_uri() + "/%2e%2e/unpress/cli.py",
        f"file://127.0.0.1:{hostile['url'].rsplit(':', 1)[1]}{STYLES / 'base.css'}",
        "data:text/css,body{color:red}",
        "data:image/png;base64,iVBORw0KGgo=",
        "javascript:alert(1)",
    ]
    for url in refused:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    served = fetcher.fetch((STYLES / "base.css").as_uri())
    with served._file_obj as body:  # noqa: SLF001 (the response's file object)
        assert body.read() == (STYLES / "base.css").read_bytes()
    assert fetcher.fetch((TEMPLATES / "resolution.html").as_uri()) is not None
    emblem = hostile["work"] / "emblem.svg"
    emblem.write_text("<svg/>", encoding="utf-8")
    with pytest.raises(ValueError):
        fetcher.fetch(emblem.as_uri())
    project_fetcher(emblem).fetch(emblem.as_uri())._file_obj.close()  # noqa: SLF001


# --- properties: any text in, a Resolution or an UnpressError out -------------------------------

MARKUP = ["*", "**", "_", "[", "]", "(", ")", "[^1]", "[^1]: ", "[^x]", "1. ", "2. ", "(a) ", "(i) ",
          "    ", "\t", "\n", "\n\n", "# ", "## ", "|", "|---|", "---", "<", ">", "&", "&#0;", "&#12;",
          "&lt;", "&amp;", "`", "\\", "!", "http://x.org", "mailto:a@b", "<b>", "-->", "<!--",
          "*The General Assembly*,", "\u00a0", "\ufeff", "\x00", "\x0c", "\r", "\u2028", "é"]
markdown_text = st.lists(st.one_of(st.sampled_from(MARKUP), st.text(max_size=8)), max_size=40).map("".join)
yaml_value = st.one_of(st.text(max_size=20), st.integers(-5, 300), st.none(), st.booleans(), st.dates(),
                       st.lists(st.text(max_size=5), max_size=2), st.just("A/RES/58/208"), st.just("2003"))
keys = st.one_of(st.sampled_from(sorted(f.name for f in Meta.__dataclass_fields__.values())),
                 st.text(min_size=1, max_size=6))
front_matter = st.one_of(
    st.dictionaries(keys, yaml_value, max_size=6).map(
        lambda data: "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n"),
    markdown_text.map(lambda text: "---\n" + text + "\n---\n"),
    markdown_text,
)
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parse_or_refuse(text: str) -> Resolution | None:
    try:
        resolution = parse_source(text, "hypothesis.md")
    except UnpressError as error:
        assert str(error).startswith("hypothesis.md")
        assert "\n" not in str(error), "an error message is one line"
        return None
    assert isinstance(resolution, Resolution)
    return resolution


@PROPERTY
@given(st.text())
def test_any_text_parses_or_is_refused(text):
    parse_or_refuse(text)


@PROPERTY
@given(front_matter, markdown_text)
def test_any_front_matter_and_body_parses_or_is_refused(front, body):
    parse_or_refuse(front + "\n" + body)


@PROPERTY
@given(markdown_text)
def test_any_body_under_valid_front_matter_parses_or_is_refused(body):
    parse_or_refuse(HEAD + body)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=40).filter(lambda t: t.strip()), markdown_text)
def test_whatever_parses_also_typesets(title, body):
    front = "---\n" + yaml.safe_dump({"symbol": "A/RES/58/208", "title": title}, allow_unicode=True)
    resolution = parse_or_refuse(front + "---\n\n*The General Assembly*,\n\n" + body)
    if resolution is not None:
        assert pdf_bytes(resolution).startswith(b"%PDF-")


def test_error_messages_are_one_line():
    """Even a source full of newlines and quotes yields a one-line message."""
    with pytest.raises(UnpressError) as info:
        parse_source(HEAD + "<div\nclass='x'>\n</div>\n", "res.md")
    assert "\n" not in str(info.value)
    assert re.match(r"^res\.md:\d+: ", str(info.value))


def test_a_front_matter_key_that_is_no_name_is_refused_with_its_line(tmp_path, capsys):
    """`[^1]:` in the front matter is YAML for a list as a key (found by hypothesis): refused,
    one line naming the file and the line, not a traceback."""
    source = tmp_path / "x.md"
    source.write_text("---\nsymbol: A/RES/80/1\n[^1]: a note\n---\n\n*The General Assembly*,\n",
                      encoding="utf-8")
    assert main(["build", str(source), "-o", str(tmp_path / "x.pdf")]) == 2
    assert capsys.readouterr().err.strip() == (
        f"{source}:3: a front matter key is a name ('title: ...'), not a list or a mapping")
