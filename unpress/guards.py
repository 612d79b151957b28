"""The reliability contract: nothing destroyed, nothing silently dropped, nothing exhausted.

Inputs are regular files of bounded size, refused by their `stat` before
they are opened (a FIFO would block the open, a device never ends).  Outputs
never destroy: a target that is an input of the run, a device, a FIFO or a
directory, or that two inputs would share, is refused before anything is
built.  A document is refused when it holds what the PDF cannot print as
written (a character no bundled font has) or what would make the build's
cost run away (the limits below, measured by bench/limits.py, docs/limits.md).
A memory limit per build process turns what is left of a runaway into one
error line.
"""

from __future__ import annotations

import io
import os
import stat
import unicodedata
import warnings
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from unpress.errors import UnpressError
from unpress.model import (
    TEXT_BLOCKS,
    Heading,
    NoteRef,
    Resolution,
    Table,
    Text,
    inline_nodes,
    plain_text,
    walk,
)
from unpress.paths import STYLES

MAX_SOURCE_BYTES = 20 * 2**20  # a session's longest resolution is under 1 MB (docs/limits.md)
MAX_PARAGRAPH_CHARACTERS = 100_000  # the corpus's longest paragraph is a few thousand
MAX_NOTES_PER_PARAGRAPH = 1000  # 500 in one paragraph: 29 s, linear (docs/limits.md)
MAX_TABLE_COLUMNS = 16  # at 8.5 pt, about a centimetre a column in the 16.5 cm text column
MAX_EMBLEM_BYTES = 5 * 2**20
MAX_EMBLEM_PIXELS = 16_000_000  # 4,000 x 4,000: decoded, 64 MB of RGBA
DEFAULT_MEMORY_MB = 4096  # address space, not RSS: WeasyPrint's libraries map ~1 GB at start
# Characters that print nothing and need no glyph (spaces are laid out, not drawn).
INVISIBLE = set("\t\n\r \u00ad\u200b\u200c\u200d\u2060\ufeff")
PRINTED_AS_ANOTHER = set("\u2011")  # the HTML writer prints U+2011 as "-" in a no-break span


# -- inputs ------------------------------------------------------------------------------


def kind_of(mode: int) -> str | None:
    """What a file that is not a regular file is, in words (None: a regular file)."""
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "not a regular file"


