"""The driver's drawing methods with the graphviz renderer, called the way users call them."""

from __future__ import annotations

import graphviz
import gv_flows
import pytest
from conftest import needs_dot

from hamilton import driver
from hamilton.io.materialization import from_, to

FUNCTION_LOOK = {
    "shape": "rectangle",
    "style": "rounded,filled",
    "fillcolor": "#b4d8e4",
    "fontname": "Helvetica",
    "margin": "0.15",
}


def look(node: dict, *keys: str) -> dict:
    return {key: node.get(key) for key in keys or FUNCTION_LOOK}


# -- display_all_functions ---------------------------------------------------------------------


def test_display_all_functions_returns_a_digraph_with_every_node(dr, svg):
    dot = dr.display_all_functions()
    assert isinstance(dot, graphviz.Digraph)
    drawn = svg(dot)
    computed = {n.name for n in dr.list_available_variables() if not n.is_external_input}
    assert computed <= drawn.titles
    assert {"x", "y", "z"}.isdisjoint(drawn.titles)  # inputs live in tables
    assert {"_a_inputs", "_uses_z_inputs", "mode"} <= drawn.titles
    assert dot.source.startswith("// Dependency Graph\n")


def test_the_look_of_each_kind_is_1x(dr, layout):
    nodes = layout(dr.display_all_functions()).nodes
    assert look(nodes["a"]) == FUNCTION_LOOK
    assert look(nodes["mode"], "shape", "style") == {"shape": "note", "style": "filled"}
    assert look(nodes["_a_inputs"], "shape", "style") == {"shape": "rectangle", "style": "filled,dashed"}
    assert look(nodes["items"], "peripheries", "color") == {"peripheries": "2", "color": "#56E39F"}
    assert look(nodes["total"], "peripheries", "color") == {"peripheries": "2", "color": "#EA5556"}


def test_labels_show_name_type_config_keys_and_display_name(dr, svg):
    drawn = svg(dr.display_all_functions())
    assert drawn.texts["a"] == ["a", "int"]
    assert drawn.texts["b"] == ["b: mode", "int"]  # chosen by @config.when(mode=...)
    assert drawn.texts["sq"] == ["Square it", "int"]  # the display_name tag
    assert drawn.texts["mode"] == ["mode", "fast"]  # a config value
    assert drawn.texts["items"] == ["items", "Parallelizable"]


def test_input_tables_list_each_input_and_its_type(dr, svg):
    assert svg(dr.display_all_functions()).texts["_a_inputs"] == ["x", "int", "y", "int"]


def test_parallel_edges_fan_out_and_collect(dr, layout):
    edges = layout(dr.display_all_functions()).edges
    assert look(edges[("items", "sq")], "dir", "arrowhead", "arrowtail") == {
        "dir": "both",
        "arrowhead": "crow",
        "arrowtail": "none",
    }
    assert look(edges[("sq", "total")], "dir", "arrowtail") == {"dir": "both", "arrowtail": "crow"}
    assert "dir" not in edges[("a", "b")]


def test_schema_fields_in_a_dashed_cluster(dr, layout):
    drawn = layout(dr.display_all_functions())
    members = drawn.cluster_members("cluster_frame")
    assert "frame" in members
    assert {name.strip() for name in members - {"frame"}} == {"frame:col1=int", "frame:column_two=float"}
    assert drawn.clusters["cluster_frame"]["style"] == "rounded,filled,dashed"
    field = next(drawn.nodes[name] for name in members if name.startswith("frame:col1"))
    assert look(field, "fontname", "fillcolor") == {"fontname": "Courier", "fillcolor": "#c8dae0"}
    hidden = layout(dr.display_all_functions(show_schema=False))
    assert "cluster_frame" not in hidden.clusters
    assert "field" not in hidden.legend


def test_subdag_nodes_keep_their_namespaced_names(dr, svg, layout):
    dot = dr.display_all_functions()
    assert {"wrapped.f1", "wrapped.inner", "wrapped"} <= svg(dot).titles
    assert ("wrapped.inner", "wrapped") in layout(dot).edges


