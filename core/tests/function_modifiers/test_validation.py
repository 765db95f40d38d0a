"""check_output / check_output_custom, and validators run as hooks (hamilton.data_quality.hooks).

Node names, types, tags, dependencies, log lines and errors of the default (nodes) mode were
checked against apache-hamilton 1.90.0.
"""

from __future__ import annotations

import logging

import pytest
from resources.dq_validators import AlwaysFails, AsyncPasses

from hamilton import driver, plugins
from hamilton.data_quality import base as dq_base
from hamilton.data_quality.default_validators import DataInRangeValidatorPrimitives
from hamilton.data_quality.hooks import (
    DATA_QUALITY_MODE,
    HOOKS_MODE,
    VALIDATORS_TAG,
    NodeValidators,
    ValidationHook,
)
from hamilton.function_modifiers import (
    DATA_VALIDATOR_ORIGINAL_OUTPUT_TAG,
    IS_DATA_VALIDATOR_TAG,
    InvalidDecoratorException,
    check_output,
    check_output_custom,
    config,
    extract_columns,
    extract_fields,
    parameterize,
    tag,
    value,
)
from hamilton.function_modifiers import base as fm_base
from hamilton.lifecycle.base import BasePostNodeExecute
from hamilton.plugins import hookimpl

from .table_backend import Column, Table

DQ = {IS_DATA_VALIDATOR_TAG: True}
HOOKS = {DATA_QUALITY_MODE: HOOKS_MODE}


def build(*functions, cfg=None, adapters=()):
    return driver.Builder().with_functions(*functions).with_config(cfg or {}).with_adapters(*adapters).build()


def nodes_of(dr):
    return {name: n for name, n in dr.graph.nodes.items() if not n.user_defined}


def deps(n):
    return list(n.input_types)


def warned(node, validator, message, diagnostics):
    return f"[{node}:{validator}] validator failed. Message was: {message}. Diagnostic information is: {diagnostics}."


OUT_OF_RANGE = "Data point 50 does not fall within acceptable range: (0, 10)"
RANGE_DIAGNOSTICS = {"range": (0, 10), "value": 50}


class ReturnsBool(AlwaysFails):
    def validate(self, dataset):
        return True


# -- a column validator contributed by a plugin (the way pandas' series validators arrive) ----


class ColumnRangeValidator(dq_base.BaseDefaultValidator):
    """``range=(low, high)`` for a :class:`Column`: every value lies within the bounds."""

    def __init__(self, range, importance):
        super().__init__(importance)
        self.range = range

    @classmethod
    def applies_to(cls, datatype):
        return isinstance(datatype, type) and issubclass(datatype, Column)

    @classmethod
    def arg(cls):
        return "range"

    def description(self):
        return f"Validates that every value of the column falls within {self.range}"

    def validate(self, dataset):
        low, high = self.range
        outside = [v for v in dataset if not low <= v <= high]
        return dq_base.ValidationResult(
            not outside,
            f"{len(outside)} of {len(dataset)} values fall outside {self.range}",
            {"range": self.range, "outside": outside},
        )


class ColumnValidatorsPlugin:
    @hookimpl
    def hamilton_validators(self):
        return [ColumnRangeValidator]


@pytest.fixture(scope="module", autouse=True)
def column_validators():
    if not any(info.name == "core-tests-column-validators" for info in plugins.list_plugins()):
        plugins.register(ColumnValidatorsPlugin(), name="core-tests-column-validators")


class OtherColumn(list):
    """A column type no plugin validates."""


# -- nodes mode (1.x) ---------------------------------------------------------------------------


