"""The Dask executor (issue 16): the same PDFs as the process pool, on real worker processes.

A LocalCluster of 2 one-thread workers stands in for a cluster: the CLI is
given its address as `--scheduler`, so sources and PDFs travel as bytes.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dask
import pytest
from distributed import Client, LocalCluster

ROOT = Path(__file__).resolve().parents[1]
AKN = ROOT / "tests" / "fixtures" / "akn"
SOURCES = (AKN / "A_RES_80_232.xml", AKN / "A_RES_80_11.xml", ROOT / "source" / "A_RES_58_208.md")


def cli(*args: str | Path, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "unpress", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=240,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", **env})


def pdfs(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.pdf"))}


@pytest.fixture(scope="module")
def pool_pdfs(tmp_path_factory) -> dict[str, bytes]:
    """The reference: the default executor's PDFs of the sources."""
    out = tmp_path_factory.mktemp("pool")
    result = cli("build", *SOURCES, "-o", out, "--jobs", "2", cwd=out)
    assert result.returncode == 0, result.stderr
    assert len(pdfs(out)) == len(SOURCES)
    return pdfs(out)


def test_local_dask_workers_make_the_pool_s_pdfs(tmp_path, pool_pdfs):
    """Without --scheduler: a LocalCluster of --jobs workers on this machine."""
    result = cli("build", *SOURCES, "-o", "out", "--executor", "dask", "--jobs", "2", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("3 built, 0 failed (")
    assert pdfs(tmp_path / "out") == pool_pdfs


@contextmanager
def two_workers(allowed_failures: int) -> Iterator[LocalCluster]:
    """A cluster whose scheduler gives up on a task after it killed `allowed_failures` workers + 1."""
    with dask.config.set({"distributed.scheduler.allowed-failures": allowed_failures}), \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local:
        yield local


def kill_a_busy_worker(address: str, killed: list[int]) -> None:
    """Kill (SIGKILL) the first worker seen building a document; its nanny restarts it."""
    with Client(address, timeout="20s") as client:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            busy = [worker for worker, keys in client.processing().items()
                    if any(str(key).startswith("unpress-") for key in keys)]
            if busy:
                pid = client.run(os.getpid, workers=busy[:1])[busy[0]]
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
                return
            time.sleep(0.02)


def build_killing_a_worker(tmp_path: Path, allowed_failures: int) -> subprocess.CompletedProcess:
    killed: list[int] = []
    with two_workers(allowed_failures) as cluster:
        killer = threading.Thread(target=kill_a_busy_worker, args=(cluster.scheduler_address, killed))
        killer.start()
        result = cli("build", *SOURCES, "-o", "out", "--executor", "dask",
                     "--scheduler", cluster.scheduler_address, cwd=tmp_path)
        killer.join(timeout=30)
    assert killed, "no worker was seen building"
    return result


def test_a_worker_killed_mid_build_is_survived(tmp_path, pool_pdfs):
    """The worker building a document is killed; Dask retries the build on the other one."""
    result = build_killing_a_worker(tmp_path, allowed_failures=3)
    assert result.returncode == 0, result.stderr
    assert pdfs(tmp_path / "out") == pool_pdfs


def test_a_build_that_kills_its_workers_fails_alone(tmp_path, pool_pdfs):
    """Once the scheduler gives up on a task (here at its first dead worker), that document fails
    as one line and the others are built (the dead worker held one or two of the three)."""
    result = build_killing_a_worker(tmp_path, allowed_failures=0)
    assert result.returncode == 2
    lost = [line for line in result.stderr.splitlines() if "Dask worker building it died" in line]
    assert 1 <= len(lost) <= 2 and all("(KilledWorker: out of memory, or killed)" in line for line in lost)
    failed = [s for s in SOURCES if any(line.startswith(f"{s}: ") for line in lost)]
    assert len(failed) == len(lost)
    built = pdfs(tmp_path / "out")
    missing = {source.stem + ".pdf" for source in failed}
    assert sorted(built) == sorted(name for name in pool_pdfs if name not in missing)
    assert all(built[name] == pool_pdfs[name] for name in built)
    assert result.stdout.splitlines()[-1].startswith(f"{len(built)} built, {len(failed)} failed: ")


def test_an_unreachable_scheduler_is_one_clear_error(tmp_path):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    result = cli("build", SOURCES[0], "-o", "out", "--executor", "dask", "--scheduler", address,
                 cwd=tmp_path, DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT="2s")
    assert result.returncode == 2
    assert result.stderr.startswith(f"{address}: cannot reach the Dask scheduler (")
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_scheduler_needs_the_dask_executor(tmp_path):
    result = cli("build", SOURCES[0], "--scheduler", "tcp://127.0.0.1:8786", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "tcp://127.0.0.1:8786: --scheduler needs --executor dask\n"
