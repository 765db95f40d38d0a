"""Hamilton on Dask: 1.x's ``hamilton.plugins.h_dask``, and the 2.0 ways to scale out.

Three ways to run a dataflow on a Dask cluster, from the least to the most Hamilton on the workers:

* :func:`compile_graph` turns one request into a plain dask graph of your own functions: it runs
  where only dask (and your code) is installed.
* :class:`DaskExecutor` runs the tasks of a dynamic run (``Parallelizable``/``Collect`` blocks,
  or every node with ``with_local_executor``) on a ``distributed.Client``; the executor plugin
  ``"dask"`` makes one (``Builder().with_remote_executor("dask")``).
* :class:`DaskGraphAdapter` (1.x) makes every node a ``dask.delayed`` call and computes the
  result at the end; with ``use_delayed=False`` it runs nodes directly, for dask collections.

:class:`DaskDataFrameResult` builds a dask DataFrame from a run's outputs.
"""

from __future__ import annotations

import itertools
import uuid
from typing import Any

import dask
from dask.delayed import Delayed, delayed

from hamilton import base, htypes
from hamilton.node import Node
from hamilton.plugins.dask_compile import CompiledGraph, CompileError, compile_graph
from hamilton.plugins.dask_executor import DaskExecutor
from hamilton.plugins.dask_results import DaskDataFrameResult

__all__ = [
    "CompileError",
    "CompiledGraph",
    "DaskDataFrameResult",
    "DaskExecutor",
    "DaskGraphAdapter",
    "compile_graph",
]


def _dask_frame_types() -> tuple[tuple[type, ...], tuple[type, ...]]:
    """(dask Series types, dask DataFrame types), empty when dask.dataframe is not installed."""
    try:
        import dask.dataframe as dd
    except ImportError:
        return (), ()
    return (dd.Series,), (dd.DataFrame,)


def _pandas_stand_ins(node_type: Any) -> tuple[type, ...]:
    """The dask types a value may have where ``node_type`` (a pandas type) is declared."""
    import sys

    pandas = sys.modules.get("pandas")
    if pandas is None:
        return ()
    series, frames = _dask_frame_types()
    if node_type is pandas.Series:
        return series
    if node_type is pandas.DataFrame:
        return frames
    return ()


class _NodeCall:
    """A node's function as a dask task: on failure, the error says which node it was."""

    __slots__ = ("function", "location", "name")

    def __init__(self, node_: Node):
        self.function = node_.callable
        self.name = node_.name
        self.location = node_.location()

    def __call__(self, **kwargs: Any) -> Any:
        try:
            result = self.function(**kwargs)
            if hasattr(result, "__await__"):  # an async def node: awaited in the worker
                import asyncio

                result = asyncio.run(_awaited(result))
            return result
        except Exception as error:
            if hasattr(error, "add_note"):  # Python 3.11+
                error.add_note(f"Hamilton: node '{self.name}' failed on dask; it is computed by {self.location}.")
            raise


async def _awaited(awaitable: Any) -> Any:
    return await awaitable


class DaskGraphAdapter(base.HamiltonGraphAdapter):
    """1.x's adapter: every node becomes a ``dask.delayed`` call on ``dask_client``'s cluster.

    ``execute`` builds the whole graph lazily, then computes the result at the end (one
    ``compute`` of the result builder's output): dask decides what runs where and in parallel.

    :param dask_client: the ``distributed.Client`` of the cluster to run on.
    :param result_builder: shapes the outputs (default ``PandasDataFrameResult``, as in 1.x;
        needs ``hamilton-pandas``). ``DaskDataFrameResult`` keeps the result a dask DataFrame.
    :param visualize_kwargs: if given, ``dask.visualize(result, **visualize_kwargs)`` draws the
        task graph before it is computed (needs the ``graphviz`` package).
    :param use_delayed: wrap nodes in ``dask.delayed`` (default). ``False`` calls node functions
        directly: for dataflows of dask collections (dask DataFrames), which are lazy already.
    :param compute_at_end: compute the result (default). ``False`` returns it lazy (a
        ``Delayed``, or the result builder's output of dask collections).
    """

    def __init__(
        self,
        dask_client: Any,
        result_builder: base.ResultMixin | None = None,
        visualize_kwargs: dict | None = None,
        use_delayed: bool = True,
        compute_at_end: bool = True,
    ):
        self.client = dask_client
        if result_builder is None:
            result_builder = base.PandasDataFrameResult()  # 1.x's default (hamilton-pandas)
        self.result_builder = result_builder
        self.visualize_kwargs = visualize_kwargs
        self.use_delayed = use_delayed
        self.compute_at_end = compute_at_end
        self._key_prefix = uuid.uuid4().hex[:12]
        self._key_counter = itertools.count()

    @staticmethod
    def check_input_type(node_type: Any, input_value: Any) -> bool:
        """A ``Delayed`` stands in for any type (its value is not known yet); a dask Series or
        DataFrame for its pandas counterpart; anything else is checked as usual."""
        if isinstance(input_value, Delayed):
            return True
        stand_ins = _pandas_stand_ins(node_type)
        if stand_ins and isinstance(input_value, stand_ins):
            return True
        return htypes.check_input_type(node_type, input_value)

    @staticmethod
    def check_node_type_equivalence(node_type: Any, input_type: Any) -> bool:
        """A node declaring a dask Series/DataFrame may take its pandas counterpart."""
        if node_type == input_type:
            return True
        return bool(_pandas_stand_ins(input_type)) and node_type in _pandas_stand_ins(input_type)

    def execute_node(self, node: Node, kwargs: dict[str, Any]) -> Any:
        if not self.use_delayed:
            return node.callable(**kwargs)
        key = f"{node.name}-{self._key_prefix}-{next(self._key_counter)}"
        return delayed(_NodeCall(node), name=node.name, pure=False)(**kwargs, dask_key_name=key)

    def build_result(self, **outputs: Any) -> Any:
        if self.use_delayed:
            result = delayed(self.result_builder.build_result, pure=False)(
                **outputs, dask_key_name=f"build_result-{self._key_prefix}-{next(self._key_counter)}"
            )
        else:
            result = self.result_builder.build_result(**outputs)
        if self.visualize_kwargs is not None:
            dask.visualize(result, **self.visualize_kwargs)
        if not self.compute_at_end:
            return result
        (computed,) = dask.compute(result, scheduler=self.client)
        return computed

    def input_types(self) -> list[type]:
        return [Any]

    def output_type(self) -> type:
        return Any
