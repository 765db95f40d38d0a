"""1.x's file-based caching adapter, kept for 1.x compatibility: use ``Builder().with_cache()``.

:class:`CachingGraphAdapter` stores the result of every node tagged ``@tag(cache="<format>")`` in
``<cache_path>/<node name>.<format>`` and loads it from there on later runs. It has no notion of
code or input changes (the file is reused until it is deleted or the node is forced), which is why
the fingerprinting result cache of ``Builder().with_cache()`` replaces it.

The readers and writers are ``functools.singledispatch`` functions, dispatched on the value
(writers) or on an empty instance of the node's type (readers); extend them with
``write_json.register(MyType)``. The pandas implementations are registered on the abstract types of
:mod:`hamilton.experimental.h_databackends`, so pandas is imported only when a pandas value is read.
"""

from __future__ import annotations

import functools
import json
import os
import pickle
import typing
from collections.abc import Callable
from typing import Any

from hamilton import base
from hamilton.deprecation import warn_deprecated
from hamilton.experimental.h_databackends import AbstractPandasColumn, AbstractPandasDataFrame
from hamilton.lifecycle.base import BasePreGraphExecute
from hamilton.node import Node

_INSTEAD = "Use the result cache instead: driver.Builder().with_cache()."

warn_deprecated("hamilton.experimental.h_cache", instead=_INSTEAD)


def _no_writer(fmt: str, data: Any) -> NotImplementedError:
    return NotImplementedError(f"No {fmt} writer for type {type(data)} registered.")


def _no_reader(fmt: str, data: Any) -> NotImplementedError:
    return NotImplementedError(f"No {fmt} reader for type {type(data)} registered.")


def _first_column(frame: Any) -> Any:
    """A series stored as a one-column frame (named after its node), back as that series."""
    return frame[frame.columns[0]]


# -- json -------------------------------------------------------------------------------------


@functools.singledispatch
def write_json(data: object, filepath: str, name: str) -> None:
    """Writes ``data`` (node ``name``) to a json file."""
    raise _no_writer("json", data)


@functools.singledispatch
def read_json(data: object, filepath: str) -> Any:
    """Reads a json file into a value of the type of ``data`` (an empty instance)."""
    raise _no_reader("json", data)


@write_json.register(dict)
def _write_json_dict(data: dict, filepath: str, name: str) -> None:
    with open(filepath, "w", encoding="utf8") as file:
        json.dump(data, file)


@read_json.register(dict)
def _read_json_dict(data: dict, filepath: str) -> dict:
    with open(filepath, encoding="utf8") as file:
        return json.load(file)


@write_json.register(AbstractPandasDataFrame)
def _write_json_frame(data: Any, filepath: str, name: str) -> None:
    data.to_json(filepath)


@write_json.register(AbstractPandasColumn)
def _write_json_series(data: Any, filepath: str, name: str) -> None:
    data.to_frame(name=name).to_json(filepath)


@read_json.register(AbstractPandasDataFrame)
def _read_json_frame(data: Any, filepath: str) -> Any:
    import pandas as pd

    return pd.read_json(filepath)


@read_json.register(AbstractPandasColumn)
def _read_json_series(data: Any, filepath: str) -> Any:
    import pandas as pd

    return _first_column(pd.read_json(filepath))


# -- feather and parquet (pandas only) --------------------------------------------------------


@functools.singledispatch
def write_feather(data: object, filepath: str, name: str) -> None:
    """Writes a pandas DataFrame or Series (node ``name``) to a feather file."""
    raise _no_writer("feather", data)


@functools.singledispatch
def read_feather(data: object, filepath: str) -> Any:
    """Reads a feather file into a value of the type of ``data`` (an empty instance)."""
    raise _no_reader("feather", data)


@functools.singledispatch
def write_parquet(data: object, filepath: str, name: str) -> None:
    """Writes a pandas DataFrame or Series (node ``name``) to a parquet file."""
    raise _no_writer("parquet", data)


@functools.singledispatch
def read_parquet(data: object, filepath: str) -> Any:
    """Reads a parquet file into a value of the type of ``data`` (an empty instance)."""
    raise _no_reader("parquet", data)


def _register_pandas_columnar(writer: Any, reader: Any, method: str) -> None:
    """Register ``DataFrame.to_<method>`` / ``pd.read_<method>`` for frames and series."""

    def write_frame(data: Any, filepath: str, name: str) -> None:
        getattr(data, f"to_{method}")(filepath)

    def write_series(data: Any, filepath: str, name: str) -> None:
        getattr(data.to_frame(name=name), f"to_{method}")(filepath)

    def read_frame(data: Any, filepath: str) -> Any:
        import pandas as pd

        return getattr(pd, f"read_{method}")(filepath)

    def read_series(data: Any, filepath: str) -> Any:
        return _first_column(read_frame(data, filepath))

    writer.register(AbstractPandasDataFrame, write_frame)
    writer.register(AbstractPandasColumn, write_series)
    reader.register(AbstractPandasDataFrame, read_frame)
    reader.register(AbstractPandasColumn, read_series)


_register_pandas_columnar(write_feather, read_feather, "feather")
_register_pandas_columnar(write_parquet, read_parquet, "parquet")


