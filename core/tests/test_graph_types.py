"""HamiltonNode and HamiltonGraph: the read-only views of nodes and graphs users get from the
driver (fields, as_dict, repr, code versions) — Hamilton 1.x contract.
"""

import hashlib
import inspect
import re
import typing

import pytest
from resources import gt_flow, gt_version_changed, gt_version_original, gt_version_reformatted

from hamilton import driver
from hamilton.graph_types import HamiltonGraph, HamiltonNode

SHA256_HEX = re.compile(r"[0-9a-f]{64}")


def build(*modules, config=None):
    return driver.Builder().with_modules(*modules).with_config(config or {}).build()


@pytest.fixture
def nodes():
    dr = build(gt_flow, config={"cfg": 1})
    return {n.name: n for n in dr.list_available_variables()}


def graph_of(*modules, config=None):
    return HamiltonGraph.from_graph(build(*modules, config=config).graph)


def test_driver_variable_is_hamilton_node(nodes):
    assert driver.Variable is HamiltonNode
    assert all(isinstance(n, HamiltonNode) for n in nodes.values())


# -- fields --------------------------------------------------------------------------------------


def test_function_node_fields(nodes):
    total = nodes["total"]
    assert total.name == "total"
    assert total.type is float
    assert total.tags == {"module": gt_flow.__name__}
    assert total.is_external_input is False
    assert total.originating_functions == (gt_flow.total,)
    assert total.documentation == "Amount with the rate applied."
    assert total.required_dependencies == {"amount"}
    assert total.optional_dependencies == {"rate"}
    assert total.optional_dependencies_default_values == {"rate": 0.1}


def test_optional_default_values_include_none(nodes):
    report = nodes["report"]
    assert report.required_dependencies == {"total"}
    assert report.optional_dependencies == {"label", "currency"}
    assert report.optional_dependencies_default_values == {"label": "total", "currency": None}
    assert report.documentation == ""


def test_node_without_dependencies(nodes):
    items = nodes["items"]
    assert items.type == list[int]
    assert items.required_dependencies == set()
    assert items.optional_dependencies == set()
    assert items.optional_dependencies_default_values == {}


def test_external_input_fields(nodes):
    amount = nodes["amount"]
    assert amount.type is float
    assert amount.tags == {}
    assert amount.is_external_input is True
    assert amount.originating_functions == (gt_flow.total,)
    assert amount.documentation == ""
    assert amount.required_dependencies == set()
    assert amount.optional_dependencies == set()
    assert amount.optional_dependencies_default_values == {}


def test_optional_input_is_typed_by_its_parameter(nodes):
    assert nodes["rate"].is_external_input
    assert nodes["rate"].type is float
    assert nodes["currency"].type == typing.Optional[str]  # noqa: UP045


def test_config_node_fields(nodes):
    cfg = nodes["cfg"]
    assert cfg.type is typing.Any
    assert cfg.is_external_input is True
    assert cfg.originating_functions is None
    assert cfg.tags == {}
    assert cfg.required_dependencies == set()


# -- as_dict and repr ----------------------------------------------------------------------------


def test_as_dict_of_a_function_node(nodes):
    total = nodes["total"]
    assert total.as_dict() == {
        "name": "total",
        "tags": {"module": gt_flow.__name__},
        "output_type": "float",
        "required_dependencies": ["amount"],
        "optional_dependencies": ["rate"],
        "source": inspect.getsource(gt_flow.total),
        "documentation": "Amount with the rate applied.",
        "version": total.version,
    }


def test_as_dict_sorts_dependencies(nodes):
    assert nodes["report"].as_dict()["optional_dependencies"] == ["currency", "label"]


def test_as_dict_can_include_default_values(nodes):
    described = nodes["report"].as_dict(include_optional_dependencies_default_values=True)
    assert described["optional_dependencies_default_values"] == {"label": "total", "currency": None}
    assert "optional_dependencies_default_values" not in nodes["report"].as_dict()


def test_as_dict_of_an_input(nodes):
    described = nodes["amount"].as_dict()
    assert set(described) == {
        "name",
        "tags",
        "output_type",
        "required_dependencies",
        "optional_dependencies",
        "source",
        "documentation",
        "version",
    }
    assert described["name"] == "amount"
    assert described["tags"] == {}
    assert described["output_type"] == "float"
    assert described["required_dependencies"] == []
    assert described["optional_dependencies"] == []
    assert described["documentation"] == ""


