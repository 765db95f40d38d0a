"""``dr.cache.view_run()``: drawn with core's renderers, cached nodes marked."""

from __future__ import annotations

import importlib.util
import json
import logging

import pytest
from conftest import CHAIN, module

from hamilton import driver


def _graphviz_plugin_installed() -> bool:
    try:
        return importlib.util.find_spec("hamilton.plugins.viz_graphviz") is not None
    except ImportError:
        return False


def two_runs(tmp_path, **execute_options):
    dr = driver.Builder().with_modules(module(CHAIN)).with_cache(path=tmp_path).build()
    dr.execute(["c"], inputs={"x": 1})
    dr.execute(["c"], inputs={"x": 1}, **execute_options)
    return dr


def statuses(rendering) -> dict[str, str]:
    document = json.loads(rendering.data)
    return {node["name"]: node["run"]["status"] for node in document["nodes"] if node.get("run")}


def test_view_run_marks_cached_nodes(tmp_path):
    dr = two_runs(tmp_path)
    assert statuses(dr.cache.view_run(renderer="json")) == {"a": "cached", "b": "cached", "c": "cached", "x": "input"}
    first = dr.cache.run_ids[0]
    assert statuses(dr.cache.view_run(run_id=first, renderer="json")) == {
        "a": "ran",
        "b": "ran",
        "c": "ran",
        "x": "input",
    }


def test_view_run_shows_overrides_and_writes_the_file(tmp_path):
    dr = two_runs(tmp_path / "cache", overrides={"b": 5})
    target = tmp_path / "run.json"
    rendering = dr.cache.view_run(output_file_path=str(target), renderer="json")
    assert statuses(rendering) == {"a": "cached", "b": "overridden", "c": "ran", "x": "input"}
    assert json.loads(target.read_text()) == json.loads(rendering.data)


@pytest.mark.skipif(_graphviz_plugin_installed(), reason="checks the behaviour without hamilton-viz-graphviz")
def test_view_run_without_graphviz_logs_the_install_hint(tmp_path, caplog):
    dr = two_runs(tmp_path)
    with caplog.at_level(logging.WARNING):
        assert dr.cache.view_run() is None
    assert 'pip install "apache-hamilton[graphviz]"' in caplog.text


@pytest.mark.skipif(not _graphviz_plugin_installed(), reason="needs hamilton-viz-graphviz")
def test_view_run_with_graphviz_returns_a_digraph(tmp_path):
    dr = two_runs(tmp_path)
    drawing = dr.cache.view_run()
    assert type(drawing).__name__ == "Digraph"


def test_view_run_before_any_run_is_a_clear_error(tmp_path):
    dr = driver.Builder().with_modules(module(CHAIN)).with_cache(path=tmp_path).build()
    with pytest.raises(IndexError, match="No run has used this cache yet"):
        dr.cache.view_run()
