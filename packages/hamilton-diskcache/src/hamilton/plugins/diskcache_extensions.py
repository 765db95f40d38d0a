"""The ``diskcache`` plugin: the lifecycle adapter ``"diskcache"``.

``hamilton.plugins.adapter("diskcache", cache_path=..., cache_vars=[...])`` makes a
:class:`hamilton.plugins.h_diskcache.DiskCacheAdapter` (1.x's; constructing it directly works the
same). This module imports neither diskcache nor ``h_diskcache``: loading every plugin (a name
lookup that misses) costs nothing here, and diskcache is imported only when the adapter is made.
Without diskcache installed the plugin is listed as inactive ("needs diskcache").
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Mapping
from typing import Any

from hamilton.plugins.hookspecs import hookimpl

HAMILTON_CORE_VERSIONS = ">=2.0,<3"

if importlib.util.find_spec("diskcache") is None:  # looks for it without importing it
    raise ModuleNotFoundError(
        'The "diskcache" Hamilton plugin needs the diskcache library: pip install "apache-hamilton[diskcache]"',
        name="diskcache",
    )


def _disk_cache_adapter(**options: Any) -> Any:
    from hamilton.plugins.h_diskcache import DiskCacheAdapter

    return DiskCacheAdapter(**options)


@hookimpl
def hamilton_adapters() -> Mapping[str, Callable[..., Any]]:
    return {"diskcache": _disk_cache_adapter}
