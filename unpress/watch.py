"""`unpress watch`: rebuild a source when it, a template or a style changes.

This process is the warm worker: it imports WeasyPrint (and starts Pango and
fontconfig) once, so a rebuild after an edit costs only the layout and the
preflight, and the lines of the text that did not change are not broken
again (`unpress.weasy`: Pango's answers are remembered); the garbage
collector runs after the write, not while the user waits.  Each change runs
one incremental pass (`rebuild`, the batch engine's `rebuilder`) over all the
watched sources: an edited source rebuilds alone; a changed template or
style changes every digest, and that pass goes to the process pool.
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import watchfiles

from unpress.errors import UnpressError
from unpress.paths import STYLES, TEMPLATES
from unpress.pipeline import SOURCE_SUFFIXES

Rebuild = Callable[[list[Path], int | None], int]  # (sources, jobs) -> exit status


def watch(sources: list[Path], rebuild: Rebuild, jobs: int | None = None,
          stop_event: threading.Event | None = None,
          on_pass: Callable[[int], None] | None = None, ready_timeout_ms: int = 300) -> int:
    """Build, then rebuild on every change until interrupted or `stop_event` is set.

    `on_pass(status)` is called after each pass (the first build, the catch-up
    pass once the watcher runs, and one per batch of changes); tests use it
    with `stop_event` to stop the loop.
    """
    sources = [Path(source) for source in sources]
    for source in sources:
        if not source.exists():
            raise UnpressError(source, "no such file or directory")
    presentation = (TEMPLATES.resolve(), STYLES.resolve())
    folders = {(source if source.is_dir() else source.parent).resolve() for source in sources}
    roots = sorted(folders | set(presentation))

    def one_pass(jobs_now: int | None) -> None:
        gc.disable()  # the collector runs once the new PDF is written, not while the user waits
        try:
            status = rebuild(current(sources), jobs_now)
        finally:
            gc.enable()
        sys.stdout.flush()
        gc.collect()
        if on_pass is not None:
            on_pass(status)

    one_pass(jobs)  # the first build may have the whole session to do: the pool takes it
    from unpress.writers import pdf  # noqa: F401  (from here on this process is the warm worker)
    gc.freeze()  # what is loaded for good is left out of every later collection
    print(f"watching {', '.join(map(str, roots))} (Ctrl-C to stop)", flush=True)
    first = True
    try:
        # a batch of changes is taken 5 ms after its last event (an editor saves in one write or
        # a rename; a save spread wider costs one pass more)
        for changes in watchfiles.watch(*roots, stop_event=stop_event, debounce=400, step=5,
                                        rust_timeout=ready_timeout_ms, yield_on_timeout=True,
                                        raise_interrupt=False):
            paths = [Path(path) for _, path in changes]
            restyled = any(path.is_relative_to(root) for path in paths for root in presentation)
            relevant = restyled or any(path.suffix in SOURCE_SUFFIXES for path in paths)
            if first or relevant:  # the first pass catches edits made before the watcher ran
                one_pass(jobs if restyled else 1)
            first = False
    except KeyboardInterrupt:
        pass
    return 0


def current(sources: list[Path]) -> list[Path]:
    """The watched sources now: directories are listed again (sources come and go)."""
    found: list[Path] = []
    for source in sources:
        if source.is_dir():
            found.extend(sorted(p for p in source.iterdir()
                                if p.suffix in SOURCE_SUFFIXES and not p.name.startswith(".")))
        elif source.exists():
            found.append(source)
    return found
