"""Drawing a run: nodes styled by what happened to them (RunRecorder's run_state)."""

from __future__ import annotations

import re

import gv_flows
import pytest

from hamilton import driver
from hamilton.plugins.interfaces import NodeRunState
from hamilton.rendering import RunRecorder

DURATION = re.compile(r"^\d+(\.\d+)? (µs|ms|s)$|^\d+ min \d+ s$")


def boom(x: int) -> int:
    """Fails, always."""
    raise RuntimeError("boom <b> & more")


def after(boom: int) -> int:
    return boom


def other(x: int) -> int:
    return x


@pytest.fixture
def failed_run() -> tuple[driver.Driver, RunRecorder]:
    recorder = RunRecorder()
    dr = driver.Builder().with_functions(boom, after, other).with_adapters(recorder).build()
    with pytest.raises(RuntimeError, match="boom"):
        dr.execute(["after", "other"], inputs={"x": 1})
    return dr, recorder


def test_a_recorded_parallel_run_shows_durations_and_instances(svg, layout):
    recorder = RunRecorder()
    dr = (
        driver.Builder()
        .with_modules(gv_flows)
        .with_config({"mode": "fast"})
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_adapters(recorder)
        .build()
    )
    assert dr.execute(["total"], inputs={"x": 1}) == {"total": sum(i * i for i in range(6))}
    dot = dr.visualize_execution(["total"], inputs={"x": 1}, run_state=recorder.run_state)
    texts = svg(dot).texts
    assert texts["sq"][:2] == ["Square it", "int"]
    duration, instances = texts["sq"][2].rsplit(" ", 1)
    assert DURATION.match(duration)
    assert instances == "\u00d76"  # b == 6 items
    assert DURATION.match(texts["a"][2])
    drawn = layout(dot)
    assert drawn.nodes["a"]["penwidth"] == "2"
    assert drawn.nodes["total"]["fillcolor"] == "#FFC857"  # still an output
    assert drawn.legend[-1] == "ran"


def test_failed_and_skipped_nodes(failed_run, layout, svg):
    dr, recorder = failed_run
    dot = dr.visualize_execution(["after", "other"], inputs={"x": 1}, run_state=recorder.run_state)
    drawn = layout(dot)
    assert drawn.nodes["boom"]["fillcolor"] == "#F28B82"
    assert drawn.nodes["after"]["style"] == "rounded,filled,dashed"
    assert drawn.nodes["after"]["fillcolor"] == "#EEEEEE"
    assert drawn.legend[-2:] == ["failed", "skipped"]
    tooltip = svg(dot).tooltips["boom"]
    assert tooltip == "Fails, always.\n\nfailed: RuntimeError: boom <b> & more"


def test_cached_and_overridden_statuses():
    from hamilton.graph_types import HamiltonGraph
    from hamilton.plugins.viz_graphviz import GraphvizRenderer

    dr = driver.Builder().with_functions(boom, after, other).build()
    state = {"boom": NodeRunState("overridden"), "other": NodeRunState("cached"), "after": NodeRunState("ran", 2.5)}
    dot = GraphvizRenderer().digraph(HamiltonGraph.from_graph(dr.graph), run_state=state)
    source = dot.source
    assert 'fillcolor="#D7C9F0"' in source  # cached
    assert 'style="filled,diagonals"' in source  # overridden, like an override
    assert "2.50 s" in source
    assert "_legend_cached" in source
    assert "_legend_override" in source  # a run's overridden nodes share the override entry


def test_run_state_through_the_renderer_api(failed_run):
    from hamilton.rendering import render

    dr, recorder = failed_run
    from hamilton.graph_types import HamiltonGraph

    rendering = render(HamiltonGraph.from_graph(dr.graph), "graphviz", run_state=recorder.run_state)
    assert rendering.media_type == "text/vnd.graphviz"
    assert "#F28B82" in str(rendering)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0.00000085, "1 µs"), (0.0012, "1.2 ms"), (0.25, "250.0 ms"), (3.4, "3.40 s"), (125.0, "2 min 5 s")],
)
def test_durations_read_well(seconds, text):
    from hamilton.rendering.model import format_duration

    assert format_duration(seconds) == text
