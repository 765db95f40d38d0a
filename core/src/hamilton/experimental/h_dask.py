"""Deprecated 1.x path of the Dask integration: use :mod:`hamilton.plugins.h_dask`
(``pip install "apache-hamilton[dask]"``)."""

from hamilton.deprecation import warn_deprecated
from hamilton.plugins.h_dask import DaskDataFrameResult, DaskExecutor, DaskGraphAdapter  # noqa: F401

warn_deprecated("hamilton.experimental.h_dask", instead="Import from hamilton.plugins.h_dask instead.")
