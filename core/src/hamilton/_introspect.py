"""Reading what a function declares: its parameters, their annotations and defaults.

Graph building calls this once per function, so the common case (a plain function with real,
non-string annotations) reads the code object directly instead of going through
``inspect.signature`` and ``typing.get_type_hints``, which are an order of magnitude slower.
Wrapped functions, custom ``__signature__``s and string annotations take the exact slow path.
"""

from __future__ import annotations

import types

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    # A parameter is a plain tuple ``(name, annotation, default, variadic)`` — cheaper to build
    # than a named tuple on this hot path. ``annotation``/``default`` are NO_DEFAULT when
    # absent; ``variadic`` is True for *args/**kwargs.
    Parameter = tuple[str, Any, Any, bool]
    # ``(parameters, return_annotation)``
    FunctionSignature = tuple[list[Parameter], Any]

_CO_VARARGS = 0x04
_CO_VARKEYWORDS = 0x08
NO_DEFAULT: Any = object()  # marks an absent annotation or default


_CO_COROUTINE = 0x80


def is_coroutine_function(fn: Any) -> bool:
    """``inspect.iscoroutinefunction``, answering plain functions from their code object."""
    code = getattr(fn, "__code__", None)
    if code is not None:
        return bool(code.co_flags & _CO_COROUTINE)
    import inspect

    return inspect.iscoroutinefunction(fn)


def describe_function(fn: Callable) -> str:
    """``module.qualname (file:line)`` — how errors point users at their code."""
    target = getattr(fn, "__wrapped__", fn)
    name = f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"
    code = getattr(target, "__code__", None)
    if code is None:
        return name
    return f"{name} ({code.co_filename}:{code.co_firstlineno})"


def read_signature(fn: Callable) -> FunctionSignature:
    """Parameters (in order) and return annotation of ``fn``, with annotations evaluated."""
    if type(fn) is types.FunctionType and "__wrapped__" not in fn.__dict__ and "__signature__" not in fn.__dict__:
        signature = _read_code_object(fn)
        if signature is not None:
            return signature
    return _read_with_inspect(fn)


def _read_code_object(fn: types.FunctionType) -> FunctionSignature | None:
    """The signature straight from the code object; ``None`` if an annotation is a string."""
    annotations = fn.__annotations__
    code = fn.__code__
    positional = code.co_argcount
    keyword_only = code.co_kwonlyargcount
    names = code.co_varnames
    defaults = fn.__defaults__ or ()
    kwdefaults = fn.__kwdefaults__ or {}
    first_default = positional - len(defaults)
    parameters = []
    count = positional + keyword_only
    variadic = (code.co_flags & _CO_VARARGS and 1) + (code.co_flags & _CO_VARKEYWORDS and 1)
    for index in range(count + variadic):
        name = names[index]
        if index >= count:
            default = NO_DEFAULT
        elif index < positional:
            default = defaults[index - first_default] if index >= first_default else NO_DEFAULT
        else:
            default = kwdefaults.get(name, NO_DEFAULT)
        annotation = annotations.get(name, NO_DEFAULT)
        if annotation.__class__ is str:
            return None
        parameters.append((name, type(None) if annotation is None else annotation, default, index >= count))
    returns = annotations.get("return", NO_DEFAULT)
    if returns.__class__ is str:
        return None
    return parameters, type(None) if returns is None else returns


def _read_with_inspect(fn: Callable) -> FunctionSignature:
    import inspect
    import typing

    signature = inspect.signature(fn)
    try:
        hints = typing.get_type_hints(fn, include_extras=True)
    except Exception as error:  # NameError for an undefined forward reference, etc.
        raise TypeError(
            f"Cannot evaluate the type annotations of {describe_function(fn)}: {error}. "
            "Make sure every name used in an annotation is importable from the function's module."
        ) from error
    variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    parameters = [
        (
            name,
            hints.get(name, NO_DEFAULT),
            NO_DEFAULT if param.default is inspect.Parameter.empty else param.default,
            param.kind in variadic,
        )
        for name, param in signature.parameters.items()
    ]
    return parameters, hints.get("return", NO_DEFAULT)
