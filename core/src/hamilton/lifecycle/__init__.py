"""Lifecycle adapters: how hooks, custom execution, validation and result building attach to a run.

See :mod:`hamilton.lifecycle.api` for the classes users subclass,
:mod:`hamilton.lifecycle.base` for the underlying points and :mod:`hamilton.lifecycle.default`
for ready-made adapters (``PrintLn``, ``PDBDebugger``...), which load on first use.
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


# Ready-made adapters of ``hamilton.lifecycle.default``, exported here under their 1.x names.
_DEFAULT_ADAPTERS = {
    "PrintLn": "PrintLn",
    "PrintLnHook": "PrintLn",
    "PDBDebugger": "PDBDebugger",
    "FunctionInputOutputTypeChecker": "FunctionInputOutputTypeChecker",
    "NoEdgeAndInputTypeChecking": "NoEdgeAndInputTypeChecking",
    "GracefulErrorAdapter": "GracefulErrorAdapter",
    "SlowDownYouMoveTooFast": "SlowDownYouMoveTooFast",
    "accept_error_sentinels": "accept_error_sentinels",
}


def __getattr__(name: str) -> object:
    # The ready-made adapters (and the ``default`` submodule) load on first use: ``import
    # hamilton.driver`` imports this package and should not pay for them.
    if name in _DEFAULT_ADAPTERS or name == "default":
        import importlib

        default = importlib.import_module("hamilton.lifecycle.default")  # not `from . import`: recursion
        value = default if name == "default" else getattr(default, _DEFAULT_ADAPTERS[name])
        globals()[name] = value
        return value
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
    "FunctionInputOutputTypeChecker",
    "GraphAdapter",
    "GraphConstructionHook",
    "GraphExecutionHook",
    "LegacyResultMixin",
    "LifecycleAdapter",
    "LifecycleAdapterSet",
    "NoEdgeAndInputTypeChecking",
    "NodeExecutionHook",
    "NodeExecutionMethod",
    "PDBDebugger",
    "PrintLn",
    "PrintLnHook",
    "ResultBuilder",
    "StaticValidator",
    "TaskExecutionHook",
    "TaskGroupingHook",
    "TaskReturnHook",
    "TaskSubmissionHook",
]
