"""``result_builder("table")``: a run's outputs as one :class:`Table`."""

from __future__ import annotations

from typing import Any

from hamilton.lifecycle import ResultBuilder
from hamilton_example_plugin.table import Table


class TableResult(ResultBuilder):
    """Lists and tuples become columns, a ``Table`` output adds its columns, and scalars are
    repeated on every row (one row when every output is a scalar). Columns keep the order of
    the outputs; columns of different lengths are an error."""

    def build_result(self, **outputs: Any) -> Table:
        columns: dict[str, list[Any]] = {}
        scalars: dict[str, Any] = {}
        for name, value in outputs.items():
            if isinstance(value, Table):
                columns.update(value.to_dict())
            elif isinstance(value, (list, tuple)):
                columns[name] = list(value)
            else:
                columns[name] = scalars[name] = value  # a placeholder, filled in once rows are known
        lengths = {name: len(values) for name, values in columns.items() if name not in scalars}
        if len(set(lengths.values())) > 1:
            raise ValueError(f"Cannot build a Table from outputs of different lengths: {lengths}.")
        rows = next(iter(lengths.values()), 1)
        return Table({name: [scalars[name]] * rows if name in scalars else values for name, values in columns.items()})

    def output_type(self) -> type:
        return Table