def test_nodes_names_types_tags_docs_and_dependencies():
    @tag(owner="me")
    @check_output(range=(0, 10), data_type=int)
    def a(x: int) -> int:
        """Doc of a."""
        return x

    nodes = nodes_of(build(a))
    assert sorted(nodes) == ["a", "a_data_type_validator", "a_range_validator", "a_raw"]
    module = {"module": a.__module__}
    final, raw = nodes["a"], nodes["a_raw"]
    assert (final.type, final.documentation, final.tags) == (int, "Doc of a.", {**module, "owner": "me"})
    assert deps(final) == ["a_raw", "a_range_validator", "a_data_type_validator"]
    assert [final.input_types[name][0] for name in deps(final)] == [
        int,
        dq_base.ValidationResult,
        dq_base.ValidationResult,
    ]
    assert (raw.type, raw.documentation, raw.tags, deps(raw)) == (int, "Doc of a.", module, ["x"])
    validator = nodes["a_range_validator"]
    assert validator.type is dq_base.ValidationResult
    assert validator.documentation == "Validates that the datapoint falls within the range (0, 10)"
    assert validator.tags == {**module, **DQ, DATA_VALIDATOR_ORIGINAL_OUTPUT_TAG: "a"}
    assert deps(validator) == ["a_raw"]
    assert final.originating_functions == (a,)


def test_warn_logs_failures_and_returns_the_value(caplog):
    @check_output(range=(0, 10))
    def a(x: int) -> int:
        return x

    dr = build(a)
    with caplog.at_level(logging.WARNING, logger="hamilton.data_quality"):
        assert dr.execute(["a"], inputs={"x": 5}) == {"a": 5}
        assert caplog.records == []
        assert dr.execute(["a"], inputs={"x": 50}) == {"a": 50}
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
        ("hamilton.data_quality.base", "WARNING", warned("a", "range_validator", OUT_OF_RANGE, RANGE_DIAGNOSTICS))
    ]
    result = dr.execute(["a_range_validator", "a_raw"], inputs={"x": 50})
    assert result == {
        "a_range_validator": dq_base.ValidationResult(False, OUT_OF_RANGE, RANGE_DIAGNOSTICS),
        "a_raw": 50,
    }


def test_fail_raises_every_failed_fail_validation_together(caplog):
    @check_output(range=(0, 10), data_type=str, importance="fail")
    def b(x: int) -> int:
        return x

    dr = build(b)
    with (
        caplog.at_level(logging.ERROR, logger="hamilton.data_quality"),
        pytest.raises(dq_base.DataValidationError) as raised,
    ):
        dr.execute(["b"], inputs={"x": 50})
    type_message = "Requires data type: <class 'str'>. Got data type: <class 'int'>. This is not a match."
    type_diagnostics = {"required_data_type": str, "actual_data_type": int}
    expected = [
        warned("b", "range_validator", OUT_OF_RANGE, RANGE_DIAGNOSTICS) + "\n",
        warned("b", "data_type_validator", type_message, type_diagnostics) + "\n",
    ]
    assert raised.value.args == (expected,)
    assert [r.getMessage() for r in caplog.records if r.name == "hamilton.data_quality.base"] == expected


def test_fail_and_warn_validators_mix_in_validator_order(caplog):
    @check_output_custom(
        AlwaysFails("warn"),
        DataInRangeValidatorPrimitives((0, 1), "fail"),
        DataInRangeValidatorPrimitives((0, 5), "fail"),
    )
    def c(x: int) -> int:
        return x

    dr = build(c)
    with caplog.at_level(logging.WARNING, logger="hamilton.data_quality"):
        assert dr.execute(["c"], inputs={"x": 1}) == {"c": 1}  # only the warn one failed
        assert [r.levelname for r in caplog.records] == ["WARNING"]
        with pytest.raises(dq_base.DataValidationError) as raised:
            dr.execute(["c"], inputs={"x": 7})
    # Messages name validators by name(), not by their (numbered) node names, as in 1.x.
    assert [m.split(". Diagnostic")[0] for m in raised.value.args[0]] == [
        "[c:range_validator] validator failed. Message was: Data point 7 does not fall within acceptable range: (0, 1)",
        "[c:range_validator] validator failed. Message was: Data point 7 does not fall within acceptable range: (0, 5)",
    ]


