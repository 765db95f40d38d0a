"""Deprecated 1.x path of the Ray integration: use :mod:`hamilton.plugins.h_ray`
(``pip install "apache-hamilton[ray]"``)."""

from hamilton.deprecation import warn_deprecated
from hamilton.plugins.h_ray import RayGraphAdapter, RayTaskExecutor  # noqa: F401

warn_deprecated("hamilton.experimental.h_ray", instead="Import from hamilton.plugins.h_ray instead.")
