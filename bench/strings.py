"""The generated strings against the UN's own: every AKN4UN file of ../shared/akn (all languages).

    .venv/bin/python bench/strings.py [--lang fr] [--show 40]

For each file the AKN reader gives the metadata (session number, dates,
agenda item, committee and report); `unpress.i18n` regenerates from it the
lines a press writes itself -- masthead, date of issue, session, agenda item,
adoption heading, "[on the report of ...]" and the closing date -- and each
is compared with the string the file carries (white space runs of the XML
squeezed; no-break spaces compared as spaces unless --strict).  Prints the exact-match rate per language
and line, and lists every mismatch.  Not a test: it needs the shared corpus.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from unpress import i18n  # noqa: E402
from unpress.errors import UnpressError  # noqa: E402
from unpress.readers.akn import read_akn  # noqa: E402

SHARED = ROOT.parent / "shared"
LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")


PRINTED_ALIKE = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u200e": None, "\u200f": None})


def squeeze(text: str | None) -> str | None:
    return None if text is None else re.sub(r"[ \t\r\n]+", " ", text).strip()


def as_printed(text: str | None) -> str | None:
    """No-break spaces print as spaces and direction marks not at all: the UN's files place them
    as Word left them (three ways in "19 декабря 2024 года"), so `--strict` is told apart."""
    return None if text is None else squeeze(text.translate(PRINTED_ALIKE))


def carried(path: Path) -> dict[str, str | None]:
    """The lines the UN's file carries, by the name `generated` gives them."""
    root = etree.parse(str(path)).getroot()
    for el in root.iter():
        if isinstance(el.tag, str):
            el.tag = etree.QName(el).localname
    cover = root.find(".//coverPage")
    conclusions = root.find(".//conclusions")

    def text(el: etree._Element | None) -> str | None:
        return squeeze("".join(el.itertext())) if el is not None else None

    authorities = {el.get("refersTo"): text(el) for el in cover.iter("docAuthority")}
    agenda = next((el for el in cover.iter("inline") if el.get("name") == "agenda item"), None)
    return {
        "authority": authorities.get("#publisher"),
        "organ": authorities.get("#issuingBody"),
        "distribution": text(cover.find(".//docStatus")),
        "issued": text(cover.find(".//docDate[@refersTo='#dateOfIssuance']")),
        "session": text(cover.find(".//session")),
        "agenda item": text(agenda),
        "adopted": text(cover.find(".//docTitle")),
        "reference": text(cover.find(".//docProponent")),
        "closing date": text(conclusions.find(".//docDate")) if conclusions is not None else None,
    }


def generated(path: Path) -> dict[str, str | None]:
    """The same lines as unpress writes them from the file's metadata."""
    meta = read_akn(path).meta
    words = i18n.phrases(meta.language)
    return {
        "authority": words.authority,
        "organ": words.organ,
        "distribution": words.distribution,
        "issued": i18n.masthead_date(meta.distributed, meta.language) if meta.distributed else None,
        "session": i18n.session_line(meta.session, meta.language) if meta.session else None,
        "agenda item": i18n.agenda_line(meta.agenda_item, meta.language) if meta.agenda_item else None,
        "adopted": " ".join(i18n.adopted_lines(meta, with_date=True)).replace("日 ", "日"),
        "reference": i18n.reference_line(meta),
        "closing date": i18n.long_date(meta.adopted, meta.language) if meta.adopted else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", choices=LANGUAGES, action="append")
    parser.add_argument("--strict", action="store_true", help="no-break spaces must match too")
    parser.add_argument("--show", type=int, default=1000, help="mismatches listed (per language)")
    args = parser.parse_args()
    total_files = total_exact = 0
    for language in args.lang or LANGUAGES:
        paths = sorted(SHARED.glob(f"akn/*/{language}/*.xml"))
        if language != "en":
            paths += sorted(SHARED.glob(f"corpus/akn-{language}/*.xml"))
        lines: Counter[str] = Counter()
        exact: Counter[str] = Counter()
        files_exact = 0
        mismatches = []
        for path in paths:
            try:
                ours = generated(path)
            except UnpressError as error:
                mismatches.append(f"  {path.relative_to(SHARED)}: not read: {error}")
                continue
            theirs = carried(path)
            all_equal = True
            for name, official in theirs.items():
                if official is None or official == "":
                    continue  # a line the file does not carry is not compared
                lines[name] += 1
                same = ours[name] == official if args.strict else \
                    as_printed(ours[name]) == as_printed(official)
                if same:
                    exact[name] += 1
                else:
                    all_equal = False
                    mismatches.append(f"  {path.relative_to(SHARED)} {name}: ours {ours[name]!r} "
                                      f"UN {official!r}")
            files_exact += all_equal
        compared, equal = sum(lines.values()), sum(exact.values())
        total_files += len(paths)
        total_exact += files_exact
        print(f"{language}: {len(paths)} files, {files_exact} with every line exact "
              f"({100 * files_exact / max(len(paths), 1):.1f}%); lines {equal}/{compared} exact "
              f"({100 * equal / max(compared, 1):.2f}%)")
        print("   " + ", ".join(f"{name} {exact[name]}/{lines[name]}" for name in lines))
        for line in mismatches[:args.show]:
            print(line)
    print(f"all: {total_exact}/{total_files} files with every generated line exact "
          f"({100 * total_exact / max(total_files, 1):.1f}%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
