"""tag, tag_outputs, schema.output, ray_remote_options and cache (1.x behaviour, checked on 1.90.0)."""

from __future__ import annotations

import re

import pytest

from hamilton import driver
from hamilton.function_modifiers import base, expanders, macros, recursive
from hamilton.function_modifiers.configuration import config, hamilton_exclude
from hamilton.function_modifiers.dependencies import source, value
from hamilton.function_modifiers.metadata import (
    RAY_REMOTE_TAG_NAMESPACE,
    RayRemote,
    SchemaOutput,
    cache,
    ray_remote_options,
    schema,
    tag,
    tag_outputs,
)
from hamilton.node import Node

from .table_backend import Column, Table

RESERVED_TEXT = (
    "Tag keys can be split by ., to represent a hierarchy, but each element of the hierarchy must be a valid "
    "python identifier. Paths components also cannot be empty. The value can only be a string, or a list of "
    "strings. Note that the following top-level prefixes are reserved as well: "
    "['hamilton', 'data_quality', 'gdpr', 'ccpa', 'dag', 'module', 'ray_remote']"
)


class derive(base.NodeTransformer):
    """Test helper: keeps the function's node and adds ``<name>_<suffix>`` computed from it.

    Like ``extract_fields`` it makes the original node non-final, so default targets differ.
    """

    def __init__(self, suffix: str, typ: type, compute=lambda value: value):
        super().__init__(target=None)
        self.suffix, self.typ, self.compute = suffix, typ, compute

    def transform_node(self, node_, config, fn):
        source = node_.name
        derived = Node(
            f"{source}_{self.suffix}",
            self.typ,
            callabl=lambda **kwargs: self.compute(kwargs[source]),
            input_types={source: node_.type},
            tags=dict(node_.tags),
        )
        return [node_, derived]

    def validate(self, fn):
        pass


def build(*functions, cfg=None):
    return driver.Builder().with_functions(*functions).with_config(cfg or {}).build()


def tags_of(*functions, cfg=None):
    """Tags of every computed node, without the ``module`` tag."""
    return {
        v.name: {k: value for k, value in v.tags.items() if k != "module"}
        for v in build(*functions, cfg=cfg).list_available_variables()
        if not v.is_external_input
    }


# -- tag --------------------------------------------------------------------------------------


def test_tag_adds_string_and_list_tags_and_keeps_the_module_tag():
    @tag(owner="data-team", pii=["email", "name"], **{"team.sub.name": "core"})
    def f(x: int) -> int:
        return x + 1

    dr = build(f)
    [node] = [v for v in dr.list_available_variables() if v.name == "f"]
    assert node.tags == {
        "module": __name__,
        "owner": "data-team",
        "pii": ["email", "name"],
        "team.sub.name": "core",
    }
    assert dr.execute(["f"], inputs={"x": 1}) == {"f": 2}
    assert [v.name for v in dr.list_available_variables(tag_filter={"pii": "email"})] == ["f"]


def test_stacked_tags_merge_and_the_outer_decorator_wins():
    @tag(a="outer", b="x")
    @tag(a="inner", c="y")
    def f() -> int:
        return 1

    assert tags_of(f) == {"f": {"a": "outer", "b": "x", "c": "y"}}


def test_tag_targets_final_nodes_by_default():
    @tag(owner="me")
    @derive("half", float, lambda v: v / 2)
    def f(x: int) -> int:
        return x

    assert tags_of(f) == {"f": {}, "f_half": {"owner": "me"}}
    assert build(f).execute(["f", "f_half"], inputs={"x": 4}) == {"f": 4, "f_half": 2.0}


@pytest.mark.parametrize(
    ("target", "tagged"),
    [(..., {"f", "f_half"}), ("f", {"f"}), (["f", "f_half"], {"f", "f_half"}), (("f_half",), {"f_half"})],
)
def test_tag_target_selects_nodes(target, tagged):
    @tag(owner="me", target_=target)
    @derive("half", float)
    def f(x: int) -> int:
        return x

    assert {name for name, tags in tags_of(f).items() if tags} == tagged


@pytest.mark.parametrize("target", ["missing", ["f", "missing"]])
def test_tag_target_must_exist_at_build_time(target):
    @tag(owner="me", target_=target)
    @derive("half", float)
    def f(x: int) -> int:
        return x

    with pytest.raises(base.InvalidDecoratorException, match="Could not find"):
        build(f)


