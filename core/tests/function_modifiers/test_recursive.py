"""subdag, parameterized_subdag and with_columns (1.x behaviour, checked on 1.90.0).

with_columns is checked on 1.90.0 through ``hamilton.plugins.h_pandas.with_columns`` with pandas;
here it runs on the pure-Python ``Table`` backend (table_backend.py), registered by conftest.py.
"""

from __future__ import annotations

import re

import pytest

from hamilton import driver
from hamilton.errors import DuplicateNodeError, TypeMismatchError
from hamilton.function_modifiers.base import (
    InvalidDecoratorException,
    MissingConfigParametersException,
    NodeTransformer,
)
from hamilton.function_modifiers.configuration import config, hamilton_exclude
from hamilton.function_modifiers.dependencies import configuration, group, source, value
from hamilton.function_modifiers.expanders import extract_fields, parameterize
from hamilton.function_modifiers.macros import pipe_input, step
from hamilton.function_modifiers.metadata import tag
from hamilton.function_modifiers.recursive import (
    NON_FINAL_TAG,
    SubdagParams,
    UnsupportedDataframeTypeError,
    parameterized_subdag,
    subdag,
    with_columns,
)

from .resources_recursive import chain, columns, decorated, fanout, features, frame_columns, nested
from .table_backend import Column, Table

FEATURES = features.__name__
CHAIN = chain.__name__
COLUMNS = columns.__name__
NF = {NON_FINAL_TAG: True}


def build(*functions, cfg=None):
    return driver.Builder().with_functions(*functions).with_config(cfg or {}).build()


def variables(dr):
    return {v.name: v for v in dr.list_available_variables()}


def deps(v):
    return v.required_dependencies | v.optional_dependencies


def outer_x() -> int:
    return 5


def base_df() -> Table:
    return Table({"a": [1, 2], "b": [10, 20]})


# --------------------------------------------------------------------------------------------
# subdag: produced nodes
# --------------------------------------------------------------------------------------------


@subdag(features, inputs={"x": source("outer_x"), "y": value(3)}, config={"mode": "one"})
def scored(c: int) -> int:
    """final doc"""
    return c * 10


def test_inner_nodes_are_namespaced_non_final_and_keep_type_doc_and_tags():
    v = variables(build(scored, outer_x))
    assert set(v) == {"outer_x", "scored", "scored.a", "scored.b", "scored.c", "scored.x", "scored.y", "scored.mode"}
    assert v["scored.a"].tags == {"module": FEATURES, **NF}
    assert v["scored.a"].documentation == "doc a"
    assert v["scored.a"].type is int
    assert v["scored.c"].tags == {"module": FEATURES, "hamilton.config": "mode", **NF}
    assert deps(v["scored.a"]) == {"scored.x"}
    assert deps(v["scored.b"]) == {"scored.a", "scored.y"}
    assert deps(v["scored.c"]) == {"scored.b"}


def test_private_and_excluded_functions_of_the_module_are_not_part_of_the_subdag():
    v = variables(build(scored, outer_x))
    assert not any(name.endswith(("excluded", "_helper")) for name in v)


def test_inputs_and_config_become_static_or_identity_nodes():
    v = variables(build(scored, outer_x))
    assert v["scored.x"].tags == NF
    assert deps(v["scored.x"]) == {"outer_x"}
    assert v["scored.x"].type is int
    assert v["scored.y"].tags == NF
    assert deps(v["scored.y"]) == set()
    assert v["scored.y"].type is int
    assert v["scored.mode"].tags == NF
    assert v["scored.mode"].type is str
    assert not v["scored.x"].is_external_input


def test_final_node_keeps_the_function_name_doc_tags_and_reads_the_namespace():
    v = variables(build(scored, outer_x))
    final = v["scored"]
    assert final.tags == {"module": __name__}
    assert final.documentation == "final doc"
    assert deps(final) == {"scored.c"}


def test_values_after_execution():
    dr = build(scored, outer_x)
    assert dr.execute(["scored", "scored.a", "scored.x", "scored.y", "scored.mode"]) == {
        "scored": 180,
        "scored.a": 6,
        "scored.x": 5,
        "scored.y": 3,
        "scored.mode": "one",
    }


def test_originating_functions_are_the_inner_function_then_the_decorated_one():
    v = variables(build(scored, outer_x))
    assert v["scored.a"].originating_functions == (features.a, scored)
    assert v["scored.y"].originating_functions == (scored,)
    assert v["scored"].originating_functions == (scored,)


def test_only_the_final_node_is_a_sink_for_transformers():
    nodes = subdag(chain, inputs={"k": value(1)}).generate_nodes(scored_like, {})
    assert [n.name for n in NodeTransformer.select_nodes(None, nodes)] == ["scored_like"]