def test_duplicate_validator_names_get_numbered():
    @check_output_custom(*(DataInRangeValidatorPrimitives((0, high), "warn") for high in (1, 2, 3)))
    def c(x: int) -> int:
        return x

    nodes = nodes_of(build(c))
    assert deps(nodes["c"]) == ["c_raw", "c_range_validator", "c_range_validator_1", "c_range_validator_2"]
    assert nodes["c_range_validator_2"].documentation == "Validates that the datapoint falls within the range (0, 3)"


def test_stacked_decorators_add_validators_to_one_raw_node(caplog):
    """1.x fails to build this ("Cannot define function d_raw more than once")."""

    @check_output(range=(0, 10), importance="fail")
    @check_output(range=(0, 100), data_type=int)
    def d(x: int) -> int:
        return x

    dr = build(d)
    nodes = nodes_of(dr)
    assert sorted(nodes) == ["d", "d_data_type_validator", "d_range_validator", "d_range_validator_1", "d_raw"]
    assert deps(nodes["d"]) == ["d_raw", "d_range_validator", "d_data_type_validator", "d_range_validator_1"]
    assert deps(nodes["d_range_validator_1"]) == ["d_raw"]
    with pytest.raises(dq_base.DataValidationError, match=r"\(0, 10\)"):
        dr.execute(["d"], inputs={"x": 50})
    assert dr.execute(["d"], inputs={"x": 5}) == {"d": 5}


def test_no_keywords_or_no_validators_still_split_the_node():
    @check_output()
    def a(x: int) -> int:
        return x

    @check_output_custom()
    def b(x: int) -> int:
        return x

    dr = build(a, b)
    assert sorted(nodes_of(dr)) == ["a", "a_raw", "b", "b_raw"]
    assert dr.execute(["a", "b"], inputs={"x": 1}) == {"a": 1, "b": 1}


def test_an_unresolvable_keyword_fails_the_build_with_1xs_message():
    @check_output(range=(0, 1))
    def co(x: int) -> list:
        return [x]

    with pytest.raises(ValueError) as raised:
        build(co)
    assert str(raised.value).startswith(
        "Could not resolve validators for @check_output for function [co]. Please check that `target_` is set "
        "correctly if you're using that argument.\nActual error: No registered subclass of BaseDefaultValidator "
        "is available for arg: range and type <class 'list'>."
    )


def test_misuse_fails_at_decoration():
    with pytest.raises(ValueError, match="'bad' is not a valid DataValidationLevel"):
        check_output(range=(0, 1), importance="bad")
    with pytest.raises(InvalidDecoratorException, match="takes validator objects"):
        check_output_custom(1)
    with pytest.raises(InvalidDecoratorException, match="Invalid target"):
        check_output(range=(0, 1), target_=1)


def test_candidates_restrict_the_search():
    from hamilton.data_quality.default_validators import DataTypeValidatorPrimitives

    @check_output(range=(0, 1), default_validator_candidates=[DataTypeValidatorPrimitives])
    def co(x: int) -> int:
        return x

    with pytest.raises(ValueError, match="arg: range and type <class 'int'>"):
        build(co)


def test_custom_validators_are_not_checked_against_the_type():
    """As in 1.x, check_output_custom runs its validators whatever they apply_to."""

    class OnlyStr(AlwaysFails):
        def applies_to(self, datatype):
            return datatype is str

    @check_output_custom(OnlyStr("warn"))
    def co(x: int) -> int:
        return x

    assert build(co).execute(["co_always_fails"], inputs={"x": 3})["co_always_fails"] == dq_base.ValidationResult(
        False, "bad 3", {"seen": 3}
    )


def test_an_async_validator_is_awaited_by_a_sync_execute():
    # One engine: the validator node is `async def`, so the ordinary execute awaits it.
    @check_output_custom(AsyncPasses("warn"))
    def co(x: int) -> int:
        return x

    dr = build(co)
    assert sorted(nodes_of(dr)) == ["co", "co_async_passes", "co_raw"]
    results = dr.execute(["co", "co_async_passes"], inputs={"x": 1})
    assert results["co"] == 1
    assert results["co_async_passes"].passes


def test_a_validator_returning_something_else_is_a_type_error():
    @check_output_custom(ReturnsBool("warn"))
    def co(x: int) -> int:
        return x

    with pytest.raises(TypeError, match="returned bool True; validate\\(\\) must return"):
        build(co).execute(["co"], inputs={"x": 1})


