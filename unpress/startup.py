"""Start-up cost: import WeasyPrint with one library lookup instead of twenty-two.

WeasyPrint opens Pango, HarfBuzz, Fontconfig and GObject through cffi, trying
several names for each; every name that is not a file name makes cffi call
`ctypes.util.find_library`, which on Linux starts `ldconfig -p` (and, when that
misses, gcc and ld) each time: about 0.35 s of a 1 s build.  Here the linker
cache is read once and the same search is answered from it.  A name it does
not list is looked up the standard way only where LD_LIBRARY_PATH could make
the difference.
"""

from __future__ import annotations

import ctypes.util
import os
import re
import struct
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

ABI = {"x86_64-64": "libc6,x86-64", "ppc64-64": "libc6,64bit", "sparc64-64": "libc6,64bit",
       "s390x-64": "libc6,64bit", "ia64-64": "libc6,IA-64"}


def linker_cache() -> bytes:
    """`ldconfig -p`, as ctypes.util reads it (empty where there is none)."""
    try:
        return subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, check=False,
                              env={"LC_ALL": "C", "LANG": "C"}).stdout
    except OSError:
        return b""


def cached_find_library(listing: bytes):
    """A `find_library` answered from one `ldconfig -p` listing, like ctypes.util's first step."""
    machine = os.uname().machine + ("-32" if struct.calcsize("l") == 4 else "-64")
    abi = ABI.get(machine, "libc6")
    standard = ctypes.util.find_library

    def find_library(name: str) -> str | None:
        pattern = rb"\s+(lib%s\.[^\s]+)\s+\(%s" % (re.escape(name).encode(), abi.encode())
        match = re.search(pattern, listing)
        if match:
            return os.fsdecode(match.group(1))
        return standard(name) if os.environ.get("LD_LIBRARY_PATH") else None

    return find_library


@contextmanager
def one_library_lookup() -> Iterator[None]:
    """While WeasyPrint is imported, answer its library searches from one ldconfig run."""
    listing = linker_cache() if sys.platform.startswith("linux") else b""
    if not listing:
        yield
        return
    standard = ctypes.util.find_library
    ctypes.util.find_library = cached_find_library(listing)
    try:
        yield
    finally:
        ctypes.util.find_library = standard
