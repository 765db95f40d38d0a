"""The execution engine.

* :mod:`.plan` — what a run computes, in which order (memoized per graph);
* :mod:`.runner` — the synchronous loops (with and without node hooks);
* :mod:`.blocks`, :mod:`.dynamic` — ``Parallelizable``/``Collect`` blocks and task-based runs;
* :mod:`.executors`, :mod:`.grouping`, :mod:`.state` — 1.x's executor, task and state API;
* :mod:`.graph_functions` — helpers to run node sets outside a driver.
"""
