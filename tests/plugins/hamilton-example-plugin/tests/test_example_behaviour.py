"""The example plugin's own behaviour, beyond what the contract kit checks."""

from __future__ import annotations

import math
import os
import threading

import pytest
from hamilton_example_plugin import Table
from hamilton_example_plugin.adapters import NodeCounter
from hamilton_example_plugin.backend import TableBackend
from hamilton_example_plugin.executors import DEFAULT_MAX_WORKERS, inline_threads
from hamilton_example_plugin.fingerprint import fingerprint_table
from hamilton_example_plugin.materializers import TableTextLoader, TableTextSaver, dumps, loads
from hamilton_example_plugin.renderer import OutlineRenderer
from hamilton_example_plugin.results import TableResult

from hamilton import driver, fingerprinting
from hamilton.plugins.interfaces import NodeRunState
from hamilton.plugins.testing import contract_graph

# -- a small dataflow ---------------------------------------------------------------------------


def numbers(n: int) -> list:
    return list(range(n))


def doubled(numbers: list) -> list:
    return [2 * x for x in numbers]


def total(doubled: list) -> int:
    return sum(doubled)


def broken(numbers: list) -> int:
    raise RuntimeError("broken on purpose")


# -- Table --------------------------------------------------------------------------------------


def test_table_columns_must_have_equal_lengths():
    with pytest.raises(ValueError, match="equal lengths"):
        Table({"a": [1, 2], "b": [1]})


def test_table_equality_respects_column_order_and_copies_its_input():
    data = {"a": [1], "b": [2]}
    table = Table(data)
    data["a"].append(5)
    assert table == Table({"a": [1], "b": [2]})
    assert table != Table({"b": [2], "a": [1]})
    assert table.rows() == [(1, 2)]
    assert Table()  # no __len__: an empty table is still truthy
    with pytest.raises(TypeError):
        hash(table)


# -- backend ------------------------------------------------------------------------------------


def test_backend_with_columns_keeps_replaced_columns_in_place():
    backend = TableBackend()
    table = backend.with_columns(Table({"a": [1], "b": [2], "c": [3]}), {"b": [20], "d": (4,)})
    assert table == Table({"a": [1], "b": [20], "c": [3], "d": [4]})


def test_backend_schema_and_select():
    backend = TableBackend()
    table = Table({"i": [1, None], "mixed": [1, "x"], "empty": [None, None]})
    assert backend.schema(table) == {"i": "int", "mixed": "object", "empty": "null"}
    assert backend.select(table, ["mixed", "i"]).column_names == ["mixed", "i"]
    with pytest.raises(KeyError, match="nope"):
        backend.select(table, ["nope"])


# -- renderer -----------------------------------------------------------------------------------


def test_outline_of_the_contract_graph():
    assert OutlineRenderer().render(contract_graph()) == (
        "inputs\n"
        "  flag: bool\n"
        "  value: int\n"
        "nodes\n"
        "  source: int\n"
        "    <- value\n"
        "  ns.inner: int\n"
        "    <- source\n"
        "  total [€]: float\n"
        "    <- source\n"
        '  quoted "name": str\n'
        "    <- total [€]\n"
        "    <- flag (optional)\n"
    )


def test_outline_shows_run_state_docs_and_options():
    state = {
        "source": NodeRunState("ran", duration=0.0123),
        "total [€]": NodeRunState("failed", error="boom"),
        "ns.inner": NodeRunState("cached", block="b", instances=3),
        "value": NodeRunState("input"),
    }
    text = OutlineRenderer().render(contract_graph(), run_state=state, show_docs=True, show_types=False, indent=1)
    assert " value  [input]\n" in text
    assert " source  [ran 0.012s]\n" in text
    assert " total [€]  [failed: boom]\n  # Sum in euros — ünïcödé\n" in text
    assert " ns.inner  [cached, block b x3]\n" in text
    assert ": int" not in text


def test_outline_rejects_unknown_and_invalid_options():
    with pytest.raises(TypeError, match="colour"):
        OutlineRenderer().render(contract_graph(), colour=True)
    with pytest.raises(ValueError, match="indent"):
        OutlineRenderer().render(contract_graph(), indent=0)


