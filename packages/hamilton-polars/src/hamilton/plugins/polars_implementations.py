"""Deprecated since 1.x: the old home of ``PolarsDataFrameResult``, kept so that
``from hamilton.plugins.polars_implementations import PolarsDataFrameResult`` still works.

Import it from :mod:`hamilton.plugins.h_polars` instead. Importing this module warns with a
``DeprecationWarning`` (:class:`hamilton.deprecation.RemovedInHamilton3Warning`); 1.x only
logged a message.
"""

from hamilton.deprecation import warn_deprecated
from hamilton.plugins.h_polars import PolarsDataFrameResult

__all__ = ["PolarsDataFrameResult"]

# warnings skips the import machinery's frames, so the warning points at the importing code.
warn_deprecated(
    "hamilton.plugins.polars_implementations",
    instead="Import PolarsDataFrameResult from hamilton.plugins.h_polars.",
    stacklevel=2,
)
