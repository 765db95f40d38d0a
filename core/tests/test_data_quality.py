"""hamilton.data_quality: validator base classes, default validators, resolution, plugin validators.

Messages, diagnostics and resolution rules were checked against apache-hamilton 1.90.0.
The decorators and the validation hook are tested in function_modifiers/test_validation.py.
"""

from __future__ import annotations

import logging
import numbers
import re
import textwrap
import uuid

import pytest
from resources.dq_validators import AlwaysFails, AsyncPasses

from hamilton.data_quality import base, default_validators
from hamilton.data_quality.default_validators import (
    AVAILABLE_DEFAULT_VALIDATORS,
    AllowNoneValidator,
    DataInRangeValidatorPrimitives,
    DataInValuesValidatorPrimitives,
    DataTypeValidatorPrimitives,
    StrContainsValidator,
    StrDoesNotContainValidator,
    resolve_default_validators,
)
from hamilton.plugins import _manager
from hamilton.plugins._manager import PluginSystem
from hamilton.plugins._registry import PluginContractError, Registry, collect
from hamilton.plugins.hookspecs import hookimpl

UNRESOLVED = (
    "No registered subclass of BaseDefaultValidator is available for arg: {arg} and type {type}. This either "
    "means (a) this arg-type contribution isn't supported or (b) this has not been added yet (but should be). In "
    "the case of (b), we welcome contributions. Get started at github.com/dagworks-inc/hamilton."
)


# -- base ---------------------------------------------------------------------------------------


def test_levels_results_and_errors_have_the_1x_shape():
    assert [level.value for level in base.DataValidationLevel] == ["warn", "fail"]
    result = base.ValidationResult(True, "m")
    assert result.diagnostics == {}
    assert result == base.ValidationResult(passes=True, message="m", diagnostics={})
    assert base.ValidationResult(False, "m").diagnostics is not result.diagnostics  # no shared default
    assert issubclass(base.DataValidationError, Exception)


def test_importance_is_a_level_and_an_unknown_one_says_which_exist():
    assert AlwaysFails("warn").importance is base.DataValidationLevel.WARN
    assert AlwaysFails(base.DataValidationLevel.FAIL).importance is base.DataValidationLevel.FAIL
    with pytest.raises(ValueError, match=re.escape("'WARN' is not a valid DataValidationLevel. Use importance='warn'")):
        AlwaysFails("WARN")


def test_the_abstract_methods_are_1xs():
    assert base.DataValidator.__abstractmethods__ == {"applies_to", "description", "name", "validate"}
    assert base.BaseDefaultValidator.__abstractmethods__ == {"applies_to", "arg", "description", "validate"}
    assert base.AsyncBaseDefaultValidator.__abstractmethods__ == {"applies_to", "arg", "description", "validate"}
    with pytest.raises(TypeError):
        base.DataValidator("warn")


def test_default_validator_names_derive_from_their_keyword():
    assert [cls.name() for cls in AVAILABLE_DEFAULT_VALIDATORS] == [
        "range_validator",
        "values_in_validator",
        "data_type_validator",
        "allow_none_validator",
        "contains_validator",
        "does_not_contain_validator",
    ]


def test_async_validators_are_recognised():
    assert base.is_async_validator(AsyncPasses("warn"))
    assert not base.is_async_validator(AlwaysFails("warn"))
    assert not base.is_async_validator(AllowNoneValidator(True, "warn"))


def test_act_warn_logs_the_1x_line(caplog):
    with caplog.at_level(logging.WARNING, logger="hamilton.data_quality.base"):
        base.act_warn("n", base.ValidationResult(False, "m", {"a": 1}), AlwaysFails("warn"))
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
        (
            "hamilton.data_quality.base",
            "WARNING",
            "[n:always_fails] validator failed. Message was: m. Diagnostic information is: {'a': 1}.",
        )
    ]


