"""User-facing adapter classes: implement the friendly ``run_*`` methods, not the base points.

Each class bridges one or more points of :mod:`hamilton.lifecycle.base` to a method with a
stable, keyword-only signature. Implementations should accept ``**future_kwargs`` so new
arguments can be added without breaking them.
"""

from __future__ import annotations

import abc

from hamilton.lifecycle.base import (
    BaseDoBuildResult,
    BaseDoCheckEdgeTypesMatch,
    BaseDoNodeExecute,
    BaseDoValidateInput,
    BasePostGraphConstruct,
    BasePostGraphExecute,
    BasePostNodeExecute,
    BasePostTaskExecute,
    BasePostTaskExpand,
    BasePostTaskGroup,
    BasePostTaskReturn,
    BasePreGraphExecute,
    BasePreNodeExecute,
    BasePreTaskExecute,
    BasePreTaskSubmission,
    BaseValidateGraph,
    BaseValidateNode,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from collections.abc import Collection
    from typing import Any

    from hamilton.graph import FunctionGraph
    from hamilton.graph_types import HamiltonGraph, HamiltonNode
    from hamilton.node import Node


def _public_graph(graph: FunctionGraph) -> HamiltonGraph:
    from hamilton.graph_types import HamiltonGraph

    return HamiltonGraph.from_graph(graph)


class ResultBuilder(BaseDoBuildResult, abc.ABC):
    """Shapes a run's requested outputs into its result."""

    @abc.abstractmethod
    def build_result(self, **outputs: Any) -> Any:
        """Combine ``outputs`` (name -> value) into the result ``execute`` returns."""

    def do_build_result(self, *, outputs: dict[str, Any]) -> Any:
        return self.build_result(**outputs)

    def input_types(self) -> list[type]:
        """Types this builder accepts (used for validation by some plugins)."""
        from typing import Any

        return [Any]

    def output_type(self) -> type:
        """The type of what :meth:`build_result` returns."""
        from typing import Any

        return Any


class LegacyResultMixin(ResultBuilder, abc.ABC):
    """1.x result builders declare ``build_result`` as a staticmethod; this keeps them working."""

    @staticmethod
    @abc.abstractmethod
    def build_result(**outputs: Any) -> Any:
        """Combine ``outputs`` into the result."""


class GraphAdapter(
    BaseDoNodeExecute,
    LegacyResultMixin,
    BaseDoValidateInput,
    BaseDoCheckEdgeTypesMatch,
    abc.ABC,
):
    """The 1.x graph-adapter interface, mapped onto the lifecycle points."""

    @staticmethod
    @abc.abstractmethod
    def check_input_type(node_type: type, input_value: Any) -> bool:
        """Whether ``input_value`` is valid for an input annotated ``node_type``."""

    @staticmethod
    @abc.abstractmethod
    def check_node_type_equivalence(node_type: type, input_type: type) -> bool:
        """Whether a producer of ``node_type`` may feed a parameter of ``input_type``."""

    @abc.abstractmethod
    def execute_node(self, node: Node, kwargs: dict[str, Any]) -> Any:
        """Compute ``node`` from ``kwargs``."""

    def do_node_execute(self, *, run_id: str, node_: Node, kwargs: dict[str, Any], task_id: str | None = None) -> Any:
        return self.execute_node(node_, kwargs)

    def do_validate_input(self, *, node_type: type, input_value: Any) -> bool:
        return self.check_input_type(node_type, input_value)

    def do_check_edge_types_match(self, *, type_from: type, type_to: type) -> bool:
        return self.check_node_type_equivalence(type_to, type_from)


class NodeExecutionHook(BasePreNodeExecute, BasePostNodeExecute, abc.ABC):
    """Observe every node before and after it runs."""

    def pre_node_execute(self, *, run_id: str, node_: Node, kwargs: dict[str, Any], task_id: str | None = None) -> None:
        self.run_before_node_execution(
            node_name=node_.name,
            node_tags=node_.tags,
            node_kwargs=kwargs,
            node_return_type=node_.type,
            task_id=task_id,
            run_id=run_id,
            node_input_types=node_.parameter_types(),
        )

    def post_node_execute(
        self,
        *,
        run_id: str,
        node_: Node,
        kwargs: dict[str, Any],
        success: bool,
        error: Exception | None,
        result: Any | None,
        task_id: str | None = None,
    ) -> None:
        self.run_after_node_execution(
            node_name=node_.name,
            node_tags=node_.tags,
            node_kwargs=kwargs,
            node_return_type=node_.type,
            result=result,
            error=error,
            success=success,
            task_id=task_id,
            run_id=run_id,
        )

    @abc.abstractmethod
    def run_before_node_execution(
        self,
        *,
        node_name: str,
        node_tags: dict[str, Any],
        node_kwargs: dict[str, Any],
        node_return_type: type,
        task_id: str | None,
        run_id: str,
        node_input_types: dict[str, Any],
        **future_kwargs: Any,
    ) -> None:
        """Called before a node runs."""

    @abc.abstractmethod
    def run_after_node_execution(
        self,
        *,
        node_name: str,
        node_tags: dict[str, Any],
        node_kwargs: dict[str, Any],
        node_return_type: type,
        result: Any,
        error: Exception | None,
        success: bool,
        task_id: str | None,
        run_id: str,
        **future_kwargs: Any,
    ) -> None:
        """Called after a node ran, successful or not."""


class GraphExecutionHook(BasePreGraphExecute, BasePostGraphExecute, abc.ABC):
    """Observe each run (``execute``/``materialize``) as a whole."""

    def pre_graph_execute(
        self,
        *,
        run_id: str,
        graph: FunctionGraph,
        final_vars: list[str],
        inputs: dict[str, Any],
        overrides: dict[str, Any],
    ) -> None:
        execution_path = graph.execution_path(final_vars, inputs or {}, overrides or {})
        self.run_before_graph_execution(
            graph=_public_graph(graph),
            final_vars=final_vars,
            inputs=inputs,
            overrides=overrides,
            execution_path=execution_path,
            run_id=run_id,
        )

    def post_graph_execute(
        self,
        *,
        run_id: str,
        graph: FunctionGraph,
        success: bool,
        error: Exception | None,
        results: dict[str, Any] | None,
    ) -> None:
        self.run_after_graph_execution(
            graph=_public_graph(graph), success=success, error=error, results=results, run_id=run_id
        )

    @abc.abstractmethod
    def run_before_graph_execution(
        self,
        *,
        graph: HamiltonGraph,
        final_vars: list[str],
        inputs: dict[str, Any],
        overrides: dict[str, Any],
        execution_path: Collection[str],
        run_id: str,
        **future_kwargs: Any,
    ) -> None:
        """Called before a run."""

    @abc.abstractmethod
    def run_after_graph_execution(
        self,
        *,
        graph: HamiltonGraph,
        success: bool,
        error: Exception | None,
        results: dict[str, Any] | None,
        run_id: str,
        **future_kwargs: Any,
    ) -> None:
        """Called after a run, successful or not."""


class EdgeConnectionHook(BaseDoCheckEdgeTypesMatch, BaseDoValidateInput, abc.ABC):
    """Loosen (edges) or replace (inputs) Hamilton's type checks."""

    def do_check_edge_types_match(self, *, type_from: type, type_to: type) -> bool:
        return self.check_edge_types_match(type_from, type_to)

    def do_validate_input(self, *, node_type: type, input_value: Any) -> bool:
        return self.validate_input(node_type, input_value)

    @abc.abstractmethod
    def check_edge_types_match(self, type_from: type, type_to: type, **kwargs: Any) -> bool:
        """``type_from`` is the consumer's annotation, ``type_to`` the producer's type."""

    @abc.abstractmethod
    def validate_input(self, node_type: type, input_value: Any, **kwargs: Any) -> bool:
        """Whether ``input_value`` is acceptable for an input of ``node_type``."""


class NodeExecutionMethod(BaseDoNodeExecute, abc.ABC):
    """Replace how a node is computed (call ``node_callable(**node_kwargs)`` yourself)."""

    def do_node_execute(self, *, run_id: str, node_: Node, kwargs: dict[str, Any], task_id: str | None = None) -> Any:
        from hamilton.node import NodeType

        return self.run_to_execute_node(
            node_name=node_.name,
            node_tags=node_.tags,
            node_callable=node_.callable,
            node_kwargs=kwargs,
            task_id=task_id,
            is_expand=node_.node_role is NodeType.EXPAND,
            is_collect=node_.node_role is NodeType.COLLECT,
        )

    @abc.abstractmethod
    def run_to_execute_node(
        self,
        *,
        node_name: str,
        node_tags: dict[str, Any],
        node_callable: Any,
        node_kwargs: dict[str, Any],
        task_id: str | None,
        is_expand: bool,
        is_collect: bool,
        **future_kwargs: Any,
    ) -> Any:
        """Compute the node and return its value."""


class StaticValidator(BaseValidateGraph, BaseValidateNode):
    """Reject graphs or nodes at build time with a readable reason."""

    def validate_node(self, *, created_node: Node) -> tuple[bool, Exception | None]:
        from hamilton.graph_types import HamiltonNode

        return self.run_to_validate_node(node=HamiltonNode.from_node(created_node))

    def validate_graph(self, *, graph: FunctionGraph, modules: list, config: dict[str, Any]) -> tuple[bool, str | None]:
        return self.run_to_validate_graph(graph=_public_graph(graph))

    def run_to_validate_node(self, *, node: HamiltonNode, **future_kwargs: Any) -> tuple[bool, str | None]:
        """Return ``(ok, reason)`` for one node."""
        return True, None

    def run_to_validate_graph(self, graph: HamiltonGraph, **future_kwargs: Any) -> tuple[bool, str | None]:
        """Return ``(ok, reason)`` for the graph."""
        return True, None


class GraphConstructionHook(BasePostGraphConstruct, abc.ABC):
    """Observe the graph once it is built."""

    def post_graph_construct(self, *, graph: FunctionGraph, modules: list, config: dict[str, Any]) -> None:
        self.run_after_graph_construction(graph=_public_graph(graph), config=config)

    @abc.abstractmethod
    def run_after_graph_construction(
        self, *, graph: HamiltonGraph, config: dict[str, Any], **future_kwargs: Any
    ) -> None:
        """Called after the graph is built."""


class TaskSubmissionHook(BasePreTaskSubmission, abc.ABC):
    """Observe tasks as the driver submits them (dynamic execution)."""

    def pre_task_submission(self, **kwargs: Any) -> None:
        self.run_before_task_submission(**kwargs)

    @abc.abstractmethod
    def run_before_task_submission(self, **kwargs: Any) -> None:
        """Called before a task is submitted."""


class TaskReturnHook(BasePostTaskReturn, abc.ABC):
    """Observe tasks as their results return to the driver (dynamic execution)."""

    def post_task_return(self, **kwargs: Any) -> None:
        self.run_after_task_return(**kwargs)

    @abc.abstractmethod
    def run_after_task_return(self, **kwargs: Any) -> None:
        """Called when a task's result returns."""


class TaskExecutionHook(BasePreTaskExecute, BasePostTaskExecute, abc.ABC):
    """Observe tasks where they execute (dynamic execution)."""

    def pre_task_execute(self, *, nodes: list[Node], **kwargs: Any) -> None:
        from hamilton.graph_types import HamiltonNode

        self.run_before_task_execution(nodes=[HamiltonNode.from_node(n) for n in nodes], **kwargs)

    def post_task_execute(self, *, nodes: list[Node], **kwargs: Any) -> None:
        from hamilton.graph_types import HamiltonNode

        self.run_after_task_execution(nodes=[HamiltonNode.from_node(n) for n in nodes], **kwargs)

    @abc.abstractmethod
    def run_before_task_execution(self, **kwargs: Any) -> None:
        """Called before a task's nodes run."""

    @abc.abstractmethod
    def run_after_task_execution(self, **kwargs: Any) -> None:
        """Called after a task's nodes ran."""


class TaskGroupingHook(BasePostTaskGroup, BasePostTaskExpand, abc.ABC):
    """Observe how nodes are grouped into tasks and how fan-outs expand."""

    def post_task_group(self, *, run_id: str, task_ids: list[str]) -> None:
        self.run_after_task_grouping(run_id=run_id, task_ids=task_ids)

    def post_task_expand(self, *, run_id: str, task_id: str, parameters: dict[str, Any]) -> None:
        self.run_after_task_expansion(run_id=run_id, task_id=task_id, parameters=parameters)

    @abc.abstractmethod
    def run_after_task_grouping(self, *, run_id: str, task_ids: list[str], **future_kwargs: Any) -> None:
        """Called after grouping."""

    @abc.abstractmethod
    def run_after_task_expansion(
        self, *, run_id: str, task_id: str, parameters: dict[str, Any], **future_kwargs: Any
    ) -> None:
        """Called after a fan-out expanded."""


__all__ = [
    "EdgeConnectionHook",
    "GraphAdapter",
    "GraphConstructionHook",
    "GraphExecutionHook",
    "LegacyResultMixin",
    "NodeExecutionHook",
    "NodeExecutionMethod",
    "ResultBuilder",
    "StaticValidator",
    "TaskExecutionHook",
    "TaskGroupingHook",
    "TaskReturnHook",
    "TaskSubmissionHook",
]