def scored_like(a: int) -> int:
    return a


def test_unknown_inner_dependencies_resolve_against_the_outer_graph():
    @subdag(features, inputs={"x": value(1)}, config={"mode": "two"})
    def sub(c: int) -> int:
        return c

    dr = build(sub)
    v = variables(dr)
    assert deps(v["sub.b"]) == {"sub.a", "y"}
    assert v["y"].is_external_input
    assert dr.execute(["sub"], inputs={"y": 10}) == {"sub": -20}


def test_a_source_input_gets_a_node_only_if_something_inside_reads_it():
    @subdag(chain, inputs={"k": value(1), "unused": value("u"), "fin_only": source("outer_x")})
    def sub(a: int, fin_only: int) -> int:
        return a + fin_only

    dr = build(sub, outer_x)
    v = variables(dr)
    assert "sub.unused" in v
    assert v["sub.unused"].type is str
    assert v["sub.fin_only"].is_external_input  # the final node reads ns.fin_only, which no node produces
    with pytest.raises(ValueError, match=r"Required input sub\.fin_only not provided"):
        dr.execute(["sub"])
    assert dr.execute(["sub"], inputs={"sub.fin_only": 100}) == {"sub": 103}


def test_a_source_input_can_name_an_external_input():
    @subdag(chain, inputs={"k": source("kk")})
    def sub(a: int) -> int:
        return a

    dr = build(sub)
    assert deps(variables(dr)["sub.k"]) == {"kk"}
    assert dr.execute(["sub"], inputs={"kk": 2}) == {"sub": 5}


def test_namespace_final_node_name_and_external_inputs():
    @subdag(
        features,
        inputs={"x": value(1)},
        config={"mode": "one"},
        namespace="ns",
        final_node_name="fin",
        external_inputs=["outer_x"],
    )
    def sub(c: int, outer_x: int) -> int:
        return c * 10 + outer_x

    dr = build(sub, outer_x)
    v = variables(dr)
    assert "sub" not in v
    assert {"fin", "ns.a", "ns.x", "ns.mode"} <= set(v)
    assert deps(v["fin"]) == {"ns.c", "outer_x"}
    assert dr.execute(["fin"], inputs={"y": 2}) == {"fin": 45}


def test_external_inputs_as_a_single_string():
    @subdag(chain, inputs={"k": value(1)}, external_inputs="a")
    def sub(a: int) -> int:
        return a

    dr = build(sub)
    assert deps(variables(dr)["sub"]) == {"a"}
    assert dr.execute(["sub"], inputs={"a": 5}) == {"sub": 5}


def test_external_inputs_that_are_not_parameters_are_ignored():
    @subdag(chain, inputs={"k": value(1)}, external_inputs=["nonparam"])
    def sub(a: int) -> int:
        return a

    assert build(sub).execute(["sub"]) == {"sub": 3}


def test_final_node_parameters_with_defaults_stay_optional():
    @subdag(chain, inputs={"k": value(1)})
    def sub(a: int, extra: int = 4) -> int:
        return a + extra

    dr = build(sub)
    v = variables(dr)
    assert v["sub"].optional_dependencies == {"sub.extra"}
    assert dr.execute(["sub"]) == {"sub": 7}


def test_functions_can_be_given_instead_of_modules():
    def p(x: int) -> int:
        return x

    def q(p: int, z: int) -> int:
        return p + z

    @subdag(p, q, inputs={"x": value(1)})
    def sub(q: int) -> int:
        return q

    dr = build(sub)
    v = variables(dr)
    assert v["sub.p"].tags == {"module": __name__, **NF}
    assert dr.execute(["sub"], inputs={"z": 10}) == {"sub": 11}


def test_a_module_listed_twice_counts_once():
    @subdag(chain, chain, inputs={"k": value(1)})
    def sub(a: int) -> int:
        return a

    assert build(sub).execute(["sub"]) == {"sub": 3}


# --------------------------------------------------------------------------------------------
# subdag: config
# --------------------------------------------------------------------------------------------


def test_the_subdag_sees_the_outer_config():
    @subdag(features, inputs={"x": value(1), "y": value(2)})
    def sub(c: int) -> int:
        return c

    dr = build(sub, cfg={"mode": "two"})
    v = variables(dr)
    assert "sub.mode" not in v  # outer config does not become namespaced nodes
    assert dr.execute(["sub"]) == {"sub": -4}


def test_decorator_config_wins_over_the_outer_config():
    @subdag(chain, config={"k": 3})
    def sub(a: int) -> int:
        return a

    dr = build(sub, cfg={"k": 100})
    assert deps(variables(dr)["sub.x"]) == {"sub.k"}
    assert dr.execute(["sub", "k"]) == {"sub": 7, "k": 100}


