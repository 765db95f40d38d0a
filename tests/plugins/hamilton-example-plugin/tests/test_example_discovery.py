"""Discovery through the installed distribution's entry point, and lazy loading.

Plugin state is process-wide, so every test that observes *when* the plugin loads runs its
scenario in a fresh interpreter (``run_fresh``) and reports what it saw as JSON.
"""

from __future__ import annotations

import importlib.metadata
import pathlib

PLUGIN = "hamilton_example_plugin"


# Prints the status of every plugin, and whether the plugin module has been imported.
STATUS = """
def statuses():
    import sys
    import hamilton.plugins
    found = {i.name: i.status for i in hamilton.plugins.list_plugins()}
    found["imported"] = "hamilton_example_plugin.plugin" in sys.modules
    return found
"""


def test_installed_as_a_distribution_with_an_entry_point():
    distribution = importlib.metadata.distribution("hamilton-example-plugin")
    assert distribution.version == "0.1.0"
    (entry_point,) = [ep for ep in distribution.entry_points if ep.group == "hamilton.plugins"]
    assert (entry_point.name, entry_point.value) == (PLUGIN, "hamilton_example_plugin.plugin")
    assert any(str(r).startswith("apache-hamilton") for r in distribution.requires or [])
    import hamilton_example_plugin

    # The tests exercise the installed wheel, not the source folder next to them.
    source = pathlib.Path(__file__).resolve().parents[1] / "src"
    assert source not in pathlib.Path(hamilton_example_plugin.__file__).resolve().parents


def test_list_plugins_reports_distribution_and_version_without_loading(run_fresh):
    seen = run_fresh(
        STATUS
        + """
import json, hamilton.plugins
(info,) = [i.as_dict() for i in hamilton.plugins.list_plugins() if i.name == "hamilton_example_plugin"]
print(json.dumps({"info": info, "after": statuses()}))
"""
    )
    info = seen["info"]
    assert info["distribution"] == "hamilton-example-plugin"
    assert info["version"] == "0.1.0"
    assert info["value"] == "hamilton_example_plugin.plugin"
    assert info["status"] == "available"
    assert info["provides"] == {}
    assert seen["after"]["imported"] is False  # listing imports nothing


def test_a_renderer_lookup_miss_loads_every_plugin(run_fresh):
    seen = run_fresh(
        STATUS
        + """
import json, hamilton.plugins
from hamilton.plugins.testing import contract_graph
before = statuses()
renderer = hamilton.plugins.renderer("outline")  # no register(): found through the entry point
text = renderer.render(contract_graph())
(info,) = [i for i in hamilton.plugins.list_plugins() if i.name == "hamilton_example_plugin"]
print(json.dumps({"before": before, "after": statuses(), "type": type(renderer).__qualname__,
                  "text": text, "provides": info.provides}))
"""
    )
    assert seen["before"] == {"core": "available", PLUGIN: "available", "imported": False}
    assert seen["after"] == {"core": "loaded", PLUGIN: "loaded", "imported": True}
    assert seen["type"] == "OutlineRenderer"
    assert "source: int" in seen["text"]
    assert seen["provides"] == {
        "adapters": ["node_counter"],
        "dataframe_backends": ["example_table"],
        "executors": ["inline_threads"],
        "fingerprinters": ["Table"],
        "materializers": ["table_text"],
        "renderers": ["outline"],
        "result_builders": ["table"],
    }


def test_a_name_core_provides_loads_no_other_plugin(run_fresh):
    # Finding "json" (core's renderer) or "threads" must not import every installed library.
    seen = run_fresh(
        STATUS
        + """
import json, hamilton.plugins
hamilton.plugins.renderer("json")
hamilton.plugins.executor("threads", max_workers=1).shutdown()
print(json.dumps(statuses()))
"""
    )
    assert seen == {"core": "loaded", PLUGIN: "available", "imported": False}


