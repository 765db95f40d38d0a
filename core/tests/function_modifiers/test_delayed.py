"""resolve / resolve_from_config / ResolveAt (1.x behaviour, checked on 1.90.0)."""

from __future__ import annotations

import pytest

from hamilton import driver
from hamilton.function_modifiers import base, expanders
from hamilton.function_modifiers.configuration import config, hamilton_exclude
from hamilton.function_modifiers.delayed import ResolveAt, resolve, resolve_from_config
from hamilton.function_modifiers.dependencies import value
from hamilton.function_modifiers.metadata import cache, schema, tag

from .table_backend import Table

POWER = "hamilton.enable_power_user_mode"
POWER_TEXT = (
    "Dynamic functions are only allowed in power user mode!Why? This is occasionally needed to enable highly "
    "flexible dataflows, but it can compromise readability if you're not careful! To enable power user mode, pass "
    "in the configuration parameter hamilton.enable_power_user_mode=True to your driver."
)


def build(*functions, cfg=None):
    return driver.Builder().with_functions(*functions).with_config(cfg or {}).build()


def tags_of(*functions, cfg=None):
    """Tags of every computed node, without the ``module`` tag."""
    return {
        v.name: {k: value for k, value in v.tags.items() if k != "module"}
        for v in build(*functions, cfg=cfg).list_available_variables()
        if not v.is_external_input
    }


def owned(owner: str, team: str = "core") -> tag:
    return tag(owner=owner, team=team)


def make_f():
    def f(x: int) -> int:
        return x + 1

    return f


def test_resolve_at_has_one_member():
    assert list(ResolveAt) == [ResolveAt.CONFIG_AVAILABLE]
    assert ResolveAt.CONFIG_AVAILABLE.value == "config_available"


def test_resolve_applies_the_decorator_built_from_config():
    f = resolve(when=ResolveAt.CONFIG_AVAILABLE, decorate_with=owned)(make_f())
    assert tags_of(f, cfg={POWER: True, "owner": "me"}) == {"f": {"owner": "me", "team": "core"}}
    assert tags_of(f, cfg={POWER: True, "owner": "me", "team": "x"}) == {"f": {"owner": "me", "team": "x"}}
    dr = build(f, cfg={POWER: True, "owner": "me"})
    assert dr.execute(["f"], inputs={"x": 1}) == {"f": 2}
    assert dr.execute([POWER]) == {POWER: True}  # config keys stay nodes, as in 1.x


def test_resolve_from_config_is_resolve_when_config_is_available():
    decorator = resolve_from_config(decorate_with=owned)
    assert isinstance(decorator, resolve)
    assert decorator.until is ResolveAt.CONFIG_AVAILABLE
    f = decorator(make_f())
    assert tags_of(f, cfg={POWER: True, "owner": "me"}) == {"f": {"owner": "me", "team": "core"}}


def test_keyword_only_parameters_are_config_keys():
    def kw_only(*, owner: str) -> tag:
        return tag(owner=owner)

    f = resolve_from_config(decorate_with=kw_only)(make_f())
    assert tags_of(f, cfg={POWER: True, "owner": "me"}) == {"f": {"owner": "me"}}


def test_decorate_with_may_take_no_parameters():
    f = resolve_from_config(decorate_with=lambda: tag(a="b"))(make_f())
    assert tags_of(f, cfg={POWER: True}) == {"f": {"a": "b"}}


def test_resolve_declares_its_optional_config_and_sees_the_whole_config():
    decorator = resolve(when=ResolveAt.CONFIG_AVAILABLE, decorate_with=owned)
    assert decorator.optional_config() == {"team": "core"}
    assert decorator.required_config() is None


@pytest.mark.parametrize("power", [True, "yes", 1])
def test_any_truthy_power_user_value_enables_resolve(power):
    f = resolve_from_config(decorate_with=owned)(make_f())
    assert tags_of(f, cfg={POWER: power, "owner": "me"})["f"]["owner"] == "me"


