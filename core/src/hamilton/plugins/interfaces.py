"""Base classes for plugin authors (duck typing works too: core checks for the attributes).

* :class:`Renderer` — turns a graph (and optionally the state of a run) into text or bytes.
* :class:`DataFrameBackend` — what core needs from a dataframe library.
* :class:`NodeRunState` — what a renderer may be told about one node of a run.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping, Sequence
from typing import Any

from hamilton.graph_types import HamiltonGraph


class NodeRunState:
    """What happened to one node in a run: for renderers that show a run, not just a graph.

    ``status`` is one of ``"ran"``, ``"failed"``, ``"skipped"``, ``"cached"``, ``"overridden"``,
    ``"input"``; ``duration`` is in seconds; ``block`` names the parallel block the node ran in
    and ``instances`` how many times it ran there.
    """

    STATUSES = ("ran", "failed", "skipped", "cached", "overridden", "input")
    __slots__ = ("block", "duration", "error", "instances", "status")

    def __init__(
        self,
        status: str,
        duration: float | None = None,
        error: str | None = None,
        block: str | None = None,
        instances: int = 1,
    ):
        if status not in self.STATUSES:
            raise ValueError(f"Unknown node status {status!r}; use one of {self.STATUSES}.")
        self.status = status
        self.duration = duration
        self.error = error
        self.block = block
        self.instances = instances

    def __repr__(self) -> str:
        return f"NodeRunState({self.status!r}, duration={self.duration!r})"


RunState = Mapping[str, NodeRunState]


class Renderer(abc.ABC):
    """Renders a :class:`~hamilton.graph_types.HamiltonGraph`.

    ``name`` is how users ask for it (``"mermaid"``); ``media_type`` says what ``render``
    returns (``"text/vnd.mermaid"``, ``"image/svg+xml"``, ``"application/json"``): ``str`` for
    ``text/*`` and ``+json``/``+xml`` types, ``bytes`` otherwise.
    """

    name: str
    media_type: str

    @abc.abstractmethod
    def render(self, graph: HamiltonGraph, *, run_state: RunState | None = None, view: Any = None) -> str | bytes:
        """The rendering of ``graph``; ``run_state`` (node name -> state) when showing a run;
        ``view`` (a :class:`hamilton.rendering.GraphView`, or ``None``) says what to emphasise:
        requested outputs, a path, overrides, and the config values to show.

        Renderer-specific options are extra keyword-only parameters of the override (with
        defaults), so an unknown option raises ``TypeError`` instead of being ignored.
        :func:`hamilton.rendering.build_diagram` turns the arguments into what to draw.
        """


def returns_text(media_type: str) -> bool:
    """Whether a renderer of ``media_type`` returns ``str`` (else ``bytes``)."""
    return media_type.startswith("text/") or media_type.endswith(("+json", "+xml")) or media_type == "application/json"


class DataFrameBackend(abc.ABC):
    """What core needs from a dataframe library, for the types in ``dataframe_types``.

    ``extract_columns`` uses :meth:`get_column`/:meth:`fill_with_scalar` and ``column_type``;
    ``with_columns`` uses :meth:`column_names`, :meth:`with_columns` and :meth:`select`;
    schema capture and data-quality validators use :meth:`schema`.
    """

    name: str  # e.g. "pandas"
    dataframe_types: tuple[type, ...]  # the frame classes this backend handles
    column_type: type | None  # the type of one column (None: columns are not a separate type)

    def column_type_for(self, dataframe_type: type) -> type | None:
        """The column type of nodes extracted from ``dataframe_type`` (default ``column_type``)."""
        return self.column_type

    @abc.abstractmethod
    def column_names(self, df: Any) -> list[str]:
        """The frame's column names, in order."""

    @abc.abstractmethod
    def get_column(self, df: Any, name: str) -> Any:
        """One column; raises ``KeyError`` when the frame has no such column."""

    @abc.abstractmethod
    def fill_with_scalar(self, df: Any, name: str, value: Any) -> Any:
        """A frame equal to ``df`` plus a column ``name`` holding ``value`` in every row."""

    @abc.abstractmethod
    def with_columns(self, df: Any, columns: Mapping[str, Any]) -> Any:
        """A frame equal to ``df`` with ``columns`` (name -> column) added or replaced."""

    @abc.abstractmethod
    def select(self, df: Any, names: Sequence[str]) -> Any:
        """A frame with only ``names``, in that order."""

    @abc.abstractmethod
    def schema(self, df: Any) -> dict[str, str]:
        """Column name -> a readable type name (``"int64"``, ``"str"``...)."""
