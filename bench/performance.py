# ruff: noqa: E501  (the Markdown table rows are long)
"""Performance figures (issues 6 and 16); prints them and writes docs/performance.md.

    .venv/bin/python bench/performance.py [SECTION...]   # a-g, default all; needs /work/shared and the dask extra

Not a test (the figures depend on the machine and on what else runs on it:
the load average is recorded before and after).  Each command is a
subprocess, timed by wall clock and by the CPU time of its process tree:
(a) one build of A/RES/58/208 against the bare `weasyprint` command on the same
    HTML with the same PDF options, and a Typst compile of the same text (if the
    `typst` package is installed: `pip install -e '.[bench]'`), median of RUNS each;
(b) the 46 first dev documents, --force: --jobs 1 vs --jobs 2, and the Dask
    executor with 1 worker vs 2;
(c) throughput on the 172 dev documents (22 + 150 corpus pairs), --jobs 2;
(d) a no-op rebuild of 1,000 sources (AKN, sessions 76-80; built as --format md,
    the plan and the cache are the same whatever the format);
(e) a watch-mode rebuild of 58/208: from a word of the source edited to the new PDF;
(f) the peak RSS of a process that built one document in each of the six languages;
(g) where one build's time goes (read, layout, footnote repair, PDF writing,
    preflight), in a warm process, over the 23 test documents.
Documents that fail the preflight are still timed, and counted.
"""

from __future__ import annotations

import json
import logging
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
SHARED = Path(os.environ.get("UNPRESS_SHARED", "/work/shared"))
PY = sys.executable
SOURCE = ROOT / "source" / "A_RES_58_208.md"
TESTED = [*sorted((ROOT / "tests" / "fixtures" / "akn").glob("*.xml")), SOURCE]
DEV = sorted((SHARED / "corpus" / "akn").glob("*.xml")) + sorted((SHARED / "corpus" / "dev2" / "akn").glob("*.xml"))
ARCHIVE = sorted((SHARED / "akn").glob("*/en/*.xml"))
LANGUAGE_SAMPLES = [next(iter(sorted((SHARED / "corpus" / f"akn-{lang}").glob("*.xml"))), None)
                    for lang in ("ar", "es", "fr", "ru", "zh")]
RUNS = 5
EDITED_WORD = "Programme"  # (e): the first word after the opener of 58/208
# What our PDF carries: PDF/A-3b, tagged, the Markdown and AKN sources attached.
SAME_PDF_OPTIONS = ("--pdf-variant", "pdf/a-3b", "--pdf-tags", "-a", str(SOURCE))
# a subprocess's wall seconds, last line of output (the build's summary), CPU seconds and peak RSS of its tree
PROBE = ("import json, resource, subprocess, sys, time\n"
         "t = time.perf_counter()\n"
         "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
         "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
         "print(json.dumps([time.perf_counter() - t, (r.stdout.splitlines() or [''])[-1], u.ru_utime + u.ru_stime, u.ru_maxrss]))\n")


def run(*args: str | Path, env: dict[str, str] | None = None) -> tuple[float, subprocess.CompletedProcess]:
    """Wall-clock seconds of one subprocess, and its result."""
    start = time.perf_counter()
    result = subprocess.run([str(a) for a in args], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, **(env or {})})
    return time.perf_counter() - start, result


def probed(*args: str | Path) -> dict:
    """A command run under PROBE: wall and CPU seconds of its whole process tree, failures, peak RSS."""
    _, result = run(PY, "-c", PROBE, *args)
    seconds, summary, cpu, maxrss_kib = json.loads(result.stdout)
    failed = int(summary.split(" failed")[0].rsplit(" ", 1)[-1]) if " failed" in summary else 1
    return {"seconds": seconds, "failed": failed, "cpu": cpu, "maxrss_mib": maxrss_kib / 1024}


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def typst_source(source: Path) -> str:
    """The same text as a Typst document: the title, every paragraph, the footnotes, A4, Liberation Serif."""
    from unpress.model import TEXT_BLOCKS, plain_text, walk
    from unpress.readers import read

    resolution = read(source)

    def quoted(text: str) -> str:
        return '#"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"\n\n'

    parts = ['#set page(paper: "a4", margin: (x: 2.4cm, y: 2.5cm))\n',
             '#set text(font: "Liberation Serif", size: 10pt)\n#set par(justify: true)\n\n',
             "= " + quoted(resolution.meta.title)]
    parts += [quoted(plain_text(node.content)) for node in walk(resolution) if isinstance(node, TEXT_BLOCKS)]
    parts += [quoted(f"{note.number} {plain_text(note.content)}") for note in resolution.footnotes]
    return "".join(parts)


