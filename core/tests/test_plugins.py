"""The plugin system: discovery, lazy loading, failure isolation, switches, registration, lookups.

Installed distributions are simulated the way pip lays them out (``<name>-<version>.dist-info/
entry_points.txt`` next to the importable modules) in a temporary folder; each test uses its
own ``PluginSystem`` over that folder, so the process-wide plugin state is left alone.
Behaviour of the process-wide API is checked in subprocesses.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import uuid
import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hamilton import driver, fingerprinting
from hamilton.plugins import _entry_points, _versions
from hamilton.plugins._manager import HamiltonPluginWarning, PluginLoadError, PluginSystem, is_instance_of, library_of
from hamilton.plugins.dispatch import plugin_dispatch
from hamilton.plugins.hookspecs import hookimpl


def unique(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def install(site, distribution: str, version: str, entry_points: dict[str, str], modules: dict[str, str]) -> None:
    """Lay out a distribution like pip does: its modules and a dist-info with entry points."""
    for module, source in modules.items():
        (site / f"{module}.py").write_text(textwrap.dedent(source))
    info = site / f"{distribution.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    lines = ["[console_scripts]", "ignored = some:thing", "", "[hamilton.plugins]"]
    lines += [f"{name} = {value}" for name, value in entry_points.items()]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n")


RENDERER_PLUGIN = """
from hamilton.plugins import hookimpl

class Shout:
    name = "{renderer}"
    media_type = "text/plain"
    def render(self, graph, *, run_state=None):
        return " ".join(n.name.upper() for n in graph.nodes)

@hookimpl
def hamilton_renderers():
    return [Shout()]
"""


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    for variable in (
        "HAMILTON_PLUGINS_ALLOW",
        "HAMILTON_PLUGINS_DENY",
        "HAMILTON_PLUGINS_STRICT",
        "HAMILTON_AUTOLOAD_EXTENSIONS",
    ):
        monkeypatch.delenv(variable, raising=False)
    return tmp_path


def renderer_plugin(site, renderer: str | None = None) -> tuple[str, str]:
    """A distribution whose plugin provides a renderer; returns (entry-point name, renderer name)."""
    module, renderer = unique("shout_plugin"), renderer or unique("shout")
    install(site, f"{module}-dist", "1.2.3", {module: module}, {module: RENDERER_PLUGIN.format(renderer=renderer)})
    return module, renderer


# -- discovery --------------------------------------------------------------------------------


def test_discovery_reads_only_the_hamilton_group_and_first_distribution_wins(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    install(first, "dup-dist", "1.0", {"a": "mod_a:plugin"}, {})
    install(second, "dup-dist", "2.0", {"b": "mod_b:plugin"}, {})
    egg = second / "legacy.egg-info"
    egg.mkdir()
    (egg / "entry_points.txt").write_text("# comment\n[hamilton.plugins]\nlegacy = legacy_mod\n")
    found = _entry_points.discover([str(first), str(second), str(tmp_path / "missing")])
    assert [(e.name, e.value, e.distribution, e.version) for e in found] == [
        ("a", "mod_a:plugin", "dup-dist", "1.0"),
        ("legacy", "legacy_mod", "legacy", ""),
    ]


def test_nothing_is_discovered_until_something_is_needed(site):
    system = PluginSystem([str(site)])
    assert system._entry_points is None
    renderer_plugin(site)
    assert [info.status for info in system.list_plugins()] == ["available"]  # listing loads nothing


FOOTPRINT_PROBE = """
import sys
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" else None)
from hamilton import driver
def a(x: int) -> int:
    return x + 1
assert driver.Builder().with_functions(a).build().execute(["a"], inputs={"x": 1}) == {"a": 2}
print([path for path in opened if path.endswith("entry_points.txt")], "pluggy" in sys.modules)
"""


def test_a_run_that_needs_no_plugin_scans_no_entry_points_and_loads_no_plugin():
    result = subprocess.run([sys.executable, "-c", FOOTPRINT_PROBE], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[] False"


# -- loading ----------------------------------------------------------------------------------


def test_lookup_by_name_loads_plugins_on_a_miss(site):
    name, renderer = renderer_plugin(site)
    system = PluginSystem([str(site)])
    assert system.registry.renderers == {}
    assert system.load_all()
    assert renderer in system.registry.renderers
    (info,) = system.list_plugins()
    assert (info.name, info.distribution, info.version, info.status) == (
        name,
        f"{name}-dist".replace("_", "-"),
        "1.2.3",
        "loaded",
    )
    assert info.provides == {"renderers": [renderer]}
    assert not system.load_all()  # once per process


LIBRARY = """
class Frame:
    def __init__(self, columns):
        self.columns = columns
