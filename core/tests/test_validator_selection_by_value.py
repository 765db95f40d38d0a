"""@check_output selection by argument value: the optional ``accepts_arg(value)`` classmethod.

Two validators can share a keyword and a type (hamilton-narwhals' ``schema=`` takes a mapping or
a pandera schema, hamilton-pandera's takes pandera schemas only). A validator that declares it
accepts the value wins over one that declares nothing, whatever order they are searched in; one
that declines the value is skipped. The plugin named after the value's library loads up front.
"""

from __future__ import annotations

import importlib
import textwrap
import uuid

import pytest

from hamilton import driver
from hamilton.ad_hoc_utils import create_temporary_module
from hamilton.data_quality import base
from hamilton.data_quality.default_validators import DataInRangeValidatorPrimitives, resolve_default_validators
from hamilton.function_modifiers import check_output
from hamilton.plugins import _manager
from hamilton.plugins._manager import PluginSystem
from hamilton.plugins.hookspecs import hookimpl


class Spec:
    """A schema object of some library: what the specific validator is for."""

    def __init__(self, allowed):
        self.allowed = set(allowed)


class _SpecValidator(base.BaseDefaultValidator):
    def __init__(self, spec, importance):
        super().__init__(importance)
        self.spec = spec

    @classmethod
    def applies_to(cls, datatype):
        return datatype is str

    @classmethod
    def arg(cls):
        return "spec"

    def description(self):
        return type(self).__name__


class GeneralSpec(_SpecValidator):
    """Declares nothing about values: takes a collection of allowed strings (or anything with ``allowed``)."""

    def validate(self, data):
        allowed = getattr(self.spec, "allowed", self.spec)
        return base.ValidationResult(data in allowed, "general")


class SpecificSpec(_SpecValidator):
    """Takes :class:`Spec` objects only."""

    @classmethod
    def accepts_arg(cls, value):
        return isinstance(value, Spec)

    def validate(self, data):
        return base.ValidationResult(data in self.spec.allowed, "specific")


class Declines(_SpecValidator):
    """Declines every value."""

    @classmethod
    def accepts_arg(cls, value):
        return False

    def validate(self, data):
        raise AssertionError("never chosen")


@pytest.mark.parametrize("order", [[GeneralSpec, SpecificSpec], [SpecificSpec, GeneralSpec]])
def test_a_validator_that_accepts_the_value_wins_whatever_the_order(order):
    (validator,) = resolve_default_validators(str, "warn", order, spec=Spec(["a"]))
    assert type(validator) is SpecificSpec
    (validator,) = resolve_default_validators(str, "warn", order, spec={"a"})
    assert type(validator) is GeneralSpec


def test_a_validator_that_declines_the_value_is_skipped():
    (validator,) = resolve_default_validators(str, "warn", [Declines, GeneralSpec], spec={"a"})
    assert type(validator) is GeneralSpec
    with pytest.raises(ValueError, match="arg: spec and type <class 'str'>"):
        resolve_default_validators(str, "warn", [Declines, SpecificSpec], spec={"a"})


def test_without_accepts_arg_the_first_candidate_wins_as_before():
    class OtherGeneral(GeneralSpec):
        pass

    (validator,) = resolve_default_validators(str, "warn", [OtherGeneral, GeneralSpec], spec={"a"})
    assert type(validator) is OtherGeneral


def test_the_value_is_checked_per_member_of_an_optional():
    (validator,) = resolve_default_validators(str | None, "warn", [GeneralSpec, SpecificSpec], spec=Spec(["a"]))
    assert type(validator) is SpecificSpec


@pytest.fixture
def plugin_system(tmp_path, monkeypatch):
    """A fresh process-wide plugin system over ``tmp_path`` (an empty site folder)."""
    monkeypatch.syspath_prepend(str(tmp_path))
    for variable in ("HAMILTON_PLUGINS_ALLOW", "HAMILTON_PLUGINS_DENY", "HAMILTON_AUTOLOAD_EXTENSIONS"):
        monkeypatch.delenv(variable, raising=False)
    system = PluginSystem(paths=[str(tmp_path)])
    monkeypatch.setattr(_manager, "_system", system)
    return system


def _plugin(*validators):
    class Plugin:
        @hookimpl
        def hamilton_validators(self):
            return list(validators)

    return Plugin()


@pytest.mark.parametrize("specific_first", [True, False])
def test_plugin_registration_order_does_not_matter(plugin_system, specific_first):
    plugins = [("specific", _plugin(SpecificSpec)), ("general", _plugin(GeneralSpec))]
    for name, plugin in plugins if specific_first else reversed(plugins):
        plugin_system.register(plugin, name=name)

    @check_output(spec=Spec(["yes"]), importance="fail")
    def word(text: str) -> str:
        return text

    dr = driver.Builder().with_modules(create_temporary_module(word)).build()
    assert dr.execute(["word"], inputs={"text": "yes"})["word"] == "yes"
    with pytest.raises(base.DataValidationError, match="specific"):
        dr.execute(["word"], inputs={"text": "no"})
    assert type(check_output(spec={"yes"}).get_validators(dr.graph.nodes["word_raw"])[0]) is GeneralSpec


def _install_library_with_plugin(site) -> str:
    """A library defining ``Bounds`` and a plugin, named after it, whose ``range=`` takes ``Bounds``."""
    library = f"boundslib_{uuid.uuid4().hex[:8]}"
    (site / f"{library}.py").write_text(
        "class Bounds:\n    def __init__(self, low, high):\n        self.low, self.high = low, high\n"
    )
    (site / f"{library}_plugin.py").write_text(
        textwrap.dedent(
            f"""
            from hamilton.data_quality import base
            from hamilton.plugins import hookimpl
            from {library} import Bounds

            class BoundsRange(base.BaseDefaultValidator):
                def __init__(self, range, importance):
                    super().__init__(importance)
                    self.range = range

                @classmethod
                def applies_to(cls, datatype):
                    return datatype is int

                @classmethod
                def arg(cls):
                    return "range"

                @classmethod
                def accepts_arg(cls, value):
                    return isinstance(value, Bounds)

                def description(self):
                    return "bounds"

                def validate(self, data):
                    return base.ValidationResult(self.range.low < data < self.range.high, "open interval")

            @hookimpl
            def hamilton_validators():
                return [BoundsRange]
            """
        )
    )
    info = site / f"{library}_dist-1.0.dist-info"
    info.mkdir()
    (info / "entry_points.txt").write_text(f"[hamilton.plugins]\n{library} = {library}_plugin\n")
    return library


def test_the_plugin_named_after_the_values_library_loads_up_front(plugin_system, tmp_path):
    # core's range= applies to int too: without loading the plugin first, core's would be chosen
    library = importlib.import_module(_install_library_with_plugin(tmp_path))
    (validator,) = resolve_default_validators(int, "warn", range=library.Bounds(0, 2))
    assert type(validator).__name__ == "BoundsRange"
    assert not validator.validate(2).passes  # an open interval, unlike core's range
    assert [info.status for info in plugin_system.list_plugins()] == ["loaded"]
    (validator,) = resolve_default_validators(int, "warn", range=(0, 2))
    assert type(validator) is DataInRangeValidatorPrimitives


def test_plain_values_never_trigger_plugin_discovery(plugin_system):
    resolve_default_validators(int, "warn", range=(0, 1), values_in=[1], data_type=int, allow_none=False)
    resolve_default_validators(str, "warn", contains="x", does_not_contain=["y"])
    assert plugin_system._entry_points is None
