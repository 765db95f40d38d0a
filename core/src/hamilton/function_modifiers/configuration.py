"""Choosing functions by configuration: ``@config.when(region="us")`` and friends.

A config-decorated function takes part only when its condition holds for the driver's config.
Its node is named after the function up to the last ``__`` (``rate__us`` defines ``rate``), so
several variants can define the same node; ``name=`` sets the node name explicitly.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Collection
from typing import Any

from hamilton.function_modifiers.base import (
    CONFIG_KEYS_ATTRIBUTE,
    InvalidDecoratorException,
    NodeResolver,
    _check_decoratable,
    sanitize_function_name,
)

UNKNOWN_CONFIG = "__UNKNOWN__"


def _check_collections(decorator: str, pairs: dict[str, Any]) -> None:
    """``when_in``/``when_not_in`` test membership: each value must be a collection of allowed values."""
    for key, allowed in pairs.items():
        if not isinstance(allowed, Collection) or isinstance(allowed, (str, bytes)):
            raise InvalidDecoratorException(
                f"@config.{decorator}({key}={allowed!r}): the value for config key {key!r} must be a collection "
                f"of values (a list, tuple or set); got {type(allowed).__name__}. Write "
                f"@config.{decorator}({key}=[{allowed!r}]), or use @config.when/@config.when_not for a single value."
            )


def _is_in(actual: Any, allowed: Collection[Any]) -> bool:
    """``actual in allowed``; a value that cannot be looked up (unhashable, in a set) is not in it."""
    try:
        return actual in allowed
    except TypeError:
        return False


def _condition(pairs: dict[str, Any], holds: Callable[[Any, Any], bool]) -> Callable[[dict[str, Any]], bool]:
    """``cfg -> all(holds(cfg.get(key), expected) ...)`` over a fixed tuple of ``pairs``."""
    items = tuple(pairs.items())
    return lambda cfg: all(holds(cfg.get(key), expected) for key, expected in items)


class config(NodeResolver):
    """Include the function only when ``resolves(config)`` is true.

    :param resolves: a predicate over the config.
    :param target_name: the node's name (default: the function name up to the last ``__``).
    :param config_used: the config keys the predicate reads; when omitted it receives the whole
        config and nodes are tagged ``hamilton.config="__UNKNOWN__"``.
    """

    def __init__(
        self,
        resolves: Callable[[dict[str, Any]], bool],
        target_name: str | None = None,
        config_used: list[str] | None = None,
    ):
        self.does_resolve = resolves
        self.target_name = target_name
        self._config_used = config_used
        # The keys read (default None when absent); computed once, read on every graph build.
        self._optional = dict.fromkeys(config_used) if config_used is not None else {}

    def required_config(self) -> list[str] | None:
        return [] if self._config_used is not None else None

    def optional_config(self) -> dict[str, Any] | None:
        return self._optional

    def validate(self, fn: Callable) -> None:
        _check_decoratable(fn, "@config")
        if fn.__name__.endswith("__"):
            raise InvalidDecoratorException(
                "Config will always use the portion of the function name before the last __. For "
                f"example, signups__v2 will map to signups, whereas {fn.__qualname__} ends with __: "
                "rename it (e.g. to signups__v2)."
            )

    def resolve(self, fn: Callable, config: dict[str, Any]) -> Callable | None:
        if not self.does_resolve(config):
            return None
        original = fn.__dict__.get("__original_name__", fn.__name__)
        fn.__original_name__ = original
        fn.__name__ = self.target_name or sanitize_function_name(original)
        # As in 1.x, the last resolver to run (the outermost decorator) names the keys.
        setattr(
            fn, CONFIG_KEYS_ATTRIBUTE, list(self._config_used) if self._config_used is not None else [UNKNOWN_CONFIG]
        )
        return fn

    @staticmethod
    def when(name: str | None = None, **key_value_pairs: Any) -> config:
        """Include the function when ``config[key] == value`` for every pair."""
        return config(
            _condition(key_value_pairs, operator.eq),
            target_name=name,
            config_used=list(key_value_pairs),
        )

    @staticmethod
    def when_not(name: str | None = None, **key_value_pairs: Any) -> config:
        """Include the function when ``config[key] != value`` for every pair."""
        return config(
            _condition(key_value_pairs, operator.ne),
            target_name=name,
            config_used=list(key_value_pairs),
        )

    @staticmethod
    def when_in(name: str | None = None, **key_value_group_pairs: Collection[Any]) -> config:
        """Include the function when ``config[key]`` is one of ``values`` for every pair."""
        _check_collections("when_in", key_value_group_pairs)
        return config(
            _condition(key_value_group_pairs, _is_in),
            target_name=name,
            config_used=list(key_value_group_pairs),
        )

    @staticmethod
    def when_not_in(**key_value_group_pairs: Collection[Any]) -> config:
        """Include the function when ``config[key]`` is none of ``values`` for every pair."""
        _check_collections("when_not_in", key_value_group_pairs)
        return config(
            _condition(key_value_group_pairs, lambda actual, allowed: not _is_in(actual, allowed)),
            config_used=list(key_value_group_pairs),
        )


class hamilton_exclude(NodeResolver):
    """Keep a public function out of the dataflow. Use the instance: ``@hamilton_exclude``."""

    def resolve(self, fn: Callable, config: dict[str, Any]) -> Callable | None:
        return None

    def validate(self, fn: Callable) -> None:
        pass


hamilton_exclude = hamilton_exclude()  # type: ignore[assignment,misc]
