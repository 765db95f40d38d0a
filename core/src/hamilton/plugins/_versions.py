"""Checking a plugin's declared range of supported core versions (no ``packaging`` needed).

A plugin declares ``HAMILTON_CORE_VERSIONS = ">=2.0,<3"`` (comma-separated clauses with
``>=``, ``>``, ``<=``, ``<``, ``==``, ``!=``). Only release numbers are compared: core
``2.0.0.dev0`` counts as ``2.0.0``, so a plugin written for 2.0 loads on its pre-releases.
"""

from __future__ import annotations

_OPERATORS = (">=", "<=", "==", "!=", ">", "<")


def release(version: str | tuple) -> tuple[int, ...]:
    """The numeric release part: ``"2.0.0.dev0"`` and ``(2, 0, 0, "dev0")`` give ``(2, 0, 0)``."""
    parts = version.split(".") if isinstance(version, str) else [str(p) for p in version]
    numbers = []
    for part in parts:
        if not part.isdigit():
            break
        numbers.append(int(part))
    return tuple(numbers)


def _padded(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    width = max(len(a), len(b))
    return a + (0,) * (width - len(a)), b + (0,) * (width - len(b))


def satisfies(version: str | tuple, specifier: str) -> bool:
    """Whether ``version`` meets every clause of ``specifier``; raises ``ValueError`` if malformed."""
    current = release(version)
    for clause in specifier.split(","):
        clause = clause.strip()
        if not clause:
            continue
        operator = next((op for op in _OPERATORS if clause.startswith(op)), None)
        bound_text = clause[len(operator) :].strip() if operator else ""
        bound = release(bound_text)
        if operator is None or not bound or bound_text.rstrip(".*") != ".".join(map(str, bound)):
            raise ValueError(f"cannot read the version clause {clause!r} (use e.g. '>=2.0,<3')")
        left, right = _padded(current, bound)
        ok = {
            ">=": left >= right,
            "<=": left <= right,
            "==": left == right,
            "!=": left != right,
            ">": left > right,
            "<": left < right,
        }[operator]
        if not ok:
            return False
    return True
