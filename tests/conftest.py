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


@pytest.fixture(scope="session")
def wheelhouse() -> pathlib.Path:
    path = os.environ.get("HAMILTON_TEST_WHEELHOUSE")
    if not path:
        pytest.skip("set HAMILTON_TEST_WHEELHOUSE (tox -e integration prepares it)")
    return pathlib.Path(path)


def make_venv(where: pathlib.Path) -> pathlib.Path:
    """A fresh virtual environment; returns its python."""
    venv.EnvBuilder(with_pip=True, clear=True).create(where)
    return where / ("Scripts" if sys.platform == "win32" else "bin") / "python"


def pip_install(python: pathlib.Path, wheelhouse: pathlib.Path, *requirements: str) -> None:
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-index", "--find-links", str(wheelhouse), *requirements],
        check=True,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_CONFIG_FILE": os.devnull},
    )


def run(python: pathlib.Path, *args: str, cwd: pathlib.Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(python), *args], capture_output=True, text=True, check=False, cwd=cwd)


@pytest.fixture(scope="session")
def core_python(wheelhouse: pathlib.Path, tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """Python of a fresh venv with only the locally built apache-hamilton (and pluggy)."""
    python = make_venv(tmp_path_factory.mktemp("core-venv"))
    pip_install(python, wheelhouse, "apache-hamilton")
    return python
