"""Every module path of Hamilton 1.90.0 answers: it imports, or says what to install or use instead.

A 1.x user's imports are the first thing an upgrade meets. ``MODULES_1X`` is the complete list of
``hamilton.*`` modules in the apache-hamilton 1.90.0 wheel (written out here, not read from a 1.x
install). Each one, imported in a fresh interpreter, must either import or raise an ImportError
naming the distribution and the ``apache-hamilton[extra]`` that installs it, the planned
distribution, or the replacement of a removed module — never a bare ``No module named``.

The tables behind those answers (``hamilton._moved``) are checked against this repository too:
a distribution they name ships the module, and core's extra installs that distribution.
"""

from __future__ import annotations

import json
import pathlib
import re
import subprocess
import sys

import pytest

from hamilton import _moved

REPO = pathlib.Path(__file__).resolve().parents[2]

MODULES_1X = [
    "hamilton",
    "hamilton.ad_hoc_utils",
    "hamilton.async_driver",
    "hamilton.base",
    "hamilton.caching",
    "hamilton.caching.adapter",
    "hamilton.caching.cache_key",
    "hamilton.caching.fingerprinting",
    "hamilton.caching.stores",
    "hamilton.caching.stores.base",
    "hamilton.caching.stores.file",
    "hamilton.caching.stores.memory",
    "hamilton.caching.stores.sqlite",
    "hamilton.caching.stores.utils",
    "hamilton.cli",
    "hamilton.cli.__main__",
    "hamilton.cli.commands",
    "hamilton.cli.logic",
    "hamilton.common",
    "hamilton.contrib",
    "hamilton.data_quality",
    "hamilton.data_quality.base",
    "hamilton.data_quality.default_validators",
    "hamilton.data_quality.pandera_validators",
    "hamilton.dataflows",
    "hamilton.dataflows.template",
    "hamilton.dev_utils",
    "hamilton.dev_utils.deprecation",
    "hamilton.driver",
    "hamilton.execution",
    "hamilton.execution.debugging_utils",
    "hamilton.execution.executors",
    "hamilton.execution.graph_functions",
    "hamilton.execution.grouping",
    "hamilton.execution.state",
    "hamilton.experimental",
    "hamilton.experimental.databackend",
    "hamilton.experimental.decorators",
    "hamilton.experimental.decorators.parameterize_frame",
    "hamilton.experimental.h_async",
    "hamilton.experimental.h_cache",
    "hamilton.experimental.h_dask",
    "hamilton.experimental.h_databackends",
    "hamilton.experimental.h_ray",
    "hamilton.experimental.h_spark",
    "hamilton.function_modifiers",
    "hamilton.function_modifiers.adapters",
    "hamilton.function_modifiers.base",
    "hamilton.function_modifiers.configuration",
    "hamilton.function_modifiers.delayed",
    "hamilton.function_modifiers.dependencies",
    "hamilton.function_modifiers.expanders",
    "hamilton.function_modifiers.macros",
    "hamilton.function_modifiers.metadata",
    "hamilton.function_modifiers.recursive",
    "hamilton.function_modifiers.validation",
    "hamilton.function_modifiers_base",
    "hamilton.graph",
    "hamilton.graph_types",
    "hamilton.graph_utils",
    "hamilton.htypes",
    "hamilton.io",
    "hamilton.io.data_adapters",
    "hamilton.io.default_data_loaders",
    "hamilton.io.materialization",
    "hamilton.io.utils",
    "hamilton.lifecycle",
    "hamilton.lifecycle.api",
    "hamilton.lifecycle.base",
    "hamilton.lifecycle.default",
    "hamilton.log_setup",
    "hamilton.models",
    "hamilton.node",
    "hamilton.plugins",
    "hamilton.plugins.dask_extensions",
    "hamilton.plugins.dlt_extensions",
    "hamilton.plugins.geopandas_extensions",
    "hamilton.plugins.h_dask",
    "hamilton.plugins.h_ddog",
    "hamilton.plugins.h_diskcache",
    "hamilton.plugins.h_experiments",
    "hamilton.plugins.h_experiments.__main__",
    "hamilton.plugins.h_experiments.cache",
    "hamilton.plugins.h_experiments.data_model",
    "hamilton.plugins.h_experiments.hook",
    "hamilton.plugins.h_experiments.server",
    "hamilton.plugins.h_kedro",
    "hamilton.plugins.h_logging",
    "hamilton.plugins.h_mcp",
    "hamilton.plugins.h_mcp.__main__",
    "hamilton.plugins.h_mcp._helpers",
    "hamilton.plugins.h_mcp._templates",
    "hamilton.plugins.h_mcp.server",
    "hamilton.plugins.h_mlflow",
    "hamilton.plugins.h_narwhals",
    "hamilton.plugins.h_openlineage",
    "hamilton.plugins.h_opentelemetry",
    "hamilton.plugins.h_pandas",
    "hamilton.plugins.h_pandera",
    "hamilton.plugins.h_polars",
    "hamilton.plugins.h_polars_lazyframe",
    "hamilton.plugins.h_pyarrow",
    "hamilton.plugins.h_pydantic",
    "hamilton.plugins.h_ray",
    "hamilton.plugins.h_rich",
    "hamilton.plugins.h_schema",
    "hamilton.plugins.h_slack",
    "hamilton.plugins.h_spark",
    "hamilton.plugins.h_threadpool",
    "hamilton.plugins.h_tqdm",
    "hamilton.plugins.h_vaex",
    "hamilton.plugins.huggingface_extensions",
    "hamilton.plugins.ibis_extensions",
    "hamilton.plugins.jupyter_magic",
    "hamilton.plugins.kedro_extensions",
    "hamilton.plugins.lightgbm_extensions",
    "hamilton.plugins.matplotlib_extensions",
    "hamilton.plugins.mlflow_extensions",
    "hamilton.plugins.numpy_extensions",
    "hamilton.plugins.pandas_extensions",
    "hamilton.plugins.plotly_extensions",
    "hamilton.plugins.polars_extensions",
    "hamilton.plugins.polars_implementations",
    "hamilton.plugins.polars_lazyframe_extensions",
    "hamilton.plugins.polars_post_1_0_0_extensions",
    "hamilton.plugins.polars_pre_1_0_0_extension",
    "hamilton.plugins.pydantic_extensions",
    "hamilton.plugins.pyspark_pandas_extensions",
    "hamilton.plugins.sklearn_plot_extensions",
    "hamilton.plugins.spark_extensions",
    "hamilton.plugins.vaex_extensions",
    "hamilton.plugins.xgboost_extensions",
    "hamilton.plugins.yaml_extensions",
    "hamilton.registry",
    "hamilton.settings",
    "hamilton.telemetry",
    "hamilton.version",
]