def test_configuration_and_value_in_config_are_resolved():
    @subdag(features, inputs={"x": value(1), "y": value(2)}, config={"mode": configuration("gmode"), "other": value(9)})
    def sub(c: int) -> int:
        return c

    dr = build(sub, cfg={"gmode": "two"})
    v = variables(dr)
    # 1.x gave these static nodes the ConfigDependency/LiteralDependency objects themselves.
    assert v["sub.mode"].type is str
    assert v["sub.other"].type is int
    assert dr.execute(["sub", "sub.mode", "sub.other"]) == {"sub": -4, "sub.mode": "two", "sub.other": 9}


def test_configuration_reads_keys_set_earlier_in_the_same_config():
    def k2_of(k2: int) -> int:
        return k2

    @subdag(k2_of, config={"k": 4, "k2": configuration("k")})
    def sub(k2_of: int, k2: int) -> int:
        return k2_of + k2

    # 1.x picked 4 for the subdag's config too, but its sub.k2 node held the ConfigDependency
    # object, so reading it as an int failed the edge check.
    assert build(sub, cfg={"k": 1}).execute(["sub", "k"]) == {"sub": 8, "k": 1}


def test_configuration_of_a_missing_key_fails_at_build_time():
    @subdag(features, config={"mode": configuration("gmode")})
    def sub(c: int) -> int:
        return c

    with pytest.raises(
        InvalidDecoratorException,
        match=re.escape("Source gmode was not found in the configuration. This is required for the sub subdag."),
    ):
        build(sub)


def test_source_in_config_fails_at_build_time():
    decorator = subdag(features, config={"mode": source("q")})  # accepted at decoration, as in 1.x

    @decorator
    def sub(c: int) -> int:
        return c

    with pytest.raises(
        InvalidDecoratorException,
        match=re.escape(
            "`UpstreamDependency(source='q')` is not allowed in the config= part of the subdag decorator. Please "
            "use `configuration()` or `value()` or literal python values."
        ),
    ):
        build(sub)


# --------------------------------------------------------------------------------------------
# subdag: misuse
# --------------------------------------------------------------------------------------------

SHARED_TEXT = (
    "Config keys {'mode'} are shared with inputs. This is not allowed.Instead, please specify the inputs you need "
    "*just* as part of the config. That way, you only write them once! Or, if you don't need them as a config "
    "item,just use them in inputs."
)


def test_config_keys_shared_with_inputs_fail_at_construction():
    with pytest.raises(InvalidDecoratorException, match=re.escape(SHARED_TEXT)):
        subdag(features, inputs={"mode": value(1)}, config={"mode": "one"})


@pytest.mark.parametrize("bad", [1, group(value(1)), configuration("k")])
def test_inputs_must_be_source_or_value(bad):
    with pytest.raises(
        InvalidDecoratorException,
        match=re.escape(f"Input x must be either an UpstreamDependency or a LiteralDependency , not {type(bad)}."),
    ):
        subdag(features, inputs={"x": bad})


def test_inputs_must_be_a_dict():
    with pytest.raises(InvalidDecoratorException, match="inputs= must be a dict"):
        subdag(features, inputs=[value(1)])


def test_no_modules_or_functions_fails_at_construction():
    with pytest.raises(ValueError, match=re.escape("No functions were passed to subdag(load_from=...)")):
        subdag()


@pytest.mark.parametrize("bad", [3, "features"])
def test_things_that_are_neither_modules_nor_functions_are_rejected(bad):
    # 1.x silently ignored them (the subdag then lacked its nodes).
    with pytest.raises(InvalidDecoratorException, match="pass modules or functions"):
        subdag(bad)


def test_two_node_creators_on_one_function():
    def sub(a: int) -> int:
        return a

    decorated = subdag(chain, inputs={"k": value(1)})(sub)
    with pytest.raises(
        ValueError, match=re.escape(f"Got multiple decorators for decorator @{subdag}. Only one allowed.")
    ):
        subdag(chain, inputs={"k": value(2)})(decorated)
    with pytest.raises(
        ValueError, match=re.escape(f"Got multiple decorators for decorator @{parameterized_subdag}. Only one allowed.")
    ):
        parameterized_subdag(chain, p={})(decorated)


def test_two_inner_functions_with_one_name_clash_at_build_time():
    def a(x: int) -> int:
        return x

    def a2(x: int) -> int:
        return x

    a2.__name__ = "a"

    @subdag(a, a2, inputs={"x": value(1)})
    def sub(a: int) -> int:
        return a

    with pytest.raises(DuplicateNodeError, match=re.escape("Cannot define function sub.a more than once.")):
        build(sub)


