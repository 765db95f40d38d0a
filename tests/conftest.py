"""Cross-distribution tests install locally built wheels into fresh virtual environments.

The wheelhouse (built core wheel + its dependencies' wheels) is prepared by tox before the
tests run (see tox.ini, env "integration"), so the tests themselves never reach the network:
every install here uses ``--no-index``.
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import venv

import pytest

REPO = pathlib.Path(__file__).resolve().parents[1]

# Distributions under tests/plugins/ carry their own test suites, which need their distribution
# installed: they run in their own tox environment (e.g. `tox -e example-plugin`), not here.
collect_ignore_glob = ["plugins/*/tests"]


@pytest.fixture(scope="session")
def wheelhouse() -> pathlib.Path:
    path = os.environ.get("HAMILTON_TEST_WHEELHOUSE")
    if not path:
        pytest.skip("set HAMILTON_TEST_WHEELHOUSE (tox -e integration prepares it)")
    return pathlib.Path(path)


def make_venv(where: pathlib.Path, *, with_pip: bool = True) -> pathlib.Path:
    """A fresh virtual environment; returns its python.

    ``with_pip=False`` skips ``ensurepip`` (most of the few seconds a venv takes to create):
    ``pip_install`` does not need the environment's own pip.
    """
    venv.EnvBuilder(with_pip=with_pip, clear=True).create(where)
    return where / ("Scripts" if sys.platform == "win32" else "bin") / "python"


def pip_install(python: pathlib.Path, wheelhouse: pathlib.Path, *args: str) -> None:
    """``pip install --no-index --find-links wheelhouse *args`` into ``python``'s environment.

    Runs the test runner's pip with ``--python``, so ``python`` needs no pip of its own; ``args``
    are requirements and any other ``pip install`` options (``--target``, ``-e``...).
    """
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-index",
            "--find-links",
            str(wheelhouse),
            *args,
        ],
        check=True,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_CONFIG_FILE": os.devnull},
    )


def run(
    python: pathlib.Path, *args: str, cwd: pathlib.Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run ``python`` with ``args``; ``env`` adds to (or overrides) this process's environment."""
    return subprocess.run(
        [str(python), *args], capture_output=True, text=True, check=False, cwd=cwd, env={**os.environ, **(env or {})}
    )


@pytest.fixture(scope="session")
def core_python(wheelhouse: pathlib.Path, tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """Python of a fresh venv with only the locally built apache-hamilton (and pluggy)."""
    python = make_venv(tmp_path_factory.mktemp("core-venv"))
    pip_install(python, wheelhouse, "apache-hamilton")
    return python
