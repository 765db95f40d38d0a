"""Extending a package's ``__path__`` over every ``sys.path`` entry (namespace splitting).

Equivalent to :func:`pkgutil.extend_path` for directory and zip entries, without importing
``pkgutil``, which on CPython 3.11 drags in ``typing``, ``re`` and ``importlib.util`` and was
most of the cost of ``import hamilton``.
"""

from __future__ import annotations

import sys
from importlib.machinery import PathFinder


def extend_path(path: list[str], name: str) -> list[str]:
    """``path`` plus the portion of package ``name`` found in every search location.

    Top-level packages search ``sys.path``; subpackages search their parent's ``__path__``.
    Plugin distributions ship modules into ``hamilton.plugins`` this way without owning
    ``hamilton/__init__.py``, whether they are installed next to core, editable, or in a
    separate folder on ``sys.path`` (e.g. an AWS Lambda layer).
    """
    parent, _, _ = name.rpartition(".")
    search = sys.modules[parent].__path__ if parent else sys.path
    extended = list(path)
    for entry in search:
        if not isinstance(entry, str):
            continue
        spec = PathFinder.find_spec(name, [entry])
        for portion in (spec.submodule_search_locations or ()) if spec is not None else ():
            if portion not in extended:
                extended.append(portion)
    return extended
