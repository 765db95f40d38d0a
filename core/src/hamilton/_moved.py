"""PEP 562 shims for 1.x names that now live in plugin distributions.

A core module lists its moved names and delegates its module-level ``__getattr__`` here; the
name is imported from its new home on first use, or an ``ImportError`` says which extra to
install.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from typing import Any


class MovedName:
    """Where a moved name lives now, and what installs it."""

    __slots__ = ("distribution", "extra", "module")

    def __init__(self, module: str, distribution: str, extra: str):
        self.module = module  # where the name lives now
        self.distribution = distribution  # the distribution that ships that module
        self.extra = extra  # the apache-hamilton extra that installs the distribution


def resolve_moved(module_name: str, name: str, moved: dict[str, MovedName]) -> Any:
    """Import ``name`` (formerly ``module_name.name``) from its new home."""
    target = moved.get(name)
    if target is None:
        raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
    import importlib

    try:
        new_home = importlib.import_module(target.module)
    except ImportError as error:
        raise ImportError(
            f"{module_name}.{name} is provided by the {target.distribution} distribution, which "
            f"is not installed (or failed to import: {error}). Install it with: "
            f'pip install "apache-hamilton[{target.extra}]"'
        ) from error
    return getattr(new_home, name)
