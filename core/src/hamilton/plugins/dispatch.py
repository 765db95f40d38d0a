"""``functools.singledispatch`` that asks the plugin system before falling back.

Type-specific behaviour (fingerprinting, column extraction, result shaping...) is a
single-dispatch function in core with a pure-Python default. When a value's type has no
implementation yet, the plugin named after the value's library (``pandas`` for a DataFrame) is
loaded — the library is necessarily imported already — and dispatch runs again. Each library is
tried once per process, so later misses cost one dictionary lookup.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any


def plugin_dispatch(default: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a default implementation; returns the single-dispatch function.

    Use it like ``functools.singledispatch``: ``@fn.register(SomeType)`` adds implementations.
    """

    def fallback(value: Any, *args: Any, **kwargs: Any) -> Any:
        from hamilton.plugins._manager import system

        if system().load_for_value(value):
            implementation = dispatcher.dispatch(type(value))
            if implementation is not fallback:
                return implementation(value, *args, **kwargs)
        return default(value, *args, **kwargs)

    dispatcher = functools.singledispatch(fallback)
    functools.update_wrapper(dispatcher, default)
    return dispatcher
