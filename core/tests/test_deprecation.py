"""The deprecation helper, and the gate that fails once a removal is due."""

import ast
import pathlib
import warnings

import pytest

from hamilton import version
from hamilton.deprecation import DEFAULT_REMOVAL, RemovedInHamilton3Warning, warn_deprecated

REPO = pathlib.Path(__file__).resolve().parents[2]
SOURCE_ROOTS = [REPO / "core" / "src", *sorted((REPO / "packages").glob("*/src"))]


def test_warning_names_the_removal_version_and_the_alternative():
    with pytest.warns(
        RemovedInHamilton3Warning, match=r"old\(\) is deprecated and will be removed in Hamilton 3\.0\. Use new\(\)\."
    ):
        warn_deprecated("old()", instead="Use new().")


def test_warning_points_at_the_callers_code():
    def library_function():
        warn_deprecated("library_function()")

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        library_function()
    assert caught[0].filename == __file__


def test_category_is_a_deprecation_warning_so_standard_filters_apply():
    assert issubclass(RemovedInHamilton3Warning, DeprecationWarning)


def _removal_versions_in_source() -> list[tuple[str, tuple[int, ...]]]:
    """Every ``warn_deprecated(...)`` call in the shipped source, with its removal version."""
    found = []
    for root in SOURCE_ROOTS:
        for path in root.rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for call in ast.walk(tree):
                if not isinstance(call, ast.Call):
                    continue
                name = getattr(call.func, "id", getattr(call.func, "attr", None))
                if name != "warn_deprecated":
                    continue
                removed_in = DEFAULT_REMOVAL
                for keyword in call.keywords:
                    if keyword.arg == "removed_in":
                        removed_in = tuple(ast.literal_eval(keyword.value))
                found.append((f"{path.relative_to(REPO)}:{call.lineno}", removed_in))
    return found


def test_the_gate_sees_the_deprecations_in_the_source():
    # guards the gate below against silently scanning nothing
    assert any("driver.py" in where for where, _ in _removal_versions_in_source())


def test_expiry_gate_no_deprecation_outlives_its_removal_version():
    """Fails as soon as the package version reaches a removal still referenced in the code."""
    current = tuple(part for part in version.VERSION if isinstance(part, int))
    overdue = [
        f"{where} (removal due in {'.'.join(map(str, due))})"
        for where, due in _removal_versions_in_source()
        if current >= due
    ]
    assert not overdue, "Deprecated behaviour past its removal version; remove it: " + ", ".join(overdue)
