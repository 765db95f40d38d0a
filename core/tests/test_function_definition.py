"""Which functions become nodes, and what a plain function declares: name, type, docs, tags,
dependencies (required/optional), external inputs, config and duplicates (Hamilton 1.x contract).
"""

import typing

import pytest
from resources import (
    fd_alias,
    fd_async,
    fd_basic,
    fd_config,
    fd_dup_first,
    fd_dup_second,
    fd_future_annotations,
    fd_inputs,
    fd_keyword_only,
    fd_missing_param,
    fd_missing_return,
    fd_optional,
    fd_package,
    fd_var_keyword,
    fd_var_positional,
    fd_wrapped,
)
from resources.fd_package import sub as fd_package_sub

from hamilton import base, driver


def build(*modules, config=None, allow_module_overrides=False):
    builder = driver.Builder().with_modules(*modules).with_config(config or {})
    if allow_module_overrides:
        builder = builder.allow_module_overrides()
    return builder.build()


def nodes_by_name(dr):
    return {n.name: n for n in dr.list_available_variables()}


def function_node_names(dr):
    """Names of nodes computed by functions (inputs and config excluded), in graph order."""
    return [n.name for n in dr.list_available_variables() if not n.is_external_input]


# -- which callables become nodes ------------------------------------------------------------


def test_public_functions_of_the_module_become_nodes_in_alphabetical_order():
    dr = build(fd_basic)
    assert function_node_names(dr) == ["alpha", "middle__suffix", "zeta"]


def test_private_imported_and_non_function_members_are_not_nodes():
    names = set(nodes_by_name(build(fd_basic)))
    # helpers, imported functions, builtins, partials, classes and their methods are skipped
    for excluded in (
        "_private_helper",
        "imported_function",
        "join",
        "re_exported_join",
        "sqrt",
        "square_root",
        "partially_applied",
        "NotANode",
        "method",
        "CONSTANT",
    ):
        assert excluded not in names


def test_external_inputs_come_after_the_function_nodes():
    dr = build(fd_basic)
    assert [n.name for n in dr.list_available_variables()] == ["alpha", "middle__suffix", "zeta", "seed"]


def test_functions_re_exported_from_a_submodule_of_the_package_are_nodes():
    dr = build(fd_package)
    assert function_node_names(dr) == ["from_submodule", "package_level"]
    assert nodes_by_name(dr)["from_submodule"].tags["module"] == fd_package_sub.__name__
    assert dr.execute(["package_level"], inputs={"seed": 2}) == {"package_level": 21}


def test_wrapped_functions_belong_to_the_module_of_the_function_they_wrap():
    dr = build(fd_wrapped)
    # `decorated` wraps a function of fd_wrapped; `rewrapped` wraps one of fd_helpers.
    assert function_node_names(dr) == ["decorated"]
    assert dr.execute(["decorated"], inputs={"seed": 1}) == {"decorated": 101}


def test_async_function_does_not_break_building_a_sync_driver():
    dr = build(fd_async)
    nodes = nodes_by_name(dr)
    assert set(function_node_names(dr)) == {"fetched", "plain"}
    assert nodes["fetched"].type is int
    assert nodes["fetched"].required_dependencies == {"seed"}
    # nodes that are not async still run
    assert dr.execute(["plain"], inputs={"seed": 3}) == {"plain": 3}


# -- what one function declares --------------------------------------------------------------


def test_node_name_is_the_function_name_even_with_a_double_underscore():
    dr = build(fd_basic)
    assert "middle__suffix" in nodes_by_name(dr)
    assert "middle" not in nodes_by_name(dr)
    assert dr.execute(["middle__suffix"], inputs={"seed": 4}) == {"middle__suffix": "8"}


def test_node_type_is_the_return_annotation():
    nodes = nodes_by_name(build(fd_basic))
    assert nodes["alpha"].type is int
    assert nodes["middle__suffix"].type is str


def test_documentation_is_the_docstring_or_empty():
    nodes = nodes_by_name(build(fd_basic))
    assert nodes["zeta"].documentation == "The last node alphabetically, defined first."
    assert nodes["middle__suffix"].documentation == "Keeps its double underscore."
    assert nodes["alpha"].documentation == ""


