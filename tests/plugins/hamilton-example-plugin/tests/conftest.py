"""Fixtures shared by the example plugin's tests (which run against the installed distribution)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from typing import Any

import pytest

PLUGIN = "hamilton_example_plugin"  # the entry point's name (= the library of Table)


@pytest.fixture(scope="session")
def installed_plugin() -> Any:
    """The plugin, loaded in this process through its installed entry point (not register())."""
    import hamilton.plugins

    hamilton.plugins.load(PLUGIN)  # False if something already loaded it: the status says
    info = next((i for i in hamilton.plugins.list_plugins() if i.name == PLUGIN), None)
    assert info is not None, "the hamilton-example-plugin distribution is not installed"
    assert info.status == "loaded", info
    return info


def _run_fresh(code: str, **environment: str) -> Any:
    """Run ``code`` in a new interpreter (fresh plugin state) and return the JSON it prints last.

    The allow/deny switches of this process are not passed on (``HAMILTON_PLUGINS_STRICT`` is);
    ``environment`` sets more.
    """
    switches = ("HAMILTON_PLUGINS_ALLOW", "HAMILTON_PLUGINS_DENY", "HAMILTON_AUTOLOAD_EXTENSIONS")
    env = {k: v for k, v in os.environ.items() if k not in switches}
    env.update(environment)
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def run_fresh() -> Any:
    """``run_fresh(code, **environment)``: see :func:`_run_fresh`. (A fixture rather than an
    import, so that no test module imports ``conftest`` — a name other test suites use too.)"""
    return _run_fresh