def test_an_input_named_like_an_inner_node_clashes_at_build_time():
    @subdag(chain, inputs={"x": value(1)})
    def sub(a: int) -> int:
        return a

    with pytest.raises(DuplicateNodeError, match=re.escape("Cannot define function sub.x more than once.")):
        build(sub)


def test_a_value_of_the_wrong_type_fails_the_edge_check():
    @subdag(chain, inputs={"k": value(1.5)})
    def sub(a: int) -> int:
        return a

    with pytest.raises(
        TypeMismatchError, match=re.escape("sub.x is expecting sub.k:<class 'int'>, but found sub.k:<class 'float'>")
    ):
        build(sub)


def test_a_final_function_without_return_annotation_fails_at_build_time():
    @subdag(chain, inputs={"k": value(1)})
    def sub(a):
        return a

    with pytest.raises(ValueError, match="Missing type hint for return value"):
        build(sub)


# --------------------------------------------------------------------------------------------
# subdag: composition
# --------------------------------------------------------------------------------------------


def test_config_when_outside_the_subdag():
    @config.when(flag=True)
    @subdag(features, inputs={"x": value(1), "y": value(2)}, config={"mode": "one"})
    def sub__on(c: int) -> int:
        return c

    @config.when(flag=False)
    def sub__off() -> int:
        return 0

    dr = build(sub__on, sub__off, cfg={"flag": True})
    v = variables(dr)
    assert {"sub", "sub.a", "sub.c"} <= set(v)
    assert v["sub"].tags["hamilton.config"] == "flag"
    assert dr.execute(["sub"]) == {"sub": 4}
    dr = build(sub__on, sub__off, cfg={"flag": False})
    assert not any(name.startswith("sub.") for name in variables(dr))
    assert dr.execute(["sub"]) == {"sub": 0}


def test_hamilton_exclude_outside_the_subdag_drops_everything():
    @hamilton_exclude
    @subdag(chain, inputs={"k": value(1)})
    def sub(a: int) -> int:
        return a

    assert set(variables(build(sub, outer_x))) == {"outer_x"}


def test_tag_targets_only_the_final_node():
    @tag(owner="me")
    @subdag(chain, inputs={"k": value(1)})
    def sub(a: int) -> int:
        return a

    v = variables(build(sub))
    assert v["sub"].tags == {"module": __name__, "owner": "me"}
    assert v["sub.a"].tags == {"module": CHAIN, **NF}


def test_nested_subdags_stack_namespaces():
    @subdag(nested, inputs={"w": value(1)})
    def sub(other: int) -> int:
        return other

    dr = build(sub)
    v = variables(dr)
    assert {"sub.deep.a", "sub.deep.x", "sub.deep.k", "sub.deep", "sub.other", "sub.w"} <= set(v)
    assert v["sub.deep"].tags == {"module": nested.__name__, **NF}
    assert deps(v["sub.deep.x"]) == {"sub.deep.k"}
    assert v["sub.deep.a"].originating_functions == (chain.a, nested.deep, sub)
    assert dr.execute(["sub", "sub.deep"]) == {"sub": 1501, "sub.deep": 1500}


def test_a_subdag_containing_a_parameterized_subdag():
    @subdag(fanout)
    def sub(total: int) -> int:
        return total

    dr = build(sub)
    v = variables(dr)
    assert {"sub.low", "sub.low.a", "sub.low.k", "sub.high", "sub.high.a", "sub.total"} <= set(v)
    assert deps(v["sub.total"]) == {"sub.low", "sub.high"}
    assert dr.execute(["sub", "sub.low", "sub.high"]) == {"sub": 24, "sub.low": 3, "sub.high": 21}


def test_inner_functions_keep_their_own_decorators():
    @subdag(decorated, inputs={"base": value(3)})
    def sub(piped: int, f2: int) -> int:
        return piped + f2

    dr = build(sub)
    v = variables(dr)
    inner = {"sub.lo", "sub.hi", "sub.piped", "sub.piped.with_inc", "sub.fields", "sub.f1", "sub.f2", "sub.base"}
    assert set(v) == inner | {"sub"}
    assert all(v[name].tags[NON_FINAL_TAG] for name in inner)
    assert deps(v["sub.piped.with_inc"]) == {"sub.lo"}
    assert deps(v["sub.f1"]) == {"sub.fields"}
    assert dr.execute(["sub", "sub.piped", "sub.f1", "sub.piped.with_inc"]) == {
        "sub": 47,
        "sub.piped": 16,
        "sub.f1": 30,
        "sub.piped.with_inc": 8,
    }


