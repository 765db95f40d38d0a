"""Driver methods kept from 1.x: export_execution, _create_final_vars, and materialize refusing a
request that computes nothing."""

import json

import pytest

from hamilton import driver
from hamilton.io.materialization import from_


def a(x: int) -> int:
    """Adds one."""
    return x + 1


def b(a: int, y: int = 2) -> int:
    return a * y


def unrelated() -> int:
    return 0


@pytest.fixture
def dr():
    return driver.Builder().with_functions(a, b, unrelated).build()


def test_export_execution_describes_the_nodes_a_run_involves(dr):
    exported = json.loads(dr.export_execution(["b"], inputs={"x": 1}))
    described = {n["name"]: n for n in exported["nodes"]}
    assert list(described) == ["a", "b", "x"]  # sorted; y is optional and not given
    assert described["a"]["documentation"] == "Adds one."
    assert described["b"]["required_dependencies"] == ["a"]
    assert described["b"]["optional_dependencies"] == ["y"]
    assert [n["name"] for n in json.loads(dr.export_execution([b], inputs={"x": 1, "y": 3}))["nodes"]] == [
        "a",
        "b",
        "x",
        "y",
    ]


def test_export_execution_validates_the_request(dr):
    with pytest.raises(ValueError, match="x"):
        dr.export_execution(["b"])


def test_create_final_vars_names_functions_and_strings(dr):
    assert dr._create_final_vars(["b", a]) == ["b", "a"]


def test_materialize_refuses_loaders_alone(dr, tmp_path):
    path = tmp_path / "in.json"
    path.write_text("1")
    with pytest.raises(ValueError, match="No output requested"):
        dr.materialize(from_.json(target="x", path=str(path)))
