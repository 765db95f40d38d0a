"""``pip install "apache-hamilton[<extras>]"`` pulls the plugin distributions of this repository.

Installs from the wheelhouse ``tox -e integration`` builds, with ``--no-index``: apache-hamilton
1.x exists on PyPI, so the probe also proves the environment holds the local 2.0 core and that
drawing goes through the plugins the extras installed.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from conftest import make_venv, pip_install, run

PROBE = r"""
import json, logging, os, sys
from importlib import metadata

from hamilton import driver, plugins


def spend() -> float:
    return 10.0


def cost(spend: float, signups: int) -> float:
    return spend / signups


dr = driver.Builder().with_functions(spend, cost).build()
mermaid = dr.display_all_functions(renderer="mermaid")
digraph = dr.display_all_functions()
print(json.dumps({
    "core": metadata.version("apache-hamilton"),
    "distributions": sorted(
        d.metadata["Name"] for d in metadata.distributions() if d.metadata["Name"].startswith("hamilton-viz")
    ),
    "mermaid_type": type(mermaid).__name__,
    "mermaid_mentions_nodes": all(name in str(mermaid) for name in ("spend", "cost", "signups")),
    "digraph_type": f"{type(digraph).__module__}.{type(digraph).__name__}",
    "loaded": sorted(p.name for p in plugins.list_plugins() if p.status == "loaded"),
}))
"""


@pytest.fixture(scope="module")
def viz_python(wheelhouse, tmp_path_factory):
    python = make_venv(tmp_path_factory.mktemp("viz-extras-venv"), with_pip=False)
    pip_install(python, wheelhouse, "apache-hamilton[graphviz,mermaid]")
    return python


def probe(python, tmp_path) -> dict:
    result = run(python, "-c", PROBE, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_extras_install_the_local_core_and_both_renderers(viz_python, tmp_path):
    report = probe(viz_python, tmp_path)
    assert report["core"] == "2.0.0.dev0"  # the local build, not PyPI's 1.x
    assert report["distributions"] == ["hamilton-viz-graphviz", "hamilton-viz-mermaid"]
    assert {"graphviz", "mermaid"} <= set(report["loaded"])


def test_drawing_works_in_the_extras_environment(viz_python, tmp_path):
    report = probe(viz_python, tmp_path)
    assert report["mermaid_type"] == "Rendering"
    assert report["mermaid_mentions_nodes"]
    assert report["digraph_type"] == "graphviz.graphs.Digraph"


@pytest.mark.skipif(shutil.which("dot") is None, reason="the dot program is not installed")
def test_visualization_example_draws_with_every_renderer(viz_python, tmp_path):
    from conftest import REPO

    result = run(viz_python, str(REPO / "examples" / "visualization" / "run.py"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "123 signups at $0.26 each; $37.80 spent with tax"
    assert lines[2].startswith("mermaid: ")
    assert "not installed" not in result.stdout
    assert "all.svg" in lines[3]
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def dataframe_python(wheelhouse, tmp_path_factory):
    python = make_venv(tmp_path_factory.mktemp("dataframe-extras-venv"), with_pip=False)
    pip_install(python, wheelhouse, "apache-hamilton[pandas,polars]")
    return python


def test_dataframe_extras_install_the_plugin_distributions(dataframe_python, tmp_path):
    code = (
        "import json; from importlib import metadata; "
        "print(json.dumps({d: metadata.version(d) for d in "
        "('apache-hamilton', 'hamilton-narwhals', 'hamilton-pandas', 'hamilton-polars')}))"
    )
    result = run(dataframe_python, "-c", code, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "apache-hamilton": "2.0.0.dev0",
        "hamilton-narwhals": "0.1.0.dev0",
        "hamilton-pandas": "0.1.0.dev0",
        "hamilton-polars": "0.1.0.dev0",
    }


def test_the_pandas_example_and_its_polars_twin_agree(dataframe_python, tmp_path):
    from conftest import REPO

    outputs = {}
    for library in ("pandas", "polars"):
        result = run(dataframe_python, str(REPO / "examples" / f"{library}_signups" / "run.py"), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        outputs[library] = result.stdout.splitlines()
    assert outputs["pandas"][0].startswith("pandas DataFrame (6, 5): spend, signups")
    assert outputs["polars"][0].startswith("polars DataFrame (6, 5): spend, signups")
    assert outputs["pandas"][1:] == outputs["polars"][1:]
    assert outputs["pandas"][1] == "761 signups for $170.00 over 6 weeks"
    assert list(tmp_path.iterdir()) == []


def test_all_extra_installs_every_plugin_distribution(wheelhouse, tmp_path):
    python = make_venv(tmp_path / "all-venv", with_pip=False)
    pip_install(python, wheelhouse, "apache-hamilton[all]")
    code = "from importlib import metadata; print(sorted(d.metadata['Name'] for d in metadata.distributions()))"
    names = run(python, "-c", code, cwd=tmp_path).stdout
    for distribution in (
        "hamilton-viz-graphviz",
        "hamilton-viz-mermaid",
        "hamilton-pandas",
        "hamilton-polars",
        "hamilton-cache",
        "hamilton-tracking",
        "hamilton-cli",
    ):
        assert distribution in names


@pytest.fixture(scope="module")
def tools_python(wheelhouse, tmp_path_factory):
    python = make_venv(tmp_path_factory.mktemp("tools-extras-venv"), with_pip=False)
    pip_install(python, wheelhouse, "apache-hamilton[cache,tracking,cli]")
    return python


def test_tool_extras_install_the_local_distributions(tools_python, tmp_path):
    names = ("apache-hamilton", "hamilton-cache", "hamilton-tracking", "hamilton-cli")
    code = (
        f"import json; from importlib import metadata; print(json.dumps({{d: metadata.version(d) for d in {names!r}}}))"
    )
    result = run(tools_python, "-c", code, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "apache-hamilton": "2.0.0.dev0",
        "hamilton-cache": "0.1.0.dev0",
        "hamilton-tracking": "0.1.0.dev0",
        "hamilton-cli": "0.1.0.dev0",
    }


def test_the_caching_example_reads_the_second_run_from_the_cache(tools_python, tmp_path):
    from conftest import REPO

    result = run(tools_python, str(REPO / "examples" / "caching" / "run.py"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1] == "  computed: discounted, exchange_rate, raw_prices, summary; from cache: -"
    assert lines[3] == "  computed: exchange_rate; from cache: discounted, raw_prices, summary"
    assert lines[5] == "  computed: discounted, exchange_rate, summary; from cache: raw_prices"
    assert list(tmp_path.iterdir()) == []


def test_the_tracking_example_reads_both_runs_back(tools_python, tmp_path):
    from conftest import REPO

    result = run(tools_python, str(REPO / "examples" / "tracking" / "run.py"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "revenue 49.00, average order 24.50"
    assert sum(line.startswith("run ") for line in lines) == 2
    assert "failed at node 'average_order_value' (ValueError)" in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_the_hamilton_command_lists_the_installed_plugins(tools_python, tmp_path):
    command = tools_python.parent / "hamilton"
    result = subprocess.run(
        [str(command), "--json-out", "plugins"], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    assert listed["success"] is True
    statuses = {plugin["name"]: plugin["status"] for plugin in listed["message"]}
    assert statuses["cache"] == statuses["tracking"] == "loaded"
