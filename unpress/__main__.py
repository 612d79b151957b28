from unpress.cli import entry

raise SystemExit(entry())
