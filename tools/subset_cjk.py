"""Rebuild the bundled Chinese face: Noto Serif CJK SC cut to what resolutions need.

The full face is 65,535 glyphs (~25 MB a weight); the press needs the 6,763
hanzi and the symbols of GB 2312 plus every character of the UN's Chinese
files, about 7,500 glyphs (~3 MB a weight).  Characters below U+2000 (Latin,
Greek, Cyrillic) are left out: the stylesheet sets them in Liberation Serif,
as the UN's Chinese files set Latin text in a Times face.

    apt-get install fonts-noto-cjk          # the source: Debian's OFL build of Noto CJK
    python tools/subset_cjk.py [--corpus ../shared/akn] [--source DIR]

It runs fontTools' subsetter (pyftsubset) on face 2 (SC) of each collection
and writes styles/fonts/NotoSerifCJKsc-{Regular,Bold}.subset.otf and, beside
them, the list of the characters they hold (so a rebuild without the corpus
keeps them).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "styles" / "fonts"
CHARACTERS = FONTS / "NotoSerifCJKsc-characters.txt"
SC_FACE = 2  # JP, KR, SC, TC, HK in the collection
FIRST_KEPT = 0x2000  # below: Latin, Greek, Cyrillic, set in Liberation Serif
# ... but the spaces, which Pango shapes with the face of the Chinese text around them
SPACES = {" ", "\u00a0"}


def gb2312() -> set[str]:
    """Every character of GB 2312 (rows 0xA1-0xF7, cells 0xA1-0xFE)."""
    found = set()
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                found.add(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return found


def corpus_characters(corpus: Path) -> set[str]:
    """The characters of every Chinese AKN file under `corpus` (``*/zh/*.xml``, ``akn-zh``)."""
    found: set[str] = set()
    for path in [*corpus.glob("*/zh/*.xml"), *corpus.parent.glob("corpus/akn-zh/*.xml")]:
        found.update(path.read_text(encoding="utf-8"))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "akn")
    parser.add_argument("--source", type=Path, default=Path("/usr/share/fonts/opentype/noto"))
    args = parser.parse_args()
    keep = gb2312() | corpus_characters(args.corpus)
    if CHARACTERS.exists():
        keep |= set(CHARACTERS.read_text(encoding="utf-8"))
    keep = {char for char in keep if ord(char) >= FIRST_KEPT and char.isprintable()} | SPACES
    CHARACTERS.write_text("".join(sorted(keep)) + "\n", encoding="utf-8")
    for weight in ("Regular", "Bold"):
        face = TTCollection(args.source / f"NotoSerifCJK-{weight}.ttc").fonts[SC_FACE]
        target = FONTS / f"NotoSerifCJKsc-{weight}.subset.otf"
        with tempfile.TemporaryDirectory() as scratch:
            whole = Path(scratch) / "sc.otf"
            face.save(whole)
            subset.main([str(whole), f"--text-file={CHARACTERS}", f"--output-file={target}",
                         "--layout-features=*", "--name-IDs=*", "--notdef-outline"])
        print(f"{target.relative_to(ROOT)}: {target.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
