"""Builder.with_cache / Builder.cache / Driver.cache: core's side of caching.

The cache itself lives in the hamilton-cache distribution (tested there). Here: the 1.x
signature, the conflict errors, and the install hint when the distribution is absent.
"""

from __future__ import annotations

import importlib.util
import inspect
import subprocess
import sys
import textwrap

import pytest

from hamilton import driver


def _caching_installed() -> bool:
    try:
        return importlib.util.find_spec("hamilton.caching") is not None
    except ImportError:
        return False


needs_cache = pytest.mark.skipif(not _caching_installed(), reason="hamilton-cache is not installed")


def double(x: int) -> int:
    return 2 * x


def test_with_cache_has_1x_signature() -> None:
    parameters = inspect.signature(driver.Builder.with_cache).parameters
    assert list(parameters) == [
        "self",
        "path",
        "metadata_store",
        "result_store",
        "default",
        "recompute",
        "ignore",
        "disable",
        "default_behavior",
        "default_loader_behavior",
        "default_saver_behavior",
        "log_to_file",
    ]
    defaults = {name: p.default for name, p in parameters.items() if name != "self"}
    assert defaults == {
        "path": ".hamilton_cache",
        "metadata_store": None,
        "result_store": None,
        "default": None,
        "recompute": None,
        "ignore": None,
        "disable": None,
        "default_behavior": "default",
        "default_loader_behavior": "default",
        "default_saver_behavior": "default",
        "log_to_file": False,
    }


def test_no_cache_means_none() -> None:
    builder = driver.Builder().with_functions(double)
    assert builder.cache is None
    dr = builder.build()
    assert dr.cache is None
    assert driver.Driver({}, adapter=[]).cache is None


def test_importing_the_driver_does_not_import_the_cache() -> None:
    probe = "import sys, hamilton.driver; print(any(m.startswith('hamilton.caching') for m in sys.modules))"
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "False"


_WITHOUT_CACHE_DISTRIBUTION = textwrap.dedent(
    """
    import os, sys
    # Drop the path entries that provide hamilton/caching without being core's own entry.
    def provides_cache_only(entry):
        return os.path.isdir(os.path.join(entry, "hamilton", "caching")) and not os.path.isfile(
            os.path.join(entry, "hamilton", "__init__.py")
        )
    sys.path[:] = [entry for entry in sys.path if not provides_cache_only(entry)]
    import importlib.util
    try:
        still_there = importlib.util.find_spec("hamilton.caching") is not None
    except ImportError:
        still_there = False
    if still_there:
        print("SKIP: hamilton.caching is installed next to core")
        raise SystemExit(0)
    from hamilton import driver
    try:
        driver.Builder().with_cache()
    except ImportError as error:
        print("ImportError:", error)
    """
)


def test_with_cache_without_the_distribution_says_what_to_install(tmp_path) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", _WITHOUT_CACHE_DISTRIBUTION],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    if completed.stdout.startswith("SKIP"):
        pytest.skip(completed.stdout.strip())
    assert completed.stdout.startswith("ImportError:")
    assert 'pip install "apache-hamilton[cache]"' in completed.stdout
    assert list(tmp_path.iterdir()) == []  # nothing created (no .hamilton_cache)


@needs_cache
def test_with_cache_twice_is_rejected_with_1x_message(tmp_path) -> None:
    builder = driver.Builder().with_cache(path=tmp_path)
    with pytest.raises(ValueError) as raised:
        builder.with_cache(path=tmp_path)
    assert str(raised.value) == "Cannot use `.with_cache()` or with `.with_adapters(SmartCacheAdapter())`."


@needs_cache
def test_with_adapters_after_with_cache_is_rejected(tmp_path) -> None:
    from hamilton.caching.adapter import HamiltonCacheAdapter

    builder = driver.Builder().with_cache(path=tmp_path / "a")
    with pytest.raises(ValueError, match=r"Cannot use `\.with_cache\(\)`"):
        builder.with_adapters(HamiltonCacheAdapter(path=tmp_path / "b"))
    builder = driver.Builder().with_adapters(HamiltonCacheAdapter(path=tmp_path / "c"))
    with pytest.raises(ValueError, match=r"Cannot use `\.with_cache\(\)`"):
        builder.with_cache(path=tmp_path / "d")


@needs_cache
def test_cache_properties_and_copy(tmp_path) -> None:
    from hamilton.caching.adapter import HamiltonCacheAdapter

    builder = driver.Builder().with_functions(double).with_cache(path=tmp_path)
    assert isinstance(builder.cache, HamiltonCacheAdapter)
    copied = builder.copy()
    assert copied.cache is builder.cache
    dr = copied.build()
    assert dr.cache is builder.cache
    assert dr.execute(["double"], inputs={"x": 2}) == {"double": 4}
    assert dr.execute(["double"], inputs={"x": 2}) == {"double": 4}
    logs = dr.cache.logs(dr.cache.last_run_id)
    assert [event.event_type.value for event in logs["double"]] == ["get_result"]
