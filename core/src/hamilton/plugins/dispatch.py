"""``functools.singledispatch`` that asks the plugin system before dispatching a library's type.

Type-specific behaviour (fingerprinting, column extraction, result shaping...) is a
single-dispatch function in core with a pure-Python default. The first time a type from some
library is dispatched, the plugin named after that library (``pandas`` for a DataFrame) is
loaded — the library is necessarily imported already — and only then is an implementation
chosen. Asking only on a miss would not do: ``pd.Timedelta`` is a ``datetime.timedelta`` and
``np.float64`` a ``float``, so core's implementations for the builtin base classes would answer
for them, coarser than the library's plugin, until some other value loaded it. Each library is
tried once per process and each type checked once, so later calls cost one set lookup.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

_NO_PLUGINS = frozenset({"", "builtins"})


def plugin_dispatch(default: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a default implementation; returns the single-dispatch function.

    Use it like ``functools.singledispatch``: ``@fn.register(SomeType)`` adds implementations,
    ``fn.dispatch(cls)`` and ``fn.registry`` work as there.
    """
    dispatcher = functools.singledispatch(default)
    checked: set[type] = set()
    choose = dispatcher.dispatch

    def dispatch(cls: type) -> Callable[..., Any]:
        if cls not in checked:
            checked.add(cls)
            library = (getattr(cls, "__module__", None) or "").partition(".")[0]
            if library not in _NO_PLUGINS and cls not in dispatcher.registry:
                from hamilton.plugins._manager import system

                system().load(library)
        return choose(cls)

    def call(value: Any, *args: Any, **kwargs: Any) -> Any:
        return dispatch(value.__class__)(value, *args, **kwargs)

    functools.update_wrapper(call, default)
    call.register = dispatcher.register  # type: ignore[attr-defined]
    call.dispatch = dispatch  # type: ignore[attr-defined]
    call.registry = dispatcher.registry  # type: ignore[attr-defined]
    call._clear_cache = dispatcher._clear_cache  # type: ignore[attr-defined]
    return call
