"""Build time by language: A/RES/79/221 in English, Chinese and Arabic (the dev corpus twins).

    .venv/bin/python bench/languages.py [--runs 3]

Each build is a subprocess (`build.py build SOURCE -o OUT --force`, preflight included);
prints the median wall-clock seconds per language and each against English.  The
Chinese face is a 4.8 MB subset: with HarfBuzz's subsetter (libharfbuzz-subset0,
`make system`) WeasyPrint embeds it in well under a second; without it, fontTools
takes 40-60 s.  Not a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
TWINS = {"en": SHARED / "akn" / "A_RES_79_221.xml", "zh": SHARED / "akn-zh" / "A_RES_79_221.xml",
         "ar": SHARED / "akn-ar" / "A_RES_79_221.xml"}


def build_seconds(source: Path, out: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "build.py", "build", str(source), "-o", str(out), "--force"],
                   cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    medians = {}
    with tempfile.TemporaryDirectory() as scratch:
        for language, source in TWINS.items():
            times = [build_seconds(source, Path(scratch) / f"{language}.pdf") for _ in range(args.runs)]
            medians[language] = statistics.median(times)
    for language, seconds in medians.items():
        print(f"{language}: {seconds:.2f} s (median of {args.runs}), {seconds / medians['en']:.2f}x English")


if __name__ == "__main__":
    main()
