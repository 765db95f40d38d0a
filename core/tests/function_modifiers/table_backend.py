"""A pure-Python column backend for core's decorator tests (no third-party dataframe library).

``Table`` is a dict of equally long column lists; ``Column`` is a list subclass so that column
nodes have their own type. Registered as a plugin by ``conftest.py`` (``register_table_backend``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hamilton.plugins import hookimpl


class Column(list):
    """One column of a :class:`Table`."""


class Table:
    """Columns by name, in insertion order."""

    def __init__(self, columns: Mapping[str, Sequence[Any]] | None = None):
        self.columns: dict[str, Column] = {name: Column(values) for name, values in (columns or {}).items()}

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()), ()))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Table) and self.columns == other.columns

    def __repr__(self) -> str:
        return f"Table({dict(self.columns)!r})"


class TableBackend:
    name = "core-tests-table"
    dataframe_types = (Table,)
    column_type = Column

    def column_type_for(self, dataframe_type: type) -> type:
        return Column

    def column_names(self, df: Table) -> list[str]:
        return list(df.columns)

    def get_column(self, df: Table, name: str) -> Column:
        return df.columns[name]

    def fill_with_scalar(self, df: Table, name: str, value: Any) -> Table:
        return Table({**df.columns, name: [value] * len(df)})

    def with_columns(self, df: Table, columns: Mapping[str, Any]) -> Table:
        return Table({**df.columns, **columns})

    def select(self, df: Table, names: Sequence[str]) -> Table:
        return Table({name: df.columns[name] for name in names})

    def schema(self, df: Table) -> dict[str, str]:
        return {name: type(values[0]).__name__ if values else "unknown" for name, values in df.columns.items()}


@hookimpl
def hamilton_dataframe_backends() -> list[TableBackend]:
    return [TableBackend()]