def test_function_nodes_are_tagged_with_their_module():
    nodes = nodes_by_name(build(fd_basic))
    assert nodes["alpha"].tags == {"module": fd_basic.__name__}
    assert nodes["zeta"].tags == {"module": fd_basic.__name__}
    assert nodes["seed"].tags == {}


def test_originating_function_is_the_defining_function():
    nodes = nodes_by_name(build(fd_basic))
    assert nodes["alpha"].originating_functions == (fd_basic.alpha,)


def test_parameters_are_dependencies():
    nodes = nodes_by_name(build(fd_basic))
    assert nodes["zeta"].required_dependencies == {"alpha"}
    assert nodes["alpha"].required_dependencies == {"seed"}
    assert nodes["zeta"].optional_dependencies == set()


def test_each_parameter_is_fed_by_the_node_of_the_same_name():
    dr = build(fd_basic)
    assert dr.execute(["zeta", "alpha"], inputs={"seed": 5}) == {"zeta": 11, "alpha": 10}


def test_missing_return_annotation_is_rejected_at_build():
    with pytest.raises(ValueError, match="Missing type hint for return value in function unannotated_return"):
        build(fd_missing_return)


def test_missing_parameter_annotation_is_rejected_at_build():
    with pytest.raises(ValueError, match="Missing type hint for seed in function unannotated_param"):
        build(fd_missing_param)


# -- optional dependencies -------------------------------------------------------------------


def test_parameters_with_defaults_are_optional_dependencies():
    nodes = nodes_by_name(build(fd_optional))
    assert nodes["with_default"].required_dependencies == {"required"}
    assert nodes["with_default"].optional_dependencies == {"maybe"}
    assert nodes["with_default"].optional_dependencies_default_values == {"maybe": 10}
    assert nodes["maybe"].is_external_input


def test_absent_optional_input_is_pruned_and_the_default_used():
    dr = build(fd_optional)
    assert dr.execute(["with_default"], inputs={"required": 1}) == {"with_default": 11}
    assert dr.execute(["echo_optional"]) == {"echo_optional": "7"}


def test_given_optional_input_is_passed():
    dr = build(fd_optional)
    assert dr.execute(["with_default"], inputs={"required": 1, "maybe": 2}) == {"with_default": 3}


def test_optional_input_given_as_none_is_passed_as_none():
    dr = build(fd_optional)
    assert dr.execute(["echo_optional"], inputs={"value": None}) == {"echo_optional": "None"}


def test_optional_dependency_on_a_function_node_is_computed():
    dr = build(fd_optional)
    assert dr.execute(["uses_computed"], inputs={"required": 2}) == {"uses_computed": 200}


def test_missing_optional_inputs_do_not_fail_validation():
    dr = build(fd_optional)
    dr.validate_execution(["with_default", "echo_optional"], inputs={"required": 1})


def test_keyword_only_parameter_with_default_is_optional():
    # Deliberate 2.0 behaviour (1.x wrongly treats it as required).
    dr = build(fd_keyword_only)
    nodes = nodes_by_name(dr)
    assert nodes["scaled"].required_dependencies == {"base"}
    assert nodes["scaled"].optional_dependencies == {"factor"}
    assert dr.execute(["scaled"], inputs={"base": 3}) == {"scaled": 6}
    assert dr.execute(["scaled"], inputs={"base": 3, "factor": 5}) == {"scaled": 15}


def test_keyword_only_parameter_without_default_is_required():
    dr = build(fd_keyword_only)
    assert nodes_by_name(dr)["shifted"].required_dependencies == {"base", "shift"}
    assert dr.execute(["shifted"], inputs={"base": 3, "shift": 1}) == {"shifted": 4}


@pytest.mark.parametrize("module", [fd_var_positional, fd_var_keyword], ids=["args", "kwargs"])
def test_variadic_parameters_are_rejected_at_build(module):
    # Deliberate 2.0 behaviour (1.x creates nodes literally named args/kwargs).
    with pytest.raises(ValueError):
        build(module)


# -- external inputs -------------------------------------------------------------------------


def test_unproduced_parameters_become_external_inputs():
    nodes = nodes_by_name(build(fd_inputs))
    shared = nodes["shared"]
    assert shared.is_external_input
    assert shared.type is int
    assert shared.required_dependencies == set()
    assert shared.optional_dependencies == set()
    assert nodes["only_a"].type is str
    assert not nodes["a_consumer"].is_external_input


