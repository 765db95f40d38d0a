"""Shared fixtures: a fresh tracking directory and helpers to run the test dataflows."""

from __future__ import annotations

import pathlib
import sys

import pytest

TESTS = pathlib.Path(__file__).parent
if str(TESTS) not in sys.path:  # worker processes and subprocesses import tracking_flows from here
    sys.path.insert(0, str(TESTS))


@pytest.fixture
def tracking_dir(tmp_path: pathlib.Path) -> pathlib.Path:
    return tmp_path / "tracking"
