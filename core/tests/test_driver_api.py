"""The Driver and Builder as users call them: construction, execute semantics (outputs, inputs,
overrides, config), result builders, inspection helpers and pickling (Hamilton 1.x contract).
"""

import importlib.util
import pickle

import pytest
from resources import da_flow, da_other, da_pickle_flow, fd_dup_first, fd_dup_second

from hamilton import base, driver, lifecycle

PANDAS_PLUGIN_INSTALLED = importlib.util.find_spec("hamilton.plugins.h_pandas") is not None


def build(*modules, config=None):
    return driver.Builder().with_modules(*modules).with_config(config or {}).build()


@pytest.fixture
def dr():
    return build(da_flow)


def names(nodes):
    return {n.name for n in nodes}


class SortedPairsResult(base.ResultMixin):
    """A custom result builder: the outputs as sorted (name, value) pairs."""

    @staticmethod
    def build_result(**outputs):
        return sorted(outputs.items())


class RecordingHook(lifecycle.GraphExecutionHook):
    def __init__(self):
        self.calls = []

    def run_before_graph_execution(self, *, final_vars, inputs, overrides, **future_kwargs):
        self.calls.append(("before", list(final_vars), inputs, overrides))

    def run_after_graph_execution(self, *, success, results, **future_kwargs):
        self.calls.append(("after", success, results))


# -- construction ------------------------------------------------------------------------------


def test_driver_takes_config_then_modules():
    dr = driver.Driver({"region": "eu"}, da_flow, da_other, adapter=base.DictResult())
    result = dr.execute(["region_note", "other_output"])
    assert result == {"region_note": "in eu", "other_output": "CONSTANT"}


@pytest.mark.skipif(PANDAS_PLUGIN_INSTALLED, reason="with the pandas plugin the legacy default is a DataFrame")
def test_legacy_driver_returns_a_dict_without_the_pandas_plugin():
    # Deliberate 2.0 behaviour: 1.x returns a pandas DataFrame here.
    dr = driver.Driver({}, da_flow)
    assert dr.execute(["constant", "base_value"], inputs={"seed": 1}) == {"constant": "constant", "base_value": 2}


@pytest.mark.parametrize(
    "adapter",
    [base.DictResult(), base.SimplePythonGraphAdapter(), base.DefaultAdapter()],
    ids=["DictResult", "SimplePythonGraphAdapter", "DefaultAdapter"],
)
def test_dict_producing_adapters(adapter):
    dr = driver.Driver({}, da_flow, adapter=adapter)
    result = dr.execute(["doubled", "constant"], inputs={"seed": 1})
    assert type(result) is dict
    assert result == {"doubled": 4, "constant": "constant"}


def test_custom_result_builder_shapes_the_result():
    dr = driver.Driver({}, da_flow, adapter=SortedPairsResult())
    assert dr.execute(["doubled", "constant"], inputs={"seed": 1}) == [("constant", "constant"), ("doubled", 4)]


def test_simple_python_graph_adapter_delegates_to_its_result_builder():
    dr = driver.Driver({}, da_flow, adapter=base.SimplePythonGraphAdapter(SortedPairsResult()))
    assert dr.execute(["constant"]) == [("constant", "constant")]


def test_adapter_may_be_a_list():
    hook = RecordingHook()
    dr = driver.Driver({}, da_flow, adapter=[hook, SortedPairsResult()])
    assert dr.execute(["constant"]) == [("constant", "constant")]
    assert [call[0] for call in hook.calls] == ["before", "after"]


@pytest.mark.parametrize(
    "adapters",
    [[base.DictResult(), SortedPairsResult()], [SortedPairsResult(), base.SimplePythonGraphAdapter()]],
    ids=["two-result-mixins", "mixin-and-legacy-adapter"],
)
def test_two_result_builders_are_rejected_at_construction(adapters):
    with pytest.raises(ValueError):
        driver.Driver({}, da_flow, adapter=adapters)
    with pytest.raises(ValueError):
        driver.Builder().with_modules(da_flow).with_adapters(*adapters).build()


