"""A Word .docx file, read with python-docx.

Paragraphs by style (a "Heading" style makes a heading), italics from the runs,
footnote calls from `w:footnoteReference` with their text from the footnotes part,
and Word's automatic numbering turned back into the numbers and letters it prints:
level 0 "1.", level 1 "(a)", level 2 "(i)".
"""

from __future__ import annotations

from pathlib import Path

from unpress.errors import UnpressError
from unpress.importers.compose import CALL, ITALIC, Draft, Piece, Run
from unpress.importers.text import TITLE_RE
from unpress.model import ROMAN

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FOOTNOTES_RELATION = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"


def read_docx(path: Path) -> Draft:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise UnpressError(path, f"not a readable .docx file ({exc})") from None
    draft = Draft(meta={"edition": "current"}, pieces=[], notes=footnotes(document))
    counters = [0, 0, 0]
    for number, paragraph in enumerate(document.paragraphs, start=1):
        runs = paragraph_runs(paragraph._p)
        text = "".join(run.text for run in runs if run.kind != CALL).strip()
        if not text:
            continue
        title = TITLE_RE.match(text) if "symbol" not in draft.meta else None
        if title:
            draft.meta.update(symbol=f"A/RES/{title.group(1)}", title=title.group(2).strip())
            if title.group(1).split("/")[0].isdigit():
                draft.meta["session"] = int(title.group(1).split("/")[0])
            continue
        level = numbering_level(paragraph._p)
        if level is None and paragraph.style is not None:
            level = numbering_level(paragraph.style.element)  # numbered by its style ("List Number")
        if level is not None:
            counters[level] += 1
            for deeper in range(level + 1, len(counters)):
                counters[deeper] = 0
            runs.insert(0, Run(label(level, counters[level]) + " "))
        style = paragraph.style.name if paragraph.style is not None else ""
        draft.pieces.append(Piece(runs, 0, number, heading=style.startswith("Heading")))
    if "symbol" not in draft.meta:
        draft.problems.append("no title line such as '80/1. Title'; symbol and title must be written "
                              "into the front matter")
        draft.meta.update(symbol="A/RES/0/0", title="Title")
    return draft


def label(level: int, count: int) -> str:
    if level == 0:
        return f"{count}."
    if level == 1:
        return f"({chr(ord('a') + count - 1)})"
    return f"({ROMAN[count - 1]})" if count <= len(ROMAN) else f"({count})"


def numbering_level(paragraph) -> int | None:
    """The list level of a paragraph Word numbers itself, or None."""
    properties = paragraph.find(f"{W}pPr")  # a w:p or a w:style: both keep numPr in w:pPr
    numbering = properties.find(f"{W}numPr") if properties is not None else None
    if numbering is None:
        return None
    level = numbering.find(f"{W}ilvl")
    return min(int(level.get(f"{W}val", "0")) if level is not None else 0, 2)


def paragraph_runs(element) -> list[Run]:
    """Text, italic text and footnote calls of a `w:p`, in order."""
    runs: list[Run] = []
    for run in element.iter(f"{W}r"):
        reference = run.find(f"{W}footnoteReference")
        if reference is not None:
            runs.append(Run(reference.get(f"{W}id"), CALL))
            continue
        properties = run.find(f"{W}rPr")
        italic = properties is not None and properties.find(f"{W}i") is not None and \
            properties.find(f"{W}i").get(f"{W}val", "true") not in ("0", "false")
        text = "".join((node.text or "") if node.tag == f"{W}t" else " " for node in run
                       if node.tag in (f"{W}t", f"{W}tab"))
        if text:
            runs.append(Run(text, ITALIC if italic else "text"))
    return runs


def footnotes(document) -> dict[int, list[Run]]:
    """The notes of the footnotes part (ids 0 and -1 are Word's separators)."""
    part = next((rel.target_part for rel in document.part.rels.values()
                 if rel.reltype == FOOTNOTES_RELATION), None)
    if part is None:
        return {}
    from lxml import etree

    root = etree.fromstring(part.blob)
    notes: dict[int, list[Run]] = {}
    for note in root.iter(f"{W}footnote"):
        number = int(note.get(f"{W}id", "0"))
        if number <= 0:
            continue
        runs = [run for paragraph in note.iter(f"{W}p") for run in paragraph_runs(paragraph)]
        if runs and runs[0].kind == "text":
            runs[0] = Run(runs[0].text.lstrip())
        notes[number] = runs
    return notes