def one_document(tmp: Path) -> dict:
    """(a): our whole build against the bare `weasyprint` command on the same HTML, and Typst."""
    html = tmp / "58_208.html"
    run(PY, "build.py", "build", SOURCE, "-o", html, "--format", "html")
    run(PY, "build.py", "build", SOURCE, "-o", tmp / "58_208.xml", "--format", "akn")
    typst_file = tmp / "58_208.typ"
    typst_file.write_text(typst_source(SOURCE), encoding="utf-8")
    has_typst = run(PY, "-c", "import typst")[1].returncode == 0
    typst_compile = (f"import typst; typst.compile({str(typst_file)!r}, output={str(tmp / 'T.pdf')!r}, "
                     f"font_paths=[{str(ROOT / 'styles' / 'fonts')!r}])")
    ours, bare, typst = [], [], []
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
        if has_typst:
            seconds, result = run(PY, "-c", typst_compile)
            assert result.returncode == 0, result.stderr
            typst.append(seconds)
    figures = {"ours": statistics.median(ours), "bare": statistics.median(bare)}
    figures["ratio"] = figures["ours"] / figures["bare"]
    figures["typst"] = statistics.median(typst) if typst else None
    return figures


def executors(tmp: Path, sources: list[Path]) -> dict:
    """(b): the same forced build with 1 and 2 pool processes, then 1 and 2 Dask workers."""
    figures = {}
    for name, flags in (("jobs1", ("--jobs", "1")), ("jobs2", ("--jobs", "2")),
                        ("dask1", ("--executor", "dask", "--jobs", "1")),
                        ("dask2", ("--executor", "dask", "--jobs", "2"))):
        figures[name] = probed(PY, "build.py", "build", *sources, "-o", f"{tmp / name}/", "--force", *flags)
    figures["pool_speedup"] = figures["jobs1"]["seconds"] / figures["jobs2"]["seconds"]
    figures["dask_speedup"] = figures["dask1"]["seconds"] / figures["dask2"]["seconds"]
    return figures


def throughput(tmp: Path) -> dict:
    """(c): the 172 dev documents with --jobs 2: documents per minute per core, by wall and by CPU time."""
    figures = probed(PY, "build.py", "build", *DEV, "-o", f"{tmp / 'dev'}/", "--jobs", "2", "--force")
    figures["count"] = len(DEV)
    figures["pdf_bytes"] = sum(path.stat().st_size for path in (tmp / "dev").glob("*.pdf"))
    figures["per_core_wall"] = 60 * len(DEV) / (2 * figures["seconds"])
    figures["per_core_cpu"] = 60 * len(DEV) / figures["cpu"]
    return figures


def noop_rebuild(tmp: Path) -> dict:
    """(d): 1,000 sources built once, then rebuilt with nothing changed (median of RUNS).

    Only sources that built are rebuilt: a failed one is retried each time (nothing is recorded
    for it), which starts the process pool, and that is not a no-op.
    """
    out = tmp / "archive"
    run(PY, "build.py", "build", *ARCHIVE[:1050], "-o", f"{out}/", "--format", "md")
    sources = [source for source in ARCHIVE[:1050] if (out / (source.stem + ".md")).is_file()][:1000]
    times = []
    for _ in range(RUNS):
        seconds, result = run(PY, "build.py", "build", *sources, "-o", f"{out}/", "--format", "md")
        times.append(seconds)
    return {"count": len(sources), "seconds": statistics.median(times), "summary": result.stdout.splitlines()[-1]}


def watch_rebuild(tmp: Path) -> dict:
    """(e): from an edit of a watched source (one word of its text changed) to the new PDF on disk."""
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
        text = source.read_text(encoding="utf-8")
        for run in range(RUNS):  # a word of the text edited, and edited back: a line set anew
            before = target.stat().st_mtime_ns
            source.write_text(text.replace(EDITED_WORD, EDITED_WORD + "s", 1) if run % 2 == 0 else text,
                              encoding="utf-8")
            written = time.time_ns()
            while target.stat().st_mtime_ns == before and time.monotonic() < deadline + 60:
                time.sleep(0.005)
            latencies.append((target.stat().st_mtime_ns - written) / 1e9)
            time.sleep(0.5)
    finally:
        process.terminate()
        process.wait(timeout=10)
    return {"median": statistics.median(latencies), "all": latencies}


