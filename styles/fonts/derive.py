"""Derive the body fonts (UnpressBody-*.ttf) from the bundled Liberation Serif.

    python styles/fonts/derive.py     # rewrites styles/fonts/UnpressBody-*.ttf

Word advances every character of the body 0.27 pt beyond the font's metric at
10 pt and squeezes each space by 0.36 pt (styles/edition-current.css, "How
Word 365 fits justified lines").  Given to WeasyPrint 70 as letter-spacing and
word-spacing, the same widths strand words: Pango fits a line without its last
letter-spacing, WeasyPrint measures it with it, and a line that falls between
the two is declared unbreakable and set as its first word alone ("United" /
"Nations" / "Conferences", A/RES/78/128 p. 2).  Carried by the glyphs' own
advance widths, the same widths need no spacing at all, and Pango and
WeasyPrint measure every line alike.  The Reserved Font Name (OFL.txt) makes
the derived fonts carry a name of their own: "Unpress Body".
"""

from __future__ import annotations

from pathlib import Path

from fontTools.ttLib import TTFont

FONTS = Path(__file__).resolve().parent
FAMILY = "Unpress Body"
ADVANCE = 0.027   # em: Word's 0.27 pt per character at 10 pt
SQUEEZE = 0.036   # em: Word's 0.36 pt less per space at 10 pt
SPACES = (0x20, 0xA0)
STYLES = ("Regular", "Italic", "Bold", "BoldItalic")


def derive(style: str) -> None:
    """One style: every advance widened by ADVANCE, the spaces narrowed by SQUEEZE, renamed."""
    font = TTFont(FONTS / f"LiberationSerif-{style}.ttf")
    units = font["head"].unitsPerEm
    cmap = font.getBestCmap()
    spaces = {cmap[code] for code in SPACES if code in cmap}
    metrics = font["hmtx"].metrics
    for glyph, (advance, bearing) in metrics.items():
        if advance:
            squeeze = round(SQUEEZE * units) if glyph in spaces else 0
            metrics[glyph] = (advance + round(ADVANCE * units) - squeeze, bearing)
    font["hhea"].advanceWidthMax = max(advance for advance, _ in metrics.values())
    postscript = f"{FAMILY.replace(' ', '')}-{style}"
    full = FAMILY if style == "Regular" else f"{FAMILY} {style.replace('BoldItalic', 'Bold Italic')}"
    for record in font["name"].names:
        names = {1: FAMILY, 16: FAMILY, 3: f"{postscript};derived from Liberation Serif 2", 4: full,
                 6: postscript}
        if record.nameID in names:
            record.string = names[record.nameID]
    font.save(FONTS / f"{postscript}.ttf")


if __name__ == "__main__":
    for name in STYLES:
        derive(name)
