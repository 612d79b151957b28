"""The one error type users see: a file, maybe a line, and what is wrong."""

from __future__ import annotations

import sys
from pathlib import Path


class UnpressError(Exception):
    """A problem with an input or output the user can fix; printed as one line."""

    def __init__(self, path: str | Path | None, message: str, line: int | None = None):
        super().__init__(message)
        self.path = str(path) if path is not None else None
        self.line = line
        self.message = message

    def __str__(self) -> str:
        where = self.path or "unpress"
        if self.line is not None:
            where = f"{where}:{self.line}"
        # One line on stderr, whatever a file name or a quoted value holds.
        return f"{where}: {self.message}".replace("\r", "\\r").replace("\n", "\\n")


def warn(path: str | Path | None, message: str, line: int | None = None) -> None:
    """A problem the build goes on with, as one line on stderr in the error's form (the
    linter's findings print so too)."""
    print(UnpressError(path, f"warning: {message}", line), file=sys.stderr)
