"""parameterize & co., inject, extract_columns/fields, unpack_fields (Hamilton 1.x behaviour).

Dataframe-typed decorators run on the pure-Python ``Table`` backend (``table_backend.py``);
functions returning a ``Table`` are decorated inside the tests, after the backend is registered.
"""

import asyncio
import typing
from typing import Any, TypedDict

import pytest

from hamilton import driver
from hamilton.deprecation import RemovedInHamilton3Warning
from hamilton.function_modifiers import base, config, hamilton_exclude
from hamilton.function_modifiers.dependencies import configuration, group, source, value
from hamilton.function_modifiers.expanders import (
    ParameterizedExtract,
    extract_columns,
    extract_fields,
    inject,
    parameterize,
    parameterize_extract_columns,
    parameterize_sources,
    parameterize_values,
    parameterized_inputs,
    parametrized,
    parametrized_input,
    unpack_fields,
)
from hamilton.node import DependencyType

from .resources_expanders import pricing
from .table_backend import Column, Table

REQUIRED = DependencyType.REQUIRED
OPTIONAL = DependencyType.OPTIONAL
InvalidDecoratorException = base.InvalidDecoratorException


def nodes_of(fn, cfg=None):
    return {n.name: n for n in base.resolve_nodes(fn, cfg or {})}


def inputs_of(node_):
    return {name: (type_, dependency) for name, (type_, dependency) in node_.input_types.items()}


def execute(*functions, outputs, inputs=None, cfg=None):
    dr = driver.Builder().with_functions(*functions).with_config(cfg or {}).build()
    return dr.execute(outputs, inputs=inputs or {})


# -- parameterize ----------------------------------------------------------------------------


def _price(base_price: float, markup: float, discount: float = 0.0) -> float:
    """Price of {output_name}: {base_price} times {markup}, {unknown}."""
    return base_price * markup - discount


def test_parameterize_makes_one_node_per_output_and_drops_the_original():
    fn = parameterize(a={"markup": value(1.0)}, b={"markup": source("m")})(_fresh(_price))
    assert list(nodes_of(fn)) == ["a", "b"]


def test_parameterize_source_rewires_the_dependency_keeping_type_and_optionality():
    def f(x: int, y: float = 2.0) -> float:
        return x * y

    nodes = nodes_of(parameterize(out={"x": source("a"), "y": source("b")})(f))
    assert inputs_of(nodes["out"]) == {"a": (int, REQUIRED), "b": (float, OPTIONAL)}
    assert nodes["out"].default_parameter_values == {"b": 2.0}
    assert nodes["out"].type is float


def test_parameterize_value_binds_a_literal_and_removes_the_dependency():
    nodes = nodes_of(parameterize(out={"markup": value(3.0)})(_fresh(_price)))
    assert inputs_of(nodes["out"]) == {"base_price": (float, REQUIRED), "discount": (float, OPTIONAL)}
    assert nodes["out"](base_price=2.0) == 6.0


def test_parameterize_group_depends_on_every_member_source_typed_by_element():
    def f(xs: list[int], named: dict[str, float] | None) -> float:
        return sum(xs) * 1000 + sum(named.values())

    fn = parameterize(out={"xs": group(source("a"), value(7)), "named": group(p=source("b"), q=value(100.0))})(f)
    out = nodes_of(fn)["out"]
    assert inputs_of(out) == {"a": (int, REQUIRED), "b": (float, REQUIRED)}

    def a() -> int:
        return 1

    def b() -> float:
        return 20.0

    assert execute(fn, a, b, outputs=["out"]) == {"out": 8120.0}


def test_parameterize_one_source_may_feed_several_parameters_and_names_may_swap():
    def f(x: int, y: int) -> int:
        return x * 10 + y

    same = nodes_of(parameterize(out={"x": source("y")})(_fresh(f)))["out"]
    assert inputs_of(same) == {"y": (int, REQUIRED)}
    assert execute(parameterize(out={"x": source("y")})(_fresh(f)), outputs=["out"], inputs={"y": 3}) == {"out": 33}
    swapped = parameterize(out={"x": source("y"), "y": source("x")})(_fresh(f))
    assert execute(swapped, outputs=["out"], inputs={"x": 4, "y": 3}) == {"out": 34}


def test_parameterize_optional_source_left_out_uses_the_parameter_default():
    """1.x raises KeyError here (the renamed optional input loses its default); we apply it."""

    def f(x: int = 3) -> int:
        return x

    fn = parameterize(out={"x": source("a")})(f)
    assert execute(fn, outputs=["out"]) == {"out": 3}
    assert execute(fn, outputs=["out"], inputs={"a": 5}) == {"out": 5}


def test_parameterize_docstrings_template_or_explicit():
    fn = parameterize(
        a={"markup": value(1.5), "base_price": source("cost")},
        b=({"markup": value(2.0)}, "Explicit doc."),
        c=({"markup": value(2.0)}, None),
    )(_fresh(_price))
    nodes = nodes_of(fn)
    assert nodes["a"].documentation == "Price of a: cost times 1.5, unknown."
    assert nodes["b"].documentation == "Explicit doc."
    assert nodes["c"].documentation == ""