# What an ImportError for a 1.x module path must say (one of).
HELPFUL = (
    re.compile(r'provided by the hamilton-[a-z-]+ distribution.*pip install "apache-hamilton\[[a-z]+'),
    re.compile(r"was removed in Hamilton 2\.0\. Instead, use \S"),
    re.compile(r"provided by the apache-hamilton-contrib distribution.*pip install apache-hamilton-contrib"),
)

PROBE = r"""
import importlib, importlib.util, json, sys
answers = {}
for name in sys.argv[1:]:
    try:
        if name.endswith(".__main__"):  # importing it would run a program: its package must answer
            importlib.import_module(name.rpartition(".")[0])
            found = importlib.util.find_spec(name) is not None
            answers[name] = ["imported" if found else "missing", ""]
        else:
            importlib.import_module(name)
            answers[name] = ["imported", ""]
    except ImportError as error:
        answers[name] = ["ImportError", str(error)]
    except Exception as error:  # noqa: BLE001 - a module that breaks on import is reported, not hidden
        answers[name] = [type(error).__name__, str(error)]
print(json.dumps(answers))
"""


@pytest.fixture(scope="module")
def answers() -> dict[str, list[str]]:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, *MODULES_1X], capture_output=True, text=True, check=True, timeout=600
    )
    return json.loads(completed.stdout.splitlines()[-1])


@pytest.mark.parametrize("module", MODULES_1X)
def test_every_1x_module_imports_or_says_what_to_install(answers, module):
    outcome, message = answers[module]
    if outcome == "imported":
        return
    assert outcome == "ImportError", f"importing {module} raised {outcome}: {message}"
    assert any(pattern.search(message) for pattern in HELPFUL), f"unhelpful ImportError for {module}: {message}"
    # it names the module it could not find (a re-export such as experimental.h_dask names the plugin's)
    assert "No module named 'hamilton." in message


def test_the_list_holds_each_of_the_137_modules_once():
    assert len(set(MODULES_1X)) == len(MODULES_1X) == 137


def _project_name(folder: pathlib.Path) -> str:
    return re.search(r'^name = "([^"]+)"', (folder / "pyproject.toml").read_text(), re.MULTILINE).group(1)


def _extras() -> dict[str, str]:
    text = (REPO / "core" / "pyproject.toml").read_text()
    section = text.split("[project.optional-dependencies]", 1)[1].split("\n[", 1)[0]
    return dict(re.findall(r"^([a-z-]+) = \[(.*)\]", section, re.MULTILINE))


@pytest.mark.skipif(not (REPO / "packages").is_dir(), reason="needs the repository's packages/ folder")
@pytest.mark.parametrize("module", sorted(_moved.PLUGIN_MODULES))
def test_a_named_distribution_ships_the_module_and_its_extra_installs_it(module):
    distribution, extra = _moved.PLUGIN_MODULES[module]
    folder = REPO / "packages" / distribution
    assert _project_name(folder) == distribution
    relative = pathlib.Path("src", *module.split("."))
    assert (folder / relative.with_suffix(".py")).is_file() or (folder / relative / "__init__.py").is_file()
    for one_extra in extra.split("] or ["):
        assert distribution in _extras()[one_extra] or one_extra in ("pandas", "polars"), (module, one_extra)


@pytest.mark.skipif(not (REPO / "packages").is_dir(), reason="needs the repository's packages/ folder")
@pytest.mark.parametrize("module", sorted(_moved.NOT_YET_PROVIDED))
def test_a_planned_distribution_does_not_exist_yet(module):
    """When the distribution lands, its modules move to PLUGIN_MODULES (and this test says so)."""
    _, distribution, extra = _moved.NOT_YET_PROVIDED[module]
    assert not (REPO / "packages" / distribution).exists(), f"{distribution} exists: list {module} in PLUGIN_MODULES"
    assert extra not in _extras()
