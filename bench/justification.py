"""How far justified lines end from the column's right edge (x = 488.4): Chinese against French.

    .venv/bin/python bench/justification.py PDF...

For each PDF: the body lines (10 pt, between header and footer) that are followed by
another line of the same paragraph (12 pt below), the right edge of their last
character's advance (pypdfium2), and how many end within 1 pt of the edge.  WeasyPrint
stretches only spaces, so unpatched Chinese lines ended 4-20 pt short; unpress.weasy
justifies them between characters.
"""

from __future__ import annotations

import ctypes
import sys
from collections import Counter, defaultdict

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

RIGHT_EDGE = 488.4  # the text column is x = 123.4 .. 488.4 (styles/base.css)


def line_ends(path: str) -> list[tuple[float, str]]:
    """(distance short of the right edge, last character) of every non-final body line."""
    ends: list[tuple[float, str]] = []
    pdf = pdfium.PdfDocument(path)
    x, y = ctypes.c_double(), ctypes.c_double()
    for page in pdf:
        text, height = page.get_textpage(), page.get_height()
        lines: dict[int, list[tuple[float, str]]] = defaultdict(list)
        for index in range(text.count_chars()):
            left, _, right, _ = text.get_charbox(index, loose=True)
            pdfium_c.FPDFText_GetCharOrigin(text.raw, index, x, y)
            baseline = round(height - y.value)
            if right > left and 86 < baseline < 700 and pdfium_c.FPDFText_GetFontSize(text.raw, index) >= 9.5:
                lines[baseline].append((right, text.get_text_range(index, 1)))
        rows = sorted(lines.items())
        for (baseline, chars), (following, _) in zip(rows, rows[1:], strict=False):
            if 10 <= following - baseline <= 13:  # the next line of the same paragraph
                right, char = max(chars)
                ends.append((RIGHT_EDGE - right, char))
    return ends


def main() -> None:
    for path in sys.argv[1:]:
        ends = line_ends(path)
        within = sum(abs(short) <= 1 for short, _ in ends)
        shorts = sorted(short for short, _ in ends)
        print(f"{path}: {within}/{len(ends)} non-final lines end within 1 pt of the edge; "
              f"median {shorts[len(shorts) // 2]:.2f} pt short")
        others = Counter(char for short, char in ends if abs(short) > 1)
        print("  the others end with:", others.most_common(8))


if __name__ == "__main__":
    main()
