"""Core's own plugin, registered through core's ``hamilton.plugins`` entry point like any other.

It provides what needs nothing beyond the standard library: the JSON renderer, the dict result
builder, three executors (``synchronous``, ``threads``, ``processes``) and the standard-library
formats of :mod:`hamilton.io.default_data_loaders` (``json``, ``file``, ``pickle``...).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from hamilton.plugins.hookspecs import hookimpl


class SynchronousExecutor:
    """A ``concurrent.futures``-style executor that runs each task at once, in the caller."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        from concurrent.futures import Future

        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:  # delivered through the future, like a real executor
            future.set_exception(error)
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Nothing to release."""


def _threads(**options: Any) -> Any:
    from concurrent.futures import ThreadPoolExecutor

    return ThreadPoolExecutor(**options)


def _processes(**options: Any) -> Any:
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(**options)


@hookimpl
def hamilton_renderers() -> list[object]:
    from hamilton.plugins.json_renderer import JsonGraphRenderer

    return [JsonGraphRenderer()]


@hookimpl
def hamilton_materializers() -> list[type]:
    from hamilton.io.default_data_loaders import DATA_ADAPTERS

    return DATA_ADAPTERS


@hookimpl
def hamilton_result_builders() -> Mapping[str, Callable[..., object]]:
    from hamilton.base import DictResult

    return {"dict": DictResult}


@hookimpl
def hamilton_executors() -> Mapping[str, Callable[..., object]]:
    return {"synchronous": SynchronousExecutor, "threads": _threads, "processes": _processes}