@pytest.mark.skipif(PANDAS_PLUGIN_INSTALLED, reason="the pandas plugin provides PandasDataFrameResult")
def test_pandas_result_builder_needs_the_pandas_extra():
    # Deliberate 2.0 behaviour: 1.x ships PandasDataFrameResult in core.
    with pytest.raises(ImportError, match='pip install "apache-hamilton\\[pandas\\]"'):
        from hamilton.base import PandasDataFrameResult  # noqa: F401


# -- Builder -------------------------------------------------------------------------------------


def test_builder_builds_a_driver_returning_dicts():
    dr = driver.Builder().with_modules(da_flow).build()
    assert isinstance(dr, driver.Driver)
    assert dr.execute(["constant"]) == {"constant": "constant"}


def test_builder_without_modules_builds_an_empty_driver():
    assert driver.Builder().build().list_available_variables() == []


def test_builder_with_modules_appends():
    dr = driver.Builder().with_modules(da_flow).with_modules(da_other).build()
    assert dr.execute(["other_output"]) == {"other_output": "CONSTANT"}


def test_builder_with_config_is_repeatable_and_later_calls_win():
    dr = (
        driver.Builder()
        .with_modules(da_flow)
        .with_config({"region": "eu", "bonus": 1})
        .with_config({"region": "us"})
        .build()
    )
    assert dr.execute(["region_note", "with_bonus"], inputs={"seed": 0}) == {"region_note": "in us", "with_bonus": 3}


def test_builder_with_adapters():
    hook = RecordingHook()
    dr = driver.Builder().with_modules(da_flow).with_adapters(hook, SortedPairsResult()).build()
    assert dr.execute(["constant"], overrides={"doubled": 1}) == [("constant", "constant")]
    assert hook.calls == [
        ("before", ["constant"], None, {"doubled": 1}),
        ("after", True, [("constant", "constant")]),
    ]


def test_builder_with_legacy_adapter():
    dr = driver.Builder().with_modules(da_flow).with_adapter(base.SimplePythonGraphAdapter(SortedPairsResult())).build()
    assert dr.execute(["constant"]) == [("constant", "constant")]


def test_builder_with_adapter_twice_is_an_error():
    builder = driver.Builder().with_adapter(base.SimplePythonGraphAdapter())
    with pytest.raises(ValueError, match=r"Cannot set adapter twice\."):
        builder.with_adapter(base.SimplePythonGraphAdapter())


def test_builder_methods_return_the_builder():
    builder = driver.Builder()
    assert builder.with_modules(da_flow) is builder
    assert builder.with_config({}) is builder
    assert builder.with_adapters() is builder
    assert builder.allow_module_overrides() is builder


def test_builder_without_module_overrides_rejects_duplicates():
    with pytest.raises(ValueError, match="Cannot define function shared_name more than once"):
        driver.Builder().with_modules(fd_dup_first, fd_dup_second).build()


def test_builder_allow_module_overrides_lets_the_later_module_win():
    dr = driver.Builder().with_modules(fd_dup_first, fd_dup_second).allow_module_overrides().build()
    assert dr.execute(["shared_name"]) == {"shared_name": "second"}


def test_builder_copy_is_independent():
    original = driver.Builder().with_modules(da_flow).with_config({"region": "eu"})
    copy = original.copy()
    copy.with_modules(da_other).with_config({"region": "us"}).with_adapters(SortedPairsResult())
    from_copy = copy.build()
    from_original = original.build()
    assert from_copy.execute(["region_note", "other_output"]) == [
        ("other_output", "CONSTANT"),
        ("region_note", "in us"),
    ]
    assert from_original.execute(["region_note"]) == {"region_note": "in eu"}
    assert "other_output" not in names(from_original.list_available_variables())


# -- execute: what may be requested ------------------------------------------------------------


def test_final_vars_may_be_hamilton_nodes(dr):
    nodes = {n.name: n for n in dr.list_available_variables()}
    assert dr.execute([nodes["doubled"], nodes["constant"]], inputs={"seed": 1}) == {
        "doubled": 4,
        "constant": "constant",
    }


def test_final_vars_may_be_functions_of_the_drivers_modules(dr):
    assert dr.execute([da_flow.doubled, "constant"], inputs={"seed": 1}) == {"doubled": 4, "constant": "constant"}


def test_function_from_another_module_is_rejected(dr):
    with pytest.raises(ValueError, match="is a function not in a module given to"):
        dr.execute([da_other.other_output])


