"""A tqdm progress bar over the nodes of each run: ``Builder().with_adapters(ProgressBar())``.

Needs the ``tqdm`` package (``pip install tqdm``); it is imported when a :class:`ProgressBar` is
created, so importing this module works without it.
"""

from __future__ import annotations

from hamilton.lifecycle.api import GraphExecutionHook, NodeExecutionHook

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from collections.abc import Collection
    from typing import Any


def _shorten(name: str, width: int) -> str:
    """``name`` padded to ``width``, or cut to it with a trailing ``...``."""
    if len(name) <= width:
        return name.ljust(width)
    return name[: width - 3] + "..." if width > 3 else name[:width]


class ProgressBar(GraphExecutionHook, NodeExecutionHook):
    """Show a tqdm bar advancing as the run's nodes complete, naming the node being computed.

    The bar reads ``Graph execution -> <node>`` while a node runs, and ends with
    ``Execution Complete!`` (or ``Execution Failed!``). Its total is the number of nodes the run
    computes (overridden nodes are not computed).
    """

    def __init__(self, desc: str = "Graph execution", max_node_name_width: int = 50, **kwargs: Any):
        """
        :param desc: the bar's description.
        :param max_node_name_width: node names longer than this are cut (with ``...``).
        :param kwargs: passed to ``tqdm.tqdm`` (e.g. ``file=``, ``ascii=``, ``leave=``).
        :raises ImportError: when tqdm is not installed.
        """
        try:
            import tqdm
        except ImportError as error:
            raise ImportError(
                "hamilton.plugins.h_tqdm.ProgressBar needs the tqdm package, which is not installed. "
                "Install it with: pip install tqdm"
            ) from error
        self._tqdm = tqdm.tqdm
        self.desc = desc
        self.max_node_name_width = max_node_name_width
        self.kwargs = kwargs
        self.progress_bar: Any = None
        self.node_name_target_width = 0

    def run_before_graph_execution(
        self,
        *,
        execution_path: Collection[str],
        overrides: dict[str, Any] | None,
        **future_kwargs: Any,
    ) -> None:
        computed = [name for name in execution_path if name not in (overrides or {})]
        longest = max((len(name) for name in computed), default=0)
        self.node_name_target_width = min(longest, self.max_node_name_width)
        self.progress_bar = self._tqdm(total=len(computed), desc=self.desc, **{"unit": "funcs", **self.kwargs})

    def run_before_node_execution(self, *, node_name: str, **future_kwargs: Any) -> None:
        if self.progress_bar is not None:
            self.progress_bar.set_description(f"{self.desc} -> {_shorten(node_name, self.node_name_target_width)}")

    def run_after_node_execution(self, **future_kwargs: Any) -> None:
        bar = self.progress_bar
        if bar is None:
            return
        if bar.total is not None and bar.n >= bar.total:  # more nodes than planned (e.g. fan-outs)
            bar.total = bar.n + 1
        bar.update(1)

    def run_after_graph_execution(self, *, success: bool, **future_kwargs: Any) -> None:
        bar = self.progress_bar
        if bar is None:
            return
        status = "Execution Complete!" if success else "Execution Failed!"
        bar.set_description(f"{self.desc} -> {status}")
        bar.close()
