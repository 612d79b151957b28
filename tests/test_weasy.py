"""The one-lookup import of WeasyPrint finds the same libraries as ctypes does."""

from __future__ import annotations

import ctypes.util

import pytest

from unpress.weasy import cached_find_library, linker_cache, one_library_lookup

WEASYPRINT_LIBRARIES = ["gobject-2.0", "pango-1.0", "harfbuzz", "fontconfig", "pangoft2-1.0"]


@pytest.mark.parametrize("name", WEASYPRINT_LIBRARIES)
def test_cached_lookup_agrees_with_ctypes(name):
    assert cached_find_library(linker_cache())(name) == ctypes.util.find_library(name) is not None


def test_a_name_the_cache_lacks_is_not_found(monkeypatch):
    monkeypatch.delenv("LD_LIBRARY_PATH", raising=False)
    assert cached_find_library(linker_cache())("gobject-2.0-0") is None


def test_the_standard_lookup_is_restored():
    standard = ctypes.util.find_library
    with one_library_lookup():
        assert ctypes.util.find_library is not standard
    assert ctypes.util.find_library is standard
