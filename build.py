"""Thin entry point: `python build.py [build|check|compare] ...` (see README)."""

from unpress.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