# -- composition --------------------------------------------------------------------------------


def test_target_a_field_extracted_below():
    @check_output(range=(0, 10), target_="f1")
    @extract_fields({"f1": int, "f2": int})
    def e(x: int) -> dict:
        return {"f1": x, "f2": x}

    dr = build(e)
    nodes = nodes_of(dr)
    assert sorted(nodes) == ["e", "f1", "f1_range_validator", "f1_raw", "f2"]
    assert deps(nodes["f1_raw"]) == ["e"]
    assert nodes["f1_range_validator"].tags[DATA_VALIDATOR_ORIGINAL_OUTPUT_TAG] == "f1"
    assert dr.execute(["f1", "f2"], inputs={"x": 3}) == {"f1": 3, "f2": 3}


def test_validating_the_dict_then_extracting_fields_from_it():
    @extract_fields({"g1": int, "g2": int})
    @check_output(allow_none=False)
    def g(x: int) -> dict:
        return {"g1": x, "g2": x}

    nodes = nodes_of(build(g))
    assert sorted(nodes) == ["g", "g1", "g2", "g_allow_none_validator", "g_raw"]
    assert deps(nodes["g1"]) == ["g"]
    assert deps(nodes["g"]) == ["g_raw", "g_allow_none_validator"]


def test_target_every_node():
    @check_output(allow_none=False, target_=...)
    @extract_fields({"f1": int, "f2": int})
    def e(x: int) -> dict:
        return {"f1": x, "f2": x}

    nodes = nodes_of(build(e))
    assert sorted(nodes) == sorted(
        f"{n}{suffix}" for n in ("e", "f1", "f2") for suffix in ("", "_raw", "_allow_none_validator")
    )
    assert deps(nodes["f1_raw"]) == ["e"]  # as in 1.x: fields read the validated dict


def test_tag_reaches_final_nodes_and_their_validators():
    @tag(owner="me", target_=...)
    @check_output(contains="a", target_="f2")
    @extract_fields({"f1": int, "f2": str})
    def g(x: int) -> dict:
        return {"f1": x, "f2": "abc"}

    nodes = nodes_of(build(g))
    assert all(n.tags["owner"] == "me" for n in nodes.values())
    assert nodes["f2_contains_validator"].tags[IS_DATA_VALIDATOR_TAG] is True


def test_config_when_tags_every_node():
    @config.when(mode="a")
    @check_output(range=(0, 10))
    def h__a(x: int) -> int:
        return x

    nodes = nodes_of(build(h__a, cfg={"mode": "a"}))
    assert sorted(name for name in nodes if name != "mode") == ["h", "h_range_validator", "h_raw"]
    assert {nodes[name].tags["hamilton.config"] for name in ("h", "h_raw", "h_range_validator")} == {"mode"}
    assert "h" not in nodes_of(build(h__a, cfg={"mode": "b"}))


def test_parameterized_outputs_are_each_validated():
    @check_output(range=(0, 10))
    @parameterize(p1={"k": value(1)}, p2={"k": value(2)})
    def p(x: int, k: int) -> int:
        return x * k

    dr = build(p)
    assert sorted(nodes_of(dr)) == ["p1", "p1_range_validator", "p1_raw", "p2", "p2_range_validator", "p2_raw"]
    assert dr.execute(["p1", "p2"], inputs={"x": 3}) == {"p1": 3, "p2": 6}


def test_column_validator_contributed_by_a_plugin(caplog):
    @check_output(range=(0, 10), target_="a")
    @extract_columns("a", "b")
    def t(n: int) -> Table:
        return Table({"a": [1, n], "b": [0, 0]})

    dr = build(t)
    nodes = nodes_of(dr)
    assert sorted(nodes) == ["a", "a_range_validator", "a_raw", "b", "t"]
    assert nodes["a_raw"].type is Column
    assert nodes["a_range_validator"].documentation == "Validates that every value of the column falls within (0, 10)"
    with caplog.at_level(logging.WARNING, logger="hamilton.data_quality"):
        assert dr.execute(["a"], inputs={"n": 50}) == {"a": Column([1, 50])}
    assert caplog.records[0].getMessage() == warned(
        "a", "range_validator", "1 of 2 values fall outside (0, 10)", {"range": (0, 10), "outside": [50]}
    )


