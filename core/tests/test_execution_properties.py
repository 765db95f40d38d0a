"""Property-based tests: on random DAGs, a run equals a straightforward reference evaluation."""

from __future__ import annotations

import collections

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hamilton import ad_hoc_utils, driver
from hamilton.errors import InvalidInputsError

INPUTS = ("x0", "x1", "x2")
DEFAULTS = {"x2": 7}  # x2 is optional everywhere it is used


@st.composite
def dataflows(draw):
    """Node i depends on a few earlier nodes and maybe inputs; returns (deps per node, requests)."""
    size = draw(st.integers(1, 25))
    dependencies = []
    for index in range(size):
        earlier = draw(st.lists(st.integers(0, index - 1), max_size=3, unique=True)) if index else []
        inputs = draw(st.lists(st.sampled_from(INPUTS), max_size=2, unique=True))
        dependencies.append((earlier, inputs))
    names = [f"n{i}" for i in range(size)]
    final_vars = draw(st.lists(st.sampled_from(names), min_size=1, max_size=5, unique=True))
    overrides = draw(st.dictionaries(st.sampled_from(names), st.integers(-50, 50), max_size=3))
    given_inputs = draw(st.dictionaries(st.sampled_from(INPUTS), st.integers(0, 100)))
    return dependencies, final_vars, overrides, given_inputs


def _source(dependencies) -> str:
    lines = []
    for index, (earlier, inputs) in enumerate(dependencies):
        params = [f"n{d}: int" for d in earlier]
        params += [f"{name}: int = {DEFAULTS[name]}" if name in DEFAULTS else f"{name}: int" for name in inputs]
        params.sort(key=lambda p: "=" in p)  # defaults last
        weighted = [f"{k + 1} * {p.split(':')[0]}" for k, p in enumerate(params)] or ["0"]
        lines.append(
            f"def n{index}({', '.join(params)}) -> int:\n"
            f"    CALLS[{index}] += 1\n"
            f"    return ({index} + {' + '.join(weighted)}) % 9973\n"
        )
    return "import collections\nCALLS = collections.Counter()\n" + "".join(lines)


def _reference(dependencies, final_vars, overrides, given_inputs):
    """Memoized recursive evaluation; returns (outputs, computed node indexes, missing inputs)."""
    memo, computed, missing = {}, set(), set()

    def value(index):
        name = f"n{index}"
        if name in overrides:
            return overrides[name]
        if index not in memo:
            earlier, inputs = dependencies[index]
            params = [(f"n{d}", value(d)) for d in earlier]
            for input_name in inputs:
                if input_name in given_inputs:
                    params.append((input_name, given_inputs[input_name]))
                elif input_name in DEFAULTS:
                    params.append((input_name, DEFAULTS[input_name]))
                else:
                    missing.add(input_name)
                    params.append((input_name, 0))
            params.sort(key=lambda item: item[0] in DEFAULTS)
            total = sum((k + 1) * v for k, (_, v) in enumerate(params))
            memo[index] = (index + total) % 9973
            computed.add(index)
        return memo[index]

    outputs = {name: value(int(name[1:])) for name in final_vars}
    return outputs, computed, missing


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dataflows())
def test_runs_match_the_reference_evaluation(flow):
    dependencies, final_vars, overrides, given_inputs = flow
    module = ad_hoc_utils.module_from_source(_source(dependencies))
    dr = driver.Builder().with_modules(module).build()
    inputs = {k: v for k, v in given_inputs.items() if k in dr.graph}
    expected, computed, missing = _reference(dependencies, final_vars, overrides, inputs)
    if missing:
        with pytest.raises(InvalidInputsError) as raised:
            dr.execute(final_vars, inputs=inputs, overrides=overrides)
        assert set(raised.value.missing) == missing
        return
    assert dr.execute(final_vars, inputs=inputs, overrides=overrides) == expected
    # each needed node ran exactly once, and nothing else ran
    assert collections.Counter(dict.fromkeys(computed, 1)) == module.CALLS
    module.CALLS.clear()
    assert dr.execute(final_vars, inputs=inputs, overrides=overrides) == expected  # the memoized plan


@settings(max_examples=60, deadline=None)
@given(dataflows())
def test_plans_are_topological_and_free_values_only_after_their_last_use(flow):
    dependencies, final_vars, overrides, _ = flow
    module = ad_hoc_utils.module_from_source(_source(dependencies))
    graph = driver.Builder().with_modules(module).build().graph
    plan = graph.plan(final_vars, set(INPUTS), set(overrides))
    position = {step.name: i for i, step in enumerate(plan.steps)}
    freed_at = {}
    for index, step in enumerate(plan.steps):
        for argument in step.args:
            if argument in position:
                assert position[argument] < index, "a dependency runs after its consumer"
                assert argument not in freed_at, "a value is used after it was freed"
        for dropped in step.drops:
            assert dropped not in final_vars
            freed_at[dropped] = index
