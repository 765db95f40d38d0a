"""The plugin's packaging: discovery, import cost, and what happens without dlt."""

from __future__ import annotations

from hamilton.plugins.testing import IntegrationContract


class TestDltIntegration(IntegrationContract):
    library = "dlt"
    extra = "dlt"
    modules = ("hamilton.plugins.dlt_extensions",)
    entry_point = "dlt"
