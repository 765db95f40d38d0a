"""Local run tracking for Hamilton: record runs into SQLite, read them back, browse them.

* ``LocalTracker(path=None, project="default")`` — the adapter (also
  ``hamilton.plugins.adapter("local_tracker", ...)``);
* ``TrackingStore(path=None)`` — the read API (``runs()``, ``run(run_id)``, ``projects()``);
* ``hamilton.plugins.tracking.ui.serve(path)`` or ``python -m hamilton.plugins.tracking ui`` —
  the web UI.

Names are imported on first use, so importing the package costs nothing until then.
"""

from __future__ import annotations

_API = {
    "LocalTracker": "hamilton.plugins.tracking.adapter",
    "TrackingWarning": "hamilton.plugins.tracking.adapter",
    "TrackingStore": "hamilton.plugins.tracking.store",
    "RunSummary": "hamilton.plugins.tracking.store",
    "Run": "hamilton.plugins.tracking.store",
    "NodeExecution": "hamilton.plugins.tracking.store",
    "GraphNode": "hamilton.plugins.tracking.store",
    "ResultSummary": "hamilton.plugins.tracking.store",
    "ErrorInfo": "hamilton.plugins.tracking.store",
    "RunNotFoundError": "hamilton.plugins.tracking.store",
    "SchemaVersionError": "hamilton.plugins.tracking.store",
    "default_directory": "hamilton.plugins.tracking.store",
}

__all__ = sorted(_API)


def __getattr__(name: str) -> object:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_API))
