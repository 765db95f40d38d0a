"""Validators as hooks: run ``@check_output``'s validators from a lifecycle hook, not as nodes.

By default ``@check_output``/``@check_output_custom`` add nodes, as 1.x does: ``t_raw``, one
``t_<validator>`` node per validator and a final ``t``. In *hooks mode* the graph keeps the
plain node ``t`` — the validators travel on it, in the tag :data:`VALIDATORS_TAG` — and a
:class:`ValidationHook` runs them right after ``t`` is computed. Select hooks mode with config,
since the graph's shape is decided when it is built, and add the hook, which runs them::

    from hamilton.data_quality.hooks import DATA_QUALITY_MODE, HOOKS_MODE, ValidationHook

    validation = ValidationHook()
    dr = (
        driver.Builder()
        .with_modules(my_flow)
        .with_config({DATA_QUALITY_MODE: HOOKS_MODE})
        .with_adapters(validation)
        .build()
    )
    dr.execute(["t"])
    validation.results()  # {"t": {"range_validator": ValidationResult(...)}}

Importance works as with nodes: a failed ``"warn"`` validation is logged, failed ``"fail"``
ones raise :class:`~hamilton.data_quality.base.DataValidationError` (from the hook, so the run
fails at node ``t``). Without a ``ValidationHook``, hooks mode runs no validator at all.

**Reading results from other hooks.** The hook records each validation of a run (in either
mode: in nodes mode it records what the validator nodes return) before acting on it. Give the
hook to your own adapter and call :meth:`ValidationHook.results_for_node` with the ``run_id``
your hook receives; ``post_node_execute`` hooks run in adapter order, so put your adapter
*after* the ``ValidationHook`` to see the results of the node that just ran. A failing ``"fail"``
validation raises from the ``ValidationHook``, so hooks after it do not see that node finish.
"""

from __future__ import annotations

import dataclasses
import threading

from hamilton.data_quality.base import DataValidator, ValidationResult, act_on_results, check_results
from hamilton.lifecycle.base import BasePostNodeExecute, BasePreGraphExecute

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import Any

    from hamilton.graph import FunctionGraph
    from hamilton.node import Node

DATA_QUALITY_MODE = "hamilton.data_quality.mode"  # config key read by @check_output*
NODES_MODE = "nodes"  # validator nodes, as in 1.x (the default)
HOOKS_MODE = "hooks"  # validators declared on the node, run by ValidationHook
MODES = (NODES_MODE, HOOKS_MODE)
VALIDATORS_TAG = "hamilton.data_quality.validators"  # hooks mode: the node's NodeValidators
IS_DATA_VALIDATOR_TAG = "hamilton.data_quality.contains_dq_results"
DATA_VALIDATOR_ORIGINAL_OUTPUT_TAG = "hamilton.data_quality.source_node"
VALIDATOR_ATTRIBUTE = "__hamilton_validator__"  # on a validator node's callable: its DataValidator


def unique_names(validators: Iterable[DataValidator], taken: Iterable[str] = ()) -> list[str]:
    """A name per validator: ``name()``, then ``name()_1``, ``name()_2``... for repeats (1.x naming)."""
    used = set(taken)
    names = []
    for validator in validators:
        base_name = validator.name()
        name, count = base_name, 0
        while name in used:
            count += 1
            name = f"{base_name}_{count}"
        used.add(name)
        names.append(name)
    return names


@dataclasses.dataclass(frozen=True)
class NodeValidators:
    """The validators declared on a node in hooks mode: ``(name, validator)`` pairs, in order."""

    entries: tuple[tuple[str, DataValidator], ...] = ()

    def extended(self, validators: Iterable[DataValidator]) -> NodeValidators:
        """These entries plus ``validators`` (named uniquely among all of them)."""
        validators = list(validators)
        names = unique_names(validators, taken=[name for name, _ in self.entries])
        return NodeValidators(self.entries + tuple(zip(names, validators)))

    def __iter__(self) -> Iterator[tuple[str, DataValidator]]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __repr__(self) -> str:  # shown wherever tags are (visualizations, JSON)
        return f"NodeValidators({', '.join(name for name, _ in self.entries)})"


@dataclasses.dataclass(frozen=True)
class ValidationRecord:
    """One validation of a run: of node ``node_name``, by its validator named ``validator_name``.

    ``validator`` is ``None`` when the hook only saw the result (a custom validator node).
    ``task_id`` is set for nodes run inside tasks (parallel blocks run a node several times).
    """

    node_name: str
    validator_name: str
    result: ValidationResult
    validator: DataValidator | None = None
    task_id: str | None = None


