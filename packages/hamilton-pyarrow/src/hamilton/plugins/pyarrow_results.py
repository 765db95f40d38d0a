"""The ``pyarrow_table`` plugin: ``result_builder("pyarrow_table")`` and ``result_builder("pyarrow")``
make a :class:`~hamilton.plugins.h_pyarrow.PyarrowTableResult`.

The entry point cannot be named ``pyarrow``: hamilton-narwhals' plugin for pyarrow values
(column backend, validators, fingerprints) has that name. Under its own name this plugin loads
directly for ``result_builder("pyarrow_table")``; ``result_builder("pyarrow")`` finds it too,
after the lookup has loaded the other plugins. Loading it imports neither pyarrow nor
:mod:`hamilton.plugins.h_pyarrow`: that happens when a builder is made.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from hamilton.plugins.hookspecs import hookimpl

HAMILTON_CORE_VERSIONS = ">=2.0,<3"


def make_pyarrow_table_result(**options: Any) -> Any:
    """A new :class:`~hamilton.plugins.h_pyarrow.PyarrowTableResult` (it takes no options)."""
    from hamilton.plugins.h_pyarrow import PyarrowTableResult

    return PyarrowTableResult(**options)


@hookimpl
def hamilton_result_builders() -> Mapping[str, Callable[..., object]]:
    return {"pyarrow_table": make_pyarrow_table_result, "pyarrow": make_pyarrow_table_result}
