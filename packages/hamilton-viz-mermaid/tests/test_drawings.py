"""Every driver drawing method with renderer="mermaid", asserting on the structure of the text."""

from __future__ import annotations

import pytest
from mermaid_flows import awkward, basic, parallel, subdags
from mermaid_flows import build as _driver
from mermaid_text import parse

from hamilton import driver
from hamilton.io.materialization import from_, to
from hamilton.rendering import Rendering, RunRecorder


def test_display_all_functions_returns_a_mermaid_rendering(tmp_path) -> None:
    target = tmp_path / "graph.mmd"
    rendering = _driver(basic, config={"mode": "fast"}).display_all_functions(str(target), renderer="mermaid")
    assert isinstance(rendering, Rendering)
    assert rendering.media_type == "text/vnd.mermaid"
    text = str(rendering)
    assert text.startswith("%% Hamilton dataflow: ")
    assert text.splitlines()[1] == "flowchart LR"
    assert target.read_text(encoding="utf-8") == text
    assert rendering._repr_mimebundle_()["text/markdown"].startswith("```mermaid\n")


def test_kinds_shapes_labels_and_config() -> None:
    parsed = parse(str(_driver(basic, config={"mode": "fast"}).display_all_functions(renderer="mermaid")))
    config = parsed.id_of("mode")
    assert parsed.nodes[config][0] == ">"  # 1.x's note-like config box
    assert parsed.text_of(config) == "mode\nfast"
    assert parsed.classes[config] == ["config"]
    spend = parsed.id_of("spend")
    assert parsed.nodes[spend][0] == "("
    assert parsed.text_of(spend) == "spend\nfloat"
    assert parsed.classes[spend] == ["function"]
    # display_name is the label; @config.when functions name their config keys, as in 1.x
    assert parsed.text_of(parsed.id_of("Cost per signup")) == "Cost per signup\nfloat"
    assert parsed.text_of(parsed.id_of("forecast: mode")) == "forecast: mode\nfloat"
    tables = {parsed.text_of(i) for i, classes in parsed.classes.items() if classes == ["input"] and i in parsed.nodes}
    assert {"raw_signups: int", "currency: str\nraw_spend: float"} <= tables
    assert parsed.class_defs["function"].startswith("fill:#b4d8e4")


def test_input_options() -> None:
    dr = _driver(subdags)
    per_consumer = parse(str(dr.display_all_functions(renderer="mermaid")))
    shared = parse(str(dr.display_all_functions(renderer="mermaid", deduplicate_inputs=True)))
    hidden = parse(str(dr.display_all_functions(renderer="mermaid", hide_inputs=True)))

    def tables(parsed):
        return [parsed.text_of(i) for i in parsed.nodes if parsed.classes[i][0] == "input" and i[0] == "i"]

    assert tables(per_consumer).count("start: int") == 2
    assert tables(shared).count("start: int") == 1
    assert tables(hidden) == []


@pytest.mark.parametrize("orient", ["LR", "TB", "RL", "BT", "TD"])
def test_orient(orient: str) -> None:
    text = str(_driver(basic).display_all_functions(renderer="mermaid", orient=orient))
    assert text.splitlines()[1] == f"flowchart {orient}"


def test_orient_is_checked() -> None:
    with pytest.raises(ValueError, match="orient"):
        _driver(basic).display_all_functions(renderer="mermaid", orient="LR\nclick n0 call alert()")


def test_legend_lists_the_classes_present() -> None:
    dr = _driver(parallel)
    parsed = parse(str(dr.display_all_functions(renderer="mermaid")))
    legend = [i for i, (_, parent) in parsed.subgraphs.items() if parent is None and parsed.subgraphs[i][0] == "Legend"]
    assert len(legend) == 1
    entries = [parsed.text_of(i) for i, parent in parsed.parents.items() if parent == legend[0]]
    assert entries == ["input", "function", "expand", "collect"]
    assert "Legend" not in str(dr.display_all_functions(renderer="mermaid", show_legend=False))