class ValidationHook(BasePreGraphExecute, BasePostNodeExecute):
    """Runs the validators declared in hooks mode, and records every validation of each run.

    See the module docstring. Results are kept for the ``keep_runs`` most recent runs.
    Recording is thread-safe; validations run in other processes (multiprocessing executors)
    are not seen by this object.
    """

    def __init__(self, keep_runs: int = 16):
        if keep_runs < 1:
            raise ValueError(f"keep_runs must be at least 1, got {keep_runs}.")
        self.keep_runs = keep_runs
        self._runs: dict[str, list[ValidationRecord]] = {}
        self._lock = threading.Lock()

    # -- lifecycle points ----------------------------------------------------------------------
    def pre_graph_execute(
        self,
        *,
        run_id: str,
        graph: FunctionGraph,
        final_vars: list[str],
        inputs: dict[str, Any],
        overrides: dict[str, Any],
    ) -> None:
        with self._lock:
            self._records(run_id)

    def post_node_execute(
        self,
        *,
        run_id: str,
        node_: Node,
        kwargs: dict[str, Any],
        success: bool,
        error: Exception | None,
        result: Any | None,
        task_id: str | None = None,
    ) -> None:
        if not success:
            return
        tags = node_.tags
        declared = tags.get(VALIDATORS_TAG)
        if declared:
            self._validate(run_id, node_.name, declared, result, task_id)
        elif tags.get(IS_DATA_VALIDATOR_TAG) and isinstance(result, ValidationResult):
            self._record_validator_node(run_id, node_, result, task_id)

    # -- reading results -----------------------------------------------------------------------
    @property
    def latest_run_id(self) -> str | None:
        """The id of the most recent run this hook saw, or ``None``."""
        with self._lock:
            return next(reversed(self._runs), None)

    def records(self, run_id: str | None = None) -> list[ValidationRecord]:
        """Every validation of run ``run_id`` (default: the latest run), in the order they ran."""
        with self._lock:
            run_id = run_id if run_id is not None else next(reversed(self._runs), None)
            return list(self._runs.get(run_id, ())) if run_id is not None else []

    def results(self, run_id: str | None = None) -> dict[str, dict[str, ValidationResult]]:
        """``{node: {validator name: result}}`` for run ``run_id`` (default: the latest run).

        Validator names are those of 1.x's validator nodes without the node prefix
        (``range_validator``, ``range_validator_1``...). A node run several times in a run (a
        parallel block) shows its latest validation; :meth:`records` has them all.
        """
        by_node: dict[str, dict[str, ValidationResult]] = {}
        for record in self.records(run_id):
            by_node.setdefault(record.node_name, {})[record.validator_name] = record.result
        return by_node

    def results_for_node(self, node_name: str, run_id: str | None = None) -> dict[str, ValidationResult]:
        """``{validator name: result}`` of one node in run ``run_id`` (default: the latest run)."""
        return self.results(run_id).get(node_name, {})

    def clear(self) -> None:
        """Forget every recorded run."""
        with self._lock:
            self._runs.clear()

    # -- internals -----------------------------------------------------------------------------
    def _records(self, run_id: str) -> list[ValidationRecord]:
        """The record list of ``run_id``, started (and the oldest runs dropped) if new.

        Call with the lock held.
        """
        records = self._runs.get(run_id)
        if records is None:
            records = self._runs[run_id] = []
            while len(self._runs) > self.keep_runs:
                del self._runs[next(iter(self._runs))]
        return records

    def _append(self, run_id: str, new: list[ValidationRecord]) -> None:
        with self._lock:
            self._records(run_id).extend(new)

    def _validate(self, run_id: str, node_name: str, declared: Any, value: Any, task_id: str | None) -> None:
        entries = list(declared)
        outcomes = [(validator.validate(value), validator) for _, validator in entries]
        checked = check_results(node_name, outcomes)
        self._append(
            run_id,
            [
                ValidationRecord(node_name, name, result, validator, task_id)
                for (name, _), (result, validator) in zip(entries, checked)
            ],
        )
        act_on_results(node_name, checked)

    def _record_validator_node(self, run_id: str, node_: Node, result: ValidationResult, task_id: str | None) -> None:
        source = node_.tags.get(DATA_VALIDATOR_ORIGINAL_OUTPUT_TAG) or node_.name
        name = node_.name
        if name.startswith(f"{source}_"):
            name = name[len(source) + 1 :]
        validator = getattr(node_.callable, VALIDATOR_ATTRIBUTE, None)
        self._append(run_id, [ValidationRecord(source, name, result, validator, task_id)])
