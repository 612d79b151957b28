"""Readers: a resolution source (Markdown or AKN4UN XML) into the document model."""

from __future__ import annotations

from pathlib import Path

from unpress.errors import UnpressError
from unpress.model import Reading, Resolution


def load(path: str | Path) -> Reading:
    """Read any supported source by its suffix: the document and the source's own settings.

    Every reader validates what it built (`readers.source.validated`).
    """
    path = Path(path)
    # each reader is imported when a source needs it: the package itself stays light, so that
    # `readers.source` (the batch engine's cache key) loads neither Markdown nor lxml
    if path.suffix == ".md":
        from unpress.readers.markdown import load_source

        return load_source(path)
    if path.suffix == ".xml":
        from unpress.readers.akn import read_akn

        return Reading(read_akn(path))
    raise UnpressError(path, "not a source: expected a .md resolution source or an AKN4UN .xml file")


def read(path: str | Path) -> Resolution:
    """Read any supported source into the document model."""
    return load(path).resolution
