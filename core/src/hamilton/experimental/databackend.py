"""Abstract types that stand for a library's class without importing the library.

Kept for 1.x compatibility (1.x's ``hamilton.experimental.databackend``). A subclass of
:class:`AbstractBackend` lists ``_backends``, pairs of ``(module name, class name)``; ``isinstance``
and ``issubclass`` then answer for those classes (and their subclasses). A library that was never
imported cannot have produced the value being checked, so the check looks the class up in
``sys.modules`` and never imports anything itself: ``isinstance(x, AbstractPandasDataFrame)``
works whether or not pandas is installed. Such types also work as ``functools.singledispatch``
registration keys.
"""

from __future__ import annotations

import abc
import sys


def _loaded_class(mod_name: str, cls_name: str) -> type | None:
    """The class ``mod_name.cls_name`` if its module is already imported, else None."""
    module = sys.modules.get(mod_name)
    found = getattr(module, cls_name, None) if module is not None else None
    return found if isinstance(found, type) else None


class _AbstractBackendMeta(abc.ABCMeta):
    """Metaclass of the abstract backends; adds :meth:`register_backend`."""

    def register_backend(cls, mod_name: str, cls_name: str) -> None:
        """Make ``mod_name.cls_name`` (and its subclasses) count as instances of ``cls`` too."""
        cls._backends.append((mod_name, cls_name))
        cls._abc_caches_clear()  # forget earlier "not a subclass" answers


class AbstractBackend(metaclass=_AbstractBackendMeta):
    """Base of the abstract backend types: subclasses set ``_backends = [(module, class), ...]``."""

    _backends: list[tuple[str, str]] = []

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        # each subclass owns its list, so register_backend on one never leaks into another
        cls._backends = list(cls.__dict__.get("_backends", []))

    @classmethod
    def __subclasshook__(cls, subclass: type) -> bool:
        for mod_name, cls_name in cls._backends:
            target = _loaded_class(mod_name, cls_name)
            if target is not None and issubclass(subclass, target):
                return True
        return NotImplemented