def test_validating_the_table_then_extracting_columns():
    @extract_columns("a")
    @check_output_custom(AlwaysFails("warn"))
    def t(n: int) -> Table:
        return Table({"a": [n]})

    nodes = nodes_of(build(t))
    assert sorted(nodes) == ["a", "t", "t_always_fails", "t_raw"]
    assert deps(nodes["a"]) == ["t"]


def test_a_type_no_plugin_validates_fails_the_build():
    @check_output(range=(0, 10))
    def col(n: int) -> OtherColumn:
        return OtherColumn([n])

    with pytest.raises(ValueError, match=r"arg: range and type <class '.*OtherColumn'>"):
        build(col)


# -- hooks mode ---------------------------------------------------------------------------------


@tag(owner="me")
@check_output(range=(0, 10), data_type=int)
def checked(x: int) -> int:
    """Doc of checked."""
    return x


@check_output(range=(0, 10), importance="fail")
def strict(x: int) -> int:
    return x


def downstream(checked: int) -> int:
    return checked + 1


class Reader(BasePostNodeExecute):
    """A later hook that reads each node's validation results as the node finishes."""

    def __init__(self, validation: ValidationHook):
        self.validation = validation
        self.seen: dict[str, dict] = {}

    def post_node_execute(self, *, run_id, node_, kwargs, success, error, result, task_id=None):
        self.seen[node_.name] = self.validation.results_for_node(node_.name, run_id)


def test_hooks_mode_adds_no_nodes():
    dr = build(checked, strict, downstream, cfg=HOOKS, adapters=[ValidationHook()])
    nodes = nodes_of(dr)
    assert sorted(nodes) == ["checked", "downstream", "strict"]
    assert dr.graph.nodes[DATA_QUALITY_MODE].user_defined  # config keys are input nodes, as always
    node_ = nodes["checked"]
    assert (deps(node_), node_.documentation) == (["x"], "Doc of checked.")
    declared = node_.tags[VALIDATORS_TAG]
    assert isinstance(declared, NodeValidators)
    assert [name for name, _ in declared] == ["range_validator", "data_type_validator"]
    assert repr(declared) == "NodeValidators(range_validator, data_type_validator)"
    assert node_.tags["owner"] == "me"
    assert deps(nodes["downstream"]) == ["checked"]


def test_hooks_mode_runs_validators_records_results_and_warns(caplog):
    validation = ValidationHook()
    reader = Reader(validation)
    dr = build(checked, downstream, cfg=HOOKS, adapters=[validation, reader])
    with caplog.at_level(logging.WARNING, logger="hamilton.data_quality"):
        assert dr.execute(["downstream"], inputs={"x": 50}) == {"downstream": 51}
    assert [r.getMessage() for r in caplog.records] == [
        warned("checked", "range_validator", OUT_OF_RANGE, RANGE_DIAGNOSTICS)
    ]
    expected = {
        "range_validator": dq_base.ValidationResult(False, OUT_OF_RANGE, RANGE_DIAGNOSTICS),
        "data_type_validator": dq_base.ValidationResult(
            True,
            "Requires data type: <class 'int'>. Got data type: <class 'int'>. This is a match.",
            {"required_data_type": int, "actual_data_type": int},
        ),
    }
    assert reader.seen == {"checked": expected, "downstream": {}}  # read by a later hook, as the node ran
    assert validation.results() == {"checked": expected}
    run_id = validation.latest_run_id
    assert validation.results(run_id) == validation.results()
    (first, second) = validation.records()
    assert (first.node_name, first.validator_name, first.task_id) == ("checked", "range_validator", None)
    assert isinstance(first.validator, DataInRangeValidatorPrimitives)
    assert second.validator_name == "data_type_validator"


