"""The installed `hamilton` console script and `python -m hamilton.cli`, as users run them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FLOW_1X_DATAFLOW_HASH, run_script, write


@pytest.mark.parametrize("module", [False, True], ids=["console-script", "python-m"])
def test_version_json(flow: Path, module: bool) -> None:
    run = run_script("--json-out", "version", flow, module=module)
    assert run.exit_code == 0, run
    assert run.json()["message"]["dataflow_hash"] == FLOW_1X_DATAFLOW_HASH
    assert run.stderr == ""


@pytest.mark.parametrize("module", [False, True], ids=["console-script", "python-m"])
def test_help_lists_every_command(module: bool) -> None:
    run = run_script("--help", module=module)
    assert run.exit_code == 0, run
    assert "Usage: hamilton" in run.stdout
    for command in ("build", "diff", "validate", "version", "view", "plugins", "ui"):
        assert command in run.stdout


def test_validate_in_ci_style(flow: Path, tmp_path: Path) -> None:
    """What a CI job does: validate with a context, read the JSON, rely on the exit code."""
    good = write(tmp_path / "good.json", json.dumps({"HAMILTON_FINAL_VARS": ["b"], "HAMILTON_INPUTS": {"x": 1}}))
    bad = write(tmp_path / "bad.json", json.dumps({"HAMILTON_FINAL_VARS": ["b"]}))
    ok = run_script("--json-out", "validate", flow, "--context", good, cwd=tmp_path)
    assert ok.exit_code == 0, ok
    assert ok.json()["success"] is True
    failed = run_script("--json-out", "validate", flow, "--context", bad, cwd=tmp_path)
    assert failed.exit_code == 1, failed
    response = failed.json()
    assert response["success"] is False
    assert "Required input x not provided" in response["message"]["details"]
    assert "Traceback" not in failed.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json", "flow.py", "good.json"]


def test_syntax_error_through_the_console_script(tmp_path: Path) -> None:
    broken = write(tmp_path / "broken.py", "def (:\n")
    run = run_script("build", broken)
    assert run.exit_code == 1, run
    assert "Traceback" not in run.stderr
    assert f"cannot load module {broken}" in run.failure()["message"]["details"]


def test_no_command_shows_help() -> None:
    run = run_script()
    assert "Usage: hamilton" in run.stdout + run.stderr
