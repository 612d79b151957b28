"""Speed of the PDF text layer: `unpress.pdftext.read_pages` on our PDF and the UN's.

    .venv/bin/python bench/pdftext.py

Not a test (the figures depend on the machine).  Times `read_pages` in a warm
process (one untimed call first), median of 7, on our build of A/RES/58/208
(made through `build.py build` into a temporary directory) and on the two largest
official PDFs in tests/fixtures/official.  The time is the process's CPU time
(`time.process_time`): on a machine shared with other work, wall-clock time
measures the neighbours.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from unpress.pdftext import read_pages  # noqa: E402

OFFICIAL = ROOT / "tests" / "fixtures" / "official"
RUNS = 7


def seconds(path: Path) -> tuple[int, float]:
    """Pages, and the median seconds of `read_pages(path)`."""
    pages = len(read_pages(path))
    times = []
    for _ in range(RUNS):
        start = time.process_time()
        read_pages(path)
        times.append(time.process_time() - start)
    return pages, statistics.median(times)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        built = Path(tmp) / "A_RES_58_208.pdf"
        subprocess.run([sys.executable, "build.py", "build", "source/A_RES_58_208.md", "-o", str(built)],
                       cwd=ROOT, check=True, capture_output=True)
        targets = [("our A/RES/58/208", built),
                   *((f"official {path.stem}", path) for path in (OFFICIAL / "A_RES_78_128.pdf",
                                                                  OFFICIAL / "A_RES_78_4.pdf"))]
        print(f"read_pages, CPU time, median of {RUNS} in a warm process:")
        for name, path in targets:
            pages, median = seconds(path)
            print(f"  {name}: {pages} pages, {median * 1000:.0f} ms ({median * 1000 / pages:.1f} ms a page)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