def test_outline_of_a_driver_graph_in_dependency_order():
    dr = driver.Builder().with_functions(total, numbers, doubled).build()
    from hamilton.graph_types import HamiltonGraph

    graph = HamiltonGraph(nodes=dr.list_available_variables())
    lines = OutlineRenderer().render(graph, show_types=False).splitlines()
    assert lines.index("  numbers") < lines.index("  doubled") < lines.index("  total")


# -- materializers ------------------------------------------------------------------------------

AWKWARD = Table(
    {
        "text": ["tab\there", "new\nline", "quote ' \"", "ünïcödé \u2028", "", "\\"],
        "number": [0, -1, 2**70, 1.5, math.inf, -math.inf],
        "flag": [True, False, None, True, None, False],
    }
)


@pytest.mark.parametrize("table", [AWKWARD, Table(), Table({"a": []}), Table({"only": [None]})], ids=repr)
def test_text_format_round_trips(table, tmp_path):
    assert loads(dumps(table)) == table
    TableTextSaver(tmp_path / "t.txt").save_data(table)
    loaded, metadata = TableTextLoader(tmp_path / "t.txt").load_data(Table)
    assert loaded == table
    assert metadata["rows"] == table.num_rows
    assert metadata["columns"] == table.column_names


def test_nan_round_trips(tmp_path):
    TableTextSaver(tmp_path / "t.txt").save_data(Table({"x": [math.nan]}))
    loaded, _ = TableTextLoader(tmp_path / "t.txt").load_data(Table)
    assert math.isnan(loaded.column("x")[0])


def test_save_metadata_describes_the_file(tmp_path):
    metadata = TableTextSaver(str(tmp_path / "t.txt")).save_data(Table({"a": [1, 2]}))
    assert metadata == {
        "format": "table_text",
        "path": str(tmp_path / "t.txt"),
        "size_bytes": os.path.getsize(tmp_path / "t.txt"),
        "rows": 2,
        "columns": ["a"],
    }


def test_save_replaces_the_file_and_leaves_no_temporary_files(tmp_path):
    target = tmp_path / "t.txt"
    TableTextSaver(target).save_data(Table({"a": [1]}))
    TableTextSaver(target).save_data(Table({"a": [2]}))
    assert TableTextLoader(target).load_data(Table)[0] == Table({"a": [2]})
    assert os.listdir(tmp_path) == ["t.txt"]


def test_a_failed_save_keeps_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "t.txt"
    TableTextSaver(target).save_data(Table({"a": [1]}))
    before = target.read_text()

    def crash(source, destination):
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk gone"):
        TableTextSaver(target).save_data(Table({"a": [2]}))
    assert target.read_text() == before
    assert os.listdir(tmp_path) == ["t.txt"]


def test_unsupported_cells_are_refused_before_writing(tmp_path):
    with pytest.raises(TypeError, match="object"):
        TableTextSaver(tmp_path / "t.txt").save_data(Table({"a": [object()]}))
    with pytest.raises(TypeError, match="saves Table values"):
        TableTextSaver(tmp_path / "t.txt").save_data({"a": [1]})
    assert os.listdir(tmp_path) == []


def test_loader_rejects_other_files(tmp_path):
    (tmp_path / "plain.csv").write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="not a table_text document"):
        TableTextLoader(tmp_path / "plain.csv").load_data(Table)
    (tmp_path / "short.txt").write_text("#table_text 1\n'a'\t'b'\n1\n")
    with pytest.raises(ValueError, match=r"short.txt:3: 1 cells, but 2 columns"):
        TableTextLoader(tmp_path / "short.txt").load_data(Table)


# -- fingerprinter ------------------------------------------------------------------------------


@pytest.mark.usefixtures("installed_plugin")
def test_fingerprints_work_nested_in_containers():
    table = Table({"a": [1]})
    # core calls hash_value(item, depth=...) for items of lists and dicts
    assert fingerprinting.hash_value([table]) == fingerprinting.hash_value([Table({"a": [1]})])
    assert fingerprinting.hash_value({"k": table}) != fingerprinting.hash_value({"k": Table({"a": [2]})})
    assert fingerprinting.hash_value(table) == fingerprint_table(table)


