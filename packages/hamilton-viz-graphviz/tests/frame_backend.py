"""A tiny pure-Python dataframe type, registered as a plugin so ``@schema.output`` accepts it.

Core's ``@schema.output`` only decorates nodes whose type a dataframe backend handles; these tests
must not depend on pandas, so they bring their own (``conftest.py`` registers it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hamilton.plugins import hookimpl


class Frame(dict):
    """Columns by name."""


class FrameBackend:
    name = "viz-graphviz-tests-frame"
    dataframe_types = (Frame,)
    column_type = list

    def column_names(self, df: Frame) -> list[str]:
        return list(df)

    def get_column(self, df: Frame, name: str) -> list:
        return df[name]

    def fill_with_scalar(self, df: Frame, name: str, value: Any) -> Frame:
        return Frame({**df, name: [value] * len(next(iter(df.values()), []))})

    def with_columns(self, df: Frame, columns: Mapping[str, Any]) -> Frame:
        return Frame({**df, **columns})

    def select(self, df: Frame, names: Sequence[str]) -> Frame:
        return Frame({name: df[name] for name in names})

    def schema(self, df: Frame) -> dict[str, str]:
        return {name: type(values[0]).__name__ if values else "unknown" for name, values in df.items()}


@hookimpl
def hamilton_dataframe_backends() -> list[FrameBackend]:
    return [FrameBackend()]
