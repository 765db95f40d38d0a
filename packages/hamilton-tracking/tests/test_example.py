"""examples/tracking/run.py, run as users run it: a subprocess in an empty working directory."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "tracking" / "run.py"


def test_the_example_tracks_two_runs_and_leaves_nothing_behind(tmp_path):
    completed = subprocess.run([sys.executable, str(EXAMPLE)], cwd=tmp_path, capture_output=True, text=True, check=True)
    lines = completed.stdout.splitlines()
    assert lines[0] == "revenue 49.00, average order 24.50"
    assert lines[1].startswith("second run failed as intended: no valid orders")
    runs = [line for line in lines if line.startswith("run ")]
    assert len(runs) == 2
    assert " failure 3 nodes" in runs[0]
    assert "failed at node 'average_order_value' (ValueError)" in runs[0]
    assert " success 4 nodes" in runs[1]
    assert "    orders               success  [{'quantity': 2, 'price': 9.5}" in completed.stdout
    assert lines[-1].startswith("To browse your own runs: python -m hamilton.plugins.tracking ui")
    assert list(tmp_path.iterdir()) == []
