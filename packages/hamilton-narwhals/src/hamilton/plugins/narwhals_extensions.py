"""The ``narwhals`` plugin: ``result_builder("narwhals")`` returns the outputs' own frame type
(:class:`~hamilton.plugins.narwhals_results.NativeDataFrameResult`), and narwhals wrappers get
fingerprints (:mod:`hamilton.plugins.narwhals_fingerprints`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from hamilton.plugins.hookspecs import hookimpl

HAMILTON_CORE_VERSIONS = ">=2.0,<3"


@hookimpl
def hamilton_result_builders() -> Mapping[str, Callable[..., object]]:
    from hamilton.plugins.narwhals_results import NativeDataFrameResult

    return {"narwhals": NativeDataFrameResult}


@hookimpl
def hamilton_fingerprinters() -> Mapping[type, Callable[..., str]]:
    from hamilton.plugins.narwhals_fingerprints import FINGERPRINTERS

    return FINGERPRINTERS
