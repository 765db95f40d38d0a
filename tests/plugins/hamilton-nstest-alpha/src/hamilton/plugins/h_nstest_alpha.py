"""Test-only plugin module, shipped by the ``hamilton-nstest-alpha`` distribution.

Its functions form a tiny dataflow; its result builder comes from core, so importing this module
proves that a plugin portion of ``hamilton.plugins`` can import core's modules.
"""

from __future__ import annotations

from hamilton import base

DISTRIBUTION = "hamilton-nstest-alpha"

# Core's dict result builder, for the driver that runs this dataflow (a class, so not a node).
RESULT_BUILDER = base.DictResult


def greeting(name: str) -> str:
    return f"hello {name}"


def greeting_length(greeting: str) -> int:
    return len(greeting)
