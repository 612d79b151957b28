"""The Dask executor (`--executor dask`): the same build, as Dask tasks on persistent workers.

Without a scheduler address, a LocalCluster of `--jobs` worker processes on
this machine; with one (`--scheduler tcp://HOST:8786`), an existing cluster
whose workers have unpress installed.  A task is `pipeline.render_bytes`
under the one error policy (`pipeline.reporting`): the source goes to the
worker as bytes and the output (a PDF already through the preflight) comes
back as bytes, written atomically here.  So the workers need no shared file
system; only an emblem is read by its path, on the worker.

A worker that dies mid-build (killed, or restarted by its nanny past its
memory limit) has its task rescheduled on another; a task that has killed
`distributed.scheduler.allowed-failures` workers fails alone, as one line.
Dask distributed is an optional extra: `pip install 'unpress[dask]'`.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from unpress.errors import UnpressError
from unpress.pipeline import BuildOptions, Task, render_bytes, reporting, source_bytes, write_atomically

try:
    import dask
    from distributed import Client, Future, LocalCluster, WorkerPlugin, as_completed
except ImportError:
    raise UnpressError(None, "--executor dask needs Dask distributed: pip install "
                       "'unpress[dask]'") from None

IN_FLIGHT_PER_WORKER = 3  # tasks handed out per worker thread: none idle, the client's memory bounded


class WarmUp(WorkerPlugin):
    """Pay WeasyPrint's import (fonts, Pango) when a worker starts or restarts, not in a build."""

    def __init__(self, warm_up: Callable[[], None]) -> None:
        self.warm_up = warm_up

    def setup(self, worker: object) -> None:
        self.warm_up()


def run_on_dask(tasks: list[Task], order: list[int], options: BuildOptions, jobs: int,
                scheduler: str | None,
                warm_up: Callable[[], None]) -> Iterator[tuple[int, str | None, float]]:
    """Yield (index, the line for stderr or None, seconds) as the tasks of `order` finish."""
    with connect(scheduler, jobs) as client:
        client.register_plugin(WarmUp(warm_up), name="unpress-warm-up")
        limit = IN_FLIGHT_PER_WORKER * max(1, sum(client.nthreads().values()))
        queue = deque(order)
        running: dict[Future, int] = {}
        finished = as_completed()
        while queue or running:
            while queue and len(running) < limit:
                index = queue.popleft()
                task = tasks[index]
                data, error, _ = reporting(task.source, source_bytes, task.source)
                if data is None:
                    yield index, error, 0.0
                    continue
                future = client.submit(reporting, task.source, render_bytes, task.source, data, options,
                                       key=f"unpress-{index}-{task.source.name}", pure=False)
                running[future] = index
                finished.add(future)
            if running:
                future = next(finished)
                index = running.pop(future)
                yield index, *written(future, tasks[index])


def written(future: Future, task: Task) -> tuple[str | None, float]:
    """One task's output written here, or the line saying why there is none; and its seconds."""
    try:
        data, error, seconds = future.result()
    except Exception as exc:  # KilledWorker: the task took down allowed-failures workers
        return (f"{task.source}: the Dask worker building it died ({type(exc).__name__}: out of "
                "memory, or killed); the workers' logs say why"), 0.0
    finally:
        future.release()
    if error is None:
        _, error, _ = reporting(task.source, write_atomically, task.target, data)
    return error, seconds


@contextmanager
def connect(scheduler: str | None, jobs: int) -> Iterator[Client]:
    """A client of the named scheduler, or of a LocalCluster of `jobs` one-thread workers here."""
    logging.getLogger("distributed").setLevel(logging.WARNING)  # a worker's death, not each start
    if scheduler is None:
        with LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            yield client
        return
    timeout = dask.config.get("distributed.comm.timeouts.connect")
    try:
        client = Client(scheduler, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as exc:
        raise UnpressError(scheduler, f"cannot reach the Dask scheduler ({exc}); start one with "
                           "`dask scheduler`, or leave out --scheduler for workers on this "
                           "machine") from None
    with client:
        try:
            client.wait_for_workers(1, timeout=timeout)
        except TimeoutError:
            raise UnpressError(scheduler, f"the Dask scheduler has no workers (waited {timeout}); "
                               "start some with `dask worker " + scheduler + "`") from None
        yield client