@pytest.mark.parametrize("power", [False, 0, None, ""])
def test_power_user_mode_off_fails_at_build_time(power):
    f = resolve_from_config(decorate_with=owned)(make_f())  # decorating is fine
    with pytest.raises(base.InvalidDecoratorException) as error:
        build(f, cfg={POWER: power, "owner": "me"})
    assert str(error.value).startswith(POWER_TEXT)


def test_power_user_mode_is_checked_before_missing_keys():
    f = resolve_from_config(decorate_with=owned)(make_f())
    with pytest.raises(base.InvalidDecoratorException, match="only allowed in power user mode"):
        build(f, cfg={POWER: False})


def test_absent_power_user_key_says_how_to_enable_it():
    """1.x raised ``KeyError('hamilton.enable_power_user_mode')`` here; we explain instead."""
    f = resolve_from_config(decorate_with=owned)(make_f())
    for cfg in ({"owner": "me"}, {}):
        with pytest.raises(base.InvalidDecoratorException) as error:
            build(f, cfg=cfg)
        assert not isinstance(error.value, KeyError)
        message = str(error.value)
        assert message.startswith(POWER_TEXT)
        assert "The config has no hamilton.enable_power_user_mode key" in message
        assert "test_delayed" in message


def test_missing_config_keys_fail_at_build_time():
    f = resolve_from_config(decorate_with=owned)(make_f())
    with pytest.raises(
        base.InvalidDecoratorException,
        match=r"Config items: \['owner'\] declared but not provided for decorator: <hamilton\.function_modifiers\."
        r"delayed\.resolve_from_config object at .*> on fn: <function make_f",
    ):
        build(f, cfg={POWER: True})


@pytest.mark.parametrize("when", ["config_available", None, 1])
def test_when_must_be_config_available(when):
    with pytest.raises(ValueError, match="Dynamic functions must be configured at config time!"):
        resolve(when=when, decorate_with=owned)


def posonly(a, /):
    return tag(a=a)


@pytest.mark.parametrize(
    ("decorate_with", "signature"),
    [(lambda *a: tag(), r"\(\*a\)"), (lambda **kw: tag(), r"\(\*\*kw\)"), (posonly, r"\(a, /\)")],
)
def test_decorate_with_needs_keyword_friendly_parameters(decorate_with, signature):
    with pytest.raises(
        base.InvalidDecoratorException,
        match="Configuration-parsing functions can only except keyword-friendly arguments. Instead got signature: "
        + signature,
    ):
        resolve_from_config(decorate_with=decorate_with)


def test_decorate_with_must_be_callable():
    with pytest.raises(TypeError, match="is not a callable object"):
        resolve_from_config(decorate_with=1)


def test_resolve_takes_keywords_only():
    with pytest.raises(TypeError):
        resolve(ResolveAt.CONFIG_AVAILABLE, owned)


def test_the_produced_decorator_is_validated_at_build_time():
    f = resolve_from_config(decorate_with=lambda: tag(**{"hamilton.x": "y"}))(make_f())
    with pytest.raises(base.InvalidDecoratorException, match=r"The following tags are invalid as tags: hamilton\.x=y"):
        build(f, cfg={POWER: True})


@pytest.mark.parametrize("returned", [None, 5, "tag"])
def test_decorate_with_must_return_a_decorator(returned):
    f = resolve_from_config(decorate_with=lambda: returned)(make_f())
    with pytest.raises(base.InvalidDecoratorException, match="not a decorator"):
        build(f, cfg={POWER: True})


def test_decorate_with_cannot_return_another_resolve():
    """1.x silently ignored the nested resolve."""
    inner = resolve_from_config(decorate_with=lambda: tag(a="b"))
    f = resolve_from_config(decorate_with=lambda: inner)(make_f())
    with pytest.raises(base.InvalidDecoratorException, match="returned another @resolve"):
        build(f, cfg={POWER: True})


def test_stacked_resolves_apply_in_order_and_the_outer_wins():
    f = make_f()
    resolve_from_config(decorate_with=lambda owner: tag(o=owner))(
        resolve_from_config(decorate_with=lambda owner: tag(o="inner", p=owner))(f)
    )
    assert tags_of(f, cfg={POWER: True, "owner": "me"}) == {"f": {"o": "me", "p": "me"}}


