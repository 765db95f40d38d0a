"""Bad input ends with exit code 1 and ``{"error", "details"}`` naming the file or node — never a
raw traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import invoke, write


def assert_fails(run, command: str, error: str, *fragments: str) -> dict:
    """The run failed with exit code 1, the 1.x failure response, and no traceback."""
    assert run.exit_code == 1, run
    assert "Traceback" not in run.stderr + run.stdout
    response = run.failure()
    assert response["command"] == command
    assert response["success"] is False
    assert response["message"]["error"] == error
    for fragment in fragments:
        assert fragment in response["message"]["details"]
    return response


def test_missing_module_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.py"
    assert_fails(invoke("build", missing), "build", "<class 'FileNotFoundError'>", str(missing), "does not exist")


def test_module_path_that_is_a_folder(tmp_path: Path) -> None:
    assert_fails(invoke("version", tmp_path), "version", "<class 'IsADirectoryError'>", str(tmp_path), "folder")


def test_module_with_a_syntax_error(tmp_path: Path) -> None:
    broken = write(tmp_path / "broken.py", "def a() -> int:\n    return 1\n\ndef (:\n")
    assert_fails(invoke("build", broken), "build", "<class 'SyntaxError'>", str(broken), "line 4")


def test_module_that_raises_when_imported(tmp_path: Path) -> None:
    broken = write(tmp_path / "raises.py", "import definitely_not_a_module_xyz\n")
    assert_fails(
        invoke("build", broken), "build", "<class 'ImportError'>", str(broken), "definitely_not_a_module_xyz", "line 1"
    )


def test_module_that_is_not_utf8(tmp_path: Path) -> None:
    binary = tmp_path / "binary.py"
    binary.write_bytes(b"\xff\xfe\x00def")
    assert_fails(invoke("build", binary), "build", "<class 'ImportError'>", str(binary), "UTF-8")


def test_invalid_dataflow_names_the_function(tmp_path: Path) -> None:
    bad = write(
        tmp_path / "bad_types.py",
        """
        def a() -> int:
            return 1

        def b(a: str) -> str:
            return a
        """,
    )
    run = invoke("build", bad)
    assert run.exit_code == 1, run
    assert "Traceback" not in run.stderr
    details = run.failure()["message"]["details"]
    assert "node 'b'" in details
    assert f"{bad}:5" in details  # the consumer, where it is defined


@pytest.mark.parametrize("extension", [".yaml", ".toml", ".txt", ""])
def test_context_file_of_a_bad_type(flow: Path, tmp_path: Path, extension: str) -> None:
    context = write(tmp_path / f"ctx{extension}", "HAMILTON_CONFIG: {}\n")
    assert_fails(
        invoke("version", flow, "--context", context),
        "version",
        "<class 'ValueError'>",
        f"Received extension `{extension}` is unsupported",
        str(context),
    )


def test_missing_context_file(flow: Path, tmp_path: Path) -> None:
    missing = tmp_path / "ctx.json"
    assert_fails(invoke("build", flow, "-ctx", missing), "build", "<class 'FileNotFoundError'>", str(missing))


def test_context_file_that_is_not_json(flow: Path, tmp_path: Path) -> None:
    context = write(tmp_path / "ctx.json", '{"HAMILTON_CONFIG": {,}}')
    assert_fails(invoke("build", flow, "-ctx", context), "build", "<class 'ValueError'>", str(context), "line 1")


def test_context_file_that_is_not_an_object(flow: Path, tmp_path: Path) -> None:
    context = write(tmp_path / "ctx.json", "[1, 2]")
    assert_fails(invoke("build", flow, "-ctx", context), "build", "<class 'ValueError'>", str(context), "JSON object")


def test_context_value_of_the_wrong_type(flow: Path, tmp_path: Path) -> None:
    context = write(tmp_path / "ctx.json", json.dumps({"HAMILTON_INPUTS": ["x"]}))
    assert_fails(
        invoke("build", flow, "-ctx", context), "build", "<class 'ValueError'>", "HAMILTON_INPUTS", "dict", str(context)
    )


def test_python_context_that_raises(flow: Path, tmp_path: Path) -> None:
    context = write(tmp_path / "ctx.py", "HAMILTON_CONFIG = {}\nraise RuntimeError('no config today')\n")
    assert_fails(
        invoke("build", flow, "-ctx", context), "build", "<class 'ImportError'>", str(context), "no config today"
    )


def test_validate_names_the_missing_input(flow: Path, tmp_path: Path) -> None:
    context = write(tmp_path / "ctx.json", json.dumps({"HAMILTON_FINAL_VARS": ["b"]}))
    response = assert_fails(
        invoke("validate", flow, "-ctx", context), "validate", "<class 'hamilton.errors.InvalidInputsError'>"
    )
    assert "Required input x not provided for nodes: ['a']" in response["message"]["details"]


def test_validate_names_an_unknown_output(flow: Path, tmp_path: Path) -> None:
    context = write(tmp_path / "ctx.json", json.dumps({"HAMILTON_FINAL_VARS": ["bb"], "HAMILTON_INPUTS": {"x": 1}}))
    run = invoke("validate", flow, "-ctx", context)
    assert run.exit_code == 1, run
    assert "bb" in run.failure()["message"]["details"]


def test_json_out_also_prints_the_failure_as_json(tmp_path: Path) -> None:
    run = invoke("--json-out", "build", tmp_path / "nope.py")
    assert run.exit_code == 1
    response = json.loads(run.stdout)
    assert response == run.failure()
    assert response["message"]["error"] == "<class 'FileNotFoundError'>"


def test_a_failing_step_stops_the_chain(tmp_path: Path) -> None:
    run = invoke("--json-out", "diff", tmp_path / "nope.py")
    assert run.exit_code == 1
    # labelled with the invoked command; the message names the step that failed
    assert run.failure()["command"] == "diff"
    assert run.failure()["message"]["step"] == "build"
    assert [json.loads(line)["command"] for line in run.stdout.splitlines()] == ["diff"]
