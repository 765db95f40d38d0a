"""The distribution as a core plugin: entry point, lookup by name, adapter contract."""

from __future__ import annotations

import importlib.metadata

from hamilton import plugins
from hamilton.caching.adapter import HamiltonCacheAdapter
from hamilton.caching.stores.memory import InMemoryMetadataStore, InMemoryResultStore
from hamilton.plugins.testing import AdapterContract


def test_entry_point_registers_the_adapter():
    (entry_point,) = [ep for ep in importlib.metadata.entry_points(group="hamilton.plugins") if ep.name == "cache"]
    plugin = entry_point.load()
    assert plugin.hamilton_adapters() == {"cache": HamiltonCacheAdapter}


def test_adapter_by_name(tmp_path):
    adapter = plugins.adapter("cache", path=tmp_path, recompute=["a"])
    assert isinstance(adapter, HamiltonCacheAdapter)
    assert (tmp_path / "metadata_store.db").exists()


class TestCacheAdapterContract(AdapterContract):
    def make_adapter(self) -> HamiltonCacheAdapter:
        return HamiltonCacheAdapter(metadata_store=InMemoryMetadataStore(), result_store=InMemoryResultStore())