def test_parameterize_without_docstring_gives_empty_docs():
    def f(x: int) -> int:
        return x

    assert nodes_of(parameterize(out={"x": value(1)})(f))["out"].documentation == ""


def test_parameterize_copies_tags_and_runs_through_the_driver():
    dr = driver.Builder().with_modules(pricing).build()
    nodes = {n.name: n for n in dr.list_available_variables()}
    assert nodes["price_us"].tags == {"module": pricing.__name__}
    assert nodes["price_eu"].documentation == "EU price."
    assert nodes["price_us"].documentation == "Price of price_us: base_price times 1.5."
    assert "price" not in nodes
    result = dr.execute(["price_us", "price_eu", "double_us", "double_eu"], inputs={"discount": 1.0})
    assert result == pytest.approx({"price_us": 14.0, "price_eu": 11.0, "double_us": 28.0, "double_eu": 22.0})


def test_parameterize_with_no_parameterization_produces_no_nodes():
    def f(x: int) -> int:
        return x

    assert nodes_of(parameterize()(f)) == {}


def test_parameterize_rejects_non_dependencies_at_construction():
    with pytest.raises(
        InvalidDecoratorException,
        match=r"@parameterize must specify a dependency type -- either source\(\) or value\(\)\.The following are not allowed: \[1, 's'\]\.",
    ):
        parameterize(a={"x": 1}, b={"y": "s"})


def test_parameterize_rejects_configuration_dependencies():
    """1.x silently ignores configuration() here (the parameter stays an input)."""
    with pytest.raises(InvalidDecoratorException, match="not allowed"):
        parameterize(a={"x": configuration("k")})


@pytest.mark.parametrize(
    "spec", [[1], ({"x": value(1)},), ({"x": value(1)}, "doc", "extra")], ids=["list", "1-tuple", "3-tuple"]
)
def test_parameterize_rejects_malformed_specs(spec):
    with pytest.raises(InvalidDecoratorException, match="for out"):
        parameterize(out=spec)


def test_parameterize_rejects_unknown_parameters_at_decoration():
    def f(x: int, y: int) -> int:
        return x

    with pytest.raises(
        InvalidDecoratorException,
        match="Parametrization is invalid: the following parameters don't appear in the function itself: qq, zz",
    ):
        parameterize(a={"x": value(1)}, b={"zz": value(2), "qq": value(3)})(f)


def test_parameterize_reserves_the_output_name_parameter():
    def f(x: int, output_name: str) -> int:
        return x

    with pytest.raises(
        InvalidDecoratorException,
        match=r"Error function .*\.f cannot have 'output_name'as a parameter it is reserved\.",
    ):
        parameterize(a={"x": value(1)})(f)


def test_parameterize_group_requires_a_list_or_dict_annotation():
    def f(xs: int, ys: dict[str, int]) -> int:
        return xs

    with pytest.raises(
        InvalidDecoratorException,
        match=r"Validation for fn: f All parameters with a group\(\) parameterization must be annotated as a "
        r"list: the following are not: xs \(<class 'int'>\), ys \(dict\[str, int\]\)",
    ):
        parameterize(a={"xs": group(source("a")), "ys": group(source("b"))})(f)


@pytest.mark.parametrize("template", ["{output_name} {x", "{0}", "{x.nope}", "{x[k]}"])
def test_parameterize_bad_docstring_templates_fail_at_decoration(template):
    def f(x: dict) -> int:
        return 1

    f.__doc__ = template
    with pytest.raises(InvalidDecoratorException, match=r"Function docstring templating is incorrect\. Please fix up"):
        parameterize(a={"x": value({})})(f)


def test_parameterize_docstring_templates_are_not_checked_for_explicit_docstrings():
    def f(x: int) -> int:
        """{broken"""
        return x

    assert nodes_of(parameterize(a=({"x": value(1)}, "fine"))(f))["a"].documentation == "fine"


def test_only_one_expander_per_function():
    def f(x: int) -> int:
        return x

    with pytest.raises(
        ValueError, match=r"Got multiple decorators for decorator @<class '.*inject'>\. Only one allowed\."
    ):
        inject(x=value(1))(parameterize(a={"x": value(2)})(f))


def test_parameterize_composes_with_config_when():
    @parameterize(a={"x": value(1)}, b={"x": value(2)})
    @config.when(mode="on")
    def f__on(x: int) -> int:
        return x

    assert nodes_of(f__on, {"mode": "off"}) == {}
    nodes = nodes_of(f__on, {"mode": "on"})
    assert {name: n.tags["hamilton.config"] for name, n in nodes.items()} == {"a": "mode", "b": "mode"}
    assert execute(f__on, outputs=["a", "b"], cfg={"mode": "on"}) == {"a": 1, "b": 2}


