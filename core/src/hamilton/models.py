"""Config-driven transforms for ``@dynamic_transform`` and ``@model`` (kept for 1.x compatibility).

A *dynamic transform* is a node whose dependencies and computation come from a config value:
``@dynamic_transform(MyTransform, "my_config_key")`` on an empty function builds
``MyTransform(config["my_config_key"], name=<function name>)``, asks it which nodes it depends
on (:meth:`DynamicTransformBase.get_dependents`) and computes the node with
:meth:`DynamicTransformBase.compute`. A *model* (:class:`BaseModel`, for ``@model``) is the same
thing whose computation is :meth:`BaseModel.predict` over pandas Series, e.g. a linear
combination of columns whose weights are in the config::

    class LinearCombination(BaseModel):
        def get_dependents(self) -> list[str]:
            return list(self.config_parameters)

        def predict(self, **columns: pd.Series) -> pd.Series:
            return sum(self.config_parameters[name] * col for name, col in columns.items())

    @model(LinearCombination, "weights")  # config: {"weights": {"a": 0.5, "b": 0.5}}
    def score() -> pd.Series:
        pass

Both decorators are deprecated (as in 1.x): ``@resolve`` builds any decorator from config.
"""

from __future__ import annotations

import abc
from typing import Any


class DynamicTransformBase(abc.ABC):
    """A transform built from one config value: it names its dependencies and computes the node.

    :param config_parameters: the config value the decorator names.
    :param name: the name of the node (the decorated function's name).
    """

    def __init__(self, config_parameters: Any, name: str):
        self._config_parameters = config_parameters
        self._name = name

    @abc.abstractmethod
    def get_dependents(self) -> list[str]:
        """The names of the nodes this transform reads (each becomes a parameter of the node)."""

    @abc.abstractmethod
    def compute(self, **inputs: Any) -> Any:
        """The node's value, from the dependencies (by name)."""

    @property
    def config_parameters(self) -> Any:
        """The config value this transform was built from (read-only)."""
        return self._config_parameters

    @property
    def name(self) -> str:
        """The name of the node this transform computes (read-only)."""
        return self._name


class BaseModel(DynamicTransformBase, abc.ABC):
    """A dynamic transform over pandas Series: :meth:`compute` is :meth:`predict` (for ``@model``)."""

    @abc.abstractmethod
    def predict(self, **columns: pd.Series) -> pd.Series:  # noqa: F821 (pandas is never imported here)
        """The model's output Series, from the dependency Series (by name)."""

    def compute(self, **inputs: Any) -> Any:
        return self.predict(**inputs)
