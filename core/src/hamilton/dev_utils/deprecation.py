"""1.x's ``@deprecated`` decorator, kept for 1.x compatibility (libraries built on Hamilton use it).

``@deprecated(warn_starting=..., fail_starting=..., use_this=..., explanation=...,
migration_guide=...)`` marks a function or class with the Hamilton versions at which using it
starts to warn and to fail. As in 1.x, it warns once the current Hamilton version is *past*
``warn_starting`` and fails once it is *past* ``fail_starting``; a class warns when an instance
is called (1.x's decorators are classes applied by calling an instance), or, when its instances
are not callable, when it is instantiated.

Unlike 1.x, the default warning is a ``DeprecationWarning`` (:class:`RemovedInHamilton3Warning`
for a removal in 3.0), raised through :mod:`warnings` like every deprecation of this project,
instead of a ``logger.warning``; pass ``warn_action`` to handle it otherwise.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import Any

from hamilton import version
from hamilton.deprecation import deprecation_category, deprecation_message


class DeprecationError(Exception):
    """Raised when something deprecated is used after its ``fail_starting`` version."""


@dataclasses.dataclass(frozen=True, order=True)
class Version:
    """A ``major.minor.patch`` version, comparable with other ``Version`` objects."""

    major: int
    minor: int
    patch: int

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    @classmethod
    def from_version_tuple(cls, version_tuple: tuple[Any, ...]) -> Version:
        """``(1, 2, 3)`` or ``(1, 2, 3, "rc1")`` -> ``Version(1, 2, 3)`` (a pre-release suffix is dropped)."""
        major, minor, patch = (int(part) for part in version_tuple[:3])
        return cls(major, minor, patch)

    def as_tuple(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)


CURRENT_VERSION = Version.from_version_tuple(version.VERSION)


def _as_version(value: tuple[int, int, int] | Version) -> Version:
    return value if isinstance(value, Version) else Version.from_version_tuple(tuple(value))


def _current_version() -> Version:
    return CURRENT_VERSION


def _defines_call(cls: type) -> bool:
    """Whether instances of ``cls`` are callable (a ``__call__`` on the class, not its metaclass)."""
    return any("__call__" in vars(klass) for klass in cls.__mro__ if klass is not object)


@dataclasses.dataclass
class deprecated:  # lower-case: 1.x's name, used as a decorator
    """Mark a function or class deprecated, from ``warn_starting`` on, and failing from ``fail_starting``.

    :param warn_starting: the Hamilton version after which using it warns.
    :param fail_starting: the Hamilton version after which using it fails (not before ``warn_starting``).
    :param use_this: the replacement, if any.
    :param explanation: why it is deprecated.
    :param migration_guide: where to read how to migrate; required when there is no ``use_this``.
    :param current_version: the version compared (default: the installed Hamilton's).
    :param warn_action: called with the message when it warns (default: a ``DeprecationWarning``).
    :param fail_action: called with the message when it fails (default: raise :class:`DeprecationError`).
    :raises ValueError: when ``fail_starting`` comes before ``warn_starting``, or there is neither a
        replacement nor a migration guide.
    """

    warn_starting: tuple[int, int, int] | Version
    fail_starting: tuple[int, int, int] | Version
    use_this: Callable[..., Any] | None
    explanation: str
    migration_guide: str | None
    current_version: tuple[int, int, int] | Version = dataclasses.field(default_factory=_current_version)
    warn_action: Callable[[str], None] | None = None
    fail_action: Callable[[str], None] | None = None

    def __post_init__(self) -> None:
        self.warn_starting = _as_version(self.warn_starting)
        self.fail_starting = _as_version(self.fail_starting)
        self.current_version = _as_version(self.current_version)
        if self.fail_starting < self.warn_starting:
            raise ValueError(
                f"@deprecated: warn_starting ({self.warn_starting}) must not come after fail_starting "
                f"({self.fail_starting})."
            )
        if self.use_this is None and self.migration_guide is None:
            raise ValueError("@deprecated needs a migration_guide when there is no replacement (use_this).")

    def _advice(self) -> str:
        parts = [self.explanation] if self.explanation else []
        if self.use_this is not None:
            parts.append(f"Use {getattr(self.use_this, '__qualname__', self.use_this)} instead.")
        if self.migration_guide is not None:
            parts.append(f"For migration, see: {self.migration_guide}.")
        elif self.use_this is not None:
            parts.append("It is a drop-in replacement.")
        return " ".join(parts)

    def _act(self, name: str) -> None:
        """Warn or fail for one use of ``name``, depending on the current version."""
        if self.current_version > self.fail_starting:
            message = f"{name} is no longer supported as of Hamilton {self.fail_starting}. {self._advice()}"
            if self.fail_action is None:
                raise DeprecationError(message)
            self.fail_action(message)
        elif self.current_version > self.warn_starting:
            removed_in = self.fail_starting.as_tuple()
            message = deprecation_message(name, instead=self._advice(), removed_in=removed_in)
            if self.warn_action is not None:
                self.warn_action(message)
            else:
                import warnings

                # stacklevel 3: past this method and the wrapper, to the code using the deprecated thing
                warnings.warn(message, deprecation_category(removed_in), stacklevel=3)

    def _wrap(self, fn: Callable[..., Any], name: str) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            self._act(name)
            return fn(*args, **kwargs)

        return wrapper

    def __call__(self, fn: Any) -> Any:
        """Decorate ``fn``: a function gets a wrapper; a class gets its ``__call__`` (or ``__init__``) wrapped."""
        name = getattr(fn, "__qualname__", repr(fn))
        if isinstance(fn, type):
            method = "__call__" if _defines_call(fn) else "__init__"
            setattr(fn, method, self._wrap(getattr(fn, method), name))
            return fn
        if not callable(fn):
            raise TypeError(f"@deprecated decorates functions and classes, not {type(fn).__name__} {fn!r}.")
        return self._wrap(fn, name)