def test_parameterize_composes_with_hamilton_exclude():
    @hamilton_exclude
    @parameterize(a={"x": value(1)})
    def f(x: int) -> int:
        return x

    assert nodes_of(f) == {}


def test_parameterize_and_extract_columns_need_parameterize_extract_columns():
    @extract_columns("x")
    @parameterize(a={"n": value(1)}, b={"n": value(2)})
    def f(n: int) -> Table:
        return Table({"x": [n]})

    with pytest.raises(InvalidDecoratorException, match=r"Expected a single node to transform, but got 2\."):
        nodes_of(f)


# -- parameterize_sources / parameterize_values / inject ---------------------------------------


def test_parameterize_sources_rewires_to_named_nodes():
    def f(x: int, y: int) -> int:
        """{output_name} from {x} and {y}."""
        return x + y

    nodes = nodes_of(parameterize_sources(o={"x": "a"}, p={"x": "b", "y": "c"})(f))
    assert inputs_of(nodes["o"]) == {"a": (int, REQUIRED), "y": (int, REQUIRED)}
    assert inputs_of(nodes["p"]) == {"b": (int, REQUIRED), "c": (int, REQUIRED)}
    assert nodes["p"].documentation == "p from b and c."
    assert nodes["p"](b=1, c=2) == 3


def test_parameterize_sources_errors():
    with pytest.raises(ValueError, match="Cannot pass empty/None dictionary to parameterize_sources"):
        parameterize_sources()
    with pytest.raises(ValueError, match=r"Error, o has a none/empty dictionary mapping\. Please fill it\."):
        parameterize_sources(o={})
    with pytest.raises(InvalidDecoratorException, match="upstream node names"):
        parameterize_sources(o={"x": 1})

    def f(x: int) -> int:
        return x

    with pytest.raises(InvalidDecoratorException, match="don't appear in the function itself: zz"):
        parameterize_sources(o={"zz": "a"})(f)


def test_parameterize_values_binds_one_parameter_with_docstrings():
    def f(x: int, y: int) -> int:
        return x * y

    nodes = nodes_of(parameterize_values("x", {("double", "Twice y."): 2, ("triple", "Thrice y."): 3})(f))
    assert [(n.name, n.documentation) for n in nodes.values()] == [("double", "Twice y."), ("triple", "Thrice y.")]
    assert inputs_of(nodes["triple"]) == {"y": (int, REQUIRED)}
    assert execute(pricing.scaled, pricing.base_price, outputs=["tenfold", "hundredfold"]) == {
        "tenfold": 100.0,
        "hundredfold": 1000.0,
    }


def test_parameterize_values_requires_name_and_docstring_keys():
    with pytest.raises(
        InvalidDecoratorException,
        match=r"assigned_output key is incorrect: o1\. The parameterized decorator needs a dict of \[name, doc string\] -> value to function\.",
    ):
        parameterize_values("x", {"o1": 1})


def test_inject_keeps_the_function_name():
    nodes = nodes_of(pricing.basket)
    assert list(nodes) == ["basket"]
    assert inputs_of(nodes["basket"]) == {"price_us": (float, REQUIRED), "price_eu": (float, REQUIRED)}
    assert nodes["basket"].documentation == "Basket of prices."
    dr = driver.Builder().with_modules(pricing).build()
    assert dr.execute(["basket"]) == pytest.approx({"basket": 15.0 + 12.0 + 1.0 + 6})


def test_inject_of_nothing_keeps_the_node_and_rejects_non_dependencies():
    def f(x: int) -> int:
        return x

    assert inputs_of(nodes_of(inject()(f))["f"]) == {"x": (int, REQUIRED)}
    with pytest.raises(InvalidDecoratorException, match="The following are not allowed: \\[1\\]"):
        inject(x=1)


def test_inject_composes_with_extract_fields():
    @extract_fields({"p": int, "q": int})
    @inject(xs=group(source("a"), source("b")))
    def h(xs: list[int]) -> dict:
        return {"p": xs[0], "q": xs[1]}

    nodes = nodes_of(h)
    assert list(nodes) == ["h", "p", "q"]
    assert inputs_of(nodes["h"]) == {"a": (int, REQUIRED), "b": (int, REQUIRED)}
    assert execute(h, outputs=["p", "q"], inputs={"a": 1, "b": 2}) == {"p": 1, "q": 2}


# -- deprecated aliases ---------------------------------------------------------------------------


def test_parametrized_is_a_deprecated_parameterize_values():
    def f(x: int) -> int:
        return x

    with pytest.warns(RemovedInHamilton3Warning, match="@parametrized is deprecated.*parameterize_values"):
        decorator = parametrized("x", {("o1", "d1"): 1})
    assert isinstance(decorator, parameterize_values)
    nodes = nodes_of(decorator(f))
    assert (nodes["o1"].documentation, nodes["o1"]()) == ("d1", 1)


