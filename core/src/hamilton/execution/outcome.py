"""What a failure means in a run: raise it, record it and go on, or hand a fallback downstream.

One mechanism serves ``on_error="keep_going"`` and ``@fallback``: a failed or skipped node's
value becomes :data:`UNAVAILABLE`; a node about to run with an unavailable argument either takes
its fallback for that parameter or is skipped (its value unavailable too). In ``fail_fast`` a
failure propagates at once, except when every consumer of the failed node has a fallback for it.
Every runner (sequential, event loop, tasks) asks a :class:`FailurePolicy` the same questions.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from typing import Any

    from hamilton.execution.plan import Step
    from hamilton.node import Node

FALLBACK_TAG = "hamilton.fallback"
FAILED_NODE_ATTRIBUTE = "__hamilton_failed_node__"


class _Unavailable:
    """The value of a node that failed or was skipped (one instance; pickles as itself)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<unavailable: the node failed or was skipped>"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "UNAVAILABLE"


UNAVAILABLE = _Unavailable()


def fallbacks_of(node_: Node) -> Mapping[str, tuple[str, Any]] | None:
    """``{parameter: ("value", v) | ("source", node_name)}`` for a node decorated with ``@fallback``."""
    tag = node_._tags.get(FALLBACK_TAG)
    return getattr(tag, "spec", None) if tag is not None else None


def failed_node_of(error: BaseException) -> str | None:
    """The node a runner recorded as raising ``error`` (see ``runner.report_node_failure``)."""
    return getattr(error, FAILED_NODE_ATTRIBUTE, None)


class FailurePolicy:
    """The failures, recoveries and skips of one run (or one task), and what to do about each.

    :param steps: the steps the run computes (to find each node's consumers).
    :param keep_going: record failures and go on, instead of raising the first one.
    :param outputs: requested outputs: a failure of one of them is never "recovered".
    """

    __slots__ = ("consumers", "failures", "fallbacks", "keep_going", "outputs", "skipped", "substituted", "warned")

    def __init__(self, steps: Sequence[Step], keep_going: bool, outputs: Iterable[str] = ()):
        self.keep_going = keep_going
        self.outputs = frozenset(outputs)
        self.failures: dict[str, BaseException] = {}
        self.skipped: list[str] = []
        self.substituted: dict[str, set[str]] = {}  # failed node -> consumers that took their fallback
        self.warned: set[tuple[str, str]] = set()
        self.fallbacks: dict[str, Mapping[str, tuple[str, Any]]] = {}
        self.consumers: dict[str, list[str]] = {}
        for step in steps:
            spec = fallbacks_of(step.node)
            if spec:
                self.fallbacks[step.name] = spec
            for argument in step.args:
                self.consumers.setdefault(argument, []).append(step.name)

    @property
    def failed(self) -> bool:
        return bool(self.failures)

    def recoverable(self, name: str) -> bool:
        """Whether every consumer of ``name`` in this run has a fallback for it (and nobody asked for it)."""
        if name in self.outputs:
            return False
        consumers = self.consumers.get(name)
        return bool(consumers) and all(name in self.fallbacks.get(consumer, ()) for consumer in consumers)

    @property
    def recovered(self) -> set[str]:
        """Failed nodes (not requested) every consumer of which ran on its fallback instead."""
        found = set()
        for name in self.failures:
            base = name.partition("[")[0]
            consumers = self.consumers.get(base)
            used = self.substituted.get(name, ())
            if consumers and base not in self.outputs and all(consumer in used for consumer in consumers):
                found.add(name)
        return found

    def node_failed(self, name: str, error: BaseException) -> None:
        """Record that node ``name`` raised ``error``; re-raise it when the run must stop."""
        if not self.keep_going and not self.recoverable(name):
            raise error
        self.failures[name] = error

    def arguments(self, step: Step, kwargs: dict[str, Any], values: Mapping[str, Any]) -> dict[str, Any] | None:
        """``kwargs`` with fallbacks put in for unavailable arguments; ``None`` when the node must be skipped."""
        unavailable = [name for name, value in kwargs.items() if value is UNAVAILABLE]
        if not unavailable:
            return kwargs
        spec = self.fallbacks.get(step.name)
        for name in unavailable:
            substitute = spec.get(name) if spec else None
            if substitute is None:
                return self._skip(step.name, name)
            kind, payload = substitute
            value = payload if kind == "value" else values.get(payload, UNAVAILABLE)
            if value is UNAVAILABLE:
                return self._skip(step.name, payload if kind == "source" else name)
            kwargs[name] = value
            self.substituted.setdefault(name, set()).add(step.name)
            self._warn_recovery(name, step)
        return kwargs

    def _skip(self, name: str, missing: str) -> None:
        """Skip node ``name`` (its argument ``missing`` is unavailable); in fail_fast that ends the run."""
        if not self.keep_going:
            error = self.failures.get(missing)
            if error is not None:
                raise error
            raise RuntimeError(f"Hamilton: node '{name}' cannot run: its input '{missing}' was not computed.")
        self.skipped.append(name)
        return None

    def _warn_recovery(self, failed: str, step: Step) -> None:
        """In fail_fast, say that a failure was absorbed by a fallback (once per pair of nodes)."""
        if self.keep_going or (failed, step.name) in self.warned:
            return
        self.warned.add((failed, step.name))
        import warnings

        error = self.failures.get(failed)
        cause = f" ({type(error).__name__}: {error})" if error is not None else ""
        warnings.warn(
            f"Hamilton: node '{failed}' failed{cause}; node '{step.name}' ({step.node.location()}) ran with its "
            f"@fallback for '{failed}' instead.",
            UserWarning,
            stacklevel=2,
        )

    def merge(self, other: FailurePolicy | TaskOutcome, rename: Any = None) -> None:
        """Take the records of a task's run (``rename``: e.g. name an item's node ``node[i]``)."""
        rename = rename or (lambda name: name)
        for name, error in other.failures.items():
            self.failures[rename(name)] = error
        self.skipped.extend(rename(name) for name in other.skipped)
        for name, consumers in other.substituted.items():
            self.substituted.setdefault(rename(name), set()).update(consumers)


