"""The command line: `build`, `watch`, `check`, `compare`, `new`, `import`, `lint` (see README).

Every error ends as one line on stderr naming the file and exit status 2: a
user's error says what to fix, anything unexpected says "internal error".
`--debug` (before or after the command) shows the traceback instead;
`--verbose` logs what the build does (each footnote-repair pass).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from unpress import __version__, batch
from unpress.errors import UnpressError
from unpress.guards import limit_memory
from unpress.house import EDITIONS, LANGUAGES
from unpress.pipeline import (
    DEFAULT_SOURCES,
    FORMATS,
    BuildOptions,
    collect_sources,
    internal_error,
    output_format,
)


def parser() -> argparse.ArgumentParser:
    """The command line; `build` and `watch` take the same output options."""
    main = argparse.ArgumentParser(
        prog="unpress", description="A press for United Nations General Assembly resolutions.")
    main.add_argument("--version", action="version", version=f"unpress {__version__}")
    add_global_flags(main, argparse.SUPPRESS)
    commands = main.add_subparsers(dest="command")
    # the same flags after the command; SUPPRESS keeps a subparser from resetting what came before it
    common = argparse.ArgumentParser(add_help=False)
    add_global_flags(common, argparse.SUPPRESS)

    build = commands.add_parser(
        "build", parents=[common],
        help="typeset sources (Markdown or AKN4UN XML) into PDF, HTML, AKN4UN or Markdown")
    build.add_argument("sources", nargs="+", type=Path, metavar="SOURCE",
                       help="a .md source, an AKN4UN .xml file, or a directory of them")
    build.add_argument("-o", "--output",
                       help="output file (one source) or directory (default: build/)")
    add_output_options(build)
    build.add_argument("-j", "--jobs", type=positive, metavar="N",
                       help="worker processes (default: the number of cores)")
    build.add_argument("--force", action="store_true",
                       help="rebuild even the outputs whose inputs have not changed")
    build.add_argument("--executor", choices=("pool", "dask"), default="pool",
                       help="pool: worker processes here (default); dask: Dask workers, here "
                       "(--jobs of them) or on the cluster of --scheduler (pip install 'unpress[dask]')")
    build.add_argument("--scheduler", metavar="ADDRESS",
                       help="with --executor dask: the scheduler of an existing cluster, "
                       "such as tcp://HOST:8786")
    build.add_argument("--lint", choices=["warn", "error", "off"], default="warn",
                       help="run `unpress lint` on each .md source: its findings as warnings "
                       "(default), as errors that stop the build, or not at all")

    watch = commands.add_parser("watch", parents=[common],
                                help="rebuild sources when they, a template or a style change")
    watch.add_argument("sources", nargs="*", type=Path, metavar="SOURCE", default=[DEFAULT_SOURCES],
                       help="sources or directories of them (default: source/)")
    watch.add_argument("-o", "--output", help="output directory (default: build/)")
    add_output_options(watch)
    watch.add_argument("-j", "--jobs", type=positive, metavar="N",
                       help="worker processes for the first build (default: the number of cores)")

    check = commands.add_parser("check", parents=[common], help="preflight PDFs")
    check.add_argument("pdfs", nargs="+", type=Path, metavar="PDF")
    check.add_argument("--json", action="store_true", help="print findings as JSON")
    check.add_argument("--strict", action="store_true",
                       help="fail on print-readiness warnings too (fonts not embedded, no /Title)")

    compare = commands.add_parser("compare", parents=[common],
                                  help="measure a built PDF against a reference")
    compare.add_argument("built", type=Path, metavar="BUILT.pdf")
    compare.add_argument("reference", type=Path, metavar="OFFICIAL",
                         help="the official PDF, or a seed text with its line breaks")
    compare.add_argument("--report", type=Path, metavar="DIR",
                         help="write the pages side by side (PNG) and an index.html into DIR")
    add_drafting_commands(commands, common)
    return main


def add_drafting_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """`new`, `import` and `lint`: starting, bringing in and checking a source."""
    new = commands.add_parser("new", parents=[common],
                              help="start a source: front matter and one of each block")
    new.add_argument("symbol", metavar="SYMBOL", help="the resolution's symbol, e.g. A/RES/80/999")
    new.add_argument("-o", "--output", type=Path, required=True, metavar="SOURCE.md")
    new.add_argument("--language", choices=list(LANGUAGES), default="en")
    new.add_argument("--committee", help='the Main Committee that reported, e.g. "Second Committee"')
    new.add_argument("--title", help="the resolution's title")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")

    importer = commands.add_parser("import", parents=[common],
                                   help="make a source from an official PDF, .docx or text")
    importer.add_argument("document", type=Path, metavar="FILE", help="a .pdf, .docx or .txt file")
    importer.add_argument("-o", "--output", type=Path, required=True, metavar="SOURCE.md")

    lint = commands.add_parser("lint", parents=[common],
                               help="check sources against the drafting rules of resolutions")
    lint.add_argument("sources", nargs="+", type=Path, metavar="SOURCE")
    lint.add_argument("--format", choices=["text", "json"], default="text")


def add_global_flags(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument("--debug", action="store_true", default=default, help="show tracebacks")
    parser.add_argument("-v", "--verbose", action="store_true", default=default,
                        help="log what the build does (footnote-repair passes, internal errors)")


def add_output_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--format", choices=sorted(FORMATS),
                         help="pdf (PDF/A-3b, checked by the preflight), html, akn or md "
                         "(default: the suffix of the file -o names, else pdf)")
    command.add_argument("--emblem", type=Path, help="an image of the UN emblem to print on page 1")
    command.add_argument("--edition", choices=sorted(EDITIONS),
                         help="set the document in this house style instead of its own")


def main(argv: list[str] | None = None) -> int:
    """Run one command; every error is one line on stderr and exit status 2.

    Each command's heavy modules are imported only when it runs: start-up
    time, so a no-op build never loads WeasyPrint.
    """
    args = parser().parse_args(argv)
    debug, verbose = getattr(args, "debug", False), getattr(args, "verbose", False)
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s")
    try:
        return run(args, debug, verbose)
    except UnpressError as error:
        if debug:
            raise
        print(error, file=sys.stderr)
    except Exception as error:
        if debug:
            raise
        print(internal_error(None, error), file=sys.stderr)
    return 2


def run(args: argparse.Namespace, debug: bool, verbose: bool) -> int:
    """Dispatch a parsed command line."""
    if args.command is None:
        return batch.build_all(collect_sources([DEFAULT_SOURCES]), None, BuildOptions(),
                               debug=debug, verbose=verbose)
    if args.command == "build":
        if args.scheduler is not None and args.executor != "dask":
            raise UnpressError(args.scheduler, "--scheduler needs --executor dask")
        sources = collect_sources(args.sources)
        return batch.build_all(sources, args.output, options_of(args, len(sources)),
                               debug=debug, jobs=args.jobs, force=args.force, verbose=verbose,
                               executor=args.executor, scheduler=args.scheduler)
    if args.command == "watch":
        from unpress.watch import watch  # watchfiles is loaded only to watch

        # watch writes into a directory whatever the number of sources: counted as many
        return watch(args.sources, batch.rebuilder(args.output, options_of(args, 2)), jobs=args.jobs)
    if args.command == "check":
        from unpress.preflight import run_check

        return run_check(args.pdfs, as_json=args.json, strict=args.strict)
    if args.command == "new":
        from unpress.drafting.new import run_new

        return run_new(args.symbol, args.output, args.language, args.committee, args.title, args.force)
    if args.command == "import":
        from unpress.importers import run_import

        return run_import(args.document, args.output)
    if args.command == "lint":
        from unpress.lint import run_lint

        return run_lint(collect_sources(args.sources), as_json=args.format == "json")
    from unpress.fidelity import run_compare

    return run_compare(args.built, args.reference, args.report)


def options_of(args: argparse.Namespace, count: int) -> BuildOptions:
    """The options of `count` sources built to `-o`."""
    return BuildOptions(format=output_format(args.output, args.format, count), emblem=args.emblem,
                        edition=args.edition, lint=getattr(args, "lint", "warn"))


def entry() -> int:
    """The program (`unpress`, `python build.py`): `main` in a process whose memory is capped."""
    limit_memory()
    return main()


def positive(text: str) -> int:
    """argparse type for `--jobs`: a clear message instead of a pool that cannot start."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return int(text)
