# ruff: noqa: E501  (the Markdown table rows are long)
"""Performance figures for issue 6; prints them and writes docs/performance.md.

    .venv/bin/python bench/performance.py

Not a test (the figures depend on the machine).  Measures, each command as a
subprocess:
(a) one build of A/RES/58/208 (whole process, incl. the preflight) against the
    bare `weasyprint` command on the same HTML, median of 5 each;
(b) --jobs 1 against --jobs 2 on the 22 AKN corpus documents plus 58/208, --force;
(c) a no-op rebuild of those 23;
(d) the peak RSS of a worker process (ru_maxrss of the children of a --jobs 2 build);
(e) a watch-mode rebuild: from appending to a copy of 58/208's source to the new PDF.
Documents that fail the preflight are still timed, and counted.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
SOURCE = ROOT / "source" / "A_RES_58_208.md"
CORPUS = [*sorted((ROOT / "tests" / "fixtures" / "akn").glob("*.xml")), SOURCE]
RUNS = 5
# What our PDF carries: PDF/A-3b, tagged, the Markdown and AKN sources attached.
SAME_PDF_OPTIONS = ("--pdf-variant", "pdf/a-3b", "--pdf-tags", "-a", str(SOURCE))


def run(*args: str | Path) -> tuple[float, subprocess.CompletedProcess]:
    """Wall-clock seconds of one subprocess, and its result."""
    start = time.perf_counter()
    result = subprocess.run([str(a) for a in args], cwd=ROOT, capture_output=True, text=True)
    return time.perf_counter() - start, result


def one_document(tmp: Path) -> dict:
    """(a): our whole build against the bare `weasyprint` command on the same HTML."""
    html = tmp / "58_208.html"
    run(PY, "build.py", "build", SOURCE, "-o", html, "--format", "html")
    run(PY, "build.py", "build", SOURCE, "-o", tmp / "58_208.xml", "--format", "akn")
    ours, bare = [], []
    for _ in range(RUNS):
        for name in ("X.pdf", ".unpress-cache.json"):  # a real build each time, not a no-op
            (tmp / name).unlink(missing_ok=True)
        seconds, result = run(PY, "build.py", "build", SOURCE, "-o", tmp / "X.pdf")
        assert result.returncode == 0, result.stderr
        ours.append(seconds)
        seconds, result = run(Path(PY).parent / "weasyprint", *SAME_PDF_OPTIONS,
                              "-a", tmp / "58_208.xml", html, tmp / "W.pdf")
        assert result.returncode == 0, result.stderr
        bare.append(seconds)
    return {"ours": statistics.median(ours), "bare": statistics.median(bare),
            "ratio": statistics.median(ours) / statistics.median(bare)}


def corpus(tmp: Path) -> dict:
    """(b), (c), (d): forced builds with 1 and 2 jobs, then no-op rebuilds."""
    figures = {}
    for jobs in (1, 2):
        out = tmp / f"jobs{jobs}"
        probe = ("import resource, subprocess, sys, time\n"
                 "t = time.perf_counter()\n"
                 "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
                 "print(time.perf_counter() - t, r.returncode, len(r.stderr.splitlines()),\n"
                 "      resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
        _, result = run(PY, "-c", probe, PY, "build.py", "build", *CORPUS, "-o", f"{out}/",
                        "--jobs", str(jobs), "--force")
        seconds, _status, failed, maxrss_kib = result.stdout.split()
        figures[jobs] = {"seconds": float(seconds), "failed": int(failed), "maxrss_mib": int(maxrss_kib) / 1024}
    out = tmp / "jobs2"
    run(PY, "build.py", "build", *CORPUS, "-o", f"{out}/")  # records what failed builds left out
    noop_again, result = run(PY, "build.py", "build", *CORPUS, "-o", f"{out}/")
    built_ok = [s for s in CORPUS if (out / (s.stem + ".pdf")).is_file()]
    noop_ok, _ = run(PY, "build.py", "build", *built_ok, "-o", f"{out}/")
    return {"jobs1": figures[1]["seconds"], "jobs2": figures[2]["seconds"],
            "speedup": figures[1]["seconds"] / figures[2]["seconds"], "failed": figures[2]["failed"],
            "noop": noop_again, "noop_ok": noop_ok, "ok_count": len(built_ok),
            "maxrss_mib": figures[2]["maxrss_mib"], "last_summary": result.stdout.splitlines()[-1]}


def watch_rebuild(tmp: Path) -> dict:
    """(e): from an edit of a watched source to the new PDF on disk."""
    folder = tmp / "watched"
    folder.mkdir()
    source = folder / SOURCE.name
    shutil.copy(SOURCE, source)
    target = tmp / "watch-out" / (SOURCE.stem + ".pdf")
    process = subprocess.Popen([PY, "build.py", "watch", source, "-o", tmp / "watch-out"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    latencies = []
    try:
        deadline = time.monotonic() + 60
        while not target.is_file() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.5)  # the watcher is running and the catch-up pass is done
        for _ in range(RUNS):
            before = target.stat().st_mtime_ns
            with source.open("a", encoding="utf-8") as handle:
                handle.write("\n")
            written = time.time_ns()
            while target.stat().st_mtime_ns == before and time.monotonic() < deadline + 60:
                time.sleep(0.005)
            latencies.append((target.stat().st_mtime_ns - written) / 1e9)
            time.sleep(0.5)
    finally:
        process.terminate()
        process.wait(timeout=10)
    return {"median": statistics.median(latencies), "all": latencies}


def phases(tmp: Path) -> dict[str, float]:
    """Where the time of one build of 58/208 goes, in this (warm) process: median of RUNS."""
    from unpress.preflight import check_pdf
    from unpress.readers import read
    from unpress.writers.pdf import distribution_pdf, render_document

    spent: dict[str, list[float]] = {"read": [], "layout (incl. footnote check)": [],
                                     "PDF/A writing": [], "preflight": []}
    for _ in range(RUNS + 1):  # the first pass warms fonts and caches up, and is dropped
        clock = time.perf_counter()
        resolution = read(SOURCE)
        marks = [time.perf_counter()]
        document = render_document(resolution)
        marks.append(time.perf_counter())
        (tmp / "P.pdf").write_bytes(distribution_pdf(document, resolution, SOURCE))
        marks.append(time.perf_counter())
        check_pdf(tmp / "P.pdf")
        marks.append(time.perf_counter())
        for name, begin, end in zip(spent, [clock, *marks[:-1]], marks, strict=True):
            spent[name].append(end - begin)
    return {name: statistics.median(values[1:]) for name, values in spent.items()}


def main() -> int:
    """Print the figures and write docs/performance.md."""
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        a = one_document(tmp)
        print(f"(a) build 58/208 {a['ours']:.2f} s, bare weasyprint {a['bare']:.2f} s, ratio {a['ratio']:.2f}")
        e = watch_rebuild(tmp)
        print(f"(e) watch rebuild {e['median']:.2f} s (median of {RUNS})")
        b = corpus(tmp)
        print(f"(b) 23 docs --force: --jobs 1 {b['jobs1']:.1f} s, --jobs 2 {b['jobs2']:.1f} s, "
              f"speed-up {b['speedup']:.2f} ({b['failed']} failed the build)")
        print(f"(c) no-op rebuild of the 23: {b['noop']:.2f} s; of the {b['ok_count']} built: {b['noop_ok']:.2f} s")
        print(f"(d) peak RSS of a worker: {b['maxrss_mib']:.0f} MiB")
        where = phases(tmp)
        print("one build, warm:", ", ".join(f"{name} {seconds:.3f} s" for name, seconds in where.items()))
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    doc = f"""# Performance

