"""The command line: `build`, `check`, `compare` (see README for the contract).

Every error a user can cause ends as one line on stderr naming the file and
exit status 2; `--debug` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

from unpress.errors import UnpressError

FORMATS = {"pdf": ".pdf", "html": ".html", "md": ".md", "akn": ".xml"}
DEFAULT_SOURCES = Path("source")
DEFAULT_OUTPUT = Path("build")


def parser() -> argparse.ArgumentParser:
    """The command line; `build` and `watch` take the same output options."""
    main = argparse.ArgumentParser(
        prog="unpress", description="A press for United Nations General Assembly resolutions.")
    main.add_argument("--debug", action="store_true", help="show tracebacks")
    commands = main.add_subparsers(dest="command")

    build = commands.add_parser(
        "build", help="typeset sources (Markdown or AKN4UN XML) into PDF, HTML, AKN4UN or Markdown")
    build.add_argument("sources", nargs="+", type=Path, metavar="SOURCE",
                       help="a .md source, an AKN4UN .xml file, or a directory of them")
    build.add_argument("-o", "--output",
                       help="output file (one source) or directory (default: build/)")
    build.add_argument("--format", choices=sorted(FORMATS), default="pdf",
                       help="pdf (PDF/A-3b, checked by the preflight; default), html, akn or md")
    build.add_argument("--emblem", type=Path, help="an image of the UN emblem to print on page 1")
    build.add_argument("-j", "--jobs", type=positive, metavar="N",
                       help="worker processes (default: the number of cores)")
    build.add_argument("--force", action="store_true",
                       help="rebuild even the outputs whose inputs have not changed")

    watch = commands.add_parser("watch", help="rebuild sources when they, a template or a style change")
    watch.add_argument("sources", nargs="*", type=Path, metavar="SOURCE", default=[DEFAULT_SOURCES],
                       help="sources or directories of them (default: source/)")
    watch.add_argument("-o", "--output", help="output directory (default: build/)")
    watch.add_argument("--format", choices=sorted(FORMATS), default="pdf")
    watch.add_argument("--emblem", type=Path, help="an image of the UN emblem to print on page 1")
    watch.add_argument("-j", "--jobs", type=positive, metavar="N",
                       help="worker processes for the first build (default: the number of cores)")

    check = commands.add_parser("check", help="preflight PDFs with pypdf")
    check.add_argument("pdfs", nargs="+", type=Path, metavar="PDF")
    check.add_argument("--json", action="store_true", help="print findings as JSON")

    compare = commands.add_parser("compare", help="measure a built PDF against a reference")
    compare.add_argument("built", type=Path, metavar="BUILT.pdf")
    compare.add_argument("reference", type=Path, metavar="OFFICIAL",
                         help="the official PDF, or a seed text with its line breaks")
    compare.add_argument("--report", type=Path, metavar="DIR",
                         help="write the pages side by side (PNG) and an index.html into DIR")
    return main


def main(argv: list[str] | None = None) -> int:
    """Run one command; a user's error is one line on stderr and exit status 2.

    Each command's module is imported only when it runs (here and in
    `build_one`): start-up time, so a no-op build never loads WeasyPrint.
    """
    args = parser().parse_args(argv)
    try:
        if args.command is None:
            return build_all(collect_sources([DEFAULT_SOURCES]), None, "pdf", None, debug=args.debug)
        if args.command == "build":
            return build_all(collect_sources(args.sources), args.output, args.format, args.emblem,
                             debug=args.debug, jobs=args.jobs, force=args.force)
        if args.command == "watch":
            from unpress.watch import watch

            return watch(args.sources, args.output, args.format, args.emblem, jobs=args.jobs)
        if args.command == "check":
            from unpress.preflight import run_check

            return run_check(args.pdfs, as_json=args.json)
        if args.command == "compare":
            from unpress.fidelity import run_compare

            return run_compare(args.built, args.reference, args.report)
    except UnpressError as error:
        if args.debug:
            raise
        print(error, file=sys.stderr)
        return 2
    return 0


def collect_sources(paths: list[Path]) -> list[Path]:
    """Expand directories into their .md and .xml sources, in name order."""
    sources: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in (".md", ".xml"))
            if not found:
                raise UnpressError(path, "no .md or .xml sources in this directory")
            sources.extend(found)
        else:
            sources.append(path)  # a missing file fails alone, in build_one
    return sources


def output_path(source: Path, output: str | None, suffix: str, single: bool) -> Path:
    """`-o` names a file for one source, unless it is a directory or ends with "/"."""
    if output is None:
        return DEFAULT_OUTPUT / (source.stem + suffix)
    path = Path(output)
    if single and not (output.endswith(os.sep) or path.is_dir()):
        return path
    return path / (source.stem + suffix)


def build_all(sources: list[Path], output: str | None, fmt: str, emblem: Path | None,
              debug: bool = False, jobs: int | None = None, force: bool = False) -> int:
    """Build what is out of date, in parallel; one failure does not stop the others (unpress.batch)."""
    from unpress.batch import build_all as build_batch

    return build_batch(sources, output, fmt, emblem, debug=debug, jobs=jobs, force=force)


def positive(text: str) -> int:
    """argparse type for `--jobs`: a clear message instead of a pool that cannot start."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return int(text)


