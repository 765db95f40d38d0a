"""The ``tracking`` entry point: registers ``LocalTracker`` as the adapter ``local_tracker``."""

from __future__ import annotations

from collections.abc import Callable

from hamilton.plugins import hookimpl

HAMILTON_CORE_VERSIONS = ">=2.0,<3"


def _local_tracker(**options: object) -> object:
    from hamilton.plugins.tracking.adapter import LocalTracker

    return LocalTracker(**options)  # type: ignore[arg-type]


@hookimpl
def hamilton_adapters() -> dict[str, Callable[..., object]]:
    return {"local_tracker": _local_tracker}
