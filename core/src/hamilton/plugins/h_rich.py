"""A rich progress bar over the nodes of each run: ``Builder().with_adapters(RichProgressBar())``.

Needs the ``rich`` package (``pip install rich``); it is imported when a :class:`RichProgressBar`
is created, so importing this module works without it.
"""

from __future__ import annotations

from hamilton.lifecycle.api import GraphExecutionHook, NodeExecutionHook

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from collections.abc import Collection
    from typing import Any


class RichProgressBar(GraphExecutionHook, NodeExecutionHook):
    """Show a rich progress bar advancing as the run's nodes complete.

    Its total is the number of nodes the run computes (overridden nodes are not computed). Each
    run gets a fresh bar; a failed run's bar stops where the failure happened, marked
    ``(failed)``. The underlying ``rich.progress.Progress`` is :attr:`progress`.
    """

    def __init__(
        self,
        run_desc: str = "",
        collect_desc: str = "",
        columns: list[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        """
        :param run_desc: the bar's description (default ``"Running:"``).
        :param collect_desc: description of the bar over a fan-out's items (default
            ``"Collecting:"``), for dynamic execution.
        :param columns: rich progress columns (strings or ``ProgressColumn``); rich's default
            columns (description, bar, percentage, time remaining) when not given.
        :param kwargs: passed to ``rich.progress.Progress`` (e.g. ``console=``, ``transient=``).
        :raises ImportError: when rich is not installed.
        """
        try:
            from rich.progress import Progress
        except ImportError as error:
            raise ImportError(
                "hamilton.plugins.h_rich.RichProgressBar needs the rich package, which is not installed. "
                "Install it with: pip install rich"
            ) from error
        self.run_desc = run_desc or "Running:"
        self.collect_desc = collect_desc or "Collecting:"
        self.progress = Progress(*(columns or ()), **kwargs)
        self._task_id: Any = None
        self._total = 0
        self._completed = 0

    def run_before_graph_execution(
        self,
        *,
        execution_path: Collection[str],
        overrides: dict[str, Any] | None,
        **future_kwargs: Any,
    ) -> None:
        progress = self.progress
        for task_id in list(progress.task_ids):  # one bar per run: drop the previous run's
            progress.remove_task(task_id)
        self._total = sum(1 for name in execution_path if name not in (overrides or {}))
        self._completed = 0
        self._task_id = progress.add_task(self.run_desc, total=self._total)
        progress.start()

    def run_before_node_execution(self, **future_kwargs: Any) -> None:
        pass

    def run_after_node_execution(self, **future_kwargs: Any) -> None:
        if self._task_id is None:
            return
        self._completed += 1
        if self._completed > self._total:  # more nodes than planned (e.g. fan-outs)
            self._total = self._completed
        self.progress.update(self._task_id, total=self._total, completed=self._completed)

    def run_after_graph_execution(self, *, success: bool, **future_kwargs: Any) -> None:
        if self._task_id is None:
            return
        if not success:
            self.progress.update(self._task_id, description=f"{self.run_desc} (failed)")
        self.progress.stop()
        self._task_id = None