def build_one(source: Path, target: Path, fmt: str, emblem: Path | None) -> None:
    """Read, render and write one document; a PDF is written only if it passes the preflight."""
    from unpress.readers import read  # lazy imports here and below: start-up time (see `main`)

    if not source.exists():
        raise UnpressError(source, "no such file or directory")
    resolution = read(source)
    if emblem is not None:
        if not emblem.is_file():
            raise UnpressError(emblem, "emblem file not found")
        resolution.meta.emblem = str(emblem.resolve())
    verify: Callable[[Path], None] | None = None
    if fmt == "md":
        from unpress.writers.markdown import write_markdown

        data = write_markdown(resolution).encode("utf-8")
    elif fmt == "akn":
        from unpress.writers.akn import write_akn

        data = write_akn(resolution).encode("utf-8")
    elif fmt == "html":
        from unpress.writers.html import render_html

        data = render_html(resolution, mode="html").encode("utf-8")
    else:
        from unpress.writers.pdf import pdf_bytes

        data = pdf_bytes(resolution, Path(resolution.meta.emblem) if resolution.meta.emblem else None,
                         source=source)
        verify = partial(preflight, target=target,
                         has_closing=bool(resolution.meta.meeting and resolution.meta.adopted))
    write_atomically(target, data, verify)


def preflight(pdf: Path, target: Path, has_closing: bool) -> None:
    """Every PDF we make passes the same check a user can run (`unpress check`)."""
    from unpress.preflight import check_pdf

    report = check_pdf(pdf, expect_closing=has_closing)
    if not report.ok:
        first = report.problems[0]
        where = f"page {first.page}: " if first.page else ""
        raise UnpressError(target, f"the built PDF fails the preflight ({where}{first.message}); "
                           "nothing was written")


def write_atomically(target: Path, data: bytes,
                     verify: Callable[[Path], None] | None = None) -> None:
    """Write beside the target, verify, then rename: a failed build leaves the old file intact."""
    blocker = next((parent for parent in target.parents if parent.exists()), None)
    if blocker is not None and not blocker.is_dir():
        raise UnpressError(target, f"cannot write the output: {str(blocker)!r} is a file, not a "
                           "directory; give -o a path inside a directory")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise UnpressError(target, f"cannot write the output: {exc.strerror}; give -o a path "
                           "in a directory you can write to") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if verify is not None:
            verify(Path(temp))
        os.replace(temp, target)
    except OSError as exc:
        raise UnpressError(target, f"cannot write the output: {exc.strerror}") from None
    finally:
        Path(temp).unlink(missing_ok=True)
