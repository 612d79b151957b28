"""Shared fixtures: the project root, the official PDFs, and our build of A/RES/58/208."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property tests on a fixed sequence of examples, so that a red run can be
# replayed; a developer's run explores new ones each time.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

PROJECT_ROOT = Path(__file__).resolve().parents[1]
OFFICIAL_PDFS = PROJECT_ROOT / "tests" / "fixtures" / "official"


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def official_pdfs() -> Path:
    """Copies of the UN's own PDFs (tests never read ../shared)."""
    return OFFICIAL_PDFS


@pytest.fixture(scope="session")
def built_58_208(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Our PDF of A/RES/58/208, built once per session through the real command line."""
    tmp_pdf = tmp_path_factory.mktemp("build") / "A_RES_58_208.pdf"
    subprocess.run(
        [sys.executable, "build.py", "build", "source/A_RES_58_208.md", "-o", str(tmp_pdf)],
        cwd=PROJECT_ROOT, check=True, capture_output=True,
    )
    return tmp_pdf


BUILDABLE = [*sorted((PROJECT_ROOT / "tests" / "fixtures" / "akn").glob("*.xml")),
             PROJECT_ROOT / "source" / "A_RES_58_208.md",
             PROJECT_ROOT / "tests" / "fixtures" / "footnotes_near_page_end.md"]


@pytest.fixture(scope="session")
def built_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess, Path]:
    """Every document the project can build (the 22 corpus files, 58/208, the footnote
    test document), built once per session by one parallel `build` command."""
    out = tmp_path_factory.mktemp("corpus")
    result = subprocess.run([sys.executable, "build.py", "build", *map(str, BUILDABLE), "-o", str(out),
                             "--jobs", "2"], cwd=PROJECT_ROOT, capture_output=True, text=True)
    return result, out