def test_fingerprints_tell_a_table_from_its_dict_and_unhashable_cells_poison_it():
    assert fingerprint_table(Table({"a": [1]})) != fingerprinting.hash_value({"a": [1]})
    assert fingerprint_table(Table({"a": [object()]})) == fingerprinting.UNHASHABLE


# -- adapter ------------------------------------------------------------------------------------


def test_node_counter_counts_executed_nodes():
    counter = NodeCounter()
    dr = driver.Builder().with_functions(numbers, doubled, total).with_adapters(counter).build()
    assert dr.execute(["total"], inputs={"n": 3}) == {"total": 6}
    assert counter.counts == {"numbers": 1, "doubled": 1, "total": 1}
    dr.execute(["doubled"], inputs={"n": 3})
    assert counter.total == 5
    counter.reset()
    assert counter.total == 0


def test_node_counter_counts_failures():
    counter = NodeCounter()
    dr = driver.Builder().with_functions(numbers, broken).with_adapters(counter).build()
    with pytest.raises(RuntimeError, match="on purpose"):
        dr.execute(["broken"], inputs={"n": 1})
    assert counter.failed == {"broken": 1}
    assert counter.counts == {"numbers": 1, "broken": 1}


def test_node_counter_filters_by_tag():
    counter = NodeCounter(tag="important")
    common = dict(node_kwargs={}, node_return_type=int, result=1, error=None, success=True, task_id=None, run_id="r")
    counter.run_after_node_execution(node_name="plain", node_tags={}, **common)
    counter.run_after_node_execution(node_name="tagged", node_tags={"important": "yes"}, **common)
    assert counter.counts == {"tagged": 1}


# -- executor -----------------------------------------------------------------------------------


def test_inline_threads_defaults_and_options():
    executor = inline_threads()
    try:
        assert executor._max_workers == DEFAULT_MAX_WORKERS
        name = executor.submit(lambda: threading.current_thread().name).result(timeout=10)
        assert name.startswith("hamilton-example")
    finally:
        executor.shutdown()
    executor = inline_threads(max_workers=1, thread_name_prefix="mine")
    try:
        assert executor._max_workers == 1
        assert executor.submit(lambda: threading.current_thread().name).result(timeout=10).startswith("mine")
    finally:
        executor.shutdown()


# -- result builder -----------------------------------------------------------------------------


def test_table_result_shapes():
    builder = TableResult()
    assert builder.build_result(a=[1, 2], b=0, c=("x", "y")) == Table({"a": [1, 2], "b": [0, 0], "c": ["x", "y"]})
    assert builder.build_result(x=1, y="s") == Table({"x": [1], "y": ["s"]})
    assert builder.build_result(t=Table({"p": [1], "q": [2]}), r=3) == Table({"p": [1], "q": [2], "r": [3]})
    with pytest.raises(ValueError, match="different lengths"):
        builder.build_result(a=[1], b=[1, 2])


def test_table_result_from_a_driver_run():
    dr = driver.Builder().with_functions(numbers, doubled, total).with_adapters(TableResult()).build()
    result = dr.execute(["numbers", "doubled", "total"], inputs={"n": 3})
    assert isinstance(result, TableResult().output_type())
    assert result == Table({"numbers": [0, 1, 2], "doubled": [0, 2, 4], "total": [6, 6, 6]})


def test_the_driver_draws_with_the_outline_renderer_found_by_name(tmp_path):
    # No register(): "outline" is found through this distribution's entry point.
    dr = driver.Builder().with_functions(total, numbers, doubled).build()
    drawing = dr.display_upstream_of("total", renderer="outline", output_file_path=str(tmp_path / "outline.txt"))
    assert drawing.media_type == "text/plain"
    assert "  total: int" in str(drawing).splitlines()
    assert (tmp_path / "outline.txt").read_text(encoding="utf-8") == str(drawing)