"""

BACKEND_PLUGIN = """
from hamilton.plugins import hookimpl
from {library} import Frame

class Backend:
    name = "{library}"
    dataframe_types = (Frame,)
    column_type = list
    def column_names(self, df): return list(df.columns)
    def get_column(self, df, name): return df.columns[name]
    def fill_with_scalar(self, df, name, value): return Frame({{**df.columns, name: [value] * 3}})
    def with_columns(self, df, columns): return Frame({{**df.columns, **columns}})
    def select(self, df, names): return Frame({{n: df.columns[n] for n in names}})
    def schema(self, df): return {{n: "int" for n in df.columns}}

@hookimpl
def hamilton_dataframe_backends():
    return [Backend()]

@hookimpl
def hamilton_fingerprinters():
    return {{Frame: lambda frame, *args, **kwargs: "frame:" + ",".join(sorted(frame.columns))}}
"""


def library_with_plugin(site) -> str:
    library = unique("fakelib")
    plugin = f"{library}_hamilton"
    install(
        site,
        f"{library}-hamilton",
        "0.1",
        {library: plugin},
        {library: LIBRARY, plugin: BACKEND_PLUGIN.format(library=library)},
    )
    return library


def test_a_library_plugin_loads_when_a_value_of_that_library_is_first_seen(site):
    library = library_with_plugin(site)
    frame = __import__(library).Frame({"a": [1, 2, 3]})
    system = PluginSystem([str(site)])
    assert library_of(frame) == library
    assert system.registry.backend_for_type(type(frame)) is None
    assert system.load_for_value(frame)
    assert system.registry.backend_for_type(type(frame)).name == library
    assert not system.load_for_value(frame)


def test_singledispatch_loads_the_library_plugin_then_dispatches_again(site):
    library = library_with_plugin(site)
    probe = f"""
import sys
sys.path.insert(0, {str(site)!r})
from hamilton import fingerprinting, plugins
from {library} import Frame
before = [i.status for i in plugins.list_plugins() if i.name == {library!r}]
print(before, fingerprinting.hash_value(Frame({{"b": [], "a": []}})), plugins.dataframe_backend(Frame({{}})).name)
"""
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["['available']", "frame:a,b", library]


def test_plugin_dispatch_falls_back_to_the_default_when_no_plugin_helps():
    @plugin_dispatch
    def describe(value):
        return "default"

    @describe.register(int)
    def _(value):
        return "int"

    assert describe(1) == "int"
    assert describe(object()) == "default"
    assert fingerprinting.hash_value(object()) == fingerprinting.UNHASHABLE


# -- failures never break a run -------------------------------------------------------------


def broken_plugin(site, source: str = "raise RuntimeError('cannot start')\n") -> str:
    module = unique("broken_plugin")
    install(site, f"{module}-dist", "9.9", {module: module}, {module: source})
    return module


def test_a_plugin_that_raises_on_import_is_skipped_with_one_warning_naming_it(site):
    name = broken_plugin(site)
    _, renderer = renderer_plugin(site)
    system = PluginSystem([str(site)])
    with pytest.warns(HamiltonPluginWarning) as caught:
        system.load_all()
    (warning,) = caught
    message = str(warning.message)
    assert name in message
    assert f"{name}-dist".replace("_", "-") in message
    assert "RuntimeError: cannot start" in message
    assert f"HAMILTON_PLUGINS_DENY={name}" in message
    assert renderer in system.registry.renderers  # the healthy plugin still loaded
    assert {i.name: i.status for i in system.list_plugins()}[name] == "failed"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        system.load_all()  # no second warning


def test_a_run_works_while_a_broken_plugin_is_installed(site):
    broken_plugin(site)
    probe = f"""
import sys, warnings
sys.path.insert(0, {str(site)!r})
from hamilton import driver, plugins
warnings.simplefilter("always")
with warnings.catch_warnings(record=True) as caught:
    plugins.load_all()
def a(x: int) -> int:
    return x * 3