def test_external_input_originates_from_its_first_consumer():
    nodes = nodes_by_name(build(fd_inputs))
    assert nodes["shared"].originating_functions == (fd_inputs.a_consumer,)
    assert nodes["only_a"].originating_functions == (fd_inputs.a_consumer,)


def test_one_input_feeds_every_consumer():
    dr = build(fd_inputs)
    result = dr.execute(["a_consumer", "b_consumer"], inputs={"shared": 1, "only_a": "v"})
    assert result == {"a_consumer": "v1", "b_consumer": 2}


# -- config ----------------------------------------------------------------------------------


def test_config_values_satisfy_dependencies():
    dr = build(fd_config, config={"region": "eu"})
    region = nodes_by_name(dr)["region"]
    assert region.is_external_input
    assert region.type is str
    assert dr.execute(["region_label"]) == {"region_label": "region=eu"}


def test_config_keys_without_consumers_become_any_typed_inputs():
    nodes = nodes_by_name(build(fd_config, config={"region": "eu", "unused_key": 1}))
    assert nodes["unused_key"].type is typing.Any
    assert nodes["unused_key"].is_external_input


def test_config_key_replaces_the_function_node_of_the_same_name():
    dr = build(fd_config, config={"threshold": 5})
    threshold = nodes_by_name(dr)["threshold"]
    assert threshold.is_external_input
    assert threshold.type is int  # typed by its consumer, like any other input
    assert threshold.originating_functions == (fd_config.above_threshold,)
    assert dr.execute(["above_threshold"], inputs={"value": 6}) == {"above_threshold": True}
    assert dr.execute(["above_threshold"], inputs={"value": 4}) == {"above_threshold": False}


def test_config_keys_can_be_requested_as_outputs():
    dr = build(fd_config, config={"region": "eu", "threshold": 5, "unused_key": [1]})
    assert dr.execute(["region", "unused_key", "threshold"]) == {"region": "eu", "unused_key": [1], "threshold": 5}


# -- duplicates and module overrides ---------------------------------------------------------


def test_same_node_name_in_two_modules_is_an_error():
    with pytest.raises(ValueError, match="Cannot define function shared_name more than once"):
        build(fd_dup_first, fd_dup_second)


@pytest.mark.parametrize(
    ("modules", "expected"),
    [((fd_dup_first, fd_dup_second), "second"), ((fd_dup_second, fd_dup_first), "first")],
    ids=["second-wins", "first-wins"],
)
def test_with_module_overrides_the_later_module_wins(modules, expected):
    dr = build(*modules, allow_module_overrides=True)
    result = dr.execute(["shared_name", "only_in_first", "only_in_second"])
    assert result == {
        "shared_name": expected,
        "only_in_first": f"first sees {expected}",
        "only_in_second": f"second sees {expected}",
    }


def test_driver_kwarg_allows_module_overrides():
    dr = driver.Driver({}, fd_dup_first, fd_dup_second, adapter=base.DictResult(), allow_module_overrides=True)
    assert dr.execute(["shared_name"]) == {"shared_name": "second"}


def test_module_alias_of_a_function_is_not_a_duplicate():
    # Deliberate 2.0 behaviour (1.x sees `alias` and `original` as two definitions).
    dr = build(fd_alias)
    assert function_node_names(dr) == ["original"]
    assert dr.execute(["original"], inputs={"seed": 1}) == {"original": 2}


# -- postponed annotations -------------------------------------------------------------------


def test_string_annotations_resolve_to_real_types():
    dr = build(fd_future_annotations)
    nodes = nodes_by_name(dr)
    assert nodes["origin"].type is fd_future_annotations.Point
    assert nodes["x_coord"].type is float
    assert nodes["coords"].type == list[float]
    assert nodes["offset"].type is float
    assert nodes["scale"].type == typing.Optional[float]  # noqa: UP045
    assert nodes["coords"].optional_dependencies == {"scale"}


def test_string_annotated_module_executes():
    dr = build(fd_future_annotations)
    result = dr.execute(["x_coord", "coords"], inputs={"offset": 2.0, "scale": 3.0})
    assert result == {"x_coord": 2.0, "coords": [6.0, 6.0]}