@pytest.mark.parametrize("order", ["tag_outside", "resolve_outside"])
def test_a_resolved_tag_is_applied_after_written_tags(order):
    """As in 1.x, the produced decorator joins its step last, whatever the textual order."""
    f = make_f()
    dynamic = resolve_from_config(decorate_with=lambda owner: tag(o=owner))
    if order == "tag_outside":
        tag(o="static", s="x")(dynamic(f))
    else:
        dynamic(tag(o="static", s="x")(f))
    assert tags_of(f, cfg={POWER: True, "owner": "me"}) == {"f": {"o": "me", "s": "x"}}


def test_resolve_can_produce_cache_and_schema_output():
    def df() -> Table:
        return Table({"a": [1]})

    resolve_from_config(decorate_with=lambda fields: schema.output(*fields))(df)
    resolve_from_config(decorate_with=lambda behavior: cache(behavior=behavior))(df)
    cfg = {POWER: True, "fields": [("a", "int")], "behavior": "recompute"}
    assert tags_of(df, cfg=cfg) == {"df": {"hamilton.internal.schema_output": "a=int", "cache.behavior": "recompute"}}


def test_resolve_with_config_when_only_resolves_chosen_variants():
    @resolve_from_config(decorate_with=lambda owner: tag(o=owner))
    @config.when(mode="a")
    def g__a() -> int:
        return 1

    @config.when(mode="b")
    def g__b() -> int:
        return 2

    assert tags_of(g__a, g__b, cfg={POWER: True, "owner": "me", "mode": "a"}) == {
        "g": {"hamilton.config": "mode", "o": "me"}
    }
    # 1.x resolved (and failed on the missing "owner") even for a variant config.when dropped.
    dr = build(g__a, g__b, cfg={"mode": "b"})
    assert dr.execute(["g"]) == {"g": 2}


def test_resolve_with_hamilton_exclude_is_never_resolved():
    @resolve_from_config(decorate_with=owned)
    @hamilton_exclude
    def helper() -> int:
        return 1

    assert "helper" not in build(helper).graph


@pytest.mark.parametrize("produced", ["exclude", "when"])
def test_resolve_can_produce_a_node_resolver(produced):
    decorator = hamilton_exclude if produced == "exclude" else config.when(m="x")
    f = resolve_from_config(decorate_with=lambda: decorator)(make_f())
    assert "f" not in build(f, cfg={POWER: True, "m": "y"}).graph


def test_resolve_can_produce_an_expander():
    def outputs_of(outputs: list) -> base.NodeTransformLifecycle:
        return expanders.parameterize(**{name: {"x": value(i)} for i, name in enumerate(outputs)})

    @resolve_from_config(decorate_with=outputs_of)
    @tag(owner="me")
    def p(x: int) -> int:
        return x * 10

    cfg = {POWER: True, "outputs": ["a", "b"]}
    assert tags_of(p, cfg=cfg) == {"a": {"owner": "me"}, "b": {"owner": "me"}}
    assert build(p, cfg=cfg).execute(["a", "b"]) == {"a": 0, "b": 10}


def test_a_resolved_expander_conflicts_with_a_written_one():
    @resolve_from_config(decorate_with=lambda: expanders.parameterize(a={"x": value(1)}))
    @expanders.parameterize(q={"x": value(9)})
    def p(x: int) -> int:
        return x

    with pytest.raises(ValueError, match="Got multiple decorators for decorator @<class"):
        build(p, cfg={POWER: True})


def test_resolve_can_produce_extract_columns():
    @resolve_from_config(decorate_with=lambda columns: expanders.extract_columns(*columns))
    def df() -> Table:
        return Table({"a": [1], "b": [2]})

    dr = build(df, cfg={POWER: True, "columns": ["a"]})
    assert dr.execute(["a"]) == {"a": [1]}
    assert "b" not in dr.graph
