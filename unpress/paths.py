"""Where the project's presentation files live (fixed by the design)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
STYLES = ROOT / "styles"
PACKAGE = Path(__file__).resolve().parent
