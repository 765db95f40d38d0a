"""Keyword arguments for the installed polars, from a loader's or saver's fields.

The polars loaders and savers keep 1.x's field names, so ``to.csv(file=..., row_count_name=...)``
written against 1.x keeps working. Polars has since renamed some of those keywords
(``row_count_name`` -> ``row_index_name``, ``comment_char`` -> ``comment_prefix``, ``dtypes`` ->
``schema_overrides``) and dropped others (``rechunk``, ``n_threads``... in 2.0). So a field is
passed under whichever of its names the installed polars accepts; a field polars no longer
accepts is left out while it holds its default, and is an error, naming the field, once set.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Callable, Collection
from typing import Any

# 1.x field name -> the name current polars uses for it.
RENAMED = {
    "row_count_name": "row_index_name",
    "row_count_offset": "row_index_offset",
    "comment_char": "comment_prefix",
    "dtypes": "schema_overrides",
}


@functools.cache
def _accepted(function: Callable[..., Any]) -> frozenset[str] | None:
    """The keyword names ``function`` accepts (``None``: it takes ``**kwargs``, so any)."""
    parameters = inspect.signature(function).parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
        return None
    return frozenset(p.name for p in parameters)


def _is_default(field: dataclasses.Field, value: Any) -> bool:
    default = field.default
    if default is dataclasses.MISSING:
        return False
    try:
        return value is default or (type(value) is type(default) and bool(value == default))
    except (TypeError, ValueError):  # values whose == is elementwise or undefined
        return False


def polars_kwargs(adapter: Any, function: Callable[..., Any], positional: Collection[str] = ()) -> dict[str, Any]:
    """The fields of dataclass ``adapter`` as keyword arguments of ``function``.

    Fields named in ``positional`` (the path, the query...) are left out: the caller passes them.
    Fields set to ``None`` are left out too, so polars applies its own default (as in 1.x).
    """
    accepted = _accepted(function)
    kwargs: dict[str, Any] = {}
    for field in dataclasses.fields(adapter):
        value = getattr(adapter, field.name)
        if field.name in positional or value is None:
            continue
        name = field.name
        if accepted is not None and name not in accepted:
            name = RENAMED.get(name, name)
        if accepted is None or name in accepted:
            kwargs[name] = value
        elif not _is_default(field, value):
            import polars

            raise TypeError(
                f"{type(adapter).__name__}({field.name}={value!r}): polars {polars.__version__} has no such "
                f"option ({function.__qualname__} does not take {name!r}). Remove {field.name}=, or install "
                "a polars version that supports it."
            )
    return kwargs
