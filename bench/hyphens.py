"""Learn the words the UN joins with a non-breaking hyphen (U+2011) from its own AKN4UN files.

    python bench/hyphens.py [AKN_ROOT]   # default ../shared/akn, English

writes unpress/data/hyphens.json: each hyphenated word that the English files of the
seventy-eighth session on write with U+2011 more often than with "-" ("non-governmental",
"COVID-19", "pre-industrial"), with both counts.  The official PDFs print U+2011 as a plain
"-", so `unpress import` cannot see it: it takes it from this list, so that the imported
source breaks its lines where the UN's does (never after "non-").  Before the seventy-eighth
session the files hardly use it (2% of hyphenated words in sessions 76 and 77, 12% from 78).
The resolutions bench/import.py measures (shared/corpus, shared/corpus/dev2) are left out, so
that it measures the list on files it was not learned from.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openers import corpus_root  # noqa: E402 (bench/, beside this script)

from unpress.importers.compose import HYPHENATED  # noqa: E402
from unpress.model import Text, walk  # noqa: E402
from unpress.paths import DATA as DATA_FOLDER  # noqa: E402
from unpress.readers.akn import read_akn  # noqa: E402

DATA = DATA_FOLDER / "hyphens.json"
SINCE = 78  # the first session whose files use U+2011 as a rule (see the docstring)
MIN_COUNT = 2  # a word met once is one editor's choice, not the UN's usage


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", nargs="?", type=Path)
    root = corpus_root(parser.parse_args().root)
    measured = {path.stem for path in root.parent.glob("corpus/**/*.xml")}
    files = sorted(path for path in root.glob("*/en/*.xml") if path.parts[-3].isdigit()
                   and int(path.parts[-3]) >= SINCE and path.stem not in measured)
    joined: Counter[str] = Counter()
    plain: Counter[str] = Counter()
    for path in files:
        try:
            resolution = read_akn(path)
        except Exception:  # noqa: BLE001 (a file the reader refuses teaches nothing)
            continue
        for node in walk(resolution, inlines=True):
            if isinstance(node, Text):
                for word in HYPHENATED.findall(node.text):
                    (joined if "\u2011" in word else plain)[word.replace("\u2011", "-")] += 1
    words = {word: [n, plain[word]] for word, n in sorted(joined.items())
             if n >= MIN_COUNT and n > plain[word]}
    source = (f"{len(files)} English AKN4UN files of sessions {SINCE} on under shared/akn, those "
              "bench/import.py measures left out (python bench/hyphens.py); each word: "
              "[uses with U+2011, uses with '-']")
    rows = ",\n".join(f"{json.dumps(word, ensure_ascii=False)}: {json.dumps(counts)}"
                      for word, counts in words.items())
    DATA.write_text(f'{{\n"source": {json.dumps(source)},\n"since": {SINCE},\n"words": {{\n{rows}\n}}\n}}\n',
                    encoding="utf-8")
    print(f"{DATA.relative_to(ROOT)}: {len(words)} words joined with U+2011 "
          f"({sum(n for n, _ in words.values())} uses) from {len(files)} files")


if __name__ == "__main__":
    main()