def test_act_fail_bulk_logs_each_failure_then_raises_them_together(caplog):
    failures = [
        (base.ValidationResult(False, "m1", {"a": 1}), AlwaysFails("fail")),
        (base.ValidationResult(False, "m2"), AllowNoneValidator(False, "fail")),
    ]
    expected = [
        "[n:always_fails] validator failed. Message was: m1. Diagnostic information is: {'a': 1}.\n",
        "[n:allow_none_validator] validator failed. Message was: m2. Diagnostic information is: {}.\n",
    ]
    with caplog.at_level(logging.ERROR), pytest.raises(base.DataValidationError) as raised:
        base.act_fail_bulk("n", failures)
    assert raised.value.args == (expected,)
    assert [r.getMessage() for r in caplog.records] == expected
    assert all(r.levelname == "ERROR" for r in caplog.records)
    base.act_fail_bulk("n", [])  # nothing failed: nothing raised


def test_act_on_results_warns_for_warn_and_raises_for_fail(caplog):
    warn, fail = AlwaysFails("warn"), AlwaysFails("fail")
    ok = (base.ValidationResult(True, "fine"), fail)
    with caplog.at_level(logging.WARNING):
        base.act_on_results("n", [ok, (warn.validate(1), warn)])
        assert [r.levelname for r in caplog.records] == ["WARNING"]
        with pytest.raises(base.DataValidationError, match=r"\[n:always_fails\] validator failed. Message was: bad 2"):
            base.act_on_results("n", [(warn.validate(1), warn), (fail.validate(2), fail)])


def test_results_that_are_not_validation_results_fail_clearly():
    validator = AsyncPasses("warn")
    coroutine = validator.validate(1)
    with pytest.raises(TypeError, match=r"Validator async_passes of node n is asynchronous.*async driver"):
        base.check_results("n", [(coroutine, validator)])
    assert coroutine.cr_frame is None  # closed: no "never awaited" warning
    with pytest.raises(TypeError, match=r"Validator always_fails \(AlwaysFails\) of node n returned bool True"):
        base.check_results("n", [(True, AlwaysFails("warn"))])


# -- default validators -------------------------------------------------------------------------

APPLIES = [int, float, bool, str, complex, numbers.Real, numbers.Number, list, dict, int | None, list[int]]


@pytest.mark.parametrize(
    ("cls", "applies"),
    [
        (DataInRangeValidatorPrimitives, [int, float, bool, numbers.Real]),
        (DataInValuesValidatorPrimitives, [int, float, bool, str, numbers.Real]),
        (DataTypeValidatorPrimitives, [int, float, bool, str, numbers.Real]),
        (AllowNoneValidator, APPLIES),
        (StrContainsValidator, [str]),
        (StrDoesNotContainValidator, [str]),
    ],
)
def test_which_types_each_default_validator_applies_to(cls, applies):
    # 1.x raises TypeError for int | None and list[int] (issubclass of a non-class); here they
    # simply do not apply.
    assert [t for t in APPLIES if cls.applies_to(t)] == applies


def test_range_validator():
    validator = DataInRangeValidatorPrimitives((0, 10), "warn")
    assert validator.description() == "Validates that the datapoint falls within the range (0, 10)"
    assert validator.validate(10) == base.ValidationResult(
        True, "Data point 10 falls within acceptable range: (0, 10)", {"range": (0, 10), "value": 10}
    )
    assert validator.validate(5.5).passes
    assert validator.validate(0).passes
    assert validator.validate(-1) == base.ValidationResult(
        False, "Data point -1 does not fall within acceptable range: (0, 10)", {"range": (0, 10), "value": -1}
    )
    # 1.x raises TypeError comparing None or a string; a value that is no number is out of range.
    assert validator.validate(None) == base.ValidationResult(
        False, "Data point None does not fall within acceptable range: (0, 10)", {"range": (0, 10), "value": None}
    )


