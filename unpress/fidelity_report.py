"""`unpress compare --report DIR`: the official page and ours side by side, differences marked.

What a user looks at to trust a copy: per page one PNG, the official page on
the left and ours on the right (rendered by pdfium), with a red box round
each official line that does not start one of ours within 2 pt (left) and
round each of our lines that starts no official one (right); and index.html,
the figures of `compare` and every page.
"""

from __future__ import annotations

import html
from pathlib import Path

SCALE = 1.0          # 72 dpi: a page is 612 x 792 pixels, one pixel a point
MARK = (220, 0, 0)
BOX = (4.0, 10.0)    # the box round a line's start: 4 pt to its left, 10 pt above its baseline
GAP = 16             # pixels between the two pages


def render(path: Path) -> list:
    """Every page of a PDF as a PIL image at `SCALE`."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return [page.render(scale=SCALE).to_pil().convert("RGB") for page in document]
    finally:
        document.close()


def mark(image, starts: list[tuple[float, float]]) -> None:
    """A red box round the start of each listed line (x, baseline y in points)."""
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)
    for x, y in starts:
        left, top = (x - BOX[0]) * SCALE, (y - BOX[1]) * SCALE
        draw.rectangle([left, top, left + 60 * SCALE, (y + 3) * SCALE], outline=MARK, width=2)


def side_by_side(official, ours):
    """One image: the official page left, ours right (a blank page where one side has none)."""
    from PIL import Image

    width = max(im.width for im in (official, ours) if im is not None)
    height = max(im.height for im in (official, ours) if im is not None)
    sheet = Image.new("RGB", (2 * width + GAP, height), (128, 128, 128))
    for im, left in ((official, 0), (ours, width + GAP)):
        sheet.paste(im if im is not None else Image.new("RGB", (width, height), "white"), (left, 0))
    return sheet


def write_report(built: Path, reference: Path, summary: str, missed: dict[int, list[tuple[float, float]]],
                 strays: dict[int, list[tuple[float, float]]], directory: Path) -> Path:
    """Write page-N.png for every page and index.html; return the index's path.

    `missed`: per page, where the official lines that are not in place start; `strays`:
    where ours that start no official line do (`unpress.fidelity.Fidelity`)."""
    directory.mkdir(parents=True, exist_ok=True)
    theirs, ours = render(reference), render(built)
    rows = []
    for number in range(1, max(len(theirs), len(ours)) + 1):
        official = theirs[number - 1] if number <= len(theirs) else None
        mine = ours[number - 1] if number <= len(ours) else None
        if official is not None:
            mark(official, missed.get(number, []))
        if mine is not None:
            mark(mine, strays.get(number, []))
        name = f"page-{number}.png"
        side_by_side(official, mine).save(directory / name)
        count = len(missed.get(number, []))
        rows.append(f'<h2>Page {number}: {count} official line(s) not in place</h2>'
                    f'<p><img src="{name}" alt="page {number}, official left, ours right"></p>')
    index = directory / "index.html"
    index.write_text(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(built.name)} against {html.escape(reference.name)}</title>"
        "<style>body{font-family:sans-serif;margin:1em}img{max-width:100%;border:1px solid #888}"
        "pre{background:#f4f4f4;padding:.5em}</style></head><body>"
        f"<h1>{html.escape(built.name)} (right) against {html.escape(reference.name)} (left)</h1>"
        "<p>Red boxes: official lines that do not start one of ours within 2 pt (left), "
        "our lines that start no official one (right).</p>"
        f"<pre>{html.escape(summary)}</pre>" + "\n".join(rows) + "</body></html>\n",
        encoding="utf-8",
    )
    return index
