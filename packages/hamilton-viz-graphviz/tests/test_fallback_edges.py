"""@fallback in graphviz drawings: guarded and source edges, their labels, the legend, tooltips."""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET

import pytest
from conftest import SVG

from hamilton import driver
from hamilton.function_modifiers import fallback, source, value
from hamilton.function_modifiers.fallbacks import FallbackTag
from hamilton.graph import Graph
from hamilton.graph_types import HamiltonGraph
from hamilton.node import Node
from hamilton.plugins import _graphviz_styles as styles
from hamilton.plugins.viz_graphviz import GraphvizRenderer
from hamilton.rendering import GraphView

FALLBACK_TAG = "hamilton.fallback"
ORANGE = styles.FALLBACK_COLOR


def fallback_tag(**spec: tuple[str, object]) -> FallbackTag:
    """The tag @fallback writes, for nodes made by hand."""
    return FallbackTag(spec)


SHOP_SPEC = {"price": ("source", "cached_price"), "qty": ("value", 1)}


def shop(tag: str) -> HamiltonGraph:
    def fn(**kwargs: object) -> float:
        return 0.0

    nodes = [
        Node("price", float, "", callabl=fn, input_types={"ticker": str}),
        Node("cached_price", float, "", callabl=fn, input_types={"ticker": str}),
        Node("qty", int, "", callabl=fn, input_types={}),
        Node(
            "total",
            float,
            "Price times quantity.",
            callabl=fn,
            input_types={"price": float, "qty": int, "cached_price": float},
            tags={FALLBACK_TAG: tag},
        ),
        Node("report", str, "", callabl=fn, input_types={"total": float}),
    ]
    return HamiltonGraph.from_graph(Graph.from_nodes(nodes))


def look(edge: dict, *keys: str) -> dict:
    """Some attributes of an edge as `dot` read them (a label unescaped; none reads "")."""
    found = {key: edge.get(key) for key in keys}
    if "label" in found:
        found["label"] = html.unescape(found["label"] or "")
    return found


def edge_texts(dot) -> dict[str, list[str]]:
    """The texts `dot` writes along each edge (its label), by the edge's SVG title."""
    root = ET.fromstring(dot.pipe(format="svg"))
    texts = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "edge":
            texts[group.findtext(f"{SVG}title")] = [text.text or "" for text in group.iter(f"{SVG}text")]
    return texts


@pytest.mark.parametrize(
    "tag", [fallback_tag(**SHOP_SPEC), "price=source(cached_price); qty=value(1)"], ids=["decorator", "text"]
)
def test_guarded_edges_are_dashed_and_the_source_edge_dotted_both_labelled(layout, tag):
    """The decorator's tag, and the same text without ``.spec`` (a graph read back from elsewhere)."""
    edges = layout(GraphvizRenderer().digraph(shop(tag))).edges
    assert look(edges["price", "total"], "style", "color", "label") == {
        "style": "dashed",
        "color": ORANGE,
        "label": "fallback: source(cached_price)",
    }
    assert look(edges["qty", "total"], "style", "color", "label") == {
        "style": "dashed",
        "color": ORANGE,
        "label": "fallback: value(1)",
    }
    assert look(edges["cached_price", "total"], "style", "arrowhead", "color", "label") == {
        "style": "dotted",
        "arrowhead": "empty",
        "color": ORANGE,
        "label": "fallback for price",
    }
    assert look(edges["total", "report"], "style", "color", "label") == {"style": None, "color": None, "label": ""}


def test_labels_are_drawn_along_the_edges(svg):
    texts = edge_texts(GraphvizRenderer().digraph(shop(fallback_tag(**SHOP_SPEC))))
    assert texts["price->total"] == ["fallback: source(cached_price)"]
    assert texts["qty->total"] == ["fallback: value(1)"]
    assert texts["cached_price->total"] == ["fallback for price"]
    assert texts["total->report"] == []


def test_the_legend_shows_a_sample_of_each_fallback_edge_present(layout):
    drawn = layout(GraphvizRenderer().digraph(shop(fallback_tag(**SHOP_SPEC))))
    assert drawn.legend == ["input", "function", "fallback", "", "fallback source", ""]
    assert look(drawn.edges["_legend_fallback", "_legend_fallback:end"], "style", "color") == {
        "style": "dashed",
        "color": ORANGE,
    }
    sample = drawn.edges["_legend_fallback source", "_legend_fallback source:end"]
    assert look(sample, "style", "arrowhead") == {"style": "dotted", "arrowhead": "empty"}
    assert drawn.nodes["_legend_fallback:end"]["style"] == "invis"
    only_values = layout(GraphvizRenderer().digraph(shop(fallback_tag(qty=("value", 1))))).legend
    assert only_values == ["input", "function", "fallback", ""]
    assert "cluster__legend" not in layout(GraphvizRenderer().digraph(shop(""), show_legend=False)).clusters


def test_the_legend_of_a_graph_with_nothing_but_fallback_edges_is_drawn(layout):
    """Every legend entry may be an edge sample: the legend is still drawn (hide_inputs, no boxes listed)."""
    source = GraphvizRenderer().render(shop(fallback_tag(qty=("value", 1))), hide_inputs=True)
    assert "_legend_fallback ->" in source


