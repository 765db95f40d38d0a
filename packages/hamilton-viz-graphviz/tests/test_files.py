"""Writing drawings to files with Graphviz's `dot`, file names exactly as 1.x produced them."""

from __future__ import annotations

import os
import warnings

import graphviz
import pytest
from conftest import needs_dot

from hamilton.plugins.viz_graphviz import MISSING_DOT_HINT

PNG_MAGIC = b"\x89PNG"


def files_in(folder) -> list[str]:
    return sorted(os.listdir(folder))


@needs_dot
def test_the_extension_picks_the_format_and_only_the_image_is_written(dr, tmp_path):
    dot = dr.display_all_functions(output_file_path=str(tmp_path / "graph.svg"))
    assert isinstance(dot, graphviz.Digraph)
    assert files_in(tmp_path) == ["graph.svg"]
    assert (tmp_path / "graph.svg").read_text().lstrip().startswith("<?xml")


@needs_dot
def test_png_and_no_extension_write_png(dr, tmp_path):
    dr.display_all_functions(output_file_path=str(tmp_path / "with.png"))
    dr.display_all_functions(output_file_path=str(tmp_path / "without"))
    assert files_in(tmp_path) == ["with.png", "without.png"]
    assert (tmp_path / "without.png").read_bytes().startswith(PNG_MAGIC)


@needs_dot
def test_keep_dot_keeps_the_source_next_to_the_image(dr, tmp_path):
    dot = dr.display_all_functions(output_file_path=str(tmp_path / "graph.png"), keep_dot=True)
    # 1.x's names: graphviz's render() writes the source at the path without extension
    assert files_in(tmp_path) == ["graph", "graph.png"]
    assert (tmp_path / "graph").read_text() == dot.source
    assert (tmp_path / "graph.png").read_bytes().startswith(PNG_MAGIC)


@needs_dot
def test_render_kwargs_format_wins_over_the_extension(dr, tmp_path):
    dr.display_all_functions(output_file_path=str(tmp_path / "graph.svg"), render_kwargs={"format": "pdf"})
    assert files_in(tmp_path) == ["graph.pdf"]
    assert (tmp_path / "graph.pdf").read_bytes().startswith(b"%PDF")


@needs_dot
def test_render_kwargs_view_false_is_accepted_with_and_without_keep_dot(dr, tmp_path):
    dr.display_all_functions(output_file_path=str(tmp_path / "a.svg"), render_kwargs={"view": False})
    dr.display_all_functions(output_file_path=str(tmp_path / "b.svg"), render_kwargs={"view": False}, keep_dot=True)
    assert files_in(tmp_path) == ["a.svg", "b", "b.svg"]


@needs_dot
def test_dot_format_writes_laid_out_dot(dr, tmp_path):
    dr.display_all_functions(output_file_path=str(tmp_path / "graph.dot"))
    text = (tmp_path / "graph.dot").read_text()
    assert text.startswith("digraph {")
    assert "pos=" in text  # dot's output format: laid out


@needs_dot
def test_every_drawing_method_writes_files(dr, tmp_path):
    dr.visualize_execution(["total"], output_file_path=str(tmp_path / "execution.svg"), inputs={"x": 1})
    dr.display_downstream_of("f1", output_file_path=str(tmp_path / "downstream.svg"))
    dr.display_upstream_of("b", output_file_path=str(tmp_path / "upstream.svg"))
    dr.visualize_path_between("a", "f1", output_file_path=str(tmp_path / "path.svg"))
    assert files_in(tmp_path) == ["downstream.svg", "execution.svg", "path.svg", "upstream.svg"]


@needs_dot
def test_missing_folders_are_created(dr, tmp_path):
    dr.display_all_functions(output_file_path=str(tmp_path / "deep" / "er" / "graph.svg"))
    assert files_in(tmp_path / "deep" / "er") == ["graph.svg"]


def test_an_unknown_format_is_an_error_naming_it(dr, tmp_path):
    with pytest.raises(ValueError, match="nosuchformat"):
        dr.display_all_functions(output_file_path=str(tmp_path / "graph.nosuchformat"))
    assert files_in(tmp_path) == []


def test_a_missing_dot_program_says_to_install_graphviz(dr, tmp_path, no_dot):
    with pytest.raises(graphviz.ExecutableNotFound) as error:
        dr.display_all_functions(output_file_path=str(tmp_path / "graph.png"))
    message = str(error.value)
    assert MISSING_DOT_HINT in message
    for installer in ("apt-get install graphviz", "brew install graphviz", "conda install"):
        assert installer in message
    with pytest.raises(graphviz.ExecutableNotFound, match="apt-get install graphviz"):
        dr.display_all_functions(output_file_path=str(tmp_path / "graph.png"), keep_dot=True)


def test_without_a_file_no_dot_program_is_needed(dr, no_dot):
    assert "digraph" in dr.display_all_functions().source


@needs_dot
def test_deprecated_display_graph_draws_the_run_to_test_output(dr, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = dr.execute(["a"], inputs={"x": 1}, display_graph=True)
    assert result == {"a": 3}
    assert any("display_graph=True" in str(warning.message) for warning in caught)
    assert files_in(tmp_path / "test-output") == ["execute.gv"]
