"""Plain text in the official line-broken form (as shared/seed/A_RES_58_208.txt).

The form: a title line "58/208. Title"; paragraphs of broken lines, each opening
with a space and separated by blank lines; at each page foot, a rule of
underscores and the notes ("1 Report of ..."), numbered in sequence; running
headers (the symbol, the page number) between pages; footnote calls are their
numbers set against the word or punctuation before them ("Cairo,1 in").
Plain text carries no italics: the composer sets the opening phrases.
"""

from __future__ import annotations

import re
from pathlib import Path

from unpress.importers.compose import CALL, Draft, Piece, Run
from unpress.readers.source import decode_utf8, read_bytes

TITLE_RE = re.compile(r"^((?:(?:ES|S)-)?\d{1,3}/\d{1,4}(?: ?[A-Z])?)\.\s+(.+)$")
RULE_RE = re.compile(r"^_{5,}$")
HEADER_RE = re.compile(r"^(?:A/RES/\S+|\d{1,3})$")
NOTE_RE = re.compile(r"^(\d{1,3})\s+(\S.*)$")


def read_text(path: Path) -> Draft:
    lines = decode_utf8(read_bytes(path, "a .txt file"), path).replace("\r\n", "\n").split("\n")
    draft = Draft(meta={}, pieces=[], notes={}, has_italics=False)
    page, in_notes, note_number = 1, False, 0
    current: Piece | None = None
    gap = False  # a blank line since the current paragraph's last line
    carried = False  # the current paragraph runs on past a page foot
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        text = line.strip()
        title = TITLE_RE.match(text)
        if title and not draft.meta:
            draft.meta.update(symbol=f"A/RES/{title.group(1)}", title=title.group(2).strip(),
                              edition="2003")  # the "58/208. Title" line is the 2003 masthead
            session = title.group(1).split("/")[0]
            if session.isdigit():
                draft.meta["session"] = int(session)
            continue
        if RULE_RE.match(text):
            in_notes, page = True, page + 1
            carried = current is not None and not ends_paragraph(current.text)
            continue
        if not text:
            gap, in_notes = True, False  # notes have no blank lines: a blank one ends them
            continue
        if HEADER_RE.match(text) and not line.startswith(" "):
            continue  # a running header: the symbol or the page number
        if in_notes:
            note = NOTE_RE.match(text)
            if note and int(note.group(1)) == note_number + 1:
                note_number += 1
                draft.notes[note_number] = [Run(note.group(2))]
                continue
            if note_number and not line.startswith(" "):
                join(draft.notes[note_number], text)
                continue
            in_notes = False  # the next page's text, opening with a space
        if current is not None and (carried or not (gap or line.startswith(" "))):
            join(current.runs, text)
        else:
            current = Piece([Run(text)], page, number)
            draft.pieces.append(current)
        gap = carried = False
    if "symbol" not in draft.meta:
        draft.problems.append("line 1: no title line such as '58/208. Title'; symbol and title "
                              "must be written into the front matter")
        draft.meta.update(symbol="A/RES/0/0", title="Title")
    place_calls(draft.pieces, draft.notes)
    return draft


def ends_paragraph(text: str) -> bool:
    return text.rstrip().endswith((",", ";", ".", ":"))


def join(runs: list[Run], line: str) -> None:
    """Add a broken line: a space between, none after a line-end hyphen (a real one:
    "Secretary-" + "General")."""
    last = runs[-1]
    separator = "" if last.text.endswith("-") else " "
    runs[-1] = Run(last.text + separator + line, last.kind)


CALL_CONTEXT = r"(?<=[A-Za-z\)\]”’\.,;:])({n})(?=[\s,.;:)”’]|$)"


def place_calls(pieces: list[Piece], notes: dict[int, list[Run]]) -> None:
    """Footnote calls in document order: the next note's number set against the character
    before it (a letter, a bracket, a quote or punctuation), never after a space or "/"."""
    following = 1
    for piece in pieces:
        runs: list[Run] = []
        for run in piece.runs:
            text = run.text
            while following in notes:
                match = re.search(CALL_CONTEXT.format(n=following), text)
                if match is None:
                    break
                runs += [Run(text[:match.start()], run.kind), Run(str(following), CALL)]
                text = text[match.end():]
                following += 1
            runs.append(Run(text, run.kind))
        piece.runs = runs
