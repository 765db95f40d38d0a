"""The public plugin API, re-exported by ``hamilton.plugins`` (see its docstring)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hamilton.plugins._manager import CORE_PLUGIN, PluginInfo, system


def register(plugin: object, name: str | None = None) -> PluginInfo:
    """Register a plugin object or module by hand — no entry point or discovery needed."""
    return system().register(plugin, name)


def load(name: str) -> bool:
    """Load the installed plugin ``name`` now (normally done lazily). True if it loaded."""
    return system().load(name)


def load_all() -> bool:
    """Load every installed plugin not loaded yet. True if any loaded."""
    return system().load_all()


def list_plugins() -> list[PluginInfo]:
    """Installed and registered plugins with their distribution, version and status."""
    return system().list_plugins()


def plugin_manager() -> Any:
    """The ``pluggy.PluginManager`` of the ``hamilton`` project."""
    return system().manager


# Names first-party plugin distributions provide, and the apache-hamilton extra installing each.
_FIRST_PARTY = {
    "pandas": "pandas",
    "polars": "polars",
    "mermaid": "mermaid",
    "graphviz": "graphviz",
    "dot": "graphviz",
    "dask": "dask",
    "ray": "ray",
    # names the per-library integrations serve: format yaml, result builders, the diskcache adapter
    "yaml": "yaml",
    "pyarrow": "pyarrow",
    "pyarrow_table": "pyarrow",
    "vaex": "vaex",
    "diskcache": "diskcache",
    "kedro": "kedro",
    "dlt": "dlt",
}


def _load_first_party_distribution(name: str) -> bool:
    """Load the plugins of ``hamilton-<extra>`` when ``name`` is one a first-party distribution
    serves (:data:`_FIRST_PARTY`) under an entry point of another name: ``result_builder("pyarrow")``
    then loads hamilton-pyarrow, not every installed library. True if any loaded."""
    extra = _FIRST_PARTY.get(name)
    if extra is None:
        return False
    plugins = system()
    distribution = f"hamilton-{extra}"
    loaded = False
    for entry_point_name, candidates in plugins.entry_points().items():
        if any(candidate.distribution == distribution for candidate in candidates):
            loaded |= plugins.load(entry_point_name)
    return loaded


class PluginNotFoundError(KeyError):
    """Nothing registered under the requested name, even after loading every plugin."""

    def __str__(self) -> str:  # KeyError would print the message quoted and escaped
        return str(self.args[0])


def _lookup(kind: str, name: str, table: Callable[[], dict[str, Any]]) -> Any:
    """``table()[name]``; on a miss, load core's plugin and the plugin named ``name`` (the
    ``mermaid`` entry point provides the ``mermaid`` renderer), then the plugins of the first-party
    distribution known to serve ``name`` (hamilton-pyarrow for ``"pyarrow"``), then every
    remaining plugin.

    The narrow steps first: loading every plugin imports every installed library (pandas,
    polars...), hundreds of milliseconds that finding a renderer or an executor should not cost.
    """
    found = table().get(name)
    plugins = system()
    steps = (
        lambda: plugins.load(CORE_PLUGIN),
        lambda: plugins.load(name),
        lambda: _load_first_party_distribution(name),
        plugins.load_all,
    )
    for load in steps:
        if found is not None:
            break
        if load():
            found = table().get(name)
    if found is None:
        from hamilton._moved import install_hint
        from hamilton.errors import closest_names

        available = sorted(table())
        extra = _FIRST_PARTY.get(name)
        install = install_hint(extra) if extra else "installing the plugin that provides it"
        close = closest_names(name, available) if isinstance(name, str) else []
        guess = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
        failed = [info.name for info in system().list_plugins() if info.status == "failed"]
        hint = f" Plugins that failed to load: {failed} (see hamilton.plugins.list_plugins())." if failed else ""
        raise PluginNotFoundError(
            f"No {kind} named {name!r}.{guess} Available: {available or 'none'}. Add it by {install}, or "
            f"register one with hamilton.plugins.register().{hint}"
        )
    return found


def renderer(name: str) -> Any:
    """The renderer registered as ``name`` (``"json"``, ``"mermaid"``, ``"graphviz"``...)."""
    return _lookup("renderer", name, lambda: system().registry.renderers)


def loaders(name: str) -> list[type]:
    """Loader classes registered for format ``name``, in registration order."""
    return _lookup("loader", name, lambda: system().registry.loaders)


def savers(name: str) -> list[type]:
    """Saver classes registered for format ``name``, in registration order."""
    return _lookup("saver", name, lambda: system().registry.savers)


def adapter(name: str, **options: Any) -> Any:
    """A new lifecycle adapter from the factory registered as ``name``."""
    return _lookup("adapter", name, lambda: system().registry.factories["adapters"])(**options)


def executor(name: str, **options: Any) -> Any:
    """A new executor from the factory registered as ``name`` (``"threads"``, ``"processes"``...)."""
    return executor_factory(name)(**options)


def executor_factory(name: str) -> Callable[..., Any]:
    """The factory registered as executor ``name``, not called: a class deriving from
    :class:`~hamilton.execution.executors.TaskExecutor` runs tasks itself (``"dask"``, ``"ray"``),
    anything else makes ``concurrent.futures``-style pools."""
    return _lookup("executor", name, lambda: system().registry.factories["executors"])


def result_builder(name: str, **options: Any) -> Any:
    """A new result builder from the factory registered as ``name`` (``"dict"``, ``"pandas"``...)."""
    return _lookup("result builder", name, lambda: system().registry.factories["result_builders"])(**options)


def dataframe_types() -> list[type]:
    """Every dataframe type some loaded backend handles (for messages listing the options)."""
    return list(system().registry.backends)


def dataframe_backend(value: object) -> Any | None:
    """The dataframe backend for ``value`` (a frame, or a frame class), or ``None``.

    Unless a backend is registered for the type itself, the plugin named after the type's
    library is loaded first (once): a frame subclassing another library's frame (a geopandas
    GeoDataFrame is a pandas DataFrame) gets its own library's backend, whichever plugin loaded
    first; without one, the nearest registered base class's backend serves it.
    """
    registry = system().registry
    type_ = value if isinstance(value, type) else type(value)
    if type_ not in registry.backends:
        system().load((type_.__module__ or "").partition(".")[0])
    return registry.backend_for_type(type_)
