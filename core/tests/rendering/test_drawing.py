"""The driver's drawing methods, through the renderer that core ships (JSON) and user renderers."""

import importlib.util
import json
import logging

import flows
import pytest

from hamilton import driver, plugins
from hamilton.deprecation import RemovedInHamilton3Warning
from hamilton.graph_types import HamiltonGraph
from hamilton.io.materialization import from_, to
from hamilton.rendering import NodeRunState, Rendering, RunRecorder, render

GRAPHVIZ_INSTALLED = importlib.util.find_spec("hamilton.plugins.viz_graphviz") is not None


@pytest.fixture
def dr():
    return driver.Builder().with_modules(flows).with_config({"mode": "fast"}).build()


def document(rendering: Rendering) -> dict:
    assert isinstance(rendering, Rendering)
    assert rendering.media_type == "application/json"
    return json.loads(str(rendering))


def names(rendering: Rendering) -> set[str]:
    return {node["name"] for node in document(rendering)["nodes"]}


def emphasised(rendering: Rendering, kind: str) -> set[str]:
    return {node["name"] for node in document(rendering)["nodes"] if kind in node["emphasis"]}


def test_display_all_functions_draws_every_node_and_the_config(dr):
    drawing = dr.display_all_functions(renderer="json")
    assert names(drawing) == {n.name for n in dr.list_available_variables()}
    assert document(drawing)["config"] == {"mode": "fast"}


def test_visualize_execution_draws_what_the_run_needs(dr):
    drawing = dr.visualize_execution(["uses_z"], inputs={"x": 1}, renderer="json")
    # the optional input z, given by nobody, is left out (as in 1.x); y has a default too
    assert names(drawing) == {"uses_z", "a", "x"}
    assert emphasised(drawing, "output") == {"uses_z"}


def test_visualize_execution_stops_at_overrides(dr):
    drawing = dr.visualize_execution(["b"], overrides={"a": 3}, renderer="json")
    assert names(drawing) == {"a", "b"}
    assert emphasised(drawing, "override") == {"a"}


def test_visualize_execution_validates_unless_bypassed(dr):
    with pytest.raises(ValueError, match="Use `bypass_validation=True` to skip validation"):
        dr.visualize_execution(["uses_z"], renderer="json")
    drawing = dr.visualize_execution(["uses_z"], renderer="json", bypass_validation=True)
    assert "x" in names(drawing)  # drawn although missing


def test_display_downstream_of_adds_direct_parents(dr):
    drawing = dr.display_downstream_of("f1", renderer="json")
    downstream = {"f1", "frame", "inner", "wrapped", "wrapped.f1", "wrapped.inner"}
    assert names(drawing) == downstream | {"fields"}  # fields: the direct parent of f1


def test_display_upstream_of_includes_inputs(dr):
    assert names(dr.display_upstream_of("b", renderer="json")) == {"b", "a", "x", "y"}


def test_visualize_path_between_highlights_the_path(dr):
    loose = dr.visualize_path_between("a", "f1", renderer="json")
    assert emphasised(loose, "path") == {"a", "fields", "f1"}
    assert names(loose) == {"a", "fields", "f1", "x", "y"}  # with the path's direct dependencies
    strict = dr.visualize_path_between("a", "f1", strict_path_visualization=True, renderer="json")
    assert names(strict) == {"a", "fields", "f1"}


def test_visualize_path_between_errors(dr):
    with pytest.raises(ValueError, match=r"No path found between f1 and a\."):
        dr.visualize_path_between("f1", "a", renderer="json")
    with pytest.raises(ValueError, match="not found"):
        dr.visualize_path_between("nope", "a", renderer="json")


def test_visualize_materialization_draws_loaders_and_savers(dr, tmp_path):
    drawing = dr.visualize_materialization(
        to.pickle(id="save_total", dependencies=["f1"], path=str(tmp_path / "out.pkl")),
        from_.pickle(target="x", path=str(tmp_path / "in.pkl")),
        additional_vars=["b"],
        renderer="json",
    )
    kinds = {node["name"]: node["kind"] for node in document(drawing)["nodes"]}
    assert kinds["save_total"] == "saver"
    assert [name for name, kind in kinds.items() if kind == "loader"] == ["load_data.x"]
    assert kinds["x"] == "function"  # the node picking the loaded value out, as 1.x draws it
    assert emphasised(drawing, "output") == {"save_total", "b"}
    assert not (tmp_path / "out.pkl").exists()  # drawing runs nothing


def test_output_file_path_writes_the_rendering(dr, tmp_path):
    target = tmp_path / "graph.json"
    drawing = dr.display_all_functions(str(target), renderer="json")
    assert target.read_text(encoding="utf-8") == str(drawing)


def test_graphviz_only_keywords_are_refused_for_other_renderers(dr):
    with pytest.raises(TypeError, match="graphviz_kwargs"):
        dr.display_all_functions(renderer="json", graphviz_kwargs={"graph_attr": {}})
    with pytest.raises(TypeError, match="keep_dot"):
        dr.display_all_functions(renderer="json", keep_dot=True)


def test_unknown_renderer_names_the_extra_to_install(dr):
    with (
        pytest.raises(plugins.PluginNotFoundError, match=r"apache-hamilton\[mermaid\]")
        if not importlib.util.find_spec("hamilton.plugins.viz_mermaid")
        else pytest.raises(plugins.PluginNotFoundError, match="no_such")
    ):
        dr.display_all_functions(
            renderer="mermaid" if not importlib.util.find_spec("hamilton.plugins.viz_mermaid") else "no_such"
        )


