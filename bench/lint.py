"""Measure `unpress lint` on the UN's own English resolutions.

    python bench/lint.py [AKN_ROOT] [--sample N]   # default ../shared/akn (or /work/shared/akn)
    python bench/lint.py --lang fr                  # (a) only, on shared/akn/*/fr; prints, writes nothing

(a) false alarms: every shared/akn/*/en/*.xml file through the Markdown writer (`--format md`),
    linted; the findings per rule and per document.  (b) recall: 500 typical drafting mistakes
    injected one at a time into those sources (a comma changed to a semicolon, an opener
    un-italicised or misspelt, a paragraph number skipped, a call moved before its comma); a
    mutation is caught when the linter reports a finding the unmutated source did not have.
Writes docs/lint.md, keeping its hand-written "## Remaining findings" section.
No WeasyPrint: the sweep reads and writes text only.
"""

from __future__ import annotations

import random
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from unpress.lint import Finding, lint_text  # noqa: E402
from unpress.readers.akn import read_akn  # noqa: E402
from unpress.writers.markdown import write_markdown  # noqa: E402

REPORT = ROOT / "docs" / "lint.md"
REVIEW_HEADING = "## Remaining findings"
MUTATIONS = 500
SEED = 15

PREAMBLE_END = re.compile(r"^(\*[A-Z][^*\n]+\*.*),$", re.M)
OPERATIVE_END = re.compile(r"^(\d+\. \*[^*\n]+\*.*);$", re.M)
OPENER = re.compile(r"^((?:\d+\. )?)\*([A-Z][a-z]+)([^*\n]*)\*", re.M)
NUMBER = re.compile(r"^(\d+)\. \*", re.M)
CALL_AFTER_COMMA = re.compile(r",(\[\^\d+\])")


def corpus_root(argv: list[str]) -> Path:
    for candidate in ([Path(argv[0])] if argv else []) + [ROOT.parent / "shared" / "akn",
                                                           Path("/work/shared/akn")]:
        if candidate.is_dir():
            return candidate
    raise SystemExit("no AKN corpus: give its folder (shared/akn)")


def sources(root: Path, sample: int | None, language: str = "en") -> dict[str, str]:
    """The Markdown source of each AKN4UN file in that language that the reader accepts."""
    files = sorted(root.glob(f"*/{language}/*.xml"))
    if sample:
        files = random.Random(SEED).sample(files, sample)
    out: dict[str, str] = {}
    for path in files:
        try:
            out[path.stem] = write_markdown(read_akn(path))
        except Exception:  # noqa: BLE001 (the reader's refusals are measured by bench/fidelity.py)
            continue
    return out


def swap_end(pattern: re.Pattern[str], new: str) -> Callable[[str, random.Random], str | None]:
    def mutate(text: str, rng: random.Random) -> str | None:
        matches = list(pattern.finditer(text))
        if not matches:
            return None
        m = rng.choice(matches)
        return text[:m.start()] + m.group(1) + new + text[m.end():]
    return mutate


def unitalicise(text: str, rng: random.Random) -> str | None:
    matches = list(OPENER.finditer(text))
    if not matches:
        return None
    m = rng.choice(matches)
    return text[:m.start()] + m.group(1) + m.group(2) + m.group(3) + text[m.end():]


def misspell(text: str, rng: random.Random) -> str | None:
    """Drop, double or swap a letter of an opening word ("Recaling", "Urgess")."""
    matches = [m for m in OPENER.finditer(text) if len(m.group(2)) > 4]
    if not matches:
        return None
    m = rng.choice(matches)
    word = m.group(2)
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("drop", "double", "swap"))
    typo = (word[:i] + word[i + 1:] if kind == "drop" else word[:i] + word[i] + word[i:]
            if kind == "double" else word[:i] + word[i + 1] + word[i] + word[i + 2:])
    if typo == word:
        return None
    return text[:m.start(2)] + typo + text[m.end(2):]


def skip_number(text: str, rng: random.Random) -> str | None:
    matches = list(NUMBER.finditer(text))
    if len(matches) < 2:
        return None
    m = rng.choice(matches[1:])
    return text[:m.start(1)] + str(int(m.group(1)) + 1) + text[m.end(1):]


