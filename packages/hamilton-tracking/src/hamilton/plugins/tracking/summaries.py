"""Short, safe descriptions of values and graphs: what tracking stores instead of the data.

A summary is computed while the run is going (values may be mutated or freed later), so it must
be cheap and must never raise: a value whose ``repr`` or ``len`` fails is still summarised.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import reprlib
from typing import Any

REPR_LIMIT = 300
TRACEBACK_LIMIT = 20_000
MESSAGE_LIMIT = 2_000


class _Repr(reprlib.Repr):
    """reprlib's limits, but dicts keep their insertion order (reprlib sorts their keys)."""

    def repr_dict(self, x: dict, level: int) -> str:
        if not x:
            return "{}"
        if level <= 0:
            return "{...}"
        pieces = [
            f"{self.repr1(key, level - 1)}: {self.repr1(value, level - 1)}"
            for key, value in itertools.islice(x.items(), self.maxdict)
        ]
        if len(x) > self.maxdict:
            pieces.append("...")
        return "{" + ", ".join(pieces) + "}"


_repr = _Repr()
_repr.maxstring = 160
_repr.maxother = 160
_repr.maxlist = _repr.maxtuple = _repr.maxset = _repr.maxfrozenset = _repr.maxdeque = 8
_repr.maxdict = 8
_repr.maxlevel = 3


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [{len(text) - limit} more characters]"


def type_name(value: Any) -> str:
    """``int``, ``pandas.core.frame.DataFrame``: builtins unqualified, everything else qualified."""
    kind = type(value)
    module = kind.__module__
    return kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"


def short_repr(value: Any) -> str:
    try:
        return clip(_repr.repr(value), REPR_LIMIT)
    except Exception as error:  # a broken __repr__ must not break tracking
        return f"<repr failed: {type(error).__name__}>"


def size_of(value: Any) -> str | None:
    """``shape (3, 4)`` for arrays and frames, ``len 3`` for sized values, else ``None``."""
    try:
        shape = getattr(value, "shape", None)
        if isinstance(shape, tuple) and all(isinstance(d, int) for d in shape):
            return f"shape {shape}"
        if hasattr(type(value), "__len__") and not isinstance(value, type):
            return f"len {len(value)}"
    except Exception:
        return None
    return None


def summarize(value: Any) -> dict[str, Any]:
    """``{"type", "repr", "size"}`` of a value (as :class:`~.store.ResultSummary` fields)."""
    return {"type": type_name(value), "repr": short_repr(value), "size": size_of(value)}


def _function_fields(node: Any) -> tuple[str | None, str | None]:
    functions = node.originating_functions
    if not functions:
        return None, None
    function = functions[0]
    name = f"{getattr(function, '__module__', '?')}.{getattr(function, '__qualname__', '?')}"
    code = getattr(getattr(function, "__wrapped__", function), "__code__", None)
    source = f"{getattr(function, '__module__', '?')}:{code.co_firstlineno}" if code is not None else None
    return name, source


def _type_text(annotation: Any) -> str:
    from hamilton import htypes

    try:
        return htypes.get_type_as_string(annotation) or repr(annotation)
    except Exception:
        return repr(annotation)


def _jsonable_tags(tags: dict[str, Any]) -> dict[str, Any]:
    return {str(key): value if isinstance(value, (str, list)) else repr(value) for key, value in tags.items()}


def graph_snapshot(graph: Any) -> tuple[str, str]:
    """``(hash, JSON)`` describing every node of a built graph (a ``hamilton.graph.Graph``)."""
    from hamilton.node import DependencyType, NodeType

    roles = {NodeType.EXPAND: "expand", NodeType.COLLECT: "collect"}
    nodes = []
    for node in graph.get_nodes():
        # An input's "originating function" is its first consumer: not where it is defined.
        function, source = (None, None) if node.user_defined else _function_fields(node)
        required = sorted(k for k, (_, d) in node.input_types.items() if d is DependencyType.REQUIRED)
        optional = sorted(k for k, (_, d) in node.input_types.items() if d is not DependencyType.REQUIRED)
        nodes.append(
            {
                "name": node.name,
                "type": _type_text(node.type),
                "role": roles.get(node.node_role, "standard"),
                "is_input": bool(node.user_defined),
                "tags": _jsonable_tags(node.tags),
                "function": function,
                "source": source,
                "dependencies": required,
                "optional_dependencies": optional,
                "documentation": node.documentation or None,
            }
        )
    text = json.dumps({"nodes": nodes}, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest(), text
