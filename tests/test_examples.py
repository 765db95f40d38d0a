"""Every example runs as a new user would run it: its run.py, in a fresh environment."""

from __future__ import annotations

import re

import pytest
from conftest import REPO, run

# Examples that start a cluster engine run in that engine's tox environment (engine-dask,
# engine-ray), which installs the engine; the fresh environments here have none. The example of
# 1.x plugin modules needs the integrations' libraries (pandera, PyYAML, pyarrow): it runs in the
# `conformance` environment, which installs them for 1.x's suite.
RUN_ELSEWHERE = {"dask_parallel", "ray_parallel", "plugins_from_1x"}
EXAMPLES = sorted(path.parent for path in (REPO / "examples").glob("*/run.py") if path.parent.name not in RUN_ELSEWHERE)


def test_there_are_examples():
    assert EXAMPLES


@pytest.mark.parametrize("example", EXAMPLES, ids=[path.name for path in EXAMPLES])
def test_example_runs(core_python, example, tmp_path):
    result = run(core_python, str(example / "run.py"), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip()
    assert list(tmp_path.iterdir()) == []  # examples leave no files behind in the user's directory


def test_hello_world_output(core_python, tmp_path):
    result = run(core_python, str(REPO / "examples" / "hello_world" / "run.py"), cwd=tmp_path)
    assert result.stdout.splitlines()[0] == "3044 signups at $0.22 each; recent daily spend $30.48"


def test_materialization_output(core_python, tmp_path):
    result = run(core_python, str(REPO / "examples" / "materialization" / "run.py"), cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "east: 355.00 (118% of target)",
        "north: 162.25 (108% of target)",
        "south: 100.25 (84% of target)",
    ]
    assert [line.split(":")[0] for line in lines[3:]] == ["summary_to_text", "revenue_to_pickle", "save.report"]


def test_parallelism_output(core_python, tmp_path):
    result = run(core_python, str(REPO / "examples" / "parallelism" / "run.py"), cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "ode: 13 words, longest word 'foster-child', longest line 42 chars",
        "sonnet: 15 words, longest word 'temperate', longest line 39 chars",
        "haiku: 13 words, longest word 'Splash!', longest line 26 chars",
        "41 words in 3 documents",
    ]


def test_visualization_with_core_alone(core_python, tmp_path):
    result = run(core_python, str(REPO / "examples" / "visualization" / "run.py"), cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "123 signups at $0.26 each; $37.80 spent with tax",
        "json: 11 nodes, 11 edges",
        'mermaid: not installed (pip install "apache-hamilton[mermaid]")',
        'graphviz: not installed (pip install "apache-hamilton[graphviz]" and the dot program)',
    ]


def test_async_fetch_output(core_python, tmp_path):
    result = run(core_python, str(REPO / "examples" / "async_fetch" / "run.py"), cwd=tmp_path)
    assert result.stdout.splitlines()[:4] == ["apple: $60.00", "pear: $30.00", "plum: $75.00", "total: $165.00"]


def test_tracking_with_core_alone_prints_the_install_hint(core_python, tmp_path):
    result = run(core_python, str(REPO / "examples" / "tracking" / "run.py"), cwd=tmp_path)
    assert result.stdout.splitlines() == [
        'tracking: local tracking is not installed (pip install "apache-hamilton[tracking]")'
    ]


def test_caching_with_core_alone_prints_the_install_hint(core_python, tmp_path):
    result = run(core_python, str(REPO / "examples" / "caching" / "run.py"), cwd=tmp_path)
    assert result.stdout.splitlines() == ['caching: the cache is not installed (pip install "apache-hamilton[cache]")']


def test_async_fanout_overlaps_requests_within_the_limit(core_python, tmp_path):
    """The local server counts the requests it answers at the same moment: no wall-clock thresholds."""
    result = run(core_python, str(REPO / "examples" / "async_fanout" / "run.py"), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line.strip() for line in result.stdout.splitlines()]
    # one "server: <requests> requests, max in flight <n>" line per part (1, 2 and 4)
    plain, fan_out, from_async = [
        tuple(int(number) for number in re.findall(r"\d+", line)) for line in lines if line.startswith("server: ")
    ]
    # 1. three independent async nodes under a sync dr.execute(): they overlap
    assert lines[1] == "kettle ($5.75): 4.7 stars from 3 reviews, 7 in stock"
    assert plain[0] == 3
    assert 1 < plain[1] <= 3
    # 2. the fan-out: every item requested, more than one at once, never more than max_tasks
    requests, max_in_flight, limit = fan_out
    assert requests == 12
    assert limit == 4
    assert 1 < max_in_flight <= limit
    assert "12 items worth $151.50; cheapest kettle ($5.75), dearest timer ($19.50)" in lines
    # 3. keep going: the unknown id fails alone; what does not depend on it is still computed
    assert "failed:  item[2]: HTTPStatusError: GET /items/99 -> 404 Not Found" in lines
    (skipped,) = [line.removeprefix("skipped: ").split(", ") for line in lines if line.startswith("skipped: ")]
    assert "catalog" in skipped
    assert "result:  product_page: teapot ($7.00): 4.3 stars from 3 reviews, 3 in stock" in lines
    # 4. three aexecute() runs gathered on one event loop overlap with each other
    assert from_async[0] == 9
    assert 3 < from_async[1] <= 9