class TaskOutcome(Exception):
    """A task (of a keep-going dynamic run) in which nodes failed or took fallbacks: its results
    (unavailable ones included) and records.

    Raised by the task so that it crosses executors (threads, processes, clusters) like any
    failure; the driver's side merges it into the run's :class:`FailurePolicy`.
    """

    def __init__(
        self,
        results: dict[str, Any],
        failures: dict[str, BaseException],
        skipped: Sequence[str],
        substituted: Mapping[str, Iterable[str]],
    ):
        super().__init__(f"{len(failures)} node(s) of the task failed: {', '.join(failures)}")
        self.results = results
        self.failures = failures
        self.skipped = list(skipped)
        self.substituted = {name: set(consumers) for name, consumers in substituted.items()}

    @property
    def complete(self) -> bool:
        """Whether every value the task returns was computed (fallbacks covered its failures)."""
        return all(value is not UNAVAILABLE for value in self.results.values())

    def __reduce__(self) -> tuple:
        return TaskOutcome, (self.results, self.failures, self.skipped, self.substituted)


def item_name(name: str, index: int | str) -> str:
    """``node[i]``: a node of item ``index`` of a parallel block (``x[j]`` becomes ``x[i][j]``)."""
    base, bracket, rest = name.partition("[")
    return f"{base}[{index}]{bracket}{rest}"


def policy_for(plan: Any, keep_going: bool) -> FailurePolicy | None:
    """The policy a run of ``plan`` needs: ``None`` for fail-fast runs without fallbacks (the fast loops)."""
    has_fallbacks = plan.derived.get("has_fallbacks")
    if has_fallbacks is None:
        has_fallbacks = plan.derived["has_fallbacks"] = any(fallbacks_of(step.node) for step in plan.steps)
    if not keep_going and not has_fallbacks:
        return None
    return FailurePolicy(plan.steps, keep_going, plan.final_vars)


def raise_for_outcome(policy: FailurePolicy | None, values: Mapping[str, Any], final_vars: Sequence[str]) -> None:
    """Raise :class:`hamilton.errors.PartialExecutionError` when a keep-going run had failures."""
    if policy is None or not policy.keep_going or not policy.failures:
        return
    from hamilton.errors import PartialExecutionError

    computed = {name: values[name] for name in final_vars if name in values and values[name] is not UNAVAILABLE}
    raise PartialExecutionError(computed, policy.failures, policy.skipped, policy.recovered, computed)