def languages(tmp: Path) -> dict:
    """(f): one process builds one document in each language; its peak RSS, and what built."""
    folder = tmp / "language-sources"  # the six twins share a stem: renamed, one output directory takes them
    folder.mkdir()
    samples = [SOURCE]
    for sample in (sample for sample in LANGUAGE_SAMPLES if sample is not None):
        samples.append(folder / f"{sample.stem}-{sample.parent.name}{sample.suffix}")
        shutil.copy(sample, samples[-1])
    figures = probed(PY, "build.py", "build", *samples, "-o", f"{tmp / 'languages'}/", "--jobs", "1", "--force")
    figures["count"] = len(samples)
    return figures


def phases(tmp: Path) -> dict:
    """(g): where the time of one build goes, in this warm process, summed over TESTED (the first pass warms up)."""
    from unpress import weasy
    from unpress.pipeline import preflight, source_files
    from unpress.readers import parse
    from unpress.writers import pdf

    layouts: list[float] = []
    layout = weasy.render

    def timed_layout(*args, **kwargs):  # every layout pass of the PDF writer, timed
        start = time.perf_counter()
        try:
            return layout(*args, **kwargs)
        finally:
            layouts.append(time.perf_counter() - start)

    weasy.render = timed_layout
    spent = dict.fromkeys(("read", "layout", "footnote repair", "PDF writing", "preflight"), 0.0)
    passes = 0
    try:
        for warm in (False, True):
            for source in TESTED:
                data = source.read_bytes()
                clock = time.perf_counter()
                resolution = parse(source, data).resolution
                read_done = time.perf_counter()
                layouts.clear()
                output = pdf.pdf_bytes(resolution, None, source_files(resolution, source, data))
                written = time.perf_counter()
                try:
                    preflight(source, output)
                except Exception:  # a PDF that fails the preflight is timed all the same
                    logging.getLogger("bench").debug("%s fails the preflight", source)
                checked = time.perf_counter()
                if warm:
                    spent["read"] += read_done - clock
                    spent["layout"] += layouts[0]
                    spent["footnote repair"] += sum(layouts[1:])
                    spent["PDF writing"] += written - read_done - sum(layouts)
                    spent["preflight"] += checked - written
                    passes += len(layouts) - 1
    finally:
        weasy.render = layout
    figures = {name: seconds / len(TESTED) for name, seconds in spent.items()}
    figures["passes"] = passes
    return figures


SECTIONS = {"a": one_document, "e": watch_rebuild, "d": noop_rebuild, "g": phases, "f": languages,
            "b": lambda tmp: executors(tmp, DEV[:46]), "c": throughput}
RESULTS = ROOT / "build" / "performance.json"  # the figures of the last run of each section


