"""1.x behaviours of hamilton.io: factory protocols, from_ on a graph input, SQL metadata rows."""

import dataclasses
from collections.abc import Collection
from typing import Any

from hamilton import graph, node
from hamilton.io import materialization
from hamilton.io.data_adapters import DataLoader
from hamilton.io.materialization import (
    ExtractorFactory,
    _ExtractorFactoryProtocol,
    _MaterializerFactoryProtocol,
    from_,
    to,
)
from hamilton.io.utils import SQL_METADATA, get_sql_metadata


@dataclasses.dataclass
class FixedLoader(DataLoader):
    fixed: Any

    def load_data(self, type_: type) -> tuple[Any, dict[str, Any]]:
        return self.fixed, {"fixed": True}

    @classmethod
    def applicable_types(cls) -> Collection[type]:
        return [dict]

    @classmethod
    def name(cls) -> str:
        return "io_1x_fixed"


def test_format_factories_match_the_1x_protocols():
    assert isinstance(to.json, _MaterializerFactoryProtocol)
    assert isinstance(from_.json, _ExtractorFactoryProtocol)
    assert not isinstance(42, _ExtractorFactoryProtocol)


def test_extractor_targets_an_input_that_only_a_parameter_declares():
    def consumer(data: dict) -> dict:
        return {"seen": data}

    consumer_node = node.Node.from_fn(consumer)
    unwired = graph.FunctionGraph({consumer_node.name: consumer_node}, {})
    assert "data" not in unwired  # no node for the input: only consumer's parameter names it
    modified = materialization.modify_graph(unwired, [], [ExtractorFactory("data", [FixedLoader], fixed={"a": 1})])
    assert modified["data"].type is dict
    result = modified.execute(nodes=[modified["consumer"]])
    assert result["consumer"] == {"seen": {"a": 1}}


class _FrameLike:
    shape = (3, 2)


def test_sql_metadata_counts_rows_of_counts_and_frames_only():
    assert get_sql_metadata("my_table", _FrameLike())[SQL_METADATA]["rows"] == 3
    by_query = get_sql_metadata("SELECT a FROM t", 5)[SQL_METADATA]
    assert (by_query["rows"], by_query["query"], by_query["table_name"]) == (5, "SELECT a FROM t", None)
    assert get_sql_metadata("SELECT a FROM t", "not rows")[SQL_METADATA]["rows"] is None
    assert get_sql_metadata("t", [1, 2])[SQL_METADATA]["rows"] is None
