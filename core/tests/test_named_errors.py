"""Bad user input gives a named error that says what to do (not a raw TypeError/AttributeError)."""

from __future__ import annotations

import logging
from typing import Annotated, Optional, Union

import pytest

from hamilton import ad_hoc_utils, driver
from hamilton.errors import GraphCycleError
from hamilton.function_modifiers import (
    InvalidDecoratorException,
    check_output,
    config,
    inject,
    parameterize,
    parameterize_sources,
    source,
    step,
    tag,
    value,
)


def _driver(*functions, config_: dict | None = None) -> driver.Driver:
    module = ad_hoc_utils.create_temporary_module(*functions)
    return driver.Builder().with_modules(module).with_config(config_ or {}).build()


# -- @config.when_in / when_not_in ---------------------------------------------------------------


@pytest.mark.parametrize("decorator", [config.when_in, config.when_not_in])
def test_config_when_in_with_a_scalar_fails_at_decoration(decorator):
    with pytest.raises(InvalidDecoratorException, match=r"'region'.*collection.*region=\[5\]"):
        decorator(region=5)


def test_step_when_in_with_a_scalar_fails_at_decoration():
    def double(x: int) -> int:
        return 2 * x

    with pytest.raises(InvalidDecoratorException, match="collection"):
        step(double).when_in(k=1)


def test_config_when_in_with_a_collection_still_works():
    @config.when_in(k=[1, 2])
    def a() -> int:
        return 1

    assert _driver(a, config_={"k": 2}).execute(["a"]) == {"a": 1}


# -- decorators applied to something other than a function --------------------------------------


def test_config_when_around_a_step_says_to_chain_it():
    def double(x: int) -> int:
        return 2 * x

    with pytest.raises(InvalidDecoratorException, match=r"Applicable.*step\(fn\)\.when"):
        config.when(k=1)(step(double))


@pytest.mark.parametrize("decorator", [config.when(k=1), tag(owner="me"), check_output(range=(0, 1))])
def test_decorator_around_a_value_is_refused(decorator):
    with pytest.raises(InvalidDecoratorException, match=r"decorates a function.*LiteralDependency"):
        decorator(value(1))


# -- driver.execute(final_vars) ------------------------------------------------------------------


@pytest.mark.parametrize("final_vars", [None, 3])
def test_execute_with_a_non_list_names_final_vars(final_vars):
    def a() -> int:
        return 1

    dr = _driver(a)
    with pytest.raises(TypeError, match=r"final_vars must be a list of output names.*\['my_output'\]"):
        dr.execute(final_vars)


# -- self as a keyword ---------------------------------------------------------------------------


def test_inject_self_is_refused_by_name():
    with pytest.raises(InvalidDecoratorException, match=r"'self' is a reserved name.*parameter"):
        inject(self=value(1))


@pytest.mark.parametrize("decorator", [parameterize, parameterize_sources])
def test_parameterize_self_is_refused_by_name(decorator):
    with pytest.raises(InvalidDecoratorException, match=r"'self' is a reserved name.*output name"):
        decorator(self={"x": source("y")} if decorator is parameterize else {"x": "y"})


def test_tag_named_self_is_an_ordinary_tag():
    def a() -> int:
        return 1

    tagged = tag(self="x")(a)
    assert _driver(tagged).graph.nodes["a"].tags["self"] == "x"


# -- @check_output through Optional / Annotated / Union -----------------------------------------


@pytest.mark.parametrize(
    "annotation",
    [Optional[int], Annotated[int, "meta"], Union[int, float], int | None],  # noqa: UP045
)
def test_check_output_resolves_through_wrapping_annotations(annotation):
    def a() -> int:
        return 50

    a.__annotations__["return"] = annotation  # this module's annotations are strings
    fn = check_output(range=(0, 10), importance="fail")(a)
    dr = _driver(fn)
    with pytest.raises(Exception, match="range"):
        dr.execute(["a"])  # the validator ran and failed: it was resolved for the int


def test_check_output_union_of_disagreeing_members_says_which_applies_where():
    def a() -> Union[int, list]:
        return 1

    fn = check_output(range=(0, 10))(a)
    with pytest.raises(ValueError, match=r"int -> DataInRangeValidatorPrimitives; list -> no validator"):
        _driver(fn)


# -- long cycles and wide nodes stay readable ----------------------------------------------------


def _chain_cycle(length: int) -> list:
    functions = []
    for i in range(length):
        namespace: dict = {}
        following = f"n{(i + 1) % length}"
        exec(f"def n{i}({following}: int) -> int:\n    return {following}\n", namespace)
        functions.append(namespace[f"n{i}"])
    return functions


def test_long_cycle_message_is_clipped_but_cycle_attribute_is_full():
    length = 2000
    dr = _driver(*_chain_cycle(length))
    with pytest.raises(GraphCycleError) as info:
        dr.execute(["n0"])
    assert len(info.value.cycle) == length + 1
    message = str(info.value)
    assert len(message) < 3000
    assert "more nodes" in message
    assert ".cycle" in message


def test_short_cycle_message_lists_every_node():
    dr = _driver(*_chain_cycle(3))
    with pytest.raises(GraphCycleError, match=r"n0 -> n1 -> n2 -> n0|n1 -> n2 -> n0 -> n1|n2 -> n0 -> n1 -> n2"):
        dr.execute(["n0"])


def test_failed_node_log_line_clips_its_inputs(caplog):
    params = ", ".join(f"p{i}: int" for i in range(100))
    namespace: dict = {}
    exec(f"def wide({params}) -> int:\n    raise RuntimeError('boom')\n", namespace)
    dr = _driver(namespace["wide"])
    with caplog.at_level(logging.ERROR, logger="hamilton.execution"), pytest.raises(RuntimeError, match="boom"):
        dr.execute(["wide"], inputs={f"p{i}": i for i in range(100)})
    line = next(r.getMessage() for r in caplog.records if "wide" in r.getMessage())
    assert "p9=9" in line
    assert "p10=" not in line
    assert "... and 90 more" in line


def test_a_misspelt_input_gets_a_suggestion():
    from hamilton import driver

    def doubled(seed: int) -> int:
        return seed * 2

    dr = driver.Builder().with_functions(doubled).build()
    with pytest.raises(ValueError, match=r"Did you mean 'sede' \(given, unused\) for 'seed'\?") as raised:
        dr.execute(["doubled"], inputs={"sede": 1})
    assert "Required input seed not provided for nodes: ['doubled']." in str(raised.value)
