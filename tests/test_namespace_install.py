"""The namespace split, in every way users install (docs: /work/shared/ARCHITECTURE.md).

Core owns ``hamilton/__init__.py`` and ``hamilton/plugins/__init__.py`` and extends their
``__path__``; other distributions ship modules into ``hamilton.plugins`` (the test plugins in
tests/plugins/hamilton-nstest-*) or ``hamilton.contrib`` (the real ``apache-hamilton-contrib``)
without owning those files. Each install mode gets a fresh environment, shared by its tests; a
probe then runs in a subprocess of it, imports the 1.x paths, runs small dataflows and reports
where every module came from. Installs are offline: ``--no-index`` from the wheelhouse that
``tox -e integration`` prepares.
"""

from __future__ import annotations

import json
import os
import pathlib
import zipfile

import pytest
from conftest import REPO, make_venv, pip_install, run

CORE = REPO / "core"
ALPHA = REPO / "tests" / "plugins" / "hamilton-nstest-alpha"
BETA = REPO / "tests" / "plugins" / "hamilton-nstest-beta"

# Runs in the environment under test; sys.argv[1:] says which optional parts to check.
PROBE = r"""
import json, sys, sysconfig

import hamilton
import hamilton.plugins
from hamilton import ad_hoc_utils, base, driver, graph, graph_types, htypes, lifecycle, node


def doubled(x: int) -> int:
    return 2 * x


def total(x: int, doubled: int) -> int:
    return x + doubled


report = {
    "version": repr(hamilton.__version__),
    "purelib": sysconfig.get_paths()["purelib"],
    "hamilton": hamilton.__file__,
    "hamilton.plugins": hamilton.plugins.__file__,
    "core_modules": [m.__file__ for m in (ad_hoc_utils, base, driver, graph, graph_types, htypes, lifecycle, node)],
    "core_dataflow": driver.Builder().with_functions(doubled, total).build().execute(["total"], inputs={"x": 7}),
}

if "plugins" in sys.argv[1:]:
    import hamilton.plugins.h_nstest_alpha
    from hamilton.plugins import h_nstest_alpha, nstest_beta_extensions

    dr = (
        driver.Builder()
        .with_functions(h_nstest_alpha.greeting, h_nstest_alpha.greeting_length, nstest_beta_extensions.shout)
        .with_adapters(h_nstest_alpha.RESULT_BUILDER())
        .build()
    )
    report["plugins"] = {
        "alpha": h_nstest_alpha.__file__,
        "beta": nstest_beta_extensions.__file__,
        "one_module": hamilton.plugins.h_nstest_alpha is h_nstest_alpha,
        "values": [h_nstest_alpha.DISTRIBUTION, nstest_beta_extensions.DISTRIBUTION, nstest_beta_extensions.UPSTREAM],
        "dataflow": dr.execute(["greeting_length", "shout"], inputs={"name": "namespace"}),
    }

if "contrib" in sys.argv[1:]:
    import hamilton.contrib
    # The one dataflow of apache-hamilton-contrib 0.0.9 that imports without third-party packages.
    from hamilton.contrib.user.example_dataflow_template import dataflow_template

    report["contrib"] = {
        "package": hamilton.contrib.__file__,
        "version": repr(hamilton.contrib.__version__),
        "template": dataflow_template.__file__,
        "template_logger": dataflow_template.logger.name,
    }

if "tools" in sys.argv[1:]:
    # hamilton-cache ships 1.x's hamilton/caching/ package, hamilton-tracking hamilton/plugins/tracking/
    import tempfile

    import hamilton.caching
    from hamilton.caching.stores import sqlite
    from hamilton.plugins import tracking

    with tempfile.TemporaryDirectory() as cache_dir:
        cached = driver.Builder().with_functions(doubled, total).with_cache(path=cache_dir).build()
        runs = [cached.execute(["total"], inputs={"x": 7}) for _ in range(2)]
        events = {e.event_type.value for events in cached.cache.logs(cached.cache.last_run_id).values() for e in events}
        del cached
    report["tools"] = {
        "caching": hamilton.caching.__file__,
        "sqlite_store": sqlite.__file__,
        "tracking": tracking.__file__,
        "cached_runs": runs,
        "second_run_read_the_cache": "get_result" in events,
    }

print(json.dumps(report))
"""

PLUGIN_VALUES = ["hamilton-nstest-alpha", "hamilton-nstest-beta", "hamilton-nstest-alpha"]
PLUGIN_DATAFLOW = {"greeting_length": len("hello namespace"), "shout": "HELLO NAMESPACE!"}
TEMPLATE = "hamilton.contrib.user.example_dataflow_template.dataflow_template"


