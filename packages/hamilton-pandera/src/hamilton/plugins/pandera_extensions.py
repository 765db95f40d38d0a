"""The ``pandera`` plugin: pandera schemas for ``@check_output``.

Entry point ``pandera`` in the ``hamilton.plugins`` group, so Hamilton loads it lazily: when
``@check_output(schema=...)`` is given a pandera schema, or meets a ``pandera.typing``
annotation — never for a dataflow that uses no pandera. Importing it by hand is harmless.

It registers the validators of :mod:`hamilton.data_quality.pandera_validators`
(``schema=<pandera schema>`` on pandas, polars and dask frames and series). 1.x's decorator that
reads the schema from the return annotation is :mod:`hamilton.plugins.h_pandera`.
"""

from __future__ import annotations

from collections.abc import Collection

from hamilton.plugins import library_required

with library_required("pandera", needed_by=__name__, extra="pandera"):
    import pandera  # noqa: F401

from hamilton.plugins.hookspecs import hookimpl

HAMILTON_CORE_VERSIONS = ">=2.0,<3"


@hookimpl
def hamilton_validators() -> Collection[type]:
    from hamilton.data_quality.pandera_validators import PANDERA_VALIDATORS

    return list(PANDERA_VALIDATORS)
