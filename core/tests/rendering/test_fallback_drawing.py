"""@fallback in the presentation model: which edges it marks, and how a drawing reads its tag."""

from __future__ import annotations

import json
import warnings

import fallback_flows
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hamilton import driver
from hamilton.function_modifiers import InvalidDecoratorException, fallback, source, value
from hamilton.function_modifiers.fallbacks import FallbackTag
from hamilton.graph_types import HamiltonGraph, HamiltonNode
from hamilton.rendering import GraphView, RunRecorder, build_diagram
from hamilton.rendering.model import (
    EDGE_STYLES,
    FALLBACK_TAG,
    Fallback,
    fallback_edges,
    fallbacks_of,
    parse_fallback_text,
)


class FallbackText(str):
    """A tag value as another implementation might write it: text, and a ``.spec`` of its own."""

    spec: object


def fallback_tag(**spec: tuple[str, object]) -> FallbackTag:
    """The tag @fallback writes, for nodes made by hand."""
    return FallbackTag(spec)


def node(name: str, *deps: str, tag: str | None = None, role: str = "standard", optional=()) -> HamiltonNode:
    return HamiltonNode(
        name=name,
        type=float,
        tags={FALLBACK_TAG: tag} if tag is not None else {},
        required_dependencies=set(deps),
        optional_dependencies=set(optional),
        role=role,
    )


def shop(tag: str) -> HamiltonGraph:
    """price and qty feed total, which falls back; cached_price is the fallback's source."""
    return HamiltonGraph(
        nodes=[
            HamiltonNode(name="ticker", type=str, is_external_input=True),
            node("price", "ticker"),
            node("cached_price", "ticker"),
            node("qty"),
            node("total", "price", "qty", "cached_price", tag=tag),
            node("report", "total"),
        ]
    )


SHOP_SPEC = {"price": ("source", "cached_price"), "qty": ("value", 1)}


def marks(diagram) -> dict[tuple[str, str], tuple[str, str]]:
    return {(e.source, e.target): (e.fallback, e.label) for e in diagram.edges}


def test_edges_from_guarded_producers_and_from_the_source_are_marked():
    diagram = build_diagram(shop(fallback_tag(**SHOP_SPEC)))
    assert marks(diagram) == {
        ("price", "total"): ("guarded", "fallback: source(cached_price)"),
        ("qty", "total"): ("guarded", "fallback: value(1)"),
        ("cached_price", "total"): ("source", "fallback for price"),
        ("total", "report"): ("", ""),
    }
    edges = {(e.source, e.target): e for e in diagram.edges}
    assert edges["price", "total"].style == "fallback-guarded"
    assert edges["cached_price", "total"].style == "fallback-source"
    assert edges["total", "report"].style is None
    assert all(e.kind == "plain" for e in diagram.edges)
    assert not diagram.plain_edges  # renderers must look at each edge
    assert diagram.edge_legend == EDGE_STYLES == ("fallback-guarded", "fallback-source")
    assert diagram.input_edges == (("_price_inputs", "price"), ("_cached_price_inputs", "cached_price"))


def test_a_value_fallback_alone_needs_no_source_legend_entry():
    diagram = build_diagram(shop(fallback_tag(qty=("value", 1))))
    assert marks(diagram)["cached_price", "total"] == ("", "")  # a plain input again
    assert marks(diagram)["price", "total"] == ("", "")
    assert diagram.edge_legend == ("fallback-guarded",)


def test_graphs_without_fallbacks_have_no_edge_legend():
    diagram = build_diagram(HamiltonGraph(nodes=[node("a"), node("b", "a")]))
    assert diagram.plain_edges
    assert diagram.edge_legend == ()
    assert all(e.fallback == "" and e.label == "" for e in diagram.edges)


def test_a_plain_string_tag_is_read_like_the_decorators():
    """A graph read back from elsewhere keeps the tag's text but not its ``.spec``."""
    with_spec = build_diagram(shop(fallback_tag(**SHOP_SPEC)))
    plain = build_diagram(shop("price=source(cached_price); qty=value(1)"))
    assert marks(plain) == marks(with_spec)
    quoted = build_diagram(shop('price=source("cached_price"); qty=value(1)'))
    assert marks(quoted) == marks(with_spec)


@pytest.mark.parametrize(
    "tag",
    ["", "nonsense", "price=value(0.0", "price=guess(1)", "=value(1)", "price=source()", "price=source('')", ";;"],
)
def test_unreadable_tags_mark_nothing_and_never_fail(tag):
    diagram = build_diagram(shop(tag))
    assert set(marks(diagram).values()) == {("", "")}
    assert diagram.edge_legend == ()


@pytest.mark.parametrize("value", [None, 3, ["price"], {"price": "value(1)"}, b"price=value(1)"])
def test_a_tag_that_is_not_a_string_marks_nothing(value):
    graph = shop("")
    graph.nodes[4].tags[FALLBACK_TAG] = value
    assert set(marks(build_diagram(graph)).values()) == {("", "")}