class UpperRenderer:
    """A user's renderer passed as an object: only the options it declares reach it."""

    name = "upper"
    media_type = "text/plain"

    def __init__(self):
        self.calls = []

    def render(self, graph, *, run_state=None, view=None, orient="LR"):
        self.calls.append({"orient": orient, "view": view, "run_state": run_state})
        return "\n".join(sorted(node.name.upper() for node in graph.nodes))


def test_a_renderer_object_gets_only_the_options_that_differ_from_defaults(dr):
    renderer = UpperRenderer()
    drawing = dr.display_upstream_of("a", renderer=renderer)
    assert str(drawing) == "A\nX\nY"
    assert renderer.calls[-1]["orient"] == "LR"
    dr.display_upstream_of("a", renderer=renderer, orient="TB")
    assert renderer.calls[-1]["orient"] == "TB"
    with pytest.raises(TypeError):  # an option the renderer does not take is not silently dropped
        dr.display_upstream_of("a", renderer=renderer, hide_inputs=True)


def test_an_object_that_is_not_a_renderer_is_refused(dr):
    with pytest.raises(TypeError, match="lacks"):
        dr.display_all_functions(renderer=object())


@pytest.mark.skipif(GRAPHVIZ_INSTALLED, reason="hamilton-viz-graphviz is installed here")
def test_without_graphviz_drawing_logs_how_to_install_it_and_returns_none(dr, caplog):
    with caplog.at_level(logging.WARNING):
        assert dr.display_all_functions() is None
    assert 'pip install "apache-hamilton[graphviz]"' in caplog.text
    assert dr._repr_mimebundle_() is None


@pytest.mark.skipif(GRAPHVIZ_INSTALLED, reason="hamilton-viz-graphviz is installed here")
def test_display_graph_true_still_runs_without_graphviz(dr):
    with pytest.warns(RemovedInHamilton3Warning, match="display_graph"):
        assert dr.execute(["a"], inputs={"x": 1}, display_graph=True) == {"a": 3}


def test_rendering_object(tmp_path):
    rendering = Rendering("flowchart LR\n  a --> b", "text/vnd.mermaid", "mermaid")
    bundle = rendering._repr_mimebundle_()
    assert bundle["text/vnd.mermaid"] == "flowchart LR\n  a --> b"
    assert bundle["text/markdown"].startswith("```mermaid\n")
    assert bundle["text/plain"] == str(rendering)
    path = rendering.save(tmp_path / "g.mmd")
    with open(path, encoding="utf-8") as file:
        assert file.read() == str(rendering)
    assert [p.name for p in tmp_path.iterdir()] == ["g.mmd"]  # no temporary file left behind
    image = Rendering(b"\x89PNG...", "image/png", "png")
    assert not image.is_text
    assert "bytes" in repr(image)
    assert image._repr_mimebundle_()["image/png"] == b"\x89PNG..."


def test_render_function_draws_a_public_graph(dr):
    graph = HamiltonGraph.from_graph(dr.graph)
    drawing = render(graph, "json")
    assert names(drawing) == {n.name for n in graph.nodes}


def test_run_recorder_shows_a_run():
    recorder = RunRecorder()
    dr = driver.Builder().with_modules(flows).with_config({"mode": "fast"}).with_adapters(recorder).build()
    dr.execute(["b", "f2"], inputs={"x": 1}, overrides={"fields": {"f1": 1, "f2": "o"}})
    state = recorder.run_state
    assert state["x"].status == "input"
    assert state["fields"].status == "overridden"
    assert state["a"].status == "ran"
    assert state["a"].duration >= 0
    drawing = dr.visualize_execution(["b"], inputs={"x": 1}, run_state=state, renderer="json")
    runs = {node["name"]: node.get("run") for node in document(drawing)["nodes"]}
    assert runs["b"]["status"] == "ran"


def test_run_recorder_marks_failures_and_skipped_nodes():
    def boom(x: int) -> int:
        raise RuntimeError("boom")

    def after(boom: int) -> int:
        return boom

    recorder = RunRecorder()
    dr = driver.Builder().with_functions(boom, after).with_adapters(recorder).build()
    with pytest.raises(RuntimeError):
        dr.execute(["after"], inputs={"x": 1})
    assert recorder.run_state["boom"].status == "failed"
    assert "RuntimeError: boom" in recorder.run_state["boom"].error
    assert recorder.run_state["after"].status == "skipped"


def test_run_recorder_counts_parallel_instances():
    recorder = RunRecorder()
    dr = (
        driver.Builder()
        .with_modules(flows)
        .with_config({"mode": "fast"})
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_adapters(recorder)
        .build()
    )
    assert dr.execute(["total"], inputs={"x": 1})["total"] == sum(i * i for i in range(6))
    assert recorder.run_state["sq"].instances == 6
    assert recorder.run_state["total"].status == "ran"


def test_drawing_keeps_driver_import_lean():
    import subprocess
    import sys

    code = "import sys, hamilton.driver; print('hamilton.rendering' in sys.modules)"
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
        == "False"
    )


def test_node_run_state_rejects_unknown_status():
    with pytest.raises(ValueError, match="Unknown node status"):
        NodeRunState("exploded")


def test_drawing_checks_only_the_inputs_not_the_executor(dr):
    # 1.x draws Parallelizable graphs on a driver that could not run them (no dynamic execution).
    drawing = dr.visualize_execution(["total"], inputs={"x": 1}, renderer="json")
    assert {"items", "sq", "total"} <= names(drawing)
    with pytest.raises(Exception, match=r"Parallelizable|dynamic"):
        dr.execute(["total"], inputs={"x": 1})
