"""Plugin discovery survives what a real environment throws at it: a distribution with unreadable
metadata, a plugin that calls ``sys.exit()`` at import, a plugin for a library that is not
installed. Each case runs in a subprocess so the process-wide plugin state is the real one.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

# Runs a lookup with every warning recorded, then prints the plugin warnings and the listing.
PROBE = """
import json, sys, warnings
sys.path.insert(0, {site!r})
{setup}
import hamilton.plugins as plugins
from hamilton.plugins import HamiltonPluginWarning, PluginNotFoundError
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    found = plugins.renderer("json").name
    try:
        plugins.renderer("no-such-renderer")
    except PluginNotFoundError as error:
        missing = str(error)
    plugins.renderer("json")
print(json.dumps({{
    "found": found,
    "missing": missing,
    "warnings": [str(w.message) for w in caught if issubclass(w.category, HamiltonPluginWarning)],
    "plugins": {{info.name: [info.status, info.reason] for info in plugins.list_plugins()}},
}}))
"""


def run_probe(site, setup: str = "", env: dict[str, str] | None = None) -> dict:
    """Run :data:`PROBE` in a fresh interpreter; the process must exit 0."""
    import os

    environment = {k: v for k, v in os.environ.items() if not k.startswith("HAMILTON_")}
    environment.update(env or {})
    code = PROBE.format(site=str(site), setup=textwrap.dedent(setup))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def fake_distribution(site, name: str, entry_points: bytes, modules: dict[str, str] | None = None) -> None:
    """A ``<name>-1.0.dist-info`` folder (METADATA + the given ``entry_points.txt`` bytes)."""
    info = site / f"{name}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_bytes(entry_points)
    for module, source in (modules or {}).items():
        (site / f"{module}.py").write_text(textwrap.dedent(source))


@pytest.mark.parametrize("deny", [None, "*"])
def test_a_distribution_with_non_utf8_entry_points_is_skipped_with_one_warning(tmp_path, deny):
    fake_distribution(tmp_path, "latin_dist", "[console_scripts]\ncafé = caf\u00e9:main\n".encode("latin-1"))
    report = run_probe(tmp_path, env={"HAMILTON_PLUGINS_DENY": deny} if deny else None)
    assert report["found"] == "json"
    assert "No renderer named 'no-such-renderer'" in report["missing"]
    broken = [message for message in report["warnings"] if "latin-dist" in message]
    assert len(broken) == 1, report["warnings"]
    assert "latin_dist-1.0.dist-info" in broken[0]
    assert "entry_points.txt" in broken[0]


EXITING_PLUGIN = """
import sys
sys.exit(3)
"""


def test_a_plugin_calling_sys_exit_at_import_is_a_broken_plugin_not_the_end_of_the_process(tmp_path):
    fake_distribution(
        tmp_path,
        "exiting_dist",
        b"[hamilton.plugins]\nexiting = exiting_plugin_mod\n",
        {"exiting_plugin_mod": EXITING_PLUGIN},
    )
    report = run_probe(tmp_path)
    assert "No renderer named 'no-such-renderer'" in report["missing"]
    exiting = [message for message in report["warnings"] if "'exiting'" in message]
    assert len(exiting) == 1, report["warnings"]
    assert "exiting-dist" in exiting[0]
    assert "SystemExit: 3" in exiting[0]
    assert report["plugins"]["exiting"] == ["failed", "SystemExit: 3"]


def test_a_plugin_calling_sys_exit_at_import_raises_plugin_load_error_in_strict_mode(tmp_path):
    fake_distribution(
        tmp_path,
        "exiting_dist",
        b"[hamilton.plugins]\nexiting = exiting_plugin_mod\n",
        {"exiting_plugin_mod": EXITING_PLUGIN},
    )
    code = f"""
import sys
sys.path.insert(0, {str(tmp_path)!r})
from hamilton.plugins import PluginLoadError, load
try:
    load("exiting")
except PluginLoadError as error:
    print("PluginLoadError", type(error.__cause__).__name__)
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=_env(HAMILTON_PLUGINS_STRICT="1"), timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "PluginLoadError SystemExit"


def _env(**extra: str) -> dict[str, str]:
    import os

    environment = {k: v for k, v in os.environ.items() if not k.startswith("HAMILTON_")}
    environment.update(extra)
    return environment


BLOCK_PYARROW = """
sys.modules["pyarrow"] = None  # `import pyarrow` now raises ModuleNotFoundError, as when not installed
"""


@pytest.mark.parametrize("strict", [False, True])
def test_a_plugin_for_a_library_that_is_not_installed_is_inactive_not_failed(tmp_path, strict):
    pytest.importorskip("hamilton.plugins.pyarrow_narwhals")  # hamilton-narwhals provides the `pyarrow` plugin
    report = run_probe(tmp_path, BLOCK_PYARROW, env={"HAMILTON_PLUGINS_STRICT": "1"} if strict else None)
    assert not [message for message in report["warnings"] if "pyarrow" in message], report["warnings"]
    assert report["plugins"]["pyarrow"] == ["inactive", "needs pyarrow"]
    assert "failed" not in report["missing"]


def test_the_listing_prints_an_inactive_plugin_with_the_library_it_needs(tmp_path):
    pytest.importorskip("hamilton.plugins.pyarrow_narwhals")
    code = f"""
import sys, runpy
{BLOCK_PYARROW}
sys.argv = ["hamilton.plugins", "--load"]
runpy.run_module("hamilton.plugins", run_name="__main__")
"""
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, env=_env(), timeout=120
    )
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("pyarrow "))
    assert "inactive" in line, result.stdout
    assert "(needs pyarrow)" in line, result.stdout


def test_a_missing_submodule_of_the_library_is_a_failure_not_an_inactive_plugin(tmp_path):
    # Only ModuleNotFoundError for exactly the library named by the entry point means "not installed";
    # anything else missing is a broken install and is reported.
    fake_distribution(
        tmp_path,
        "halflib_dist",
        b"[hamilton.plugins]\nhalflib = halflib_plugin_mod\n",
        {
            "halflib": "",
            "halflib_plugin_mod": "import halflib.core_ext\n",
        },
    )
    report = run_probe(tmp_path)
    assert report["plugins"]["halflib"][0] == "failed"
    assert len([message for message in report["warnings"] if "'halflib'" in message]) == 1


def test_a_plugin_named_after_a_library_that_is_not_installed_is_inactive(tmp_path):
    fake_distribution(
        tmp_path,
        "absentlib_dist",
        b"[hamilton.plugins]\nabsentlib_xyz = absentlib_plugin_mod\n",
        {
            "absentlib_plugin_mod": "import absentlib_xyz\n",
        },
    )
    report = run_probe(tmp_path)
    assert report["plugins"]["absentlib_xyz"] == ["inactive", "needs absentlib_xyz"]
    assert not [message for message in report["warnings"] if "absentlib" in message]


def test_a_misspelt_renderer_name_gets_a_suggestion():
    from hamilton import plugins

    with pytest.raises(plugins.PluginNotFoundError, match="Did you mean 'json'"):
        plugins.renderer("jsno")


def test_importing_a_1x_plugin_module_not_provided_yet_says_so():
    with pytest.raises(ImportError, match=r"not available in Hamilton 2\.0 yet"):
        from hamilton.plugins import h_spark  # noqa: F401