def read_input(path: Path, kind: str, limit: int = MAX_SOURCE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or one error line naming it.

    The file is refused by its `stat` (symbolic links followed) before it is
    opened, opened without blocking and checked again, and read no further
    than the limit: a file that grows while it is read is refused too.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise UnpressError(path, "no such file") from None
    except OSError as exc:
        raise UnpressError(path, f"cannot read: {exc.strerror}") from None
    refuse_special(path, info, kind, limit)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise UnpressError(path, f"cannot read: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        refuse_special(path, os.fstat(fd), kind, limit)  # the file opened is the file checked
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise too_big(path, kind, limit)
    return data


def refuse_special(path: Path, info: os.stat_result, kind: str, limit: int) -> None:
    special = kind_of(info.st_mode)
    if special is not None:
        raise UnpressError(path, f"is {special}, not {kind}: only regular files are read")
    if info.st_size > limit:
        raise too_big(path, kind, limit)


def too_big(path: Path, kind: str, limit: int) -> UnpressError:
    return UnpressError(path, f"is larger than {limit // 2**20} MB, the limit for {kind} "
                        "(docs/limits.md)")


def regular_bytes(path: Path, limit: int = MAX_SOURCE_BYTES) -> bytes | None:
    """A file's bytes for a digest, or None when it is missing, special or too big (the build
    then fails on it alone, with its message)."""
    try:
        return read_input(path, "an input", limit)
    except UnpressError:
        return None


def check_emblem(path: Path) -> None:
    """An emblem is a regular image file whose decoded size stays small."""
    data = read_input(path, "an emblem image", MAX_EMBLEM_BYTES)
    if path.suffix.lower() == ".svg":
        return
    from PIL import Image  # WeasyPrint's own image library

    too_many = (f"an emblem may have at most {MAX_EMBLEM_PIXELS // 10**6} million pixels (the "
                "printed emblem is 2 cm wide: 1,000 pixels is plenty)")
    with warnings.catch_warnings():  # Pillow warns of a decompression bomb: refused below
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
        except Image.DecompressionBombError:
            raise UnpressError(path, f"is an image of too many pixels; {too_many}") from None
        except Exception:  # noqa: BLE001 (Pillow raises many kinds for a file that is no image)
            raise UnpressError(path, "is not an image file Pillow can read (PNG, JPEG, GIF, "
                               "SVG)") from None
    if width * height > MAX_EMBLEM_PIXELS:
        raise UnpressError(path, f"is an image of {width} x {height} pixels; {too_many}")


# -- outputs -----------------------------------------------------------------------------


def check_outputs(pairs: list[tuple[Path, Path]], others: Iterable[Path] = ()) -> None:
    """Refuse, before anything is built, every output that would destroy something.

    `pairs` are (source, target); `others` further inputs of the run (an emblem).
    """
    inputs: dict[tuple[int, int], Path] = {}
    for path in [*(source for source, _ in pairs), *others]:
        try:
            info = os.stat(path)
        except OSError:
            continue
        inputs.setdefault((info.st_dev, info.st_ino), path)
    writers: dict[Path, Path] = {}
    for source, target in pairs:
        key = Path(os.path.abspath(target)).resolve()
        if key in writers:
            raise UnpressError(target, f"both {writers[key]} and {source} would be written here; "
                               "nothing was built: rename one, or build them into different "
                               "directories")
        writers[key] = source
        try:
            info = os.stat(target)
        except OSError:
            continue
        special = kind_of(info.st_mode)
        if special is not None:
            raise UnpressError(target, f"is {special}; unpress writes only regular files, and "
                               "nothing was written")
        same = inputs.get((info.st_dev, info.st_ino))
        if same is not None:
            what = "the source" if same == source else f"an input of this build ({same})"
            raise UnpressError(target, f"is {what}: writing the output would destroy it; "
                               "nothing was written (give -o another name)")


# -- documents ---------------------------------------------------------------------------


def check_document(resolution: Resolution, path: Path, text: str | None, printing: bool) -> None:
    """The limits of the model (all formats) and, for a PDF, that every character can print.

    `text` is the source's text, to name the line of a character.
    """
    for block in blocks_of(resolution):
        if isinstance(block, Table):
            columns = max((len(row) for row in block.rows), default=0)
            if columns > MAX_TABLE_COLUMNS:
                first = plain_text(block.rows[0][0].content) if block.rows else ""
                raise UnpressError(path, f"a table of {columns} columns: at most "
                                   f"{MAX_TABLE_COLUMNS} fit the text column (split it)",
                                   line_of(text, first))
            continue
        content = block.content
        words = plain_text(content, note_numbers=False)
        where = line_of(text, longest_run(content))
        if len(words) > MAX_PARAGRAPH_CHARACTERS:
            raise UnpressError(path, f"a paragraph of {len(words):,} characters ({words[:30]!r}...); "
                               f"at most {MAX_PARAGRAPH_CHARACTERS:,} (docs/limits.md): split it", where)
        calls = sum(isinstance(node, NoteRef) for node in inline_nodes(content))
        if calls > MAX_NOTES_PER_PARAGRAPH:
            raise UnpressError(path, f"a paragraph calls {calls} footnotes ({words[:30]!r}...); "
                               f"at most {MAX_NOTES_PER_PARAGRAPH} fit beside one paragraph's "
                               "pages: split it", where)
    if printing:
        check_printable(resolution, path, text)


def longest_run(content: list) -> str:
    """The start of the longest run of plain text in a block: what finds it in the source."""
    runs = [node.text for node in inline_nodes(content) if isinstance(node, Text)]
    return max(runs, key=len, default="")[:40]


def blocks_of(resolution: Resolution) -> list:
    return [node for node in walk(resolution) if isinstance(node, (*TEXT_BLOCKS, Heading, Table))]


def check_printable(resolution: Resolution, path: Path, text: str | None) -> None:
    """Every character of the document is one the bundled fonts draw: the PDF would otherwise
    print a system font's glyph (an emoji) or nothing at all (an unassigned code point)."""
    glyphs = font_coverage()
    seen: set[str] = set()
    meta = resolution.meta
    strings = [meta.title, meta.agenda_title or "", meta.committee or "", meta.meeting or ""]
    strings += [node.text for node in walk(resolution, inlines=True) if isinstance(node, Text)]
    for string in strings:
        for char in set(string) - seen:
            seen.add(char)
            if char in glyphs or char in INVISIBLE or char in PRINTED_AS_ANOTHER:
                continue
            name = unicodedata.name(char, "")
            what = f"U+{ord(char):04X} {name}" if name else f"U+{ord(char):04X} (an unassigned code point)"
            raise UnpressError(path, f"character {what} cannot be printed: the bundled fonts have "
                               "no glyph for it; remove or replace it", line_of(text, char))


@lru_cache(maxsize=1)
def font_coverage() -> frozenset[str]:
    """The characters a bundled family draws in every one of its faces (Latin and Cyrillic,
    Arabic, Chinese: a family is the files whose names share the part before "-")."""
    from fontTools.ttLib import TTFont  # WeasyPrint's font library

    families: dict[str, set[int]] = {}
    for path in sorted((STYLES / "fonts").iterdir()):
        if path.suffix not in (".ttf", ".otf"):
            continue
        codes = set(TTFont(path, lazy=True).getBestCmap())
        family = path.stem.split("-")[0]
        families[family] = families[family] & codes if family in families else codes
    return frozenset(chr(code) for codes in families.values() for code in codes)


def line_of(text: str | None, needle: str) -> int | None:
    """The line of the source where `needle` first occurs (None: not found as written)."""
    if not text or not needle:
        return None
    at = text.find(needle)
    return text.count("\n", 0, at) + 1 if at >= 0 else None


# -- memory ------------------------------------------------------------------------------


def memory_limit_mb() -> int:
    """The address space a build process may use: UNPRESS_MEMORY_MB, or the default."""
    value = os.environ.get("UNPRESS_MEMORY_MB", "")
    return int(value) if value.isdecimal() and int(value) > 0 else DEFAULT_MEMORY_MB


def limit_memory() -> None:
    """Cap this process's address space, so that a runaway build ends as a MemoryError."""
    try:
        import resource
    except ImportError:  # not on a POSIX system
        return
    limit = memory_limit_mb() * 2**20
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft == resource.RLIM_INFINITY or soft > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def out_of_memory(path: Path) -> UnpressError:
    return UnpressError(path, f"the build ran out of memory (the limit is {memory_limit_mb():,} MB "
                        "per build process, UNPRESS_MEMORY_MB); the source is too large to set "
                        "(docs/limits.md)")
