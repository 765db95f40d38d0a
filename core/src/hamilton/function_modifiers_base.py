"""Deprecated 1.x location of :mod:`hamilton.function_modifiers.base`."""

from hamilton.deprecation import warn_deprecated
from hamilton.function_modifiers.base import *  # noqa: F403

warn_deprecated("hamilton.function_modifiers_base", instead="Import from hamilton.function_modifiers.base.")
