"""Exceptions for bad user input. Each subclasses what Hamilton 1.x raised, so old handlers work.

Every message names the node(s), the function(s) and where they are defined, and says what to
do about it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


class InvalidFunctionError(ValueError):
    """A function cannot become a node (missing annotations, ``*args``...)."""


class DuplicateNodeError(ValueError):
    """Two functions (or decorators) define the same node name."""


class TypeMismatchError(ValueError):
    """A producer's type is incompatible with a consumer's annotation."""


class UnknownNodesError(ValueError):
    """Requested outputs that no node, config key or input provides."""

    def __init__(self, message: str, names: Sequence[str]):
        super().__init__(message)
        self.names = list(names)

    @classmethod
    def for_names(cls, unknown: Sequence[str], known: Iterable[str]) -> UnknownNodesError:
        """The 1.x message (``Unknown nodes [a,\\nb] requested.``) plus closest-name hints."""
        known = list(known)
        listing = ",\n".join(unknown)
        message = f"Unknown nodes [{listing}] requested. Check for typos?"
        hints = [
            f"{name} -> did you mean {', '.join(close)}?" for name in unknown if (close := closest_names(name, known))
        ]
        if hints:
            message += " " + "; ".join(hints)
        return cls(message, unknown)


class InvalidInputsError(ValueError):
    """Required inputs are missing or have the wrong type. Lists every problem at once."""

    def __init__(self, message: str, missing: dict[str, list[str]], mistyped: dict[str, str]):
        super().__init__(message)
        self.missing = missing
        self.mistyped = mistyped


class GraphCycleError(ValueError, RecursionError):
    """The nodes to execute form a cycle (1.x hit ``RecursionError`` here; both still match)."""

    def __init__(self, message: str, cycle: Sequence[str]):
        super().__init__(message)
        self.cycle = list(cycle)


def closest_names(wanted: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """Names resembling ``wanted`` — suggestions for a probable typo."""
    import difflib

    return difflib.get_close_matches(wanted, list(candidates), n=limit, cutoff=0.6)
