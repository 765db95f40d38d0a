"""Small dataflows the hamilton-viz-mermaid tests draw (one module per feature), and builders."""

from __future__ import annotations

import random
import types
from collections.abc import Iterable

from hamilton import driver
from hamilton.graph_types import HamiltonGraph, HamiltonNode


def build(
    *modules: types.ModuleType, config: dict | None = None, adapters: Iterable = (), dynamic: bool = False
) -> driver.Driver:
    """A driver over ``modules``, as users build one."""
    builder = driver.Builder().with_modules(*modules).with_config(config or {})
    adapters = list(adapters)
    if adapters:
        builder = builder.with_adapters(*adapters)
    if dynamic:
        builder = builder.enable_dynamic_execution(allow_experimental_mode=True)
    return builder.build()


def random_dag(size: int, seed: int = 0, max_parents: int = 2) -> HamiltonGraph:
    """``size`` nodes named ``node 0000`` and a Greek letter in angle brackets, each depending on
    up to ``max_parents`` earlier ones (or on the input ``seed value``)."""
    rng = random.Random(seed)
    names = [f"node {i:04d} ⟨{rng.choice('αβγ')}⟩" for i in range(size)]
    nodes = [HamiltonNode(name="seed value", type=int, is_external_input=True)]
    for index, name in enumerate(names):
        parents = set(rng.sample(names[:index], min(index, rng.randint(0, max_parents)))) or {"seed value"}
        nodes.append(HamiltonNode(name=name, type=float, required_dependencies=parents))
    return HamiltonGraph(nodes=nodes)