def main(argv: list[str]) -> int:
    """Measure the sections named (default: all), print them, and write docs/performance.md.

    `bench/performance.py b c` re-measures (b) and (c) and keeps the other sections' last figures
    (each with the load it met), so that a section spoilt by the machine's load can be redone;
    `bench/performance.py report` only writes the document from the last figures.
    """
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if argv and RESULTS.is_file() else {}
    loads = results.setdefault("loads", {})
    with tempfile.TemporaryDirectory() as name:
        for key in [] if argv == ["report"] else argv or list(SECTIONS):
            before = load()
            results[key] = SECTIONS[key](Path(name))
            loads[key] = f"{before} → {load()} at {time.strftime('%H:%M UTC', time.gmtime())}"
            print(f"({key})", json.dumps(results[key]), f"(load {loads[key]})", flush=True)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1), encoding="utf-8")
    if not set(SECTIONS) <= results.keys():
        print("not all sections measured yet: docs/performance.md left as it is")
        return 0
    a, b, c, d, e, f, g = (results[key] for key in "abcdefg")
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    typst_cell = (f"Typst (`typst` {typst_version()}, PyPI, `pip install -e '.[bench]'`) compiling the same text (title, paragraphs, notes; A4, Liberation Serif): **{a['typst']:.2f} s**, its process start included: "
                  "a compiled layout engine setting the text alone, without the masthead, running headers, notes kept on their call's page, PDF/A, tags or a preflight"
                  if a["typst"] is not None else "Typst: not installed (`pip install -e '.[bench]'`)")
    doc = f"""# Performance

Measured by `.venv/bin/python bench/performance.py` on {machine}
({time.strftime('%Y-%m-%d', time.gmtime())}), Dask distributed {dask_version()}.  Every figure is a
whole process, started as a subprocess.  The machine was shared with other builds: the load
averages (1, 5, 15 min) each section met, before → after, were
{"; ".join(f"({key}) {value}" for key, value in sorted(loads.items()))}.
On 2 cores, a load above 2 stretches wall times and spoils the ratios of (a) and (b): the CPU
times beside them (the whole process tree's) are what the load does not change.

| | measure | target | result |
|---|---|---|---|
| (a) | `python build.py build source/A_RES_58_208.md -o X.pdf` vs `weasyprint --pdf-variant pdf/a-3b --pdf-tags -a A_RES_58_208.md -a 58_208.xml X.html W.pdf` (same HTML from `--format html`, same PDF options), median of {RUNS} | ratio ≤ 1.05 | {a['ours']:.2f} s vs {a['bare']:.2f} s: **{a['ratio']:.2f}** |
| (a′) | anchor: {typst_cell} | — | (ours {a['ours']:.2f} s) |
| (b) | the first 46 dev documents, `--force`, `--jobs 1` vs `--jobs 2` | ≥ 1.85 | {b['jobs1']['seconds']:.1f} s vs {b['jobs2']['seconds']:.1f} s: **{b['pool_speedup']:.2f}** (CPU {b['jobs1']['cpu']:.0f} s vs {b['jobs2']['cpu']:.0f} s: on 2 idle cores at most {2 * b['jobs1']['cpu'] / b['jobs2']['cpu']:.2f}) |
| (b′) | the same, `--executor dask --jobs 1` vs `--jobs 2` (a LocalCluster of 1 or 2 workers, its start included) | ≥ 1.7 | {b['dask1']['seconds']:.1f} s vs {b['dask2']['seconds']:.1f} s: **{b['dask_speedup']:.2f}** (CPU {b['dask1']['cpu']:.0f} s vs {b['dask2']['cpu']:.0f} s: on 2 idle cores at most {2 * b['dask1']['cpu'] / b['dask2']['cpu']:.2f}) |
| (c) | throughput: the {c['count']} dev documents (corpus 22 + dev2 150), `--jobs 2 --force` | — | {c['seconds']:.0f} s wall, {c['cpu']:.0f} s CPU ({c['failed']} failed, timed all the same): **{c['per_core_cpu']:.0f} documents per minute per core** by CPU time, {c['per_core_wall']:.0f} by wall time on 2 shared cores |
| (d) | no-op rebuild of {d['count']} sources (`/work/shared/akn/*/en`, built `--format md`) | ≤ 0.3 s | **{d['seconds']:.2f} s** |
| (e) | `python build.py watch` on a copy of 58/208: from a word of the text edited ("Programme" <-> "Programmes") to the new PDF's mtime, median of {RUNS} | ≤ 0.3 s | **{e['median']:.3f} s** (each of the {RUNS}: {', '.join(f'{x:.3f}' for x in e['all'])}) |
| (f) | peak RSS of one process that built 58/208 and the first corpus document in each other language (ar, es, fr, ru, zh), `--jobs 1` | ≤ 250 MiB | **{f['maxrss_mib']:.0f} MiB** ({f['failed']} of {f['count']} failed the build); a pool worker over the 172: {c['maxrss_mib']:.0f} MiB |

Dask's own cost in (b′): {b['dask1']['cpu'] - b['jobs1']['cpu']:.0f} s of CPU over the in-process `--jobs 1` build of
the same 46 documents ({b['dask1']['cpu'] / b['jobs1']['cpu'] - 1:.0%}): the scheduler's, the nanny's and the worker's start,
and their heartbeats and monitors, which run for the wall time, stretched here by the load.

(g) Where one build's time goes, in a warm process, mean over the {len(TESTED)} test documents:
{", ".join(f"{name} {seconds:.3f} s" for name, seconds in g.items() if name != "passes")}
({g['passes']} footnote-repair passes in all, each a whole re-layout).  A fresh
process adds Python's and the libraries' start-up (WeasyPrint's import ~0.25 s with
`unpress.weasy` answering its library look-ups from one `ldconfig -p`); a pool or
Dask worker pays it once.  The preflight reads text through PDFium (pypdfium2,
`unpress.pdftext`; `bench/pdftext.py` compares it with pypdf's `extract_text`).

What each build no longer pays, or pays once per worker: the preflight's text layer is PDFium's
(pypdfium2) instead of a port of pypdf's text extraction (`bench/pdftext.py` has its before and
after); the bundled fonts are registered and the stylesheets parsed once per process
(`weasy.font_configuration`, `weasy.parsed`), and a Dask worker imports WeasyPrint when it
starts (`cluster.WarmUp`), not in its first build; fonts are subset by HarfBuzz
(`libharfbuzz-subset0`, `make system`), not fontTools; Pango's line breaks are remembered
(`weasy.remembered_split_first_line`): WeasyPrint lays a page's footnote area out again for each
note it adds, and a repair pass, a copyfit or a `watch` rebuild lays the whole document out
again, but a line already broken is not broken again (58/208: 355 of the 672 line breaks of a
first build are new, 1 after a word is edited; in-process rebuild 0.316 -> 0.269 s, and
`make test` 180 -> 97 s).  A footnote-repair pass still re-lays out the whole document, not
only from the page it changes: WeasyPrint 70 offers no way to resume a layout from a page
(`HTML.render` lays out every page; the page re-making inside `layout_document` serves its own
counters and is internal), and a repair changes the HTML itself (a paragraph cut), so the box
tree is rebuilt anyway.  (g) bounds what it would save: the repair passes' share of a build.
"""
    (ROOT / "docs" / "performance.md").write_text(doc + archive_estimate(b, c), encoding="utf-8")
    return 0