def test_values_in_validator():
    validator = DataInValuesValidatorPrimitives([1, 2, "a"], "fail")
    values = validator.values
    assert values == frozenset({1, 2, "a"})
    assert validator.description() == f"Validates that python values are from a fixed set of values: ({values})."
    assert validator.validate("a") == base.ValidationResult(
        True,
        "Primitive python value was valid is True.",
        {"values": values, "was_correct": True, "incorrect_value": None, "data_size": 1},
    )
    assert validator.validate(3) == base.ValidationResult(
        False,
        f"Primitive python value was valid is False. Correct possible values are {values}.",
        {"values": values, "was_correct": False, "incorrect_value": 3, "data_size": 1},
    )
    assert not validator.validate(None).passes
    assert not validator.validate([1]).passes  # unhashable: not one of the values


def test_data_type_validator():
    validator = DataTypeValidatorPrimitives(int, "warn")
    assert validator.description() == "Validates that the datatype of the value is a subclass of: <class 'int'>"
    assert validator.validate(True) == base.ValidationResult(
        True,
        "Requires data type: <class 'int'>. Got data type: <class 'bool'>. This is a match.",
        {"required_data_type": int, "actual_data_type": bool},
    )
    assert validator.validate(1.0) == base.ValidationResult(
        False,
        "Requires data type: <class 'int'>. Got data type: <class 'float'>. This is not a match.",
        {"required_data_type": int, "actual_data_type": float},
    )


def test_allow_none_validator():
    forbids = AllowNoneValidator(False, "warn")
    assert forbids.description() == "Validates that an output is not None"
    assert forbids.validate(None) == base.ValidationResult(False, "Data is not allowed to be None, got None")
    assert forbids.validate(0) == base.ValidationResult(True, "Data is not None")
    allows = AllowNoneValidator(True, "warn")
    assert allows.description() == "No-op validator."
    assert allows.validate(1) == base.ValidationResult(True, "Data is not None")
    assert allows.validate(None).passes


def test_contains_validators_need_every_substring_or_none_of_them():
    contains = StrContainsValidator(["a", "b"], "warn")
    assert contains.description() == "Validates that a string contains ['a', 'b'] within it."
    assert contains.validate("ab") == base.ValidationResult(True, "All good.")
    assert contains.validate("xa") == base.ValidationResult(
        False, "String did not contain ['a', 'b']", {"contains": ["a", "b"], "data": "xa"}
    )
    assert StrContainsValidator("a", "warn").validate("xax").passes
    assert not StrContainsValidator("a", "warn").validate(None).passes
    absent = StrDoesNotContainValidator(["a", "b"], "warn")
    assert absent.description() == "Validates that a string does not contain ['a', 'b'] within it."
    assert absent.validate("zz") == base.ValidationResult(True, "All good.")
    assert absent.validate("xbx") == base.ValidationResult(
        False, "String did contain ['a', 'b']", {"does_not_contain": ["a", "b"], "data": "xbx"}
    )
    assert StrDoesNotContainValidator("a", "warn").validate("xbx").passes


# -- resolution ---------------------------------------------------------------------------------


def test_one_validator_per_keyword_in_keyword_order_with_the_importance():
    validators = resolve_default_validators(int, "fail", values_in=[1], range=(0, 1))
    assert [type(v) for v in validators] == [DataInValuesValidatorPrimitives, DataInRangeValidatorPrimitives]
    assert validators[1].range == (0, 1)
    assert all(v.importance is base.DataValidationLevel.FAIL for v in validators)
    assert resolve_default_validators(int, "warn") == []


