"""hamilton.dev_utils.deprecation: 1.x's @deprecated decorator, on the project's warnings."""

import warnings

import pytest

from hamilton import version
from hamilton.deprecation import RemovedInHamilton3Warning
from hamilton.dev_utils import deprecation
from hamilton.dev_utils.deprecation import DeprecationError, Version, deprecated


def replacement() -> int:
    return 2


def _marker(current, **overrides):
    kwargs = dict(
        warn_starting=(1, 5, 0),
        fail_starting=(3, 0, 0),
        use_this=replacement,
        explanation="Use the new one.",
        migration_guide=None,
        current_version=current,
    )
    kwargs.update(overrides)
    return deprecated(**kwargs)


def test_versions_order_by_major_minor_patch_and_drop_a_pre_release_suffix():
    assert Version(0, 1, 2) < Version(0, 1, 3) < Version(0, 2, 0) < Version(1, 0, 0)
    assert Version(2, 0, 0) > Version(1, 9, 9)
    assert Version.from_version_tuple((2, 0, 0, "rc1")) == Version(2, 0, 0)
    assert str(Version(1, 2, 3)) == "1.2.3"
    assert Version.from_version_tuple(version.VERSION) == deprecation.CURRENT_VERSION


def test_decorator_arguments_are_checked():
    with pytest.raises(ValueError, match="warn_starting"):
        _marker((0, 0, 0), warn_starting=(2, 0, 0), fail_starting=(1, 0, 0))
    with pytest.raises(ValueError, match="migration_guide"):
        _marker((0, 0, 0), use_this=None)
    _marker((0, 0, 0), use_this=None, migration_guide="https://example.com/guide")
    _marker((0, 0, 0), warn_starting=(1, 0, 0), fail_starting=(1, 0, 0))


def test_a_function_runs_silently_until_past_warn_starting():
    calls = []
    wrapped = _marker((1, 5, 0), warn_action=calls.append)(replacement)
    assert wrapped() == 2
    assert calls == []  # at warn_starting itself: not yet, as in 1.x


def test_past_warn_starting_the_default_warning_is_a_deprecation_warning_pointing_at_the_caller():
    @_marker((2, 0, 0))
    def old(x: int) -> int:
        """Old docstring."""
        return x

    assert old.__name__ == "old"
    assert old.__doc__ == "Old docstring."
    with pytest.warns(
        RemovedInHamilton3Warning, match=r"old is deprecated and will be removed in Hamilton 3\.0\.0"
    ) as record:
        assert old(5) == 5
    assert record[0].filename == __file__
    assert "Use replacement instead." in str(record[0].message)
    assert "drop-in replacement" in str(record[0].message)


def test_warn_action_receives_the_message():
    messages = []
    wrapped = _marker((2, 0, 0), warn_action=messages.append, migration_guide="https://example.com/guide")(replacement)
    wrapped()
    assert len(messages) == 1
    assert "replacement is deprecated" in messages[0]
    assert "https://example.com/guide" in messages[0]


def test_past_fail_starting_using_it_raises():
    wrapped = _marker((3, 0, 1))(replacement)
    with pytest.raises(DeprecationError, match=r"replacement is no longer supported as of Hamilton 3\.0\.0"):
        wrapped()


def test_a_fail_action_that_does_not_raise_lets_the_call_run():
    failures = []
    wrapped = _marker((3, 1, 0), fail_action=failures.append)(replacement)
    assert wrapped() == 2
    assert len(failures) == 1


def test_a_class_with_callable_instances_warns_when_an_instance_is_called():
    messages = []

    @_marker((2, 0, 0), warn_action=messages.append)
    class old_decorator:
        def __call__(self, fn):
            return fn

    instance = old_decorator()
    assert messages == []
    assert instance(replacement) is replacement
    assert len(messages) == 1
    assert "old_decorator is deprecated" in messages[0]


def test_a_class_with_callable_instances_fails_when_an_instance_is_called():
    @_marker((3, 1, 0))
    class old_decorator:
        def __call__(self):
            return 1

    with pytest.raises(DeprecationError):
        old_decorator()()


def test_a_class_without_callable_instances_warns_when_instantiated():
    messages = []

    class Base:
        def __call__(self):
            return "base"

    @_marker((2, 0, 0), warn_action=messages.append)
    class Plain:
        def __init__(self, value):
            self.value = value

    assert Plain(3).value == 3
    assert len(messages) == 1

    @_marker((2, 0, 0), warn_action=messages.append)
    class Child(Base):
        pass

    assert Base()() == "base"  # the base class is left untouched
    assert len(messages) == 1
    assert Child()() == "base"
    assert len(messages) == 2


def test_only_functions_and_classes_can_be_decorated():
    with pytest.raises(TypeError, match="functions and classes"):
        _marker((2, 0, 0))(3)


def test_the_default_current_version_is_hamiltons():
    marker = deprecated(
        warn_starting=(0, 1, 0), fail_starting=(99, 0, 0), use_this=replacement, explanation="", migration_guide=None
    )
    assert marker.current_version == deprecation.CURRENT_VERSION
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        marker(replacement)()
    assert caught[0].category is DeprecationWarning  # no Hamilton-3-specific class for 99.0
