"""Readers: a resolution source (Markdown or AKN4UN XML) into the document model."""

from __future__ import annotations

from pathlib import Path

from unpress.errors import UnpressError
from unpress.model import Reading, Resolution
from unpress.readers.source import decode_utf8, read_bytes

KINDS = {".md": "a .md source", ".xml": "an AKN4UN .xml file"}


def load(path: str | Path) -> Reading:
    """Read any supported source by its suffix: the document and the source's own settings.

    Every reader validates what it built (`readers.source.validated`).
    """
    path = Path(path)
    return parse(path, read_bytes(path, kind_of(path)))


def parse(path: Path, raw: bytes) -> Reading:
    """Read a source from its bytes (a build worker may never see the file): `path` names it
    in errors and locates the emblem its front matter names."""
    # each reader is imported when a source needs it: the package itself stays light, so that
    # `readers.source` (the batch engine's cache key) loads neither Markdown nor lxml
    if kind_of(path) == KINDS[".md"]:
        from unpress.readers.markdown import parse_reading

        return parse_reading(decode_utf8(raw, path), path)
    from unpress.readers.akn import parse_akn

    return Reading(parse_akn(raw, path))


def kind_of(path: Path) -> str:
    """What a source of this name must be; any other suffix is refused before it is read."""
    suffix = path.suffix.lower()  # UPPER.MD is a source too
    if suffix not in KINDS:
        raise UnpressError(path, "not a source: expected a .md resolution source or an AKN4UN .xml file")
    return KINDS[suffix]


def read(path: str | Path) -> Resolution:
    """Read any supported source into the document model."""
    return load(path).resolution