def test_extract_fields_on_the_final_node():
    @extract_fields({"f1": int, "f2": int})
    @subdag(chain, inputs={"k": value(1)})
    def sub(a: int) -> dict:
        return {"f1": a, "f2": a * 2}

    dr = build(sub)
    v = variables(dr)
    assert deps(v["f1"]) == {"sub"}
    assert dr.execute(["f1", "f2"]) == {"f1": 3, "f2": 6}


def test_parameterize_cannot_expand_a_subdag():
    @parameterize(p1={"a": value(1)})
    @subdag(chain, inputs={"k": value(1)})
    def sub(a: int) -> int:
        return a

    with pytest.raises(ValueError, match=re.escape(f"Cannot call NodeExpander: {parameterize} on more than one node.")):
        build(sub)


def test_pipe_input_cannot_feed_a_parameter_the_subdag_already_feeds():
    def _add(x: int, n: int) -> int:
        return x + n

    @pipe_input(step(_add, n=value(5)))
    @subdag(chain, inputs={"k": value(1)})
    def sub(a: int) -> int:
        return a

    with pytest.raises(InvalidDecoratorException, match="Function: sub has a first parameter that is not a dependency"):
        build(sub)


# --------------------------------------------------------------------------------------------
# parameterized_subdag
# --------------------------------------------------------------------------------------------


@parameterized_subdag(
    features,
    inputs={"x": value(1), "y": value(10)},
    config={"mode": "one"},
    external_inputs=["e1"],
    p_one={"inputs": {"y": value(2)}},
    p_two={"config": {"mode": "two"}, "external_inputs": ["e2"]},
    p_three={},
)
def fanned(c: int, e1: int, e2: int) -> int:
    """doc of fanned"""
    return c + e1 + e2


def test_one_subdag_per_parameterization_named_after_it():
    v = variables(build(fanned))
    for name in ("p_one", "p_two", "p_three"):
        assert {name, f"{name}.a", f"{name}.b", f"{name}.c", f"{name}.x", f"{name}.y", f"{name}.mode"} <= set(v)
        assert v[name].documentation == "doc of fanned"
        assert v[name].tags == {"module": __name__}
        assert v[f"{name}.a"].tags == {"module": FEATURES, **NF}
    assert "fanned" not in v


def test_parameterizations_update_shared_inputs_and_config_but_replace_external_inputs():
    dr = build(fanned)
    v = variables(dr)
    assert deps(v["p_one"]) == {"p_one.c", "e1", "p_one.e2"}
    assert deps(v["p_two"]) == {"p_two.c", "p_two.e1", "e2"}  # its external_inputs replace the shared ones
    assert deps(v["p_three"]) == {"p_three.c", "e1", "p_three.e2"}
    inputs = {"e1": 100, "e2": 1000, "p_one.e2": 5, "p_two.e1": 7, "p_three.e2": 6}
    assert dr.execute(["p_one", "p_two", "p_three", "p_two.mode"], inputs=inputs) == {
        "p_one": 4 + 100 + 5,  # y=2: b = 2 * 2
        "p_two": -20 + 7 + 1000,  # mode two: c = -b = -(2 * 10)
        "p_three": 20 + 100 + 6,
        "p_two.mode": "two",
    }


def test_subdag_params_keys_are_all_optional():
    assert SubdagParams.__optional_keys__ == frozenset({"inputs", "config", "external_inputs"})
    assert SubdagParams.__required_keys__ == frozenset()


def test_tag_on_parameterized_subdag_tags_every_final_node():
    @tag(t="v")
    @parameterized_subdag(chain, a={"inputs": {"k": value(1)}}, b={"inputs": {"k": value(2)}})
    def sub(a: int) -> int:
        return a

    dr = build(sub)
    v = variables(dr)
    assert v["a"].tags == {"module": __name__, "t": "v"}
    assert v["b"].tags == {"module": __name__, "t": "v"}
    assert "t" not in v["a.a"].tags
    assert dr.execute(["a", "b"]) == {"a": 3, "b": 5}


def test_parameterized_subdag_checks_run_at_decoration_not_construction():
    decorator = parameterized_subdag(features, inputs={"mode": value(1)}, a={"config": {"mode": 2}})

    def sub(c: int) -> int:
        return c

    with pytest.raises(InvalidDecoratorException, match=re.escape(SHARED_TEXT)):
        decorator(sub)
    with pytest.raises(InvalidDecoratorException, match="Input x must be either an UpstreamDependency"):
        parameterized_subdag(features, a={"inputs": {"x": 3}})(sub)
    with pytest.raises(ValueError, match=re.escape("No functions were passed to subdag(load_from=...)")):
        parameterized_subdag(a={})(sub)


def test_parameterized_subdag_without_parameterization_is_rejected():
    # 1.x accepted it and silently defined no node at all.
    def sub(c: int) -> int:
        return c

    with pytest.raises(InvalidDecoratorException, match="has no parameterization"):
        parameterized_subdag(features)(sub)


