"""1.x's ``hamilton.plugins.h_narwhals``: write node functions once, against narwhals.

* :class:`NarwhalsAdapter` runs every node through ``narwhals.narwhalify``: the function gets
  narwhals objects for native frames/series and its narwhals results come back native. Flags
  of ``narwhalify`` (``eager_only``, ``series_only``, ``allow_series``...) come from the node's
  ``nw_kwargs`` tag: ``@tag(nw_kwargs=["eager_only"])``.
* :class:`NarwhalsDataFrameResultBuilder` turns narwhals outputs native, then lets the wrapped
  result builder (``PandasDataFrameResult()``, ``PolarsDataFrameResult()``...) combine them.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw

from hamilton.lifecycle import api

NW_KWARGS_TAG = "nw_kwargs"


def _narwhalify_flags(node_tags: dict[str, Any]) -> dict[str, bool]:
    """The ``narwhalify`` flags a node's ``nw_kwargs`` tag turns on (a name, or a list of names)."""
    flags = node_tags.get(NW_KWARGS_TAG, ())
    if isinstance(flags, str):
        flags = [flags]
    return dict.fromkeys(flags, True)


class NarwhalsAdapter(api.NodeExecutionMethod):
    """Runs each node through ``narwhals.narwhalify`` (see the module docstring)."""

    def run_to_execute_node(
        self,
        *,
        node_name: str,
        node_tags: dict[str, Any],
        node_callable: Any,
        node_kwargs: dict[str, Any],
        task_id: str | None = None,
        **future_kwargs: Any,
    ) -> Any:
        flags = _narwhalify_flags(node_tags)
        try:
            narwhalified = nw.narwhalify(node_callable, **flags)
        except TypeError as error:
            raise TypeError(
                f"Node {node_name}: its {NW_KWARGS_TAG} tag {node_tags.get(NW_KWARGS_TAG)!r} names a flag "
                f"narwhals.narwhalify does not take ({error})."
            ) from error
        return narwhalified(**node_kwargs)


def to_native(value: Any) -> Any:
    """``value`` as its native object when it is a narwhals frame or series, else unchanged."""
    return nw.to_native(value, pass_through=True)


class NarwhalsDataFrameResultBuilder(api.ResultBuilder):
    """Converts narwhals outputs to native objects, then delegates to ``result_builder``."""

    def __init__(self, result_builder: api.ResultBuilder | Any):
        self.result_builder = result_builder

    def build_result(self, **outputs: Any) -> Any:
        return self.result_builder.build_result(**{name: to_native(value) for name, value in outputs.items()})

    def output_type(self) -> type:
        return self.result_builder.output_type()

    def input_types(self) -> list[type]:
        return self.result_builder.input_types() if hasattr(self.result_builder, "input_types") else [Any]