@pytest.mark.parametrize("target", [1, [1], {"a": 1}.values()])
def test_tag_target_must_be_names(target):
    with pytest.raises(base.InvalidDecoratorException, match="Invalid target: "):
        tag(a="b", target_=target)


@pytest.mark.parametrize(
    "key",
    [
        "hamilton.x",
        "module",
        "data_quality",
        "gdpr.field",
        "ccpa",
        "dag.x",
        "ray_remote.num_gpus",
        "a-b",
        "a..b",
        "1a",
        "a.",
        ".a",
        "",
    ],
)
def test_invalid_tag_keys_fail_when_decorating(key):
    decorator = tag(**{key: "v"})  # constructing is fine, as in 1.x

    def f() -> int:
        return 1

    with pytest.raises(base.InvalidDecoratorException) as error:
        decorator(f)
    message = str(error.value)
    assert message.startswith(f"The following tags are invalid as tags: {key}=v {RESERVED_TEXT}")
    assert "test_metadata" in message  # where: the decorated function


@pytest.mark.parametrize("value", [1, None, [], ["x", "x"], ["x", 1], ("x",), {"x": "y"}])
def test_invalid_tag_values_fail_when_decorating(value):
    def f() -> int:
        return 1

    with pytest.raises(base.InvalidDecoratorException, match=re.escape(f"invalid as tags: a={value} Tag keys")):
        tag(a=value)(f)


def test_every_invalid_tag_is_listed():
    def f() -> int:
        return 1

    with pytest.raises(base.InvalidDecoratorException, match=r"invalid as tags: hamilton\.a=x,b=1 Tag keys"):
        tag(**{"hamilton.a": "x", "b": 1, "c": "ok"})(f)


def test_python_keywords_are_valid_tag_key_components():
    @tag(**{"class": "a", "x.import": "b"})
    def f() -> int:
        return 1

    assert tags_of(f) == {"f": {"class": "a", "x.import": "b"}}


def test_bypassing_reserved_namespaces_still_checks_identifiers_and_values():
    @tag(bypass_reserved_namespaces_=True, **{"hamilton.x": "a", "module": "mine"})
    def f() -> int:
        return 1

    assert build(f).graph["f"].tags == {"module": "mine", "hamilton.x": "a"}
    for bad in ({"hamilton.x": 1}, {"a-b": "x"}):
        with pytest.raises(base.InvalidDecoratorException, match="invalid as tags"):
            tag(bypass_reserved_namespaces_=True, **bad)(f)


def test_tag_takes_keywords_only():
    with pytest.raises(TypeError):
        tag("a")


def test_tag_with_config_when_tags_the_chosen_variant():
    @tag(owner="us-team")
    @config.when(region="us")
    def rate__us() -> float:
        return 1.1

    @config.when(region="eu")
    @tag(owner="eu-team")
    def rate__eu() -> float:
        return 0.9

    assert tags_of(rate__us, rate__eu, cfg={"region": "us"})["rate"] == {
        "hamilton.config": "region",
        "owner": "us-team",
    }
    assert tags_of(rate__us, rate__eu, cfg={"region": "eu"})["rate"] == {
        "hamilton.config": "region",
        "owner": "eu-team",
    }
    assert build(rate__us, rate__eu, cfg={"region": "eu"}).execute(["rate"]) == {"rate": 0.9}


def test_tag_with_hamilton_exclude_defines_no_node():
    @tag(owner="me")
    @hamilton_exclude
    def helper() -> int:
        return 1

    assert "helper" not in build(helper).graph


# -- tag_outputs -----------------------------------------------------------------------------


def test_tag_outputs_tags_nodes_by_name_and_ignores_unknown_names():
    @tag_outputs(f={"kind": "raw"}, f_half={"kind": "derived", "unit": ["x", "y"]}, nowhere={"a": "b"})
    @derive("half", float)
    def f(x: int) -> int:
        return x

    assert tags_of(f) == {"f": {"kind": "raw"}, "f_half": {"kind": "derived", "unit": ["x", "y"]}}


def test_tag_outputs_does_not_validate_tags_like_1x():
    @tag_outputs(f={"hamilton.x": "1", "b": 2})
    def f() -> int:
        return 1

    assert tags_of(f) == {"f": {"hamilton.x": "1", "b": 2}}


