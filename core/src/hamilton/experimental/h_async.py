"""Deprecated 1.x path of the async driver: use :mod:`hamilton.async_driver`."""

from hamilton.async_driver import AsyncDriver, AsyncGraphAdapter, Builder  # noqa: F401
from hamilton.deprecation import warn_deprecated

warn_deprecated("hamilton.experimental.h_async", instead="Import from hamilton.async_driver instead.")
