"""How a run proceeds: what happens on a failure, in which order work is released, where sync
nodes run in an async run. Chosen per driver with ``Builder().with_execution_mode(...)``."""

from __future__ import annotations

ON_ERROR = ("fail_fast", "keep_going")
SCHEDULES = ("ready", "levels")
SYNC_NODES = ("inline", "threads")


class ExecutionMode:
    """An immutable choice of run behaviour (see docs/execution-modes.md).

    :param on_error: ``"fail_fast"`` (the first failure stops the run and propagates) or
        ``"keep_going"`` (every node whose inputs exist runs; failures are gathered into a
        :class:`hamilton.errors.PartialExecutionError`).
    :param schedule: ``"ready"`` (a node starts as soon as its inputs exist) or ``"levels"`` (all
        nodes of one depth of the graph finish before the next depth starts).
    :param sync_nodes: in a concurrent run, ``"inline"`` runs plain ``def`` nodes on the event
        loop's thread; ``"threads"`` runs them on a thread pool so a blocking node does not stall
        the loop (and independent sync nodes overlap).
    :param max_concurrency: at most this many nodes in flight at once (``None``: no limit
        beyond the graph's shape; offloaded sync nodes are bounded by the thread pool anyway).
    """

    __slots__ = ("max_concurrency", "on_error", "schedule", "sync_nodes")

    def __init__(
        self,
        on_error: str = "fail_fast",
        schedule: str = "ready",
        sync_nodes: str = "inline",
        max_concurrency: int | None = None,
    ):
        _check_choice("on_error", on_error, ON_ERROR)
        _check_choice("schedule", schedule, SCHEDULES)
        _check_choice("sync_nodes", sync_nodes, SYNC_NODES)
        if max_concurrency is not None and (
            isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int) or max_concurrency < 1
        ):
            raise ValueError(f"max_concurrency must be a positive int or None, got {max_concurrency!r}.")
        object.__setattr__(self, "on_error", on_error)
        object.__setattr__(self, "schedule", schedule)
        object.__setattr__(self, "sync_nodes", sync_nodes)
        object.__setattr__(self, "max_concurrency", max_concurrency)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("ExecutionMode is immutable: build another with replace(...).")

    @property
    def keep_going(self) -> bool:
        return self.on_error == "keep_going"

    @property
    def concurrent(self) -> bool:
        """Whether sync-only runs need the concurrent engine (offloaded sync nodes)."""
        return self.sync_nodes == "threads"

    def replace(self, **changes: object) -> ExecutionMode:
        """A copy with some choices changed."""
        current = {name: getattr(self, name) for name in self.__slots__}
        current.update(changes)
        return ExecutionMode(**current)  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ExecutionMode) and all(
            getattr(self, name) == getattr(other, name) for name in self.__slots__
        )

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, name) for name in self.__slots__))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in sorted(self.__slots__))
        return f"ExecutionMode({shown})"

    def __reduce__(self) -> tuple:
        return ExecutionMode, (self.on_error, self.schedule, self.sync_nodes, self.max_concurrency)


def _check_choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}; got {value!r}.")


DEFAULT_MODE = ExecutionMode()
