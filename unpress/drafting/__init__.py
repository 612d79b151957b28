"""Tools for drafters: start a source (`new`), bring in an official text (`unpress.importers`)."""
