"""Finding the functions of a module that become nodes."""

from __future__ import annotations

import types
from collections.abc import Callable
from operator import itemgetter


def is_submodule(child: types.ModuleType | str, parent: types.ModuleType | str) -> bool:
    """Whether ``child`` is ``parent`` or one of its submodules (names or module objects)."""
    child_name = child if isinstance(child, str) else child.__name__
    parent_name = parent if isinstance(parent, str) else parent.__name__
    return child_name == parent_name or child_name.startswith(parent_name + ".")


def find_functions(function_module: types.ModuleType) -> list[tuple[str, Callable]]:
    """The public functions defined in ``function_module`` (or its submodules), by name.

    Functions whose name starts with ``_`` are helpers, and functions imported from other
    modules belong to those modules; neither becomes a node.
    """
    module_name = function_module.__name__
    prefix = module_name + "."
    found = []
    for attribute, value in vars(function_module).items():
        if type(value) is not types.FunctionType or value.__name__.startswith("_"):
            continue
        defined_in = value.__module__
        if defined_in == module_name or (defined_in is not None and defined_in.startswith(prefix)):
            found.append((attribute, value))
    found.sort(key=itemgetter(0))
    return found
