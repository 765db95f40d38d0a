"""Lifecycle adapters: how hooks, custom execution, validation and result building attach to a run.

See :mod:`hamilton.lifecycle.api` for the classes users subclass and
:mod:`hamilton.lifecycle.base` for the underlying points.
"""

from hamilton.lifecycle import base
from hamilton.lifecycle.api import (
    EdgeConnectionHook,
    GraphAdapter,
    GraphConstructionHook,
    GraphExecutionHook,
    LegacyResultMixin,
    NodeExecutionHook,
    NodeExecutionMethod,
    ResultBuilder,
    StaticValidator,
    TaskExecutionHook,
    TaskGroupingHook,
    TaskReturnHook,
    TaskSubmissionHook,
)
from hamilton.lifecycle.base import LifecycleAdapterSet

_ADAPTER_BASES = (
    "BasePreDoAnythingHook",
    "BaseDoCheckEdgeTypesMatch",
    "BaseDoValidateInput",
    "BaseValidateNode",
    "BaseValidateGraph",
    "BasePostGraphConstruct",
    "BasePostGraphConstructAsync",
    "BasePreGraphExecute",
    "BasePreGraphExecuteAsync",
    "BasePostTaskGroup",
    "BasePostTaskExpand",
    "BasePreTaskSubmission",
    "BasePreTaskExecute",
    "BasePreTaskExecuteAsync",
    "BasePreNodeExecute",
    "BasePreNodeExecuteAsync",
    "BaseDoNodeExecute",
    "BaseDoNodeExecuteAsync",
    "BasePostNodeExecute",
    "BasePostNodeExecuteAsync",
    "BasePostTaskExecute",
    "BasePostTaskExecuteAsync",
    "BasePostTaskReturn",
    "BasePostGraphExecute",
    "BasePostGraphExecuteAsync",
    "BaseDoBuildResult",
)


def __getattr__(name: str) -> object:
    # ``LifecycleAdapter`` (the Union of every base class, for annotations) needs ``typing``;
    # it is built on first use so that importing the lifecycle stays cheap.
    if name == "LifecycleAdapter":
        from typing import Union

        union = Union[tuple(getattr(base, base_name) for base_name in _ADAPTER_BASES)]
        globals()[name] = union
        return union
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "EdgeConnectionHook",
    "GraphAdapter",
    "GraphConstructionHook",
    "GraphExecutionHook",
    "LegacyResultMixin",
    "LifecycleAdapter",
    "LifecycleAdapterSet",
    "NodeExecutionHook",
    "NodeExecutionMethod",
    "ResultBuilder",
    "StaticValidator",
    "TaskExecutionHook",
    "TaskGroupingHook",
    "TaskReturnHook",
    "TaskSubmissionHook",
]