def test_every_kind_is_found_by_name_after_discovery(run_fresh):
    seen = run_fresh(
        """
import json, hamilton.plugins as hp
executor = hp.executor("inline_threads", max_workers=1)
found = {
    "adapter": type(hp.adapter("node_counter", tag="x")).__qualname__,
    "executor": executor.submit(sum, [1, 2]).result(),
    "result_builder": type(hp.result_builder("table")).__qualname__,
    "loaders": [c.__qualname__ for c in hp.loaders("table_text")],
    "savers": [c.__qualname__ for c in hp.savers("table_text")],
}
executor.shutdown()
print(json.dumps(found))
"""
    )
    assert seen == {
        "adapter": "NodeCounter",
        "executor": 3,
        "result_builder": "TableResult",
        "loaders": ["TableTextLoader"],
        "savers": ["TableTextSaver"],
    }


def test_dataframe_backend_loads_the_plugin_of_the_value_library_only(run_fresh):
    seen = run_fresh(
        STATUS
        + """
import json, hamilton.plugins
from hamilton_example_plugin import Table
before = statuses()
backend = hamilton.plugins.dataframe_backend(Table({"a": [1]}))
print(json.dumps({"before": before, "after": statuses(), "backend": type(backend).__qualname__}))
"""
    )
    assert seen["before"] == {"core": "available", PLUGIN: "available", "imported": False}
    assert seen["backend"] == "TableBackend"
    # Loaded lazily, by the library of the value (Table's top-level module): nothing else loads.
    assert seen["after"] == {
        "core": "loaded",
        PLUGIN: "loaded",
        "imported": True,
    }  # core's formats load first, so the plugin's override them


def test_values_of_other_libraries_load_nothing(run_fresh):
    seen = run_fresh(
        STATUS
        + """
import json, hamilton.plugins
from hamilton import fingerprinting
fingerprinting.hash_value(object())
fingerprinting.hash_value({"a": [1, 2.5, None]})
backend = hamilton.plugins.dataframe_backend(object())
print(json.dumps({"after": statuses(), "backend": backend}))
"""
    )
    assert seen == {"after": {"core": "available", PLUGIN: "available", "imported": False}, "backend": None}


def test_hash_value_dispatches_to_the_plugin_on_first_use(run_fresh):
    seen = run_fresh(
        STATUS
        + """
import json
from hamilton import fingerprinting
from hamilton_example_plugin import Table
table = Table({"a": [1, 2], "b": ["x", None]})
before = statuses()
first = fingerprinting.hash_value(table)  # the first Table ever: loads the plugin, then dispatches
from hamilton_example_plugin.fingerprint import fingerprint_table
print(json.dumps({"before": before, "after": statuses(), "first": first, "expected": fingerprint_table(table),
                  "registered": fingerprinting.hash_value.dispatch(Table) is fingerprint_table,
                  "nested": fingerprinting.hash_value([table, {"t": table}])}))
"""
    )
    assert seen["before"] == {"core": "available", PLUGIN: "available", "imported": False}
    assert seen["after"] == {
        "core": "loaded",
        PLUGIN: "loaded",
        "imported": True,
    }  # core's formats load first, so the plugin's override them
    assert seen["registered"] is True
    assert seen["first"] == seen["expected"]
    assert seen["nested"] != "<unhashable>"


def test_a_denied_plugin_is_skipped_and_reported(run_fresh):
    seen = run_fresh(
        """
import json, hamilton.plugins
from hamilton import fingerprinting
from hamilton_example_plugin import Table
from hamilton_example_plugin.fingerprint import fingerprint_table
table = Table({"a": [1]})
fingerprint = fingerprinting.hash_value(table)
(info,) = [i for i in hamilton.plugins.list_plugins() if i.name == "hamilton_example_plugin"]
print(json.dumps({"by_plugin": fingerprint == fingerprint_table(table), "status": info.status, "reason": info.reason}))
""",
        HAMILTON_PLUGINS_DENY=PLUGIN,
    )
    # Without the plugin, core fingerprints a Table by its class and state, never through the plugin.
    assert seen == {"by_plugin": False, "status": "skipped", "reason": "denied by HAMILTON_PLUGINS_DENY"}


def test_loads_in_strict_mode_without_warnings(run_fresh):
    seen = run_fresh(
        """
import json, warnings
warnings.simplefilter("error")  # any HamiltonPluginWarning fails the run
import hamilton.plugins
hamilton.plugins.load_all()
print(json.dumps(sorted((i.name, i.status) for i in hamilton.plugins.list_plugins())))
""",
        HAMILTON_PLUGINS_STRICT="1",
    )
    assert seen == [["core", "loaded"], [PLUGIN, "loaded"]]
