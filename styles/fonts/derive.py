"""Derive the body and heading fonts (UnpressBody-*.ttf, UnpressHeading-*.ttf) from the
bundled Liberation Serif.

    python styles/fonts/derive.py     # rewrites styles/fonts/Unpress{Body,Heading}-*.ttf

Word advances every character of the body 0.27 pt beyond the font's metric at
10 pt and squeezes each space by 0.36 pt (styles/edition-current.css, "How
Word 365 fits justified lines").  Given to WeasyPrint 70 as letter-spacing and
word-spacing, the same widths strand words: Pango fits a line without its last
letter-spacing, WeasyPrint measures it with it, and a line that falls between
the two is declared unbreakable and set as its first word alone ("United" /
"Nations" / "Conferences", A/RES/78/128 p. 2).  Carried by the glyphs' own
advance widths, the same widths need no spacing at all, and Pango and
WeasyPrint measure every line alike.

Lines set flush left (the agenda titles, the resolution's title, the
"[on the report of ...]" line) carry Word's advance without the squeeze, which
only a justified line gets: +0.03 em on every character, spaces included
(official agenda lines: 0.29 to 0.35 pt per character at 10 pt; title lines
at 12 pt 0.33): "Unpress Heading".  The Reserved Font Name (OFL.txt)
makes the derived fonts carry names of their own.
"""

from __future__ import annotations

from pathlib import Path

from fontTools.ttLib import TTFont

FONTS = Path(__file__).resolve().parent
# family -> (em added to every advance, em taken from each space)
FAMILIES = {"Unpress Body": (0.027, 0.036),  # Word's 0.27 pt per character, 0.36 less per space
            "Unpress Heading": (0.03, 0.0)}
SPACES = (0x20, 0xA0)
STYLES = ("Regular", "Italic", "Bold", "BoldItalic")


def derive(family: str, style: str) -> None:
    """One style of one family: every advance widened, the spaces narrowed, renamed."""
    advance_em, squeeze_em = FAMILIES[family]
    font = TTFont(FONTS / f"LiberationSerif-{style}.ttf")
    units = font["head"].unitsPerEm
    cmap = font.getBestCmap()
    spaces = {cmap[code] for code in SPACES if code in cmap}
    metrics = font["hmtx"].metrics
    for glyph, (advance, bearing) in metrics.items():
        if advance:
            squeeze = round(squeeze_em * units) if glyph in spaces else 0
            metrics[glyph] = (advance + round(advance_em * units) - squeeze, bearing)
    font["hhea"].advanceWidthMax = max(advance for advance, _ in metrics.values())
    postscript = f"{family.replace(' ', '')}-{style}"
    full = family if style == "Regular" else f"{family} {style.replace('BoldItalic', 'Bold Italic')}"
    for record in font["name"].names:
        names = {1: family, 16: family, 3: f"{postscript};derived from Liberation Serif 2", 4: full,
                 6: postscript}
        if record.nameID in names:
            record.string = names[record.nameID]
    font.save(FONTS / f"{postscript}.ttf")


if __name__ == "__main__":
    for family in FAMILIES:
        for name in STYLES:
            derive(family, name)
