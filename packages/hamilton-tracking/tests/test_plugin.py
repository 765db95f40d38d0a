"""The ``tracking`` entry point, as core discovers it, and core's adapter contract."""

from __future__ import annotations

import subprocess
import sys

from hamilton import plugins
from hamilton.plugins.testing import AdapterContract
from hamilton.plugins.tracking import LocalTracker


class TestLocalTrackerContract(AdapterContract):
    def make_adapter(self) -> LocalTracker:
        import tempfile

        return LocalTracker(path=tempfile.mkdtemp(prefix="tracking-contract-"))


def test_the_entry_point_is_discovered_and_provides_local_tracker():
    plugins.load("tracking")
    [info] = [p for p in plugins.list_plugins() if p.name == "tracking"]
    assert info.distribution == "hamilton-tracking"
    assert info.status == "loaded"


def test_a_lookup_by_name_in_a_fresh_process_finds_the_tracker(tmp_path):
    code = (
        f"from hamilton import plugins; print(type(plugins.adapter('local_tracker', path={str(tmp_path)!r})).__name__)"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "LocalTracker"
