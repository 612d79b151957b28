"""Learn the opening phrases of resolutions from the UN's own AKN4UN files.

    python bench/openers.py [AKN_ROOT] [--lang fr]   # default ../shared/akn, English

writes unpress/data/openers.json (openers-<code>.json for another language, from
shared/akn/*/<code>/): for the preamble and for operative paragraphs, each opening
phrase (the leading italic run, bold in Chinese, without "also"/"further") with the
number of paragraphs it opens.  `unpress lint` ships this file, so it runs without
the corpus; a phrase absent from it (a typo such as "Recaling") is flagged.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from unpress.house import language  # noqa: E402
from unpress.lint import base_opener, leading_opener, style_of  # noqa: E402
from unpress.model import Operative, Paragraph  # noqa: E402
from unpress.paths import DATA  # noqa: E402
from unpress.readers.akn import read_akn  # noqa: E402

SLIP_COUNT = 1  # a phrase met more often than this is the UN's usage, whatever it resembles
COMMON_COUNT = 10
SLIP_SIMILARITY = 0.85  # difflib ratio of the one differing word: "Request"/"Requests" 0.93
PREPOSITIONS = {"of", "to", "by", "for", "that", "with"}


def corpus_root(given: Path | None) -> Path:
    for candidate in (given,
                      ROOT.parent / "shared" / "akn", Path("/work/shared/akn")):
        if candidate is not None and candidate.is_dir():
            return candidate
    raise SystemExit("no AKN corpus: give its folder (shared/akn)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", nargs="?", type=Path)
    parser.add_argument("--lang", default="en")
    args = parser.parse_args()
    root, style = corpus_root(args.root), style_of(args.lang)
    output = DATA / ("openers.json" if args.lang == "en" else f"openers-{args.lang}.json")
    counts: dict[str, Counter[str]] = {"preamble": Counter(), "operative": Counter()}
    files = sorted(root.glob(f"*/{args.lang}/*.xml"))
    for path in files:
        try:
            resolution = read_akn(path)
        except Exception:  # noqa: BLE001 (a file the reader refuses teaches nothing)
            continue
        in_preamble = True
        for block in resolution.blocks:
            if isinstance(block, Operative):
                in_preamble = False
            role = "preamble" if in_preamble and isinstance(block, Paragraph) else (
                "operative" if isinstance(block, Operative) else None)
            if role is None:
                continue
            phrase = leading_opener(block.content, style)
            if phrase:
                counts[role][base_opener(phrase, style)] += 1
    other = {"preamble": counts["operative"], "operative": counts["preamble"]}
    kept = {role: {phrase: n for phrase, n in counter.items() if not is_slip(phrase, n, counter, other[role])}
            for role, counter in counts.items()}
    command = "python bench/openers.py" + (f" --lang {args.lang}" if args.lang != "en" else "")
    data = {"source": f"{len(files)} {language(args.lang).name} AKN4UN files under shared/akn ({command})",
            **{role: dict(sorted(phrases.items())) for role, phrases in kept.items()}}
    output.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    dropped = sorted((role, phrase) for role in counts for phrase in counts[role] if phrase not in kept[role])
    print(f"{output.relative_to(ROOT)}: {len(kept['preamble'])} preambular and "
          f"{len(kept['operative'])} operative openers from {len(files)} files; "
          f"left out as slips: {dropped}")


def is_slip(phrase: str, count: int, same_role: Counter[str], other_role: Counter[str]) -> bool:
    """A phrase met once that is a misspelling of a common one ("Request" for "Requests"), a
    common one with its preposition set in italics too ("Taking note of"), or a common phrase of
    the other part ("Alarmed by" opening an operative paragraph): a defect of that document,
    which the linter should flag, not learn."""
    if count > SLIP_COUNT:
        return False
    if other_role[phrase] >= COMMON_COUNT:
        return True
    words = phrase.split()
    for common, n in same_role.items():
        if n < COMMON_COUNT or common == phrase:
            continue
        if words[-1] in PREPOSITIONS and " ".join(words[:-1]) == common:
            return True
        others = common.split()
        if len(others) == len(words):
            differing = [(a, b) for a, b in zip(words, others, strict=True) if a != b]
            if len(differing) == 1 and similar(*differing[0]):
                return True
    return False


def similar(word: str, other: str) -> bool:
    return difflib.SequenceMatcher(None, word, other).ratio() >= SLIP_SIMILARITY


if __name__ == "__main__":
    main()