def test_parameterized_inputs_is_a_deprecated_parameterize_sources():
    def f(x: int) -> int:
        return x

    with pytest.warns(RemovedInHamilton3Warning, match="@parameterized_inputs is deprecated.*parameterize_sources"):
        decorator = parameterized_inputs(o={"x": "a"})
    assert isinstance(decorator, parameterize_sources)
    assert inputs_of(nodes_of(decorator(f))["o"]) == {"a": (int, REQUIRED)}


def test_parametrized_input_maps_inputs_to_outputs():
    def f(x: int, y: int) -> int:
        return x + y

    with pytest.warns(RemovedInHamilton3Warning, match="@parametrized_input is deprecated"):
        decorator = parametrized_input("x", {"a": ("o1", "d1"), "b": ("o2", "d2")})
    nodes = nodes_of(decorator(f))
    assert {name: (list(inputs_of(n)), n.documentation) for name, n in nodes.items()} == {
        "o1": (["a", "y"], "d1"),
        "o2": (["b", "y"], "d2"),
    }
    with (
        pytest.warns(RemovedInHamilton3Warning),
        pytest.raises(InvalidDecoratorException, match="assigned_output key is incorrect: a"),
    ):
        parametrized_input("x", {"a": "o1"})


# -- extract_columns -------------------------------------------------------------------------


def _frame_fn():
    def df(a: int) -> Table:
        """The frame."""
        return Table({"x": [a, 2], "y": [3, 4]})

    return df


def test_extract_columns_keeps_the_frame_and_adds_one_typed_node_per_column():
    nodes = nodes_of(extract_columns("x", ("y", "Column y."))(_frame_fn()))
    assert list(nodes) == ["df", "x", "y"]
    assert (nodes["df"].type, nodes["x"].type, nodes["y"].type) == (Table, Column, Column)
    assert inputs_of(nodes["x"]) == {"df": (Table, REQUIRED)}
    assert (nodes["x"].documentation, nodes["y"].documentation) == ("The frame.", "Column y.")
    assert nodes["x"].tags == nodes["df"].tags == {"module": __name__}


def test_extract_columns_values_through_the_driver():
    fn = extract_columns("x", "y")(_frame_fn())
    assert execute(fn, outputs=["x", "y", "df"], inputs={"a": 1}) == {
        "x": [1, 2],
        "y": [3, 4],
        "df": Table({"x": [1, 2], "y": [3, 4]}),
    }


def test_extract_columns_missing_column_fails_at_run_time():
    fn = extract_columns("x", "zz")(_frame_fn())
    with pytest.raises(
        InvalidDecoratorException, match=r"No such column: zz produced by df\. It only produced \['x', 'y'\]"
    ):
        execute(fn, outputs=["zz"], inputs={"a": 1})


def test_extract_columns_fill_with_adds_missing_columns():
    fn = extract_columns("x", "zz", fill_with=0)(_frame_fn())
    result = execute(fn, outputs=["zz", "df"], inputs={"a": 1})
    assert result == {"zz": [0, 0], "df": Table({"x": [1, 2], "y": [3, 4], "zz": [0, 0]})}


def test_extract_columns_argument_errors_at_construction():
    with pytest.raises(InvalidDecoratorException, match=r"Error empty arguments passed to extract_columns decorator\."):
        extract_columns()
    with pytest.raises(InvalidDecoratorException, match=r"Error list passed in\. Please `\*` in front of it"):
        extract_columns(["a", "b"])
    for bad in [("a",), ("a", "b", "c"), 1]:
        with pytest.raises(InvalidDecoratorException, match="name or a \\(name, docstring\\) tuple"):
            extract_columns(bad)


def test_extract_columns_rejects_unsupported_return_types_at_decoration():
    def f(a: int) -> dict:
        return {}

    with pytest.raises(
        InvalidDecoratorException,
        match=r"Error <function .*f at .*> does not output a type we know about\. Is it a dataframe type we support\? ",
    ):
        extract_columns("x")(f)


def test_extract_columns_accepts_subclasses_of_registered_frames():
    class MyTable(Table):
        pass

    def f() -> MyTable:
        return MyTable({"x": [1]})

    assert nodes_of(extract_columns("x")(f))["x"].type is Column


def test_extract_columns_supports_async_functions():
    async def df(a: int) -> Table:
        return Table({"x": [a]})

    nodes = nodes_of(extract_columns("x", "q", fill_with=5)(df))
    frame_node = nodes["df"]
    assert asyncio.iscoroutinefunction(frame_node.callable)
    frame = asyncio.run(frame_node.callable(a=3))
    assert frame == Table({"x": [3], "q": [5]})
    assert nodes["q"](df=frame) == [5]


def test_extract_columns_composes_with_config_when():
    @extract_columns("x")
    @config.when(kind="t")
    def df__t(a: int) -> Table:
        return Table({"x": [a]})

    nodes = nodes_of(df__t, {"kind": "t"})
    assert list(nodes) == ["df", "x"]
    assert nodes["x"].tags["hamilton.config"] == "kind"
    assert execute(df__t, outputs=["x"], inputs={"a": 4}, cfg={"kind": "t"}) == {"x": [4]}


