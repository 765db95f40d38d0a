"""`hamilton view`: a png with graphviz (1.x's default), Mermaid or JSON with --renderer."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from conftest import invoke, needs_dot, run_script

needs_mermaid = pytest.mark.skipif(
    importlib.util.find_spec("hamilton.plugins.viz_mermaid") is None, reason="hamilton-viz-mermaid is not installed"
)


@needs_dot
def test_default_is_a_png_named_after_the_modules(flow: Path, tmp_path: Path) -> None:
    run = run_script("view", flow, cwd=tmp_path)  # the default output is the current folder
    assert run.exit_code == 0, run
    assert run.message() == {"path": str(tmp_path / "dag_flow.png")}
    assert (tmp_path / "dag_flow.png").read_bytes().startswith(b"\x89PNG")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dag_flow.png", "flow.py"]  # no stray DOT file


@needs_dot
def test_output_extension_picks_the_format(flow: Path, tmp_path: Path) -> None:
    run = invoke("view", flow, "-o", tmp_path / "drawing.svg")
    assert run.exit_code == 0, run
    assert run.message() == {"path": str(tmp_path / "drawing.svg")}
    svg = (tmp_path / "drawing.svg").read_text()
    assert "<svg" in svg
    assert "<title>b</title>" in svg


@needs_dot
def test_output_without_extension_gets_png(flow: Path, tmp_path: Path) -> None:
    run = invoke("view", flow, "--output", tmp_path / "sub" / "drawing")
    assert run.exit_code == 0, run
    assert run.message() == {"path": str(tmp_path / "sub" / "drawing.png")}
    assert (tmp_path / "sub" / "drawing.png").read_bytes().startswith(b"\x89PNG")


@needs_mermaid
def test_mermaid_renderer_writes_mmd(flow: Path, tmp_path: Path) -> None:
    run = invoke("view", flow, "--renderer", "mermaid", "-o", tmp_path)
    assert run.exit_code == 0, run
    path = tmp_path / "dag_flow.mmd"
    assert run.message() == {"path": str(path)}
    text = path.read_text()
    assert "flowchart LR" in text
    assert "<b>b</b>" in text


def test_json_renderer_writes_the_graph_document(flow: Path, tmp_path: Path) -> None:
    run = invoke("--json-out", "view", flow, "--renderer", "json", "-o", tmp_path, "-n", "mine")
    assert run.exit_code == 0, run
    path = tmp_path / "dag_mine.json"
    assert run.json() == {"command": "view", "success": True, "message": {"path": str(path)}}
    document = json.loads(path.read_text())
    assert document["schema"] == "hamilton-graph/1"
    assert {node["name"] for node in document["nodes"]} == {"a", "b", "x", "y"}


def test_json_renderer_with_a_context_shows_its_config(flow: Path, tmp_path: Path) -> None:
    context = tmp_path / "ctx.json"
    context.write_text(json.dumps({"HAMILTON_CONFIG": {"region": "eu"}}))
    out = tmp_path / "dag.json"
    assert invoke("view", flow, "-ctx", context, "--renderer", "json", "-o", out).exit_code == 0
    assert json.loads(out.read_text())["config"] == {"region": "eu"}


def test_unknown_renderer(flow: Path, tmp_path: Path) -> None:
    run = invoke("view", flow, "--renderer", "no-such-renderer", "-o", tmp_path)
    assert run.exit_code == 1, run
    assert "No renderer named 'no-such-renderer'" in run.failure()["message"]["details"]
    assert list(tmp_path.iterdir()) == [tmp_path / "flow.py"]


def test_missing_graphviz_distribution_says_what_to_install(flow: Path, tmp_path: Path) -> None:
    # The plugin switch makes the renderer unavailable, as when hamilton-viz-graphviz is not installed.
    run = run_script("view", flow, cwd=tmp_path, env={"HAMILTON_PLUGINS_DENY": "graphviz"})
    assert run.exit_code == 1, run
    response = run.failure()
    assert response["command"] == "view"
    details = response["message"]["details"]
    assert 'pip install "apache-hamilton[graphviz]"' in details
    assert "--renderer mermaid" in details
    assert list(tmp_path.iterdir()) == [tmp_path / "flow.py"]


@needs_mermaid
def test_missing_mermaid_distribution_says_what_to_install(flow: Path, tmp_path: Path) -> None:
    run = run_script("view", flow, "--renderer", "mermaid", cwd=tmp_path, env={"HAMILTON_PLUGINS_DENY": "mermaid"})
    assert run.exit_code == 1, run
    assert 'pip install "apache-hamilton[mermaid]"' in run.failure()["message"]["details"]


@pytest.mark.skipif(importlib.util.find_spec("hamilton.plugins.viz_graphviz") is None, reason="needs graphviz plugin")
def test_missing_dot_program_says_what_to_install(flow: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty-path"
    empty.mkdir()
    run = run_script("view", flow, cwd=tmp_path, env={"PATH": str(empty)})
    assert run.exit_code == 1, run
    details = run.failure()["message"]["details"]
    assert "`dot` program is not on your PATH" in details
    assert "--renderer mermaid" in details