def test_the_keyword_must_fit_the_type():
    assert [type(v) for v in resolve_default_validators(str, "warn", contains="x", allow_none=False)] == [
        StrContainsValidator,
        AllowNoneValidator,
    ]
    assert type(resolve_default_validators(int | None, "warn", allow_none=False)[0]) is AllowNoneValidator
    with pytest.raises(ValueError, match="Keywords available for this type: ") as raised:
        resolve_default_validators(list, "warn", range=(0, 1))
    message = str(raised.value)
    assert message.startswith(UNRESOLVED.format(arg="range", type=list))
    assert "['allow_none']" in message
    assert 'pip install "apache-hamilton[pandas]"' in message
    with pytest.raises(ValueError, match=UNRESOLVED.format(arg="bogus", type="<class 'int'>")[:60]):
        resolve_default_validators(int, "warn", bogus=1)


def test_explicit_candidates_are_the_only_ones_searched():
    only_types = [DataTypeValidatorPrimitives]
    assert type(resolve_default_validators(int, "warn", only_types, data_type=int)[0]) is DataTypeValidatorPrimitives
    with pytest.raises(ValueError, match="arg: range and type <class 'int'>"):
        resolve_default_validators(int, "warn", only_types, range=(0, 1))


def test_an_unknown_importance_fails_resolution():
    with pytest.raises(ValueError, match="'bad' is not a valid DataValidationLevel"):
        resolve_default_validators(int, "bad", range=(0, 1))


class EvenValidator(base.BaseDefaultValidator):
    """A keyword core does not know, for ints."""

    def __init__(self, even: bool, importance: str):
        super().__init__(importance)
        self.even = even

    @classmethod
    def applies_to(cls, datatype):
        return datatype is int

    @classmethod
    def arg(cls):
        return "even"

    def description(self):
        return "even"

    def validate(self, dataset):
        return base.ValidationResult(dataset % 2 == 0, "parity")


def test_validators_appended_to_the_default_list_are_found(monkeypatch):
    monkeypatch.setattr(
        default_validators, "AVAILABLE_DEFAULT_VALIDATORS", [*AVAILABLE_DEFAULT_VALIDATORS, EvenValidator]
    )
    assert type(resolve_default_validators(int, "warn", even=True)[0]) is EvenValidator


# -- validators contributed by plugins ---------------------------------------------------------


def test_the_validators_hook_is_validated_and_summarised():
    contribution = collect({"hamilton_validators": [EvenValidator]}, "plugin 'p'")
    assert contribution.validators == [EvenValidator]
    assert contribution.summary() == {"validators": ["EvenValidator"]}
    with pytest.raises(PluginContractError, match="validators must be classes"):
        collect({"hamilton_validators": [EvenValidator(True, "warn")]}, "plugin 'p'")

    class NoArg:
        @classmethod
        def applies_to(cls, datatype):
            return True

    with pytest.raises(PluginContractError, match=r"validator .*NoArg needs a method arg\(\)"):
        collect({"hamilton_validators": [NoArg]}, "plugin 'p'")

    class BadArg(EvenValidator):
        @classmethod
        def arg(cls):
            return "not a keyword"

    with pytest.raises(PluginContractError, match=r"arg\(\) must return a keyword"):
        collect({"hamilton_validators": [BadArg]}, "plugin 'p'")

    class WrongConstructor(EvenValidator):
        @classmethod
        def arg(cls):
            return "odd"

    with pytest.raises(PluginContractError, match=r"constructed as WrongConstructor\(odd=value, importance=...\)"):
        collect({"hamilton_validators": [WrongConstructor]}, "plugin 'p'")


def test_newer_plugins_are_searched_first_each_in_its_own_order():
    registry = Registry()

    class OtherEven(EvenValidator):
        pass

    registry.commit(collect({"hamilton_validators": [EvenValidator, DataTypeValidatorPrimitives]}, "first"))
    registry.commit(collect({"hamilton_validators": [OtherEven]}, "second"))
    assert registry.validator_classes() == [OtherEven, EvenValidator, DataTypeValidatorPrimitives]


