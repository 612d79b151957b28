"""One build: a source through a reader, the document model and a writer into one output file.

This is the stage every command drives (`build`, the batch engine, `watch`,
the benchmarks): the task, the build options, where an output goes, how a
set of paths becomes a list of sources, and the atomic write that leaves an
earlier output untouched when a build fails.  It imports no command module,
so `cli`, `batch` and `watch` all build on it and none on another.

Readers and writers are imported when a build needs them (start-up time: a
no-op rebuild of a whole session never loads WeasyPrint).
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from unpress import guards
from unpress.errors import UnpressError

if TYPE_CHECKING:
    from unpress.model import Resolution
    from unpress.weasy import SourceFile

FORMATS = {"pdf": ".pdf", "html": ".html", "md": ".md", "akn": ".xml"}
SOURCE_SUFFIXES = (".md", ".xml")  # matched whatever their case (UPPER.MD)
SUFFIX_FORMATS = {suffix: name for name, suffix in FORMATS.items()}
DEFAULT_SOURCES = Path("source")
DEFAULT_OUTPUT = Path("build")
LOGGER = logging.getLogger("unpress")
T = TypeVar("T")


@dataclass(frozen=True)
class BuildOptions:
    """Settings of a build that are not facts of the document: they never enter the model."""

    format: str = "pdf"
    emblem: Path | None = None  # `--emblem`: an image of the UN emblem for page 1
    edition: str | None = None  # `--edition`: a house style other than the document's own
    lint: str = "warn"  # `--lint`: the drafting rules' findings as warnings, errors, or "off"


@dataclass
class Task:
    """One source, the file it becomes, and the digest of its inputs (None: unreadable)."""

    source: Path
    target: Path
    digest: str | None = None


def collect_sources(paths: list[Path]) -> list[Path]:
    """Expand directories into their .md and .xml sources, in name order."""
    sources: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir()
                           if p.suffix.lower() in SOURCE_SUFFIXES and not p.name.startswith("."))
            if not found:
                raise UnpressError(path, "no .md or .xml sources in this directory")
            sources.extend(found)
        else:
            sources.append(path)  # a missing file fails alone, in build_one
    return sources


def output_format(output: str | None, requested: str | None, count: int) -> str:
    """The format of a build: `--format`, else the suffix of a file `-o` names; refused when the
    two disagree, or when `-o` names one file for several sources."""
    if output is None or output.endswith(os.sep) or Path(output).is_dir():
        return requested or "pdf"
    suffix = Path(output).suffix.lower()
    named = SUFFIX_FORMATS.get(suffix)
    if named is not None and count > 1:
        raise UnpressError(output, f"-o names one {suffix} file, but {count} sources are given; "
                           "give -o a directory (ending with '/')")
    if named is not None and requested is not None and requested != named:
        raise UnpressError(output, f"--format {requested} writes {FORMATS[requested]} files, but "
                           f"-o ends with {suffix}: make them agree")
    return requested or named or "pdf"


def output_path(source: Path, output: str | None, suffix: str, single: bool) -> Path:
    """`-o` names a file for one source, unless it is a directory or ends with "/"."""
    if output is None:
        return DEFAULT_OUTPUT / (source.stem + suffix)
    path = Path(output)
    if single and not (output.endswith(os.sep) or path.is_dir()):
        return path
    return path / (source.stem + suffix)


def build_one(source: Path, target: Path, options: BuildOptions) -> None:
    """Read, render and write one document; a PDF is written only if it passes the preflight."""
    write_atomically(target, render_bytes(source, source_bytes(source), options))


def source_bytes(source: Path) -> bytes:
    """The bytes of a source (of a suffix we read), or the one error line naming it."""
    from unpress.readers import kind_of, read_bytes  # lazy imports: start-up time (module docstring)

    if not os.path.lexists(source):
        raise UnpressError(source, "no such file or directory")
    return read_bytes(source, kind_of(source))


def render_bytes(source: Path, data: bytes, options: BuildOptions) -> bytes:
    """A source's bytes to its output's bytes; a PDF comes back only if it passes the preflight.

    The one build path: `build_one` wraps it in a read and a write, and a
    Dask worker runs it alone, on bytes sent over the network (`unpress.cluster`).
    `source` names the document in errors; no file is read but an emblem.
    """
    from unpress.readers import parse

    reading = parse(source, data)
    if options.lint != "off" and source.suffix == ".md":
        from unpress.lint import lint_hook

        lint_hook(source, data, options.lint == "error")
    emblem = options.emblem or reading.emblem
    if emblem is not None:
        if not emblem.exists():
            raise UnpressError(emblem, "emblem file not found")
        guards.check_emblem(emblem)
    resolution = reading.resolution
    text = data.decode("utf-8", "replace")
    guards.check_document(resolution, source, text, printing=options.format == "pdf")
    conserve(source, data, resolution)
    if options.format == "md":
        from unpress.writers.markdown import write_markdown

        return write_markdown(resolution).encode("utf-8")
    if options.format == "akn":
        from unpress.writers.akn import write_akn

        return write_akn(resolution).encode("utf-8")
    if options.format == "html":
        from unpress.writers.html import html_edition

        return html_edition(resolution, options.edition).encode("utf-8")
    from unpress.writers.pdf import pdf_bytes

    pdf = pdf_bytes(resolution, emblem, source_files(resolution, source, data), options.edition)
    preflight(source, pdf, data)
    return pdf


def source_files(resolution: Resolution, source: Path, data: bytes) -> list[SourceFile]:
    """The files a PDF carries: the Markdown source and the AKN4UN XML of the document.

    The one read is attached as "Source" (a Markdown source: its own bytes),
    the other as written from the model, "Alternative".  Each writer is asked
    for its bytes here, so that the PDF writer calls no other writer.
    """
    from unpress.weasy import SourceFile
    from unpress.writers.akn import write_akn
    from unpress.writers.markdown import write_markdown

    stem = resolution.meta.symbol.replace("/", "_")
    symbol = resolution.meta.symbol
    from_markdown = source.suffix == ".md"
    markdown = data if from_markdown else write_markdown(resolution).encode("utf-8")
    return [
        SourceFile(f"{stem}.md", markdown, f"{symbol}: Markdown source",
                   "Source" if from_markdown else "Alternative"),
        SourceFile(f"{stem}.xml", write_akn(resolution).encode("utf-8"),
                   f"{symbol}: AKN4UN (Akoma Ntoso 3.0) XML", "Alternative" if from_markdown else "Source"),
    ]


def conserve(source: Path, data: bytes, resolution: Resolution) -> None:
    """Every word of the source is in what the writers lay out, in order (unpress.conservation)."""
    from unpress.conservation import check
    from unpress.house import edition_of
    from unpress.writers.html import render_html

    check(source, data, render_html(resolution, edition_of(resolution.meta), mode="pdf"))


def preflight(source: Path, pdf: bytes, data: bytes = b"") -> None:
    """The check every PDF we make passes before it is written: the one `unpress check --strict`
    runs (our PDFs embed their fonts and carry a /Title).

    The PDF records what the preflight must expect (its edition, whether it
    has a closing block), so the build and a later `check` give one verdict.
    A failure names the source (the PDF was never written) and, for a
    paragraph out of order, the source line of that paragraph.
    """
    from unpress.preflight import check_pdf

    with tempfile.NamedTemporaryFile(prefix="unpress-", suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        try:
            report = replace(check_pdf(handle.name), strict=True)  # our own PDFs: print-ready
        except UnpressError as error:  # it names the temporary file, which is never kept
            raise UnpressError(source, f"the built PDF cannot be checked ({error.message}); "
                               "nothing was written") from None
    if not report.ok:
        first = report.failures[0]
        where = f"page {first.page}: " if first.page else ""
        raise UnpressError(source, f"the built PDF fails the preflight ({where}{first.message}); "
                           "nothing was written", source_line(source, data, first.message))


def source_line(source: Path, data: bytes, message: str) -> int | None:
    """The line of the source where the paragraph a preflight message names starts, if found."""
    found = re.match(r"(?:paragraph (\d+)|subparagraph \(([a-z]+)\)) where", message)
    if not found:
        return None
    number, label = found.groups()
    if source.suffix == ".xml":
        pattern = rf"<num>\s*{number}\.\s*</num>" if number else rf"<num>\s*\({label}\)\s*</num>"
    else:
        pattern = rf"^[ \t]*{number}\.\s" if number else rf"^[ \t]*\({label}\)\s"
    text = data.decode("utf-8", "replace")
    match = re.search(pattern, text, re.M)
    return text.count("\n", 0, match.start()) + 1 if match else None


def build_reporting(source: Path, target: Path, options: BuildOptions,
                    debug: bool = False) -> tuple[str | None, float]:
    """`build_one` under the one error policy (`reporting`): (the line for stderr or None, seconds)."""
    _, error, seconds = reporting(source, build_one, source, target, options, debug=debug)
    return error, seconds


def reporting(source: Path, step: Callable[..., T], *args: object,
              debug: bool = False) -> tuple[T | None, str | None, float]:
    """`step(*args)` under the one error policy of every build, serial, pooled or on Dask.

    Returns (its result or None, the line for stderr or None, seconds).  A
    user's error is its own line; anything unexpected is "SOURCE: internal
    error (...)", with the traceback only under `--debug` (where every error
    is raised as it is).
    """
    start = time.perf_counter()
    try:
        result = step(*args)
    except UnpressError as error:
        if debug:
            raise
        if error.path is None:  # a writer's error: it is this source's
            error = UnpressError(source, error.message, error.line)
        return None, str(error), time.perf_counter() - start
    except MemoryError:
        if debug:
            raise
        return None, str(guards.out_of_memory(source)), time.perf_counter() - start
    except Exception as error:
        if debug:
            raise
        LOGGER.info("%s", "".join(traceback.format_exception(error)).rstrip())
        return None, str(internal_error(source, error)), time.perf_counter() - start
    return result, None, time.perf_counter() - start


def internal_error(path: Path | str | None, error: BaseException) -> UnpressError:
    """An exception that is ours, not the user's, as the one line a user sees."""
    detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return UnpressError(path, f"internal error ({detail}); please report it, with --debug for the "
                        "traceback")


def write_atomically(target: Path, data: bytes) -> None:
    """Write beside the target, then rename: a failed write leaves the old file intact.

    The file gets the permissions any new file of the user gets (the umask),
    not the 0600 of a temporary file.
    """
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
            os.fchmod(handle.fileno(), 0o666 & ~umask())
        os.replace(temp, target)
    except OSError as exc:
        raise UnpressError(target, f"cannot write the output: {exc.strerror}") from None
    finally:
        Path(temp).unlink(missing_ok=True)


def umask() -> int:
    """The process's umask (reading it means setting it for an instant, then back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