def test_final_vars_may_be_any_iterable(dr):
    assert dr.execute(("constant", "doubled"), inputs={"seed": 1}) == {"constant": "constant", "doubled": 4}


def test_duplicate_final_vars_collapse(dr):
    result = dr.execute(["doubled", da_flow.doubled, "doubled"], inputs={"seed": 1})
    assert result == {"doubled": 4}


@pytest.mark.parametrize(
    "final_vars",
    [["labelled", "base_value", "constant"], ["constant", "base_value", "labelled"], ["base_value", "labelled"]],
)
def test_output_order_follows_the_request(dr, final_vars):
    result = dr.execute(final_vars, inputs={"seed": 1, "prefix": "p"})
    assert list(result) == final_vars


def test_unknown_output_is_rejected(dr):
    with pytest.raises(ValueError, match=r"Unknown nodes \[nope\] requested"):
        dr.execute(["nope"])


def test_unknown_outputs_are_all_named(dr):
    with pytest.raises(ValueError, match="Unknown nodes") as error:
        dr.execute(["constant", "first_unknown", "second_unknown"])
    assert "first_unknown" in str(error.value)
    assert "second_unknown" in str(error.value)


def test_name_given_only_as_an_input_is_echoed(dr):
    assert dr.execute(["not_a_node", "constant"], inputs={"not_a_node": 3}) == {
        "not_a_node": 3,
        "constant": "constant",
    }


def test_external_input_may_be_requested(dr):
    assert dr.execute(["seed", "base_value"], inputs={"seed": 5}) == {"seed": 5, "base_value": 6}


# -- execute: inputs, overrides, config ---------------------------------------------------------


def test_missing_required_inputs_are_all_listed_with_the_nodes_needing_them(dr):
    with pytest.raises(ValueError, match="2 errors encountered") as error:
        dr.execute(["labelled", "seed_squared"])
    message = str(error.value)
    assert "Required input prefix not provided for nodes: ['labelled']." in message
    assert "Required input seed not provided for nodes: ['base_value', 'seed_squared']." in message


def test_missing_input_error_format(dr):
    with pytest.raises(ValueError, match=r"1 errors encountered: \n  Error: Required input seed not provided"):
        dr.execute(["doubled"])


def test_only_inputs_of_nodes_that_run_are_required(dr):
    assert dr.execute(["constant"]) == {"constant": "constant"}


def test_inputs_named_like_computed_nodes_are_ignored(dr):
    assert dr.execute(["doubled"], inputs={"seed": 1, "base_value": 100}) == {"doubled": 4}


def test_unused_inputs_are_ignored(dr):
    assert dr.execute(["constant"], inputs={"unrelated": object()}) == {"constant": "constant"}


def test_overrides_replace_computed_nodes_and_skip_their_upstream(dr):
    # base_value is not computed, so its input seed is not needed
    result = dr.execute(["labelled", "with_bonus"], overrides={"doubled": 10}, inputs={"prefix": "p"})
    assert result == {"labelled": "p10", "with_bonus": 10}


def test_requested_node_may_be_overridden(dr):
    assert dr.execute(["doubled"], overrides={"doubled": 7}) == {"doubled": 7}


def test_overridden_node_upstream_still_runs_for_other_outputs(dr):
    result = dr.execute(["doubled", "base_value"], overrides={"doubled": 7}, inputs={"seed": 1})
    assert result == {"doubled": 7, "base_value": 2}


def test_unknown_override_keys_are_ignored(dr):
    assert dr.execute(["doubled"], inputs={"seed": 1}, overrides={"nope": 1}) == {"doubled": 4}


def test_inputs_cannot_be_supplied_through_overrides(dr):
    with pytest.raises(ValueError, match="Required input seed not provided"):
        dr.execute(["base_value"], overrides={"seed": 1})


def test_config_values_are_inputs():
    dr = build(da_flow, config={"region": "eu", "seed": 2})
    assert dr.execute(["region_note", "base_value"]) == {"region_note": "in eu", "base_value": 3}


def test_config_and_inputs_must_not_overlap():
    dr = build(da_flow, config={"region": "eu"})
    with pytest.raises(ValueError, match="The following inputs are present in both config and inputs"):
        dr.execute(["region_note"], inputs={"region": "us"})


