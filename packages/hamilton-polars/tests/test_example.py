"""examples/polars_signups runs as a user runs it, prints its summary and leaves no files."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

EXAMPLE = pathlib.Path(__file__).resolve().parents[3] / "examples" / "polars_signups" / "run.py"


@pytest.mark.skipif(not EXAMPLE.exists(), reason="the example lives in the repository, not in the sdist")
def test_polars_signups_example(tmp_path):
    result = subprocess.run([sys.executable, str(EXAMPLE)], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "polars DataFrame (6, 5): spend, signups, avg_3wk_spend, acquisition_cost, spend_zero_mean_unit_variance",
        "761 signups for $170.00 over 6 weeks",
        "week 1: cost per signup    n/a, standardised spend -1.064",
        "week 2: cost per signup    n/a, standardised spend -1.064",
        "week 3: cost per signup  0.267, standardised spend -0.484",
        "week 4: cost per signup  0.233, standardised spend +0.677",
        "week 5: cost per signup  0.167, standardised spend +0.677",
        "week 6: cost per signup  0.108, standardised spend +1.258",
    ]
    assert list(tmp_path.iterdir()) == []
