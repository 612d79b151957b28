"""The build engine: many sources, in parallel worker processes, rebuilding only what changed.

A target is up to date when the digest of everything that makes it -- the
source's bytes and the emblem it names (read from its parsed front matter),
the templates, styles and fonts, unpress's own code, the versions of the
libraries that lay out and write the PDF (WeasyPrint, pydyf, Pango, pypdf,
pypdfium2), the build options -- equals the digest recorded when it was
last built, and the file is still the one we wrote.  The digests live
beside the outputs in `.unpress-cache.json` (target name -> entry) and are
recorded only after a build succeeded.

Deciding that nothing needs doing imports neither WeasyPrint nor rich: a no-op
rebuild of a whole session costs a few milliseconds of hashing.  Each build is
`pipeline.build_reporting` (one error policy), in this process when there is
one document or `--jobs 1`, else in a spawn-safe process pool, or on Dask
workers (`unpress.cluster`, `--executor dask`).
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import logging
import os
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache, partial
from importlib import metadata
from pathlib import Path

from unpress import __version__
from unpress.guards import check_outputs, limit_memory, regular_bytes
from unpress.paths import PACKAGE, STYLES, TEMPLATES
from unpress.pipeline import FORMATS, BuildOptions, Task, build_reporting, output_path

CACHE_NAME = ".unpress-cache.json"
LAYOUT_LIBRARIES = ("weasyprint", "pydyf", "pypdf", "pypdfium2", "fonttools")


@dataclass
class Outcome:
    task: Task
    error: str | None = None  # the one line for stderr
    skipped: bool = False
    seconds: float = 0.0


# -- digests -------------------------------------------------------------------


def tree_digest(roots: Iterable[Path], suffixes: tuple[str, ...] | None = None) -> str:
    """sha256 over the files under the roots (of those suffixes): relative names and bytes."""
    digest = hashlib.sha256()
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            if suffixes is not None and path.suffix not in suffixes:
                continue
            stat = path.stat()
            digest.update(str(path.relative_to(root.parent)).encode("utf-8") + b"\0")
            digest.update(file_digest(path, stat.st_size, stat.st_mtime_ns))
    return digest.hexdigest()


@lru_cache(maxsize=1024)
def file_digest(path: Path, size: int, mtime_ns: int) -> bytes:
    """A file's sha256, read again only when its size or modification time changes: each pass
    of `watch` would otherwise hash the 15 MB of bundled fonts again (10 ms of a rebuild)."""
    return hashlib.sha256(path.read_bytes()).digest()


@lru_cache(maxsize=1)
def toolchain() -> str:
    """unpress's code and version, and the versions of what lays out and writes the PDF."""
    parts = [__version__, tree_digest([PACKAGE], (".py",))]
    for name in LAYOUT_LIBRARIES:
        try:
            parts.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name} absent")
    parts.append(f"pango {pango_version()}")
    return "\0".join(parts)


def pango_version() -> str:
    """Pango's version, asked of the library itself (WeasyPrint is not loaded for this)."""
    try:
        pango = ctypes.CDLL("libpango-1.0.so.0")
    except OSError:
        return "unknown"
    pango.pango_version_string.restype = ctypes.c_char_p
    return pango.pango_version_string().decode("ascii")


def environment_digest(options: BuildOptions) -> str:
    """What every target of one build shares: presentation files, toolchain, options, emblem."""
    digest = hashlib.sha256()
    for part in (toolchain(), options.format, options.edition or "", tree_digest((TEMPLATES, STYLES))):
        digest.update(part.encode("utf-8") + b"\0")
    if options.emblem is not None:
        digest.update(str(options.emblem.resolve()).encode("utf-8") + b"\0")
        digest.update(file_bytes(options.emblem) or b"<missing>")
    return digest.hexdigest()


def file_bytes(path: Path) -> bytes | None:
    """A file's bytes, or None: a missing, special or oversized input changes the digest instead
    of failing (or blocking) the plan; its build then fails alone, saying why."""
    return regular_bytes(path)


def source_digest(source: Path, environment: str) -> str | None:
    """The digest of one target's inputs, or None when the source cannot be read."""
    data = file_bytes(source)
    if data is None:
        return None
    digest = hashlib.sha256(environment.encode("ascii") + b"\0" + data)
    if source.suffix == ".md":
        from unpress.readers.source import named_emblem  # the reader's own parse

        emblem = named_emblem(data, source)
        if emblem is not None:
            digest.update(b"\0" + (file_bytes(emblem) or b"<missing>"))
    return digest.hexdigest()


# -- the cache beside the outputs ---------------------------------------------------