def test_a_plugin_that_returns_a_bad_validator_is_rejected_as_a_whole():
    class Plugin:
        @hookimpl
        def hamilton_validators(self):
            return [EvenValidator, "not a class"]

    system = PluginSystem(paths=[])
    with pytest.raises(PluginContractError):
        system.register(Plugin(), name="bad-validators")
    assert system.registry.validator_classes() == []


@pytest.fixture
def plugin_system(tmp_path, monkeypatch):
    """A fresh process-wide plugin system over ``tmp_path`` (an empty site folder)."""
    monkeypatch.syspath_prepend(str(tmp_path))
    for variable in ("HAMILTON_PLUGINS_ALLOW", "HAMILTON_PLUGINS_DENY", "HAMILTON_AUTOLOAD_EXTENSIONS"):
        monkeypatch.delenv(variable, raising=False)
    system = PluginSystem(paths=[str(tmp_path)])
    monkeypatch.setattr(_manager, "_system", system)
    return system


def test_a_registered_plugins_validator_is_found_before_core_defaults(plugin_system):
    class ParityRange(EvenValidator):
        def __init__(self, range, importance):
            super().__init__(range, importance)

        @classmethod
        def arg(cls):
            return "range"

    class Plugin:
        @hookimpl
        def hamilton_validators(self):
            return [ParityRange]

    plugin_system.register(Plugin(), name="parity")
    assert type(resolve_default_validators(int, "warn", range=True)[0]) is ParityRange
    assert type(resolve_default_validators(float, "warn", range=(0, 1))[0]) is DataInRangeValidatorPrimitives
    # Explicit candidates leave plugins out.
    assert type(resolve_default_validators(int, "warn", AVAILABLE_DEFAULT_VALIDATORS, range=(0, 1))[0]) is (
        DataInRangeValidatorPrimitives
    )


def install_library_and_plugin(site, plugin_entry_point: str) -> str:
    """A library module defining ``Frame`` and a distribution whose plugin validates it."""
    library = f"dqlib_{uuid.uuid4().hex[:8]}"
    (site / f"{library}.py").write_text("class Frame(list):\n    pass\n")
    (site / f"{library}_plugin.py").write_text(
        textwrap.dedent(
            f"""
            from hamilton.data_quality import base
            from hamilton.plugins import hookimpl
            from {library} import Frame

            class FrameNotEmpty(base.BaseDefaultValidator):
                def __init__(self, not_empty, importance):
                    super().__init__(importance)

                @classmethod
                def applies_to(cls, datatype):
                    return isinstance(datatype, type) and issubclass(datatype, Frame)

                @classmethod
                def arg(cls):
                    return "not_empty"

                def description(self):
                    return "not empty"

                def validate(self, dataset):
                    return base.ValidationResult(len(dataset) > 0, "size")

            @hookimpl
            def hamilton_validators():
                return [FrameNotEmpty]
            """
        )
    )
    entry_point = plugin_entry_point.format(library=library)
    info = site / f"{library}_dist-1.0.dist-info"
    info.mkdir()
    (info / "entry_points.txt").write_text(f"[hamilton.plugins]\n{entry_point} = {library}_plugin\n")
    return library


@pytest.mark.parametrize("entry_point", ["{library}", "some-other-name"])
def test_resolution_loads_the_plugin_that_provides_the_validator(plugin_system, tmp_path, entry_point):
    """Named after the output type's library, the plugin loads up front; otherwise on a miss."""
    import importlib

    library = importlib.import_module(install_library_and_plugin(tmp_path, entry_point))
    (validator,) = resolve_default_validators(library.Frame, "warn", not_empty=True)
    assert type(validator).__name__ == "FrameNotEmpty"
    assert not validator.validate(library.Frame()).passes
    assert [info.status for info in plugin_system.list_plugins()] == ["loaded"]


def test_core_types_never_trigger_plugin_discovery(plugin_system, tmp_path):
    resolve_default_validators(int, "warn", range=(0, 1))
    assert plugin_system._entry_points is None
