"""Shared fixtures: the project root, the official PDFs, and our build of A/RES/58/208."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from helpers import run_cli
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




BUILDABLE = [*sorted((PROJECT_ROOT / "tests" / "fixtures" / "akn").glob("*.xml")),
             PROJECT_ROOT / "source" / "A_RES_58_208.md",
             PROJECT_ROOT / "tests" / "fixtures" / "footnotes_near_page_end.md"]


@pytest.fixture(scope="session")
def built_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess, Path]:
    """Every document the project can build (the 22 corpus files, 58/208, the footnote
    test document), built once per session by one parallel `build` command."""
    out = tmp_path_factory.mktemp("corpus")
    return run_cli("build", *map(str, BUILDABLE), "-o", str(out), "--jobs", "2"), out


@pytest.fixture(scope="session")
def built_58_208(built_corpus: tuple[subprocess.CompletedProcess, Path]) -> Path:
    """Our PDF of A/RES/58/208, built through the real command line (with the corpus)."""
    return built_corpus[1] / "A_RES_58_208.pdf"
