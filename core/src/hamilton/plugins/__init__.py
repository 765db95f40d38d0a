"""Plugins: the ``hamilton.plugins.*`` namespace, and the API to find and register plugins.

Only the core distribution owns this file; first-party plugin distributions add modules next to
it (``hamilton.plugins.h_pandas``...) through the extended ``__path__``. Third-party plugins
live in their own packages and are found through the ``hamilton.plugins`` entry-point group.

The API (imported lazily, so ``import hamilton.plugins`` stays cheap):

* ``register(plugin, name=None)``, ``load(name)``, ``load_all()``, ``list_plugins()``,
  ``plugin_manager()`` — registration, loading and the listing the CLI prints;
* ``renderer(name)``, ``loaders(name)``, ``savers(name)``, ``adapter(name, **options)``,
  ``executor(name, **options)``, ``result_builder(name, **options)``,
  ``dataframe_backend(frame)``, ``dataframe_types()`` — lookups (by name or type load
  plugins on a miss);
* ``hookimpl`` — the marker for plugin hook implementations (see ``hookspecs``);
* ``library_of(value)``, ``is_instance_of(value, module, class_name)`` — library detection
  that never imports the library;
* ``PluginInfo``, ``HamiltonPluginWarning``, ``PluginLoadError``, ``PluginNotFoundError``.
* ``library_required(...)``, ``register_unless_automatic(...)``, ``loads_automatically(name)`` —
  for first-party integration modules (see ``_integration``).
"""

from hamilton._namespace import extend_path

__path__ = extend_path(__path__, __name__)
# `import hamilton.plugins.h_pandas` without hamilton-pandas names the extra: see hamilton._moved,
# whose finder `import hamilton` installs.

_API = {
    "register": "hamilton.plugins._api",
    "load": "hamilton.plugins._api",
    "load_all": "hamilton.plugins._api",
    "list_plugins": "hamilton.plugins._api",
    "plugin_manager": "hamilton.plugins._api",
    "renderer": "hamilton.plugins._api",
    "loaders": "hamilton.plugins._api",
    "savers": "hamilton.plugins._api",
    "adapter": "hamilton.plugins._api",
    "executor": "hamilton.plugins._api",
    "executor_factory": "hamilton.plugins._api",
    "result_builder": "hamilton.plugins._api",
    "dataframe_backend": "hamilton.plugins._api",
    "dataframe_types": "hamilton.plugins._api",
    "hookimpl": "hamilton.plugins.hookspecs",
    "library_of": "hamilton.plugins._manager",
    "is_instance_of": "hamilton.plugins._manager",
    "PluginInfo": "hamilton.plugins._manager",
    "HamiltonPluginWarning": "hamilton.plugins._manager",
    "PluginLoadError": "hamilton.plugins._manager",
    "PluginNotFoundError": "hamilton.plugins._api",
    "library_required": "hamilton.plugins._integration",
    "loads_automatically": "hamilton.plugins._integration",
    "register_unless_automatic": "hamilton.plugins._integration",
}


def __getattr__(name: str) -> object:
    # Names not in the API raise AttributeError, so `from hamilton.plugins import h_x` still
    # falls back to importing the submodule h_x.
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_API))
