"""What every reader shares: reading a source's bytes, the Markdown front matter, validation.

Front matter is the YAML block that opens a Markdown source, read into
`Meta`.  It lives here, apart from the Markdown machinery, so that the batch
engine can read a source's settings (the emblem it names) for its cache key
with the reader's own parser at the cost of PyYAML's safe loader alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from unpress.errors import UnpressError
from unpress.guards import read_input
from unpress.house import EDITIONS, LANGUAGES
from unpress.model import PUBLISHED_NUMBERING, SYMBOL, InvalidDocumentError, Meta, Resolution, validate

REQUIRED_KEYS = ("symbol", "title")
SETTING_KEYS = {"emblem", "lint"}  # front matter that sets the build (lint: rules off, unpress.lint)
KNOWN_KEYS = {f.name for f in fields(Meta)} | SETTING_KEYS
SYMBOL_RE = SYMBOL  # the model's own rule for a General Assembly resolution symbol
SYMBOL_EXAMPLE = "A/RES/58/208"
EMBLEM_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg")
ALLOWED_SCHEMES = ("http://", "https://", "mailto:")  # the links a source may carry


def read_bytes(path: Path, kind: str) -> bytes:
    """The bytes of a source, or one error line naming the file (`kind`: what it should be):
    a regular file of bounded size (`guards.read_input`)."""
    return read_input(path, kind)


def decode_utf8(raw: bytes, path: str | Path) -> str:
    """Decode strictly, naming the line and column of the first bad byte."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise UnpressError(
            path,
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column {column}); "
            "save the file as UTF-8",
            line,
        ) from None


CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff"
                               "\u202a-\u202e\u2066-\u2069]")
BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")  # embeddings, overrides, isolates
CHARACTER_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FIRST_ADOPTION = date(1946, 1, 1)  # the General Assembly's first session
LAST_SESSION = 999  # a symbol carries at most three digits of session


def refuse_control_characters(text: str, path: str | Path) -> None:
    """Control characters print nothing and no XML edition can carry them, and bidirectional
    controls reorder what is printed ("000 001" printed "100 000"): name the first, and the
    first character reference (`&#0;`) that stands for one or for no character at all."""
    text = text.replace("\r\n", "\n")
    match = CONTROL_CHARACTER.search(text)
    if match:
        before = text[:match.start()]
        what = ("bidirectional control character" if BIDI_CONTROL.match(match.group())
                else "control character")
        raise UnpressError(
            path, f"{what} U+{ord(match.group()):04X} at column "
            f"{match.start() - before.rfind(chr(10))}; remove it (only tabs and line ends "
            "are allowed)", before.count("\n") + 1)
    for reference in CHARACTER_REFERENCE.finditer(text):
        code = int(reference.group(1), 16) if reference.group(1) else int(reference.group(2))
        if code == 0 or code > 0x10FFFF or CONTROL_CHARACTER.match(chr(code)):
            before = text[:reference.start()]
            raise UnpressError(
                path, f"the character reference {reference.group()!r} at column "
                f"{reference.start() - before.rfind(chr(10))} stands for no printable character; "
                "remove it", before.count("\n") + 1)


