"""Memory of the graph and its plan per node: at most 2 KB for plain nodes (the user's function
objects excluded), measured with tracemalloc (allocation counts, not time: deterministic)."""

from __future__ import annotations

import gc
import sys
import tracemalloc
import types

from hamilton import driver

NODES = 5_000


def _chain_module(n: int) -> types.ModuleType:
    source = "def n0(x: int) -> int:\n    return x\n" + "".join(
        f"def n{i}(n{i - 1}: int) -> int:\n    return n{i - 1} + 1\n" for i in range(1, n)
    )
    module = types.ModuleType("memory_chain")
    exec(compile(source, "memory_chain.py", "exec"), module.__dict__)
    sys.modules["memory_chain"] = module
    return module


def test_graph_and_plan_cost_at_most_2kb_per_plain_node():
    module = _chain_module(NODES)
    try:
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        dr = driver.Builder().with_modules(module).build()
        assert dr.execute([f"n{NODES - 1}"], inputs={"x": 0}) == {f"n{NODES - 1}": NODES - 1}
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before  # the driver, its graph and the memoized plan
        tracemalloc.stop()
        assert held / NODES <= 2048, f"{held / NODES:.0f} bytes per node"
        del dr
    finally:
        sys.modules.pop("memory_chain", None)
        tracemalloc.stop()