# -- parameterize_extract_columns ------------------------------------------------------------


def _wide_fn():
    def df(a: int, b: int, c: int = 5) -> Table:
        """Frame from {a}, as {output_name}."""
        return Table({"p": [a], "q": [b], "r": [c]})

    return df


def _two_extracts():
    return parameterize_extract_columns(
        ParameterizedExtract(("x1", "y1", "z1"), {"a": source("s1"), "b": value(2)}),
        ParameterizedExtract(("x2", "y2", "z2"), {"a": value(10)}),
    )


def test_parameterize_extract_columns_nodes():
    nodes = nodes_of(_two_extracts()(_wide_fn()))
    assert list(nodes) == ["df__0", "x1", "y1", "z1", "df__1", "x2", "y2", "z2"]
    assert inputs_of(nodes["df__0"]) == {"s1": (int, REQUIRED), "c": (int, OPTIONAL)}
    assert inputs_of(nodes["df__1"]) == {"b": (int, REQUIRED), "c": (int, OPTIONAL)}
    assert inputs_of(nodes["y2"]) == {"df__1": (Table, REQUIRED)}
    assert (nodes["df__0"].type, nodes["x1"].type) == (Table, Column)
    assert nodes["df__0"].documentation == nodes["x1"].documentation == "Frame from s1, as df__0."
    assert nodes["z2"].documentation == "Frame from 10, as df__1."


def test_parameterize_extract_columns_renames_columns_positionally():
    result = execute(_two_extracts()(_wide_fn()), outputs=["x1", "y1", "z2", "df__0"], inputs={"s1": 7, "b": 3})
    assert result == {"x1": [7], "y1": [2], "z2": [5], "df__0": Table({"x1": [7], "y1": [2], "z1": [5]})}


def test_parameterize_extract_columns_without_reassigning_extracts_by_name():
    """1.x renames positionally even with reassign_columns=False; we honour the flag."""
    fn = parameterize_extract_columns(
        ParameterizedExtract(("r", "p"), {"a": source("s1"), "b": value(2)}), reassign_columns=False
    )(_wide_fn())
    result = execute(fn, outputs=["r", "p", "df__0"], inputs={"s1": 7})
    assert result == {"r": [5], "p": [7], "df__0": Table({"p": [7], "q": [2], "r": [5]})}


def test_parameterize_extract_columns_positional_rename_needs_one_name_per_column():
    fn = parameterize_extract_columns(ParameterizedExtract(("x", "y"), {"a": value(1), "b": value(2)}))(_wide_fn())
    with pytest.raises(ValueError, match="Length mismatch: Expected axis has 3 elements, new values have 2 elements"):
        execute(fn, outputs=["x"])


def test_parameterize_extract_columns_errors():
    with pytest.raises(InvalidDecoratorException, match="ParameterizedExtract objects"):
        parameterize_extract_columns(("x",))
    with pytest.raises(InvalidDecoratorException, match="non-empty tuple of column names"):
        parameterize_extract_columns(ParameterizedExtract("xy", {}))
    with pytest.raises(InvalidDecoratorException, match=r"The following are not allowed: \[1\]"):
        parameterize_extract_columns(ParameterizedExtract(("x",), {"a": 1}))
    with pytest.raises(InvalidDecoratorException, match="don't appear in the function itself: zz"):
        parameterize_extract_columns(ParameterizedExtract(("x",), {"zz": value(1)}))(_wide_fn())

    def t(a: int) -> tuple[int, int]:
        return (a, a)

    with pytest.raises(InvalidDecoratorException, match="does not output a type we know about"):
        parameterize_extract_columns(ParameterizedExtract(("x",), {"a": value(1)}))(t)


def test_parameterize_extract_columns_composes_with_config_when_and_supports_async():
    @parameterize_extract_columns(ParameterizedExtract(("x",), {"a": value(1)}))
    @config.when(k=1)
    def df__one(a: int) -> Table:
        return Table({"p": [a]})

    nodes = nodes_of(df__one, {"k": 1})
    assert list(nodes) == ["df__0", "x"]
    assert {n.tags["hamilton.config"] for n in nodes.values()} == {"k"}

    async def adf(a: int) -> Table:
        return Table({"p": [a]})

    frame_node = nodes_of(parameterize_extract_columns(ParameterizedExtract(("x",), {"a": value(1)}))(adf))["adf__0"]
    assert asyncio.iscoroutinefunction(frame_node.callable)
    assert asyncio.run(frame_node.callable()) == Table({"x": [1]})


# -- extract_fields --------------------------------------------------------------------------


class Summary(TypedDict):
    mean: float
    count: int


class Partial(TypedDict, total=False):
    mean: float


def _dict_fn(returns):
    def d(a: int) -> returns:
        """Stats."""
        return {"mean": a / 2, "count": a}

    return d