class FrontMatterLoader(yaml.SafeLoader):
    """PyYAML's safe loader that refuses a key given twice and leaves dates as text (the
    reader checks them: `2023-02-30` is an error with its line, not a traceback)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            line = key_node.start_mark.line + 2
            if isinstance(key, (list, dict)):  # "[^1]:" is a list as a key: no field is named so
                raise FrontMatterKeyError("a front matter key is a name ('title: ...'), not a "
                                          "list or a mapping", line)
            if key in seen:
                raise FrontMatterKeyError(f"front matter key {str(key)!r} is given twice (first at "
                                          f"line {seen[key]}); keep one", line)
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


class FrontMatterKeyError(yaml.YAMLError):
    """A key PyYAML accepts but front matter cannot: one given twice, or one that is not a name."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def parse_front_matter(text: str, path: str | Path) -> tuple[Meta, dict[str, object], int]:
    """Return the metadata, the build settings (SETTING_KEYS) and the index of the first body line."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        raise UnpressError(
            path, "no front matter: the file must start with a '---' line, then "
            "'symbol:' and 'title:', then '---'", 1
        )
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    except StopIteration:
        raise UnpressError(path, "the front matter is not closed by a '---' line", 1) from None
    try:
        data = yaml.load("\n".join(lines[1:end]), Loader=FrontMatterLoader)  # noqa: S506 (safe)
    except FrontMatterKeyError as exc:
        raise UnpressError(path, str(exc), exc.line) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2
        problem = getattr(exc, "problem", None) or "invalid syntax"
        if "constructor for the tag" in problem:
            problem = "YAML tags such as '!!python/...' are not allowed; write plain values"
        raise UnpressError(path, f"front matter is not valid YAML: {problem}", line) from None
    if not isinstance(data, dict):
        raise UnpressError(path, "front matter must be 'key: value' lines", 2)

    def key_line(key: str) -> int:
        for i in range(1, end):
            if lines[i].split(":", 1)[0].strip() == key:
                return i + 1
        return 1

    for key in data:
        if key not in KNOWN_KEYS:
            raise UnpressError(
                path, f"unknown front matter key {str(key)!r}; known keys: "
                + ", ".join(sorted(KNOWN_KEYS)), key_line(str(key))
            )
    for key in REQUIRED_KEYS:
        if data.get(key) in (None, ""):
            example = SYMBOL_EXAMPLE if key == "symbol" else "the resolution's title"
            if key in data:
                raise UnpressError(path, f"front matter key '{key}' is empty; write it as "
                                   f"'{key}: {example}'", key_line(key))
            raise UnpressError(path, f"front matter key '{key}' is required; add a line "
                               f"'{key}: {example}' before the closing '---'", end + 1)
    values: dict[str, Any] = {}
    for key, value in data.items():
        values[key] = coerce_value(key, value, path, key_line(key))
    settings = {key: values.pop(key) for key in SETTING_KEYS if key in values}
    return Meta(**values), settings, end + 1


def coerce_value(key: str, value: object, path: str | Path, line: int) -> object:
    """Check one front matter value and give it its model type."""
    def fail(expected: str) -> UnpressError:
        return UnpressError(path, f"'{key}' must be {expected}, not {value!r}", line)

    if key in ("adopted", "distributed"):
        try:
            if not isinstance(value, date) and not ISO_DATE.match(str(value)):
                raise ValueError(value)
            day = value if isinstance(value, date) else date.fromisoformat(str(value))
        except ValueError:
            raise fail("a real date written YYYY-MM-DD") from None
        if day < FIRST_ADOPTION:
            raise fail("a date from 1946 on (the General Assembly's first session)")
        return day
    if key == "session":
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= LAST_SESSION:
            raise fail(f"a session number from 1 to {LAST_SESSION}, such as 58")
        return value
    if isinstance(value, (dict, list, set, bytes)) or value is None:
        raise fail("a single line of text")
    value = str(value).strip()
    if CONTROL_CHARACTER.search(value):
        raise fail("text without control characters")
    if key == "symbol" and not SYMBOL_RE.match(value):
        raise fail(f"a General Assembly resolution symbol such as {SYMBOL_EXAMPLE}")
    if key == "edition" and value not in EDITIONS:
        raise fail(" or ".join(repr(name) for name in EDITIONS))
    if key == "numbering" and value != PUBLISHED_NUMBERING:
        raise fail(f"{PUBLISHED_NUMBERING!r} (the numbers as their publisher gave them, kept where "
                   "they skip or repeat), or no numbering key")
    if key == "language" and value not in LANGUAGES:
        raise fail(" or ".join(repr(code) for code in LANGUAGES))
    if key == "emblem":
        return emblem_path(value, path, fail)
    return value


def emblem_path(value: str, path: str | Path, fail: Callable[[str], UnpressError]) -> str:
    """A source may name an emblem image only beside itself: nothing else is read."""
    beside = "an image file in the source's own folder, such as 'emblem.png' (or give --emblem)"
    if ":" in value or "\0" in value or Path(value).is_absolute():
        raise fail(beside)
    folder = Path(path).parent.resolve()
    emblem = (folder / value).resolve()
    if not emblem.is_relative_to(folder):
        raise fail(beside)
    if emblem.suffix.lower() not in EMBLEM_SUFFIXES:
        raise fail("an image file (" + ", ".join(EMBLEM_SUFFIXES) + ")")
    if not emblem.is_file():
        raise fail("the name of an existing image file beside the source")
    return str(emblem)


def named_emblem(raw: bytes, path: Path) -> Path | None:
    """The emblem a source's front matter names, for the cache key (None: none, or unreadable)."""
    if b"emblem" not in raw and b"\\" not in raw:  # no key can spell it: skip the YAML parse
        return None
    try:
        _, settings, _ = parse_front_matter(raw.decode("utf-8").lstrip("\ufeff"), path)
    except (UnicodeDecodeError, UnpressError):
        return None
    emblem = settings.get("emblem")
    return Path(emblem) if isinstance(emblem, str) else None


def validated(resolution: Resolution, path: str | Path) -> Resolution:
    """The document a reader built, once it holds the model's invariants (`model.validate`)."""
    try:
        validate(resolution)
    except InvalidDocumentError as breach:
        raise UnpressError(path, str(breach)) from None
    return resolution
