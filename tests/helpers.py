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
