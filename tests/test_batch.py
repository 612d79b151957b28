"""The batch engine (issue 6): parallel builds equal serial ones, incremental rebuilds, watch."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from helpers import run_cli

from unpress.batch import CACHE_NAME, rebuilder
from unpress.pipeline import BuildOptions
from unpress.watch import watch

ROOT = Path(__file__).resolve().parents[1]
AKN = ROOT / "tests" / "fixtures" / "akn"
SOURCES = (AKN / "A_RES_80_232.xml", AKN / "A_RES_80_189.xml", ROOT / "source" / "A_RES_58_208.md")

# cli.main in a fresh interpreter, then whether WeasyPrint was imported
PROBE = ("import sys\nfrom unpress.cli import main\nstatus = main(sys.argv[1:])\n"
         "print('weasyprint imported:', 'weasyprint' in sys.modules)\nsys.exit(status)\n")


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return run_cli(*args, cwd=cwd)


def fresh_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The command line in a fresh interpreter, which then says whether it imported WeasyPrint."""
    return subprocess.run([sys.executable, "-c", PROBE, *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def copy_sources(folder: Path) -> Path:
    folder.mkdir()
    for source in SOURCES:
        shutil.copy(source, folder / source.name)
    return folder


def pdfs(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.pdf"))}


def mtimes(folder: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in folder.glob("*.pdf")}


def test_parallel_equals_serial_and_rebuilds_only_what_changed(tmp_path):
    src = copy_sources(tmp_path / "src")
    serial = cli("build", "src", "-o", "serial", "--jobs", "1", cwd=tmp_path)
    assert serial.returncode == 0, serial.stderr
    parallel = cli("build", "src", "-o", "out", "--jobs", "2", cwd=tmp_path)
    assert parallel.returncode == 0, parallel.stderr
    assert len(pdfs(tmp_path / "out")) == 3
    assert pdfs(tmp_path / "out") == pdfs(tmp_path / "serial")
    assert (tmp_path / "out" / CACHE_NAME).is_file()
    lines = parallel.stdout.splitlines()
    assert lines[:3] == [f"src/{s.name} -> out/{s.stem}.pdf" for s in sorted(src.iterdir())]
    assert lines[3].startswith("3 built, 0 failed (")

    # nothing changed: nothing is built, and WeasyPrint is not even imported
    before = mtimes(tmp_path / "out")
    again = fresh_cli("build", "src", "-o", "out", "--jobs", "2", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert all(line.endswith("(up to date)") for line in again.stdout.splitlines()[:3])
    assert again.stdout.splitlines()[3].startswith("0 built, 0 failed, 3 up to date (")
    assert again.stdout.splitlines()[-1] == "weasyprint imported: False"
    assert mtimes(tmp_path / "out") == before

    # an edited source rebuilds alone
    with (src / "A_RES_58_208.md").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    edited = cli("build", "src", "-o", "out", cwd=tmp_path)
    assert edited.returncode == 0, edited.stderr
    assert "src/A_RES_58_208.md -> out/A_RES_58_208.pdf\n" in edited.stdout
    assert edited.stdout.count("(up to date)") == 2
    after = mtimes(tmp_path / "out")
    assert [name for name in after if after[name] != before[name]] == ["A_RES_58_208.pdf"]

    # a PDF changed behind our back is rebuilt; --force rebuilds everything
    (tmp_path / "out" / "A_RES_80_189.pdf").unlink()
    missing = cli("build", "src", "-o", "out", cwd=tmp_path)
    assert missing.stdout.count("(up to date)") == 2 and (tmp_path / "out" / "A_RES_80_189.pdf").is_file()
    forced = cli("build", "src", "-o", "out", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert "(up to date)" not in forced.stdout and "3 built, 0 failed (" in forced.stdout


def test_a_failure_in_a_parallel_batch_does_not_stop_the_others(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SOURCES[0], src / "a.xml")
    (src / "b.md").write_text("", encoding="utf-8")
    (src / "c.md").write_bytes(b"\xff\xfe")
    result = cli("build", "src", "-o", "out", "--jobs", "2", cwd=tmp_path)
    assert result.returncode == 2
    errors = result.stderr.splitlines()
    assert len(errors) == 2 and "Traceback" not in result.stderr
    assert errors[0].startswith("src/b.md") and errors[1].startswith("src/c.md")
    assert (tmp_path / "out" / "a.pdf").read_bytes().startswith(b"%PDF-")
    assert "1 built, 2 failed: src/b.md, src/c.md (" in result.stdout
    # failures are not recorded: the next run tries them again, and skips the good one
    again = cli("build", "src", "-o", "out", "--jobs", "2", cwd=tmp_path)
    assert again.returncode == 2 and "0 built, 2 failed, 1 up to date" in again.stdout


def test_watch_rebuilds_a_source_after_an_edit(tmp_path):
    source = tmp_path / "A_RES_58_208.md"
    shutil.copy(SOURCES[2], source)
    target = tmp_path / "out" / "A_RES_58_208.pdf"
    stop = threading.Event()
    passes: list[int] = []
    rebuild = rebuilder(str(tmp_path / "out"), BuildOptions())
    thread = threading.Thread(target=watch, args=([source], rebuild),
                              kwargs={"stop_event": stop, "on_pass": passes.append}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while len(passes) < 2 and time.monotonic() < deadline:  # the build, then the watcher runs
            time.sleep(0.05)
        assert passes[:2] == [0, 0] and target.is_file()
        first = target.stat().st_mtime_ns
        with source.open("a", encoding="utf-8") as handle:
            handle.write("\n")
        while time.monotonic() < deadline and target.stat().st_mtime_ns == first:
            time.sleep(0.05)
        assert target.stat().st_mtime_ns != first, "watch did not rebuild within 20 s"
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