def test_parameterized_subdag_unknown_keys_are_rejected():
    # 1.x ignored them, so a typo such as "input" silently dropped the inputs.
    def sub(c: int) -> int:
        return c

    with pytest.raises(
        InvalidDecoratorException, match=r"must be a dict with keys among \['config', 'external_inputs', 'inputs'\]"
    ):
        parameterized_subdag(chain, a={"input": {"k": value(1)}})(sub)


def test_parameterized_subdag_source_in_config_fails_at_build_time():
    @parameterized_subdag(features, a={"config": {"mode": source("q")}})
    def sub(c: int) -> int:
        return c

    with pytest.raises(InvalidDecoratorException, match="is not allowed in the config= part of the subdag decorator"):
        build(sub)


# --------------------------------------------------------------------------------------------
# with_columns
# --------------------------------------------------------------------------------------------


@with_columns(columns, columns_to_pass=["a", "b"])
def widened(base_df: Table, k: int) -> Table:
    return base_df


def test_with_columns_nodes_for_passed_columns_subdag_and_append():
    v = variables(build(widened, base_df))
    assert {
        "widened.a",
        "widened.b",
        "widened.c_sum",
        "widened.c_scaled",
        "widened.row_count",
        "widened._append",
    } <= set(v)
    for column in ("widened.a", "widened.b"):
        assert v[column].type is Column
        assert v[column].tags == {}
        assert deps(v[column]) == {"base_df"}
    assert v["widened.c_sum"].tags == {"module": COLUMNS, **NF}
    assert v["widened.c_sum"].documentation == "a + b"
    assert deps(v["widened.c_sum"]) == {"widened.a", "widened.b"}
    assert deps(v["widened.c_scaled"]) == {"widened.c_sum", "factor"}  # not a column: from the outer graph
    assert v["widened._append"].type is Table
    assert v["widened._append"].tags == {}
    assert deps(v["widened"]) == {"widened._append", "k"}
    assert v["widened"].tags == {"module": __name__}


def test_with_columns_appends_every_column_typed_node_by_default():
    dr = build(widened, base_df)
    v = variables(dr)
    # the passed columns are re-appended (no-op) and row_count (an int) is not appended
    assert deps(v["widened._append"]) == {"base_df", "widened.a", "widened.b", "widened.c_sum", "widened.c_scaled"}
    result = dr.execute(["widened"], inputs={"factor": 2.0, "k": 1})["widened"]
    assert result == Table({"a": [1, 2], "b": [10, 20], "c_sum": [11, 22], "c_scaled": [22.0, 44.0]})


def test_with_columns_select_keeps_only_what_the_selection_needs():
    @with_columns(columns, columns_to_pass=["a", "b", "unused"], select=["c_sum"], namespace="ns")
    def final(base_df: Table) -> Table:
        return base_df

    dr = build(final, base_df)
    v = variables(dr)
    assert {n for n in v if n.startswith("ns.")} == {"ns.a", "ns.b", "ns.c_sum", "ns._append"}
    assert "factor" not in v
    assert dr.execute(["final"])["final"] == Table({"a": [1, 2], "b": [10, 20], "c_sum": [11, 22]})


def test_with_columns_select_order_is_the_column_order():
    @with_columns(columns, columns_to_pass=["a", "b"], select=["c_scaled", "c_sum"])
    def final(base_df: Table) -> Table:
        return base_df

    result = build(final, base_df).execute(["final"], inputs={"factor": 1.0})["final"]
    assert list(result.columns) == ["a", "b", "c_scaled", "c_sum"]


def test_with_columns_inner_nodes_can_be_requested():
    dr = build(widened, base_df)
    assert dr.execute(["widened.a", "widened.c_sum"]) == {"widened.a": [1, 2], "widened.c_sum": [11, 22]}


def test_with_columns_on_input():
    def doubled(a: Column) -> Column:
        return Column(v * 2 for v in a)

    @with_columns(doubled, on_input="df2", select=["doubled"])
    def final(df1: Table, df2: Table) -> Table:
        return df2

    dr = build(final)
    v = variables(dr)
    assert set(v) == {"final", "final.doubled", "final._append", "df1", "df2", "a"}
    assert deps(v["final.doubled"]) == {"a"}  # with on_input nothing is extracted for the subdag
    assert deps(v["final._append"]) == {"final.doubled", "df2"}
    assert deps(v["final"]) == {"df1", "final._append"}
    result = dr.execute(["final"], inputs={"df1": Table(), "df2": Table({"z": [0, 0]}), "a": Column([3, 4])})
    assert result["final"] == Table({"z": [0, 0], "doubled": [6, 8]})