def test_parallel_blocks_are_nested_subgraphs_with_fan_out_and_collect_edges() -> None:
    parsed = parse(str(_driver(parallel, dynamic=True).display_all_functions(renderer="mermaid")))
    ids = {
        name: parsed.id_of(name)
        for name in ("batches", "batch_size", "rows", "row_value", "batch_total", "grand_total")
    }
    assert parsed.ancestors(ids["batches"]) == []
    assert parsed.ancestors(ids["batch_size"]) == ["parallel: batches"]
    assert parsed.ancestors(ids["rows"]) == ["parallel: batches"]
    assert parsed.ancestors(ids["row_value"]) == ["parallel: batches", "parallel: rows"]
    assert parsed.ancestors(ids["batch_total"]) == ["parallel: batches"]
    assert parsed.ancestors(ids["grand_total"]) == []
    for name in ("batches", "rows"):
        assert parsed.nodes[ids[name]][0] == "[["
        assert parsed.classes[ids[name]] == ["expand"]
    assert parsed.classes[ids["grand_total"]] == ["collect"]
    links = {(source, target): (arrow, label) for source, arrow, label, target in parsed.links}
    assert links[ids["batches"], ids["batch_size"]] == ("==>", "each")
    assert links[ids["row_value"], ids["batch_total"]] == ("==>", "collect")
    assert links[ids["batch_total"], ids["grand_total"]] == ("==>", "collect")
    assert links[ids["batch_size"], ids["rows"]] == ("-->", None)
    styles = {index: parsed.link_styles.get(index) for index in range(len(parsed.links))}
    expand_index = parsed.links.index((ids["batches"], "==>", "each", ids["batch_size"]))
    assert styles[expand_index].startswith("stroke:#56E39F")


def test_subdag_namespaces_nest() -> None:
    parsed = parse(str(_driver(subdags).display_all_functions(renderer="mermaid")))
    assert parsed.ancestors(parsed.id_of("outer.inner.doubled")) == ["outer", "inner"]
    assert parsed.ancestors(parsed.id_of("outer.seed")) == ["outer"]
    assert parsed.ancestors(parsed.id_of("inner.x")) == ["inner"]
    assert parsed.ancestors(parsed.id_of("outer_result")) == []
    assert all(
        classes == ["namespace"] for i, classes in parsed.classes.items() if i in parsed.subgraphs and i != "legend"
    )


def test_optional_dependencies_are_dotted() -> None:
    def base() -> int:
        return 1

    def uses(base: int = 2) -> int:
        return base

    parsed = parse(str(driver.Builder().with_functions(base, uses).build().display_all_functions(renderer="mermaid")))
    assert parsed.links == [(parsed.id_of("base"), "-.->", None, parsed.id_of("uses"))]


def test_awkward_names_get_generated_ids_and_literal_labels() -> None:
    text = str(_driver(awkward).display_all_functions(renderer="mermaid"))
    parsed = parse(text)
    names = [*awkward.FIELDS, awkward.PARAMETERIZED, awkward.DISPLAY_NAME, "end", "graph", "subgraph", "größe_π"]
    for name in names:
        assert parsed.id_of(name).startswith("n")
    # ids are generated: no keyword or name is ever an id
    assert all(node_id[0] in "ncilfs" and node_id[1:2].isdigit() for node_id in parsed.nodes)
    for raw in ("<script>", '"name"', "%%{init", "$$x$$", "fa:fa-car", "<img"):
        assert raw not in text
    # every line is one statement: nothing a name contains splits or ends one
    assert len(parsed.nodes) + len(parsed.links) + len(parsed.classes) > 0
    assert all(line.startswith(("%% ", "flowchart ", "    ")) for line in text.splitlines())


def test_visualize_execution_marks_outputs_and_overrides() -> None:
    dr = _driver(basic, config={"mode": "slow"})
    parsed = parse(
        str(dr.visualize_execution(["report"], inputs={"raw_spend": 1.0}, overrides={"signups": 4}, renderer="mermaid"))
    )
    assert parsed.classes[parsed.id_of("report")] == ["function", "output"]
    assert parsed.classes[parsed.id_of("signups")] == ["function", "override"]
    assert "override" in parsed.class_defs


def test_display_downstream_and_upstream_of() -> None:
    dr = _driver(basic, config={"mode": "fast"})
    downstream = parse(str(dr.display_downstream_of("forecast", renderer="mermaid")))
    upstream = parse(str(dr.display_upstream_of("spend", renderer="mermaid")))
    assert {downstream.text_of(i).split("\n")[0] for i in downstream.nodes if i[0] == "n"} == {
        "forecast: mode",
        "report",
        "Cost per signup",
        "spend",
    }
    assert [upstream.text_of(i) for i in upstream.nodes if i[0] in "ni"] == [
        "currency: str\nraw_spend: float",
        "spend\nfloat",
    ]


