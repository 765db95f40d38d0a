"""examples/caching/run.py works with the cache installed, and hints at it without."""

from __future__ import annotations

import pathlib
import subprocess
import sys

EXAMPLE = pathlib.Path(__file__).resolve().parents[3] / "examples" / "caching" / "run.py"

_WITHOUT_CACHE = """
import os, runpy, sys
def provides_cache_only(entry):
    return os.path.isdir(os.path.join(entry, "hamilton", "caching")) and not os.path.isfile(
        os.path.join(entry, "hamilton", "__init__.py"))
sys.path[:] = [entry for entry in sys.path if not provides_cache_only(entry)]
sys.argv = [sys.argv[1]]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def test_example_runs_twice_and_reads_from_the_cache(tmp_path):
    completed = subprocess.run([sys.executable, str(EXAMPLE)], capture_output=True, text=True, check=True, cwd=tmp_path)
    lines = completed.stdout.splitlines()
    assert lines[1].strip() == "computed: discounted, exchange_rate, raw_prices, summary; from cache: -"
    assert lines[3].strip() == "computed: exchange_rate; from cache: discounted, raw_prices, summary"
    assert lines[5].strip() == "computed: discounted, exchange_rate, summary; from cache: raw_prices"
    assert lines[0].startswith("first run: total 60.75 EUR")
    assert list(tmp_path.iterdir()) == []


def test_example_without_the_cache_prints_the_install_hint(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-c", _WITHOUT_CACHE, str(EXAMPLE)], capture_output=True, text=True, cwd=tmp_path
    )
    assert completed.returncode == 0, completed.stderr
    if "computed:" in completed.stdout:  # hamilton-cache installed next to core: cannot hide it
        return
    assert completed.stdout.strip() == 'caching: the cache is not installed (pip install "apache-hamilton[cache]")'
    assert list(tmp_path.iterdir()) == []