@pytest.mark.parametrize("order", ["tag_outside", "tag_outputs_outside"])
def test_tag_outputs_stacks_with_tag_and_the_outer_wins(order):
    def f() -> int:
        return 1

    if order == "tag_outside":
        tag(b="outer")(tag_outputs(f={"a": "1", "b": "inner"})(f))
    else:
        tag_outputs(f={"a": "1", "b": "outer"})(tag(b="inner")(f))
    assert tags_of(f) == {"f": {"a": "1", "b": "outer"}}


def test_tag_outputs_values_must_be_mappings():
    def f() -> int:
        return 1

    with pytest.raises(base.InvalidDecoratorException, match="maps node names to tag dictionaries"):
        tag_outputs(f="x")(f)


# -- schema.output ---------------------------------------------------------------------------


def frame() -> Table:
    return Table({"a": [1], "b": [2.0]})


def test_schema_output_tags_a_dataframe_node():
    @schema.output(("a", "int"), ("b", "float"))
    def df() -> Table:
        return frame()

    assert schema.INTERNAL_SCHEMA_OUTPUT_KEY == "hamilton.internal.schema_output"
    assert tags_of(df) == {"df": {"hamilton.internal.schema_output": "a=int,b=float"}}
    assert build(df).execute(["df"]) == {"df": frame()}


def test_schema_output_without_fields_and_with_non_string_types():
    def df() -> Table:
        return frame()

    assert tags_of(schema.output()(df)) == {"df": {"hamilton.internal.schema_output": ""}}

    def df2() -> Table:
        return frame()

    assert tags_of(schema.output(("a", int))(df2)) == {"df2": {"hamilton.internal.schema_output": "a=<class 'int'>"}}


class MyTable(Table):
    pass


def test_schema_output_accepts_subclasses_of_registered_types():
    @schema.output(("a", "int"))
    def df() -> MyTable:
        return MyTable(frame().columns)

    assert tags_of(df)["df"] == {"hamilton.internal.schema_output": "a=int"}


def test_schema_output_rejects_unregistered_types_at_build_time():
    @schema.output(("a", "int"))  # decorating is fine, as in 1.x
    def i() -> int:
        return 1

    with pytest.raises(base.InvalidDecoratorException) as error:
        build(i)
    message = str(error.value)
    assert message.startswith(
        "Node i has type <class 'int'> which is not a registered type for a dataset. Registered types are {"
    )
    assert re.search(r"Registered types are \{.*'core-tests-table': <class '[\w.]*table_backend\.Table'>", message)
    assert "If you found this, either (a) ensure you have the right package installed" in message
    assert "test_metadata" in message


def test_schema_output_rejects_generic_types():
    @schema.output(("a", "int"))
    def d() -> dict[str, int]:
        return {"a": 1}

    with pytest.raises(
        base.InvalidDecoratorException, match=r"Node d has type dict\[str, int\] which is not a registered"
    ):
        build(d)


def test_schema_output_default_target_is_the_final_node():
    @schema.output(("a", "int"))
    @derive("a", Column, lambda t: t.columns["a"])
    def df() -> Table:
        return frame()

    with pytest.raises(
        base.InvalidDecoratorException, match=r"Node df_a has type .*Column.* which is not a registered"
    ):
        build(df)

    @schema.output(("a", "int"), target_="df2")
    @derive("a", Column, lambda t: t.columns["a"])
    def df2() -> Table:
        return frame()

    assert tags_of(df2) == {"df2": {"hamilton.internal.schema_output": "a=int"}, "df2_a": {}}


def test_only_one_schema_output_per_function():
    def df() -> Table:
        return frame()

    schema.output(("a", "int"))(df)
    with pytest.raises(ValueError, match=r"Got multiple decorators for decorator @<class '.*SchemaOutput'>\. Only one"):
        schema.output(("b", "int"))(df)


@pytest.mark.parametrize("order", ["schema_outside", "tag_outside"])
def test_schema_output_combines_with_tag_in_either_order(order):
    """1.x rejected ``@schema.output`` written above ``@tag``; that restriction is not copied."""

    def df() -> Table:
        return frame()

    if order == "schema_outside":
        schema.output(("a", "int"))(tag(x="y")(df))
    else:
        tag(x="y")(schema.output(("a", "int"))(df))
    assert tags_of(df) == {"df": {"hamilton.internal.schema_output": "a=int", "x": "y"}}