def test_extract_fields_dict_form_keeps_the_dict_and_adds_typed_fields():
    nodes = nodes_of(extract_fields({"mean": float, "count": int})(_dict_fn(dict)))
    assert list(nodes) == ["d", "mean", "count"]
    assert (nodes["mean"].type, nodes["count"].type) == (float, int)
    assert inputs_of(nodes["count"]) == {"d": (dict, REQUIRED)}
    assert nodes["count"].documentation == "Stats."
    assert nodes["count"].tags == {"module": __name__}


@pytest.mark.parametrize(
    ("args", "returns", "expected"),
    [
        ((["mean", "count"],), dict[str, float], {"mean": float, "count": float}),
        (("mean", "count"), typing.Dict[str, int], {"mean": int, "count": int}),  # noqa: UP006
        ((["mean"], "count"), dict[str, Any], {"mean": Any, "count": Any}),
        ((), Summary, {"mean": float, "count": int}),
        (("count",), Summary, {"count": int}),
        (({"count": bool},), Summary, {"count": bool}),
        ((), Partial, {"mean": float}),
        (({"mean": list[int], "count": int | None},), dict, {"mean": list[int], "count": int | None}),
    ],
)
def test_extract_fields_forms(args, returns, expected):
    nodes = nodes_of(extract_fields(*args)(_dict_fn(returns)))
    assert {name: n.type for name, n in nodes.items() if name != "d"} == expected


def test_extract_fields_accepts_typeddict_backports():
    typing_extensions = pytest.importorskip("typing_extensions")

    class Backported(typing_extensions.TypedDict):
        mean: float

    assert nodes_of(extract_fields()(_dict_fn(Backported)))["mean"].type is float


def test_extract_fields_values_and_fill_with():
    fn = extract_fields({"mean": float, "count": int, "extra": str}, fill_with="F")(_dict_fn(dict))
    result = execute(fn, outputs=["mean", "extra", "d"], inputs={"a": 4})
    assert result == {"mean": 2.0, "extra": "F", "d": {"mean": 2.0, "count": 4, "extra": "F"}}


def test_extract_fields_fill_with_does_not_mutate_the_returned_dict():
    shared = {"mean": 1.0}

    def d() -> dict:
        return shared

    execute(extract_fields({"mean": float, "count": int}, fill_with=0)(d), outputs=["count"])
    assert shared == {"mean": 1.0}


def test_extract_fields_missing_field_fails_at_run_time():
    fn = extract_fields({"mean": float, "zz": str})(_dict_fn(dict))
    with pytest.raises(
        InvalidDecoratorException, match=r"No such field: zz produced by d\. It only produced \['mean', 'count'\]"
    ):
        execute(fn, outputs=["zz"], inputs={"a": 1})


_NOT_A_DICT = "For extracting fields, the decorated function output type must be a `dict` or a `typing.Dict`"
_BARE_DICT = "When extracting fields from a function that returns a bare `dict` output without type parameters, you must supply a `dict` mapping field names to types."
_GENERIC = "When extracting fields from a function that returns a generic `dict`, you must supply either a `dict`"
_EMPTY = "Error an empty dict, or no dict, passed to extract_fields decorator."


@pytest.mark.parametrize(
    ("args", "returns", "message"),
    [
        (({"x": int},), int, _NOT_A_DICT),
        (({"x": int},), Any, _NOT_A_DICT),
        (({"x": int},), typing.Mapping[str, int], _NOT_A_DICT),
        (({"x": int},), dict | None, _NOT_A_DICT),
        ((), dict, _BARE_DICT),
        ((["x"],), dict, _BARE_DICT),
        (("x",), dict, _BARE_DICT),
        (({},), dict, _EMPTY),
        ((), dict[str, int], _GENERIC),
        (([],), dict[str, int], _EMPTY),
        (({},), Summary, _EMPTY),
        ((["x"],), dict[str], "you must specify only two type parameters (key, value), not (<class 'str'>,)."),
        (
            ({"a": 1, "b": int, "c": "x"},),
            dict,
            "Error, found these ['a does not declare a type. Instead it passes 1.', 'c does not declare a type. "
            "Instead it passes x.']. Please pass in a dict of string to types. ",
        ),
        (
            ({1: int},),
            dict,
            "Error, found these ['1 is not a string. All keys must be strings.']. Please pass in a dict of string to types.",
        ),
        ((["x", 1],), dict[str, int], "Error, found these ['1 is not a string. All keys must be strings.']."),
        (
            ({"mean": str, "q": int},),
            Summary,
            "did not match a subset of the TypedDict annotation's fields {'mean': <class 'float'>, 'count': <class "
            "'int'>}. The following fields were not valid: [\"Error mean did not match the TypedDict annotation's "
            "field <class 'str'>. Expected <class 'float'>.\", \"q is not a field in the `TypedDict` ",
        ),
        ((["q"],), Summary, "q is not a field in the `TypedDict`"),
    ],
)
def test_extract_fields_errors_at_decoration(args, returns, message):
    with pytest.raises(InvalidDecoratorException) as error:
        extract_fields(*args)(_dict_fn(returns))
    assert message in str(error.value)


