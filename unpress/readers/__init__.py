"""Readers: a resolution source (Markdown or AKN4UN XML) into the document model."""

from __future__ import annotations

from pathlib import Path

from unpress.errors import UnpressError
from unpress.model import Resolution
from unpress.readers.akn import read_akn
from unpress.readers.markdown import read_source


def read(path: str | Path) -> Resolution:
    """Read any supported source by its suffix."""
    path = Path(path)
    if path.suffix == ".md":
        return read_source(path)
    if path.suffix == ".xml":
        return read_akn(path)
    raise UnpressError(path, "not a source: expected a .md resolution source or an AKN4UN .xml file")
