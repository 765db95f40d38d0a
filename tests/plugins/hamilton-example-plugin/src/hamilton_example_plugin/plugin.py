"""The plugin: the module the ``hamilton.plugins`` entry point names.

Hamilton imports it when the plugin is first needed, checks ``HAMILTON_CORE_VERSIONS``, then
calls every hook below once and validates what they return before registering anything. Each
hook imports what it provides, so importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from hamilton.plugins import hookimpl

# The core versions this plugin supports; on any other core it is skipped with a warning.
HAMILTON_CORE_VERSIONS = ">=2.0,<3"


@hookimpl
def hamilton_dataframe_backends() -> Collection[object]:
    from hamilton_example_plugin.backend import TableBackend

    return [TableBackend()]


@hookimpl
def hamilton_renderers() -> Collection[object]:
    from hamilton_example_plugin.renderer import OutlineRenderer

    return [OutlineRenderer()]


@hookimpl
def hamilton_materializers() -> Collection[type]:
    from hamilton_example_plugin.materializers import TableTextLoader, TableTextSaver

    return [TableTextLoader, TableTextSaver]


@hookimpl
def hamilton_fingerprinters() -> Mapping[type, Callable[..., str]]:
    from hamilton_example_plugin.fingerprint import fingerprint_table
    from hamilton_example_plugin.table import Table

    return {Table: fingerprint_table}


@hookimpl
def hamilton_adapters() -> Mapping[str, Callable[..., object]]:
    from hamilton_example_plugin.adapters import NodeCounter

    return {"node_counter": NodeCounter}


@hookimpl
def hamilton_executors() -> Mapping[str, Callable[..., object]]:
    from hamilton_example_plugin.executors import inline_threads

    return {"inline_threads": inline_threads}


@hookimpl
def hamilton_result_builders() -> Mapping[str, Callable[..., object]]:
    from hamilton_example_plugin.results import TableResult

    return {"table": TableResult}
