"""Measure `unpress import` on the UN's official PDFs.

    python bench/import.py [--layout N]    # corpus: ../shared/corpus (or /work/shared/corpus)

For every official PDF of shared/corpus/pdf and shared/corpus/dev2/pdf: import it,
read the source back (as `build` would), and compare with the AKN4UN file of the
same resolution: the text (difflib ratio over the words of every paragraph and
note), the number of footnotes and of operative paragraphs.  For the first N
documents of shared/corpus/pdf (default: all 22) the imported source is also built
to PDF and its fidelity against the official PDF set beside that of the AKN build.
Writes docs/import.md.
"""

from __future__ import annotations

import difflib
import statistics
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from unpress.importers import import_document  # noqa: E402
from unpress.model import Operative, Resolution, Subparagraph, plain_text  # noqa: E402
from unpress.readers.akn import read_akn  # noqa: E402
from unpress.readers.markdown import parse_source  # noqa: E402

REPORT = ROOT / "docs" / "import.md"
TARGETS = "similarity ≥ 0.995 median and ≥ 0.98 minimum; footnotes and operative paragraphs exact in ≥ 98%"


def corpus() -> Path:
    for candidate in (ROOT.parent / "shared" / "corpus", Path("/work/shared/corpus")):
        if candidate.is_dir():
            return candidate
    raise SystemExit("no corpus: shared/corpus")


def words(resolution: Resolution) -> list[str]:
    """Every word of the text and its notes, footnote calls left out."""
    parts: list[str] = []

    def block_text(block) -> None:
        if hasattr(block, "content"):
            parts.append(plain_text(block.content, note_numbers=False))
        if isinstance(block, Operative | Subparagraph):
            if isinstance(block, Subparagraph):
                parts.append(f"({block.label})")
            for child in block.children:
                block_text(child)
        if hasattr(block, "rows"):
            parts.extend(plain_text(cell.content, note_numbers=False) for row in block.rows for cell in row)

    for block in resolution.blocks:
        block_text(block)
    for annex in resolution.annexes:
        parts.extend(plain_text(line, note_numbers=False) for line in annex.title)
        for block in annex.blocks:
            block_text(block)
    parts.extend(plain_text(note.content, note_numbers=False) for note in resolution.footnotes)
    text = " ".join(parts).replace("\u00a0", " ").replace("\u2011", "-")
    return text.split()


def operatives(resolution: Resolution) -> int:
    return sum(isinstance(block, Operative) for block in resolution.blocks)


def bench_one(job: tuple[Path, Path, bool]) -> dict:
    pdf, akn, layout = job
    row: dict = {"stem": pdf.stem}
    try:
        source, problems = import_document(pdf)
        imported = parse_source(source, pdf.stem + ".md")
    except Exception as exc:  # noqa: BLE001 (a failure is a row of the report)
        row["error"] = str(exc)[:120]
        return row
    official = read_akn(akn)
    row["problems"] = len(problems)
    row["similarity"] = difflib.SequenceMatcher(None, words(imported), words(official),
                                                autojunk=False).ratio()
    row["notes"] = (len(imported.footnotes), len(official.footnotes))
    row["operatives"] = (operatives(imported), operatives(official))
    if layout:
        from unpress.fidelity import measure
        from unpress.writers.pdf import pdf_bytes

        with tempfile.TemporaryDirectory() as tmp:
            for name, model in (("import", imported), ("akn", official)):
                built = Path(tmp) / f"{name}.pdf"
                try:
                    built.write_bytes(pdf_bytes(model))
                except Exception as exc:  # noqa: BLE001 (a failed build is a row of the report)
                    row["error"] = f"{name} build: {str(exc)[:100]}"
                    return row
                result = measure(built, pdf)
                row[f"{name}_breaks"] = result.break_share
                row[f"{name}_notes"] = result.note_share
                row[f"{name}_pages"] = result.pages == result.reference_pages
    return row


def main() -> None:
    argv = sys.argv[1:]
    layout_count = int(argv[argv.index("--layout") + 1]) if "--layout" in argv else 22
    root = corpus()
    jobs = []
    for folder in (root, root / "dev2"):
        for index, pdf in enumerate(sorted((folder / "pdf").glob("*.pdf"))):
            akn = folder / "akn" / f"{pdf.stem}.xml"
            if akn.is_file():
                jobs.append((pdf, akn, folder == root and index < layout_count))
    with ProcessPoolExecutor(max_workers=2) as pool:
        rows = list(pool.map(bench_one, jobs))
    measured = [row for row in rows if "similarity" in row and "error" not in row]
    similarity = [row["similarity"] for row in measured]
    notes_exact = sum(row["notes"][0] == row["notes"][1] for row in measured)
    ops_exact = sum(row["operatives"][0] == row["operatives"][1] for row in measured)
    laid = [row for row in measured if "import_breaks" in row]
    lines = [
        "# `unpress import` on the official PDFs",
        "",
        f"Command: `python bench/import.py{' --layout ' + str(layout_count) if layout_count != 22 else ''}`"
        f" over {len(jobs)} official PDFs (shared/corpus/pdf and shared/corpus/dev2/pdf), each "
        "compared with the AKN4UN file of the same resolution. Targets: " + TARGETS + ".",
        "",
        "| measure | reached |",
        "| --- | --- |",
        f"| imports read back | {len(measured)}/{len(jobs)} |",
        f"| text similarity (median; minimum) | {statistics.median(similarity):.4f}; {min(similarity):.4f} |"
        if similarity else "| text similarity | none |",
        f"| footnote count exact | {notes_exact}/{len(measured)} "
        f"({notes_exact / max(len(measured), 1):.1%}) |",
        f"| operative paragraph count exact | {ops_exact}/{len(measured)} "
        f"({ops_exact / max(len(measured), 1):.1%}) |",
    ]
    if laid:
        def median(key: str) -> float:
            return statistics.median(row[key] for row in laid)
        lines += [
            f"| line breaks at the official word, median ({len(laid)} built): import vs AKN | "
            f"{median('import_breaks'):.1%} vs {median('akn_breaks'):.1%} |",
            f"| footnotes on the official page, median: import vs AKN | "
            f"{median('import_notes'):.1%} vs {median('akn_notes'):.1%} |",
            f"| official page count: import vs AKN | {sum(r['import_pages'] for r in laid)} vs "
            f"{sum(r['akn_pages'] for r in laid)} of {len(laid)} |",
        ]
    lines += ["", "Documents below 0.98, or with a count that differs:", ""]
    for row in rows:
        if "error" in row:
            lines.append(f"- {row['stem']}: import failed: {row['error']}")
        elif row["similarity"] < 0.98 or row["notes"][0] != row["notes"][1] \
                or row["operatives"][0] != row["operatives"][1]:
            lines.append(f"- {row['stem']}: similarity {row['similarity']:.4f}, notes {row['notes'][0]}"
                         f"/{row['notes'][1]}, operative paragraphs {row['operatives'][0]}/"
                         f"{row['operatives'][1]}, {row['problems']} reported not placed")
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