def test_legend_lists_only_the_classes_present(dr, layout):
    assert layout(dr.display_all_functions()).legend == [
        "config",
        "input",
        "function",
        "cluster",
        "field",
        "expand",
        "collect",
    ]
    small = layout(dr.display_upstream_of("b", show_schema=False))
    assert small.legend == ["config", "input", "function"]
    assert "cluster__legend" not in layout(dr.display_all_functions(show_legend=False)).clusters


def test_a_node_named_like_a_legend_entry_stays_a_node():
    def function(x: int) -> int:
        return x

    def input(function: int) -> int:
        return function

    dot = driver.Builder().with_functions(function, input).build().display_all_functions()
    assert dot.source.count("\tfunction [") == 1
    assert dot.source.count("\tinput [") == 1


def test_orient_and_graphviz_kwargs(dr, layout):
    assert layout(dr.display_all_functions(orient="TB")).graph["rankdir"] == "TB"
    merged = layout(dr.display_all_functions(graphviz_kwargs={"graph_attr": {"bgcolor": "grey"}}))
    assert merged.graph["bgcolor"] == "grey"
    assert merged.graph["rankdir"] == "LR"  # nested attributes are updated, not replaced
    assert merged.graph["concentrate"] == "true"
    winner = dr.display_all_functions(orient="TB", graphviz_kwargs={"graph_attr": {"rankdir": "RL"}})
    assert layout(winner).graph["rankdir"] == "RL"
    named = dr.display_all_functions(graphviz_kwargs={"name": "flow", "node_attr": {"fontsize": "9"}})
    assert named.name == "flow"
    assert named.node_attr == {"fillcolor": "#ffffff", "fontsize": "9"}


def test_hide_inputs_and_deduplicate_inputs(dr, svg):
    assert not any(title.endswith("_inputs") for title in svg(dr.display_all_functions(hide_inputs=True)).titles)
    shared = svg(dr.display_all_functions(deduplicate_inputs=True)).titles
    assert "_a_inputs" in shared
    assert "_twin_inputs" not in shared  # twin reads the same x, y: it shares a's table
    assert {"_a_inputs", "_twin_inputs"} <= svg(dr.display_all_functions()).titles


def test_shared_input_table_feeds_both_consumers(dr, layout):
    edges = layout(dr.display_all_functions(deduplicate_inputs=True)).edges
    assert {("_a_inputs", "a"), ("_a_inputs", "twin")} <= set(edges)


# -- custom styles -----------------------------------------------------------------------------


def _highlight(*, node, node_class):
    if node.name == "a":
        return {"fillcolor": "aquamarine"}, node_class, "legend_a"
    return {}, node_class, None


def test_custom_style_function_styles_nodes_and_adds_legend_entries(dr, layout):
    drawn = layout(dr.display_all_functions(custom_style_function=_highlight))
    assert drawn.nodes["a"]["fillcolor"] == "aquamarine"
    assert drawn.nodes["b"]["fillcolor"] == "#b4d8e4"
    assert drawn.legend[-1] == "legend_a"
    assert drawn.nodes["_legend_legend_a"]["fillcolor"] == "aquamarine"


def test_custom_style_function_gets_hamilton_nodes_and_1x_node_class(dr):
    seen = []

    def record(*, node, node_class):
        seen.append((node.name, node_class, type(node).__name__))
        return {}, None, None

    dr.display_all_functions(custom_style_function=record)
    assert ("a", "function", "HamiltonNode") in seen
    assert ("items", "function", "HamiltonNode") in seen


def test_emphasis_wins_over_custom_styles(dr, layout):
    dot = dr.visualize_execution(["a"], inputs={"x": 1}, custom_style_function=_highlight)
    assert layout(dot).nodes["a"]["fillcolor"] == "#FFC857"  # outputs stay visible


