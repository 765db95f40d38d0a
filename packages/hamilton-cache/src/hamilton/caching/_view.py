"""``dr.cache.view_run()``: a run drawn by the driver's renderers, cached nodes marked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hamilton.caching._events import CachingEventType

if TYPE_CHECKING:
    from hamilton.caching.adapter import HamiltonCacheAdapter

# The first event type found decides the node's state, in this order.
_STATES = (
    (CachingEventType.IS_INPUT, "input"),
    (CachingEventType.IS_OVERRIDE, "overridden"),
    (CachingEventType.FAILED_EXECUTION, "failed"),
    (CachingEventType.GET_RESULT, "cached"),
    (CachingEventType.EXECUTE_NODE, "ran"),
)


def view_run(cache: HamiltonCacheAdapter, run_id: str, output_file_path: str | None, renderer: Any) -> Any:
    """Draw run ``run_id`` of ``cache`` (see ``HamiltonCacheAdapter.view_run``)."""
    from hamilton.driver import Driver
    from hamilton.plugins.interfaces import NodeRunState

    graph = cache._fn_graphs[run_id]
    logs = cache.logs(run_id, level="debug")
    if any(isinstance(key, tuple) for key in logs):
        raise ValueError(
            "`.view()` is currently not supported for task-based execution. "
            "Please inspect the logs directly via `.logs(run_id=...)` for debugging."
        )
    final_vars, inputs, overrides = cache._run_requests[run_id]
    run_state: dict[str, Any] = {}
    for name, events in logs.items():
        types = {event.event_type for event in events}
        for event_type, state in _STATES:
            if event_type in types:
                run_state[name] = NodeRunState(state)
                break
    viewer = Driver(dict(graph.config), _graph=graph, _use_legacy_adapter=False)
    return viewer.visualize_execution(
        final_vars,
        output_file_path,
        inputs=inputs,
        overrides=overrides,
        bypass_validation=True,
        renderer=renderer,
        run_state=run_state,
    )