@pytest.mark.parametrize("field", ["a", ("a", "int", "x"), ["a"], "ab"])
def test_schema_output_fields_are_pairs(field):
    with pytest.raises(base.InvalidDecoratorException, match=r"schema.output takes \(name, type\) pairs"):
        schema.output(field)


def test_schema_output_is_a_tag():
    assert schema.output(["a", "int"]).tags == {"hamilton.internal.schema_output": "a=int"}  # lists unpack too
    decorator = schema.output(("a", "int"))
    assert isinstance(decorator, SchemaOutput)
    assert isinstance(decorator, tag)
    assert decorator.tags == {"hamilton.internal.schema_output": "a=int"}


# -- ray_remote_options ----------------------------------------------------------------------


def test_ray_remote_options_tags_json_values():
    @ray_remote_options(num_gpus=1, resources={"a": 2}, name="s")
    def f() -> int:
        return 1

    assert RAY_REMOTE_TAG_NAMESPACE == "ray_remote"
    assert tags_of(f) == {
        "f": {"ray_remote.num_gpus": "1", "ray_remote.resources": '{"a": 2}', "ray_remote.name": '"s"'}
    }
    decorator = ray_remote_options(num_cpus=2)
    assert isinstance(decorator, RayRemote)
    assert isinstance(decorator, tag)
    assert decorator.tags == {"ray_remote.num_cpus": "2"}


def test_ray_remote_options_combines_with_tag():
    @tag(owner="me")
    @ray_remote_options(num_cpus=2)
    def f() -> int:
        return 1

    assert tags_of(f) == {"f": {"owner": "me", "ray_remote.num_cpus": "2"}}


def test_ray_remote_options_errors():
    with pytest.raises(TypeError, match="not JSON serializable"):
        ray_remote_options(x=object())
    decorator = ray_remote_options(**{"a-b": 1})

    def f() -> int:
        return 1

    with pytest.raises(base.InvalidDecoratorException, match=r"invalid as tags: ray_remote\.a-b=1 Tag keys"):
        decorator(f)
    with pytest.raises(TypeError):
        ray_remote_options(1)


# -- cache -----------------------------------------------------------------------------------


def test_cache_tags_behavior_and_format():
    @cache(behavior="recompute", format="parquet")
    def f() -> int:
        return 1

    assert (cache.BEHAVIOR_KEY, cache.FORMAT_KEY) == ("cache.behavior", "cache.format")
    assert tags_of(f) == {"f": {"cache.behavior": "recompute", "cache.format": "parquet"}}
    assert build(f).execute(["f"]) == {"f": 1}


def test_cache_without_arguments_adds_no_tags():
    @cache()
    def f() -> int:
        return 1

    assert tags_of(f) == {"f": {}}


def test_cache_targets_every_node_by_default():
    @cache(behavior="disable")
    @derive("half", float)
    def f(x: int) -> int:
        return x

    assert tags_of(f) == {"f": {"cache.behavior": "disable"}, "f_half": {"cache.behavior": "disable"}}

    @cache(behavior="disable", target_=None)
    @derive("half", float)
    def g(x: int) -> int:
        return x

    assert tags_of(g) == {"g": {}, "g_half": {"cache.behavior": "disable"}}


@pytest.mark.parametrize("behavior", ["default", "recompute", "ignore", "disable", "RECOMPUTE", "Disable"])
def test_cache_behaviors_are_case_insensitive_and_kept_as_written(behavior):
    @cache(behavior=behavior)
    def f() -> int:
        return 1

    assert tags_of(f) == {"f": {"cache.behavior": behavior}}


@pytest.mark.parametrize("behavior", ["bogus", 1])
def test_cache_rejects_unknown_behaviors_when_decorating(behavior):
    decorator = cache(behavior=behavior)

    def f() -> int:
        return 1

    with pytest.raises(base.InvalidDecoratorException, match=f"{behavior} is an invalid `CachingBehavior` value"):
        decorator(f)


def test_cache_format_must_be_a_name():
    def f() -> int:
        return 1

    with pytest.raises(base.InvalidDecoratorException, match="saver/loader pair"):
        cache(format=1)(f)
    assert tags_of(cache(format="my_custom_format")(f)) == {"f": {"cache.format": "my_custom_format"}}


