"""does, step/Applicable, pipe_input (and pipe), pipe_output, mutate and apply_to.

Expected names, types, tags, dependencies, values and error texts were observed on 1.90.0;
deliberate departures from 1.x are marked "(2.0)".
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest

from hamilton import ad_hoc_utils, driver
from hamilton.deprecation import RemovedInHamilton3Warning
from hamilton.errors import DuplicateNodeError, TypeMismatchError
from hamilton.function_modifiers.base import InvalidDecoratorException, resolve_nodes
from hamilton.function_modifiers.configuration import config, hamilton_exclude
from hamilton.function_modifiers.dependencies import configuration, group, source, value
from hamilton.function_modifiers.macros import (
    Applicable,
    NotSameModuleError,
    SingleTargetError,
    apply_to,
    does,
    mutate,
    pipe,
    pipe_input,
    pipe_output,
    step,
)
from hamilton.node import DependencyType

from .resources_macros import elsewhere, mutations, steps

REQ, OPT = DependencyType.REQUIRED, DependencyType.OPTIONAL


def build(*functions, config=None) -> driver.Driver:
    module = ad_hoc_utils.create_temporary_module(*functions)
    return driver.Builder().with_modules(module).with_config(config or {}).build()


def nodes(fn, config=None) -> dict:
    return {n.name: n for n in resolve_nodes(fn, config or {})}


def inputs_of(node_) -> dict:
    return {name: dependency for name, (_, dependency) in node_.input_types.items()}


def _add(x: int, n: int = 1) -> int:
    return x + n


def add(x: int, n: int = 1) -> int:
    return x + n


def __add(x: int) -> int:
    return x


def _mul(x: int, m: int) -> int:
    return x * m


def _sum(**values: int) -> int:
    return sum(values.values())


# --------------------------------------------------------------------------------------------
# does
# --------------------------------------------------------------------------------------------


def test_does_keeps_the_functions_name_type_parameters_defaults_and_doc():
    @does(_sum)
    def total(a: int, b: int = 3) -> int:
        """The total."""

    (node_,) = resolve_nodes(total, {})
    assert (node_.name, node_.type, node_.documentation) == ("total", int, "The total.")
    assert inputs_of(node_) == {"a": REQ, "b": OPT}
    assert node_.default_parameter_values == {"b": 3}
    assert node_.tags == {"module": __name__}
    dr = build(total)
    assert dr.execute(["total"], inputs={"a": 1}) == {"total": 4}  # the decorated default applies
    assert dr.execute(["total"], inputs={"a": 1, "b": 10}) == {"total": 11}


def test_does_maps_replacing_function_parameters_to_decorated_parameters():
    def _combine(x: int, y: int) -> int:
        return x * 10 + y

    @does(_combine, x="b", y="a")
    def swapped(a: int, b: int) -> int:
        pass

    @does(_combine, x="a")  # unmapped parameters keep their names
    def partial(a: int, y: int) -> int:
        pass

    assert build(swapped, partial).execute(["swapped", "partial"], inputs={"a": 1, "b": 2, "y": 3}) == {
        "swapped": 21,
        "partial": 13,
    }
    assert does.map_kwargs({"a": 1, "b": 2}, {"x": "a"}) == {"x": 1, "b": 2}


@pytest.mark.parametrize("body", ["pass", "...", '"""Only a docstring."""', '"""Doc."""\n    pass'])
def test_does_accepts_empty_bodies(body):
    namespace = {"does": does, "_sum": _sum}
    exec(f"@does(_sum)\ndef f(a: int) -> int:\n    {body}\n", namespace)
    assert build(namespace["f"]).execute(["f"], inputs={"a": 2}) == {"f": 2}


@pytest.mark.parametrize("body", ["x = 1\n    return x", "return 1"])
def test_does_rejects_a_body_at_decoration(body):
    # (2.0) 1.x compares bytecode only, so a one-line `return 1` slipped through and was ignored.
    namespace = {"does": does, "_sum": _sum}
    with pytest.raises(
        InvalidDecoratorException, match=r'Function: f is not empty\. Must have only one line that consists of "pass"'
    ):
        exec(f"@does(_sum)\ndef f(a: int) -> int:\n    {body}\n", namespace)


def test_does_rejects_incompatible_signatures_at_decoration():
    def _two(x: int, y: int) -> int:
        return x + y

    def f(a: int, b: int) -> int:
        pass

    expected = (
        "The following function signatures are not compatible for use with @does: f with signature "
        "(a: int, b: int) -> int and replacing function _two with signature (x: int, y: int) -> int. Mapping for "
        "arguments provided was: {}. You can fix this by either adjusting the signature for the replacing function "
        "*or* adjusting the mapping."
    )
    with pytest.raises(InvalidDecoratorException) as error:
        does(_two)(f)
    assert str(error.value).startswith(expected)

    def _extra(a: int, b: int, c: int) -> int:  # an extra required parameter
        return a

    def _positional_only(a: int, b: int, /) -> int:
        return a

    for replacing in (_extra, _positional_only, len):
        with pytest.raises(InvalidDecoratorException, match="not compatible for use with @does"):
            does(replacing)(f)

    def _with_default(a: int, b: int, c: int = 5) -> int:
        return a + b + c

    assert build(does(_with_default)(f)).execute(["f"], inputs={"a": 1, "b": 1}) == {"f": 7}


def test_does_needs_keyword_friendly_parameters_and_valid_mappings():
    def positional(a: int, /) -> int:
        pass

    def variadic(*a: int) -> int:
        pass

    for fn in (positional, variadic):
        with pytest.raises(
            InvalidDecoratorException,
            match=r"Decorated function for @does \(and really, all of hamilton\), can only consist of keyword-friendly "
            r"arguments. The following parameters for \w+ are not keyword-friendly: \['a'\]",
        ):
            does(_sum)(fn)

    def f(a: int) -> int:
        pass

    # (2.0) 1.x raised KeyError / TypeError (unhashable list) here.
    for mapping in ({"x": "zz"}, {"x": ["a"]}, {"x": 3}):
        with pytest.raises(InvalidDecoratorException, match="must name a parameter of"):
            does(_sum, **mapping)(f)
    with pytest.raises(TypeError, match="'abc' is not a callable object"):
        does("abc")(f)


def test_does_is_the_only_node_creator():
    with pytest.raises(
        ValueError,
        match=r"Got multiple decorators for decorator @<class 'hamilton\.function_modifiers\.macros\.does'>\. Only one allowed\.",
    ):

        @does(_sum)
        @does(_sum)
        def f(a: int) -> int:
            pass


def test_does_composes_with_config_when_and_pipe_input():
    @pipe_input(step(_add, n=10))
    @does(_mul, x="a", m="b")
    @config.when(region="us")
    def product__us(a: int, b: int) -> int:
        pass

    dr = build(product__us, config={"region": "us"})
    assert dr.execute(["product"], inputs={"a": 1, "b": 3}) == {"product": 33}
    assert "product.with_add" in dr.graph.nodes
    assert "product" not in build(product__us, config={"region": "eu"}).graph.nodes


def test_does_with_a_coroutine_makes_an_async_node():
    # (2.0) 1.x wrapped it in a plain function returning the coroutine
    async def _double(a: int) -> int:
        return a * 2

    @does(_double)
    def f(a: int) -> int:
        pass

    (node_,) = resolve_nodes(f, {})
    assert inspect.iscoroutinefunction(node_.callable)
    assert asyncio.run(node_.callable(a=2)) == 4


# --------------------------------------------------------------------------------------------
# step / Applicable
# --------------------------------------------------------------------------------------------


def test_applicable_methods_return_new_steps():
    base = step(_add, 3, n=source("k"))
    assert (base.fn, base.args, base.kwargs, base.target_fn) == (_add, (3,), {"n": source("k")}, None)
    assert (base.name, base.namespace, base.target, base.resolvers) == (None, ..., None, [])
    changed = base.when(x=1).when_not(y=2).named("custom").on_output("out")
    assert (base.resolvers, base.name, base.target) == ([], None, None)  # unchanged
    assert (changed.name, changed.namespace, changed.target) == ("custom", ..., "out")
    assert changed.get_config_elements() == ["x", "y"]
    assert changed.resolves({"x": 1, "y": 3})
    assert not changed.resolves({"x": 1, "y": 2})
    assert step(_add).when_in(x=[1, 2]).when_not_in(y=[3]).resolves({"x": 2})
    assert not step(_add).when_in(x=[1, 2]).resolves({})
    # .named(name) keeps the namespace; an explicit one replaces it
    assert step(_add).namespaced("k").named("z").namespace == "k"
    assert step(_add).named("z", namespace="q").named("w").namespace == "q"
    assert step(_add).named("z", namespace=None).namespace is None
    assert step(_add).resolve_namespace("fn") == ("fn",)
    assert step(_add).namespaced(None).resolve_namespace("fn") == ()
    assert step(_add).namespaced("ns").resolve_namespace("fn") == ("ns",)
    assert isinstance(apply_to(_add, n=1), Applicable)
    assert apply_to(_add, n=1).target_fn is _add


def test_bind_function_args_splits_upstream_nodes_from_literals():
    assert step(_add, n=source("q")).bind_function_args("inp") == ({"x": "inp", "n": "q"}, {})
    assert step(_add, 2).bind_function_args("inp") == ({"x": "inp"}, {"n": 2})
    assert step(_add, n=value([1])).bind_function_args("inp") == ({"x": "inp"}, {"n": [1]})


def test_strings_are_not_functions():
    for make in (lambda: step("_add"), lambda: apply_to("data"), lambda: mutate("data")):
        with pytest.raises(TypeError, match=r"Strings are not supported currently\. Please provide function pointer\."):
            make()


def test_step_nodes_are_named_with_the_function_name_and_numbered_on_reuse():
    @pipe_input(
        step(_add),
        step(add, n=value(5)),
        step(_add, 7),
        step(__add),
        step(_add).named("custom"),
        step(_add),
        namespace=None,
    )
    def f(inp: int) -> int:
        return inp

    # `_add` and `add` both give with_add; 1.x then created with_add twice (a self-loop) (2.0: numbered)
    assert list(nodes(f)) == ["f", "with_add", "with_add_1", "with_add_2", "with__add", "custom", "with_add_4"]
    assert build(f).execute(["f"], inputs={"inp": 0}) == {"f": 0 + 1 + 5 + 7 + 1 + 1}


# --------------------------------------------------------------------------------------------
# pipe_input / pipe
# --------------------------------------------------------------------------------------------


def test_pipe_input_chains_steps_before_the_first_parameter():
    @pipe_input(step(steps.add_one), step(_mul, m=source("k")), step(steps.to_text))
    def final(inp: str, other: int) -> str:
        """Final doc."""
        return inp + str(other)

    produced = nodes(final)
    assert list(produced) == ["final", "final.with_add_one", "final.with_mul", "final.with_to_text"]
    assert {name: inputs_of(n) for name, n in produced.items()} == {
        "final": {"final.with_to_text": REQ, "other": REQ},
        "final.with_add_one": {"inp": REQ},
        "final.with_mul": {"final.with_add_one": REQ, "k": REQ},
        "final.with_to_text": {"final.with_mul": REQ},
    }
    assert {name: n.type for name, n in produced.items()} == {
        "final": str,
        "final.with_add_one": int,
        "final.with_mul": int,
        "final.with_to_text": str,
    }
    # step nodes carry the step function's module tag and docstring
    assert produced["final.with_add_one"].tags == {"module": steps.__name__}
    assert produced["final.with_add_one"].documentation == "Adds one."
    assert produced["final.with_mul"].tags == {"module": __name__}
    assert (produced["final"].tags, produced["final"].documentation) == ({"module": __name__}, "Final doc.")
    dr = build(final)
    assert dr.execute(["final", "final.with_mul"], inputs={"inp": 1, "k": 3, "other": 9}) == {
        "final": "69",
        "final.with_mul": 6,
    }


def test_step_arguments_sources_values_literals_and_free_parameters():
    def _combine(x: int, a: int, b: list, c: int = 100) -> int:
        return x + a + len(b) + c

    @pipe_input(step(_combine, source("aa"), b=[1, 2]), step(_add))
    def f(inp: int) -> int:
        return inp

    produced = nodes(f)
    # unbound parameters with defaults become optional, top-level (not namespaced) inputs
    assert inputs_of(produced["f.with_combine"]) == {"inp": REQ, "aa": REQ, "c": OPT}
    assert inputs_of(produced["f.with_add"]) == {"f.with_combine": REQ, "n": OPT}
    dr = build(f)
    assert dr.execute(["f"], inputs={"inp": 1, "aa": 10}) == {"f": 1 + 10 + 2 + 100 + 1}
    assert dr.execute(["f"], inputs={"inp": 1, "aa": 10, "c": 0, "n": 0}) == {"f": 13}


def test_one_upstream_may_feed_several_step_parameters():
    def _pair(x: int, y: int = 5) -> int:
        return x * 10 + y

    @pipe_input(step(_pair, y=source("inp")))
    def f(inp: int) -> int:
        return inp

    assert inputs_of(nodes(f)["f.with_pair"]) == {"inp": REQ}  # (2.0) 1.x: optional, from the stale default
    assert build(f).execute(["f"], inputs={"inp": 3}) == {"f": 33}


def test_pipe_input_namespaces():
    @pipe_input(step(_add), namespace=None)
    def no_ns(inp: int) -> int:
        return inp

    @pipe_input(step(_add, n=source("nn")), namespace="ns")
    def string_ns(inp: int) -> int:
        return inp

    @pipe_input(
        step(_add).named("custom"),
        step(_add).named("top", namespace=None),
        step(_add).named("c3", namespace="zz"),
        step(_add).namespaced("yy"),
    )
    def per_step(inp: int) -> int:
        return inp

    assert list(nodes(no_ns)) == ["no_ns", "with_add"]
    assert list(nodes(string_ns)) == ["string_ns", "ns.with_add"]
    assert inputs_of(nodes(string_ns)["ns.with_add"]) == {"inp": REQ, "nn": OPT}
    assert list(nodes(per_step)) == ["per_step", "per_step.custom", "top", "zz.c3", "yy.with_add_3"]
    assert inputs_of(nodes(per_step)["zz.c3"]) == {"top": REQ, "n": OPT}


@pytest.mark.parametrize("namespace", [None, "ns"])
@pytest.mark.parametrize("decorator", [pipe_input, pipe_output])
def test_a_step_namespace_conflicts_with_a_pipe_namespace(decorator, namespace):
    def f(inp: int) -> int:
        return inp

    for applicable in (step(_add).named("a", namespace="q"), step(_add).namespaced(None)):
        with pytest.raises(
            InvalidDecoratorException,
            match=r"Currently, setting namespace globally inside pipe\(\.\.\.\)/flow\(\.\.\.\) is not compatible with "
            r"setting namespace for a step\(\.\.\.\) call\.",
        ):
            decorator(applicable, namespace=namespace)(f)
    decorator(step(_add).named("a", namespace=...), namespace=namespace)(f)  # `...` is no custom namespace


def test_pipe_input_on_input_picks_the_parameter():
    @pipe_input(step(_add, n=2), on_input="y")
    def f(x: int, y: int) -> int:
        return x * 100 + y

    assert {name: inputs_of(n) for name, n in nodes(f).items()} == {
        "f": {"x": REQ, "f.with_add": REQ},
        "f.with_add": {"y": REQ},
    }
    assert build(f).execute(["f"], inputs={"x": 1, "y": 1}) == {"f": 103}


def test_pipe_input_unsupported_options():
    with pytest.raises(
        NotImplementedError,
        match=r"on_input currently only supports a single target parameter specified by a string\. Please reach out",
    ):
        pipe_input(step(_add), on_input=["a"])
    with pytest.raises(
        NotImplementedError,
        match=r"Collapsing step\(\) functions as one node is not yet implemented for pipe_input\(\)\.",
    ):
        pipe_input(step(_add), collapse=True)
    with pytest.raises(NotImplementedError, match=r"@flow\(\) is not yet supported -- this is "):
        pipe_input(step(_add), _chain=True)


def test_step_conditions_are_optional_config():
    @pipe_input(step(_add).when(a=1), step(_mul, m=2).when_not(b=1), step(_add, 3).when_in(c=[1, 2]))
    def f(inp: int) -> int:
        return inp

    decorator = f.__hamilton_modifiers__["inject"][0]
    assert decorator.optional_config() == {"a": None, "b": None, "c": None}
    assert list(nodes(f)) == ["f", "f.with_mul"]  # missing keys compare as None
    assert list(nodes(f, {"a": 1, "b": 1, "c": 2})) == ["f", "f.with_add", "f.with_add_1"]  # numbered after filtering
    dr = build(f, config={"a": 1})
    assert dr.execute(["f"], inputs={"inp": 1}) == {"f": 4}
    assert "a" in dr.graph.nodes  # config keys are inputs too
    assert build(f).execute(["f"], inputs={"inp": 1}) == {"f": 2}


@pytest.mark.parametrize("decorator", [pipe_input, pipe_output])
def test_invalid_steps_fail_at_decoration(decorator):
    def _none() -> int:
        return 1

    def _untyped(x, y) -> int:
        return 1

    def _no_return(x: int):
        return 1

    def _varargs(x: int, *rest: int) -> int:
        return x

    def f(inp: int) -> int:
        return inp

    made = decorator(step(_none))  # constructing is fine
    with pytest.raises(
        InvalidDecoratorException,
        match=r"Function: _none has no parameters. You cannot apply a function with no parameters.",
    ):
        made(f)
    for applicable, args_kwargs in (
        (step(_untyped, y=2), r"\(\) and the following kwargs: \{'y': 2\}"),
        (step(_no_return), r"\(\) and the following kwargs: \{\}"),
    ):
        with pytest.raises(
            InvalidDecoratorException,
            match=rf"cannot be applied with the following args: {args_kwargs}\. See documentation on pipe\(\), the "
            r"function shapes are currently restrictive",
        ):
            decorator(applicable)(f)
    for applicable, text in (
        (
            step(_add, x=3),
            r"Function: _add cannot be applied with the following args: \(\) and the following kwargs: \{'x': 3\}",
        ),
        (step(_add, zz=3), r"the following kwargs: \{'zz': 3\}"),
        (step(_add, 1, 2), r"Function: _add cannot be applied with the following args: \(1, 2\)"),
    ):
        with pytest.raises(InvalidDecoratorException, match=text):
            decorator(applicable)(f)
    with pytest.raises(
        InvalidDecoratorException,
        match=r"Function: _varargs has invalid parameters. You cannot apply a function with parameters that are not "
        r'keyword-friendly. The following parameters are not keyword-friendly: \[<Parameter "\*rest: int">\]',
    ):
        decorator(step(_varargs))(f)
    # (2.0) 1.x bound these dependency objects as literal values
    for argument in (group(source("a")), configuration("a")):
        with pytest.raises(InvalidDecoratorException, match=r"group\(\) and configuration\(\) are not supported"):
            decorator(step(_add, n=argument))(f)
    # (2.0) 1.x failed with AttributeError
    with pytest.raises(InvalidDecoratorException, match=r"takes steps, got <function _add"):
        decorator(_add)(f)


def test_pipe_input_misuse_2_0_errors():
    def f(inp: int, other: int) -> int:
        return inp

    # (2.0) 1.x silently piped the first parameter for an unknown on_input ...
    with pytest.raises(InvalidDecoratorException, match=r"pipe_input\(on_input='zz'\): .* has no such parameter"):
        pipe_input(step(_add), on_input="zz")(f)
    # ... and ignored step-level targets
    with pytest.raises(InvalidDecoratorException, match=r"only applies to pipe_output and mutate"):
        pipe_input(step(_add).on_output("other"))(f)

    def no_params() -> int:  # (2.0) 1.x: IndexError
        return 1

    with pytest.raises(InvalidDecoratorException, match="takes none"):
        pipe_input(step(_add))(no_params)


def test_pipe_input_needs_its_parameter_to_still_be_a_dependency():
    def inner(base: int) -> int:
        return base * 2

    try:
        from hamilton.function_modifiers.recursive import subdag
    except ImportError:  # pragma: no cover - written concurrently
        pytest.skip("subdag not available")

    @pipe_input(step(_add))
    @subdag(inner, inputs={"base": source("start")})
    def outer(inner: int) -> int:
        return inner

    with pytest.raises(
        InvalidDecoratorException,
        match=r"Function: outer has a first parameter that is not a dependency\. @pipe requires the parameter names to "
        r"match the function parameters\. Thus it might not be compatible with some other decorators",
    ):
        resolve_nodes(outer, {})


def test_two_pipes_creating_the_same_node_fail_at_build():
    @pipe_input(step(_add, n=10), on_input="b")
    @pipe_input(step(_add, n=100), on_input="a")
    def f(a: int, b: int) -> int:
        return a + b

    with pytest.raises(DuplicateNodeError, match=r"Cannot define function f.with_add more than once"):
        build(f)

    @pipe_input(step(_add, n=10), on_input="b", namespace="b")
    @pipe_input(step(_add, n=100), on_input="a")
    def g(a: int, b: int) -> int:
        return a + b

    assert set(nodes(g)) == {"g", "g.with_add", "b.with_add"}
    assert build(g).execute(["g"], inputs={"a": 0, "b": 0}) == {"g": 110}


def test_pipe_input_composes_with_config_when_and_tag():
    from hamilton.function_modifiers.metadata import tag

    @tag(owner="me")
    @pipe_input(step(_add))
    @config.when(region="us")
    def rate__us(base: int) -> int:
        return base

    produced = nodes(rate__us, {"region": "us"})
    assert set(produced) == {"rate.with_add", "rate"}
    assert produced["rate"].tags == {"module": __name__, "hamilton.config": "region", "owner": "me"}
    assert "owner" not in produced["rate.with_add"].tags  # tag targets final nodes only
    assert build(rate__us, config={"region": "us"}).execute(["rate"], inputs={"base": 1}) == {"rate": 2}


def test_pipe_input_composes_with_extract_fields():
    try:
        from hamilton.function_modifiers.expanders import extract_fields
    except ImportError:  # pragma: no cover - written concurrently
        pytest.skip("extract_fields not available")

    @pipe_input(step(_add, n=10))
    @extract_fields({"a": int, "b": int})
    def fields(x: int) -> dict:
        return {"a": x, "b": x * 2}

    produced = nodes(fields)
    assert set(produced) == {"fields.with_add", "fields", "a", "b"}
    assert inputs_of(produced["fields"]) == {"fields.with_add": REQ}
    assert build(fields).execute(["a", "b"], inputs={"x": 1}) == {"a": 11, "b": 22}


def test_pipe_is_a_deprecated_alias_of_pipe_input():
    with pytest.warns(RemovedInHamilton3Warning, match=r"@pipe is deprecated .* Use @pipe_input"):
        decorator = pipe(step(_add), namespace="ns")
    assert isinstance(decorator, pipe_input)

    def f(inp: int) -> int:
        return inp

    assert list(nodes(decorator(f))) == ["f", "ns.with_add"]


# --------------------------------------------------------------------------------------------
# pipe_output
# --------------------------------------------------------------------------------------------


def test_pipe_output_renames_the_node_raw_and_exposes_the_last_step():
    @pipe_output(step(_add), step(_mul, m=source("k")), step(steps.to_text))
    def f(a: int) -> int:
        """f doc"""
        return a

    produced = nodes(f)
    assert list(produced) == ["f.raw", "f.with_add", "f.with_mul", "f.with_to_text", "f"]
    assert {name: inputs_of(n) for name, n in produced.items()} == {
        "f.raw": {"a": REQ},
        "f.with_add": {"f.raw": REQ, "n": OPT},
        "f.with_mul": {"f.with_add": REQ, "k": REQ},
        "f.with_to_text": {"f.with_mul": REQ},
        "f": {"f.with_to_text": REQ},
    }
    assert {name: n.type for name, n in produced.items()} == {
        "f.raw": int,
        "f.with_add": int,
        "f.with_mul": int,
        "f.with_to_text": str,
        "f": str,  # the last step's type
    }
    assert produced["f"].input_types["f.with_to_text"][0] is Any
    assert (produced["f.raw"].tags, produced["f.raw"].documentation) == ({"module": __name__}, "f doc")
    assert produced["f.with_to_text"].tags == {"module": steps.__name__}
    # (2.0) 1.x tags the final node module="hamilton.function_modifiers.macros"
    assert (produced["f"].tags, produced["f"].documentation) == ({"module": __name__}, "")
    dr = build(f)
    assert dr.execute(["f", "f.raw", "f.with_add"], inputs={"a": 1, "k": 3}) == {
        "f": "6",
        "f.raw": 1,
        "f.with_add": 2,
    }


def test_pipe_output_namespaces_override_step_namespaces():
    @pipe_output(step(_add), namespace=None)
    def g(a: int) -> int:
        return a

    @pipe_output(step(_add), namespace="ns")
    def h(a: int) -> int:
        return a

    @pipe_output(
        step(_add),
        step(_add).named("q", namespace=None),
        step(_add).named("r"),
        step(_add).named("s", namespace="zz"),
        step(_add).namespaced("yy"),
    )
    def k(a: int) -> int:
        return a

    assert list(nodes(g)) == ["g.raw", "with_add", "g"]
    assert list(nodes(h)) == ["h.raw", "ns.with_add", "h"]
    # as in 1.x, pipe_output applies its namespace (default: the target's name) to every step
    assert list(nodes(k)) == ["k.raw", "k.with_add", "k.q", "k.r", "k.s", "k.with_add_4", "k"]
    assert build(k).execute(["k"], inputs={"a": 0}) == {"k": 5}


def test_pipe_output_step_conditions():
    @pipe_output(step(_add).when(x=1), step(_mul, m=2).when(x=2))
    def h(a: int) -> int:
        return a

    assert h.__hamilton_modifiers__["transform"][0].optional_config() == {"x": None}
    assert list(nodes(h)) == ["h"]  # no step applies: the node is left alone
    assert list(nodes(h, {"x": 2})) == ["h.raw", "h.with_mul", "h"]
    assert build(h).execute(["h"], inputs={"a": 3}) == {"h": 3}
    assert build(h, config={"x": 2}).execute(["h"], inputs={"a": 3}) == {"h": 6}

    @pipe_output()
    def empty(a: int) -> int:
        return a

    assert list(nodes(empty)) == ["empty"]


def test_pipe_output_target_errors():
    with pytest.raises(
        ValueError, match=r"Cannot apply Elipsis\(\.\.\.\) to on_output\. Use None, single string or list of strings\."
    ):
        pipe_output(step(_add), on_output=...)
    with pytest.raises(SingleTargetError, match=r"Cannot have target set on pipe_output and step level\."):
        pipe_output(step(_add).on_output("f1"), on_output="f2")
    with pytest.raises(
        NotImplementedError,
        match=r"Collapsing step\(\) functions as one node is not yet implemented for pipe\(\)\.",
    ):
        pipe_output(step(_add), collapse=True)
    with pytest.raises(NotImplementedError, match=r"@flow\(\) is not yet supported -- this is "):
        pipe_output(step(_add), _chain=True)

    @pipe_output(step(_add), on_output=["zz"])
    def f(x: int) -> int:
        return x

    with pytest.raises(InvalidDecoratorException, match=r"Could not find all nodes \['zz'\]"):
        resolve_nodes(f, {})

    @pipe_output(step(_add).on_output("zz"), step(_mul, m=2))
    def g(x: int) -> int:
        return x

    # (2.0) 1.x silently dropped a step whose target does not exist
    with pytest.raises(InvalidDecoratorException, match=r"\['zz'\] is not among the outputs pipe_output transforms"):
        resolve_nodes(g, {})


def test_pipe_output_type_mismatch_between_steps_fails_at_build():
    @pipe_output(step(steps.to_text), step(_add))
    def f(x: int) -> int:
        return x

    with pytest.raises(
        TypeMismatchError, match=r"Error: f\.with_add is expecting f\.with_to_text:<class 'int'>, but found"
    ):
        build(f)


def test_pipe_output_composes_with_tag_and_config_when():
    from hamilton.function_modifiers.metadata import tag

    @tag(owner="me")
    @pipe_output(step(_add, n=10))
    @config.when(k=1)
    def tgt__x(x: int) -> int:
        return x

    produced = nodes(tgt__x, {"k": 1})
    assert set(produced) == {"tgt.raw", "tgt.with_add", "tgt"}
    assert produced["tgt"].tags["owner"] == "me"
    assert "owner" not in produced["tgt.raw"].tags
    assert produced["tgt.raw"].tags["hamilton.config"] == "k"
    # as in 1.x, only the function's own node carries the config tag
    assert "hamilton.config" not in produced["tgt.with_add"].tags
    assert "hamilton.config" not in produced["tgt"].tags
    assert build(tgt__x, config={"k": 1}).execute(["tgt"], inputs={"x": 1}) == {"tgt": 11}


def test_pipe_input_and_pipe_output_on_one_function():
    @pipe_input(step(_add))
    @pipe_output(step(_mul, m=-1))
    def tgt(x: int) -> int:
        return x * 10

    assert {name: inputs_of(n) for name, n in nodes(tgt).items()} == {
        "tgt.with_add": {"x": REQ, "n": OPT},
        "tgt.raw": {"tgt.with_add": REQ},
        "tgt.with_mul": {"tgt.raw": REQ},
        "tgt": {"tgt.with_mul": REQ},
    }
    assert build(tgt).execute(["tgt"], inputs={"x": 1}) == {"tgt": -20}


def test_pipe_output_on_extract_fields_outputs():
    try:
        from hamilton.function_modifiers.expanders import extract_fields
    except ImportError:  # pragma: no cover - written concurrently
        pytest.skip("extract_fields not available")

    @pipe_output(step(_add).on_output("b"), step(_mul, m=2).on_output(["a", "c"]), step(_add, 100))
    @extract_fields({"a": int, "b": int, "c": int, "d": int})
    def per_step(x: int) -> dict:
        return {"a": x, "b": x, "c": x, "d": x}

    produced = nodes(per_step)
    assert {name: list(inputs_of(n)) for name, n in produced.items() if name.startswith(("a", "b"))} == {
        "a.raw": ["per_step"],
        "a.with_mul": ["a.raw"],
        "a.with_add": ["a.with_mul"],
        "a": ["a.with_add"],
        "b.raw": ["per_step"],
        "b.with_add": ["b.raw", "n"],
        "b.with_add_1": ["b.with_add"],
        "b": ["b.with_add_1"],
    }
    assert build(per_step).execute(["a", "b", "c", "d", "per_step"], inputs={"x": 1}) == {
        "a": 102,
        "b": 102,
        "c": 102,
        "d": 101,
        "per_step": {"a": 1, "b": 1, "c": 1, "d": 1},
    }

    @pipe_output(step(_add), on_output=["a"])
    @extract_fields({"a": int, "b": int})
    def listed(x: int) -> dict:
        return {"a": x, "b": x}

    assert set(nodes(listed)) == {"listed", "a.raw", "a.with_add", "a", "b"}

    @pipe_output(step(_add, n=5), on_output="whole")
    @extract_fields({"a": int})
    def whole(x: int) -> dict:
        return {"a": x}

    # a named target need not be final: here the dict node itself is piped
    assert set(nodes(whole)) == {"whole.raw", "whole.with_add", "whole", "a"}


# --------------------------------------------------------------------------------------------
# mutate / apply_to
# --------------------------------------------------------------------------------------------


def mutations_driver(cfg):
    dr = driver.Builder().with_modules(mutations).with_config(cfg).build()
    return dr, {v.name: v for v in dr.list_available_variables()}


def test_mutate_adds_steps_to_targets_in_definition_order():
    dr, variables = mutations_driver({"mode": "a"})
    assert variables["data"].required_dependencies == {"data.with_multiply"}
    assert variables["data.with_multiply"].required_dependencies == {"data.with_add"}
    assert variables["data.with_add"].required_dependencies == {"data.raw", "step_size"}
    assert variables["data.raw"].required_dependencies == {"raw"}
    assert variables["data.raw"].documentation == "The raw data."
    assert variables["data.with_add"].documentation == "Adds amount."
    # mutators are not nodes, whether private or public
    assert not {"_add", "_multiply", "double", "data.with_double"} & set(variables)
    computed = sorted(name for name, v in variables.items() if not v.is_external_input)
    assert dr.execute(computed, inputs={"raw": 1, "step_size": 5}) == {
        "data": 12,
        "data.raw": 1,
        "data.with_add": 6,
        "data.with_multiply": 12,
        "downstream": 1012,  # consumers see the mutated value
        "other": 45,  # per-target kwargs replace the mutate-level ones (factor=3), named step
        "other.raw": 10,
        "other.tripled": 45,
        "other.with_add": 15,
        "piped": 4,  # appended to the function's own pipe_output
        "piped.raw": 1,
        "piped.with_add": 4,
        "piped.with_negate": -1,
        "tagged": 6,
        "tagged.raw": 1,
        "tagged.with_add": 6,
        "variant": 2,
        "variant.raw": 1,
        "variant.with_double": 2,
    }
    # tags: step nodes get the mutator's module; @tag on the target still lands on the final node
    assert variables["tagged"].tags == {"module": mutations.__name__, "owner": "data-team"}
    assert "owner" not in variables["tagged.raw"].tags


def test_mutate_conditions_and_config_when_targets():
    dr, variables = mutations_driver({"mode": "b", "double": True})
    assert variables["data"].required_dependencies == {"data.with_double"}
    assert variables["variant.raw"].tags["hamilton.config"] == "mode"
    assert dr.execute(["data", "variant"], inputs={"raw": 1, "step_size": 5}) == {"data": 24, "variant": 202}


def test_mutate_marks_the_mutator_excluded():
    def target(raw: int) -> int:
        return raw

    def mutator(x: int) -> int:
        return x + 1

    assert mutate(target)(mutator) is mutator
    assert mutator.__hamilton_modifiers__["resolve"] == [hamilton_exclude]
    assert resolve_nodes(mutator, {}) == []
    assert list(nodes(target)) == ["target.raw", "target.with_mutator", "target"]


def test_mutate_targets_must_share_the_mutators_module():
    def mutator(x: int) -> int:
        return x

    with pytest.raises(NotSameModuleError) as error:
        mutate(apply_to(elsewhere.remote))(mutator)
    assert str(error.value).startswith(
        "The functions have to be in the same module... The target function remote is in module "
        f"{elsewhere.__name__} and the mutator function mutator is in module {__name__}."
    )
    assert "Use power user setting to disable this restriction" in str(error.value)
    assert "__hamilton_modifiers__" not in elsewhere.remote.__dict__  # nothing was attached
    unrestricted = mutate(elsewhere.remote)
    unrestricted.restrict_to_single_module = False
    try:
        unrestricted(mutator)
        assert "remote.with_mutator" in nodes(elsewhere.remote)
    finally:
        del elsewhere.remote.__hamilton_modifiers__


def test_mutate_misuse():
    def target(raw: int) -> int:
        return raw

    with pytest.raises(
        NotImplementedError, match=r"Collapsing functions as one node is not yet implemented for mutate\(\)"
    ):
        mutate(target, collapse=True)
    with pytest.raises(NotImplementedError, match=r"@flow\(\) is not yet supported -- this is "):
        mutate(target, _chain=True)
    with pytest.raises(
        TypeError, match=r"mutate\(\) targets must be functions or apply_to"
    ):  # (2.0) 1.x: AttributeError
        mutate(target, source("q"))

    def no_params() -> int:
        return 1

    def first(v: int) -> int:
        return v

    with pytest.raises(InvalidDecoratorException, match=r"Function: no_params has no parameters\."):
        mutate(target)(no_params)
    with pytest.raises(
        InvalidDecoratorException,
        match=r"Function: first cannot be applied with the following args: \(\) and the following kwargs: \{'v': 1\}",
    ):
        mutate(target, v=1)(first)
    assert "__hamilton_modifiers__" not in target.__dict__


def test_mutate_repeats_and_named_steps():
    def target(raw: int) -> int:
        return raw

    def add_n(x: int, n: int = 0) -> int:
        return x + n

    mutate(target, apply_to(target, n=1).named("plus_one", namespace="ignored"))(add_n)
    mutate(apply_to(target).when(flag=True))(add_n)
    assert list(nodes(target)) == ["target.raw", "target.with_add_n", "target.plus_one", "target"]
    assert list(nodes(target, {"flag": True}))[-2] == "target.with_add_n_2"  # named steps count too (1.x)
    assert build(target, config={"flag": True}).execute(["target"], inputs={"raw": 1, "n": 10}) == {"target": 22}


def test_mutate_on_extract_fields_outputs():
    try:
        from hamilton.function_modifiers.expanders import extract_fields
    except ImportError:  # pragma: no cover - written concurrently
        pytest.skip("extract_fields not available")

    @extract_fields({"f1": int, "f2": int})
    def fields(x: int) -> dict:
        return {"f1": x, "f2": x + 1}

    def times_two(v: int) -> int:
        return v * 2

    mutate(apply_to(fields).on_output("f2"))(times_two)
    assert set(nodes(fields)) == {"fields", "f1", "f2.raw", "f2.with_times_two", "f2"}
    assert build(fields).execute(["f1", "f2"], inputs={"x": 1}) == {"f1": 1, "f2": 4}

    @pipe_output(step(_add), on_output="f1")
    @extract_fields({"f1": int, "f2": int})
    def targeted(x: int) -> dict:
        return {"f1": x, "f2": x}

    # (2.0) 1.x silently dropped a step targeting another output than the existing pipe_output
    with pytest.raises(SingleTargetError):
        mutate(apply_to(targeted).on_output("f2"))(times_two)
    mutate(targeted)(times_two)  # without a step target, it joins the existing pipe_output's target
    assert [name for name in nodes(targeted) if name.startswith("f1.")] == [
        "f1.raw",
        "f1.with_add",
        "f1.with_times_two",
    ]
