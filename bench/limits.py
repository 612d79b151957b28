# ruff: noqa: E501  (the Markdown table rows and the word list are long)
"""Time and peak memory of one build against the size of its source; writes docs/limits.md.

    .venv/bin/python bench/limits.py            # every size, the largest once (about 30 min)
    .venv/bin/python bench/limits.py --quick    # up to 100 pages, 1,000 notes, 10^5 characters

Not a test (the figures depend on the machine).  Each measurement is one
child process that reads the source (`readers.load`), lays it out and writes
the PDF (`writers.pdf.pdf_bytes`, with the footnote repair) and runs the
preflight (`preflight.check_pdf`), timing each stage; its peak memory is the
child's ru_maxrss.  A source the guards refuse is timed to its refusal.
Series: a resolution of 1, 10, 100, 1,000 pages; 10, 100, 1,000 footnotes
(one per paragraph, then all in one paragraph); one paragraph of 10^4 to 10^7
characters.  Peak memory is measured in the child: the parent stays small
(ru_maxrss survives exec, so a large parent would inflate every child's figure).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 2400  # seconds for one measurement (wall clock, on a shared machine)
HEAD = "---\nsymbol: A/RES/58/208\ntitle: Limits\nsession: 58\n---\n\n*The General Assembly*,\n\n"
WORDS = ["the", "Assembly", "decides", "to", "request", "the", "Secretary-General", "to", "submit", "a", "report", "on", "the", "implementation", "of", "the", "present", "resolution", "including", "recommendations", "on"]
PARAGRAPHS_PER_PAGE = 6  # 90-word paragraphs: about six to a page of the 2003 edition (measured: 5 gave 86 pages for 100)

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from unpress.errors import UnpressError
result = {}
start = time.perf_counter()
try:
    from unpress.pipeline import BuildOptions, build_one
    from unpress import pipeline
    from unpress.readers import load
    from unpress.writers.pdf import pdf_bytes
    from unpress.preflight import check_pdf
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    t = time.perf_counter(); reading = load(source); result["read"] = time.perf_counter() - t
    from unpress import guards
    guards.check_document(reading.resolution, source, source.read_text(encoding="utf-8"), printing=True)
    t = time.perf_counter()
    data = pdf_bytes(reading.resolution, None, pipeline.source_files(reading.resolution, source, source.read_bytes()))
    result["layout"] = time.perf_counter() - t
    target.write_bytes(data)
    t = time.perf_counter(); report = check_pdf(target); result["preflight"] = time.perf_counter() - t
    result["pages"] = report.pages
    result["ok"] = report.ok
    result["problem"] = report.problems[0].message if report.problems else None
except UnpressError as error:
    result["refused"] = str(error)
except MemoryError:
    result["refused"] = "MemoryError"
result["total"] = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
result["cpu"] = usage.ru_utime + usage.ru_stime
result["rss_mb"] = usage.ru_maxrss / 1024
print(json.dumps(result))
"""


def paragraph(words: int, offset: int = 0) -> str:
    return " ".join(WORDS[(offset + i) % len(WORDS)] for i in range(words))


def resolution(paragraphs: int, notes: int = 0) -> str:
    """`paragraphs` operative paragraphs of 90 words; the first `notes` of them call a note."""
    body = [f"{n}. *Decides* {paragraph(90, n)}.{f'[^{n}]' if n <= notes else ''}"
            for n in range(1, paragraphs + 1)]
    definitions = [f"[^{n}]: See document A/58/{n}." for n in range(1, notes + 1)]
    return HEAD + "\n\n".join(body + definitions) + "\n"


def noted_paragraph(notes: int) -> str:
    """One paragraph calling `notes` footnotes, a call every 12 words."""
    words = " ".join(f"{paragraph(12, i)}[^{i}]" for i in range(1, notes + 1))
    definitions = "\n".join(f"[^{i}]: See document A/58/{i}." for i in range(1, notes + 1))
    return HEAD + f"1. *Decides* {words}.\n\n{definitions}\n"