print(driver.Builder().with_functions(a).build().execute(["a"], inputs={{"x": 2}})["a"], len(caught))
"""
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["6", "1"]


def test_strict_mode_raises(site, monkeypatch):
    broken_plugin(site)
    monkeypatch.setenv("HAMILTON_PLUGINS_STRICT", "1")
    with pytest.raises(PluginLoadError, match="cannot start"):
        PluginSystem([str(site)]).load_all()


def test_contributions_are_all_or_nothing(site):
    name = broken_plugin(
        site,
        """
        from hamilton.plugins import hookimpl

        class Fine:
            name = "fine_renderer"
            media_type = "text/plain"
            def render(self, graph, *, run_state=None):
                return ""

        @hookimpl
        def hamilton_renderers():
            return [Fine()]

        @hookimpl
        def hamilton_dataframe_backends():
            return [object()]
        """,
    )
    system = PluginSystem([str(site)])
    with pytest.warns(HamiltonPluginWarning, match="dataframe backend"):
        system.load(name)
    assert "fine_renderer" not in system.registry.renderers
    assert system.manager.get_plugin(name) is None


def test_a_misspelled_hook_is_an_error_not_a_silent_no_op(site):
    name = broken_plugin(
        site, "from hamilton.plugins import hookimpl\n\n@hookimpl\ndef hamilton_renderer():\n    return []\n"
    )
    with pytest.warns(HamiltonPluginWarning, match="hamilton_renderer"):
        PluginSystem([str(site)]).load(name)


def test_plugins_declaring_other_core_versions_are_skipped(site):
    module = unique("old_plugin")
    install(site, f"{module}-dist", "0.1", {module: module}, {module: 'HAMILTON_CORE_VERSIONS = ">=1.0,<2"\n'})
    system = PluginSystem([str(site)])
    with pytest.warns(HamiltonPluginWarning, match=r"supports apache-hamilton >=1.0,<2, and this is 2\.0\.0"):
        assert not system.load(module)
    assert {i.name: (i.status, i.reason) for i in system.list_plugins()}[module][0] == "skipped"


# -- switches ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variable", "value", "loads"),
    [
        ("HAMILTON_PLUGINS_DENY", "*", False),
        ("HAMILTON_PLUGINS_DENY", "{name}", False),
        ("HAMILTON_PLUGINS_DENY", "something_else", True),
        ("HAMILTON_PLUGINS_ALLOW", "{name}", True),
        ("HAMILTON_PLUGINS_ALLOW", "something_else", False),
        ("HAMILTON_AUTOLOAD_EXTENSIONS", "0", False),
    ],
)
def test_environment_switches(site, monkeypatch, variable, value, loads):
    name, renderer = renderer_plugin(site)
    monkeypatch.setenv(variable, value.format(name=name))
    system = PluginSystem([str(site)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # being switched off is not worth a warning
        assert system.load_all() is loads
    assert (renderer in system.registry.renderers) is loads
    info = {i.name: i for i in system.list_plugins()}[name]
    assert info.status == ("loaded" if loads else "skipped")


def test_manual_registration_ignores_the_switches_and_rejects_duplicates(site, monkeypatch):
    monkeypatch.setenv("HAMILTON_PLUGINS_DENY", "*")
    system = PluginSystem([str(site)])

    class Plugin:
        @hookimpl
        def hamilton_result_builders(self):
            return {"names": lambda: NamesOnly()}

    class NamesOnly:
        def build_result(self, **outputs):
            return sorted(outputs)

    info = system.register(Plugin(), name="mine")
    assert (info.status, info.provides) == ("registered", {"result_builders": ["names"]})
    assert system.registry.factories["result_builders"]["names"]().build_result(b=1, a=2) == ["a", "b"]
    with pytest.raises(ValueError, match="already registered"):
        system.register(Plugin(), name="mine")


def test_same_entry_point_name_from_two_distributions_both_load(site):
    shared = unique("shared")
    for index in (1, 2):
        module = f"{shared}_{index}"
        install(site, f"{module}-dist", "1.0", {shared: module}, {module: RENDERER_PLUGIN.format(renderer=module)})
    system = PluginSystem([str(site)])
    system.load(shared)
    assert {f"{shared}_1", f"{shared}_2"} <= set(system.registry.renderers)
    second_distribution = f"{shared}-2-dist".replace("_", "-")
    assert sorted(i.name for i in system.list_plugins()) == sorted([shared, f"{shared}@{second_distribution}"])


# -- process-wide API -------------------------------------------------------------------------


def test_the_public_api_end_to_end(site):
    name, renderer = renderer_plugin(site)
    probe = f"""
