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
            f"is not installed (or failed to import: {error}). Install it with: "
            f'pip install "apache-hamilton[{target.extra}]"'
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
}


class MissingPluginModuleFinder:
    """Last on ``sys.meta_path``: when no other finder found a module a plugin distribution
    ships, fail with the install command instead of a bare ``No module named ...``."""

    @staticmethod
    def find_spec(fullname: str, path: object = None, target: object = None) -> None:
        home = PLUGIN_MODULES.get(fullname)
        if home is None or not _called_by_an_import():
            return None  # a probe (importlib.util.find_spec) must just learn the module is absent
        distribution, extra = home
        raise ModuleNotFoundError(
            f"No module named {fullname!r}: it is provided by the {distribution} distribution, which is not "
            f'installed. Install it with: pip install "apache-hamilton[{extra}]"'
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
