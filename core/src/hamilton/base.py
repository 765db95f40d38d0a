"""Result builders and the legacy (1.x) graph-adapter classes.

The pandas/numpy result builders of 1.x (``PandasDataFrameResult``...) moved to the
``hamilton-pandas`` distribution; importing them from here still works once it is installed
(``pip install "apache-hamilton[pandas]"``).
"""

from __future__ import annotations

import abc
from typing import Any

from hamilton import htypes
from hamilton._moved import MovedName, resolve_moved
from hamilton.lifecycle.api import GraphAdapter, LegacyResultMixin
from hamilton.node import Node

_PANDAS = ("hamilton.plugins.h_pandas", "hamilton-pandas", "pandas")
_MOVED = {
    name: MovedName(*_PANDAS)
    for name in (
        "PandasDataFrameResult",
        "StrictIndexTypePandasDataFrameResult",
        "NumpyMatrixResult",
        "SimplePythonDataFrameGraphAdapter",
    )
}


def __getattr__(name: str) -> Any:
    return resolve_moved(__name__, name, _MOVED)


class ResultMixin(LegacyResultMixin):
    """Base of 1.x result builders: implement ``build_result(**outputs)`` (a staticmethod)."""

    @staticmethod
    @abc.abstractmethod
    def build_result(**outputs: Any) -> Any:
        """Combine ``outputs`` into the run's result."""

    def output_type(self) -> type:
        return Any


class DictResult(ResultMixin):
    """Returns the requested outputs as a dict (the ``Builder``'s default)."""

    @staticmethod
    def build_result(**outputs: Any) -> dict[str, Any]:
        return outputs

    def output_type(self) -> type:
        return dict[str, Any]


class HamiltonGraphAdapter(GraphAdapter, abc.ABC):
    """The 1.x adapter interface: input checks, edge checks, node execution, result building."""


class SimplePythonGraphAdapter(HamiltonGraphAdapter):
    """Runs nodes in-process and delegates result building (default: :class:`DictResult`)."""

    def __init__(self, result_builder: ResultMixin | None = None):
        self.result_builder = result_builder if result_builder is not None else DictResult()

    @staticmethod
    def check_input_type(node_type: type, input_value: Any) -> bool:
        return htypes.check_input_type(node_type, input_value)

    @staticmethod
    def check_node_type_equivalence(node_type: type, input_type: type) -> bool:
        return node_type == input_type

    def execute_node(self, node: Node, kwargs: dict[str, Any]) -> Any:
        return node.callable(**kwargs)

    def build_result(self, **outputs: Any) -> Any:
        return self.result_builder.build_result(**outputs)

    def output_type(self) -> type:
        return self.result_builder.output_type()


class DefaultAdapter(SimplePythonGraphAdapter):
    """1.x's name for the default in-process adapter."""