def test_custom_style_function_must_be_keyword_only(dr):
    def positional(node, node_class):
        return {}, None, None

    with pytest.raises(
        ValueError, match=r"custom_style_function must only take keyword arguments `node` and `node_class`"
    ):
        dr.display_all_functions(custom_style_function=positional)
    with pytest.raises(ValueError, match=r"def custom_style\(\*,"):
        dr.display_all_functions(custom_style_function=lambda node, node_class: ({}, None, None))
    # keyword-only, **kwargs, or extra parameters with defaults are fine (as in 1.x)
    dr.display_all_functions(custom_style_function=lambda **kwargs: ({}, None, None))
    dr.display_all_functions(custom_style_function=lambda *, node, node_class, extra=1: ({}, None, None))


def test_custom_style_function_returning_the_wrong_shape_says_so(dr):
    with pytest.raises(TypeError, match=r"must return a tuple \(style dict, base class or None, legend name or None\)"):
        dr.display_all_functions(custom_style_function=lambda **kwargs: {"fillcolor": "red"})


# -- visualize_execution -----------------------------------------------------------------------


def test_visualize_execution_emphasises_outputs(dr, layout, svg):
    dot = dr.visualize_execution(["total", "frame"], inputs={"x": 1})
    drawn = layout(dot)
    assert drawn.nodes["total"]["fillcolor"] == "#FFC857"
    assert drawn.nodes["frame"]["fillcolor"] == "#FFC857"
    assert drawn.nodes["a"]["fillcolor"] == "#b4d8e4"
    assert "output" in drawn.legend
    titles = svg(dot).titles
    assert "uses_z" not in titles  # not needed for these outputs
    assert "f2" not in titles
    assert svg(dot).texts["_a_inputs"] == ["x", "int"]  # the optional y was not given: left out, as in 1.x


def test_visualize_execution_accepts_functions_as_outputs(dr, layout):
    assert "uses_z" in layout(dr.visualize_execution([gv_flows.uses_z], inputs={"x": 1})).nodes


def test_overrides_are_drawn_with_diagonals(dr, layout):
    drawn = layout(dr.visualize_execution(["b"], inputs={"x": 1}, overrides={"a": 3}))
    assert drawn.nodes["a"]["style"] == "filled,diagonals"
    assert drawn.nodes["b"]["fillcolor"] == "#FFC857"
    assert "_a_inputs" not in drawn.nodes  # an overridden node needs no inputs
    assert "override" in drawn.legend


def test_validation_failure_mentions_bypass_validation(dr):
    with pytest.raises(ValueError, match=r"Required input x not provided") as error:
        dr.visualize_execution(["a"])
    assert str(error.value).endswith("; Use `bypass_validation=True` to skip validation")


def test_bypass_validation_draws_the_request_anyway(dr, svg):
    drawn = svg(dr.visualize_execution(["a"], bypass_validation=True))
    assert "a" in drawn.titles
    assert drawn.texts["_a_inputs"][:2] == ["x", "int"]


# -- upstream, downstream, paths ---------------------------------------------------------------


def test_display_downstream_of_adds_direct_parents(dr, svg):
    titles = svg(dr.display_downstream_of("f1", show_legend=False)).titles
    assert {"f1", "frame", "inner", "wrapped.f1", "wrapped.inner", "wrapped", "fields"} <= titles
    assert "a" not in titles
    assert "total" not in titles


def test_display_upstream_of_includes_inputs(dr, svg):
    drawn = svg(dr.display_upstream_of("b", show_legend=False))
    assert {"a", "b", "_a_inputs"} <= drawn.titles
    assert "fields" not in drawn.titles
    assert "_a_inputs" not in svg(dr.display_upstream_of("b", hide_inputs=True)).titles


def test_visualize_path_between_highlights_the_path_in_red(dr, layout):
    drawn = layout(dr.visualize_path_between("a", "f1", show_legend=False))
    for name in ("a", "fields", "f1"):
        assert drawn.nodes[name]["color"] == "red"
    assert drawn.edges[("a", "fields")]["color"] == "red"
    assert drawn.edges[("fields", "f1")]["color"] == "red"
    assert "_a_inputs" in drawn.nodes
    assert "color" not in drawn.edges[("_a_inputs", "a")]