def probe(python: pathlib.Path, workdir: pathlib.Path, *parts: str, pythonpath: str = "") -> dict:
    """Run PROBE with ``python`` from an empty directory; its report."""
    workdir.mkdir(exist_ok=True)
    result = run(python, "-c", PROBE, *parts, cwd=workdir, env={"PYTHONPATH": pythonpath, "PYTHONNOUSERSITE": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def resolved(path: str | pathlib.Path) -> pathlib.Path:
    return pathlib.Path(path).resolve()


def wheel_entries(wheel: pathlib.Path) -> dict[str, bytes]:
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name.startswith("hamilton/")}


def assert_core(report: dict, hamilton_dir: pathlib.Path, core_wheel: pathlib.Path | None) -> None:
    """Core's own package answered every core import, from ``hamilton_dir``.

    With ``core_wheel``, the two namespace ``__init__.py`` files must also be byte-identical to
    the wheel's: a distribution that shipped its own copy would have overwritten them.
    """
    assert report["version"] == "(2, 0, 0, 'dev0')"
    hamilton_dir = resolved(hamilton_dir)
    assert resolved(report["hamilton"]) == hamilton_dir / "__init__.py"
    assert resolved(report["hamilton.plugins"]) == hamilton_dir / "plugins" / "__init__.py"
    assert all(resolved(path).is_relative_to(hamilton_dir) for path in report["core_modules"])
    assert report["core_dataflow"] == {"total": 21}
    if core_wheel is not None:
        shipped = wheel_entries(core_wheel)
        for name in ("hamilton/__init__.py", "hamilton/plugins/__init__.py"):
            assert (hamilton_dir.parent / name).read_bytes() == shipped[name]


def assert_plugins(report: dict, alpha_dir: pathlib.Path, beta_dir: pathlib.Path) -> None:
    """Both test plugins imported (from ``alpha_dir`` / ``beta_dir``) and ran with core."""
    plugins = report["plugins"]
    assert resolved(plugins["alpha"]) == resolved(alpha_dir) / "hamilton" / "plugins" / "h_nstest_alpha.py"
    assert resolved(plugins["beta"]) == resolved(beta_dir) / "hamilton" / "plugins" / "nstest_beta_extensions.py"
    assert plugins["one_module"]
    assert plugins["values"] == PLUGIN_VALUES
    assert plugins["dataflow"] == PLUGIN_DATAFLOW


def assert_tools(report: dict, root: pathlib.Path) -> None:
    """hamilton-cache's ``hamilton.caching`` and hamilton-tracking's module, from ``root``; a cached rerun."""
    tools = report["tools"]
    root = resolved(root) / "hamilton"
    assert resolved(tools["caching"]) == root / "caching" / "__init__.py"
    assert resolved(tools["sqlite_store"]) == root / "caching" / "stores" / "sqlite.py"
    assert resolved(tools["tracking"]) == root / "plugins" / "tracking" / "__init__.py"
    assert tools["cached_runs"] == [{"total": 21}, {"total": 21}]
    assert tools["second_run_read_the_cache"]


def assert_contrib(report: dict, contrib_root: pathlib.Path) -> None:
    """``hamilton.contrib`` (apache-hamilton-contrib 0.0.9) imported from ``contrib_root``."""
    contrib = report["contrib"]
    package = resolved(contrib_root) / "hamilton" / "contrib"
    assert resolved(contrib["package"]) == package / "__init__.py"
    assert contrib["version"] == "(0, 0, 9)"
    assert resolved(contrib["template"]).is_relative_to(package)
    assert contrib["template_logger"] == TEMPLATE


@pytest.fixture(scope="module")
def wheels(wheelhouse: pathlib.Path) -> dict[str, pathlib.Path]:
    """The wheelhouse's wheel of each distribution under test."""
    patterns = {
        "core": "apache_hamilton-*.whl",
        "alpha": "hamilton_nstest_alpha-*.whl",
        "beta": "hamilton_nstest_beta-*.whl",
        "contrib": "apache_hamilton_contrib-*.whl",
    }
    found = {}
    for key, pattern in patterns.items():
        (found[key],) = wheelhouse.glob(pattern)
    return found


def _venv_with_hatchling(where: pathlib.Path, wheelhouse: pathlib.Path) -> pathlib.Path:
    """A fresh venv able to build editable installs offline (``--no-build-isolation``)."""
    python = make_venv(where, with_pip=False)
    pip_install(python, wheelhouse, "hatchling", "editables")
    return python


def _editable(path: pathlib.Path) -> tuple[str, str]:
    return ("-e", str(path))


# a. Everything from wheels, into one site-packages.


@pytest.fixture(scope="module")
def all_wheels_python(wheelhouse: pathlib.Path, tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    python = make_venv(tmp_path_factory.mktemp("ns-wheels"), with_pip=False)
    pip_install(
        python,
        wheelhouse,
        "apache-hamilton",
        "hamilton-nstest-alpha",
        "hamilton-nstest-beta",
        "hamilton-cache",
        "hamilton-tracking",
    )
    return python


def test_all_wheels(all_wheels_python, wheels, tmp_path):
    report = probe(all_wheels_python, tmp_path / "cwd", "plugins", "tools")
    site = pathlib.Path(report["purelib"])
    assert_core(report, site / "hamilton", wheels["core"])
    assert_plugins(report, site, site)
    assert_tools(report, site)


# b. Core from its wheel, the plugins editable (their src/ folders on sys.path via .pth files).


@pytest.fixture(scope="module")
def editable_plugins_python(wheelhouse: pathlib.Path, tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    python = _venv_with_hatchling(tmp_path_factory.mktemp("ns-editable-plugins"), wheelhouse)
    pip_install(python, wheelhouse, "apache-hamilton")
    pip_install(python, wheelhouse, "--no-build-isolation", *_editable(ALPHA), *_editable(BETA))
    return python


def test_core_wheel_with_editable_plugins(editable_plugins_python, wheels, tmp_path):
    report = probe(editable_plugins_python, tmp_path / "cwd", "plugins")
    assert_core(report, pathlib.Path(report["purelib"]) / "hamilton", wheels["core"])
    assert_plugins(report, ALPHA / "src", BETA / "src")


# c. Core and the plugins all editable: every portion of the namespace is a source folder.


@pytest.fixture(scope="module")
def all_editable_python(wheelhouse: pathlib.Path, tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    python = _venv_with_hatchling(tmp_path_factory.mktemp("ns-editable-all"), wheelhouse)
    pip_install(python, wheelhouse, "--no-build-isolation", *_editable(CORE), *_editable(ALPHA), *_editable(BETA))
    return python


def test_all_editable(all_editable_python, tmp_path):
    report = probe(all_editable_python, tmp_path / "cwd", "plugins")
    assert_core(report, CORE / "src" / "hamilton", core_wheel=None)
    assert_plugins(report, ALPHA / "src", BETA / "src")


# d. Separate sys.path folders, as with an AWS Lambda layer: core (and pluggy) in one, the
#    plugins and apache-hamilton-contrib in another, neither in the interpreter's environment.


@pytest.fixture(scope="module")
def layers(wheelhouse: pathlib.Path, tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("ns-layers")
    python = make_venv(root / "venv", with_pip=False)
    core_layer, plugin_layer = root / "core-layer", root / "plugin-layer"
    pip_install(python, wheelhouse, "--target", str(core_layer), "apache-hamilton")
    pip_install(
        python,
        wheelhouse,
        "--no-deps",
        "--target",
        str(plugin_layer),
        "hamilton-nstest-alpha",
        "hamilton-nstest-beta",
        "hamilton-cache",
        "xxhash",  # hamilton-cache's dependency (--no-deps: the layer lists what it ships)
        "hamilton-tracking",
        "apache-hamilton-contrib",
    )
    return python, core_layer, plugin_layer


def test_layer_interpreter_has_no_hamilton_of_its_own(layers, tmp_path):
    python, _, _ = layers
    result = run(python, "-c", "import hamilton", cwd=tmp_path, env={"PYTHONPATH": "", "PYTHONNOUSERSITE": "1"})
    assert result.returncode != 0
    assert "No module named 'hamilton'" in result.stderr


@pytest.mark.parametrize("core_first", [True, False], ids=["core-layer-first", "plugin-layer-first"])
def test_separate_sys_path_folders(layers, wheels, tmp_path, core_first):
    python, core_layer, plugin_layer = layers
    order = [core_layer, plugin_layer] if core_first else [plugin_layer, core_layer]
    pythonpath = os.pathsep.join(map(str, order))
    report = probe(python, tmp_path / "cwd", "plugins", "contrib", "tools", pythonpath=pythonpath)
    assert_core(report, core_layer / "hamilton", wheels["core"])
    assert_plugins(report, plugin_layer, plugin_layer)
    assert_contrib(report, plugin_layer)
    assert_tools(report, plugin_layer)


# e. The real apache-hamilton-contrib (hamilton/contrib/...) beside the core wheel.


@pytest.fixture(scope="module")
def contrib_python(wheelhouse: pathlib.Path, tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    python = make_venv(tmp_path_factory.mktemp("ns-contrib"), with_pip=False)
    pip_install(python, wheelhouse, "apache-hamilton")
    # --no-deps: core comes from the wheel above; contrib's unpinned `Requires-Dist: apache-hamilton`
    # must never bring in another one.
    pip_install(python, wheelhouse, "--no-deps", "apache-hamilton-contrib")
    return python


def test_contrib_beside_core(contrib_python, wheels, tmp_path):
    report = probe(contrib_python, tmp_path / "cwd", "contrib")
    site = pathlib.Path(report["purelib"])
    assert_core(report, site / "hamilton", wheels["core"])
    assert_contrib(report, site)


# The wheels themselves: only core ships the namespace's __init__.py files.


def test_only_core_ships_the_namespace_init_files(wheels):
    init_files = {"hamilton/__init__.py", "hamilton/plugins/__init__.py"}
    assert init_files <= wheel_entries(wheels["core"]).keys()
    for key in ("alpha", "beta", "contrib"):
        shipped = wheel_entries(wheels[key]).keys()
        assert shipped, f"{wheels[key].name} ships nothing into hamilton/"
        assert not init_files & shipped, wheels[key].name
