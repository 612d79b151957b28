"""Where the package's presentation files live: package data beside the modules.

In a checkout, unpress/templates and unpress/styles are symbolic links to the
project's templates/ and styles/ (the design fixes them at the root); in an
installed wheel they are the copies the wheel carries.  Either way they are
found beside this module, never relative to the working directory.
"""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
TEMPLATES = (PACKAGE / "templates").resolve()
STYLES = (PACKAGE / "styles").resolve()
DATA = PACKAGE / "data"  # what the drafting tools learned from the UN's files (bench/openers.py ...)
