"""Lifecycle adapters: how hooks, custom execution, validation and result building attach to a run.

See :mod:`hamilton.lifecycle.api` for the classes users subclass and
:mod:`hamilton.lifecycle.base` for the underlying points.
"""

from typing import Union

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

LifecycleAdapter = Union[
    base.BasePreDoAnythingHook,
    base.BaseDoCheckEdgeTypesMatch,
    base.BaseDoValidateInput,
    base.BaseValidateNode,
    base.BaseValidateGraph,
    base.BasePostGraphConstruct,
    base.BasePostGraphConstructAsync,
    base.BasePreGraphExecute,
    base.BasePreGraphExecuteAsync,
    base.BasePostTaskGroup,
    base.BasePostTaskExpand,
    base.BasePreTaskSubmission,
    base.BasePreTaskExecute,
    base.BasePreTaskExecuteAsync,
    base.BasePreNodeExecute,
    base.BasePreNodeExecuteAsync,
    base.BaseDoNodeExecute,
    base.BaseDoNodeExecuteAsync,
    base.BasePostNodeExecute,
    base.BasePostNodeExecuteAsync,
    base.BasePostTaskExecute,
    base.BasePostTaskExecuteAsync,
    base.BasePostTaskReturn,
    base.BasePostGraphExecute,
    base.BasePostGraphExecuteAsync,
    base.BaseDoBuildResult,
]

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
