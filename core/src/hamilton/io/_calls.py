"""Calling a loader or saver on behalf of a node, with errors that say which node, format and file."""

from __future__ import annotations

from typing import Any

from hamilton.errors import DataLoadError, load_error
from hamilton.io.data_adapters import adapter_arguments

# Attributes that say where a loader/saver reads or writes, most specific first.
_SOURCE_ATTRIBUTES = ("path", "file", "filepath", "filepath_or_buffer", "uri", "url", "table_name", "query", "names")


def describe_source(adapter: object) -> str:
    """Where ``adapter`` reads or writes (its path...), or its arguments when it has no path."""
    for attribute in _SOURCE_ATTRIBUTES:
        location = getattr(adapter, attribute, None)
        if location is not None and not callable(location):
            return repr(str(location)) if not isinstance(location, (tuple, list)) else repr(location)
    arguments = [name for name in adapter_arguments(type(adapter)).names() if hasattr(adapter, name)]
    shown = ", ".join(f"{name}={getattr(adapter, name)!r}" for name in arguments)
    return f"{type(adapter).__qualname__}({shown})"


def run_loader(loader: Any, type_: Any, node_name: str, format_name: str, origin: str = "") -> tuple[Any, dict]:
    """``loader.load_data(type_)``; a failure becomes a :class:`DataLoadError` naming node, format and source."""
    try:
        result = loader.load_data(type_)
    except Exception as error:
        raise _load_error(error, loader, node_name, format_name, origin) from error
    if not (isinstance(result, tuple) and len(result) == 2):
        raise TypeError(
            f"{type(loader).__qualname__}.load_data() must return a (value, metadata) tuple; it returned "
            f"{type(result).__name__} for node '{node_name}'."
        )
    return result


def _load_error(error: Exception, loader: Any, node_name: str, format_name: str, origin: str) -> DataLoadError:
    source = describe_source(loader)
    where = f" (declared by {origin})" if origin else ""
    loader_name = type(loader).__qualname__
    if isinstance(error, FileNotFoundError):
        return load_error(
            error,
            f"Node '{node_name}'{where} could not load {format_name!r} data: {source} does not exist "
            f"({loader_name}: {error}). Check the path given to the loader, or create the file first.",
            node_name,
            format_name,
            source,
        )
    return load_error(
        error,
        f"Node '{node_name}'{where} could not load {format_name!r} data from {source} with {loader_name}: "
        f"{type(error).__name__}: {error}. Check that the source holds valid {format_name} data "
        "(it may be corrupt, truncated or in another format).",
        node_name,
        format_name,
        source,
    )


def run_saver(saver: Any, data: Any, node_name: str, format_name: str, origin: str = "") -> Any:
    """``saver.save_data(data)``; a failure keeps its type and gains a note naming node, format and target."""
    try:
        return saver.save_data(data)
    except Exception as error:
        if hasattr(error, "add_note"):  # Python 3.11+
            where = f" (declared by {origin})" if origin else ""
            error.add_note(
                f"Hamilton: node '{node_name}'{where} failed to save {format_name!r} data to "
                f"{describe_source(saver)} with {type(saver).__qualname__}; any previous file there is unchanged "
                "if the saver writes atomically (core's savers do)."
            )
        raise