class Cache:
    """`<outdir>/.unpress-cache.json` for every output directory of a build."""

    def __init__(self) -> None:
        self.files: dict[Path, dict[str, dict]] = {}
        self.dirty: set[Path] = set()

    def entries(self, folder: Path) -> dict[str, dict]:
        if folder not in self.files:
            try:
                loaded = json.loads((folder / CACHE_NAME).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                loaded = {}
            self.files[folder] = loaded if isinstance(loaded, dict) else {}
        return self.files[folder]

    def fresh(self, task: Task) -> bool:
        entry = self.entries(task.target.parent).get(task.target.name)
        if task.digest is None or not isinstance(entry, dict) or entry.get("inputs") != task.digest:
            return False
        try:
            stat = task.target.stat()
        except OSError:
            return False
        return entry.get("output") == [stat.st_size, stat.st_mtime_ns]

    def record(self, task: Task) -> None:
        if task.digest is None:
            return
        try:
            stat = task.target.stat()
        except OSError:
            return
        folder = task.target.parent
        self.entries(folder)[task.target.name] = {"inputs": task.digest,
                                                  "output": [stat.st_size, stat.st_mtime_ns]}
        self.dirty.add(folder)

    def save(self) -> None:
        """Write each changed cache file atomically; a cache that cannot be written is only lost."""
        for folder in sorted(self.dirty):
            data = json.dumps(self.files[folder], indent=1, sort_keys=True).encode("utf-8")
            try:
                fd, temp = tempfile.mkstemp(prefix=f"{CACHE_NAME}.", dir=folder)
            except OSError:
                continue
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(temp, folder / CACHE_NAME)
            except OSError:
                Path(temp).unlink(missing_ok=True)
        self.dirty.clear()


# -- workers --------------------------------------------------------------------------


def warm_up(verbose: bool = False) -> None:
    """Pay WeasyPrint's import (and Pango/fontconfig's start) once per worker process; cap its
    memory (`guards.limit_memory`)."""
    limit_memory()
    if verbose:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
    from unpress.writers import pdf  # noqa: F401  (lazy on purpose: no-op builds never load WeasyPrint)


@lru_cache(maxsize=1)
def default_jobs() -> int:
    """The cores this process may run on (not merely the machine's, under a CPU limit)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# -- the build ---------------------------------------------------------------------------


def plan(sources: list[Path], output: str | None, options: BuildOptions) -> list[Task]:
    """One task per source: where its output goes and the digest of its inputs."""
    environment = environment_digest(options)
    single = len(sources) == 1
    return [Task(source, output_path(source, output, FORMATS[options.format], single),
                 source_digest(source, environment)) for source in sources]


def build_all(sources: list[Path], output: str | None, options: BuildOptions,
              debug: bool = False, jobs: int | None = None, force: bool = False,
              progress: bool | None = None, verbose: bool = False, executor: str = "pool",
              scheduler: str | None = None) -> int:
    """Build what is out of date; one failure does not stop the others (`debug`: the first raises).

    `executor` "dask" builds on Dask workers (`unpress.cluster`): a LocalCluster
    of `jobs` workers, or the cluster of the `scheduler` address.

    Prints one line per document on stdout ("SOURCE -> TARGET"), one line per
    failure on stderr, and, for more than one source, a summary with counts
    and time.  Returns 2 if any failed, else 0.
    """
    start = time.perf_counter()
    tasks = plan(sources, output, options)
    check_outputs([(task.source, task.target) for task in tasks],
                  [options.emblem] if options.emblem is not None else [])
    cache = Cache()
    outcomes: list[Outcome | None] = [None] * len(tasks)
    stale: list[int] = []
    for index, task in enumerate(tasks):
        if not force and cache.fresh(task):
            outcomes[index] = Outcome(task, skipped=True)
        else:
            stale.append(index)
    if progress is None:  # on a terminal, even one long build shows that it is working
        progress = sys.stdout.isatty() and bool(stale)
    reporter = Reporter(outcomes, len(stale), progress,
                        str(tasks[stale[0]].source) if len(stale) == 1 else "")
    try:
        reporter.flush()
        for index, outcome in run(tasks, stale, options, debug, jobs or default_jobs(), verbose,
                                  executor, scheduler):
            if outcome.error is None:
                cache.record(outcome.task)
            outcomes[index] = outcome
            reporter.done()
    finally:
        reporter.close()
        cache.save()
    finished = [outcome for outcome in outcomes if outcome is not None]
    failures = [outcome.task.source for outcome in finished if outcome.error is not None]
    if len(sources) > 1:
        skipped = sum(outcome.skipped for outcome in finished)
        built = len(finished) - skipped - len(failures)
        line = f"{built} built, {len(failures)} failed"
        if skipped:
            line += f", {skipped} up to date"
        if failures:
            line += f": {', '.join(map(str, failures))}"
        print(f"{line} ({time.perf_counter() - start:.1f} s)")
    return 2 if failures else 0


def rebuilder(output: str | None, options: BuildOptions) -> Callable[[list[Path], int | None], int]:
    """The pass `watch` runs on each change: an incremental build of the sources into `output`.

    Watch writes into a directory whatever the number of sources.
    """
    if output is not None and not output.endswith(os.sep):
        output += os.sep

    def rebuild(sources: list[Path], jobs: int | None) -> int:
        return build_all(sources, output, options, jobs=jobs, progress=False)

    return rebuild


def run(tasks: list[Task], stale: list[int], options: BuildOptions, debug: bool, jobs: int,
        verbose: bool = False, executor: str = "pool",
        scheduler: str | None = None) -> Iterable[tuple[int, Outcome]]:
    """Yield (index, outcome) as builds finish: on Dask if asked, else here for one document
    (or under `debug`, where the first error raises), else in a process pool."""
    if executor == "dask" and not debug and stale:
        from unpress.cluster import run_on_dask  # distributed is an optional extra

        for index, error, seconds in run_on_dask(tasks, longest_first(tasks, stale), options, jobs,
                                                 scheduler, partial(warm_up, verbose)):
            yield index, Outcome(tasks[index], error, seconds=seconds)
        return
    if debug or jobs <= 1 or len(stale) <= 1:
        for index in stale:
            task = tasks[index]
            error, seconds = build_reporting(task.source, task.target, options, debug)
            yield index, Outcome(task, error, seconds=seconds)
        return

    yield from pooled(tasks, longest_first(tasks, stale), options, jobs, verbose)


def pooled(tasks: list[Task], order: list[int], options: BuildOptions, jobs: int,
           verbose: bool) -> Iterable[tuple[int, Outcome]]:
    """Yield (index, outcome) from a process pool; a worker that dies (a C library's abort
    under the memory cap, the kernel's OOM killer, a signal) costs only the build it ran.

    Once one worker dies, ProcessPoolExecutor fails every build it holds.  So builds are handed
    out a few at a time, and when the pool breaks, those in flight are built again one at a
    time in a fresh pool: a build that breaks that pool too is the one that kills its worker,
    and fails alone.
    """
    # imported only for a pool: they would add ~8 ms to every no-op rebuild
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("spawn")
    queue, suspects = deque(order), deque[int]()
    while queue or suspects:
        alone = bool(suspects)
        source, width = (suspects, 1) if alone else (queue, min(jobs, len(queue)))
        in_flight = 1 if alone else width + 1  # one queued beyond the workers: none waits for work
        with ProcessPoolExecutor(max_workers=width, mp_context=context,
                                 initializer=warm_up, initargs=(verbose,)) as pool:
            running: dict[Future, int] = {}
            broken = False
            try:
                while (source or running) and not broken:
                    while source and len(running) < in_flight:
                        index = source.popleft()
                        running[pool.submit(build_reporting, tasks[index].source, tasks[index].target,
                                            options)] = index
                    done, _ = wait(running, return_when=FIRST_COMPLETED)
                    for future in done:
                        index = running.pop(future)
                        task = tasks[index]
                        try:
                            error, seconds = future.result()
                        except BrokenProcessPool:
                            broken = True
                            if not alone:
                                suspects.append(index)
                                continue
                            error, seconds = (f"{task.source}: the build process died (a library "
                                              "aborted, or it was killed); nothing was written"), 0.0
                        except Exception as exc:  # the build's result could not come back
                            error, seconds = f"{task.source}: the build process failed ({exc!r})", 0.0
                        yield index, Outcome(task, error, seconds=seconds)
                suspects.extend(running.values())  # in flight in a broken pool: each tried alone
            except BaseException:
                for future in running:
                    future.cancel()
                raise


def longest_first(tasks: list[Task], stale: list[int]) -> list[int]:
    """The order builds are handed out in: by source size, so no worker is left with a big one
    at the end."""
    return sorted(stale, key=lambda i: -source_size(tasks[i].source))


def source_size(source: Path) -> int:
    """The size the pool schedules by; an unreadable source (it will fail fast) counts as 0."""
    try:
        return source.stat().st_size
    except OSError:
        return 0


class Reporter:
    """Lines in source order (deterministic logs), and a rich progress bar on a terminal."""

    def __init__(self, outcomes: list[Outcome | None], total: int, bar: bool, single: str = "") -> None:
        """`single`: the one source being built, shown with a spinner and the time it takes."""
        self.outcomes = outcomes
        self.next = 0
        self.progress = None
        if bar and total:
            from rich.progress import (  # lazy on purpose: rich costs start-up time, a bar is rare
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            columns = ((SpinnerColumn(), TextColumn(f"building {single}"), TimeElapsedColumn())
                       if single else (TextColumn("building"), BarColumn(), MofNCompleteColumn(),
                                       TimeElapsedColumn(), TimeRemainingColumn()))
            self.progress = Progress(*columns, transient=True)
            self.bar = self.progress.add_task("build", total=total)
            self.progress.start()

    def done(self) -> None:
        """One more build finished: advance the bar and print what is now in order."""
        if self.progress is not None:
            self.progress.advance(self.bar)
        self.flush()

    def flush(self) -> None:
        """Print the outcomes that are next in source order; later ones wait for earlier ones."""
        while self.next < len(self.outcomes) and self.outcomes[self.next] is not None:
            outcome = self.outcomes[self.next]
            assert outcome is not None
            self.next += 1
            task = outcome.task
            if outcome.error is not None:
                print(outcome.error, file=sys.stderr)
            elif outcome.skipped:
                print(f"{task.source} -> {task.target} (up to date)")
            else:
                print(f"{task.source} -> {task.target}")

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()

