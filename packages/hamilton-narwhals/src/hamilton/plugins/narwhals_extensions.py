"""The ``narwhals`` plugin: ``result_builder("narwhals")`` returns the outputs' own frame type.

See :class:`~hamilton.plugins.narwhals_results.NativeDataFrameResult`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from hamilton.plugins.hookspecs import hookimpl

HAMILTON_CORE_VERSIONS = ">=2.0,<3"


@hookimpl
def hamilton_result_builders() -> Mapping[str, Callable[..., object]]:
    from hamilton.plugins.narwhals_results import NativeDataFrameResult

    return {"narwhals": NativeDataFrameResult}