def test_hooks_mode_fail_raises_and_still_records(caplog):
    validation = ValidationHook()
    dr = build(strict, cfg=HOOKS, adapters=[validation])
    assert dr.execute(["strict"], inputs={"x": 5}) == {"strict": 5}
    with (
        caplog.at_level(logging.ERROR, logger="hamilton.data_quality"),
        pytest.raises(dq_base.DataValidationError) as raised,
    ):
        dr.execute(["strict"], inputs={"x": 50})
    assert raised.value.args == ([warned("strict", "range_validator", OUT_OF_RANGE, RANGE_DIAGNOSTICS) + "\n"],)
    assert not validation.results_for_node("strict")["range_validator"].passes


def test_hooks_mode_without_config_keeps_the_1x_nodes_and_the_hook_records_them():
    validation = ValidationHook()
    reader = Reader(validation)
    dr = build(checked, cfg={}, adapters=[validation, reader])
    assert "checked_raw" in nodes_of(dr)
    dr.execute(["checked"], inputs={"x": 50})
    results = validation.results()
    assert list(results) == ["checked"]
    assert list(results["checked"]) == ["range_validator", "data_type_validator"]
    assert not results["checked"]["range_validator"].passes
    assert reader.seen["checked"] == results["checked"]  # recorded before the final node ran
    assert isinstance(validation.records()[0].validator, DataInRangeValidatorPrimitives)


def test_hooks_mode_stacks_validators_and_validates_extracted_columns():
    @check_output(range=(0, 10), target_="a")
    @check_output_custom(AlwaysFails("warn"), target_="a")
    @extract_columns("a", "b")
    def t(n: int) -> Table:
        return Table({"a": [1, n], "b": [0, 0]})

    validation = ValidationHook()
    dr = build(t, cfg=HOOKS, adapters=[validation])
    assert sorted(nodes_of(dr)) == ["a", "b", "t"]
    assert [name for name, _ in nodes_of(dr)["a"].tags[VALIDATORS_TAG]] == ["always_fails", "range_validator"]
    dr.execute(["a", "b"], inputs={"n": 50})
    assert {name: r.passes for name, r in validation.results_for_node("a").items()} == {
        "always_fails": False,
        "range_validator": False,
    }
    assert validation.results_for_node("b") == {}


def test_hooks_mode_async_validator_is_a_type_error():
    @check_output_custom(AsyncPasses("warn"))
    def co(x: int) -> int:
        return x

    with pytest.raises(TypeError, match="asynchronous"):
        build(co, cfg=HOOKS, adapters=[ValidationHook()]).execute(["co"], inputs={"x": 1})


def test_hook_keeps_the_latest_runs_only():
    validation = ValidationHook(keep_runs=2)
    dr = build(checked, cfg=HOOKS, adapters=[validation])
    run_ids = []
    for x in (1, 2, 3):
        dr.execute(["checked"], inputs={"x": x})
        run_ids.append(validation.latest_run_id)
    assert len(set(run_ids)) == 3
    assert validation.results(run_ids[0]) == {}
    assert validation.results(run_ids[2])["checked"]["range_validator"].diagnostics["value"] == 3
    validation.clear()
    assert (validation.latest_run_id, validation.results(), validation.records()) == (None, {}, [])
    with pytest.raises(ValueError, match="keep_runs must be at least 1"):
        ValidationHook(keep_runs=0)


def test_an_unknown_mode_fails_the_build():
    with pytest.raises(InvalidDecoratorException, match="is not a data-quality mode: use 'nodes'"):
        build(checked, cfg={DATA_QUALITY_MODE: "hook"})


def test_the_mode_is_read_through_the_decorators_optional_config():
    decorator = check_output(range=(0, 1))
    assert decorator.optional_config() == {DATA_QUALITY_MODE: "nodes"}
    assert fm_base.filter_config({DATA_QUALITY_MODE: HOOKS_MODE, "other": 1}, decorator) == {
        DATA_QUALITY_MODE: HOOKS_MODE,
        "hamilton.enable_power_user_mode": False,
    }
