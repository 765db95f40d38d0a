"""The ``vaex`` plugin: vaex frames in Hamilton (1.x's ``hamilton.plugins.vaex_extensions``).

It registers:

* the column backend of ``vaex.dataframe.DataFrame`` (columns are ``vaex.expression.Expression``)
  — :mod:`~hamilton.plugins.vaex_backend` — so ``@extract_columns`` (with ``fill_with=``),
  ``@parameterize_extract_columns``, ``@with_columns`` and ``schema.output`` take vaex frames;
* the result builder ``"vaex"``: :class:`hamilton.plugins.h_vaex.VaexDataFrameResult`.

1.x registered no vaex loaders or savers, and neither does this module: read and write vaex
frames in node functions (``vaex.open(path)``, ``df.export(path)``).

Entry point ``vaex`` in the ``hamilton.plugins`` group: Hamilton loads this module the first time
a vaex frame or type is dispatched, or ``result_builder("vaex")`` is looked up — never for a
dataflow that does not use vaex. Importing it by hand (1.x's ``from hamilton.plugins import
vaex_extensions``) is harmless; ``register_types()`` registers it explicitly (for
``HAMILTON_AUTOLOAD_EXTENSIONS=0``).
"""

import sys
from collections.abc import Callable, Collection, Mapping
from typing import Any

from hamilton.plugins import library_required
from hamilton.plugins.hookspecs import hookimpl

with library_required("vaex", needed_by=__name__, extra="vaex", distribution="vaex-core"):
    import vaex

HAMILTON_CORE_VERSIONS = ">=2.0,<3"

# 1.x's names for the types this module registers.
DATAFRAME_TYPE = vaex.dataframe.DataFrame
COLUMN_TYPE = vaex.expression.Expression


def get_column_vaex(df: vaex.dataframe.DataFrame, column_name: str) -> vaex.expression.Expression:
    """The column ``column_name`` of ``df`` (1.x's function; ``@extract_columns`` calls the backend)."""
    from hamilton.plugins.vaex_backend import VaexBackend

    return VaexBackend().get_column(df, column_name)


def fill_with_scalar_vaex(
    df: vaex.dataframe.DataFrame, column_name: str, scalar_value: Any
) -> vaex.dataframe.DataFrame:
    """``df`` with a column ``column_name`` holding ``scalar_value`` in every row (1.x's function).

    1.x added the column to ``df`` itself; this returns a copy (vaex copies no data) and leaves
    ``df`` as it was.
    """
    from hamilton.plugins.vaex_backend import VaexBackend

    return VaexBackend().fill_with_scalar(df, column_name, scalar_value)


def register_types() -> None:
    """Register this plugin now (1.x's function; loading is automatic otherwise)."""
    from hamilton import plugins

    plugins.register(sys.modules[__name__])


@hookimpl
def hamilton_dataframe_backends() -> Collection[object]:
    from hamilton.plugins.vaex_backend import VaexBackend

    return [VaexBackend()]


@hookimpl
def hamilton_result_builders() -> Mapping[str, Callable[..., object]]:
    from hamilton.plugins.h_vaex import VaexDataFrameResult

    return {"vaex": VaexDataFrameResult}