def test_a_highlighted_path_keeps_its_colour_and_the_fallback_its_dashes(layout):
    view = GraphView(path=frozenset({"qty", "total"}))
    edges = layout(GraphvizRenderer().digraph(shop(fallback_tag(**SHOP_SPEC)), view=view)).edges
    assert look(edges["qty", "total"], "style", "color", "label") == {
        "style": "dashed",
        "color": "red",
        "label": "fallback: value(1)",
    }
    assert edges["price", "total"]["color"] == ORANGE


def test_the_tooltip_names_the_fallback(svg):
    drawn = svg(GraphvizRenderer().digraph(shop(fallback_tag(**SHOP_SPEC))))
    assert drawn.tooltips["total"] == "Price times quantity.\n\nfallback: price=source(cached_price); qty=value(1)"
    assert "price" not in drawn.tooltips


def test_awkward_fallback_text_is_shown_literally(svg):
    """Quotes, HTML, ampersands, braces and graphviz's escapes (``\\N``) in a value or a source name."""
    value = '<i>"q"</i> & \\N {x}'
    tag = f"qty=value({value}); price=source(cached_price)"
    dot = GraphvizRenderer().digraph(shop(tag))
    texts = edge_texts(dot)
    assert texts["qty->total"] == [f"fallback: value({value})"]
    # tooltips show backslashes as a look-alike (U+29F5), as for docstrings
    assert svg(dot).tooltips["total"] == f"Price times quantity.\n\nfallback: {tag}".replace("\\", "\u29f5")


def test_long_values_are_cut_on_the_edge(layout):
    edges = layout(GraphvizRenderer().digraph(shop(fallback_tag(qty=("value", "v" * 200))))).edges
    assert look(edges["qty", "total"], "label")["label"] == "fallback: value('" + "v" * 26 + "...)"


@pytest.mark.parametrize("tag", ["", "garbage", "qty=value(1", "qty=maybe(1)", "qty=source()"])
def test_unreadable_tags_draw_plain_edges(layout, tag):
    drawn = layout(GraphvizRenderer().digraph(shop(tag)))
    assert all(look(edge, "label", "style") == {"label": "", "style": None} for edge in drawn.edges.values())
    assert "fallback" not in drawn.legend


def test_a_custom_style_function_leaves_fallback_edges_alone(layout):
    def custom(*, node, node_class):
        return {"fillcolor": "pink"}, node_class, None

    drawn = layout(GraphvizRenderer().digraph(shop(fallback_tag(**SHOP_SPEC)), custom_style_function=custom))
    assert drawn.nodes["total"]["fillcolor"] == "pink"
    assert drawn.edges["qty", "total"]["style"] == "dashed"


def test_a_drawing_with_fallbacks_writes_an_image(dot_program, tmp_path):
    from hamilton.plugins.viz_graphviz import write_image

    dot = GraphvizRenderer().digraph(shop(fallback_tag(**SHOP_SPEC)), orient="TB")
    path = write_image(dot, tmp_path / "shop.svg", None, keep_dot=False)
    with open(path, encoding="utf-8") as image:
        assert "fallback for price" in image.read()


# -- through the driver, with the decorator ------------------------------------------------------


def price(ticker: str) -> float:
    raise ConnectionError("price feed down")


def cached_price(ticker: str) -> float:
    return 2.0


def qty() -> int:
    return 3


@fallback(price=source("cached_price"), qty=value(1))
def total(price: float, qty: int) -> float:
    """Price times quantity."""
    return price * qty


def report(total: float) -> str:
    return f"{total:.1f}"


@pytest.fixture
def recovering() -> driver.Driver:
    return driver.Builder().with_functions(price, cached_price, qty, total, report).build()


def test_display_all_functions_draws_the_decorator_s_fallbacks(recovering, layout, svg):
    dot = recovering.display_all_functions()
    drawn = layout(dot)
    assert look(drawn.edges["price", "total"], "style", "label") == {
        "style": "dashed",
        "label": "fallback: source(cached_price)",
    }
    assert look(drawn.edges["qty", "total"], "style", "label") == {"style": "dashed", "label": "fallback: value(1)"}
    assert look(drawn.edges["cached_price", "total"], "style", "label") == {
        "style": "dotted",
        "label": "fallback for price",
    }
    assert drawn.legend[-4:] == ["fallback", "", "fallback source", ""]
    assert svg(dot).tooltips["total"].endswith("fallback: price=source(cached_price); qty=value(1)")


def test_visualize_execution_of_a_run_that_fell_back(layout):
    from hamilton.rendering import RunRecorder

    recorder = RunRecorder()
    dr = driver.Builder().with_functions(price, cached_price, qty, total, report).with_adapters(recorder).build()
    with pytest.warns(UserWarning, match="price"):
        dr.execute(["report"], inputs={"ticker": "X"})
    drawn = layout(dr.visualize_execution(["report"], inputs={"ticker": "X"}, run_state=recorder.run_state))
    assert drawn.nodes["price"]["fillcolor"] == "#F28B82"  # failed
    assert drawn.edges["price", "total"]["style"] == "dashed"
    assert "failed" in drawn.legend
    assert "fallback" in drawn.legend


def test_display_downstream_of_the_source_marks_only_what_is_drawn(recovering, layout):
    drawn = layout(recovering.display_downstream_of("cached_price"))
    assert look(drawn.edges["cached_price", "total"], "style", "label") == {
        "style": "dotted",
        "label": "fallback for price",
    }
    assert ("price", "total") in drawn.edges  # direct parents are drawn too
