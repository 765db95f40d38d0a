"""One helper for every deprecation, so that removals are tracked and cannot be forgotten.

Every deprecated behaviour calls :func:`warn_deprecated` with the version that removes it. The
expiry-gate test (``core/tests/test_deprecation_gate.py``) scans the source for those calls and
fails as soon as the package version reaches a ``removed_in`` that is still referenced.
"""

from __future__ import annotations

DEFAULT_REMOVAL = (3, 0)


class RemovedInHamilton3Warning(DeprecationWarning):
    """A behaviour that Hamilton 3.0 removes. Filter on this class to silence or escalate them."""


_CATEGORIES: dict[tuple[int, ...], type[DeprecationWarning]] = {(3, 0): RemovedInHamilton3Warning}


def warn_deprecated(
    what: str,
    *,
    instead: str | None = None,
    removed_in: tuple[int, ...] = DEFAULT_REMOVAL,
    stacklevel: int = 2,
) -> None:
    """Warn that ``what`` is deprecated and will be removed in ``removed_in``.

    :param what: the deprecated thing, e.g. ``"Driver.raw_execute()"``.
    :param instead: what users should do instead; always give one when it exists.
    :param removed_in: the major version that removes it.
    :param stacklevel: as for :func:`warnings.warn`, counted from the caller of this helper.
    """
    import warnings

    message = deprecation_message(what, instead=instead, removed_in=removed_in)
    warnings.warn(message, deprecation_category(removed_in), stacklevel=stacklevel + 1)


def deprecation_message(what: str, *, instead: str | None = None, removed_in: tuple[int, ...] = DEFAULT_REMOVAL) -> str:
    """The text :func:`warn_deprecated` warns with, for helpers that emit it themselves
    (``hamilton.dev_utils.deprecation``'s ``warn_action``s receive it)."""
    version = ".".join(str(part) for part in removed_in)
    message = f"{what} is deprecated and will be removed in Hamilton {version}."
    if instead:
        message += f" {instead}"
    return message


def deprecation_category(removed_in: tuple[int, ...] = DEFAULT_REMOVAL) -> type[DeprecationWarning]:
    """The warning class of a removal in ``removed_in``: :class:`RemovedInHamilton3Warning` for 3.0,
    plain ``DeprecationWarning`` for a version without its own class."""
    return _CATEGORIES.get(tuple(removed_in[:2]), DeprecationWarning)
