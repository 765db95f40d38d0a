"""The plugin as core finds it: entry point, contract, renderer API, cheap import."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path

import graphviz
from conftest import needs_dot

from hamilton import plugins
from hamilton.graph_types import HamiltonGraph
from hamilton.plugins import viz_graphviz
from hamilton.plugins.testing import RendererContract, contract_graph
from hamilton.plugins.viz_graphviz import GraphvizRenderer


class TestGraphvizRendererContract(RendererContract):
    def make_renderer(self) -> GraphvizRenderer:
        return GraphvizRenderer()


def test_the_entry_point_names_the_plugin_module():
    (entry,) = [ep for ep in metadata.entry_points(group="hamilton.plugins") if ep.name == "graphviz"]
    assert entry.value == "hamilton.plugins.viz_graphviz"
    assert entry.dist.name == "hamilton-viz-graphviz"


def test_core_finds_the_renderer_by_name():
    renderer = plugins.renderer("graphviz")
    assert isinstance(renderer, GraphvizRenderer)
    assert (renderer.name, renderer.media_type) == ("graphviz", "text/vnd.graphviz")
    assert viz_graphviz.HAMILTON_CORE_VERSIONS == ">=2.0,<3"


def test_the_hook_returns_the_renderer():
    (renderer,) = viz_graphviz.hamilton_renderers()
    assert isinstance(renderer, GraphvizRenderer)


def test_render_is_the_dot_source_of_digraph():
    renderer = GraphvizRenderer()
    graph = contract_graph()
    assert renderer.render(graph, orient="TB") == renderer.digraph(graph, orient="TB").source
    assert "rankdir=TB" in renderer.render(graph, orient="TB")


@needs_dot
def test_hamilton_rendering_render_returns_a_dot_rendering(tmp_path):
    from hamilton.rendering import GraphView, render

    rendering = render(contract_graph(), "graphviz", view=GraphView(outputs=frozenset({"source"})))
    assert rendering.media_type == "text/vnd.graphviz"
    assert "#FFC857" in str(rendering)
    bundle = rendering._repr_mimebundle_()
    assert bundle["text/markdown"].startswith("```dot\n")
    saved = rendering.save(tmp_path / "graph.dot")
    graphviz.Source(Path(saved).read_text()).pipe(format="svg")  # dot accepts it


def test_digraph_defaults_show_config_only_when_given():
    renderer = GraphvizRenderer()
    from hamilton.rendering import GraphView

    plain = renderer.render(contract_graph())
    assert "shape=note" not in plain.split("cluster__legend")[0]
    configured = renderer.render(contract_graph(), view=GraphView(config={"mode": "fast"}))
    assert "shape=note" in configured


def test_display_without_a_file_returns_the_digraph_only(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    dot = GraphvizRenderer().display(HamiltonGraph(nodes=[]), render_kwargs={"format": "svg"}, keep_dot=True)
    assert isinstance(dot, graphviz.Digraph)
    assert list(tmp_path.iterdir()) == []


def test_importing_the_plugin_imports_neither_graphviz_nor_the_drawing_model():
    code = (
        "import sys, hamilton.plugins.viz_graphviz as m; "
        "print(sorted(n for n in ('graphviz', 'hamilton.rendering.model', 'hamilton.plugins._graphviz_styles') "
        "if n in sys.modules))"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"
