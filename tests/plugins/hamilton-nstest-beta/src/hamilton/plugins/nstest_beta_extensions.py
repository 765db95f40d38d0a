"""Test-only plugin module, shipped by the ``hamilton-nstest-beta`` distribution.

It imports the alpha plugin's module: two distributions' portions of ``hamilton.plugins`` see
each other, wherever each is installed.
"""

from __future__ import annotations

from hamilton.plugins import h_nstest_alpha

DISTRIBUTION = "hamilton-nstest-beta"
UPSTREAM = h_nstest_alpha.DISTRIBUTION


def shout(greeting: str) -> str:
    return greeting.upper() + "!"