def test_as_dict_of_a_config_node(nodes):
    described = nodes["cfg"].as_dict()
    assert described["output_type"] == "Any"
    assert described["source"] is None
    assert described["version"] == "cfg"


def test_as_dict_output_type_of_generics_is_the_origin_name(nodes):
    assert nodes["items"].as_dict()["output_type"] == "list"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("total", 'Node("total": float)'),
        ("report", 'Node("report": str)'),
        ("items", 'Node("items": list)'),
        ("currency", 'Node("currency": Optional)'),
        ("cfg", 'Node("cfg": Any)'),
    ],
)
def test_repr(nodes, name, expected):
    assert repr(nodes[name]) == expected


# -- versions ------------------------------------------------------------------------------------


def measure_version(module):
    return {n.name: n for n in build(module).list_available_variables()}["measure"].version


def test_version_is_a_sha256_of_the_code():
    assert SHA256_HEX.fullmatch(measure_version(gt_version_original))


def test_version_is_stable_across_builds():
    assert measure_version(gt_version_original) == measure_version(gt_version_original)


def test_version_ignores_layout_comments_and_docstrings():
    assert measure_version(gt_version_original) == measure_version(gt_version_reformatted)


def test_version_changes_with_the_code():
    assert measure_version(gt_version_original) != measure_version(gt_version_changed)


def test_config_node_version_is_its_name(nodes):
    assert nodes["cfg"].version == "cfg"


def test_input_version_and_source_come_from_its_first_consumer(nodes):
    assert nodes["amount"].version == nodes["total"].version
    assert nodes["amount"].as_dict()["source"] == inspect.getsource(gt_flow.total)


# -- HamiltonGraph -------------------------------------------------------------------------------


def test_graph_from_graph_has_every_node_in_order():
    dr = build(gt_flow, config={"cfg": 1})
    graph = HamiltonGraph.from_graph(dr.graph)
    assert [n.name for n in graph.nodes] == [n.name for n in dr.list_available_variables()]
    assert all(isinstance(n, HamiltonNode) for n in graph.nodes)


def test_graph_getitem():
    graph = graph_of(gt_flow)
    assert graph["total"].name == "total"
    assert graph["total"].required_dependencies == {"amount"}
    with pytest.raises(KeyError):
        graph["nope"]


def test_graph_filter_nodes():
    graph = graph_of(gt_flow, config={"cfg": 1})
    inputs = graph.filter_nodes(lambda n: n.is_external_input)
    assert [n.name for n in inputs] == ["label", "currency", "amount", "rate", "cfg"]
    assert graph.filter_nodes(lambda n: False) == []


def test_graph_version_is_stable_across_builds():
    assert graph_of(gt_flow).version == graph_of(gt_flow).version
    assert SHA256_HEX.fullmatch(graph_of(gt_flow).version)


def test_graph_version_ignores_layout_comments_and_docstrings():
    assert graph_of(gt_version_original).version == graph_of(gt_version_reformatted).version


def test_graph_version_changes_with_the_code():
    assert graph_of(gt_version_original).version != graph_of(gt_version_changed).version


def test_graph_version_hashes_the_sorted_node_versions():
    graph = graph_of(gt_flow, config={"cfg": 1})
    expected = hashlib.sha256(str(sorted(n.version for n in graph.nodes)).encode()).hexdigest()
    assert graph.version == expected


def test_graph_version_changes_when_a_node_is_added():
    assert graph_of(gt_version_original).version != graph_of(gt_version_original, gt_flow).version


def test_code_versions_are_remembered_per_code_object_and_follow_a_replaced_code():
    from hamilton import ad_hoc_utils, graph_types

    module = ad_hoc_utils.module_from_source(
        "def f(x: int) -> int:\n    return x + 1\n\ndef g(x: int) -> int:\n    return x + 2\n", "versioned"
    )
    first = graph_types.code_version(module.f)
    assert first == graph_types.hash_source_code(module.f, strip=True)
    assert graph_types.code_version(module.f) == first
    module.f.__code__ = module.g.__code__  # the function now runs g's code, so it has g's version
    assert graph_types.code_version(module.f) == graph_types.code_version(module.g) != first
