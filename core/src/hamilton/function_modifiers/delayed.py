"""Delayed resolution: choose a function's decorator from the config, when the graph is built.

::

    @resolve(when=ResolveAt.CONFIG_AVAILABLE, decorate_with=lambda columns: extract_columns(*columns))
    def frame(...) -> pd.DataFrame: ...

``decorate_with``'s parameters are config keys (required unless they have a default). It is
called with their values when the graph is built, and the decorator it returns is validated and
run in its own step, as if it had been written on the function. This makes dataflows hard to
read, so it only works with ``hamilton.enable_power_user_mode=True`` in the config.
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Callable
from typing import Any

from hamilton import settings
from hamilton._introspect import describe_function
from hamilton.function_modifiers.base import DynamicResolver, InvalidDecoratorException, NodeTransformLifecycle


class ResolveAt(enum.Enum):
    """When a delayed decorator is resolved."""

    CONFIG_AVAILABLE = "config_available"


VALID_PARAM_KINDS = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)

_POWER_USER_MESSAGE = (
    "Dynamic functions are only allowed in power user mode!Why? This is occasionally needed to enable highly "
    "flexible dataflows, but it can compromise readability if you're not careful! To enable power user mode, pass "
    f"in the configuration parameter {settings.ENABLE_POWER_USER_MODE}=True to your driver."
)


def extract_and_validate_params(fn: Callable) -> tuple[list[str], dict[str, Any]]:
    """The config keys ``fn`` reads: required names, and optional names with their defaults.

    Raises :class:`InvalidDecoratorException` unless every parameter can be passed by keyword.
    """
    parameters = inspect.signature(fn).parameters.values()
    if any(parameter.kind not in VALID_PARAM_KINDS for parameter in parameters):
        raise InvalidDecoratorException(
            "Configuration-parsing functions can only except keyword-friendly arguments. Instead got signature: "
            f"{inspect.signature(fn)}. Each parameter of decorate_with names a config key: no *args, **kwargs "
            "or positional-only parameters."
        )
    required = [p.name for p in parameters if p.default is inspect.Parameter.empty]
    optional = {p.name: p.default for p in parameters if p.default is not inspect.Parameter.empty}
    return required, optional


class resolve(DynamicResolver):
    """Decorate the function with ``decorate_with(**config values)`` once the config is known.

    :param when: only ``ResolveAt.CONFIG_AVAILABLE``.
    :param decorate_with: a function of config keys (keyword-friendly parameters; defaults
        make keys optional) returning the decorator to apply.

    Needs ``hamilton.enable_power_user_mode=True`` in the config. Unlike 1.x, which raised a bare
    ``KeyError`` when that key was absent, an absent key raises
    :class:`InvalidDecoratorException` saying how to enable it.
    """

    def __init__(self, *, when: ResolveAt, decorate_with: Callable[..., NodeTransformLifecycle]):
        if when != ResolveAt.CONFIG_AVAILABLE:
            raise ValueError(
                f"Dynamic functions must be configured at config time! Pass when=ResolveAt.CONFIG_AVAILABLE "
                f"(got {when!r})."
            )
        self.until = when
        self.decorate_with = decorate_with
        self._required_config, self._optional_config = extract_and_validate_params(decorate_with)

    def required_config(self) -> list[str] | None:
        # The whole config: resolve() tells an absent power-user key from a false one, and reports
        # missing keys itself (1.x's messages).
        return None

    def optional_config(self) -> dict[str, Any]:
        return dict(self._optional_config)

    def resolve(self, config: dict[str, Any], fn: Callable) -> NodeTransformLifecycle:
        if settings.ENABLE_POWER_USER_MODE not in config:
            raise InvalidDecoratorException(
                f"{_POWER_USER_MESSAGE} The config has no {settings.ENABLE_POWER_USER_MODE} key, needed by @resolve "
                f"on {describe_function(fn)}: add it with Builder().with_config("
                f"{{'{settings.ENABLE_POWER_USER_MODE}': True, ...}})."
            )
        if not config[settings.ENABLE_POWER_USER_MODE]:
            raise InvalidDecoratorException(f"{_POWER_USER_MESSAGE} (@resolve on {describe_function(fn)}.)")
        missing = [key for key in self._required_config if key not in config]
        if missing:
            raise InvalidDecoratorException(
                f"Config items: {missing} declared but not provided for decorator: {self} on fn: {fn}. "
                f"decorate_with of @resolve on {describe_function(fn)} reads them: add them with "
                "Builder().with_config({...}), or give the parameters defaults."
            )
        arguments = {key: config[key] for key in self._required_config}
        arguments.update({key: config.get(key, default) for key, default in self._optional_config.items()})
        decorator = self.decorate_with(**arguments)
        if not isinstance(decorator, NodeTransformLifecycle):
            raise InvalidDecoratorException(
                f"decorate_with of @resolve on {describe_function(fn)} returned {decorator!r}, not a decorator. "
                "Return a function modifier such as tag(...) or parameterize(...) (tag() applies nothing)."
            )
        if isinstance(decorator, DynamicResolver):
            raise InvalidDecoratorException(
                f"decorate_with of @resolve on {describe_function(fn)} returned another @resolve; return the "
                "decorator it would produce instead."
            )
        return decorator


class resolve_from_config(resolve):
    """``resolve(when=ResolveAt.CONFIG_AVAILABLE, decorate_with=...)``."""

    def __init__(self, *, decorate_with: Callable[..., NodeTransformLifecycle]):
        super().__init__(when=ResolveAt.CONFIG_AVAILABLE, decorate_with=decorate_with)
