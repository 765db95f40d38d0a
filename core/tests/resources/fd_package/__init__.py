"""Scenario: a package whose ``__init__`` re-exports functions of its own submodule."""

from ..fd_helpers import imported_function
from .sub import from_submodule

__all__ = ["from_submodule", "imported_function", "package_level"]


def package_level(from_submodule: int) -> int:
    return from_submodule + 1
