"""The ``ray`` plugin: the task executor ``"ray"`` for dynamic execution.

``Builder().enable_dynamic_execution(allow_experimental_mode=True).with_remote_executor("ray")``
runs the items of parallel blocks on Ray (:class:`hamilton.plugins.h_ray.RayTaskExecutor`, with
its defaults: it starts a local Ray unless one runs already). Ray is imported only when the
executor is asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from hamilton.plugins.hookspecs import hookimpl

HAMILTON_CORE_VERSIONS = ">=2.0,<3"


@hookimpl
def hamilton_executors() -> Mapping[str, Callable[..., object]]:
    from hamilton.plugins.h_ray import RayTaskExecutor

    return {"ray": RayTaskExecutor}
