"""Code versions of nodes and data versions of values, as the cache computes them.

A node's code version is 1.x's: the sha256 of its function's source without docstrings
(``HamiltonNode.version``, remembered per code object). Two cases 1.x got wrong are mended:

* a function with a **closure** (made by a factory, ``make_scaler(2)`` vs ``make_scaler(3)``)
  has the same source for every closure value, so the closure's fingerprint is appended;
* a function whose **source cannot be read** (built with ``exec``, or a node without an
  originating function) is versioned by its bytecode, constants, defaults and closure.

When neither works (a closure over a value nothing can fingerprint) the node gets a fresh
``"<unhashable>_<uuid>"`` code version every run: it is recomputed, never served stale.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from typing import TYPE_CHECKING, Any

from hamilton import fingerprinting
from hamilton.graph_types import code_version

if TYPE_CHECKING:
    from hamilton.node import Node

logger = logging.getLogger("hamilton.caching.adapter")


def _closure_fingerprint(function: Any) -> tuple[str, str | None]:
    """The fingerprint of a function's closure values ('' without a closure), and what in the
    closure has none (``None`` when everything has one)."""
    cells = getattr(function, "__closure__", None)
    if not cells:
        return "", None
    values = []
    for name, cell in zip(function.__code__.co_freevars, cells, strict=True):
        try:
            value = cell.cell_contents
        except ValueError:  # a cell not filled yet
            values.append(())
            continue
        if fingerprinting.is_unhashable(fingerprinting.hash_value(value)):
            return "", f"`{name}` (a {type(value).__module__}.{type(value).__qualname__})"
        values.append((value,))
    return fingerprinting.hash_value(tuple(values)), None


def node_code_version(node_: Node) -> str:
    """The code version the cache keys ``node_`` with (see the module docstring)."""
    functions = node_.originating_functions
    function = functions[0] if functions else node_.callable
    try:
        version = code_version(function)
    except (OSError, TypeError):  # no source to read: version what the code does
        fingerprint = fingerprinting.hash_value(function)
        if fingerprinting.is_unhashable(fingerprint):
            return _unversioned(node_, "its source cannot be read and its function (or a value it closes over)")
        return _sha256("callable", fingerprint)
    closure, culprit = _closure_fingerprint(function)
    if culprit is not None:
        return _unversioned(node_, f"its function closes over {culprit}, which")
    return _sha256(version, "closure", closure) if closure else version


def _sha256(*parts: str) -> str:
    return hashlib.sha256(":".join(parts).encode()).hexdigest()


def _unversioned(node_: Node, what: str) -> str:
    logger.warning(
        "Node `%s` cannot be cached: %s has no fingerprint, so a cached result could be stale. It is "
        "recomputed on every run. Register a fingerprint for that type "
        "(`@hamilton.fingerprinting.hash_value.register(ThatType)`) to cache it.",
        node_.name,
        what,
    )
    return f"{fingerprinting.UNHASHABLE}_{uuid.uuid4()}"
