"""The driver's drawing methods (``display_all_functions``, ``visualize_execution``...): which
nodes each one shows, what it emphasises, and handing the result to a renderer.

Imported only when one of those methods is called, so ``import hamilton.driver`` stays lean.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from hamilton._gc import collector_paused
from hamilton.graph import Graph
from hamilton.graph_types import HamiltonGraph, HamiltonNode
from hamilton.node import Node
from hamilton.rendering.display import Rendering
from hamilton.rendering.model import GraphView

logger = logging.getLogger(__name__)

DEFAULT_RENDERER = "graphviz"
# 1.x's shared visualization keywords and their defaults.
VIZ_DEFAULTS: Mapping[str, Any] = {
    "show_legend": True,
    "orient": "LR",
    "hide_inputs": False,
    "deduplicate_inputs": False,
    "show_schema": True,
    "custom_style_function": None,
}
_UNSET = object()
BYPASS_HINT = "; Use `bypass_validation=True` to skip validation"


def resolve_renderer(renderer: Any) -> Any | None:
    """The renderer object for ``renderer`` (a name, an object, or ``None`` for graphviz).

    As in 1.x, when graphviz was not asked for by name and is not installed, a warning is
    logged and ``None`` returned (the drawing methods then return ``None``).
    """
    from hamilton import plugins

    if renderer is None:
        try:
            return plugins.renderer(DEFAULT_RENDERER)
        except plugins.PluginNotFoundError:
            logger.warning(
                "Drawing graphs with graphviz needs the hamilton-viz-graphviz distribution: run "
                '`pip install "apache-hamilton[graphviz]"`, or pass renderer="mermaid" (apache-hamilton[mermaid]) '
                'or renderer="json" (built in). Nothing was drawn.'
            )
            return None
    if isinstance(renderer, str):
        return plugins.renderer(renderer)
    missing = [attribute for attribute in ("name", "media_type", "render") if not hasattr(renderer, attribute)]
    if missing:
        raise TypeError(
            f"renderer={renderer!r} is not a renderer: it lacks {missing}. Pass a renderer name "
            '("graphviz", "mermaid", "json") or an object with name, media_type and render(graph, ...).'
        )
    return renderer


def draw(
    nodes: list[HamiltonNode],
    view: GraphView,
    *,
    renderer: Any = None,
    run_state: Mapping[str, Any] | None = None,
    output_file_path: str | None = None,
    render_kwargs: dict | None = None,
    graphviz_kwargs: dict | None = None,
    keep_dot: bool = False,
    **options: Any,
) -> Any:
    """Render ``nodes`` (public views, see :meth:`Graph.public_nodes`) with ``renderer`` and
    return what it returns.

    A renderer with a ``display`` method (graphviz) takes every keyword and returns its own
    object (a ``graphviz.Digraph``, as 1.x does); any other renderer gets ``render(...)`` with the
    options that differ from their defaults, and its output comes back as a :class:`Rendering`,
    written to ``output_file_path`` when one is given.
    """
    chosen = resolve_renderer(renderer)
    if chosen is None:
        return None
    with collector_paused():  # thousands of small objects that all stay alive until drawn
        return _draw_with(
            chosen, nodes, view, run_state, output_file_path, render_kwargs, graphviz_kwargs, keep_dot, options
        )


def _draw_with(
    chosen: Any,
    nodes: list[HamiltonNode],
    view: GraphView,
    run_state: Mapping[str, Any] | None,
    output_file_path: str | None,
    render_kwargs: dict | None,
    graphviz_kwargs: dict | None,
    keep_dot: bool,
    options: dict[str, Any],
) -> Any:
    graph = HamiltonGraph(nodes=nodes)
    display = getattr(chosen, "display", None)
    if display is not None:
        return display(
            graph,
            view=view,
            run_state=run_state,
            output_file_path=output_file_path,
            render_kwargs=render_kwargs,
            graphviz_kwargs=graphviz_kwargs,
            keep_dot=keep_dot,
            **options,
        )
    graphviz_only = [
        name
        for name, value in (
            ("render_kwargs", render_kwargs),
            ("graphviz_kwargs", graphviz_kwargs),
            ("keep_dot", keep_dot),
        )
        if value
    ]
    if graphviz_only:
        raise TypeError(
            f"{graphviz_only} only apply to the graphviz renderer, not to {chosen.name!r}; drop them "
            "or use renderer='graphviz'."
        )
    given = {name: value for name, value in options.items() if VIZ_DEFAULTS.get(name, _UNSET) is not value}
    data = chosen.render(graph, run_state=run_state, view=view, **given)
    rendering = Rendering(data, chosen.media_type, chosen.name)
    if output_file_path:
        rendering.save(output_file_path)
    return rendering


def with_direct_dependencies(graph: Graph, nodes: Iterable[Node]) -> list[Node]:
    """``nodes`` plus the nodes they depend on directly, in graph order."""
    names = set()
    for node_ in nodes:
        names.add(node_.name)
        names.update(dependency.name for dependency in node_.dependencies)
    return [node_ for node_ in graph.get_nodes() if node_.name in names]


def execution_nodes(graph: Graph, plan: Any) -> list[Node]:
    """What a run of ``plan`` touches: computed and overridden nodes, and the inputs it reads
    (given, or required and missing; an optional input nobody gave is left out, as in 1.x)."""
    names = {step.name for step in plan.steps}
    names.update(plan.overridden)
    names.update(plan.used_inputs)
    names.update(plan.missing)
    return [node_ for node_ in graph.get_nodes() if node_.name in names]


def validated_plan(
    driver: Any, graph: Graph, names: list[str], inputs: dict | None, overrides: dict | None, bypass: bool
) -> Any:
    """The plan of a request; unless ``bypass``, its inputs checked as ``execute`` would check
    them, with 1.x's hint appended to the error. (Only the inputs, as in 1.x: a graph that this
    driver's executor cannot run, say Parallelizable without dynamic execution, still draws.)"""
    plan, given = driver._plan(names, inputs or {}, overrides or {}, graph)
    if not bypass:
        try:
            driver._check_inputs(plan, given)
        except ValueError as error:
            error.args = (f"{error.args[0] if error.args else error}{BYPASS_HINT}", *error.args[1:])
            raise
    return plan