def test_visualize_path_between_colours_the_path_red() -> None:
    dr = _driver(basic, config={"mode": "fast"})
    parsed = parse(str(dr.visualize_path_between("spend", "report", renderer="mermaid")))
    on_path = {"spend", "Cost per signup", "forecast: mode", "report"}
    for node_id in parsed.nodes:
        if node_id[0] == "n":
            assert ("path" in parsed.classes[node_id]) == (parsed.text_of(node_id).split("\n")[0] in on_path)
    red = {index for index, style in parsed.link_styles.items() if style.startswith("stroke:red")}
    path_links = {
        index
        for index, (source, _, _, target) in enumerate(parsed.links)
        if {parsed.text_of(source).split("\n")[0], parsed.text_of(target).split("\n")[0]} <= on_path
    }
    assert red == path_links
    assert len(red) == 4  # spend -> cost -> forecast -> report, and spend -> report


def test_visualize_materialization_draws_loaders_and_savers_as_cylinders(tmp_path) -> None:
    dr = _driver(basic, config={"mode": "fast"})
    parsed = parse(
        str(
            dr.visualize_materialization(
                from_.pickle(target="raw_spend", path=str(tmp_path / "spend.pkl")),
                to.pickle(id="report_to_pickle", dependencies=["report"], path=str(tmp_path / "report.pkl")),
                inputs={"raw_signups": 3},
                renderer="mermaid",
            )
        )
    )
    loader = parsed.id_of("load_data.raw_spend")
    saver = parsed.id_of("report_to_pickle")
    assert parsed.nodes[loader][0] == parsed.nodes[saver][0] == "[("
    assert parsed.text_of(loader) == "load_data.raw_spend\nPickleLoader"
    assert parsed.classes[loader] == ["loader"]
    assert parsed.classes[saver] == ["saver", "output"]
    assert parsed.ancestors(loader) == []  # generated dotted names are not namespaces


def test_a_recorded_run_colours_nodes_and_labels_durations() -> None:
    recorder = RunRecorder()
    dr = _driver(parallel, adapters=[recorder], dynamic=True)
    assert dr.execute(["grand_total"], inputs={"batch_count": 3})["grand_total"] == 4.0  # rows 0; 0, 1; 0, 1, 2
    parsed = parse(
        str(
            dr.visualize_execution(
                ["grand_total"], inputs={"batch_count": 3}, run_state=recorder.run_state, renderer="mermaid"
            )
        )
    )
    row_value = parsed.id_of("row_value")
    assert parsed.classes[row_value] == ["function", "status-ran"]
    run_line = parsed.text_of(row_value).split("\n")[2]
    assert run_line.startswith("ran \u00d76 · ")
    assert run_line.endswith(("µs", "ms", " s"))
    assert parsed.classes[parsed.id_of("grand_total")] == ["collect", "output", "status-ran"]
    assert "ran" in [parsed.text_of(i) for i in parsed.nodes if i[0] == "l"]


def test_a_failed_run_shows_the_failure_and_what_was_skipped() -> None:
    def numbers(count: int) -> int:
        return count

    def broken(numbers: int) -> int:
        raise ValueError("boom <b>")

    def after(broken: int) -> int:
        return broken

    recorder = RunRecorder()
    dr = driver.Builder().with_functions(numbers, broken, after).with_adapters(recorder).build()
    with pytest.raises(ValueError, match="boom"):
        dr.execute(["after"], inputs={"count": 1})
    parsed = parse(
        str(dr.visualize_execution(["after"], inputs={"count": 1}, run_state=recorder.run_state, renderer="mermaid"))
    )
    failed = parsed.id_of("broken")
    assert parsed.classes[failed][-1] == "status-failed"
    assert parsed.text_of(failed).split("\n")[2].endswith("ValueError: boom <b>")
    assert parsed.classes[parsed.id_of("after")][-1] == "status-skipped"
    assert parsed.text_of(parsed.id_of("after")).endswith("\nskipped")


def test_output_is_deterministic() -> None:
    first = str(_driver(awkward).display_all_functions(renderer="mermaid"))
    second = str(_driver(awkward).display_all_functions(renderer="mermaid"))
    assert first == second


def test_graphviz_only_options_are_refused() -> None:
    with pytest.raises(TypeError, match="graphviz"):
        _driver(basic).display_all_functions(renderer="mermaid", keep_dot=True)