def test_with_columns_pass_dataframe_as():
    # 1.90.0 raised NotImplementedError for pandas and polars; the backend makes it generic.
    @with_columns(frame_columns, pass_dataframe_as="df")
    def final(base_df: Table) -> Table:
        return base_df

    dr = build(final, base_df)
    v = variables(dr)
    assert v["final.df"].type is Table
    assert v["final.df"].tags == NF
    assert deps(v["final.df"]) == {"base_df"}
    assert deps(v["final.tripled"]) == {"final.df"}
    assert deps(v["final._append"]) == {"base_df", "final.tripled", "final.tripled_plus_one"}
    assert dr.execute(["final"])["final"] == Table(
        {"a": [1, 2], "b": [10, 20], "tripled": [3, 6], "tripled_plus_one": [4, 7]}
    )


def test_with_columns_inner_config_when_sees_the_outer_config():
    @with_columns(columns, columns_to_pass=["a"], select=["c_extra"])
    def final(base_df: Table) -> Table:
        return base_df

    dr = build(final, base_df, cfg={"extra": True})
    assert variables(dr)["final.c_extra"].tags["hamilton.config"] == "extra"
    assert dr.execute(["final"])["final"] == Table({"a": [1, 2], "b": [10, 20], "c_extra": [100, 200]})


def test_with_columns_config_required():
    @with_columns(columns, columns_to_pass=["a"], select=["c_extra"], config_required=["extra"])
    def final(base_df: Table) -> Table:
        return base_df

    assert build(final, base_df, cfg={"extra": True}).execute(["final.c_extra"]) == {"final.c_extra": [100, 200]}
    with pytest.raises(
        MissingConfigParametersException,
        match=re.escape("The following configurations are required by with_columns: {'extra'}"),
    ):
        build(final, base_df)


def test_two_with_columns_chain_outer_first():
    def plus_one(a: Column) -> Column:
        return Column(v + 1 for v in a)

    def times_ten(plus_one: Column) -> Column:
        return Column(v * 10 for v in plus_one)

    @with_columns(plus_one, columns_to_pass=["a"], select=["plus_one"])
    @with_columns(times_ten, columns_to_pass=["plus_one"], select=["times_ten"], namespace="second")
    def final(base_df: Table) -> Table:
        return base_df

    dr = build(final, base_df)
    v = variables(dr)
    assert deps(v["final.a"]) == {"base_df"}
    assert deps(v["second.plus_one"]) == {"final._append"}
    assert deps(v["final"]) == {"second._append"}
    assert dr.execute(["final"])["final"] == Table(
        {"a": [1, 2], "b": [10, 20], "plus_one": [2, 3], "times_ten": [20, 30]}
    )


def test_with_columns_with_config_when_and_tag_outside():
    @tag(owner="me")
    @config.when(on=True)
    @with_columns(columns, columns_to_pass=["a", "b"], select=["c_sum"])
    def final__x(base_df: Table) -> Table:
        return base_df

    dr = build(final__x, base_df, cfg={"on": True})
    v = variables(dr)
    assert v["final"].tags == {"module": __name__, "hamilton.config": "on", "owner": "me"}
    assert "owner" not in v["final._append"].tags
    assert "owner" not in v["final.c_sum"].tags
    assert dr.execute(["final"])["final"].columns["c_sum"] == [11, 22]
    assert "final" not in variables(build(final__x, base_df, cfg={"on": False}))


def test_with_columns_over_pipe_input_feeds_the_first_step():
    def _add_col(t: Table, n: int) -> Table:
        return Table({**t.columns, "n": [n] * len(t)})

    @with_columns(columns, columns_to_pass=["a", "b"], select=["c_sum"])
    @pipe_input(step(_add_col, n=value(7)))
    def final(base_df: Table) -> Table:
        return base_df

    dr = build(final, base_df)
    v = variables(dr)
    assert deps(v["final.with_add_col"]) == {"final._append"}
    assert deps(v["final._append"]) == {"final.c_sum", "base_df"}
    assert deps(v["final"]) == {"final.with_add_col"}
    assert dr.execute(["final"])["final"] == Table({"a": [1, 2], "b": [10, 20], "c_sum": [11, 22], "n": [7, 7]})


def test_with_columns_missing_column_at_run_time():
    def nope_df() -> Table:
        return Table({"a": [1]})

    def c_sum(a: Column, nope: Column) -> Column:
        return a

    @with_columns(c_sum, columns_to_pass=["a", "nope"])
    def final2(nope_df: Table) -> Table:
        return nope_df

    with pytest.raises(KeyError, match=re.escape("has no column 'nope' (it has ['a'])")):
        build(final2, nope_df).execute(["final2"])


