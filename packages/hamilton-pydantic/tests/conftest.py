import json
import os
import subprocess
import sys
import textwrap
from typing import Any

import pytest

from hamilton import ad_hoc_utils, driver

_SWITCHES = ("HAMILTON_PLUGINS_ALLOW", "HAMILTON_PLUGINS_DENY", "HAMILTON_AUTOLOAD_EXTENSIONS")


@pytest.fixture
def build() -> Any:
    """``build(*functions, config=None, adapters=())``: a driver over a module of ``functions``."""

    def _build(*functions: Any, config: dict | None = None, adapters: tuple = ()) -> driver.Driver:
        module = ad_hoc_utils.create_temporary_module(*functions)
        builder = driver.Builder().with_modules(module).with_config(config or {})
        if adapters:
            builder = builder.with_adapters(*adapters)
        return builder.build()

    return _build


def _run_fresh(code: str, **environment: str) -> Any:
    """Run ``code`` in a new interpreter (fresh plugin state); returns the JSON it prints last.

    This process's allow/deny switches are not passed on; ``environment`` sets more.
    """
    env = {k: v for k, v in os.environ.items() if k not in _SWITCHES}
    env.update(environment)
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def run_fresh() -> Any:
    """``run_fresh(code, **environment)``: see :func:`_run_fresh`."""
    return _run_fresh