def test_path_keeps_the_colour_of_parallel_nodes(dr, layout):
    drawn = layout(dr.visualize_path_between("items", "total"))
    assert drawn.nodes["items"]["color"] == "#56E39F"
    assert drawn.nodes["sq"]["color"] == "red"
    assert drawn.edges[("sq", "total")]["color"] == "red"
    assert "path" in drawn.legend


def test_strict_path_visualization_draws_only_the_path(dr, svg):
    titles = svg(dr.visualize_path_between("a", "f1", strict_path_visualization=True, show_legend=False)).titles
    assert titles == {"a", "fields", "f1", "mode"}  # not even a's inputs, as in 1.x


def test_no_path_raises(dr):
    with pytest.raises(ValueError, match="No path found between f1 and b"):
        dr.visualize_path_between("f1", "b")


# -- materializers -----------------------------------------------------------------------------


def test_materializers_are_cylinders_and_savers_outputs(dr, layout, svg, tmp_path):
    dot = dr.visualize_materialization(
        to.pickle(id="save_total", dependencies=["total"], path=str(tmp_path / "total.pkl")),
        from_.pickle(target="x", path=str(tmp_path / "x.pkl")),
        inputs={},
    )
    drawn = layout(dot)
    assert drawn.nodes["save_total"]["shape"] == "cylinder"
    assert drawn.nodes["save_total"]["fillcolor"] == "#FFC857"
    assert drawn.nodes["load_data.x"]["shape"] == "cylinder"
    assert drawn.nodes["x"]["shape"] == "rectangle"  # the value the loader feeds in: a function (1.x)
    assert ("load_data.x", "x") in drawn.edges
    assert ("total", "save_total") in drawn.edges
    assert "materializer" in drawn.legend
    texts = svg(dot).texts
    assert texts["save_total"] == ["save_total", "PickleSaver"]
    assert texts["load_data.x"] == ["load_data.x", "PickleLoader"]
    assert texts["x"] == ["x", "int"]


def test_additional_vars_are_outputs_too(dr, layout, tmp_path):
    saver = to.pickle(id="save_a", dependencies=["a"], path=str(tmp_path / "a.pkl"))
    drawn = layout(dr.visualize_materialization(saver, additional_vars=["f2"], inputs={"x": 1}))
    assert drawn.nodes["f2"]["fillcolor"] == "#FFC857"
    assert drawn.nodes["save_a"]["fillcolor"] == "#FFC857"
    assert drawn.nodes["a"]["fillcolor"] == "#b4d8e4"


def test_visualize_materialization_validates_like_materialize(dr, tmp_path):
    saver = to.pickle(id="save_a", dependencies=["a"], path=str(tmp_path / "a.pkl"))
    with pytest.raises(ValueError, match=r"; Use `bypass_validation=True` to skip validation$"):
        dr.visualize_materialization(saver)
    assert "save_a" in dr.visualize_materialization(saver, bypass_validation=True).source


# -- other renderers and keywords --------------------------------------------------------------


def test_renderer_can_be_named(dr):
    assert isinstance(dr.display_all_functions(renderer="graphviz"), graphviz.Digraph)


def test_unknown_options_are_rejected():
    from hamilton.graph_types import HamiltonGraph
    from hamilton.plugins.viz_graphviz import GraphvizRenderer

    with pytest.raises(TypeError):
        GraphvizRenderer().display(HamiltonGraph(nodes=[]), no_such_option=True)


# -- notebooks ---------------------------------------------------------------------------------


@needs_dot
def test_the_digraph_shows_itself_in_notebooks(dr):
    bundle = dr.display_all_functions()._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"]


@needs_dot
def test_the_driver_shows_its_graph_in_notebooks(dr):
    bundle = dr._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"]
    assert "Square it" in bundle["image/svg+xml"]
