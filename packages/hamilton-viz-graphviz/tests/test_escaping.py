"""Awkward names, labels and docstrings: drawn exactly and safely (no DOT or HTML injection)."""

from __future__ import annotations

import graphviz
import pytest
from conftest import Svg, needs_dot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hamilton import driver
from hamilton.function_modifiers import tag
from hamilton.graph import Graph
from hamilton.graph_types import HamiltonGraph
from hamilton.node import Node
from hamilton.plugins.viz_graphviz import GraphvizRenderer

AWKWARD = [
    'quoted "name"',
    "total [€]",
    "x:y",  # would be node x, port y in an edge statement
    "<b>bold</b>",  # would be an HTML string if unquoted
    "a & b; c=d {e}",
    "node",  # a DOT keyword
    "ünïcödé π∑ 😀",
    "ends with backslash \\",
    'backslash before quote \\"',
    "\\N \\G \\L",  # graphviz's escape sequences
    "-4.2",  # a DOT numeral
    "%3",  # graphviz's name for an anonymous node
    "line\nbreak",
]


def dot_title(name: str) -> str:
    """What SVG shows as a node's title: its DOT identifier (backslashes doubled, a backslash
    before a leading %, which graphviz reserves for anonymous nodes)."""
    title = name.replace("\\", "\\\\")
    return "\\" + title if title.startswith("%") else title


def awkward_graph() -> HamiltonGraph:
    nodes = [
        Node(name, int, f"Doc of {name} with <i>tags</i> & \\N", callabl=lambda **kw: 0, input_types={})
        for name in AWKWARD
    ]
    nodes.append(Node("sink", int, "", callabl=lambda **kw: 0, input_types=dict.fromkeys(AWKWARD, int)))
    nodes.append(Node("reads", int, "", callabl=lambda **kw: 0, input_types={'in "put" <x>': str}))
    return HamiltonGraph.from_graph(Graph.from_nodes(nodes))


def test_awkward_names_render_and_every_node_and_edge_is_kept(svg, layout):
    dot = GraphvizRenderer().digraph(awkward_graph())
    drawn, edges = svg(dot), layout(dot).edges
    assert "sink" in drawn.titles
    for name in AWKWARD:
        assert dot_title(name) in drawn.titles
        assert (dot_title(name), "sink") in edges
    assert "x" not in drawn.titles  # "x:y" was not split into a node and a port


def test_labels_show_the_names_exactly(svg):
    drawn = svg(GraphvizRenderer().digraph(awkward_graph()))
    for name in AWKWARD:
        label = drawn.texts[dot_title(name)][0]
        assert label == name.replace("\n", " "), name  # a line break in a label is shown as a space
    assert drawn.texts["_reads_inputs"] == ['in "put" <x>', "str"]


def test_docstrings_become_literal_tooltips(svg):
    drawn = svg(GraphvizRenderer().digraph(awkward_graph()))
    tooltip = drawn.tooltips[dot_title("<b>bold</b>")]
    # backslashes are shown as U+29F5, so graphviz expands no \N
    assert tooltip == "Doc of <b>bold</b> with <i>tags</i> & \u29f5N"


def test_html_in_docstrings_and_display_names_is_text_not_markup(svg):
    @tag(display_name="<font color='red'>Danger</font> & \"co\"")
    def shown(x: int) -> int:
        """<script>alert('x')</script> &amp; ]]> <!-- -->"""
        return x

    dot = driver.Builder().with_functions(shown).build().display_all_functions()
    drawn = svg(dot)
    assert drawn.texts["shown"][0] == "<font color='red'>Danger</font> & \"co\""
    assert drawn.tooltips["shown"] == "<script>alert('x')</script> &amp; ]]> <!-- -->"
    assert "<script>" not in dot.source
    assert "<font color" not in dot.source


def test_control_characters_do_not_break_the_svg(svg):
    graph = HamiltonGraph.from_graph(
        Graph.from_nodes([Node("bell\x07", int, "doc\x00with nul", callabl=lambda **kw: 0, input_types={})])
    )
    drawn = svg(GraphvizRenderer().digraph(graph))  # parsing the SVG would fail on a raw control char
    assert drawn.texts["bell\u2407"][0] == "bell\u2407"


def test_config_values_are_escaped(svg):
    def f(x: int) -> int:
        return x

    dot = driver.Builder().with_functions(f).with_config({"key<&>": '"value" <b>'}).build().display_all_functions()
    assert svg(dot).texts["key<&>"] == ["key<&>", '"value" <b>']


def test_long_type_names_are_cut_like_1x():
    from hamilton.plugins._graphviz_styles import node_label

    label = node_label("n", "T" * 200)
    assert "T" * 80 + "[...]" in label
    assert "T" * 81 not in label


# -- property: any names from a wide alphabet ---------------------------------------------------

NAME_CHARS = st.characters(
    codec="utf-8",
    categories=("L", "M", "N", "P", "S", "Zs"),
    include_characters="\\\"'<>&:;[]{}=\t",
)


@st.composite
def awkward_dags(draw):
    names = draw(st.lists(st.text(NAME_CHARS, min_size=1, max_size=10), min_size=1, max_size=8, unique=True))
    nodes = []
    for index, name in enumerate(names):
        parents = draw(st.lists(st.sampled_from(names[:index]), unique=True, max_size=3)) if index else []
        inputs = dict.fromkeys(parents, int)
        if draw(st.booleans()):
            inputs[f"input {name}"] = int
        doc = draw(st.text(NAME_CHARS, max_size=20))
        nodes.append(Node(name, int, doc, callabl=lambda **kw: 0, input_types=inputs))
    return HamiltonGraph.from_graph(Graph.from_nodes(nodes))


@needs_dot
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])  # runs `dot`
@given(awkward_dags())
def test_any_names_give_dot_that_graphviz_accepts_with_every_node(graph):
    dot = GraphvizRenderer().digraph(graph)
    drawn = Svg(dot)  # dot accepts it and produces well-formed SVG
    for node in graph.nodes:
        if not node.is_external_input:
            assert dot_title(node.name) in drawn.titles
            shown = drawn.texts[dot_title(node.name)][0].replace("\xa0", " ")  # blank names: no-break spaces
            assert shown.split() == node.name.split()


@needs_dot
def test_dot_rejects_a_label_we_would_not_escape():
    """The property above means something: unescaped HTML does break `dot`."""
    broken = graphviz.Digraph()
    broken.node("n", label="<<b>unclosed>")
    with pytest.raises(graphviz.CalledProcessError):
        broken.pipe(format="svg", quiet=True)


def test_a_node_named_by_a_lone_bracket_draws():
    # dot's HTML-label parser rejects a label text that is a lone "]" (found by the fuzz test above)
    from hamilton import driver
    from hamilton.graph import Graph
    from hamilton.node import Node

    graph = Graph.from_nodes([Node("]", int, callabl=lambda: 1, input_types={})])
    dot = driver.Builder().with_graph(graph).build().display_all_functions()
    assert "<b>&#93;</b>" in dot.source
    Svg(dot)  # dot accepts it
