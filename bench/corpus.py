"""Build every source of a folder tree and report what was built, what refused, what lost.

Each file goes through the same path as `unpress build` (read, conservation,
render, preflight, write; pipeline.build_one) into a temporary directory, in
parallel worker processes.  A refusal is grouped by its kind (the error's
message with its figures and quotations taken out), with one example each.
"Words lost" is measured apart from the build's own check: for every built
document, the source words (unpress.conservation) that the HTML of the
document does not carry, by a longest-match alignment.

    python bench/corpus.py                          # ../shared/akn, English, PDFs; docs/corpus.md
    python bench/corpus.py --reader-only            # read + conservation only (seconds)
    python bench/corpus.py DIR --glob '*.xml' --jobs 2 --no-report
    python bench/corpus.py --every 8 --log /tmp/sweep.jsonl   # a sample, results as they come
"""

from __future__ import annotations

import argparse
import difflib
import json
import multiprocessing
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from unpress import conservation  # noqa: E402
from unpress.errors import UnpressError  # noqa: E402
from unpress.house import edition_of  # noqa: E402
from unpress.pipeline import BuildOptions, build_one, conserve  # noqa: E402
from unpress.readers import read  # noqa: E402
from unpress.writers.html import render_html  # noqa: E402

DEFAULT_TREE = ROOT.parent / "shared" / "akn"
REPORT = ROOT / "docs" / "corpus.md"


def bench_one(source: Path, reader_only: bool) -> dict:
    """Build one file: its outcome, seconds, and words lost from its output."""
    start = time.perf_counter()
    error = None
    try:
        if reader_only:
            conserve(source, source.read_bytes(), read(source))
        else:
            with tempfile.TemporaryDirectory() as tmp:
                build_one(source, Path(tmp) / f"{source.stem}.pdf", BuildOptions())
    except UnpressError as exc:
        error = str(exc)
    seconds = time.perf_counter() - start
    return {"source": str(source), "error": error, "seconds": seconds,
            "lost": None if error else words_lost(source)}


def words_lost(source: Path) -> int:
    """Source words the document's HTML does not carry (0 when every word is there)."""
    resolution = read(source)
    compared, out = conservation.compared(source, source.read_bytes(),
                                          render_html(resolution, edition_of(resolution.meta), mode="pdf"))
    words = [word.text for word in compared]
    if words == out:
        return 0
    matched = sum(block.size for block in
                  difflib.SequenceMatcher(None, words, out, autojunk=False).get_matching_blocks())
    return len(words) - matched


def kind(error: str) -> str:
    """An error's kind: its message without the file, figures, quotations and element paths."""
    message = error.split(": ", 1)[1] if ": " in error else error
    message = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", message)
    message = re.sub(r"\([^()]*/[^()]*\)", "(…)", message)
    return re.sub(r"\d+", "N", message)[:120]


def run(sources: list[Path], jobs: int, reader_only: bool, log: Path | None) -> list[dict]:
    """Build in parallel; each result is also appended to `log` (JSON lines) as it comes, so
    that a sweep cut short still tells what it built."""
    context = multiprocessing.get_context("spawn")
    results = []
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = [pool.submit(bench_one, source, reader_only) for source in sources]
        for future in as_completed(futures):
            results.append(future.result())
            if log is not None:
                with log.open("a", encoding="utf-8") as handle:
                    handle.write(json.dumps(results[-1]) + "\n")
    return sorted(results, key=lambda result: result["source"])


def report(results: list[dict], command: str, wall: float) -> str:
    built = [r for r in results if r["error"] is None]
    refused = [r for r in results if r["error"] is not None]
    kinds = Counter(kind(r["error"]) for r in refused)
    examples = {}
    for r in refused:
        examples.setdefault(kind(r["error"]), r["error"])
    seconds = [r["seconds"] for r in results]
    lost = sum(r["lost"] or 0 for r in built)
    lines = [
        "# Corpus build", "",
        f"Made by `{command}` ({wall:.0f} s wall).", "",
        "| files | built | refused | built % | words lost |",
        "| ---: | ---: | ---: | ---: | ---: |",
        f"| {len(results)} | {len(built)} | {len(refused)} | "
        f"{100 * len(built) / max(1, len(results)):.2f} | {lost} |", "",
        "Time per document (s): "
        f"median {statistics.median(seconds):.2f}, mean {statistics.mean(seconds):.2f}, "
        f"max {max(seconds):.2f}." if seconds else "", "",
    ]
    if kinds:
        lines += ["## Refused, by kind", "", "| count | kind | example |", "| ---: | --- | --- |"]
        for name, count in kinds.most_common():
            example = examples[name].replace("|", "\\|")
            lines.append(f"| {count} | {name.replace('|', '/')} | `{example}` |")
        lines.append("")
    losers = [r for r in built if r["lost"]]
    if losers:
        lines += ["## Built with words lost", ""]
        lines += [f"- {r['source']}: {r['lost']}" for r in losers]
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", nargs="?", type=Path, default=DEFAULT_TREE)
    parser.add_argument("--glob", default="*/en/*.xml",
                        help="files under the tree (default: the English AKN files)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--reader-only", action="store_true",
                        help="read and check conservation only, no PDF (seconds, not minutes)")
    parser.add_argument("--every", type=int, default=1, metavar="K",
                        help="build every K-th file only (a sample, in name order)")
    parser.add_argument("--log", type=Path, help="append each result to this file as JSON lines")
    parser.add_argument("--no-report", action="store_true", help="print, do not write docs/corpus.md")
    args = parser.parse_args()
    sources = sorted(args.tree.glob(args.glob))[::args.every]
    if not sources:
        print(f"{args.tree}: no files match {args.glob!r}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    results = run(sources, args.jobs, args.reader_only, args.log)
    command = "python bench/corpus.py " + " ".join(sys.argv[1:])
    text = report(results, command.strip(), time.perf_counter() - start)
    print(text)
    if not args.no_report and not args.reader_only:
        REPORT.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