def test_inputs_are_not_mutated(dr):
    inputs = {"seed": 1, "prefix": "p"}
    overrides = {"with_bonus": 0}
    dr.execute(["labelled", "with_bonus"], inputs=inputs, overrides=overrides)
    assert inputs == {"seed": 1, "prefix": "p"}
    assert overrides == {"with_bonus": 0}


# -- raw_execute -------------------------------------------------------------------------------


def test_raw_execute_is_deprecated_and_returns_a_dict():
    from hamilton.deprecation import RemovedInHamilton3Warning

    dr = driver.Driver({}, da_flow, adapter=SortedPairsResult())
    with pytest.warns(RemovedInHamilton3Warning):
        result = dr.raw_execute(["doubled", "constant"], inputs={"seed": 1})
    assert result == {"doubled": 4, "constant": "constant"}


def test_raw_execute_honours_overrides():
    from hamilton.deprecation import RemovedInHamilton3Warning

    dr = build(da_flow)
    with pytest.warns(RemovedInHamilton3Warning):
        result = dr.raw_execute(["labelled"], overrides={"doubled": 3}, inputs={"prefix": "x"})
    assert result == {"labelled": "x3"}


# -- validate_execution --------------------------------------------------------------------------


def test_validate_execution_passes_for_a_valid_request(dr):
    assert dr.validate_execution(["labelled"], inputs={"seed": 1, "prefix": "p"}) is None
    assert dr.validate_execution(["labelled"], overrides={"doubled": 1}, inputs={"prefix": "p"}) is None


def test_validate_execution_reports_missing_inputs(dr):
    with pytest.raises(
        ValueError, match="1 errors encountered: \n  Error: Required input seed not provided for nodes: "
    ):
        dr.validate_execution(["doubled"])


@pytest.mark.parametrize("method", ["execute", "validate_execution"])
def test_missing_input_error_names_every_consumer_of_the_input(dr, method):
    with pytest.raises(
        ValueError, match=r"Required input seed not provided for nodes: \['base_value', 'seed_squared'\]\."
    ):
        getattr(dr, method)(["doubled"])


def test_validate_execution_reports_mistyped_inputs(dr):
    with pytest.raises(ValueError, match="Type requirement mismatch"):
        dr.validate_execution(["doubled"], inputs={"seed": "one"})


def test_validate_execution_reports_unknown_outputs(dr):
    with pytest.raises(ValueError, match="Unknown nodes"):
        dr.validate_execution(["nope"])


def test_validate_execution_accepts_functions(dr):
    # Deliberate 2.0 behaviour (1.x raises TypeError for function objects).
    assert dr.validate_execution([da_flow.doubled], inputs={"seed": 1}) is None


# -- list_available_variables ---------------------------------------------------------------------


def test_list_available_variables_lists_functions_inputs_and_config():
    dr = build(da_flow, da_other, config={"region": "eu", "extra": 1})
    listed = dr.list_available_variables()
    assert all(isinstance(n, driver.Variable) for n in listed)
    assert names(listed) == {
        "base_value",
        "seed_squared",
        "doubled",
        "labelled",
        "with_bonus",
        "constant",
        "region_note",
        "other_output",
        "seed",
        "prefix",
        "bonus",
        "region",
        "extra",
    }


def test_tag_filter_with_a_string_matches_equal_values():
    dr = build(da_flow, da_other)
    assert names(dr.list_available_variables(tag_filter={"module": da_other.__name__})) == {"other_output"}


def test_tag_filter_with_a_list_matches_any_value():
    dr = build(da_flow, da_other)
    listed = dr.list_available_variables(tag_filter={"module": [da_other.__name__, "not.a.module"]})
    assert names(listed) == {"other_output"}
    both = dr.list_available_variables(tag_filter={"module": [da_other.__name__, da_flow.__name__]})
    assert names(both) == {n.name for n in dr.list_available_variables() if not n.is_external_input}


def test_tag_filter_with_none_matches_any_node_having_the_tag():
    dr = build(da_flow, da_other)
    listed = dr.list_available_variables(tag_filter={"module": None})
    assert names(listed) == {n.name for n in dr.list_available_variables() if not n.is_external_input}


