"""Thin entry point: `python build.py [build|check|compare] ...` (see README)."""

from unpress.cli import entry

if __name__ == "__main__":
    raise SystemExit(entry())
