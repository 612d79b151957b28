"""The command line, run in this process: what a subprocess would show, without its start-up.

A subprocess proves nothing more for most CLI tests (exit status, stdout,
stderr, files written) and costs WeasyPrint's import each time; the tests
that need a fresh interpreter (nothing imported on a no-op build, separate
processes for reproducibility) still start one.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import traceback
from pathlib import Path

from unpress.cli import main
from unpress.model import Annex, Block, Cell, Heading, Paragraph, Resolution, Table, walk
from unpress.writers.markdown import column_aligns, spread

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """`python build.py ARGS` in `cwd`, as a CompletedProcess (a traceback goes to stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(list(args))
        except SystemExit as exit_:
            status = exit_.code if isinstance(exit_.code, int) else 2
        except Exception:  # --debug: the exception propagates, as it would end a process
            traceback.print_exc()
            status = 1
    return subprocess.CompletedProcess(["build.py", *args], status, out.getvalue(), err.getvalue())


def without_word_styles(resolution: Resolution) -> Resolution:
    """The document less the Word heading styles of its AKN classes, which Markdown has no way
    to state (its headings are `#` lines): what a round trip through Markdown keeps."""
    for node in walk(resolution):
        if isinstance(node, Heading):
            node.style = None
        elif isinstance(node, Annex):
            node.title_styles = []
            node.blocks = as_pipe_tables(node.blocks)
    resolution.blocks = as_pipe_tables(resolution.blocks)
    return resolution


def as_pipe_tables(blocks: list[Block]) -> list[Block]:
    """Tables as a pipe table holds them: one cell per column, each column's alignment, the
    notes as paragraphs after it; Word's widths, rules and spans are not Markdown's to state."""
    out: list[Block] = []
    for block in blocks:
        if not isinstance(block, Table):
            out.append(block)
            continue
        width = max((sum(cell.colspan for cell in row) for row in block.rows), default=0)
        rows = [spread(row, width) for row in block.rows]
        aligns = column_aligns(rows[min(block.header_rows, 1):] or rows)
        out.append(Table([[Cell(cell.content, align=align) for cell, align in zip(row, aligns, strict=True)]
                          for row in rows], min(block.header_rows, 1)))
        out.extend(Paragraph(note) for note in block.notes)
    return out