def test_extract_fields_rejects_a_dict_plus_names():
    """1.x silently ignores the names after a dict."""
    with pytest.raises(InvalidDecoratorException, match="not both"):
        extract_fields({"x": int}, "y")


def test_extract_fields_composes_with_config_and_supports_async():
    @extract_fields({"x": int})
    @config.when(k=1)
    def d__a(a: int) -> dict:
        return {"x": a}

    assert {name: n.tags["hamilton.config"] for name, n in nodes_of(d__a, {"k": 1}).items()} == {"d": "k", "x": "k"}

    async def ad(a: int) -> dict:
        return {"x": a}

    dict_node = nodes_of(extract_fields({"x": int, "y": int}, fill_with=2)(ad))["ad"]
    assert asyncio.iscoroutinefunction(dict_node.callable)
    assert asyncio.run(dict_node.callable(a=1)) == {"x": 1, "y": 2}


def test_extract_fields_needs_a_single_final_node():
    @extract_fields({"x": int})
    @parameterize(d1={"a": value(1)}, d2={"a": value(2)})
    def d(a: int) -> dict:
        return {"x": a}

    with pytest.raises(InvalidDecoratorException, match=r"Expected a single node to transform, but got 2\."):
        nodes_of(d)


# -- unpack_fields ---------------------------------------------------------------------------


def _tuple_fn(returns):
    def t(a: int) -> returns:
        """A triple."""
        return (a, "s", 2.0)

    return t


def test_unpack_fields_types_by_position_and_allows_fewer_names():
    nodes = nodes_of(unpack_fields("i", "s")(_tuple_fn(tuple[int, str, float])))
    assert list(nodes) == ["t", "i", "s"]
    assert (nodes["i"].type, nodes["s"].type) == (int, str)
    assert inputs_of(nodes["s"]) == {"t": (tuple[int, str, float], REQUIRED)}
    assert nodes["s"].documentation == "A triple."
    fn = unpack_fields("i", "s")(_tuple_fn(typing.Tuple[int, str, float]))  # noqa: UP006
    assert execute(fn, outputs=["i", "s", "t"], inputs={"a": 1}) == {"i": 1, "s": "s", "t": (1, "s", 2.0)}


def test_unpack_fields_of_an_indeterminate_tuple():
    nodes = nodes_of(unpack_fields("a1", "b1", "c1", "d1")(_tuple_fn(tuple[int, ...])))
    assert {n.type for name, n in nodes.items() if name != "t"} == {int}
    fn = unpack_fields("a1", "d1")(_tuple_fn(tuple[int, ...]))
    assert execute(fn, outputs=["a1"], inputs={"a": 1}) == {"a1": 1}
    out_of_bounds = unpack_fields("a1", "b1", "c1", "d1")(_tuple_fn(tuple[int, ...]))
    with pytest.raises(
        InvalidDecoratorException,
        match=r"Out of bounds field: 3 produced by t\. It only produced \[1, 's', 2\.0\] fields\.",
    ):
        execute(out_of_bounds, outputs=["d1"], inputs={"a": 1})


@pytest.mark.parametrize(
    ("returns", "message"),
    [
        (tuple, "For unpacking fields, the decorated function output type must be either an explicit length tuple"),
        (list[int], "not: list[int]"),
        (tuple[int] | None, "For unpacking fields"),
        (
            tuple[int, str],
            "Number of unpacked fields (3) is greater than the number of fields in the output type (2): tuple[int, str]",
        ),
        (typing.Tuple, "greater than the number of fields in the output type (0)"),  # noqa: UP006
    ],
)
def test_unpack_fields_errors_at_decoration(returns, message):
    with pytest.raises(InvalidDecoratorException) as error:
        unpack_fields("a", "b", "c")(_tuple_fn(returns))
    assert message in str(error.value)


def test_unpack_fields_argument_errors():
    """1.x accepts these and produces nothing (no names) or fails at build (non-strings)."""
    with pytest.raises(InvalidDecoratorException, match="empty arguments"):
        unpack_fields()
    with pytest.raises(InvalidDecoratorException, match="node names"):
        unpack_fields(1)


def test_unpack_fields_supports_async_and_config():
    @unpack_fields("p", "q")
    @config.when(k=1)
    async def t__a(a: int) -> tuple[int, int]:
        return (a, 2 * a)

    nodes = nodes_of(t__a, {"k": 1})
    assert list(nodes) == ["t", "p", "q"]
    assert asyncio.iscoroutinefunction(nodes["t"].callable)
    assert nodes["q"](t=asyncio.run(nodes["t"].callable(a=2))) == 4


# -- helpers -----------------------------------------------------------------------------------


