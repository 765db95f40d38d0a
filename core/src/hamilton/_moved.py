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
# ``hamilton.caching`` first).
_PANDAS_DISTRIBUTION = ("hamilton-pandas", "pandas")
_POLARS_DISTRIBUTION = ("hamilton-polars", "polars")
PLUGIN_MODULES = {
    "hamilton.plugins.h_pandas": _PANDAS_DISTRIBUTION,
    "hamilton.plugins.pandas_extensions": _PANDAS_DISTRIBUTION,
    "hamilton.plugins.numpy_extensions": _PANDAS_DISTRIBUTION,
    "hamilton.plugins.h_polars": _POLARS_DISTRIBUTION,
    "hamilton.plugins.polars_extensions": _POLARS_DISTRIBUTION,
    "hamilton.plugins.h_polars_lazyframe": _POLARS_DISTRIBUTION,
    "hamilton.plugins.polars_lazyframe_extensions": _POLARS_DISTRIBUTION,
    "hamilton.plugins.h_narwhals": ("hamilton-narwhals", "pandas] or [polars"),
    "hamilton.plugins.viz_graphviz": ("hamilton-viz-graphviz", "graphviz"),
    "hamilton.plugins.viz_mermaid": ("hamilton-viz-mermaid", "mermaid"),
    "hamilton.plugins.tracking": ("hamilton-tracking", "tracking"),
    "hamilton.caching": ("hamilton-cache", "cache"),
    "hamilton.cli": ("hamilton-cli", "cli"),
    "hamilton.plugins.h_dask": ("hamilton-dask", "dask"),
    "hamilton.plugins.dask_extensions": ("hamilton-dask", "dask"),
    "hamilton.plugins.h_ray": ("hamilton-ray", "ray"),
    "hamilton.plugins.ray_extensions": ("hamilton-ray", "ray"),
}

# 1.x plugin modules that no 2.0 distribution provides yet: what to use instead.
_KEEP_1X = 'keep using it with Hamilton 1.x (pip install "apache-hamilton<2")'
_INTEGRATION = "write the loader/saver as a node function, or " + _KEEP_1X
NOT_YET_PROVIDED = {
    "hamilton.plugins.h_spark": ("PySpark integration", _KEEP_1X),
    "hamilton.plugins.spark_extensions": ("PySpark data loaders", _KEEP_1X),
    "hamilton.plugins.pyspark_pandas_extensions": ("pyspark.pandas data loaders", _KEEP_1X),
    "hamilton.plugins.h_vaex": ("Vaex result builder", _KEEP_1X),
    "hamilton.plugins.vaex_extensions": ("Vaex data loaders", _KEEP_1X),
    "hamilton.plugins.h_pyarrow": (
        "pyarrow result builder",
        "use result_builder('narwhals') with pyarrow, or " + _KEEP_1X,
    ),
    "hamilton.plugins.h_pydantic": ("pydantic validators", _KEEP_1X),
    "hamilton.plugins.pydantic_extensions": ("pydantic type checks", _KEEP_1X),
    "hamilton.plugins.h_pandera": ("pandera validators", _KEEP_1X),
    "hamilton.plugins.h_schema": ("schema tracking adapter", _KEEP_1X),
    "hamilton.plugins.h_logging": ("logging adapter", _KEEP_1X),
    "hamilton.plugins.h_diskcache": (
        "diskcache adapter",
        'use Builder.with_cache() (pip install "apache-hamilton[cache]"), or ' + _KEEP_1X,
    ),
    "hamilton.plugins.h_kedro": ("Kedro integration", _KEEP_1X),
    "hamilton.plugins.kedro_extensions": ("Kedro data loaders", _KEEP_1X),
    "hamilton.plugins.h_mlflow": ("MLflow tracker", _KEEP_1X),
    "hamilton.plugins.mlflow_extensions": ("MLflow data savers", _INTEGRATION),
    "hamilton.plugins.h_openlineage": ("OpenLineage adapter", _KEEP_1X),
    "hamilton.plugins.h_ddog": ("Datadog tracer", _KEEP_1X),
    "hamilton.plugins.h_slack": ("Slack notifier", _KEEP_1X),
    "hamilton.plugins.h_opentelemetry": ("OpenTelemetry tracer", _KEEP_1X),
    "hamilton.plugins.h_experiments": ("experiment manager", _KEEP_1X),
    "hamilton.plugins.h_ibis": ("Ibis integration", _KEEP_1X),
    "hamilton.plugins.ibis_extensions": ("Ibis data loaders", _KEEP_1X),
    "hamilton.plugins.dlt_extensions": ("dlt data loaders", _INTEGRATION),
    "hamilton.plugins.geopandas_extensions": ("GeoPandas data loaders", _INTEGRATION),
    "hamilton.plugins.huggingface_extensions": ("Hugging Face datasets loaders", _INTEGRATION),
    "hamilton.plugins.lightgbm_extensions": ("LightGBM model savers", _INTEGRATION),
    "hamilton.plugins.xgboost_extensions": ("XGBoost model savers", _INTEGRATION),
    "hamilton.plugins.matplotlib_extensions": ("matplotlib figure savers", _INTEGRATION),
    "hamilton.plugins.plotly_extensions": ("plotly figure savers", _INTEGRATION),
    "hamilton.plugins.sklearn_plot_extensions": ("scikit-learn plot savers", _INTEGRATION),
    "hamilton.plugins.yaml_extensions": ("YAML loaders and savers", _INTEGRATION),
    "hamilton.plugins.jupyter_magic": ("Jupyter %%cell_to_module magic", _KEEP_1X),
    "hamilton.plugins.polars_pre_1_0_0_extension": (
        "polars<1.0 support",
        'polars>=1.0 with pip install "apache-hamilton[polars]"',
    ),
    "hamilton.experimental.h_spark": ("PySpark integration", _KEEP_1X),
}


class MissingPluginModuleFinder:
    """Last on ``sys.meta_path``: when no other finder found a module a plugin distribution
    ships, fail with the install command instead of a bare ``No module named ...``."""

    @staticmethod
    def find_spec(fullname: str, path: object = None, target: object = None) -> None:
        home = PLUGIN_MODULES.get(fullname)
        missing = None if home is not None else NOT_YET_PROVIDED.get(fullname)
        if (home is None and missing is None) or not _called_by_an_import():
            return None  # a probe (importlib.util.find_spec) must just learn the module is absent
        if home is not None:
            distribution, extra = home
            message = (
                f"No module named {fullname!r}: it is provided by the {distribution} distribution, which is not "
                f"installed. Install it with: {install_hint(extra)}"
            )
        else:
            what, instead = missing
            message = (
                f"No module named {fullname!r}: Hamilton 1.x's {what} is not available in Hamilton 2.0 yet "
                f"(no 2.0 distribution provides it). Instead, {instead}."
            )
        raise ModuleNotFoundError(
            message
        )  # no ``name=``: `from hamilton.plugins import h_x` would swallow an error naming h_x


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
