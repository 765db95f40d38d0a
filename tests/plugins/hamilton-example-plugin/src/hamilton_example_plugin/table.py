"""``Table``: a minimal column-oriented table (column name -> list of values).

It is deliberately *not* a ``Mapping`` or a ``Sequence`` (and has no ``__len__``, so an empty
table is still truthy): Hamilton's built-in implementations for those types would otherwise
handle it before the plugin is ever asked (see README.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


class Table:
    """Columns of equal length, in order. Treated as immutable: operations return new tables."""

    __slots__ = ("_columns",)

    def __init__(self, columns: Mapping[str, Iterable[Any]] | None = None):
        data = {str(name): list(values) for name, values in (columns or {}).items()}
        lengths = {name: len(values) for name, values in data.items()}
        if len(set(lengths.values())) > 1:
            raise ValueError(f"Table columns must have equal lengths, got {lengths}.")
        self._columns = data

    @property
    def column_names(self) -> list[str]:
        return list(self._columns)

    @property
    def num_rows(self) -> int:
        return len(next(iter(self._columns.values()), []))

    def column(self, name: str) -> list[Any]:
        """A copy of one column; ``KeyError`` if there is no such column."""
        if name not in self._columns:
            raise KeyError(f"Table has no column {name!r}; columns: {self.column_names}.")
        return list(self._columns[name])

    def to_dict(self) -> dict[str, list[Any]]:
        """A copy of the data: column name -> list."""
        return {name: list(values) for name, values in self._columns.items()}

    def rows(self) -> list[tuple[Any, ...]]:
        return list(zip(*self._columns.values())) if self._columns else []

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Table):
            return NotImplemented
        return list(self._columns.items()) == list(other._columns.items())  # column order matters

    __hash__ = None  # type: ignore[assignment]  # equal tables may be mutated copies: unhashable

    def __repr__(self) -> str:
        return f"Table({self._columns!r})"