def test_a_spec_with_odd_entries_keeps_the_readable_ones():
    tag = FallbackText("whatever the text says")
    tag.spec = {
        "price": ("guess", 1),
        "qty": "value(1)",  # not a pair
        "cached_price": ("source", None),  # no node name
        "other": ("value", 2.5, "extra"),  # not a pair
        "report": ("value", 7),
    }
    assert [f.parameter for f in fallbacks_of(node("total", tag=tag))] == ["report"]
    not_a_mapping = FallbackText("qty=value(1)")
    not_a_mapping.spec = [("qty", ("value", 1))]  # falls back to the text
    assert fallbacks_of(node("total", tag=not_a_mapping)) == (Fallback("qty", "value", None, "value(1)"),)


def test_parsing_the_tag_text():
    assert parse_fallback_text("price=value(0.0)") == {"price": ("value", "0.0")}
    assert parse_fallback_text("a=value((1, 2)); b=source('n'); c=value('x; y')") == {
        "a": ("value", "(1, 2)"),
        "b": ("source", "n"),
        "c": ("value", "'x; y'"),
    }
    assert parse_fallback_text(" a = value(None) ;b=source(outer.inner)") == {
        "a": ("value", "None"),
        "b": ("source", "outer.inner"),
    }
    assert parse_fallback_text("a=value(1); broken=value(2") == {"a": ("value", "1")}
    assert parse_fallback_text("") == {}


def test_the_decorator_s_tag_is_what_the_model_reads():
    dr = driver.Builder().with_modules(fallback_flows).enable_dynamic_execution(allow_experimental_mode=True).build()
    diagram = build_diagram(HamiltonGraph.from_graph(dr.graph))
    assert marks(diagram)["price", "total"] == ("guarded", "fallback: source(cached_price)")
    assert marks(diagram)["qty", "total"] == ("guarded", "fallback: value(1)")
    assert marks(diagram)["cached_price", "total"] == ("source", "fallback for price")
    assert marks(diagram)["total", "report"] == ("", "")
    collect = next(e for e in diagram.edges if (e.source, e.target) == ("square", "squares"))
    assert (collect.kind, collect.fallback, collect.label) == ("collect", "guarded", "fallback: value([])")
    assert diagram.edge_legend == ("fallback-guarded", "fallback-source")


def test_stacked_decorators_and_a_source_the_function_also_reads():
    def a() -> int:
        return 1

    def b() -> int:
        return 2

    @fallback(a=value(0))
    @fallback(b=source("a"))
    def c(a: int, b: int) -> int:
        return a + b

    graph = HamiltonGraph.from_graph(driver.Builder().with_functions(a, b, c).build().graph)
    assert marks(build_diagram(graph)) == {
        ("a", "c"): ("guarded", "fallback: value(0); fallback for b"),
        ("b", "c"): ("guarded", "fallback: source(a)"),
    }


def test_a_fallback_on_a_graph_input_is_refused_before_anything_is_drawn():
    @fallback(x=value(0))
    def uses(x: int) -> int:
        return x

    with pytest.raises(InvalidDecoratorException, match="input"):
        driver.Builder().with_functions(uses).build().display_all_functions(renderer="json")


def test_the_json_renderer_carries_the_tag_text():
    dr = driver.Builder().with_modules(fallback_flows).enable_dynamic_execution(allow_experimental_mode=True).build()
    document = json.loads(str(dr.display_all_functions(renderer="json")))
    tags = {node["name"]: node["tags"] for node in document["nodes"]}
    assert tags["total"]["hamilton.fallback"] == "price=source(cached_price); qty=value(1)"


def test_a_run_that_fell_back_is_drawn_with_the_failure_and_the_fallback_edges():
    recorder = RunRecorder()
    dr = driver.Builder().with_modules(fallback_flows).with_adapters(recorder).build()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "node 'price' failed; 'total' ran with its @fallback"
        assert dr.execute(["report"], inputs={"ticker": "X"}) == {"report": "6.0"}
    graph = HamiltonGraph.from_graph(dr.graph)
    view = GraphView(outputs=frozenset({"report"}))
    diagram = build_diagram(graph, view, recorder.run_state)
    nodes = {node.name: node for node in diagram.nodes}
    assert nodes["price"].run.status == "failed"
    assert nodes["total"].run.status == "ran"
    assert marks(diagram)["price", "total"] == ("guarded", "fallback: source(cached_price)")


