"""PEP 562 shims for 1.x names that now live in plugin distributions.

A core module lists its moved names and delegates its module-level ``__getattr__`` here; the
name is imported from its new home on first use, or an ``ImportError`` says which extra to
install.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from typing import Any


class MovedName:
    """Where a moved name lives now, and what installs it."""

    __slots__ = ("distribution", "extra", "module")

    def __init__(self, module: str, distribution: str, extra: str):
        self.module = module  # where the name lives now
        self.distribution = distribution  # the distribution that ships that module
        self.extra = extra  # the apache-hamilton extra that installs the distribution


def install_hint(extra: str) -> str:
    """The command that installs ``apache-hamilton[extra]``.

    A development version runs from a checkout whose 2.0 distributions are not on the package
    index yet: there, ``pip install "apache-hamilton[extra]"`` would replace it with the index's
    1.x, so the hint also names the checkout's installer script.
    """
    command = f'pip install "apache-hamilton[{extra}]"'
    from hamilton.version import VERSION

    if any("dev" in str(part) for part in VERSION):
        first = extra.split("]")[0]  # "pandas] or [polars" -> "pandas"
        command += f" (from a checkout of this development version: python scripts/install_from_checkout.py {first})"
    return command


def resolve_moved(module_name: str, name: str, moved: dict[str, MovedName]) -> Any:
    """Import ``name`` (formerly ``module_name.name``) from its new home."""
    target = moved.get(name)
    if target is None:
        raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
    import importlib

    try:
        new_home = importlib.import_module(target.module)
    except ImportError as error:
        raise ImportError(
            f"{module_name}.{name} is provided by the {target.distribution} distribution, which "
            f"is not installed (or failed to import: {error}). Install it with: {install_hint(target.extra)}"
        ) from error
    return getattr(new_home, name)


# Modules and packages that plugin distributions ship: (distribution, apache-hamilton extra).
# A package's entry covers its submodules too (``import hamilton.caching.stores.sqlite`` fails on
# ``hamilton.caching`` first). tests: core/tests/test_1x_module_paths.py walks 1.90.0's modules.
_PANDAS_DISTRIBUTION = ("hamilton-pandas", "pandas")
_POLARS_DISTRIBUTION = ("hamilton-polars", "polars")


def _shipped_by(distribution: str, extra: str, *modules: str) -> dict[str, tuple[str, str]]:
    return dict.fromkeys(modules, (distribution, extra))


PLUGIN_MODULES = {
    **_shipped_by(
        *_PANDAS_DISTRIBUTION,
        "hamilton.plugins.h_pandas",
        "hamilton.plugins.pandas_extensions",
        "hamilton.plugins.numpy_extensions",
    ),
    **_shipped_by(
        *_POLARS_DISTRIBUTION,
        "hamilton.plugins.h_polars",
        "hamilton.plugins.polars_extensions",
        "hamilton.plugins.h_polars_lazyframe",
        "hamilton.plugins.polars_lazyframe_extensions",
        "hamilton.plugins.polars_post_1_0_0_extensions",
        "hamilton.plugins.polars_implementations",
    ),
    "hamilton.plugins.h_narwhals": ("hamilton-narwhals", "pandas] or [polars"),
    "hamilton.plugins.viz_graphviz": ("hamilton-viz-graphviz", "graphviz"),
    "hamilton.plugins.viz_mermaid": ("hamilton-viz-mermaid", "mermaid"),
    "hamilton.plugins.tracking": ("hamilton-tracking", "tracking"),
    "hamilton.caching": ("hamilton-cache", "cache"),
    "hamilton.cli": ("hamilton-cli", "cli"),
    **_shipped_by("hamilton-dask", "dask", "hamilton.plugins.h_dask", "hamilton.plugins.dask_extensions"),
    **_shipped_by("hamilton-ray", "ray", "hamilton.plugins.h_ray", "hamilton.plugins.ray_extensions"),
    # The per-library integrations (packages/hamilton-<library>).
    **_shipped_by(
        "hamilton-pandera", "pandera", "hamilton.plugins.h_pandera", "hamilton.data_quality.pandera_validators"
    ),
    **_shipped_by(
        "hamilton-pydantic", "pydantic", "hamilton.plugins.h_pydantic", "hamilton.plugins.pydantic_extensions"
    ),
    **_shipped_by("hamilton-pyarrow", "pyarrow", "hamilton.plugins.h_schema", "hamilton.plugins.h_pyarrow"),
    "hamilton.plugins.yaml_extensions": ("hamilton-yaml", "yaml"),
    "hamilton.plugins.h_diskcache": ("hamilton-diskcache", "diskcache"),
    **_shipped_by("hamilton-kedro", "kedro", "hamilton.plugins.h_kedro", "hamilton.plugins.kedro_extensions"),
    "hamilton.plugins.dlt_extensions": ("hamilton-dlt", "dlt"),
    "hamilton.plugins.ibis_extensions": ("hamilton-ibis", "ibis"),
    "hamilton.plugins.geopandas_extensions": ("hamilton-geopandas", "geopandas"),
    # vaex publishes wheels for CPython 3.10-3.12 only: the distribution installs there only.
    **_shipped_by("hamilton-vaex", "vaex", "hamilton.plugins.h_vaex", "hamilton.plugins.vaex_extensions"),
}

# 1.x modules whose 2.0 distribution is planned but not part of this version yet:
# (what it is, distribution, apache-hamilton extra).
NOT_YET_PROVIDED = {
    **dict.fromkeys(
        (
            "hamilton.plugins.h_spark",
            "hamilton.plugins.spark_extensions",
            "hamilton.plugins.pyspark_pandas_extensions",
            "hamilton.experimental.h_spark",
        ),
        ("PySpark integration", "hamilton-spark", "spark"),
    ),
    "hamilton.plugins.h_mlflow": ("MLflow tracker", "hamilton-mlflow", "mlflow"),
    "hamilton.plugins.mlflow_extensions": ("MLflow model savers and loaders", "hamilton-mlflow", "mlflow"),
    "hamilton.plugins.h_openlineage": ("OpenLineage adapter", "hamilton-openlineage", "openlineage"),
    "hamilton.plugins.h_opentelemetry": ("OpenTelemetry tracer", "hamilton-opentelemetry", "opentelemetry"),
    "hamilton.plugins.h_ddog": ("Datadog tracer", "hamilton-datadog", "datadog"),
    "hamilton.plugins.h_slack": ("Slack notifier", "hamilton-slack", "slack"),
    "hamilton.plugins.h_experiments": ("experiment manager", "hamilton-experiments", "experiments"),
    "hamilton.plugins.h_mcp": ("MCP server", "hamilton-mcp", "mcp"),
    "hamilton.plugins.sklearn_plot_extensions": ("scikit-learn plot savers", "hamilton-sklearn", "sklearn"),
    "hamilton.plugins.xgboost_extensions": ("XGBoost model savers", "hamilton-xgboost", "xgboost"),
    "hamilton.plugins.lightgbm_extensions": ("LightGBM model savers", "hamilton-lightgbm", "lightgbm"),
    "hamilton.plugins.matplotlib_extensions": ("matplotlib figure savers", "hamilton-matplotlib", "matplotlib"),
    "hamilton.plugins.plotly_extensions": ("plotly figure savers", "hamilton-plotly", "plotly"),
    "hamilton.plugins.huggingface_extensions": (
        "Hugging Face datasets loaders",
        "hamilton-huggingface",
        "huggingface",
    ),
    "hamilton.plugins.jupyter_magic": ("Jupyter %%cell_to_module magic", "hamilton-jupyter", "jupyter"),
}

# 1.x modules that 2.0 does not bring back: what to use instead.
REMOVED = {
    "hamilton.plugins.polars_pre_1_0_0_extension": (
        "polars<1.0 support",
        'polars>=1.0 with pip install "apache-hamilton[polars]" (hamilton.plugins.polars_extensions)',
    ),
    "hamilton.experimental.decorators": (
        "experimental @parameterize_frame",
        "@parameterize_extract_columns from hamilton.function_modifiers (with hamilton-pandas)",
    ),
    "hamilton.dataflows": (
        "dataflow downloader (dataflows.import_module)",
        "install the dataflows as a package (pip install apache-hamilton-contrib) and import them from "
        "hamilton.contrib.user.<author>.<dataflow>",
    ),
}

# Modules that distributions outside this repository ship: the command that installs them.
EXTERNAL = {"hamilton.contrib": ("apache-hamilton-contrib", "pip install apache-hamilton-contrib")}

_KEEP_1X = 'keep using it with Hamilton 1.x (pip install "apache-hamilton<2")'


def missing_module_message(fullname: str) -> str | None:
    """Why ``fullname``, a 1.x module path, cannot be imported here and what to do; None for
    names Hamilton knows nothing about."""
    if fullname in PLUGIN_MODULES:
        distribution, extra = PLUGIN_MODULES[fullname]
        return (
            f"No module named {fullname!r}: it is provided by the {distribution} distribution, which is not "
            f"installed. Install it with: {install_hint(extra)}"
        )
    if fullname in NOT_YET_PROVIDED:
        what, distribution, extra = NOT_YET_PROVIDED[fullname]
        return (
            f"No module named {fullname!r}: Hamilton 1.x's {what} is not available in Hamilton 2.0 yet; it will "
            f'be provided by the {distribution} distribution (pip install "apache-hamilton[{extra}]"), which this '
            f"version does not include. Until then, {_KEEP_1X}."
        )
    if fullname in REMOVED:
        what, instead = REMOVED[fullname]
        return (
            f"No module named {fullname!r}: Hamilton 1.x's {what} was removed in Hamilton 2.0. Instead, use {instead}."
        )
    if fullname in EXTERNAL:
        distribution, command = EXTERNAL[fullname]
        return (
            f"No module named {fullname!r}: it is provided by the {distribution} distribution, which is not "
            f"installed. Install it with: {command}"
        )
    return None


class MissingPluginModuleFinder:
    """Last on ``sys.meta_path``: when no other finder found a module a plugin distribution
    ships, fail with the install command instead of a bare ``No module named ...``."""

    @staticmethod
    def find_spec(fullname: str, path: object = None, target: object = None) -> None:
        message = missing_module_message(fullname)
        if message is None or not _called_by_an_import():
            return None  # a probe (importlib.util.find_spec) must just learn the module is absent
        # no ``name=``: `from hamilton.plugins import h_x` would swallow an error naming h_x
        raise ModuleNotFoundError(message)


def _called_by_an_import() -> bool:
    """Whether the import machinery is importing (``import x``), rather than something probing
    whether a module exists: only then is raising the helpful error right."""
    import sys

    frame = sys._getframe(2)  # past this function and find_spec
    for _ in range(4):  # importlib's _find_spec, then _find_and_load_unlocked for an import
        if frame is None:
            return False
        if frame.f_code.co_name == "_find_and_load_unlocked":
            return True
        frame = frame.f_back
    return False


def install_missing_module_hints() -> None:
    """Add :class:`MissingPluginModuleFinder` to the end of ``sys.meta_path`` (once)."""
    import sys

    if not any(isinstance(finder, type) and finder.__name__ == "MissingPluginModuleFinder" for finder in sys.meta_path):
        sys.meta_path.append(MissingPluginModuleFinder)
