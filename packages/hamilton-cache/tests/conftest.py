"""Shared helpers: dataflow modules made from source text, each with its own call log."""

from __future__ import annotations

import itertools
import textwrap
import types
from collections.abc import Callable

import pytest

from hamilton import ad_hoc_utils

_counter = itertools.count()


def module(source: str) -> types.ModuleType:
    """A real module (source visible to ``inspect``) with a ``CALLS`` list its functions append to."""
    name = f"cache_test_flow_{next(_counter)}"
    return ad_hoc_utils.module_from_source("CALLS = []\n" + textwrap.dedent(source), name)


@pytest.fixture
def make_module() -> Callable[[str], types.ModuleType]:
    return module


def info_events(dr, run_id: str | None = None) -> dict:
    """``{node: [event type values]}`` of a run at info level (get_result / execute_node)."""
    run_id = dr.cache.last_run_id if run_id is None else run_id
    return {key: [event.event_type.value for event in events] for key, events in dr.cache.logs(run_id).items()}


CHAIN = '''
def a(x: int) -> int:
    """Doc strings do not count in the code version."""
    CALLS.append("a")
    return x + 1

def b(a: int) -> int:
    CALLS.append("b")
    return a * 2

def c(a: int, b: int) -> int:
    CALLS.append("c")
    return a + b
'''
