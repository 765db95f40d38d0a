"""Registers the cache adapter with core's plugin system (entry point ``cache``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from hamilton.plugins.hookspecs import hookimpl

HAMILTON_CORE_VERSIONS = ">=2.0,<3"


@hookimpl
def hamilton_adapters() -> Mapping[str, Callable[..., object]]:
    """``{"cache": HamiltonCacheAdapter}``; the adapter module is imported only when asked."""
    from hamilton.caching.adapter import HamiltonCacheAdapter

    return {"cache": HamiltonCacheAdapter}
