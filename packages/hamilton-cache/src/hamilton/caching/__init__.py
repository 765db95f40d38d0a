"""Hamilton's result cache (1.x's ``hamilton.caching``), enabled with ``Builder().with_cache()``.

A node is skipped when a previous run computed it from the same code and the same input data:
its *cache key* (node name, code version, data versions of its dependencies) maps to the
*data version* of its result in the metadata store, and the result store holds the result.
See ``hamilton.caching.adapter.HamiltonCacheAdapter``.
"""
