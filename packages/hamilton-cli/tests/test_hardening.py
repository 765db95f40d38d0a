"""Sharp edges of the CLI: output folders, failure labels, usage text, sibling imports, typos."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from conftest import invoke, run_script, write

needs_mermaid = pytest.mark.skipif(
    importlib.util.find_spec("hamilton.plugins.viz_mermaid") is None, reason="hamilton-viz-mermaid is not installed"
)


@needs_mermaid
def test_view_into_a_new_folder_with_a_trailing_slash_writes_inside_it(flow: Path, tmp_path: Path) -> None:
    run = run_script("view", flow, "--renderer", "mermaid", "-o", "newdir/", cwd=tmp_path)
    assert run.exit_code == 0, run
    assert (tmp_path / "newdir").is_dir()
    assert run.message() == {"path": str(tmp_path / "newdir" / "dag_flow.mmd")}
    assert "spend" not in (tmp_path / "newdir" / "dag_flow.mmd").read_text()
    assert "b" in (tmp_path / "newdir" / "dag_flow.mmd").read_text()


def test_json_view_into_a_new_nested_folder(flow: Path, tmp_path: Path) -> None:
    run = invoke("view", flow, "--renderer", "json", "-o", f"{tmp_path / 'a' / 'b'}/")
    assert run.exit_code == 0, run
    written = tmp_path / "a" / "b" / "dag_flow.json"
    assert json.loads(written.read_text())


@pytest.mark.parametrize("command", ["view", "validate"])
def test_a_build_failure_is_labelled_with_the_invoked_command(command: str, tmp_path: Path) -> None:
    broken = write(tmp_path / "broken.py", "def a(x: int) -> int:\n    return x\nraise RuntimeError('boom')\n")
    context = write(tmp_path / "ctx.json", '{"HAMILTON_FINAL_VARS": ["a"], "HAMILTON_INPUTS": {"x": 1}}')
    args = ["--context", context] if command == "validate" else ["--renderer", "json"]
    run = invoke(command, broken, *args)
    assert run.exit_code == 1, run
    failure = run.failure()
    assert failure["command"] == command
    assert "boom" in failure["message"]["details"]


def test_a_validate_failure_is_labelled_validate(flow: Path, tmp_path: Path) -> None:
    context = write(tmp_path / "ctx.json", '{"HAMILTON_FINAL_VARS": ["nope"]}')
    run = invoke("--json-out", "validate", flow, "--context", context)
    assert run.exit_code == 1, run
    assert run.failure()["command"] == "validate"


@pytest.mark.parametrize("command", ["build", "view", "version", "validate", "diff"])
def test_usage_names_the_modules_argument(command: str) -> None:
    run = invoke(command, "--help")
    assert run.exit_code == 0, run
    assert "MODULES..." in run.stdout
    assert "{modules}" not in run.stdout


def test_a_module_imports_its_sibling_helpers_from_its_own_folder(tmp_path: Path) -> None:
    folder = tmp_path / "project"
    write(folder / "helpers_h17.py", "def double(v: int) -> int:\n    return 2 * v\n")
    flow = write(
        folder / "flow_h17.py", "from helpers_h17 import double\n\ndef a(x: int) -> int:\n    return double(x)\n"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = run_script("build", flow, cwd=elsewhere)  # as `python project/flow_h17.py` would, from anywhere
    assert run.exit_code == 0, run
    assert run.message() == {"modules": ["flow_h17"]}


def test_a_misspelled_renderer_gets_a_did_you_mean(flow: Path, tmp_path: Path) -> None:
    run = invoke("view", flow, "--renderer", "jsno", "-o", tmp_path)
    assert run.exit_code == 1, run
    failure = run.failure()
    assert failure["command"] == "view"
    assert "Did you mean 'json'?" in failure["message"]["details"]