def long_paragraph(characters: int) -> str:
    """One operative paragraph of `characters` characters of text ("Decides " included)."""
    text = paragraph(characters // 7 + 1)[:characters - len("Decides .")]
    return HEAD + f"1. *Decides* {text}.\n"


def measure(name: str, text: str, folder: Path) -> dict:
    source = folder / f"{name}.md"
    source.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", CHILD, str(source), str(folder / f"{name}.pdf")],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = process.communicate(timeout=TIMEOUT)
        result = json.loads(out.strip().splitlines()[-1]) if out.strip() else {"error": err[-300:]}
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        result = {"timeout": TIMEOUT}
    result["wall"] = time.perf_counter() - started
    result["source_kb"] = source.stat().st_size / 1024
    print(name, json.dumps(result), flush=True)
    return result


def series(quick: bool) -> dict[str, list[tuple[str, dict]]]:
    pages = (1, 10, 100) if quick else (1, 10, 100, 1000)
    notes = (10, 100, 1000)
    characters = (10**4, 10**5) if quick else (10**4, 10**5, 10**6, 10**7)
    out: dict[str, list[tuple[str, dict]]] = {"pages": [], "notes": [], "notes in one paragraph": [],
                                              "paragraph": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in pages:
            out["pages"].append((f"{n} pages", measure(f"pages{n}", resolution(n * PARAGRAPHS_PER_PAGE), folder)))
        for n in notes:
            out["notes"].append((f"{n} notes", measure(f"notes{n}", resolution(max(n, 10), n), folder)))
        for n in notes:
            out["notes in one paragraph"].append((f"{n} notes", measure(f"one{n}", noted_paragraph(n), folder)))
        for n in characters:
            out["paragraph"].append((f"10^{len(str(n)) - 1} characters",
                                     measure(f"chars{n}", long_paragraph(n), folder)))
    return out


def cell(result: dict, key: str) -> str:
    value = result.get(key)
    return "" if value is None else f"{value:.1f}" if isinstance(value, float) else str(value)


def report(results: dict[str, list[tuple[str, dict]]], command: str) -> str:
    from unpress import guards

    lines = [
        "# Limits: time and memory against the size of a source",
        "",
        f"Made by `{command}` on {platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores shared with other jobs (so times carry their noise); "
        f"{time.strftime('%Y-%m-%d')}.  Each row is one child process: read, layout with the "
        "footnote repair, preflight (wall-clock seconds each); CPU is the process's user + system "
        "time, the figure to compare across rows when the machine is shared; memory is its peak RSS.",
        "",
        "## Documented limits (unpress/guards.py)",
        "",
        f"- a source file: at most {guards.MAX_SOURCE_BYTES // 2**20} MB, a regular file "
        "(devices, FIFOs and sockets are refused before they are opened);",
        f"- one paragraph: at most {guards.MAX_PARAGRAPH_CHARACTERS:,} characters;",
        f"- footnotes: at most {guards.MAX_NOTES_PER_PARAGRAPH} calls in one paragraph;",
        f"- an emblem image: at most {guards.MAX_EMBLEM_BYTES // 2**20} MB and "
        f"{guards.MAX_EMBLEM_PIXELS // 10**6} million pixels;",
        f"- a table: at most {guards.MAX_TABLE_COLUMNS} columns (cells wrap to fit the column);",
        f"- memory: {guards.memory_limit_mb():,} MB of address space per build process "
        "(UNPRESS_MEMORY_MB), a runaway ends as one error line.",
        "",
        "A long build's memory is mostly WeasyPrint's layout (the boxes of every page, about "
        "0.7 MB a page here), which the PDF's painting and writing need until the end.  Three "
        "things keep the rest from adding to it (unpress/weasy.py): each page's content stream "
        "is compressed as soon as it is painted (`compress_when_painted`), each page's layout is "
        "let go as its tags are built (`PagesWrittenOnce`), and the layout's context, left in "
        "reference cycles, is collected after a layout of 50 pages or more (`render`).",
        "",
    ]
    for title, rows in results.items():
        lines += [f"## {title}", "",
                  "| input | source KB | pages | read s | layout s | preflight s | total s | CPU s | peak MB | outcome |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for name, result in rows:
            outcome = ("timeout" if "timeout" in result else result.get("refused") or result.get("error")
                       or ("ok" if result.get("ok") else f"preflight: {result.get('problem')}"))
            lines.append(f"| {name} | {result['source_kb']:.0f} | {cell(result, 'pages')} | "
                         f"{cell(result, 'read')} | {cell(result, 'layout')} | {cell(result, 'preflight')} | "
                         f"{cell(result, 'total')} | {cell(result, 'cpu')} | {cell(result, 'rss_mb')} | {str(outcome)[:120]} |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the largest sizes")
    args = parser.parse_args()
    results = series(args.quick)
    command = "bench/limits.py" + (" --quick" if args.quick else "")
    (ROOT / "docs" / "limits.md").write_text(report(results, command) + "\n", encoding="utf-8")
    print("wrote docs/limits.md")


if __name__ == "__main__":
    main()
