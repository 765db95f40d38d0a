"""Decorator tests share one registered pure-Python column backend (see table_backend.py)."""

import pytest

from hamilton import plugins

from . import table_backend


@pytest.fixture(scope="session", autouse=True)
def register_table_backend():
    if not any(info.name == "core-tests-table" for info in plugins.list_plugins()):
        plugins.register(table_backend, name="core-tests-table")
