"""build, version and validate, with 1.x's options and output shapes (checked against 1.90)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from conftest import FLOW_1X_DATAFLOW_HASH, FLOW_1X_VERSIONS, invoke, write

from hamilton import ad_hoc_utils, driver, graph_types


def test_build_prints_the_module_stems(flow: Path, tmp_path: Path) -> None:
    other = write(tmp_path / "other_flow.py", "def c(b: int) -> int:\n    return b\n")
    run = invoke("build", flow, other)
    assert run.exit_code == 0, run
    assert run.message() == {"modules": ["flow", "other_flow"]}


def test_version_matches_hamilton_1x_hashes(flow: Path) -> None:
    run = invoke("version", flow)
    assert run.exit_code == 0, run
    assert run.message() == {"nodes_hash": FLOW_1X_VERSIONS, "dataflow_hash": FLOW_1X_DATAFLOW_HASH}


def test_version_is_cores_node_and_graph_version(flow: Path) -> None:
    module = ad_hoc_utils.module_from_source(flow.read_text())
    graph = graph_types.HamiltonGraph.from_graph(driver.Builder().with_modules(module).build().graph)
    message = invoke("version", flow).message()
    assert message["nodes_hash"] == {node.name: node.version for node in graph.nodes}
    assert message["dataflow_hash"] == graph.version


def test_version_ignores_docstrings_and_comments_but_not_code(flow: Path, tmp_path: Path) -> None:
    before = invoke("version", flow).message()
    write(flow, flow.read_text().replace('"""doc"""', '# a comment\n    """other doc"""'))
    assert invoke("version", flow).message() == before
    write(flow, flow.read_text().replace("x + 1", "x + 2"))
    after = invoke("version", flow).message()
    assert after["nodes_hash"]["a"] != before["nodes_hash"]["a"]
    assert after["nodes_hash"]["b"] == before["nodes_hash"]["b"]
    assert after["dataflow_hash"] != before["dataflow_hash"]


def test_json_out_prints_the_whole_response(flow: Path) -> None:
    run = invoke("--json-out", "version", flow)
    assert run.exit_code == 0, run
    response = run.json()
    assert response["command"] == "version"
    assert response["success"] is True
    assert response["message"]["dataflow_hash"] == FLOW_1X_DATAFLOW_HASH


def test_verbose_prints_the_commands_run_first(flow: Path) -> None:
    quiet = invoke("--json-out", "version", flow)
    assert [json.loads(line)["command"] for line in quiet.stdout.splitlines()] == ["version"]
    verbose = invoke("--verbose", "--json-out", "version", flow)
    assert [json.loads(line)["command"] for line in verbose.stdout.splitlines()] == ["build", "version"]


def test_context_config_selects_functions(tmp_path: Path) -> None:
    flow = write(
        tmp_path / "configured.py",
        """
        from hamilton.function_modifiers import config

        @config.when(mode="fast")
        def speed__fast() -> int:
            return 1

        @config.when(mode="slow")
        def speed__slow() -> int:
            return 0
        """,
    )
    context = write(tmp_path / "ctx.json", json.dumps({"HAMILTON_CONFIG": {"mode": "fast"}}))
    nodes = invoke("version", flow, "--context", context).message()["nodes_hash"]
    assert set(nodes) == {"speed", "mode"}
    assert nodes["mode"] == "mode"  # a config value is versioned by its name, as in 1.x


def test_dynamic_execution_is_enabled(tmp_path: Path) -> None:
    flow = write(
        tmp_path / "parallel.py",
        """
        from hamilton.htypes import Collect, Parallelizable

        def item(n: int) -> Parallelizable[int]:
            yield from range(n)

        def doubled(item: int) -> int:
            return item * 2

        def total(doubled: Collect[int]) -> int:
            return sum(doubled)
        """,
    )
    context = write(tmp_path / "ctx.json", json.dumps({"HAMILTON_FINAL_VARS": ["total"], "HAMILTON_INPUTS": {"n": 3}}))
    run = invoke("validate", flow, "-ctx", context)
    assert run.exit_code == 0, run


def test_validate_prints_the_context(flow: Path, tmp_path: Path) -> None:
    context = write(tmp_path / "ctx.json", json.dumps({"HAMILTON_FINAL_VARS": ["b"], "HAMILTON_INPUTS": {"x": 1}}))
    run = invoke("validate", flow, "--context", context)
    assert run.exit_code == 0, run
    assert run.message() == {
        "HAMILTON_CONFIG": {},
        "HAMILTON_FINAL_VARS": ["b"],
        "HAMILTON_INPUTS": {"x": 1},
        "HAMILTON_OVERRIDES": {},
    }


def test_validate_reads_a_python_context(flow: Path, tmp_path: Path) -> None:
    context = write(
        tmp_path / "ctx.py",
        """
        HAMILTON_FINAL_VARS = ["b"]
        HAMILTON_OVERRIDES = {"a": 10}
        """,
    )
    run = invoke("validate", flow, "--context", context)
    assert run.exit_code == 0, run
    assert run.message()["HAMILTON_OVERRIDES"] == {"a": 10}


def test_validate_requires_a_context(flow: Path) -> None:
    run = invoke("validate", flow)
    assert run.exit_code == 2  # a usage error, as in 1.x
    assert "--context" in run.stderr


def test_name_option_and_default_name(flow: Path, tmp_path: Path) -> None:
    long_name = write(tmp_path / ("x" * 30 + ".py"), "def c() -> int:\n    return 1\n")
    run = invoke("view", flow, long_name, "--renderer", "json", "-o", tmp_path)
    assert run.exit_code == 0, run
    assert Path(run.message()["path"]).name == "dag_" + ("flow_" + "x" * 30)[:40] + ".json"
    named = invoke("view", flow, "--name", "mine", "--renderer", "json", "-o", tmp_path)
    assert Path(named.message()["path"]) == tmp_path / "dag_mine.json"


def test_each_invocation_builds_its_own_driver(flow: Path, tmp_path: Path) -> None:
    other = write(tmp_path / "other.py", "def z() -> int:\n    return 1\n")
    assert set(invoke("version", flow).message()["nodes_hash"]) == {"a", "b", "x", "y"}
    assert set(invoke("version", other).message()["nodes_hash"]) == {"z"}


def test_modules_with_one_stem_do_not_clash(tmp_path: Path) -> None:
    first = write(tmp_path / "one" / "json.py", "def p() -> int:\n    return 1\n")
    second = write(tmp_path / "two" / "json.py", "def q(p: int) -> int:\n    return p\n")
    run = invoke("version", first, second)
    assert run.exit_code == 0, run
    assert set(run.message()["nodes_hash"]) == {"p", "q"}
    assert sys.modules["json"] is json  # the files named json.py did not replace the real module


def test_string_annotations_resolve(tmp_path: Path) -> None:
    flow = write(
        tmp_path / "future.py",
        """
        from __future__ import annotations

        def a(x: int) -> int:
            return x

        def b(a: int) -> list[int]:
            return [a]
        """,
    )
    context = write(tmp_path / "ctx.json", json.dumps({"HAMILTON_FINAL_VARS": ["b"], "HAMILTON_INPUTS": {"x": 1}}))
    assert invoke("validate", flow, "-ctx", context).exit_code == 0
