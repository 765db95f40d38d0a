"""1.x's registry module: registering loaders/savers at run time, and the autoload switch.

In Hamilton 2 formats and dataframe support come from plugins (see :mod:`hamilton.plugins` and
:mod:`hamilton.io.formats`); this module keeps 1.x's entry points to them:

* ``register_adapter(cls)`` — make a loader/saver class available as ``load_from.<name>``,
  ``save_to.<name>``, ``from_.<name>`` and ``to.<name>``;
* ``LOADER_REGISTRY`` / ``SAVER_REGISTRY`` — format name -> classes, oldest first (read-only
  views in spirit: register through ``register_adapter``);
* ``disable_autoload()`` / ``enable_autoload()`` — 1.x's switch for loading extension plugins;
* ``config_disable_autoload()`` / ``config_enable_autoload()`` / ``load_autoload_config()`` —
  the same switch kept in 1.x's user config file ``~/.hamilton.conf``;
* ``get_registered_dataframe_types()`` / ``get_registered_column_types()``.
"""

from __future__ import annotations

import os
import pathlib
from typing import Any

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    import configparser

HAMILTON_AUTOLOAD_ENV = "HAMILTON_AUTOLOAD_EXTENSIONS"
DATAFRAME_TYPE = "dataframe_type"
COLUMN_TYPE = "column_type"


def register_adapter(adapter: Any) -> None:
    """Register a loader or saver class under ``adapter.name()`` (it wins over earlier ones)."""
    from hamilton.io import formats

    formats.register(adapter)


def disable_autoload() -> None:
    """Stop loading extension plugins automatically (core's own formats stay available)."""
    os.environ[HAMILTON_AUTOLOAD_ENV] = "0"


def enable_autoload() -> None:
    """Undo :func:`disable_autoload`."""
    os.environ.pop(HAMILTON_AUTOLOAD_ENV, None)


# 1.x's user config file; its [DEFAULT] section may hold HAMILTON_AUTOLOAD_EXTENSIONS = 0.
DEFAULT_CONFIG_LOCATION = pathlib.Path("~/.hamilton.conf").expanduser()


def load_autoload_config() -> configparser.ConfigParser:
    """Read :data:`DEFAULT_CONFIG_LOCATION` and apply its autoload setting to the environment.

    Kept for 1.x compatibility: sets ``HAMILTON_AUTOLOAD_EXTENSIONS`` when the file sets it, and
    returns the parsed file (empty when there is none).
    """
    import configparser

    config = configparser.ConfigParser()
    config.read(DEFAULT_CONFIG_LOCATION)
    if config.has_option("DEFAULT", HAMILTON_AUTOLOAD_ENV):
        os.environ[HAMILTON_AUTOLOAD_ENV] = config.get("DEFAULT", HAMILTON_AUTOLOAD_ENV)
    return config


def _write_config(config: configparser.ConfigParser) -> None:
    with DEFAULT_CONFIG_LOCATION.open("w", encoding="utf-8") as handle:
        config.write(handle)


def config_disable_autoload() -> None:
    """Turn automatic loading of extension plugins off in :data:`DEFAULT_CONFIG_LOCATION`.

    1.x's ``hamilton-disable-autoload-extensions`` command (the name is tied to that entry point).
    """
    config = load_autoload_config()
    config.set("DEFAULT", HAMILTON_AUTOLOAD_ENV, "0")
    _write_config(config)


def config_enable_autoload() -> None:
    """Remove the autoload setting from :data:`DEFAULT_CONFIG_LOCATION` (autoloading is on by default).

    1.x's ``hamilton-enable-autoload-extensions`` command (the name is tied to that entry point).
    """
    config = load_autoload_config()
    config.remove_option("DEFAULT", HAMILTON_AUTOLOAD_ENV)
    _write_config(config)


def get_registered_dataframe_types() -> dict[str, type]:
    """Backend name -> a dataframe type it handles, for every loaded dataframe backend."""
    from hamilton.plugins._manager import system

    return {backend.name: type_ for type_, backend in system().registry.backends.items()}


def get_registered_column_types() -> dict[str, type]:
    """Backend name -> its column type, for every loaded backend that has one."""
    from hamilton.plugins._manager import system

    return {
        backend.name: backend.column_type
        for backend in system().registry.backends.values()
        if getattr(backend, "column_type", None) is not None
    }


def __getattr__(name: str) -> Any:
    if name in ("LOADER_REGISTRY", "SAVER_REGISTRY"):
        from hamilton.io import formats

        kind = "loader" if name == "LOADER_REGISTRY" else "saver"
        formats.names(kind)  # load every plugin, as 1.x's registry held every extension's formats
        return formats.table(kind)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