def test_stacked_caches_merge_and_the_outer_wins():
    @cache(behavior="disable")
    @cache(behavior="recompute", format="json")
    def f() -> int:
        return 1

    assert tags_of(f) == {"f": {"cache.behavior": "disable", "cache.format": "json"}}


def test_cache_combines_with_tag_and_config_when():
    @tag(owner="me")
    @cache(behavior="recompute")
    @config.when(mode="fast")
    def f__fast() -> int:
        return 1

    assert tags_of(f__fast, cfg={"mode": "fast"}) == {
        "f": {"cache.behavior": "recompute", "hamilton.config": "mode", "owner": "me"}
    }
    assert tags_of(f__fast, cfg={"mode": "slow"}) == {}


def test_cache_takes_keywords_only_and_checks_its_target():
    with pytest.raises(TypeError):
        cache("default")
    with pytest.raises(base.InvalidDecoratorException, match="Invalid target: 1"):
        cache(behavior="default", target_=1)


# -- composition with node-creating decorators ------------------------------------------------


def inner_a(x: int) -> int:
    return x + 1


def inner_b(inner_a: int) -> int:
    return inner_a * 2


def test_tag_on_a_subdag_tags_only_the_final_node_unless_targeted():
    @tag(owner="me")
    @recursive.subdag(inner_a, inner_b, inputs={"x": source("y")})
    def out(inner_b: int) -> int:
        return inner_b

    non_final = {"hamilton.non_final_node": True}
    assert tags_of(out) == {
        "out": {"owner": "me"},
        "out.inner_a": non_final,
        "out.inner_b": non_final,
        "out.x": non_final,
    }
    assert build(out).execute(["out"], inputs={"y": 1}) == {"out": 4}

    @tag(owner="me", target_=...)
    @tag_outputs(**{"out2.inner_a": {"k": "v"}})
    @recursive.subdag(inner_a, inner_b, inputs={"x": source("y")})
    def out2(inner_b: int) -> int:
        return inner_b

    tags = tags_of(out2)
    assert tags["out2"] == {"owner": "me"}
    assert tags["out2.inner_a"] == {**non_final, "k": "v", "owner": "me"}
    assert tags["out2.inner_b"] == {**non_final, "owner": "me"}


def test_tag_with_extract_columns_tags_the_columns_not_the_dataframe():
    @tag(owner="me")
    @expanders.extract_columns("a", "b")
    def df() -> Table:
        return frame()

    assert tags_of(df) == {"a": {"owner": "me"}, "b": {"owner": "me"}, "df": {}}
    assert build(df).execute(["a", "b"]) == {"a": [1], "b": [2.0]}

    @tag(owner="me", target_="df2")
    @schema.output(("a", "int"), ("b", "float"), target_="df2")
    @expanders.extract_columns("a", "b")
    def df2() -> Table:
        return frame()

    assert tags_of(df2) == {
        "a": {},
        "b": {},
        "df2": {"hamilton.internal.schema_output": "a=int,b=float", "owner": "me"},
    }


def test_tag_with_extract_fields_and_parameterize():
    @tag_outputs(g={"kind": "dict"})
    @tag(owner="me")
    @expanders.extract_fields({"a": int, "b": str})
    def g() -> dict:
        return {"a": 1, "b": "x"}

    assert tags_of(g) == {"a": {"owner": "me"}, "b": {"owner": "me"}, "g": {"kind": "dict"}}

    @tag(owner="me")
    @tag(first="yes", target_="p1")
    @expanders.parameterize(p1={"x": value(1)}, p2={"x": value(2)})
    def p(x: int) -> int:
        return x * 10

    assert tags_of(p) == {"p1": {"owner": "me", "first": "yes"}, "p2": {"owner": "me"}}
    assert build(p).execute(["p1", "p2"]) == {"p1": 10, "p2": 20}


def _add_one(x: int) -> int:
    return x + 1


def test_tag_and_cache_with_pipe_output():
    @tag(owner="me")
    @cache(behavior="recompute")
    @macros.pipe_output(macros.step(_add_one))
    def f(y: int) -> int:
        return y

    recompute = {"cache.behavior": "recompute"}
    assert tags_of(f) == {"f": {**recompute, "owner": "me"}, "f.raw": recompute, "f.with_add_one": recompute}
    assert build(f).execute(["f"], inputs={"y": 1}) == {"f": 2}
