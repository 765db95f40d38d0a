"""The real mermaid.js (headless Chromium) draws every drawing, showing every label as written.

What only a browser can tell: that mermaid parses the text, and that names come out as text —
not as HTML, KaTeX, icons, or cut short by a quote or a keyword.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mermaid_flows import awkward, basic, fallback_graphs, fallbacks, parallel, random_dag, subdags
from mermaid_flows import build as _driver
from mermaid_text import decode, parse, read_svg

from hamilton import driver
from hamilton.graph_types import HamiltonGraph, HamiltonNode
from hamilton.io.materialization import from_, to
from hamilton.plugins.testing import contract_graph
from hamilton.rendering import GraphView, RunRecorder, render
from hamilton.rendering.model import SCHEMA_TAG

DANGEROUS_TAGS = {"script", "img", "iframe", "object", "embed", "a", "math"}


def assert_drawn(browser, text: str, names=()) -> str:
    """Mermaid draws ``text`` with no error and no dialog, and shows every label line, subgraph
    title and given name (the names as Hamilton knows them, not as the renderer coded them)."""
    result = browser.render(text)
    assert result.error is None, result.error
    assert result.dialogs == ()
    svg = read_svg(result.svg)
    assert not svg.tags & DANGEROUS_TAGS
    assert not svg.handlers
    parsed = parse(text)
    shown = [line for _, label in parsed.nodes.values() for line in decode(label).split("\n")]
    shown += [decode(title) for title, _ in parsed.subgraphs.values()]
    missing = [line for line in (*shown, *names) if line not in svg.text]
    assert not missing, f"not in the SVG: {missing}"
    return svg.text


def test_configured_graph(mermaid_browser) -> None:
    dr = _driver(basic, config={"mode": "fast"})
    text = str(dr.display_all_functions(renderer="mermaid"))
    assert_drawn(mermaid_browser, text, ["Cost per signup", "forecast: mode", "fast", "currency: str"])


def test_awkward_names(mermaid_browser) -> None:
    """Quotes, brackets, pipes, HTML, ``$$``, ``fa:fa-``, ``%%{init}%%``, keywords, unicode."""
    names = [*awkward.FIELDS, awkward.PARAMETERIZED, awkward.DISPLAY_NAME]
    names += ["end", "graph", "subgraph", "style", "classDef", "click", "größe_π"]
    for orient in ("LR", "TB"):
        text = str(_driver(awkward).display_all_functions(renderer="mermaid", orient=orient))
        assert_drawn(mermaid_browser, text, names)


def test_awkward_names_in_namespaces_and_tables(mermaid_browser) -> None:
    """The same names as subgraph titles (namespaces) and input-table rows."""
    weird = list(awkward.FIELDS)
    nodes = [HamiltonNode(name=name, type=int, is_external_input=True) for name in weird]
    nodes += [
        HamiltonNode(name=f"{name}.{index}", type=int, required_dependencies={name}) for index, name in enumerate(weird)
    ]
    nodes += [HamiltonNode(name=name, type=int) for name in (".leading dot", "empty..segment", "trailing.")]
    text = str(render(HamiltonGraph(nodes=nodes), "mermaid", deduplicate_inputs=True))
    assert_drawn(mermaid_browser, text, [f"{name}: int" for name in weird])


def test_parallel_run_with_durations(mermaid_browser) -> None:
    recorder = RunRecorder()
    dr = _driver(parallel, adapters=[recorder], dynamic=True)
    dr.execute(["grand_total"], inputs={"batch_count": 2})
    text = str(
        dr.visualize_execution(
            ["grand_total"], inputs={"batch_count": 2}, run_state=recorder.run_state, renderer="mermaid"
        )
    )
    shown = assert_drawn(mermaid_browser, text, ["parallel: batches", "parallel: rows", "each", "collect"])
    assert "ran \u00d7" in shown


def test_failed_run(mermaid_browser) -> None:
    def numbers(count: int) -> int:
        return count

    def broken(numbers: int) -> int:
        raise ValueError("<img src=x onerror=alert('boom')>")

    def after(broken: int) -> int:
        return broken

    recorder = RunRecorder()
    dr = driver.Builder().with_functions(numbers, broken, after).with_adapters(recorder).build()
    with pytest.raises(ValueError):
        dr.execute(["after"], inputs={"count": 1})
    text = str(dr.visualize_execution(["after"], inputs={"count": 1}, run_state=recorder.run_state, renderer="mermaid"))
    assert_drawn(mermaid_browser, text, ["skipped", "failed"])


def test_nested_subdags(mermaid_browser) -> None:
    text = str(_driver(subdags).display_all_functions(renderer="mermaid", orient="TB"))
    assert_drawn(mermaid_browser, text, ["outer.inner.doubled", "outer", "inner"])


def test_materialization_and_path(mermaid_browser, tmp_path) -> None:
    dr = _driver(basic, config={"mode": "slow"})
    materialized = dr.visualize_materialization(
        from_.pickle(target="raw_spend", path=str(tmp_path / "spend.pkl")),
        to.pickle(id="report_to_pickle", dependencies=["report"], path=str(tmp_path / "report.pkl")),
        inputs={"raw_signups": 3},
        renderer="mermaid",
    )
    assert_drawn(mermaid_browser, str(materialized), ["PickleLoader", "PickleSaver", "loader", "saver"])
    path = dr.visualize_path_between("spend", "report", renderer="mermaid")
    assert_drawn(mermaid_browser, str(path), ["path"])
    overridden = dr.visualize_execution(
        ["report"], inputs={"raw_spend": 1.0}, overrides={"signups": 2}, renderer="mermaid"
    )
    assert_drawn(mermaid_browser, str(overridden), ["override", "output"])


def test_contract_graph_with_a_view_and_schema(mermaid_browser) -> None:
    view = GraphView(outputs=frozenset({"total [€]"}), path=frozenset({"source"}), config={"region": '"eu" <b>'})
    assert_drawn(mermaid_browser, str(render(contract_graph(), "mermaid", view=view)), ['quoted "name"', '"eu" <b>'])
    frame = HamiltonNode(name="frame <df>", type=dict, tags={SCHEMA_TAG: "week=int,spend [€]=float"})
    assert_drawn(mermaid_browser, str(render(HamiltonGraph(nodes=[frame]), "mermaid")), ["spend [€]: float", "schema"])


def test_an_empty_graph(mermaid_browser) -> None:
    assert_drawn(mermaid_browser, str(render(HamiltonGraph(nodes=[]), "mermaid")))


def test_a_200_node_random_dag(mermaid_browser) -> None:
    graph = random_dag(200, seed=7)
    text = str(render(graph, "mermaid"))
    assert_drawn(mermaid_browser, text, [node.name for node in graph.nodes[1:]])


# Every character class mermaid might trip on: symbols, marks, RTL, CJK, emoji, whitespace.
NAMES = st.text(
    st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="\ufffe\uffff"), min_size=1, max_size=12
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(NAMES, min_size=1, max_size=6, unique=True))
def test_any_names_render_as_written(mermaid_browser, names: list[str]) -> None:
    nodes = [HamiltonNode(name="input value", type=int, is_external_input=True)]
    previous = "input value"
    for name in names:
        nodes.append(HamiltonNode(name=name, type=int, required_dependencies={previous}))
        previous = name
    text = str(render(HamiltonGraph(nodes=nodes), "mermaid"))
    result = mermaid_browser.render(text)
    assert result.error is None, result.error
    assert result.dialogs == ()
    svg = read_svg(result.svg)
    assert not svg.tags & DANGEROUS_TAGS
    missing = [name for name in names if name not in svg.text]
    assert not missing, f"not in the SVG: {missing}"


def test_fallback_edges_and_their_legend(mermaid_browser) -> None:
    labels = ["fallback: source(cached_price)", "fallback: value(1)", "fallback for price", "fallback source"]
    for orient in ("LR", "TB"):
        text = str(
            render(
                fallback_graphs.shop(fallback_graphs.fallback_tag(**fallback_graphs.SHOP_SPEC)),
                "mermaid",
                orient=orient,
            )
        )
        assert_drawn(mermaid_browser, text, labels)
    collect = render(fallback_graphs.shop(fallback_graphs.fallback_tag(price=("value", [])), collect=True), "mermaid")
    assert_drawn(mermaid_browser, str(collect), ["each · fallback: value([])"])


@pytest.mark.parametrize(
    "value",
    ['"q" <b>x</b>', "a | b", "#35; &amp;", "%%{init}%%", "$$x^2$$", "fa:fa-car", "end", "x\\ny", "<img src=x>"],
)
def test_awkward_fallback_values_are_shown_as_written(mermaid_browser, value: str) -> None:
    text = str(render(fallback_graphs.shop(f"qty=value({value}); price=source(cached_price)"), "mermaid"))
    assert_drawn(mermaid_browser, text, [f"fallback: value({value})", "fallback: source(cached_price)"])


def test_a_run_that_fell_back_draws(mermaid_browser) -> None:
    import warnings

    recorder = RunRecorder()
    dr = _driver(fallbacks, adapters=[recorder])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        dr.execute(["report"], inputs={"ticker": "X"})
    text = str(
        dr.visualize_execution(["report"], inputs={"ticker": "X"}, run_state=recorder.run_state, renderer="mermaid")
    )
    assert_drawn(mermaid_browser, text, ["failed", "fallback for price", "fallback: value(1)"])
