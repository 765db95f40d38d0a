"""Generate the source of synthetic dataflow modules for the benchmarks.

Every generated module defines functions ``n0 .. n{size-1}``. ``n0`` takes the external
input ``x: int``; every other node takes earlier nodes as parameters, so the definition
order is a topological order. Bodies are plain ``int`` arithmetic kept modulo a prime so
values stay small (big-int growth would otherwise dominate the random shape).

Shapes:

* ``chain``  -- ``n_i`` depends on ``n_{i-1}``: the longest possible dependency path.
* ``fanin``  -- one source, ``size - 2`` independent middles on it, one sink on all middles.
* ``random`` -- each node depends on 1-3 distinct random earlier nodes (fixed seed).

This module is stdlib-only and runs in the orchestrating interpreter; the workload
subprocesses only import the generated files.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

SHAPES = ("chain", "fanin", "random")
MODULUS = 1_000_003
SEED = 20_240_601


def _header(shape: str, size: int) -> list[str]:
    return [f'"""Generated {shape} DAG with {size} nodes (benchmarks/dag_gen.py). Do not edit."""', ""]


def _source_node() -> list[str]:
    return ["", "def n0(x: int) -> int:", "    return x + 1", ""]


def _node(index: int, deps: list[int]) -> list[str]:
    params = ", ".join(f"n{d}: int" for d in deps)
    if len(deps) <= 3:
        expression = " + ".join(f"n{d}" for d in deps)
    else:  # a long a + b + ... nests too deeply for the compiler; sum a tuple instead
        expression = "sum((" + ", ".join(f"n{d}" for d in deps) + ",))"
    return ["", f"def n{index}({params}) -> int:", f"    return ({expression} + {index}) % {MODULUS}", ""]


def _chain_deps(size: int) -> list[list[int]]:
    return [[i - 1] for i in range(1, size)]


def _fanin_deps(size: int) -> list[list[int]]:
    if size < 3:
        raise ValueError("a fan-in needs at least 3 nodes")
    middles = [[0] for _ in range(1, size - 1)]
    return middles + [list(range(1, size - 1))]


def _random_deps(size: int) -> list[list[int]]:
    rng = random.Random(SEED + size)
    return [sorted(rng.sample(range(i), k=min(i, rng.randint(1, 3)))) for i in range(1, size)]


_DEPS: dict[str, Callable[[int], list[list[int]]]] = {
    "chain": _chain_deps,
    "fanin": _fanin_deps,
    "random": _random_deps,
}


def generate_source(shape: str, size: int) -> str:
    """The Python source of a ``shape`` module with ``size`` nodes."""
    if shape not in _DEPS:
        raise ValueError(f"unknown shape {shape!r}; expected one of {SHAPES}")
    lines = _header(shape, size) + _source_node()
    for index, deps in enumerate(_DEPS[shape](size), start=1):
        lines += _node(index, deps)
    return "\n".join(lines).rstrip() + "\n"


def write_module(directory: Path, shape: str, size: int) -> Path:
    """Write the generated module to ``directory`` and return its path."""
    path = directory / f"bench_{shape}_{size}.py"
    path.write_text(generate_source(shape, size))
    return path
