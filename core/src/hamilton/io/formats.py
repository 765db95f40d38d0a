"""Which loader or saver class serves a format name for a given type.

Formats come from plugins (core's own plugin provides the standard-library ones: ``json``,
``file``, ``pickle``, ``environment``, ``literal``, ``memory``) and from :func:`register` at
run time. Several classes may share a name (``json`` for dicts in core, for DataFrames in the
pandas plugin); the one used is chosen by type: the most recently registered class whose types
fit, else one declaring ``Any`` (a fallback). A name or type nobody serves yet loads the
remaining plugins and looks again.
"""

from __future__ import annotations

from typing import Any, Literal

from hamilton.io.data_adapters import declares_any, loader_applies, saver_applies

Kind = Literal["loader", "saver"]


def _system() -> Any:
    """The plugin system, with core's own formats registered first (so later ones win)."""
    from hamilton.plugins._manager import system

    plugin_system = system()
    plugin_system.load("core")
    return plugin_system


def table(kind: Kind) -> dict[str, list[type]]:
    """The live table: format name -> classes, oldest first (without loading further plugins)."""
    registry = _system().registry
    return registry.loaders if kind == "loader" else registry.savers


def classes(kind: Kind, name: str) -> list[type]:
    """The classes registered for format ``name``, oldest first (``[]`` if none, after loading plugins)."""
    found = table(kind).get(name)
    if not found and _system().load_all():
        found = table(kind).get(name)
    return list(found or ())


def names(kind: Kind) -> list[str]:
    """Every format name some loaded or installed plugin serves."""
    _system().load_all()
    return list(table(kind))


def load_library_plugin(type_: Any) -> bool:
    """Load the plugin named after ``type_``'s library (``"pandas"`` for ``pd.DataFrame``), if any
    and not loaded yet: it may serve a format for that type better than a generic class (core's
    ``pickle`` saver takes any ``object``). True if something loaded."""
    module = getattr(type_, "__module__", None) if isinstance(type_, type) else None
    return bool(module) and _system().load(module.partition(".")[0])


def select(kind: Kind, name: str, type_: Any) -> type | None:
    """The class serving ``name`` for values of ``type_``, or ``None``."""
    load_library_plugin(type_)
    chosen = pick(kind, classes(kind, name), type_)
    if chosen is None and _system().load_all():
        chosen = pick(kind, classes(kind, name), type_)
    return chosen


def select_for_value(kind: Kind, name: str, value: Any) -> type | None:
    """The class serving ``name`` for ``value``'s own type; loads the plugin of the value's library
    first (then every plugin, on a miss)."""
    type_ = type(value)
    load_library_plugin(type_)
    chosen = pick(kind, classes(kind, name), type_)
    if chosen is None and _system().load_all():
        chosen = pick(kind, classes(kind, name), type_)
    return chosen


def pick(kind: Kind, candidates: list[type], type_: Any) -> type | None:
    """Among ``candidates`` (oldest first): the newest that fits ``type_``, else the newest ``Any`` one."""
    applies = loader_applies if kind == "loader" else saver_applies
    newest_first = candidates[::-1]
    for cls in newest_first:
        if applies(cls, type_):
            return cls
    for cls in newest_first:
        if declares_any(cls):
            return cls
    return None


def register(cls: type) -> None:
    """Make loader/saver class ``cls`` available under ``cls.name()`` from now on.

    It takes precedence over classes registered before it for the same name and type.
    Registering a class twice changes nothing.
    """
    from hamilton.plugins._registry import collect

    system = _system()
    contribution = collect({"hamilton_materializers": [cls]}, f"register_adapter({cls.__qualname__})")
    with system._lock:  # the same lock plugin registration holds
        if any(cls in table.get(cls.name(), ()) for table in (system.registry.loaders, system.registry.savers)):
            return
        system.registry.commit(contribution)
