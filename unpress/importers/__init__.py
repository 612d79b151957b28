"""`unpress import`: a source from an official text that exists only as PDF, Word or plain text.

Each reader of a form (`pdf`, `docx`, `text`) turns the file into a `Draft`: paragraphs
as runs of text, italics and footnote calls, each with its page and line, the footnotes,
the front matter facts it found, and what it could not place.  `compose` then builds the
document model from it, and the Markdown writer writes the source, so an imported source
is in exactly the form `--format md` writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from unpress.errors import UnpressError


def import_document(document: Path) -> tuple[str, list[str]]:
    """The Markdown source of an official document, and what could not be placed in it."""
    from unpress.importers.compose import compose
    from unpress.writers.markdown import write_markdown

    suffix = document.suffix.lower()
    if not document.is_file():
        raise UnpressError(document, "no such file")
    if suffix == ".pdf":
        from unpress.importers.pdf import read_pdf as read
    elif suffix == ".docx":
        from unpress.importers.docx import read_docx as read
    elif suffix == ".txt":
        from unpress.importers.text import read_text as read
    else:
        raise UnpressError(document, "import reads an official .pdf, .docx or .txt file")
    draft = read(document)
    resolution = compose(draft)
    return write_markdown(resolution), draft.problems


def run_import(document: Path, output: Path) -> int:
    """Write the source; report each thing not placed as `FILE: page P, line L: ...` on stderr."""
    text, problems = import_document(document)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UnpressError(output, f"cannot write the source: {exc.strerror}") from None
    for problem in problems:
        print(f"{document}: {problem}", file=sys.stderr)
    print(f"{document} -> {output}" + (f" ({len(problems)} things not placed, listed above)"
                                       if problems else ""))
    return 0