# -- pickle -----------------------------------------------------------------------------------


@functools.singledispatch
def write_pickle(data: Any, filepath: str, name: str) -> None:
    """Writes any picklable value to a pickle file."""
    with open(filepath, "wb") as file:
        pickle.dump(data, file)


@functools.singledispatch
def read_pickle(data: Any, filepath: str) -> Any:
    """Reads a pickle file (``data`` is ignored: pickles carry their own type)."""
    with open(filepath, "rb") as file:
        return pickle.load(file)


# -- the adapter ------------------------------------------------------------------------------

Writer = Callable[[Any, str, str], None]
Reader = Callable[[Any, str], Any]


class CachingGraphAdapter(base.SimplePythonGraphAdapter, BasePreGraphExecute):
    """Caches the nodes tagged ``cache="<format>"`` as files in ``cache_path`` (1.x's adapter).

    Deprecated: ``driver.Builder().with_cache()`` is the result cache of Hamilton 2, which also
    notices code and input changes. This adapter reuses a node's file until one of these holds:

    * the node is in ``force_compute``;
    * the file does not exist;
    * an upstream node was recomputed from its function because of one of these reasons
      (transitively, also through untagged nodes).

    Formats ``json`` (dicts, pandas), ``feather``, ``parquet`` (pandas) and ``pickle`` (anything)
    are built in; ``writers``/``readers`` add or replace formats. A writer is called as
    ``writer(value, filepath, node_name)``, a reader as ``reader(empty_instance_of_node_type,
    filepath)``.

    :param cache_path: the folder of the cache files (created when first written to).
    :param args: passed on to :class:`~hamilton.base.SimplePythonGraphAdapter`: the result builder.
    :param force_compute: names of nodes to recompute (and rewrite) on every run.
    :param writers: ``{format: writer}``, merged over the built-in ones.
    :param readers: ``{format: reader}``, merged over the built-in ones.
    """

    def __init__(
        self,
        cache_path: str,
        *args: Any,
        force_compute: set[str] | None = None,
        writers: dict[str, Writer] | None = None,
        readers: dict[str, Reader] | None = None,
        **kwargs: Any,
    ):
        warn_deprecated("hamilton.experimental.h_cache.CachingGraphAdapter", instead=_INSTEAD)
        super().__init__(*args, **kwargs)
        self.cache_path = cache_path
        self.force_compute = set(force_compute) if force_compute is not None else set()
        self._init_default_readers_writers()
        self.writers.update(writers or {})
        self.readers.update(readers or {})
        self.computed_nodes: set[str] = set()

    def _init_default_readers_writers(self) -> None:
        self.writers: dict[str, Writer] = {
            "json": write_json,
            "feather": write_feather,
            "parquet": write_parquet,
            "pickle": write_pickle,
        }
        self.readers: dict[str, Reader] = {
            "json": read_json,
            "feather": read_feather,
            "parquet": read_parquet,
            "pickle": read_pickle,
        }

    def _check_format(self, fmt: str) -> None:
        if fmt not in self.writers or fmt not in self.readers:
            raise ValueError(f"invalid cache format: {fmt}")

    def _write_cache(self, fmt: str, data: Any, filepath: str, node_name: str) -> None:
        self._check_format(fmt)
        self.writers[fmt](data, filepath, node_name)

    def _read_cache(self, fmt: str, expected_type: Any, filepath: str) -> Any:
        self._check_format(fmt)
        return self.readers[fmt](self._get_empty_expected_type(expected_type), filepath)

    @staticmethod
    def _get_empty_expected_type(expected_type: Any) -> Any:
        """An empty instance of the node's type (of its origin for ``list[int]``...), to dispatch on."""
        return (typing.get_origin(expected_type) or expected_type)()

    def pre_graph_execute(self, *, run_id: str, graph: Any, final_vars: list, inputs: dict, overrides: dict) -> None:
        # a run that failed half-way must not make the next one recompute
        self.computed_nodes = set()

    def execute_node(self, node: Node, kwargs: dict[str, Any]) -> Any:
        """Loads the node from its cache file, or computes it (and writes the file).

        Untagged nodes always run; they pass "recomputed" on to their dependents only when one of
        their own inputs was recomputed.
        """
        upstream_recomputed = any(name in self.computed_nodes for name in node.input_types)
        fmt = node.tags.get("cache")
        if fmt is None:
            if upstream_recomputed:
                self.computed_nodes.add(node.name)
            return super().execute_node(node, kwargs)
        filepath = os.path.join(self.cache_path, f"{node.name}.{fmt}")
        if upstream_recomputed or node.name in self.force_compute or not os.path.exists(filepath):
            result = super().execute_node(node, kwargs)
            os.makedirs(self.cache_path, exist_ok=True)
            self._write_cache(fmt, result, filepath, node.name)
            self.computed_nodes.add(node.name)
            return result
        return self._read_cache(fmt, node.type, filepath)

    def build_result(self, **outputs: Any) -> Any:
        """Forgets this run's recomputed nodes and builds the result with the result builder."""
        self.computed_nodes = set()
        return super().build_result(**outputs)
