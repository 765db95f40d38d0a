"""The ``hamilton`` command (distribution ``hamilton-cli``): build, validate, version, diff and draw
dataflows from the shell, list plugins, and start the local tracking UI.

* :mod:`hamilton.cli.__main__` — the typer application ``cli`` (the console script);
* :mod:`hamilton.cli.commands` — what each command does, as plain functions returning its message;
* :mod:`hamilton.cli.logic` — the helpers they share (loading modules and context files,
  versions, diffs, git).
"""
