"""Discovering, loading and registering plugins — lazily, once, and without letting one broken
plugin break a run.

Nothing here runs at ``import hamilton``. The first time core needs something a plugin might
provide, entry points of the ``hamilton.plugins`` group are listed (fast, see
``_entry_points``); then plugins load one at a time:

* a plugin named after a library (``pandas``) loads when a value of that library is first
  dispatched (:func:`load_for_value`; the library is already imported then);
* a lookup by name that misses (renderer ``"mermaid"``) loads every plugin not loaded yet;
* ``register(plugin)`` adds a plugin by hand (notebooks, tests, Lambda handlers).

A plugin that fails to import or register (any error, ``SystemExit`` included: only
``KeyboardInterrupt`` gets through) is skipped with one ``HamiltonPluginWarning`` naming it, its
distribution and the error, and is recorded (see :func:`list_plugins`). A distribution whose
metadata cannot be read is skipped with one warning too. A plugin named after a library
(``pyarrow``) whose import fails because exactly that library is not installed is not broken but
*inactive*: recorded as ``"inactive"`` (``"needs pyarrow"``), with no warning. Environment
switches:

``HAMILTON_PLUGINS_ALLOW``  comma-separated names: only these load automatically
``HAMILTON_PLUGINS_DENY``   comma-separated names never loaded automatically; ``*`` disables
                            automatic loading (1.x's ``HAMILTON_AUTOLOAD_EXTENSIONS=0`` too)
``HAMILTON_PLUGINS_STRICT`` ``1``: a failing plugin raises :class:`PluginLoadError` instead

Core's own plugin (entry point ``core`` of apache-hamilton) is part of the library: only naming
it in ``HAMILTON_PLUGINS_DENY`` keeps it from loading.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Any

from hamilton.plugins import _entry_points
from hamilton.plugins._registry import Registry, collect
from hamilton.plugins._versions import satisfies
from hamilton.version import VERSION

HOOKS = (
    "hamilton_renderers",
    "hamilton_materializers",
    "hamilton_fingerprinters",
    "hamilton_adapters",
    "hamilton_executors",
    "hamilton_result_builders",
    "hamilton_dataframe_backends",
    "hamilton_validators",
)
VERSION_ATTRIBUTE = "HAMILTON_CORE_VERSIONS"
CORE_DISTRIBUTION = "apache-hamilton"
CORE_PLUGIN = "core"  # the entry-point name of core's own plugin


class HamiltonPluginWarning(UserWarning):
    """A plugin was skipped because it failed to load or does not support this core."""


class PluginLoadError(ImportError):
    """Raised instead of a warning in strict mode (``HAMILTON_PLUGINS_STRICT=1``)."""


class PluginInfo:
    """One plugin as :func:`list_plugins` reports it.

    ``status`` is ``"available"`` (installed, not loaded yet), ``"loaded"``, ``"registered"``
    (added by hand), ``"skipped"`` (denied, not allowed, or an unsupported core version),
    ``"inactive"`` (named after a library that is not installed: ``reason`` is ``"needs <library>"``)
    or ``"failed"``; ``reason`` says why for the last three; ``provides`` lists, per kind, the
    names the plugin contributed.
    """

    __slots__ = ("distribution", "name", "provides", "reason", "status", "value", "version")

    def __init__(self, name: str, distribution: str | None, version: str | None, value: str | None = None):
        self.name = name
        self.distribution = distribution
        self.version = version
        self.value = value
        self.status = "available"
        self.reason: str | None = None
        self.provides: dict[str, list[str]] = {}

    def as_dict(self) -> dict[str, Any]:
        return {slot: getattr(self, slot) for slot in self.__slots__}

    def __repr__(self) -> str:
        origin = f" from {self.distribution} {self.version}" if self.distribution else ""
        reason = f": {self.reason}" if self.reason else ""
        return f"<plugin {self.name}{origin} {self.status}{reason}>"


def _names(variable: str) -> set[str]:
    return {part.strip() for part in os.environ.get(variable, "").split(",") if part.strip()}


def _strict() -> bool:
    return os.environ.get("HAMILTON_PLUGINS_STRICT", "").strip().lower() in ("1", "true", "yes", "on")


_user_config_read = False


def _read_user_config() -> None:
    """1.x's ``~/.hamilton.conf`` (written by ``hamilton-disable-autoload-extensions``), read once
    per process when plugins are first looked at; the environment variable wins over it."""
    global _user_config_read
    if _user_config_read:
        return
    _user_config_read = True
    if "HAMILTON_AUTOLOAD_EXTENSIONS" in os.environ:
        return
    if os.path.exists(os.path.expanduser("~/.hamilton.conf")):
        from hamilton import registry

        try:
            registry.load_autoload_config()
        except Exception as error:  # a damaged file must not break plugin lookups
            import warnings

            warnings.warn(
                f"Hamilton: could not read ~/.hamilton.conf ({error}); ignoring it. Fix or delete the file.",
                stacklevel=3,
            )


def _policy_block(name: str, builtin: bool = False) -> str | None:
    """Why automatic loading of ``name`` is switched off, or ``None``.

    Core's own plugin (``builtin``: the standard-library formats, the JSON renderer, the
    executors) is part of apache-hamilton, not an extension: only naming it in
    ``HAMILTON_PLUGINS_DENY`` switches it off.
    """
    if builtin:
        return "denied by HAMILTON_PLUGINS_DENY" if name in _names("HAMILTON_PLUGINS_DENY") else None
    _read_user_config()
    if os.environ.get("HAMILTON_AUTOLOAD_EXTENSIONS", "").strip() == "0":
        return "automatic loading is disabled (HAMILTON_AUTOLOAD_EXTENSIONS=0)"
    deny = _names("HAMILTON_PLUGINS_DENY")
    if "*" in deny:
        return "automatic loading is disabled (HAMILTON_PLUGINS_DENY=*)"
    if name in deny:
        return "denied by HAMILTON_PLUGINS_DENY"
    allow = _names("HAMILTON_PLUGINS_ALLOW")
    if allow and name not in allow:
        return "not in HAMILTON_PLUGINS_ALLOW"
    return None


class PluginSystem:
    """The process-wide plugin state: the pluggy manager, the entry points, the registry."""

    def __init__(self, paths: list[str] | None = None):
        self._paths = paths
        self._lock = threading.RLock()
        self._manager: Any = None
        self._entry_points: dict[str, list[_entry_points.EntryPoint]] | None = None
        self._infos: dict[str, PluginInfo] = {}
        self._attempted: set[str] = set()
        self.registry = Registry()

    # -- the pluggy manager -----------------------------------------------------------------
    @property
    def manager(self) -> Any:
        """The ``pluggy.PluginManager`` of the ``hamilton`` project (created on first use)."""
        if self._manager is None:
            import pluggy

            from hamilton.plugins import hookspecs

            manager = pluggy.PluginManager(hookspecs.PROJECT)
            manager.add_hookspecs(hookspecs)
            self._manager = manager
        return self._manager

    # -- discovery -------------------------------------------------------------------------------
    def entry_points(self) -> dict[str, list[_entry_points.EntryPoint]]:
        """Installed ``hamilton.plugins`` entry points by name (listed once per process)."""
        if self._entry_points is None:
            with self._lock:
                if self._entry_points is None:
                    by_name: dict[str, list[_entry_points.EntryPoint]] = {}
                    broken: list[_entry_points.BrokenDistribution] = []
                    for entry_point in _entry_points.discover(self._paths, broken=broken):
                        by_name.setdefault(entry_point.name, []).append(entry_point)
                        key = self._key(entry_point, by_name[entry_point.name])
                        self._infos.setdefault(
                            key,
                            PluginInfo(key, entry_point.distribution, entry_point.version, entry_point.value),
                        )
                    self._entry_points = by_name
                    for distribution in broken:  # once per process: discovery runs once
                        self._warn_broken_distribution(distribution)
        return self._entry_points

    @staticmethod
    def _warn_broken_distribution(broken: _entry_points.BrokenDistribution) -> None:
        """Name a distribution whose metadata could not be read (a warning even in strict mode:
        it is usually not a Hamilton plugin at all, and must not stop Hamilton from working)."""
        import warnings

        version = f" {broken.version}" if broken.version else ""
        warnings.warn(
            f"Hamilton skipped the installed distribution '{broken.distribution}'{version}: its "
            f"{broken.path} cannot be read ({type(broken.error).__name__}: {broken.error}). Any "
            f"Hamilton plugin it provides is unavailable. Reinstall it (pip install --force-reinstall "
            f"{broken.distribution}) or uninstall it to fix this.",
            HamiltonPluginWarning,
            stacklevel=4,
        )

    @staticmethod
    def _key(entry_point: _entry_points.EntryPoint, same_name: list) -> str:
        """A unique plugin name: the entry point's, or ``name@distribution`` for a clash."""
        return entry_point.name if same_name[0] is entry_point else f"{entry_point.name}@{entry_point.distribution}"

    # -- loading ---------------------------------------------------------------------------------
    def load(self, name: str) -> bool:
        """Load the plugin(s) installed under entry-point ``name`` (once). True if any loaded."""
        candidates = self.entry_points().get(name)
        if not candidates or name in self._attempted:
            return False
        if name != CORE_PLUGIN:
            # Core's own contributions first: later registrations take precedence, so a plugin's
            # specific classes (a pandas pickle saver) must come after core's generic ones.
            self.load(CORE_PLUGIN)
        with self._lock:
            if name in self._attempted:
                return False
            self._attempted.add(name)
            loaded = False
            for entry_point in candidates:
                loaded |= self._load_entry_point(entry_point, self._key(entry_point, candidates))
            return loaded

    def load_all(self) -> bool:
        """Load every installed plugin not loaded yet. True if any loaded."""
        loaded = False
        for name in list(self.entry_points()):
            loaded |= self.load(name)
        return loaded

    def load_for_value(self, value: object) -> bool:
        """Load the plugin named after the library ``value`` comes from, if any. True if loaded."""
        return self.load(library_of(value))

    def _load_entry_point(self, entry_point: _entry_points.EntryPoint, key: str) -> bool:
        info = self._infos[key]
        blocked = _policy_block(entry_point.name, builtin=entry_point.distribution == CORE_DISTRIBUTION)
        if blocked is not None:
            info.status, info.reason = "skipped", blocked
            return False
        origin = f"the {entry_point.distribution} {entry_point.version} distribution ({entry_point.value})"
        try:  # one broken plugin must not break the run
            plugin = entry_point.load()
            if self.manager.is_registered(plugin):  # registered by hand already: nothing to add
                info.status, info.reason = "loaded", "already registered by hand"
                return False
            supported = getattr(plugin, VERSION_ATTRIBUTE, None)
            compatible = supported is None or satisfies(VERSION, supported)
            if compatible:
                info.provides = self._register(plugin, key, origin)
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # SystemExit at import too: a plugin must not end the process
            missing = _missing_library(error, entry_point.name)
            if missing is not None:  # a plugin for a library that is not installed: not applicable
                info.status, info.reason = "inactive", f"needs {missing}"
                return False
            info.status, info.reason = "failed", f"{type(error).__name__}: {error}"
            self._report(
                f"Hamilton plugin '{key}' from {origin} failed to load and was skipped: "
                f"{type(error).__name__}: {error}. Fix or uninstall it, or silence this with "
                f"HAMILTON_PLUGINS_DENY={entry_point.name}.",
                error,
            )
            return False
        if not compatible:
            core = ".".join(str(part) for part in VERSION)
            info.status, info.reason = "skipped", f"supports apache-hamilton {supported}, this is {core}"
            self._report(
                f"Hamilton plugin '{key}' from {origin} was skipped: it supports apache-hamilton "
                f"{supported}, and this is {core}. Install a version of {entry_point.distribution} "
                "made for this core."
            )
            return False
        info.status = "loaded"
        return True

    @staticmethod
    def _report(message: str, error: BaseException | None = None) -> None:
        if _strict():
            raise PluginLoadError(message) from error
        import warnings

        warnings.warn(message, HamiltonPluginWarning, stacklevel=2)

    def register(self, plugin: object, name: str | None = None) -> PluginInfo:
        """Register ``plugin`` by hand (allow/deny lists do not apply). Raises if it is invalid.

        Registering an object that is already registered (by hand or from its entry point)
        returns its existing record.
        """
        with self._lock:
            if self.manager.is_registered(plugin):
                registered_as = self.manager.get_name(plugin)
                return self._infos.get(registered_as) or PluginInfo(registered_as, None, None)
            key = name or getattr(plugin, "__name__", None) or f"{type(plugin).__qualname__}-{id(plugin):x}"
            if key in self._infos and self._infos[key].status in ("loaded", "registered"):
                raise ValueError(f"A plugin named {key!r} is already registered; pass another name=.")
            info = PluginInfo(key, None, None)
            info.provides = self._register(plugin, key, f"plugin {key!r}")
            info.status = "registered"
            self._infos[key] = info
            return info

    def _register(self, plugin: object, key: str, origin: str) -> dict[str, list[str]]:
        """Register with pluggy, call the plugin's hooks, validate, commit — or undo everything."""
        manager = self.manager
        manager.register(plugin, name=key)
        try:
            manager.check_pending()  # a misspelled hook name is an error, not a silent no-op
            results = {}
            for hook in HOOKS:
                for implementation in getattr(manager.hook, hook).get_hookimpls():
                    if implementation.plugin is plugin:
                        results[hook] = implementation.function()
            contribution = collect(results, origin)
        except BaseException:  # SystemExit from a hook too: leave nothing registered
            manager.unregister(plugin)
            raise
        self.registry.commit(contribution)
        return contribution.summary()

    # -- reporting -------------------------------------------------------------------------------
    def list_plugins(self) -> list[PluginInfo]:
        """Every installed or registered plugin and its status (does not load anything)."""
        self.entry_points()
        return sorted(self._infos.values(), key=lambda info: info.name)


