"""The 1.x helper API of hamilton.cli.logic, and properties over many inputs (hypothesis)."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest
from conftest import FLOW_1X_DATAFLOW_HASH, FLOW_1X_VERSIONS, GitRepo, write
from hypothesis import given
from hypothesis import strategies as st

from hamilton.cli import commands, logic

names = st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=8)
versions = st.dictionaries(names, st.sampled_from(["h1", "h2", "h3"]), max_size=12)


@given(versions, versions)
def test_diff_versions_partitions_the_names(current: dict[str, str], reference: dict[str, str]) -> None:
    diff = logic.diff_versions(current_map=current, reference_map=reference)
    assert set(diff["current_only"]) == set(current) - set(reference)
    assert set(diff["reference_only"]) == set(reference) - set(current)
    assert set(diff["edit"]) == {name for name in set(current) & set(reference) if current[name] != reference[name]}
    assert logic.diff_versions(current_map=current, reference_map=current) == {
        "current_only": [],
        "reference_only": [],
        "edit": [],
    }


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@given(
    config=st.dictionaries(st.text(max_size=6), json_values, max_size=4),
    final_vars=st.lists(st.text(max_size=6), max_size=4),
    inputs=st.dictionaries(st.text(max_size=6), json_values, max_size=4),
    present=st.sets(st.sampled_from(list(logic.CONTEXT_KEYS))),
)
def test_json_context_round_trip(
    tmp_path_factory: pytest.TempPathFactory, config: dict, final_vars: list, inputs: dict, present: set
) -> None:
    values = {
        logic.CONFIG_HEADER: config,
        logic.FINAL_VARS_HEADER: final_vars,
        logic.INPUTS_HEADER: inputs,
        logic.OVERRIDES_HEADER: {},
    }
    path = tmp_path_factory.mktemp("ctx") / "ctx.json"
    path.write_text(json.dumps({key: value for key, value in values.items() if key in present}))
    loaded = logic.load_context(path)
    assert list(loaded) == list(logic.CONTEXT_KEYS)
    for key, value in values.items():
        assert loaded[key] == (value if key in present else type(value)())


@given(key=st.sampled_from(list(logic.CONTEXT_KEYS)), value=st.integers() | st.text(max_size=3) | st.booleans())
def test_json_context_of_the_wrong_type_names_the_key(
    tmp_path_factory: pytest.TempPathFactory, key: str, value
) -> None:
    path = tmp_path_factory.mktemp("ctx") / "ctx.json"
    path.write_text(json.dumps({key: value}))
    with pytest.raises(ValueError, match=key):
        logic.load_context(path)


def test_helpers_hash_like_1x(flow: Path) -> None:
    dr = commands.build([flow])
    nodes = logic.hash_hamilton_nodes(dr)
    assert nodes == FLOW_1X_VERSIONS
    assert logic.hash_dataflow(nodes) == FLOW_1X_DATAFLOW_HASH
    assert commands.version(dr) == {"nodes_hash": FLOW_1X_VERSIONS, "dataflow_hash": FLOW_1X_DATAFLOW_HASH}
    assert logic.map_nodes_to_functions(dr) == {"a": "a", "b": "b", "x": "a", "y": "b"}
    module = logic.load_modules([flow])[0]
    assert logic.version_hamilton_functions(module) == {"a": FLOW_1X_VERSIONS["a"], "b": FLOW_1X_VERSIONS["b"]}


def test_load_modules_from_git_and_get_git_reference(repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.commit({"flow.py": "def a() -> int:\n    return 1\n"})
    write(repo.root / "flow.py", "def a() -> int:\n    return 2\n")
    (module,) = logic.load_modules_from_git([repo.root / "flow.py"], "HEAD")
    assert module.a() == 1
    monkeypatch.chdir(repo.root)  # 1.x's helpers work from the repository's folder
    assert Path(logic.get_git_base_directory()).resolve() == repo.root.resolve()
    assert logic.get_git_reference("flow.py", "HEAD") == "def a() -> int:\n    return 1\n"
    assert logic.get_git_reference("absent.py", "HEAD") is None


def test_visualize_diff_returns_a_digraph(flow: Path, tmp_path: Path) -> None:
    pytest.importorskip("graphviz")
    if not __import__("importlib").util.find_spec("hamilton.plugins.viz_graphviz"):
        pytest.skip("hamilton-viz-graphviz is not installed")
    other = write(
        tmp_path / "other.py", "def a(x: int) -> int:\n    return x - 1\n\ndef c(a: int) -> int:\n    return a\n"
    )
    current, reference = commands.build([other]), commands.build([flow])
    changes = logic.diff_versions(logic.hash_hamilton_nodes(current), logic.hash_hamilton_nodes(reference))
    dot = logic.visualize_diff(current, reference, **changes)
    for legend in ("Current only", "Reference only", "Edited"):
        assert legend in dot.source
