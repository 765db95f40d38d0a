"""Modules made on the fly, for notebooks, tests and generated code."""

from __future__ import annotations

import contextlib
import sys
import types
from collections.abc import Callable


def _unique_module_name(prefix: str = "temporary_module") -> str:
    import uuid

    return f"{prefix}_{str(uuid.uuid4()).replace('-', '_')}"


def _claim_module_name(module_name: str | None) -> str:
    name = module_name or _unique_module_name()
    if name in sys.modules:
        raise ValueError(f"Module already exists with name: {name}, please make it unique.")
    return name


def _copy_function(fn: types.FunctionType, module_name: str) -> types.FunctionType:
    """A copy of ``fn`` that belongs to ``module_name`` (the original is left untouched)."""
    copy = types.FunctionType(fn.__code__, fn.__globals__, fn.__name__, fn.__defaults__, fn.__closure__)
    copy.__dict__.update(fn.__dict__)
    copy.__kwdefaults__ = fn.__kwdefaults__
    copy.__annotations__ = dict(fn.__annotations__)
    copy.__doc__ = fn.__doc__
    copy.__qualname__ = fn.__qualname__
    copy.__module__ = module_name
    return copy


def create_temporary_module(*functions: Callable, module_name: str | None = None) -> types.ModuleType:
    """A module holding copies of ``functions``, registered in ``sys.modules``.

    :param functions: the functions that become the module's nodes.
    :param module_name: a name for the module (default: ``temporary_module_<uuid>``).
    """
    name = _claim_module_name(module_name)
    module = types.ModuleType(name)
    for fn in functions:
        if fn.__name__.startswith("_"):
            raise ValueError(
                "In Hamilton, functions that start with '_' are reserved as helpers, and cannot be "
                f"compiled into nodes in a DAG. The function {fn.__name__} starts with '_': rename it "
                "or leave it out of the temporary module."
            )
        if hasattr(module, fn.__name__):
            raise ValueError(
                f"Duplicate/reserved function name: {fn.__name__} cannot be used to create a temporary module."
            )
        setattr(module, fn.__name__, _copy_function(fn, name))
    sys.modules[name] = module
    return module


def module_from_source(source: str, module_name: str | None = None) -> types.ModuleType:
    """A module executed from ``source``; ``inspect.getsource`` works on its functions."""
    import linecache

    name = module_name or _unique_module_name()  # re-running a notebook cell replaces the module
    filename = f"<hamilton-module {name}>"
    module = types.ModuleType(name)
    module.__file__ = filename
    sys.modules[name] = module
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    try:
        exec(compile(source, filename, "exec"), module.__dict__)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def create_module(source: str, module_name: str | None = None, verbosity: int = 0) -> types.ModuleType:
    """A module imported from ``source`` written to a temporary ``.py`` file (deleted at exit)."""
    import atexit
    import importlib.util
    import os
    import tempfile

    stem = module_name or _unique_module_name("tmp")
    directory = tempfile.mkdtemp(prefix="hamilton_module_")
    path = os.path.join(directory, f"{stem}.py")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(source)
    if verbosity:
        print(f"Wrote module {stem} to {path}")

    def _cleanup() -> None:
        for leftover in (path, directory):
            with contextlib.suppress(OSError):
                (os.remove if leftover == path else os.rmdir)(leftover)

    atexit.register(_cleanup)
    spec = importlib.util.spec_from_file_location(stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[stem] = module
    spec.loader.exec_module(module)
    return module
