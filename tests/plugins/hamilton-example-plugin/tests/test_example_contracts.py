"""Hamilton's contract kit against every kind the plugin provides.

The objects under test are obtained through Hamilton's public lookups (``renderer("outline")``,
``savers("table_text")``...), so the tests check what the installed plugin actually registered,
not merely classes imported from the package.
"""

from __future__ import annotations

from typing import Any

import pytest
from hamilton_example_plugin import Table

import hamilton.plugins
from hamilton.plugins.testing import (
    AdapterContract,
    DataFrameBackendContract,
    ExecutorContract,
    FingerprinterContract,
    MaterializerContract,
    RendererContract,
    ResultBuilderContract,
)

pytestmark = pytest.mark.usefixtures("installed_plugin")


class TestOutlineRenderer(RendererContract):
    def make_renderer(self) -> Any:
        return hamilton.plugins.renderer("outline")


class TestTableTextMaterializers(MaterializerContract):
    def saver(self, path: Any) -> Any:
        (saver,) = hamilton.plugins.savers("table_text")
        return saver(path=path / "table.txt")

    def loader(self, path: Any) -> Any:
        (loader,) = hamilton.plugins.loaders("table_text")
        return loader(path=path / "table.txt")

    def sample_value(self) -> Any:
        return Table({"id": [1, 2, 3], "name": ["a\tb", 'quote "q"', None], "score": [0.5, -1.0, 1e300]})


class TestTableFingerprinter(FingerprinterContract):
    # `plugin` stays None: the installed_plugin fixture loads the plugin through its entry point.
    def make_values(self) -> list[Any]:
        return [
            Table({"a": [1, 2]}),
            Table({"a": [2, 1]}),
            Table({"b": [1, 2]}),
            Table({"a": [1], "b": [2]}),
            Table({"b": [2], "a": [1]}),
            Table({"a": ["1", "2"]}),
            Table(),
        ]

    def make_equal_pair(self) -> tuple[Any, Any]:
        return Table({"a": [1, 2], "b": ["x", None]}), Table({"a": [1, 2], "b": ["x", None]})


class TestInlineThreadsExecutor(ExecutorContract):
    def make_executor(self) -> Any:
        return hamilton.plugins.executor("inline_threads")


class TestTableResultBuilder(ResultBuilderContract):
    def make_builder(self) -> Any:
        return hamilton.plugins.result_builder("table")

    def sample_outputs(self) -> dict[str, Any]:
        return {"a": [1, 2, 3], "b": 5, "c": ("x", "y", "z")}


class TestNodeCounterAdapter(AdapterContract):
    def make_adapter(self) -> Any:
        return hamilton.plugins.adapter("node_counter")


class TestTableBackend(DataFrameBackendContract):
    def make_backend(self) -> Any:
        backend = hamilton.plugins.dataframe_backend(Table)
        assert backend is not None
        return backend

    def make_frame(self) -> Any:
        return Table({"a": [1, 2, 3], "b": [4, 5, 6]})
