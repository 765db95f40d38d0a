"""Fuzzing module construction: only documented, named errors may escape building and running.

Random modules (odd names, annotations, defaults, decorator stacks, cycles) are built into a
driver and executed. Bad input must surface as one of Hamilton's named errors, each saying what
to do; a raw ``AttributeError``/``KeyError``/``TypeError`` from inside Hamilton is a bug.
"""

from __future__ import annotations

import keyword
import types
import typing
from typing import Any, Optional

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hamilton import ad_hoc_utils, driver
from hamilton import errors as hamilton_errors
from hamilton.data_quality.base import DataValidationError
from hamilton.function_modifiers import (
    InvalidDecoratorException,
    check_output,
    config,
    extract_fields,
    fallback,
    hamilton_exclude,
    inject,
    parameterize,
    source,
    tag,
    value,
)
from hamilton.function_modifiers.base import MissingConfigParametersException

# The errors bad input may raise. ValueError covers hamilton.errors' named errors (all are
# ValueErrors) and the ValueErrors 1.x raised for misuse; the rest are Hamilton's own types.
ALLOWED = (
    ValueError,
    InvalidDecoratorException,
    MissingConfigParametersException,
    DataValidationError,
)
NAMED = tuple(cls for cls in vars(hamilton_errors).values() if isinstance(cls, type) and issubclass(cls, BaseException))

ANNOTATIONS: dict[str, tuple[Any, Any]] = {  # label -> (annotation, a value of that type)
    "int": (int, 1),
    "str": (str, "s"),
    "float": (float, 1.5),
    "optional_int": (Optional[int], None),  # noqa: UP045 (typing.Optional on purpose)
    "list_int": (list[int], [1]),
    "dict": (dict, {"f1": 1}),
    "any": (Any, 1),
    "annotated_int": (typing.Annotated[int, "meta"], 2),
    "union": (typing.Union[int, str], 3),
}

NAME_POOL = ["a", "b", "c", "n_1", "ñame", "数据", "_private", "__dunder__", "x__v2", "f1", "self"]
FUNCTION_NAMES = st.one_of(
    st.sampled_from(NAME_POOL),
    st.sampled_from(sorted(keyword.kwlist)),  # not a valid def name: set through __name__
    st.sampled_from(["", "with space", "__init__", "1abc"]),
)
PARAM_NAMES = st.sampled_from([n for n in NAME_POOL if n != "self"])


@st.composite
def decorator_stacks(draw, params: list[str]) -> list:
    """A few decorators, some valid for the function and some not."""
    param = draw(st.sampled_from(params)) if params and draw(st.booleans()) else "missing"
    choices = st.sampled_from(
        [
            lambda: config.when(k=draw(st.integers(0, 1))),
            lambda: config.when_not(k=1),
            lambda: config.when_in(k=[0, 1]),
            lambda: config.when_in(k=draw(st.sampled_from([0, "01", None]))),
            lambda: tag(owner="me"),
            lambda: tag(**{"hamilton.reserved": "x"}),
            lambda: check_output(range=(0, 10)),
            lambda: check_output(values_in=[1, "s"]),
            lambda: check_output(data_type=int, importance="fail"),
            lambda: extract_fields({"f1": int}),
            lambda: parameterize(p_out={param: value(1)}),
            lambda: inject(**{param: value(draw(st.sampled_from([1, "s", None])))}),
            lambda: inject(**{param: source(draw(PARAM_NAMES))}),
            lambda: fallback(**{param: value(0)}),
            lambda: hamilton_exclude,
        ]
    )
    return [draw(choices)() for _ in range(draw(st.integers(0, 3)))]


@st.composite
def function_specs(draw) -> types.FunctionType:
    params = draw(st.lists(PARAM_NAMES, max_size=3, unique=True))
    annotations = {p: draw(st.sampled_from([*ANNOTATIONS, "missing", "undefined"])) for p in params}
    return_label = draw(st.sampled_from([*ANNOTATIONS, "missing", "none"]))
    defaults = {p: ANNOTATIONS.get(annotations[p], (None, 0))[1] for p in params if draw(st.booleans())}
    returned = ANNOTATIONS.get(return_label, (None, 1))[1] if draw(st.booleans()) else "wrong type"

    ordered = sorted(params, key=lambda p: p in defaults)  # defaults last: valid Python
    signature = ", ".join(f"{p}=__d_{p}" if p in defaults else p for p in ordered)
    namespace: dict[str, Any] = {f"__d_{p}": v for p, v in defaults.items()}
    namespace["__name__"] = "fuzzed_module"
    namespace["__returned"] = returned
    exec(f"def fn({signature}):\n    return __returned\n", namespace)
    fn = namespace["fn"]
    for p in params:
        label = annotations[p]
        if label == "undefined":
            fn.__annotations__[p] = "NotDefinedAnywhere"
        elif label != "missing":
            fn.__annotations__[p] = ANNOTATIONS[label][0]
    if return_label == "none":
        fn.__annotations__["return"] = None
    elif return_label != "missing":
        fn.__annotations__["return"] = ANNOTATIONS[return_label][0]
    fn.__name__ = fn.__qualname__ = draw(FUNCTION_NAMES)
    for decorator in draw(decorator_stacks(params)):
        fn = decorator(fn)
    return fn


def _inputs(dr: driver.Driver, cfg: dict[str, Any]) -> dict[str, Any]:
    """A value of a fitting type for every external input (1 when the type is unusual)."""
    by_type = {repr(annotation): sample for annotation, sample in ANNOTATIONS.values()}
    return {
        var.name: by_type.get(repr(var.type), 1)
        for var in dr.list_available_variables()
        if var.is_external_input and var.originating_functions is None and var.name not in cfg
    }


def _check(error: BaseException) -> None:
    """Fail on an error that is neither allowed nor raised from user code."""
    if isinstance(error, ALLOWED + NAMED):
        return
    if isinstance(error, TypeError) and "Cannot evaluate the type annotations" in str(error):
        return  # the function's own annotation cannot be evaluated: a named, actionable message
    raise AssertionError(f"raw {type(error).__name__} escaped Hamilton: {error}") from error


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_only_named_errors_escape_building_and_executing(data):
    functions = []
    try:
        functions = data.draw(st.lists(function_specs(), min_size=1, max_size=5))
    except Exception as error:  # a decorator refusing the function at decoration time
        _check(error)
        return
    cfg = data.draw(st.sampled_from([{}, {"k": 0}, {"k": 1}]))
    try:
        module = ad_hoc_utils.create_temporary_module(*functions)
        dr = driver.Builder().with_modules(module).with_config(cfg).build()
        outputs = [v.name for v in dr.list_available_variables() if not v.is_external_input]
        if outputs:
            dr.execute(outputs, inputs=_inputs(dr, cfg))
    except Exception as error:
        _check(error)
