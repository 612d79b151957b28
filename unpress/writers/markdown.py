"""Write the document model as a Markdown resolution source.

The inverse of `unpress.readers.markdown`: YAML front matter with the set
keys in the order of `Meta`, then the body in the source grammar (formula,
paragraphs, `N.` operative paragraphs, `(a)` subparagraphs indented by four
spaces per level, `##` headings, pipe tables, `# ` annex title lines,
`[^n]` footnotes with their `[^n]: text` definitions at the end), so that
reading the written text gives back an equal model.  Characters Markdown
would take as markup are escaped so the text survives as it is.
"""

from __future__ import annotations

import re
from dataclasses import fields

import yaml

from unpress.model import (
    Annex,
    Block,
    Cell,
    Closing,
    Division,
    Emphasis,
    Footnote,
    Formula,
    Heading,
    Inline,
    Link,
    Meta,
    NoteRef,
    Operative,
    Paragraph,
    Resolution,
    Strong,
    Subparagraph,
    Superscript,
    Table,
    Text,
)

INDENT = "    "
ENTITY_RE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
BACKSLASH_RE = re.compile(r"([\\`*_\[\]^])")
LIST_START_RE = re.compile(r"^(\d+)\.(?=\s|$)")
LABEL_START_RE = re.compile(r"^\((?=(?:[a-z]{1,3}|[ivxlc]+)\)[ \t])")
BLOCK_START_CHARS = ("#", ">", "|", "+", "-")


def write_markdown(resolution: Resolution) -> str:
    """The Markdown source text of a resolution."""
    parts = [front_matter(resolution.meta)]
    body = blocks(resolution.blocks)
    for annex in resolution.annexes:
        body.append(annex_text(annex))
    body.extend(footnote(note) for note in resolution.footnotes)
    parts.append("\n\n".join(body))
    return "\n".join(parts).rstrip("\n") + "\n"


def front_matter(meta: Meta) -> str:
    """The YAML block, keys in `Meta` order, unset keys left out."""
    lines = ["---"]
    for f in fields(Meta):
        value = getattr(meta, f.name)
        if value is None:
            continue
        dumped = yaml.safe_dump({f.name: value}, allow_unicode=True, sort_keys=False,
                                default_flow_style=False, width=float("inf"))
        lines.append(dumped.rstrip("\n"))
    lines.append("---")
    lines.append("")
    return "\n".join(lines)


def blocks(items: list[Block]) -> list[str]:
    """One text per block, to be joined by blank lines."""
    out: list[str] = []
    for block in items:
        if isinstance(block, (Formula, Paragraph)):
            out.append(run(block.content))
        elif isinstance(block, Operative):
            out.append(f"{block.number}. {run(block.content)}")
            out.extend(subparagraphs(block.children, 1))
        elif isinstance(block, Subparagraph):
            # A run of subparagraphs under no numbered paragraph: the first
            # level is indented once, their own points once more per level.
            out.extend(subparagraphs([block], 1))
        elif isinstance(block, Heading):
            out.append("#" * (block.level + 1) + " " + heading_run(block.content))
        elif isinstance(block, Table):
            out.append(table(block))
        elif isinstance(block, Division):  # its numeral and heading lines as headings
            prefix = "#" * (block.level + 1) + " "
            out.extend(prefix + heading_run(line) for line in [block.num, *block.heading] if line)
        elif isinstance(block, Closing):
            out.extend(run(line) for line in block.lines)
        else:  # pragma: no cover - the model has no other blocks
            raise TypeError(f"cannot write {type(block).__name__} as Markdown")
    return out


def subparagraphs(items: list[Subparagraph], depth: int) -> list[str]:
    """Subparagraph lines, indented by their depth: indentation is how the reader nests them."""
    out: list[str] = []
    for sub in items:
        out.append(f"{INDENT * depth}{sub.printed_label} {run(sub.content)}")
        out.extend(subparagraphs(sub.children, depth + 1))
    return out


def annex_text(annex: Annex) -> str:
    """The annex title as `# ` lines, then its blocks."""
    title = "\n".join("# " + heading_run(line) for line in annex.title)
    return "\n\n".join([title, *blocks(annex.blocks)]) if annex.blocks else title


def footnote(note: Footnote) -> str:
    """A `[^n]: text` definition."""
    return f"[^{note.number}]: {run(note.content)}"


