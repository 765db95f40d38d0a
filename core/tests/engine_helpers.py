"""Helpers shared by the engine's test files (execution modes, fallbacks): modules from source,
drivers with a mode, and a run through ``execute`` or ``aexecute``."""

from __future__ import annotations

import asyncio
import itertools
import textwrap

import pytest

from hamilton import ad_hoc_utils, driver
from hamilton.errors import PartialExecutionError

_names = itertools.count()


def flow(source: str, prefix: str = "engine_flow"):
    """A fresh module made from ``source`` (its own globals: counters and logs start empty)."""
    return ad_hoc_utils.module_from_source(textwrap.dedent(source), f"{prefix}_{next(_names)}")


def build(module, *adapters, **mode):
    """A Builder-made driver of ``module`` with ``adapters`` and, if given, an execution mode."""
    builder = driver.Builder().with_modules(module).with_adapters(*adapters)
    if mode:
        builder = builder.with_execution_mode(**mode)
    return builder.build()


def run(dr, how: str, request, **kwargs):
    """``dr.execute`` or ``dr.aexecute`` (on a fresh loop)."""
    if how == "aexecute":
        return asyncio.run(dr.aexecute(request, **kwargs))
    return dr.execute(request, **kwargs)


def partial(dr, how: str, request, **kwargs) -> PartialExecutionError:
    """The PartialExecutionError a keep-going run raises."""
    with pytest.raises(PartialExecutionError) as info:
        run(dr, how, request, **kwargs)
    return info.value
