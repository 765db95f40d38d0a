"""@fallback in Mermaid drawings: guarded and source edges, their labels and link styles, the legend."""

from __future__ import annotations

import pytest
from mermaid_flows import build, fallbacks
from mermaid_flows.fallback_graphs import SHOP_SPEC, fallback_tag, shop
from mermaid_text import Parsed, parse

from hamilton.plugins.viz_mermaid import FALLBACK_COLOR, LINK_STYLES
from hamilton.rendering import GraphView, RunRecorder, render


def links_by_name(parsed: Parsed) -> dict[tuple[str, str], tuple[int, str, str | None]]:
    """(source, target) names -> (link index, arrow, label), for the drawing's nodes."""
    names = {node_id: parsed.text_of(node_id).split("\n")[0] for node_id in parsed.nodes}
    return {
        (names.get(source, source), names.get(target, target)): (index, arrow, label)
        for index, (source, arrow, label, target) in enumerate(parsed.links)
    }


@pytest.mark.parametrize(
    "tag", [fallback_tag(**SHOP_SPEC), "price=source(cached_price); qty=value(1)"], ids=["decorator", "text"]
)
def test_fallback_edges_are_dotted_orange_and_labelled(tag: object) -> None:
    parsed = parse(str(render(shop(tag), "mermaid")))
    links = links_by_name(parsed)
    guarded_style, source_style = LINK_STYLES["fallback-guarded"], LINK_STYLES["fallback-source"]
    index, arrow, label = links["price", "total"]
    assert (arrow, label, parsed.link_styles[index]) == ("-.->", "fallback: source(cached_price)", guarded_style)
    index, arrow, label = links["qty", "total"]
    assert (arrow, label, parsed.link_styles[index]) == ("-.->", "fallback: value(1)", guarded_style)
    index, arrow, label = links["cached_price", "total"]
    assert (arrow, label, parsed.link_styles[index]) == ("-.->", "fallback for price", source_style)
    index, arrow, label = links["total", "report"]
    assert (arrow, label, parsed.link_styles.get(index)) == ("-->", None, None)
    assert guarded_style.startswith(f"stroke:{FALLBACK_COLOR}")
    assert "stroke-dasharray:6 4" in guarded_style
    assert source_style.startswith(f"stroke:{FALLBACK_COLOR}")
    assert "stroke-dasharray:2 3" in source_style


def test_the_legend_samples_each_fallback_edge_after_the_boxes() -> None:
    parsed = parse(str(render(shop(fallback_tag(**SHOP_SPEC)), "mermaid")))
    entries = [parsed.text_of(i) for i, parent in parsed.parents.items() if parent == "legend"]
    assert entries == ["input", "function", "fallback", " ", "fallback source", " "]
    links = links_by_name(parsed)
    index, arrow, _ = links["fallback", " "]
    assert arrow == "-.->"
    # the sample's link style is counted after every link of the drawing
    assert parsed.link_styles[index] == LINK_STYLES["fallback-guarded"]
    index, _, _ = links["fallback source", " "]
    assert parsed.link_styles[index] == LINK_STYLES["fallback-source"]
    assert parsed.classes[parsed.id_of("fallback")] == ["legend-edge"]
    header = str(render(shop(fallback_tag(**SHOP_SPEC)), "mermaid")).splitlines()[0]
    assert ", 6 edges " in header  # the legend's samples are not edges of the graph
    only_values = parse(str(render(shop(fallback_tag(qty=("value", 1))), "mermaid")))
    assert [only_values.text_of(i) for i, p in only_values.parents.items() if p == "legend"] == [
        "input",
        "function",
        "fallback",
        " ",
    ]
    hidden = parse(str(render(shop(fallback_tag(**SHOP_SPEC)), "mermaid", show_legend=False)))
    assert "le0" not in hidden.nodes
    assert len(hidden.links) == 6


def test_a_highlighted_path_is_red_and_keeps_the_dashes() -> None:
    view = GraphView(path=frozenset({"qty", "total"}))
    parsed = parse(str(render(shop(fallback_tag(**SHOP_SPEC)), "mermaid", view=view)))
    index, arrow, label = links_by_name(parsed)["qty", "total"]
    assert (arrow, label) == ("-.->", "fallback: value(1)")
    assert parsed.link_styles[index] == "stroke:red,stroke-width:3px,stroke-dasharray:6 4"


def test_fan_out_and_collect_edges_stay_thick_and_say_both() -> None:
    parsed = parse(str(render(shop(fallback_tag(price=("value", [])), collect=True), "mermaid")))
    index, arrow, label = links_by_name(parsed)["price", "total"]
    assert (arrow, label) == ("==>", "each · fallback: value([])")
    assert parsed.link_styles[index] == LINK_STYLES["fallback-guarded"]


def test_awkward_fallback_text_is_escaped() -> None:
    value = '"q" <b>x</b> & #35; %%{init}%% | end'
    text = str(render(shop(f"qty=value({value})"), "mermaid"))
    for raw in ('"q"', "<b>x", "%%{ini"):
        assert raw not in text.split("flowchart", 1)[1]
    _, _, label = links_by_name(parse(text))["qty", "total"]
    assert label == "fallback: value(" + value[:27] + "...)"


@pytest.mark.parametrize("tag", ["", "garbage", "qty=value(1", "qty=maybe(1)", None, 3, ["qty"]])
def test_unreadable_tags_draw_plain_edges(tag: object) -> None:
    parsed = parse(str(render(shop(tag), "mermaid")))
    assert all(arrow == "-->" and label is None for _, arrow, label, _ in parsed.links)
    assert parsed.link_styles == {}
    assert "fallback" not in [parsed.text_of(i) for i, parent in parsed.parents.items() if parent == "legend"]


def test_display_all_functions_draws_the_decorator_s_fallbacks() -> None:
    parsed = parse(str(build(fallbacks).display_all_functions(renderer="mermaid")))
    links = links_by_name(parsed)
    assert links["price", "total"][1:] == ("-.->", "fallback: source(cached_price)")
    assert links["qty", "total"][1:] == ("-.->", "fallback: value(1)")
    assert links["cached_price", "total"][1:] == ("-.->", "fallback for price")
    assert parsed.link_styles[links["cached_price", "total"][0]] == LINK_STYLES["fallback-source"]


def test_a_run_that_fell_back() -> None:
    recorder = RunRecorder()
    dr = build(fallbacks, adapters=[recorder])
    with pytest.warns(UserWarning, match="price"):
        assert dr.execute(["report"], inputs={"ticker": "X"}) == {"report": "6.0"}
    parsed = parse(
        str(
            dr.visualize_execution(["report"], inputs={"ticker": "X"}, run_state=recorder.run_state, renderer="mermaid")
        )
    )
    assert parsed.classes[parsed.id_of("price")][-1] == "status-failed"
    assert parsed.classes[parsed.id_of("total")][-1] == "status-ran"
    assert links_by_name(parsed)["price", "total"][2] == "fallback: source(cached_price)"