def _missing_library(error: BaseException, library: str) -> str | None:
    """``library`` if ``error`` (or the error it was raised from) says exactly that library is
    not installed, else ``None``.

    A plugin declares the library it needs by its entry-point name (``pyarrow``): the same name
    that makes it load when a value of that library is dispatched. Only a ModuleNotFoundError for
    that top-level module counts; a missing submodule (``pyarrow.lib``) is a broken install.
    """
    seen = 0
    while error is not None and seen < 8:
        if isinstance(error, ModuleNotFoundError) and error.name == library:
            return library
        error, seen = error.__cause__, seen + 1
    return None


def library_of(value: object) -> str:
    """The top-level module of ``value``'s type (``"pandas"`` for a DataFrame), never importing."""
    return (type(value).__module__ or "").partition(".")[0]


def is_instance_of(value: object, module: str, class_name: str) -> bool:
    """``isinstance(value, module.class_name)`` if ``module`` is already imported, else False.

    Detects a library's types the narwhals way: a value of a library means the library is
    imported already, so ``sys.modules`` is enough and nothing gets imported to find out.
    """
    loaded = sys.modules.get(module)
    cls = getattr(loaded, class_name, None) if loaded is not None else None
    return isinstance(cls, type) and isinstance(value, cls)


_system: PluginSystem | None = None
_system_lock = threading.Lock()


def system() -> PluginSystem:
    """The process-wide :class:`PluginSystem`."""
    global _system
    if _system is None:
        with _system_lock:
            if _system is None:
                _system = PluginSystem()
    return _system