def test_tag_filter_requires_every_key():
    dr = build(da_flow, da_other)
    assert dr.list_available_variables(tag_filter={"module": None, "no_such_tag": None}) == []
    assert dr.list_available_variables(tag_filter={"no_such_tag": None}) == []
    assert dr.list_available_variables(tag_filter={"module": "no.such.module"}) == []


def test_empty_tag_filter_lists_everything():
    dr = build(da_flow)
    assert names(dr.list_available_variables(tag_filter={})) == names(dr.list_available_variables())


@pytest.mark.parametrize("bad_value", [1, [], 1.5, ("a", "b"), {"a": "b"}])
def test_tag_filter_values_must_be_strings_or_lists(bad_value):
    dr = build(da_flow)
    with pytest.raises(ValueError, match="All tag query values must be a string or list of strings"):
        dr.list_available_variables(tag_filter={"module": bad_value})


def test_tag_filter_list_of_non_strings_matches_nothing():
    dr = build(da_flow)
    assert dr.list_available_variables(tag_filter={"module": [1]}) == []


def test_tag_filter_is_keyword_only():
    dr = build(da_flow)
    with pytest.raises(TypeError):
        dr.list_available_variables({"module": None})


# -- graph navigation ---------------------------------------------------------------------------------


def test_what_is_upstream_of(dr):
    assert names(dr.what_is_upstream_of("labelled")) == {"labelled", "doubled", "base_value", "seed", "prefix"}
    assert names(dr.what_is_upstream_of("constant", "seed_squared")) == {"constant", "seed_squared", "seed"}


def test_what_is_downstream_of(dr):
    assert names(dr.what_is_downstream_of("base_value")) == {"base_value", "doubled", "labelled", "with_bonus"}
    assert names(dr.what_is_downstream_of("seed")) == {
        "seed",
        "base_value",
        "seed_squared",
        "doubled",
        "labelled",
        "with_bonus",
    }
    assert names(dr.what_is_downstream_of("prefix", "bonus")) == {"prefix", "bonus", "labelled", "with_bonus"}


def test_what_is_the_path_between(dr):
    assert names(dr.what_is_the_path_between("seed", "labelled")) == {"seed", "base_value", "doubled", "labelled"}
    assert names(dr.what_is_the_path_between("base_value", "doubled")) == {"base_value", "doubled"}


def test_no_path_between_gives_an_empty_list(dr):
    assert dr.what_is_the_path_between("constant", "labelled") == []
    assert dr.what_is_the_path_between("labelled", "seed") == []


@pytest.mark.parametrize(
    "call",
    [
        lambda dr: dr.what_is_upstream_of("nope"),
        lambda dr: dr.what_is_downstream_of("constant", "nope"),
        lambda dr: dr.what_is_the_path_between("nope", "labelled"),
        lambda dr: dr.what_is_the_path_between("seed", "nope"),
    ],
    ids=["upstream", "downstream", "path-upstream", "path-downstream"],
)
def test_navigating_from_unknown_nodes_is_an_error(dr, call):
    with pytest.raises(ValueError, match="nope"):
        call(dr)


def test_path_between_names_the_unknown_end(dr):
    with pytest.raises(ValueError, match=r"Upstream node nope not found in graph\."):
        dr.what_is_the_path_between("nope", "labelled")
    with pytest.raises(ValueError, match=r"Downstream node nope not found in graph\."):
        dr.what_is_the_path_between("seed", "nope")


# -- pickling --------------------------------------------------------------------------------------


def test_driver_pickles_and_still_executes():
    dr = driver.Builder().with_modules(da_pickle_flow).with_config({"name": "ann"}).build()
    restored = pickle.loads(pickle.dumps(dr))
    assert restored.execute(["shout"]) == {"shout": "HELLO ANN"}
    assert list(restored.graph_modules) == [da_pickle_flow]


def test_legacy_driver_pickles_and_still_executes():
    dr = driver.Driver({}, da_pickle_flow, adapter=base.DictResult())
    restored = pickle.loads(pickle.dumps(dr))
    assert restored.execute(["greeting"], inputs={"name": "bo"}) == {"greeting": "hello bo"}
