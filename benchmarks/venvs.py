"""The two virtual environments the benchmarks compare, under ``benchmarks/.venvs/``.

* ``current``         -- this repository's ``core/`` installed non-editably, so the
  benchmark measures the working tree as users would install it.
* ``hamilton-1.90.0`` -- ``apache-hamilton==1.90.0`` from PyPI, created once and reused.

The ``distributed`` section adds dask and ray to both, and hamilton-dask / hamilton-ray to
``current`` (:func:`ensure_distributed`), so that no other run installs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
VENVS_DIR = BENCH_DIR / ".venvs"
CORE_DIR = REPO_DIR / "core"
# Plugin distributions the benchmarks use: the renderers (graphviz's brings the graphviz package)
# pandas and polars support (bringing pandas, numpy and polars), caching and local tracking.
PLUGIN_DIRS = tuple(
    REPO_DIR / "packages" / name
    for name in (
        "hamilton-viz-graphviz",
        "hamilton-viz-mermaid",
        "hamilton-narwhals",
        "hamilton-pandas",
        "hamilton-polars",
        "hamilton-cache",
        "hamilton-tracking",
    )
)
# Installed in both venvs, so that both compare against the same libraries.
SHARED_LIBRARIES = ("graphviz", "pandas", "numpy", "polars")
# The "distributed" section only: the engines (in both venvs, installed when that section runs so that
# other runs never download ray) and this repository's plugins for them (in "current", non-editably).
# Requirement -> the import that shows it is installed. 1.90.0's h_dask imports dask.dataframe at the top
# (its `[dask]` extra brought dask[complete]), so both venvs get the dataframe extra (pyarrow) too.
DISTRIBUTED_LIBRARIES = {
    "dask[distributed,dataframe]": "import dask.dataframe, distributed, pyarrow",
    "ray": "import ray",
}
DISTRIBUTED_PLUGIN_DIRS = tuple(REPO_DIR / "packages" / name for name in ("hamilton-dask", "hamilton-ray"))
REFERENCE_VERSION = "1.90.0"

# Variables that would make the measured interpreters differ from a user's default one.
_SCRUBBED_ENV = ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH", "PYTHONHOME", "PYTHONPROFILEIMPORTTIME", "PYTHONSTARTUP")


@dataclass(frozen=True)
class Venv:
    """A benchmarked environment: a display label and its interpreter."""

    label: str
    path: Path

    @property
    def python(self) -> Path:
        return self.path / "bin" / "python"


def clean_env() -> dict[str, str]:
    """The environment for every measured subprocess: ours, minus Python-behaviour overrides."""
    env = {key: value for key, value in os.environ.items() if key not in _SCRUBBED_ENV}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _run(args: list[str | Path], what: str) -> str:
    """Run a setup command quietly; on failure show its output and stop."""
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, env=clean_env())
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(f"benchmarks: {what} failed (exit {done.returncode})")
    return done.stdout


def _create(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
    _run([sys.executable, "-m", "venv", path], f"creating {path}")


def _pip(venv: Venv, *args: str | Path) -> None:
    _run([venv.python, "-m", "pip", *args], f"pip {' '.join(str(a) for a in args)} in {venv.label}")


def hamilton_version(venv: Venv) -> str | None:
    """The ``hamilton`` version importable in ``venv``, or ``None`` when it does not import."""
    if not venv.python.exists():
        return None
    code = "import hamilton.driver; from hamilton.version import VERSION; print('.'.join(map(str, VERSION)))"
    done = subprocess.run([venv.python, "-c", code], capture_output=True, text=True, env=clean_env(), cwd=VENVS_DIR)
    return done.stdout.strip() if done.returncode == 0 else None


def ensure_current(reuse: bool) -> Venv:
    """The ``current`` venv with the working tree's core freshly installed (unless ``reuse``)."""
    VENVS_DIR.mkdir(parents=True, exist_ok=True)
    venv = Venv("current", VENVS_DIR / "current")
    if reuse and hamilton_version(venv) is not None:
        return venv
    if not venv.python.exists():
        _create(venv.path)
    # Uninstall first so pip cannot decide the (unchanged) version is already satisfied.
    _pip(venv, "uninstall", "--yes", "--quiet", "apache-hamilton")
    _pip(venv, "install", "--quiet", CORE_DIR, *PLUGIN_DIRS, *SHARED_LIBRARIES)
    if hamilton_version(venv) is None:
        raise SystemExit("benchmarks: core installed into the 'current' venv but `import hamilton.driver` fails")
    return venv


def ensure_reference() -> Venv:
    """The ``hamilton-1.90.0`` venv, reused when it already imports the right version."""
    VENVS_DIR.mkdir(parents=True, exist_ok=True)
    venv = Venv(f"hamilton-{REFERENCE_VERSION}", VENVS_DIR / f"hamilton-{REFERENCE_VERSION}")
    if hamilton_version(venv) == REFERENCE_VERSION:
        _pip(venv, "install", "--quiet", "--upgrade", *SHARED_LIBRARIES)  # same versions as in "current"
        return venv
    _create(venv.path)
    _pip(venv, "install", "--quiet", f"apache-hamilton=={REFERENCE_VERSION}", *SHARED_LIBRARIES)
    found = hamilton_version(venv)
    if found != REFERENCE_VERSION:
        raise SystemExit(f"benchmarks: expected hamilton {REFERENCE_VERSION} in {venv.path}, found {found}")
    return venv


def _imports(venv: Venv, code: str) -> bool:
    done = subprocess.run([venv.python, "-c", code], capture_output=True, text=True, env=clean_env(), cwd=VENVS_DIR)
    return done.returncode == 0


def ensure_distributed(venvs: list[Venv], current: Venv, reuse: bool) -> dict[str, str]:
    """Install dask[distributed] and ray into ``venvs`` (reused when they import) and this repository's
    hamilton-dask / hamilton-ray into ``current`` (reinstalled unless ``reuse`` and they import).

    Returns ``{"<venv label>/<plugin dir name>": "pip: <last error line>"}`` for what could not be
    installed, so that the section reports those paths as not available instead of stopping the run.
    """
    problems: dict[str, str] = {}
    for venv in venvs:
        missing = [lib for lib, code in DISTRIBUTED_LIBRARIES.items() if not _imports(venv, code)]
        if missing:
            _pip(venv, "install", "--quiet", *missing)
    plugins_import = "import hamilton.plugins.h_dask, hamilton.plugins.dask_executor, hamilton.plugins.h_ray"
    if reuse and _imports(current, plugins_import):
        return problems
    for plugin in DISTRIBUTED_PLUGIN_DIRS:
        # One at a time, and --no-deps (the engines are installed above, core by ensure_current):
        # a plugin that does not build yet must not keep the other one out.
        args = [current.python, "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall", plugin]
        done = subprocess.run([str(a) for a in args], capture_output=True, text=True, env=clean_env())
        if done.returncode != 0:
            tail = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
            problems[f"{current.label}/{plugin.name}"] = f"pip: {tail[:300]}"
    return problems
