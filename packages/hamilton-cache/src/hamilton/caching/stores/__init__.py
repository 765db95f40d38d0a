"""Where the cache keeps its two kinds of data.

* a :class:`~hamilton.caching.stores.base.MetadataStore` maps cache keys to data versions and
  records which keys each run used (default: SQLite, ``<path>/metadata_store.db``);
* a :class:`~hamilton.caching.stores.base.ResultStore` maps data versions to results (default:
  one pickle file per data version in ``<path>``).
"""
