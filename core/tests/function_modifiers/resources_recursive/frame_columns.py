"""Column functions that take the whole ``Table`` (for ``pass_dataframe_as``)."""

from ..table_backend import Column, Table


def tripled(df: Table) -> Column:
    return Column(v * 3 for v in df.columns["a"])


def tripled_plus_one(tripled: Column) -> Column:
    return Column(v + 1 for v in tripled)
