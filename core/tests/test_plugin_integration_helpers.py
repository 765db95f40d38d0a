"""The helpers first-party integration modules use: ``library_required`` (a missing library
names the extra and leaves the plugin inactive) and ``register_unless_automatic`` (1.x modules
registered themselves when imported)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from hamilton.plugins import library_required, testing


def test_a_missing_library_names_the_module_and_the_extra():
    needing = library_required("no_such_lib_x1", needed_by="hamilton.plugins.x1_extensions", extra="x1")
    with pytest.raises(ModuleNotFoundError) as caught, needing:
        import no_such_lib_x1  # noqa: F401
    assert caught.value.name == "no_such_lib_x1"  # the plugin system lists the plugin as "needs no_such_lib_x1"
    message = str(caught.value)
    assert message.startswith("hamilton.plugins.x1_extensions needs no_such_lib_x1, which is not installed.")
    assert 'pip install "apache-hamilton[x1]"' in message
    assert isinstance(caught.value.__cause__, ModuleNotFoundError)


def test_the_distribution_is_named_when_it_differs_from_the_import_name():
    needing = library_required("no_such_yaml_x1", needed_by="m", extra="yaml", distribution="PyYAMLx")
    with pytest.raises(ModuleNotFoundError, match=r"needs PyYAMLx \(imported as `no_such_yaml_x1`\)"), needing:
        import no_such_yaml_x1  # noqa: F401


def test_a_missing_submodule_is_a_broken_install_and_passes_through_unchanged():
    with pytest.raises(ModuleNotFoundError) as caught, library_required("json", needed_by="m", extra="json"):
        import json.no_such_submodule  # noqa: F401
    assert caught.value.name == "json.no_such_submodule"
    assert "apache-hamilton" not in str(caught.value)


def test_other_errors_and_success_are_left_alone():
    with library_required("json", needed_by="m", extra="json"):
        import json as imported
    assert imported is json
    with pytest.raises(ZeroDivisionError), library_required("json", needed_by="m", extra="json"):
        1 / 0


PLUGIN = """
from hamilton.plugins import hookimpl, register_unless_automatic

class Loud:
    name = "loud_x1"
    media_type = "text/plain"
    def render(self, graph, *, run_state=None, view=None):
        return "LOUD"

@hookimpl
def hamilton_renderers():
    return [Loud()]

register_unless_automatic(__name__, "x1lib")
"""

PROBE = """
import json, sys
from hamilton import plugins
import x1_extensions  # imported by hand, as 1.x code does
before = {info.name: info.status for info in plugins.list_plugins()}
renderer = plugins.renderer("loud_x1").name
after = {info.name: info.status for info in plugins.list_plugins()}
print(json.dumps({"before": before, "renderer": renderer, "after": after}))
"""


@pytest.fixture
def site(tmp_path):
    (tmp_path / "x1_extensions.py").write_text(textwrap.dedent(PLUGIN))
    info = tmp_path / "hamilton_x1-1.0.dist-info"
    info.mkdir()
    (info / "entry_points.txt").write_text("[hamilton.plugins]\nx1lib = x1_extensions\n")
    return tmp_path


def _probe(site, **env: str) -> dict:
    import os

    environment = {k: v for k, v in os.environ.items() if not k.startswith("HAMILTON_")}
    environment.update(env, PYTHONPATH=str(site))
    completed = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, env=environment
    )
    return json.loads(completed.stdout.splitlines()[-1])


def test_with_automatic_loading_a_module_imported_by_hand_waits_for_its_entry_point(site):
    report = _probe(site)
    assert report["before"]["x1lib"] == "available"  # importing it registered nothing
    assert report["renderer"] == "loud_x1"
    assert report["after"]["x1lib"] == "loaded"


def test_with_automatic_loading_off_a_module_imported_by_hand_registers_itself(site):
    report = _probe(site, HAMILTON_AUTOLOAD_EXTENSIONS="0")
    assert report["renderer"] == "loud_x1"  # served without automatic loading, as 1.x did
    assert report["before"]["x1_extensions"] == "registered"  # by the import, under the module's name
    assert report["after"]["x1lib"] == "available"  # its entry point is not loaded on top


# -- the contract integration distributions run (hamilton.plugins.testing.IntegrationContract) --

X2_PLUGIN = """
from hamilton.plugins import hookimpl, library_required

with library_required("x2lib", needed_by=__name__, extra="x2"):
    import x2lib

@hookimpl
def hamilton_result_builders():
    return {"x2": x2lib.Builder}
"""


@pytest.fixture
def x2_site(tmp_path_factory, monkeypatch):
    site = tmp_path_factory.mktemp("x2site")
    (site / "x2lib.py").write_text("class Builder:\n    def build_result(self, **outputs):\n        return outputs\n")
    (site / "x2_extensions.py").write_text(textwrap.dedent(X2_PLUGIN))
    info = site / "hamilton_x2-1.0.dist-info"
    info.mkdir()
    (info / "entry_points.txt").write_text("[hamilton.plugins]\nx2lib = x2_extensions\n")
    monkeypatch.setenv("PYTHONPATH", str(site))  # the contract's fresh interpreters find it
    return site


@pytest.mark.usefixtures("x2_site")
class TestAnIntegrationBuiltWithTheHelpersMeetsTheContract(testing.IntegrationContract):
    library = "x2lib"
    extra = "x2"
    modules = ("x2_extensions",)
    entry_point = "x2lib"


def test_the_contract_catches_a_module_that_imports_its_library_bare(x2_site):
    (x2_site / "x2_extensions.py").write_text("import x2lib\n")

    class Bare(testing.IntegrationContract):
        library, extra, modules = "x2lib", "x2", ("x2_extensions",)

    with pytest.raises(AssertionError, match="x2_extensions"):
        Bare().test_without_the_library_each_module_names_the_extra()


# -- a name a first-party distribution serves under another entry-point name --------------------

FAKE_VAEX = """
from hamilton.plugins import hookimpl

class Rows:
    def build_result(self, **outputs):
        return sorted(outputs)

@hookimpl
def hamilton_result_builders():
    return {"vaex": Rows}
"""

LOOKUP_PROBE = """
import builtins
from hamilton import plugins
print(type(plugins.result_builder("vaex")).__name__, hasattr(builtins, "EVERY_PLUGIN_LOADED"))
"""


def test_a_name_served_by_a_first_party_distribution_loads_that_distribution_not_every_plugin(tmp_path):
    """``result_builder("pyarrow")`` is served by hamilton-pyarrow's entry point ``pyarrow_table``:
    the lookup loads that distribution's plugins before falling back to every installed plugin."""
    import os

    (tmp_path / "fake_vaex_results.py").write_text(textwrap.dedent(FAKE_VAEX))
    (tmp_path / "sentinel_plugin.py").write_text("import builtins\nbuiltins.EVERY_PLUGIN_LOADED = True\n")
    for distribution, entry_point in (
        ("hamilton_vaex-9.0", "vaex_results = fake_vaex_results"),
        ("sentinel-1.0", "sentinel = sentinel_plugin"),
    ):
        info = tmp_path / f"{distribution}.dist-info"
        info.mkdir()
        (info / "entry_points.txt").write_text(f"[hamilton.plugins]\n{entry_point}\n")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("HAMILTON_")}
    environment["PYTHONPATH"] = str(tmp_path)
    completed = subprocess.run(
        [sys.executable, "-c", LOOKUP_PROBE], capture_output=True, text=True, check=True, env=environment
    )
    assert completed.stdout.split() == ["Rows", "False"]