def _fresh(fn):
    """A copy of a module-level function, so each test decorates its own function object."""
    import types

    copy = types.FunctionType(fn.__code__, fn.__globals__, fn.__name__, fn.__defaults__, fn.__closure__)
    copy.__doc__ = fn.__doc__
    copy.__annotations__ = dict(fn.__annotations__)
    copy.__kwdefaults__ = fn.__kwdefaults__
    copy.__qualname__ = fn.__qualname__
    copy.__module__ = fn.__module__
    return copy


# -- composition with tag, pipe_input and subdag --------------------------------------------------


def _add_ten(frame: Table) -> Table:
    return Table({name: [v + 10 for v in values] for name, values in frame.columns.items()})


def _inner(u: int) -> int:
    return u + 1


def _inner_stats(_inner: int) -> dict:
    return {"p": _inner, "q": _inner * 2}


def test_parameterize_with_tag_tags_every_output():
    from hamilton.function_modifiers.metadata import tag

    @tag(owner="me")
    @parameterize(o1={"x": value(1)}, o2={"x": value(2)})
    def f(x: int) -> int:
        return x

    assert {name: n.tags for name, n in nodes_of(f).items()} == {
        "o1": {"module": __name__, "owner": "me"},
        "o2": {"module": __name__, "owner": "me"},
    }


def test_extract_columns_with_tag_tags_columns_not_the_frame_unless_targeted():
    from hamilton.function_modifiers.metadata import tag

    for outer_tag in (True, False):
        fn = _frame_fn()
        fn = (
            tag(owner="me")(extract_columns("x", "y")(fn))
            if outer_tag
            else extract_columns("x", "y")(tag(owner="me")(fn))
        )
        nodes = nodes_of(fn)
        assert {name: n.tags.get("owner") for name, n in nodes.items()} == {"df": None, "x": "me", "y": "me"}

    targeted = tag(owner="me", target_="d")(extract_fields({"mean": float})(_dict_fn(dict)))
    assert {name: n.tags.get("owner") for name, n in nodes_of(targeted).items()} == {"d": "me", "mean": None}


def test_pipe_input_with_extract_columns():
    from hamilton.function_modifiers.macros import pipe_input, step

    @extract_columns("a", "b")
    @pipe_input(step(_add_ten))
    def df(raw: Table) -> Table:
        return Table({name: [2 * v for v in values] for name, values in raw.columns.items()})

    nodes = nodes_of(df)
    assert set(nodes) == {"df.with_add_ten", "df", "a", "b"}
    assert inputs_of(nodes["a"]) == {"df": (Table, REQUIRED)}
    assert execute(df, outputs=["a", "b"], inputs={"raw": Table({"a": [1], "b": [2]})}) == {"a": [22], "b": [24]}


def test_pipe_input_with_parameterize_fails_at_build():
    from hamilton.function_modifiers.macros import pipe_input, step

    @parameterize(o1={"x": source("r1")})
    @pipe_input(step(_inner))
    def f(x: int) -> int:
        return x

    with pytest.raises(ValueError, match=r"Cannot call NodeExpander: <class '.*parameterize'> on more than one node\."):
        nodes_of(f)


def test_subdag_with_extract_fields_extracts_from_the_final_node():
    from hamilton.function_modifiers.recursive import subdag

    @extract_fields({"p": int, "q": int})
    @subdag(_inner, _inner_stats, inputs={"u": source("w")})
    def sd(_inner_stats: dict) -> dict:
        return _inner_stats

    nodes = nodes_of(sd)
    assert {"sd", "p", "q"} <= set(nodes)
    assert inputs_of(nodes["p"]) == {"sd": (dict, REQUIRED)}
    assert execute(sd, outputs=["p", "q"], inputs={"w": 1}) == {"p": 2, "q": 4}


def test_parameterize_extract_columns_with_tag_tags_only_the_columns():
    from hamilton.function_modifiers.metadata import tag

    fn = tag(owner="me")(_two_extracts()(_wide_fn()))
    tagged = {name for name, n in nodes_of(fn).items() if n.tags.get("owner") == "me"}
    assert tagged == {"x1", "y1", "z1", "x2", "y2", "z2"}


def test_unpack_fields_and_inject_with_tag_and_config():
    from hamilton.function_modifiers.metadata import tag

    @tag(owner="me")
    @unpack_fields("p", "q")
    @inject(a=source("w"))
    @config.when(k=1)
    def t__a(a: int) -> tuple[int, int]:
        return (a, 2 * a)

    nodes = nodes_of(t__a, {"k": 1})
    assert {name: (n.tags.get("owner"), n.tags["hamilton.config"]) for name, n in nodes.items()} == {
        "t": (None, "k"),
        "p": ("me", "k"),
        "q": ("me", "k"),
    }
    assert inputs_of(nodes["t"]) == {"w": (int, REQUIRED)}
    assert execute(t__a, outputs=["p", "q"], inputs={"w": 3}, cfg={"k": 1}) == {"p": 3, "q": 6}