import json, sys
sys.path.insert(0, {str(site)!r})
from hamilton import plugins
from hamilton.graph import Graph
from hamilton.graph_types import HamiltonGraph
def a(x: int) -> int:
    return x
graph = HamiltonGraph.from_graph(Graph.from_functions(a))
out = {{"render": plugins.renderer({renderer!r}).render(graph), "json": json.loads(plugins.renderer("json").render(graph))["nodes"][0]["id"]}}
try:
    plugins.renderer("nope")
except KeyError as error:
    out["miss"] = str(error)
out["listing"] = {{i.name: i.status for i in plugins.list_plugins()}}
print(json.dumps(out))
"""
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    out = json.loads(result.stdout)
    assert out["render"] == "A X"
    assert out["json"] == "a"
    assert "No renderer named 'nope'" in out["miss"]
    assert renderer in out["miss"]
    assert out["listing"][name] == "loaded"
    assert out["listing"]["core"] == "loaded"


def test_python_m_hamilton_plugins_prints_the_listing(site):
    name, _ = renderer_plugin(site)
    result = subprocess.run(
        [sys.executable, "-m", "hamilton.plugins", "--json"],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(site), "PATH": ""},
    )
    listing = {entry["name"]: entry for entry in json.loads(result.stdout)}
    assert listing[name]["status"] == "available"
    assert listing["core"]["distribution"] == "apache-hamilton"


# -- helpers ----------------------------------------------------------------------------------


def test_library_detection_never_imports_the_library():
    assert library_of(driver.Builder()) == "hamilton"
    assert library_of(1) == "builtins"
    absent = unique("not_imported")
    assert not is_instance_of(object(), absent, "Frame")
    assert absent not in sys.modules
    assert is_instance_of(driver.Builder(), "hamilton.driver", "Builder")


versions = st.lists(st.integers(0, 20), min_size=1, max_size=4)


@given(versions, versions)
def test_version_clauses_compare_release_numbers(version, bound):
    text, bound_text = ".".join(map(str, version)), ".".join(map(str, bound))
    width = max(len(version), len(bound))
    left, right = tuple(version) + (0,) * (width - len(version)), tuple(bound) + (0,) * (width - len(bound))
    assert _versions.satisfies(text, f">={bound_text}") is (left >= right)
    assert _versions.satisfies(text, f"<{bound_text}") is (left < right)
    assert _versions.satisfies(text + ".dev0", f"=={text}")


def test_unreadable_version_clauses_are_errors():
    with pytest.raises(ValueError, match="~=2"):
        _versions.satisfies("2.0", "~=2")


def test_an_installed_plugin_registered_by_hand_first_is_not_registered_twice(site):
    name, renderer = renderer_plugin(site)
    system = PluginSystem([str(site)])
    module = __import__(name)
    first = system.register(module)
    assert system.register(module) is first  # registering again is a no-op
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        system.load_all()
    assert renderer in system.registry.renderers
    listed = {info.name: info for info in system.list_plugins()}
    assert (listed[name].status, listed[name].reason) == ("loaded", "already registered by hand")


def test_importing_a_missing_plugin_module_names_the_extra(monkeypatch):
    import importlib.util

    from hamilton import _moved

    monkeypatch.setitem(_moved.PLUGIN_MODULES, "hamilton.plugins.h_never_installed", ("hamilton-never", "never"))
    with pytest.raises(ModuleNotFoundError, match=r"hamilton-never distribution.*apache-hamilton\[never\]"):
        import hamilton.plugins.h_never_installed  # noqa: F401
    with pytest.raises(ImportError, match=r"apache-hamilton\[never\]"):
        from hamilton.plugins import h_never_installed  # noqa: F401
    # probing whether it is installed still just says "no"
    assert importlib.util.find_spec("hamilton.plugins.h_never_installed") is None


@pytest.mark.parametrize(
    ("module", "extra"),
    [("hamilton.caching", "cache"), ("hamilton.cli", "cli"), ("hamilton.plugins.tracking", "tracking")],
)
def test_importing_a_package_of_a_missing_distribution_names_the_extra(module, extra):
    import importlib.util
    import subprocess
    import sys

    if importlib.util.find_spec(module) is not None:
        pytest.skip(f"{module} is installed here")
    # a fresh interpreter: `import hamilton` alone installs the hint, and a submodule import fails on its package
    code = f"import hamilton\ntry:\n    import {module}.anything\nexcept ImportError as e:\n    print(e)\n"
    printed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert f'pip install "apache-hamilton[{extra}]"' in printed
