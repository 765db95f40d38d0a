"""A Kedro DataCatalog as the Hamilton format ``kedro`` (hamilton.plugins.kedro_extensions)."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kedro.io import AbstractDataset, AbstractVersionedDataset, DataCatalog, MemoryDataset, Version
from kedro.io.core import DatasetNotFoundError

from hamilton import driver, plugins
from hamilton.errors import DataLoadError
from hamilton.function_modifiers import load_from, save_to, source, value
from hamilton.io.materialization import from_, to


class JSONDataset(AbstractDataset):
    """A real Kedro dataset: a JSON file."""

    def __init__(self, filepath: str):
        self._filepath = Path(filepath)

    def load(self) -> Any:
        return json.loads(self._filepath.read_text())

    def save(self, data: Any) -> None:
        self._filepath.write_text(json.dumps(data))

    def _describe(self) -> dict[str, Any]:
        return {"filepath": str(self._filepath)}


class VersionedJSONDataset(AbstractVersionedDataset):
    """A versioned Kedro dataset: each save writes <filepath>/<version>/<name>."""

    def __init__(self, filepath: str, version: Version | None = None):
        super().__init__(filepath=PurePosixPath(filepath), version=version)

    def load(self) -> Any:
        return json.loads(Path(self._get_load_path()).read_text())

    def save(self, data: Any) -> None:
        path = Path(self._get_save_path())
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data))

    def _describe(self) -> dict[str, Any]:
        return {"filepath": str(self._filepath), "version": self._version}


def orders() -> list:
    return [{"id": 1, "amount": 3}, {"id": 2, "amount": -1}, {"id": 3, "amount": 7}]


def positive(orders: list) -> list:
    return [o for o in orders if o["amount"] > 0]


def total(positive: list) -> int:
    return sum(o["amount"] for o in positive)


def test_materialize_loads_from_and_saves_to_a_catalog(tmp_path):
    (tmp_path / "orders.json").write_text(json.dumps([{"id": 9, "amount": 5}, {"id": 8, "amount": 0}]))
    catalog = DataCatalog(
        {"orders": JSONDataset(str(tmp_path / "orders.json")), "total": JSONDataset(str(tmp_path / "total.json"))}
    )
    dr = driver.Builder().with_functions(orders, positive, total).build()

    saved, results = dr.materialize(
        from_.kedro(target="orders", dataset_name="orders", catalog=catalog),
        to.kedro(id="total_to_kedro", dependencies=["total"], dataset_name="total", catalog=catalog),
        additional_vars=["positive"],
    )

    assert results["positive"] == [{"id": 9, "amount": 5}]
    assert saved["total_to_kedro"] == {"success": True, "dataset_name": "total"}
    assert json.loads((tmp_path / "total.json").read_text()) == 5
    assert catalog.load("total") == 5


def test_decorators_read_and_write_a_catalog():
    catalog = DataCatalog({"raw": MemoryDataset([1, 2, 3]), "doubled": MemoryDataset()})

    @save_to.kedro(dataset_name=value("doubled"), catalog=source("catalog"), output_name_="save_doubled")
    @load_from.kedro(dataset_name=value("raw"), catalog=source("catalog"))
    def doubled(raw: list) -> list:
        return [2 * x for x in raw]

    dr = driver.Builder().with_functions(doubled).build()
    result = dr.execute(["save_doubled"], inputs={"catalog": catalog})
    assert result["save_doubled"]["dataset_name"] == "doubled"
    assert catalog.load("doubled") == [2, 4, 6]


def test_the_loader_reads_a_given_version(tmp_path):
    path = str(tmp_path / "scores")
    for version, scores in [("2024-01-01T00.00.00.000Z", [1]), ("2024-02-01T00.00.00.000Z", [1, 2])]:
        VersionedJSONDataset(path, Version(None, version)).save(scores)
    catalog = DataCatalog({"scores": VersionedJSONDataset(path, Version(None, None))})

    def count(scores: list) -> int:
        return len(scores)

    dr = driver.Builder().with_functions(count).build()
    _, latest = dr.materialize(
        from_.kedro(target="scores", dataset_name="scores", catalog=catalog), additional_vars=["count"]
    )
    _, first = dr.materialize(
        from_.kedro(target="scores", dataset_name="scores", catalog=catalog, version="2024-01-01T00.00.00.000Z"),
        additional_vars=["count"],
    )
    assert (latest["count"], first["count"]) == (2, 1)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=30, deadline=None)
@given(data=json_values.filter(lambda v: v is not None))  # Kedro refuses to save None
def test_round_trip_through_a_kedro_dataset(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("round") / "value.json"
    catalog = DataCatalog({"value": JSONDataset(str(path))})

    def payload() -> Any:
        return data

    dr = driver.Builder().with_functions(payload).build()
    dr.materialize(to.kedro(id="save", dependencies=["payload"], dataset_name="value", catalog=catalog))
    loaded, metadata = plugins.loaders("kedro")[0](dataset_name="value", catalog=catalog).load_data(object)
    assert loaded == data
    assert metadata == {"dataset_name": "value", "version": None}


def test_an_unknown_dataset_names_the_node_and_what_the_catalog_has():
    catalog = DataCatalog({"orders": MemoryDataset([1]), "customers": MemoryDataset([2])})

    def n_orders(ordrs: list) -> int:
        return len(ordrs)

    dr = driver.Builder().with_functions(n_orders).build()
    with pytest.raises(DataLoadError) as caught:
        dr.materialize(from_.kedro(target="ordrs", dataset_name="ordrs", catalog=catalog), additional_vars=["n_orders"])
    message = str(caught.value)
    assert "'ordrs'" in message
    assert "'customers', 'orders'" in message
    assert "Did you mean 'orders'" in message
    assert isinstance(caught.value.__cause__, DatasetNotFoundError)


def test_saving_to_an_unknown_dataset_is_an_error_naming_it():
    catalog = DataCatalog({"known": MemoryDataset()})

    def answer() -> int:
        return 42

    dr = driver.Builder().with_functions(answer).build()
    with pytest.raises(DatasetNotFoundError, match=r"KedroSaver: dataset 'unknown'.*'known'"):
        dr.materialize(to.kedro(id="save", dependencies=["answer"], dataset_name="unknown", catalog=catalog))


def test_misused_arguments_are_refused():
    from hamilton.plugins.kedro_extensions import KedroLoader, KedroSaver

    with pytest.raises(TypeError, match=r"catalog=.*must be a Kedro DataCatalog.*got dict"):
        KedroLoader(dataset_name="x", catalog={"x": 1})
    with pytest.raises(TypeError, match=r"dataset_name=.*non-empty str"):
        KedroSaver(dataset_name="", catalog=DataCatalog({}))


def test_the_format_is_found_without_importing_the_module_by_hand():
    assert [cls.__name__ for cls in plugins.loaders("kedro")] == ["KedroLoader"]
    assert [cls.__name__ for cls in plugins.savers("kedro")] == ["KedroSaver"]
