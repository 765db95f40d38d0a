"""The dependencies among a run's steps: who waits for whom, and each step's depth.

Derived once per plan (or per task's steps) and shared by the concurrent runner and the
``levels`` schedule; the sequential runner needs none of it.
"""

from __future__ import annotations

from hamilton._introspect import is_coroutine_function

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from hamilton.execution.plan import ExecutionPlan, Step


class Shape:
    """The dependencies among a tuple of steps, computed once per plan (or task)."""

    __slots__ = ("dependents", "external", "indegree", "is_async", "levels")

    def __init__(self, steps: tuple[Step, ...]):
        position = {step.name: index for index, step in enumerate(steps)}
        dependents: list[list[int]] = [[] for _ in steps]
        indegree = []
        external = []
        levels = []
        for index, step in enumerate(steps):
            produced = [position[arg] for arg in step.args if arg in position]
            for producer in produced:
                dependents[producer].append(index)
            indegree.append(len(produced))
            external.append(tuple(arg for arg in step.args if arg not in position))
            levels.append(1 + max((levels[producer] for producer in produced), default=-1))
        self.dependents = tuple(tuple(found) for found in dependents)
        self.indegree = tuple(indegree)
        self.external = tuple(external)
        self.levels = tuple(levels)
        self.is_async = tuple(is_coroutine_function(step.function) for step in steps)


def shape_of(plan: ExecutionPlan) -> Shape:
    """The plan's :class:`Shape`, memoized on it."""
    found = plan.derived.get("shape")
    if found is None:
        found = plan.derived["shape"] = Shape(plan.steps)
    return found


_shapes: dict[int, tuple[tuple, Shape]] = {}


def shape_of_steps(steps: tuple[Step, ...]) -> Shape:
    """The :class:`Shape` of a task's steps, remembered: the items of a parallel block share theirs."""
    found = _shapes.get(id(steps))
    if found is not None and found[0] is steps:
        return found[1]
    if len(_shapes) > 512:  # plans come and go; keep the memo small
        _shapes.clear()
    shape = Shape(steps)
    _shapes[id(steps)] = (steps, shape)
    return shape