def test_value_text_comes_from_the_tag_and_long_values_are_cut():
    tag = FallbackText("qty=value(ONE)")
    tag.spec = {"qty": ("value", 1)}
    assert fallbacks_of(node("total", tag=tag))[0].text == "value(ONE)"  # the tag's own words
    long = fallback_tag(qty=("value", "x" * 100))
    (entry,) = fallbacks_of(node("total", tag=long))
    assert entry.text == "value('" + "x" * 26 + "...)"
    assert len(entry.text) == len("value()") + 30


def test_a_value_whose_repr_fails_still_draws():
    class Awkward:
        def __repr__(self):
            raise RuntimeError("no repr")

    tag = FallbackText("not parseable")
    tag.spec = {"qty": ("value", Awkward())}
    assert fallbacks_of(node("total", tag=tag))[0].text == "value(<Awkward>)"


def test_a_dependency_both_guarded_and_a_source_is_guarded_with_both_labels():
    tag = fallback_tag(a=("source", "b"), b=("value", 0))
    assert fallback_edges(node("c", "a", "b", tag=tag)) == {
        "a": ("guarded", "fallback: source(b)"),
        "b": ("guarded", "fallback: value(0); fallback for a"),
    }
    several = fallback_tag(a=("source", "s"), b=("source", "s"))
    assert fallback_edges(node("c", "a", "b", "s", tag=several))["s"] == ("source", "fallback for a, b")


def test_fallback_on_a_collect_keeps_the_collect_edge_and_the_path_colour():
    graph = HamiltonGraph(
        nodes=[
            node("items", role="expand"),
            node("square", "items"),
            node("total", "square", tag=fallback_tag(square=("value", [])), role="collect"),
        ]
    )
    diagram = build_diagram(graph, GraphView(path=frozenset({"square", "total"})))
    edges = {(e.source, e.target): e for e in diagram.edges}
    collect = edges["square", "total"]
    assert (collect.kind, collect.fallback, collect.label, collect.on_path) == (
        "collect",
        "guarded",
        "fallback: value([])",
        True,
    )
    assert edges["items", "square"].fallback == ""


def test_a_source_or_producer_outside_the_drawing_draws_no_edge():
    """display_downstream_of and friends draw part of a graph: nothing to mark then, no error."""
    graph = HamiltonGraph(nodes=[node("qty"), node("total", "price", "qty", tag=fallback_tag(price=("value", 0)))])
    assert marks(build_diagram(graph)) == {("qty", "total"): ("", "")}


def test_a_fallback_source_that_is_a_graph_input_stays_in_its_input_table():
    graph = HamiltonGraph(
        nodes=[
            HamiltonNode(name="backup", type=float, is_external_input=True),
            node("price"),
            node("total", "price", "backup", tag=fallback_tag(price=("source", "backup"))),
        ]
    )
    diagram = build_diagram(graph)
    assert marks(diagram) == {("price", "total"): ("guarded", "fallback: source(backup)")}
    assert diagram.input_edges == (("_total_inputs", "total"),)


names = st.text(alphabet="abcdefgh", min_size=1, max_size=3)


@st.composite
def graphs_with_fallbacks(draw):
    count = draw(st.integers(min_value=1, max_value=12))
    nodes = []
    made: list[str] = []
    for index in range(count):
        name = f"n{index}"
        parents = draw(st.lists(st.sampled_from(made), unique=True)) if made else []
        spec = {}
        for parent in parents:
            choice = draw(st.sampled_from(["none", "value", "source", "missing source"]))
            others = [p for p in parents if p != parent]
            if choice == "value":
                spec[parent] = ("value", draw(st.integers()))
            elif choice == "source" and others:
                spec[parent] = ("source", draw(st.sampled_from(others)))
            elif choice == "missing source":
                spec[parent] = ("source", draw(names))
        tag = fallback_tag(**spec) if spec else None
        if tag is not None and draw(st.booleans()):
            tag = str(tag)  # the text alone, as read back from elsewhere
        nodes.append(node(name, *parents, tag=tag))
        made.append(name)
    return HamiltonGraph(nodes=nodes)


@settings(max_examples=80)
@given(graphs_with_fallbacks())
def test_fallbacks_change_how_edges_look_never_which_edges_exist(graph):
    diagram = build_diagram(graph)
    expected = {(dep, n.name) for n in graph.nodes for dep in n.required_dependencies}
    assert {(e.source, e.target) for e in diagram.edges} == expected
    for edge in diagram.edges:
        entries = {f.parameter: f for f in fallbacks_of(graph.nodes[int(edge.target[1:])])}
        sources = {f.source for f in entries.values() if f.source}
        if edge.source in entries:
            assert edge.fallback == "guarded"
            assert edge.label.startswith(f"fallback: {entries[edge.source].text}")
        elif edge.source in sources:
            assert edge.fallback == "source"
            assert edge.label.startswith("fallback for ")
        else:
            assert (edge.fallback, edge.label) == ("", "")
    present = {e.style for e in diagram.edges if e.style}
    assert set(diagram.edge_legend) == present