def call_before_comma(text: str, rng: random.Random) -> str | None:
    matches = list(CALL_AFTER_COMMA.finditer(text))
    if not matches:
        return None
    m = rng.choice(matches)
    return text[:m.start()] + m.group(1) + "," + text[m.end():]


MUTATORS = {
    "preambular comma -> semicolon": swap_end(PREAMBLE_END, ";"),
    "operative semicolon -> comma": swap_end(OPERATIVE_END, ","),
    "opener un-italicised": unitalicise,
    "opener misspelt": misspell,
    "paragraph number skipped": skip_number,
    "call moved before its comma": call_before_comma,
}


def keys(findings: list[Finding]) -> Counter[tuple[str, str]]:
    return Counter((f.code, f.message) for f in findings)


def main() -> None:
    argv = sys.argv[1:]
    options = {"--sample": None, "--lang": "en"}
    for option in options:
        if option in argv:
            at = argv.index(option)
            options[option] = argv[at + 1]
            del argv[at:at + 2]
    sample = int(options["--sample"]) if options["--sample"] else None
    language = str(options["--lang"])
    texts = sources(corpus_root(argv), sample, language)
    baseline = {name: lint_text(text, name) for name, text in texts.items()}
    per_rule = Counter(f.code for findings in baseline.values() for f in findings)
    total = sum(per_rule.values())
    if language != "en":  # the mutations below are written for English text
        rate = total / max(len(texts), 1) * 20
        with_any = sum(1 for findings in baseline.values() if findings)
        rules = ", ".join(f"{code} {n}" for code, n in sorted(per_rule.items()))
        print(f"{language}: {total} findings in {len(texts)} documents: {rate:.2f} per 20; "
              f"{with_any} documents with any; {rules}")
        return

    rng = random.Random(SEED)
    caught: Counter[str] = Counter()
    tried: Counter[str] = Counter()
    missed: list[str] = []
    names = sorted(texts)
    kinds = list(MUTATORS)
    while sum(tried.values()) < MUTATIONS:
        kind = kinds[sum(tried.values()) % len(kinds)]
        name = rng.choice(names)
        mutated = MUTATORS[kind](texts[name], rng)
        if mutated is None or mutated == texts[name]:
            continue
        tried[kind] += 1
        if keys(lint_text(mutated, name)) - keys(baseline[name]):
            caught[kind] += 1
        elif len(missed) < 10:
            missed.append(f"{name}: {kind}")

    lines = [
        "# `unpress lint` on the UN's own resolutions",
        "",
        f"Command: `python bench/lint.py{' --sample ' + str(sample) if sample else ''}` over "
        f"{len(texts)} English AKN4UN files (shared/akn/*/en, through the Markdown writer).",
        "",
        "## (a) Findings on the official texts",
        "",
        f"{total} findings in {len(texts)} documents: {total / max(len(texts), 1) * 20:.2f} per 20 "
        f"documents; {sum(1 for f in baseline.values() if f)} documents with any.",
        "",
        "| rule | findings |",
        "| --- | --- |",
        *[f"| {code} | {n} |" for code, n in sorted(per_rule.items())],
        "",
        "## (b) Recall on injected mistakes",
        "",
        f"{sum(caught.values())}/{sum(tried.values())} caught "
        f"({sum(caught.values()) / sum(tried.values()):.1%}), seed {SEED}.",
        "",
        "| mistake | caught |",
        "| --- | --- |",
        *[f"| {kind} | {caught[kind]}/{tried[kind]} |" for kind in kinds],
        "",
        *(["Missed (first 10): " + "; ".join(missed), ""] if missed else []),
    ]
    # the hand-written review of the remaining findings is kept across runs
    previous = REPORT.read_text(encoding="utf-8") if REPORT.exists() else ""
    review = previous[previous.index(REVIEW_HEADING):] if REVIEW_HEADING in previous else ""
    REPORT.write_text("\n".join(lines) + ("\n" + review if review else ""), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
