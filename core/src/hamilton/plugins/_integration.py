"""Helpers for the modules of first-party integrations (``packages/hamilton-<library>``).

Their modules keep 1.x's import paths and 1.x's habits, which the entry-point machinery does
not give for free:

* importing one without its library must say what to install, and must leave the plugin
  *inactive* (``needs <library>``) rather than *failed*: :func:`library_required`;
* 1.x modules registered themselves when imported; with automatic loading switched off
  (``HAMILTON_AUTOLOAD_EXTENSIONS=0``) a module imported by hand must still register:
  :func:`register_unless_automatic`.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator


@contextlib.contextmanager
def library_required(library: str, *, needed_by: str, extra: str, distribution: str | None = None) -> Iterator[None]:
    """Around a plugin module's imports of ``library``::

        with library_required("yaml", needed_by=__name__, extra="yaml", distribution="PyYAML"):
            import yaml

    When the library itself is missing, raises ``ModuleNotFoundError(name=library)`` saying which
    module needs it and the command installing ``apache-hamilton[extra]``. A missing submodule
    (``yaml._yaml``) is a broken or incompatible install: that error passes through unchanged.
    """
    try:
        yield
    except ModuleNotFoundError as error:
        if error.name != library:
            raise
        from hamilton._moved import install_hint

        called = f"{distribution} (imported as `{library}`)" if distribution else library
        raise ModuleNotFoundError(
            f"{needed_by} needs {called}, which is not installed. Install it with: {install_hint(extra)}",
            name=library,  # the plugin system lists the plugin as inactive ("needs <library>"), not failed
        ) from error


def loads_automatically(entry_point: str) -> bool:
    """Whether the plugin system would load the plugin of ``entry_point`` by itself: it is
    installed and automatic loading of it is not switched off."""
    from hamilton.plugins._manager import _policy_block, system

    return entry_point in system().entry_points() and _policy_block(entry_point) is None


def register_unless_automatic(module_name: str, entry_point: str) -> None:
    """Register the plugin module ``module_name`` now, unless its entry point will load it.

    Called at the end of a 1.x plugin module: imported by hand with automatic loading switched
    off, it registers itself as it did in 1.x; otherwise it waits to be loaded lazily.
    Registering a module twice is harmless.
    """
    if not loads_automatically(entry_point):
        from hamilton.plugins import register

        register(sys.modules[module_name])
