"""Shared helpers: writing dataflow files, running the CLI in-process (typer's CliRunner) and as
the installed console script, and real git repositories."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import configuration, settings
from typer.testing import CliRunner

from hamilton.cli.__main__ import cli

_HYPOTHESIS_HOME = tempfile.mkdtemp(prefix="hamilton-cli-hypothesis-")
configuration.set_hypothesis_home_dir(_HYPOTHESIS_HOME)
# CI explores the same examples on every run (derandomize): a property test that finds a new
# counterexample by chance fails a local run, where it can be fixed, not an unrelated CI run.
settings.register_profile("ci", deadline=None, print_blob=True, database=None, derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

REQUIRE_DOT_ENV = "HAMILTON_REQUIRE_DOT"
GIT = shutil.which("git") or "/usr/bin/git"

# The dataflow whose versions were checked against Hamilton 1.90's `hamilton version`.
FLOW = '''\
"""A flow."""
def a(x: int) -> int:
    """doc"""
    return x + 1

def b(a: int, y: int = 2) -> int:
    return a * y
'''
FLOW_1X_VERSIONS = {
    "a": "a02b47f60e1302fb879091094cccdcc0645580157738139364abda7f88392a36",
    "b": "cbe5876261bddb290635ed45b6918057aca892e3199440b4431508e3076c25e7",
    "x": "a02b47f60e1302fb879091094cccdcc0645580157738139364abda7f88392a36",
    "y": "cbe5876261bddb290635ed45b6918057aca892e3199440b4431508e3076c25e7",
}
FLOW_1X_DATAFLOW_HASH = "0b4ca4a8d61edf933cf71564bed1934272e95dc3be250f5d0c5768c7acbc6203"


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    shutil.rmtree(_HYPOTHESIS_HOME, ignore_errors=True)


def write(path: Path, source: str) -> Path:
    """Write ``source`` (dedented) to ``path`` and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


class Run:
    """One CLI invocation's exit code, stdout and stderr."""

    def __init__(self, exit_code: int, stdout: str, stderr: str):
        self.exit_code, self.stdout, self.stderr = exit_code, stdout, stderr

    def json(self) -> dict[str, Any]:
        """The JSON response on stdout (``--json-out``)."""
        return json.loads(self.stdout)

    def message(self) -> Any:
        """The printed (pprint) message on stdout."""
        return ast.literal_eval(self.stdout)

    def failure(self) -> dict[str, Any]:
        """The failure response printed on stderr: ``{"command", "success", "message"}``."""
        lines = [line for line in self.stderr.splitlines() if line.startswith("{'command'")]
        assert lines, f"no failure response on stderr: {self.stderr!r}"
        return ast.literal_eval(lines[-1])

    def __repr__(self) -> str:
        return f"Run(exit_code={self.exit_code}, stdout={self.stdout!r}, stderr={self.stderr!r})"


def _runner() -> CliRunner:
    try:  # click < 8.2 mixes stderr into stdout unless told not to
        return CliRunner(mix_stderr=False)
    except TypeError:
        return CliRunner()


def invoke(*args: str | os.PathLike[str], env: dict[str, str] | None = None) -> Run:
    """Run ``hamilton *args`` in this process with typer's CliRunner."""
    result = _runner().invoke(cli, [str(arg) for arg in args], env=env, catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


def console_script() -> str:
    """The installed ``hamilton`` console script of this environment."""
    script = Path(sys.executable).with_name("hamilton.exe" if os.name == "nt" else "hamilton")
    assert script.exists(), f"the hamilton console script is not installed next to {sys.executable}"
    return str(script)


def run_script(
    *args: str | os.PathLike[str], cwd: Path | None = None, env: dict[str, str] | None = None, module: bool = False
) -> Run:
    """Run the installed ``hamilton`` console script (or ``python -m hamilton.cli``) in a subprocess."""
    command = [sys.executable, "-m", "hamilton.cli"] if module else [console_script()]
    environment = {**os.environ, **(env or {})}
    result = subprocess.run(
        [*command, *map(str, args)], capture_output=True, text=True, cwd=cwd, env=environment, check=False
    )
    return Run(result.returncode, result.stdout, result.stderr)


@pytest.fixture
def flow(tmp_path: Path) -> Path:
    return write(tmp_path / "flow.py", FLOW)


@pytest.fixture
def dot_program() -> None:
    """Skip where Graphviz's `dot` or hamilton-viz-graphviz is missing, unless HAMILTON_REQUIRE_DOT
    is set (as in CI), where that is a failure."""
    import importlib.util

    missing = []
    if shutil.which("dot") is None:
        missing.append("Graphviz's `dot` program")
    if importlib.util.find_spec("hamilton.plugins.viz_graphviz") is None:
        missing.append("hamilton-viz-graphviz")
    if missing:
        reason = f"{' and '.join(missing)} not installed"
        if os.environ.get(REQUIRE_DOT_ENV, "") not in ("", "0"):
            pytest.fail(f"{reason}; {REQUIRE_DOT_ENV} is set, so this is a failure, not a skip")
        pytest.skip(reason)


needs_dot = pytest.mark.usefixtures("dot_program")


class GitRepo:
    """A real git repository in a temporary folder."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q")
        self.git("config", "user.name", "Hamilton CLI tests")
        self.git("config", "user.email", "cli-tests@example.invalid")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str) -> str:
        result = subprocess.run([GIT, "-C", str(self.root), *args], capture_output=True, text=True, check=True)
        return result.stdout.strip()

    def commit(self, files: dict[str, str], message: str = "change") -> str:
        """Write ``files`` (relative path -> source), commit them, return the commit's sha."""
        for name, source in files.items():
            write(self.root / name, source)
            self.git("add", name)
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    return GitRepo(tmp_path / "repo")
