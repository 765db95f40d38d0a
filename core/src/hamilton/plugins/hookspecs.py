"""The hook specifications of the ``hamilton`` pluggy project: one hook per plugin kind.

A plugin is any object or module with functions marked ``@hamilton.plugins.hookimpl`` and
named after the hooks below. Whenever a plugin is registered — loaded from an entry point or
registered by hand — each of its implementations is called once; everything they return is
validated, and only then added to core's registries (a plugin that returns something
malformed is rejected as a whole). Implement only the hooks for what you provide.

Implementations take no arguments and return a collection (or mapping) of things:

=============================  ==================================================================
hook                           returns
=============================  ==================================================================
hamilton_renderers             renderer objects (``name``, ``media_type``, ``render(graph, ...)``)
hamilton_materializers         loader/saver classes (``name()``, ``applicable_types()``,
                               ``load_data(type_)`` / ``save_data(data)``)
hamilton_fingerprinters        ``{type: function(value, *args, depth=0, **kwargs) -> str}``
hamilton_adapters              ``{name: factory}`` of lifecycle adapters (trackers, progress...)
hamilton_executors             ``{name: factory}`` of ``concurrent.futures.Executor``-like objects
hamilton_result_builders       ``{name: factory}`` of result builders (``build_result(**outputs)``)
hamilton_dataframe_backends    :class:`~hamilton.plugins.interfaces.DataFrameBackend` objects
hamilton_validators            data-validator classes ``@check_output`` selects by keyword
                               (``arg()``, ``applies_to(type)``, ``validate(value)``)
=============================  ==================================================================

See ``docs/plugins.md`` for a worked example and :mod:`hamilton.plugins.testing` for the
contract tests each kind must pass.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

import pluggy

PROJECT = "hamilton"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def hamilton_renderers() -> Collection[object]:
    """Renderers: objects with ``name`` (e.g. ``"mermaid"``), ``media_type`` (e.g.
    ``"text/vnd.mermaid"``) and ``render(graph, *, run_state=None, **options) -> str | bytes``,
    where ``graph`` is a :class:`~hamilton.graph_types.HamiltonGraph`. Looked up by name."""


@hookspec
def hamilton_materializers() -> Collection[type]:
    """Loader and saver classes. Each has classmethods ``name()`` (the format, e.g. ``"csv"``),
    ``applicable_types()``, ``can_load()``/``can_save()``, and ``load_data(self, type_) ->
    (value, metadata)`` or ``save_data(self, data) -> metadata``. Looked up by format name,
    then by the type of the value."""


@hookspec
def hamilton_fingerprinters() -> Mapping[type, Callable[[object], str]]:
    """``{type: function}``: how to fingerprint values of a type (for caching). Registered into
    :func:`hamilton.fingerprinting.hash_value` (a ``functools.singledispatch`` function), so each
    function is called as ``function(value, *args, depth=0, **kwargs)`` — also for values nested
    in lists and dicts — and returns a ``str``."""


@hookspec
def hamilton_adapters() -> Mapping[str, Callable[..., object]]:
    """``{name: factory}``: lifecycle adapters (trackers, progress bars...) a user can ask for by
    name; ``factory(**options)`` returns the adapter."""


@hookspec
def hamilton_executors() -> Mapping[str, Callable[..., object]]:
    """``{name: factory}``: executors for task-based runs. Either ``factory(**options)`` returns an
    object with ``concurrent.futures.Executor``'s ``submit(fn, *args, **kwargs)`` and
    ``shutdown(wait=True)`` (a pool, made per run), or the factory is a
    :class:`~hamilton.execution.executors.TaskExecutor` subclass, used as the executor itself
    (an engine with a scheduler of its own: Dask, Ray)."""


@hookspec
def hamilton_result_builders() -> Mapping[str, Callable[..., object]]:
    """``{name: factory}``: result builders; ``factory(**options)`` returns an object with
    ``build_result(**outputs)`` (a :class:`~hamilton.lifecycle.ResultBuilder` or a 1.x
    ``base.ResultMixin``)."""


@hookspec
def hamilton_dataframe_backends() -> Collection[object]:
    """:class:`~hamilton.plugins.interfaces.DataFrameBackend` objects: what ``extract_columns``,
    ``with_columns``, data-quality validators and schema capture need from a dataframe type.
    Dispatched on the type of the dataframe."""


@hookspec
def hamilton_validators() -> Collection[type]:
    """Validator classes ``@check_output(<keyword>=value)`` can select — typically those of the
    plugin's dataframe and column types (``allow_nans``, ``range`` on a series, ``schema``...).

    Each is a :class:`~hamilton.data_quality.base.BaseDefaultValidator`-like class: classmethods
    ``arg()`` (the keyword, e.g. ``"range"``), ``applies_to(datatype) -> bool`` and ``name()``;
    methods ``description()`` and ``validate(value) -> ValidationResult``; constructed as
    ``Cls(<arg>=value, importance=...)``. They are searched before core's default validators,
    the most recently registered plugin first, each plugin's classes in the order returned."""