def table(block: Table) -> str:
    """A pipe table, its columns' alignment in the `|:---|---:|` line; one without header rows
    gets an empty header (Markdown requires one).  A cell spanning columns is written in its
    first column, the others left empty, and its notes follow as paragraphs: a pipe table holds
    neither, but every word stays."""
    width = max((sum(cell.colspan for cell in row) for row in block.rows), default=1) or 1
    rows = [spread(row, width) for row in block.rows]
    if block.header_rows:
        header, body = rows[0], rows[1:]
    else:
        header, body = [Cell([]) for _ in range(width)], rows

    def line(cells: list[Cell]) -> str:
        return "| " + " | ".join(inlines(cell.content, cell_text=True) for cell in cells) + " |"

    rule = {None: "---", "left": ":---", "right": "---:", "center": ":---:", "justify": "---"}
    lines = [line(header), "|" + "|".join(rule[align] for align in column_aligns(body or rows)) + "|"]
    lines.extend(line(row) for row in body)
    return "\n".join(lines + [f"\n{run(note)}" for note in block.notes])


def spread(row: list[Cell], width: int) -> list[Cell]:
    """A row with one cell per column: a spanning cell, then empty cells for the rest."""
    cells: list[Cell] = []
    for cell in row:
        cells.append(cell)
        cells.extend(Cell([], align=cell.align) for _ in range(cell.colspan - 1))
    return cells + [Cell([]) for _ in range(width - len(cells))]


def column_aligns(rows: list[list[Cell]]) -> list[str | None]:
    """Each column's alignment: the one its cells with text share, else none."""
    aligns: list[str | None] = []
    for column in zip(*rows, strict=False):
        found = {cell.align for cell in column if cell.content}
        aligns.append(found.pop() if len(found) == 1 else None)
    return aligns


def run(content: list[Inline]) -> str:
    """A run of inline content rendered on its own: escaped at its start too."""
    return keep_edges(escape_start(inlines(content)))


def keep_edges(text: str) -> str:
    """White space such as U+00A0 at either end, written as a character reference.

    The reader strips each line, which would drop it; `&#160;` survives.
    """
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    if start == 0 and end == len(text):
        return text

    def refs(part: str) -> str:
        return "".join(f"&#{ord(c)};" for c in part)

    if end <= start:
        return refs(text)
    return refs(text[:start]) + text[start:end] + refs(text[end:])


def heading_run(content: list[Inline]) -> str:
    """A heading's text, with a trailing '#' escaped so it is not read as a closing sequence."""
    text = run(content)
    if text.endswith("#"):
        text = text[:-1] + "\\#"
    return text


def escape_start(text: str) -> str:
    """Escape what Markdown would read as a block marker at the start of a line."""
    if text.startswith(BLOCK_START_CHARS):
        return "\\" + text
    text = LIST_START_RE.sub(lambda m: m.group(1) + "\\.", text, count=1)
    return LABEL_START_RE.sub(r"\\(", text, count=1)


def escape(text: str, cell_text: bool = False) -> str:
    """Escape markup characters, entity-like '&' and '<' (and '|' inside a table cell)."""
    text = BACKSLASH_RE.sub(r"\\\1", text)
    text = ENTITY_RE.sub("&amp;", text)
    text = text.replace("<", "&lt;")
    if cell_text:
        text = text.replace("|", "\\|")
    return text


def inlines(nodes: list[Inline], cell_text: bool = False, inside: type | None = None) -> str:
    """Inline Markdown; nested emphasis and strong alternate '*' and '_' so their markers stay apart."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            parts.append(escape(node.text, cell_text))
        elif isinstance(node, NoteRef):
            parts.append(f"[^={node.number}]" if node.again else f"[^{node.number}]")
        elif isinstance(node, Emphasis):
            mark = "_" if inside is Strong else "*"
            parts.append(mark + inlines(node.children, cell_text, Emphasis) + mark)
        elif isinstance(node, Strong):
            mark = "__" if inside is Emphasis else "**"
            parts.append(mark + inlines(node.children, cell_text, Strong) + mark)
        elif isinstance(node, Superscript):
            parts.append("^" + inlines(node.children, cell_text, inside) + "^")
        elif isinstance(node, Link):
            parts.append(f"[{inlines(node.children, cell_text, inside)}]({node.href})")
    return "".join(parts)