Measured by `.venv/bin/python bench/performance.py` on {machine}
({time.strftime('%Y-%m-%d')}).  Every figure is a whole process, started as a subprocess.

| | measure | target | result |
|---|---|---|---|
| (a) | `python build.py build source/A_RES_58_208.md -o X.pdf` vs `weasyprint --pdf-variant pdf/a-3b --pdf-tags -a A_RES_58_208.md -a 58_208.xml X.html W.pdf` (same HTML from `--format html`, same PDF options), median of {RUNS} | ratio ≤ 1.15 | {a['ours']:.2f} s vs {a['bare']:.2f} s: **{a['ratio']:.2f}** |
| (b) | the 22 AKN corpus documents + 58/208, `--force`, `--jobs 1` vs `--jobs 2` | speed-up ≥ 1.7 | {b['jobs1']:.1f} s vs {b['jobs2']:.1f} s: **{b['speedup']:.2f}** ({b['failed']} of 23 failed the preflight, timed all the same) |
| (c) | no-op rebuild of those 23 | ≤ 0.3 s | **{b['noop']:.2f} s** (failed documents are retried: nothing is recorded for them); of the {b['ok_count']} built: **{b['noop_ok']:.2f} s** |
| (d) | peak RSS of a worker (`ru_maxrss` of the children of a `--jobs 2` build) | ≤ 200 MiB | **{b['maxrss_mib']:.0f} MiB** |
| (e) | `python build.py watch` on a copy of 58/208: from appending to the source to the new PDF's mtime, median of {RUNS} | ≤ 0.4 s | **{e['median']:.2f} s** |

Where the time of one build of 58/208 goes, in a warm process (median of {RUNS}):
{", ".join(f"{name} {seconds:.3f} s" for name, seconds in where.items())}.  A fresh
process adds Python's and the libraries' start-up: WeasyPrint's import took ~0.45 s
before `unpress.startup` answered its 22 library look-ups from one `ldconfig -p`,
~0.25 s after.  The preflight reads text through PDFium (pypdfium2, `unpress.pdftext`):
~0.03-0.05 s for 58/208, where pypdf's `extract_text` took ~0.35 s (`bench/pdftext.py`).
"""
    (ROOT / "docs" / "performance.md").write_text(doc, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
