"""The dataframe backend for :class:`Table`: what ``extract_columns``/``with_columns`` need."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hamilton.plugins.interfaces import DataFrameBackend
from hamilton_example_plugin.table import Table


class TableBackend(DataFrameBackend):
    name = "example_table"
    dataframe_types = (Table,)
    column_type = list  # a column of a Table is a plain list

    def column_names(self, df: Table) -> list[str]:
        return df.column_names

    def get_column(self, df: Table, name: str) -> list[Any]:
        return df.column(name)  # raises KeyError for a missing column, as the interface asks

    def fill_with_scalar(self, df: Table, name: str, value: Any) -> Table:
        return self.with_columns(df, {name: [value] * df.num_rows})

    def with_columns(self, df: Table, columns: Mapping[str, Any]) -> Table:
        data = df.to_dict()
        data.update({name: list(values) for name, values in columns.items()})  # replaced keep their place
        return Table(data)

    def select(self, df: Table, names: Sequence[str]) -> Table:
        return Table({name: df.column(name) for name in names})

    def schema(self, df: Table) -> dict[str, str]:
        return {name: _kind(df.column(name)) for name in df.column_names}


def _kind(values: list[Any]) -> str:
    """The name of the values' type; ``"object"`` when mixed (None aside), ``"null"`` when empty."""
    kinds = {type(value).__name__ for value in values if value is not None}
    if not kinds:
        return "null"
    return kinds.pop() if len(kinds) == 1 else "object"