# --------------------------------------------------------------------------------------------
# with_columns: misuse
# --------------------------------------------------------------------------------------------

ONE_OF_TEXT = "You must specify only one of ``columns_to_pass``, ``pass_dataframe_as``, and ``on_input``."


@pytest.mark.parametrize(
    "options",
    [
        {"columns_to_pass": ["a"], "on_input": "x"},
        {"columns_to_pass": [], "on_input": "x"},
        {"pass_dataframe_as": "df", "on_input": "x"},
        {"columns_to_pass": ["a"], "pass_dataframe_as": "df"},
        {},  # 1.x accepted none and failed at build time with an unrelated TypeError
    ],
)
def test_with_columns_needs_exactly_one_way_to_read_the_frame(options):
    with pytest.raises(ValueError, match=re.escape(ONE_OF_TEXT)):
        with_columns(columns, **options)


def test_with_columns_without_functions():
    with pytest.raises(ValueError, match=re.escape("No functions were passed to subdag(load_from=...)")):
        with_columns(columns_to_pass=["a"])


def test_with_columns_on_input_must_be_a_parameter_at_decoration():
    def final(base_df: Table) -> Table:
        return base_df

    with pytest.raises(
        InvalidDecoratorException,
        match=re.escape(
            "Function: final does not have the parameter nope as a dependency. @with_columns requires the parameter "
            "names to match the function parameters. If you wish do not wish to use the first argument, please use "
            "``pass_dataframe_as`` or ``on_input`` option. It might not be compatible with some other decorators."
        ),
    ):
        with_columns(columns, on_input="nope")(final)


def test_with_columns_on_input_must_be_one_name():
    with pytest.raises(InvalidDecoratorException, match="on_input must be a single parameter name"):
        with_columns(columns, on_input=["base_df"])


def test_with_columns_needs_a_parameter_at_decoration():
    def final() -> Table:
        return Table()

    with pytest.raises(
        ValueError,
        match=re.escape(
            f"Function {final.__qualname__} has no parameters, but was decorated with with_columns. with_columns "
            "requires the first parameter to be a dataframe or using the on_input argument."
        ),
    ):
        with_columns(columns, columns_to_pass=["a"])(final)


def test_with_columns_on_a_parameter_no_backend_handles_fails_at_build_time():
    @with_columns(columns, columns_to_pass=["a"])
    def final(x: int) -> Table:
        return Table()

    with pytest.raises(
        UnsupportedDataframeTypeError, match=re.escape("Cannot get column type for [<class 'int'>].")
    ) as info:
        build(final)
    assert isinstance(info.value, NotImplementedError)  # what 1.x raised


def test_with_columns_pinned_dataframe_type():
    class dict_columns(with_columns):
        dataframe_type = dict

    @dict_columns(columns, columns_to_pass=["a"])
    def final(base_df: Table) -> Table:
        return base_df

    with pytest.raises(
        InvalidDecoratorException,
        match=re.escape(
            "The selected dataframe parameter is not the correct dataframe type. You selected a parameter of type "
            f"{Table}, but we expect to get {dict}"
        ),
    ):
        build(final, base_df)


def test_with_columns_a_function_named_like_a_passed_column():
    def a(b: Column) -> Column:
        return b

    @with_columns(a, columns_to_pass=["a", "b"])
    def final(base_df: Table) -> Table:
        return base_df

    with pytest.raises(ValueError, match=re.escape("You can only specify columns once. You used `columns_to_pass`")):
        build(final, base_df)


def test_with_columns_select_of_an_unknown_node():
    @with_columns(columns, columns_to_pass=["a"], select=["nothere"])
    def final(base_df: Table) -> Table:
        return base_df

    with pytest.raises(
        ValueError,
        match=re.escape(
            "At least one of the selected nodes is not not in the DAG. You selected: ['nothere'], but we only found nodes: [<a {}>, "
        ),
    ):
        build(final, base_df)


def test_with_columns_empty_select():
    @with_columns(columns, columns_to_pass=["a"], select=[])
    def final(base_df: Table) -> Table:
        return base_df

    with pytest.raises(
        ValueError,
        match=re.escape(f"No nodes found upstream from select columns: [] for function: {final.__qualname__}"),
    ):
        build(final, base_df)


def test_with_columns_after_a_subdag_cannot_find_its_parameter():
    @subdag(chain, inputs={"k": value(1)})
    @with_columns(columns, columns_to_pass=["a"], select=["c_extra"])
    def final(base_df: Table, a: int) -> Table:
        return base_df

    with pytest.raises(
        InvalidDecoratorException, match="Function: final does not have the parameter base_df as a dependency"
    ):
        build(final, base_df)
