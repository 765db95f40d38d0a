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


class DataLoadError(ValueError):
    """A loader could not read its source (a missing or corrupt file, an unset variable...).

    The message names the node, the format and the source; ``node_name``, ``format_name`` and
    ``source`` hold them, and the loader's own exception is the ``__cause__``. Raised errors are
    made with :func:`load_error`, so they are also instances of the loader's exception type
    (``KeyError``, ``json.JSONDecodeError``...): handlers written for 1.x keep catching them.
    """

    node_name: str = ""
    format_name: str = ""
    source: str = ""

    def __init__(self, message: str, node_name: str = "", format_name: str = "", source: str = ""):
        ValueError.__init__(self, message)
        self._describe(message, node_name, format_name, source)

    def _describe(self, message: str, node_name: str, format_name: str, source: str) -> None:
        self.message = message
        self.node_name = node_name
        self.format_name = format_name
        self.source = source

    def __str__(self) -> str:  # one message whatever the mixed-in type (KeyError would quote it)
        return self.message

    def __reduce__(self) -> tuple:
        cause_type = getattr(self, "_cause_type", type(self))
        os_args = _os_arguments(self) if isinstance(self, OSError) else None
        return _rebuild_load_error, (cause_type, self.message, self.node_name, self.format_name, self.source, os_args)


class DataSourceNotFoundError(DataLoadError, FileNotFoundError):
    """The file (or other source) a loader was pointed at does not exist.

    Also a ``FileNotFoundError`` (with ``errno``/``filename``), which is what 1.x let through.
    """


_load_error_types: dict[type, type] = {FileNotFoundError: DataSourceNotFoundError}


def _load_error_type(cause_type: type) -> type:
    """A subclass of both :class:`DataLoadError` and ``cause_type`` (or DataLoadError alone)."""
    if issubclass(cause_type, DataLoadError) or issubclass(DataLoadError, cause_type):
        return cause_type if issubclass(cause_type, DataLoadError) else DataLoadError
    combined = _load_error_types.get(cause_type)
    if combined is None:
        try:
            combined = type("DataLoadError", (DataLoadError, cause_type), {"__module__": __name__})
        except TypeError:  # a final type, or one whose instance layout cannot be combined
            combined = DataLoadError
        _load_error_types[cause_type] = combined
    return combined


def load_error(cause: BaseException, message: str, node_name: str, format_name: str, source: str) -> DataLoadError:
    """The :class:`DataLoadError` to raise for a loader's exception ``cause``."""
    os_args = _os_arguments(cause) if isinstance(cause, OSError) else None
    return _rebuild_load_error(type(cause), message, node_name, format_name, source, os_args)


def _os_arguments(error: OSError) -> tuple:
    """What recreates an ``OSError`` with the same ``errno``, ``strerror`` and ``filename``."""
    if error.filename is not None:
        return (error.errno, error.strerror, error.filename)
    return error.args


def _rebuild_load_error(
    cause_type: type, message: str, node_name: str, format_name: str, source: str, os_args: tuple | None
) -> DataLoadError:
    error_type = _load_error_type(cause_type)
    try:
        if os_args is not None and issubclass(error_type, OSError):
            error = OSError.__new__(error_type, *os_args)
            OSError.__init__(error, *os_args)  # keeps errno, strerror and filename
        else:  # the cause type's own __init__ may need other arguments: only its __new__ runs
            error = cause_type.__new__(error_type)
            BaseException.__init__(error, message)
    except Exception:  # an exotic exception type: give up the mixed-in type, keep the message
        error = DataLoadError.__new__(DataLoadError)
        BaseException.__init__(error, message)
    error._describe(message, node_name, format_name, source)
    error._cause_type = cause_type
    return error


class PartialExecutionError(RuntimeError):
    """A ``keep_going`` run in which some nodes failed: what was computed, what failed, what was skipped.

    * ``results``: the requested outputs that were computed, shaped by the driver's result builder
      when it accepts them (a dict of those outputs when it does not);
    * ``failures``: node name -> the exception it raised (with its ``__traceback__``). A node inside
      a parallel block is named with its item, ``"node[3]"`` (nested blocks: ``"node[3][0]"``);
    * ``recovered``: the failed nodes whose consumers all took a ``@fallback`` value instead;
    * ``skipped``: nodes not run because a node upstream of them failed, in run order.
    """

    def __init__(
        self,
        results: object,
        failures: dict[str, BaseException],
        skipped: Sequence[str],
        recovered: Iterable[str] = (),
        computed: Iterable[str] = (),
    ):
        self.results = results
        self.failures = dict(failures)
        self.skipped = list(skipped)
        self.recovered = frozenset(recovered)
        self.computed = frozenset(computed)  # the requested outputs present in ``results``
        super().__init__(self._message())

    def _message(self) -> str:
        lines = [f"{len(self.failures)} node(s) failed; {len(self.skipped)} node(s) downstream were skipped."]
        for name, error in self.failures.items():
            recovered = " (recovered by a fallback)" if name in self.recovered else ""
            lines.append(f"  {name}{recovered}: {type(error).__name__}: {error}")
        if self.skipped:
            shown = ", ".join(self.skipped[:20]) + (", ..." if len(self.skipped) > 20 else "")
            lines.append(f"  skipped: {shown}")
        lines.append(
            "The outputs that could be computed are in .results; .failures holds each exception (with its "
            "traceback), .skipped the nodes that were not run."
        )
        return "\n".join(lines)

    def __reduce__(self) -> tuple:
        return type(self), (self.results, self.failures, self.skipped, self.recovered, self.computed)