def typst_version() -> str:
    from importlib import metadata

    return metadata.version("typst")


def dask_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("distributed")
    except metadata.PackageNotFoundError:
        return "absent"


def archive_estimate(b: dict, c: dict) -> str:
    """On paper: the archive (100,000 resolutions in six languages) on N one-core Dask workers."""
    from unpress.cluster import IN_FLIGHT_PER_WORKER

    documents = 100_000 * 6
    per_document = c["cpu"] / c["count"]
    cpu_hours = documents * per_document / 3600
    efficiency = b["dask1"]["cpu"] / b["dask2"]["cpu"]  # (b'): what a second worker adds in CPU time
    rows = "\n".join(f"| {n} | {cpu_hours / n / efficiency:.1f} h |" for n in (8, 32, 128, 512))
    output_gb = documents * c["pdf_bytes"] / c["count"] / 1e9
    return f"""
## The archive on a cluster, on paper

The archive is ~100,000 resolutions, {documents:,} PDFs in six languages.  At the
measured {per_document:.2f} CPU-seconds per document (c: the whole process tree of a
`--jobs 2` build of the 172, divided by 172) that is **{cpu_hours:,.0f} CPU-hours**.  With
`--executor dask --scheduler tcp://HOST:8786` on N one-thread workers, each on a core, and
the parallel efficiency of (b′) by CPU time ({efficiency:.2f}: 1 worker's CPU time over 2 workers',
for the same 46 documents; the wall-time ratio is the load's, not Dask's):

| workers N | wall time |
|---|---|
{rows}

What would limit it, in the order it would bite:
- **Other languages' cost is not measured yet**: the figure is English documents; Chinese and
  Arabic pages shape more glyphs and subset bigger fonts (HarfBuzz's subsetter, `make system`,
  keeps that to ~0.5 s a document; fontTools would take 40-60 s and dominate everything).
- **The client**: one process reads every source, sends it, and writes every PDF it gets back
  ({output_gb:.0f} GB of PDFs for the archive, {c['pdf_bytes'] / c['count'] / 1e3:.0f} kB each) and records
  it in the cache.  It writes a file per result in ~1-2 ms, so it keeps up with ~500-1,000
  documents a second: N ≈ {round(500 * per_document, -2):.0f}-{round(1000 * per_document, -2):.0f} workers before it, not the workers, sets the pace;
  its network link carries the PDFs (a 1 Gbit/s link moves the archive's in ~{output_gb * 8 / 60:.0f} min).
- **The scheduler**: ~1 ms of its CPU per task, {documents / 1000 / 60:.0f} min for the whole archive,
  spread over the build: not a limit below thousands of workers.  At most {IN_FLIGHT_PER_WORKER} tasks per worker thread are
  in flight, so the client's and the scheduler's memory hold a few sources per worker, not the archive.
- **Memory**: a worker peaks at {c['maxrss_mib']:.0f} MiB (c, English; (f) for the languages); a
  worker that passes its memory limit is restarted by its nanny and its document retried,
  then reported as failed (`distributed.scheduler.allowed-failures`, 3 by default).
- **The tail**: the longest document (a 60-page resolution, a few seconds) ends the build
  last; the client hands out the longest sources first, so the tail is one document long.
"""

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
