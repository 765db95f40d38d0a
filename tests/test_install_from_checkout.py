"""`python scripts/install_from_checkout.py EXTRAS...`: the documented way to install any extras from
a checkout (the 2.0 distributions are not on the package index yet), and the hints that name it.

Offline: the script's pip options after `--` point at a copy of the integration wheelhouse that
holds only third-party wheels, so every Hamilton wheel installed must be one the script built.
"""

from __future__ import annotations

import configparser
import json
import re
import subprocess
import sys

import pytest
from conftest import REPO, make_venv, run

SCRIPT = REPO / "scripts" / "install_from_checkout.py"
CORE_VERSION = re.search(r'^version = "([^"]+)"', (REPO / "core" / "pyproject.toml").read_text(), re.MULTILINE)[1]

PROBE = r"""
import json
from importlib import metadata

import hamilton.plugins.h_pandas, hamilton.plugins.viz_mermaid  # the extras' modules import
from hamilton import driver


def spend() -> float:
    return 10.0


print(json.dumps({
    "versions": {d.metadata["Name"]: d.version for d in metadata.distributions()
                 if d.metadata["Name"].startswith(("apache-hamilton", "hamilton-"))},
    "mermaid": "spend" in str(driver.Builder().with_functions(spend).build().display_all_functions(renderer="mermaid")),
}))
"""


@pytest.fixture(scope="module")
def third_party_wheels(wheelhouse, tmp_path_factory):
    """The integration wheelhouse without its Hamilton wheels (linked, not copied)."""
    folder = tmp_path_factory.mktemp("third-party-wheels")
    for wheel in wheelhouse.iterdir():
        if not wheel.name.startswith(("apache_hamilton", "hamilton_")):
            (folder / wheel.name).symlink_to(wheel)
    return folder


@pytest.fixture(scope="module")
def checkout_python(third_party_wheels, tmp_path_factory):
    """A fresh venv (with pip: the script runs the environment's own pip) set up by the script."""
    python = make_venv(tmp_path_factory.mktemp("checkout-venv"))
    result = run(
        python,
        str(SCRIPT),
        "pandas",
        "mermaid",
        "--",
        "--quiet",
        "--no-index",
        "--find-links",
        str(third_party_wheels),
        cwd=tmp_path_factory.mktemp("elsewhere"),  # works from any folder
        env={"PIP_CONFIG_FILE": "/dev/null", "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return python


def test_the_script_installs_the_checkouts_core_with_its_extras(checkout_python, tmp_path):
    result = run(checkout_python, "-c", PROBE, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["versions"]["apache-hamilton"] == CORE_VERSION  # the checkout's, not the index's 1.x
    assert {"hamilton-pandas", "hamilton-narwhals", "hamilton-viz-mermaid"} <= set(report["versions"])
    assert "hamilton-cli" not in report["versions"]  # only the extras asked for
    assert report["mermaid"]


def test_a_dev_versions_install_hint_names_the_script(checkout_python, tmp_path):
    code = "try:\n    import hamilton.cli\nexcept ImportError as e:\n    print(e)\n"
    printed = run(checkout_python, "-c", code, cwd=tmp_path).stdout
    assert 'pip install "apache-hamilton[cli]"' in printed
    assert "python scripts/install_from_checkout.py cli" in printed


@pytest.mark.parametrize(
    ("module", "said"),
    [
        ("hamilton.plugins.h_spark", "hamilton-spark"),
        ("hamilton.plugins.h_mlflow", "hamilton-mlflow"),
        ("hamilton.plugins.jupyter_magic", "hamilton-jupyter"),
    ],
)
def test_a_1x_plugin_module_not_provided_yet_says_so(core_python, tmp_path, module, said):
    package, _, name = module.rpartition(".")
    code = f"try:\n    from {package} import {name}\nexcept ImportError as e:\n    print(e)\n"
    printed = run(core_python, "-c", code, cwd=tmp_path).stdout
    assert f"No module named {module!r}" in printed
    assert f"provided by the {said} distribution" in printed
    assert "not available in Hamilton 2.0 yet" in printed
    assert 'pip install "apache-hamilton<2"' in printed
    # probing whether it is installed still just says "no"
    probe = f"import importlib.util\nprint(importlib.util.find_spec({module!r}))"
    assert run(core_python, "-c", probe, cwd=tmp_path).stdout.strip() == "None"


@pytest.mark.parametrize(
    ("module", "distribution", "extra"),
    [
        ("hamilton.plugins.h_dask", "hamilton-dask", "dask"),
        ("hamilton.plugins.h_ray", "hamilton-ray", "ray"),
        ("hamilton.plugins.h_pandera", "hamilton-pandera", "pandera"),
        ("hamilton.data_quality.pandera_validators", "hamilton-pandera", "pandera"),
        ("hamilton.plugins.yaml_extensions", "hamilton-yaml", "yaml"),
    ],
)
def test_a_1x_integration_module_names_its_distribution(core_python, tmp_path, module, distribution, extra):
    package, _, name = module.rpartition(".")
    code = f"try:\n    from {package} import {name}\nexcept ImportError as e:\n    print(e)\n"
    printed = run(core_python, "-c", code, cwd=tmp_path).stdout
    assert f"provided by the {distribution} distribution" in printed
    assert f'pip install "apache-hamilton[{extra}]"' in printed


def test_an_unknown_extra_is_refused_with_a_suggestion():
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "pandsa"], capture_output=True, text=True, check=False, cwd=REPO
    )
    assert result.returncode != 0
    assert "unknown extra 'pandsa'" in result.stderr
    assert "Did you mean 'pandas'?" in result.stderr


def test_tox_leaves_the_renderer_requirements_to_ci():
    """The README says renderer tests skip without `dot` or a browser: only CI (.ci/run) makes that a failure."""
    tox = configparser.ConfigParser(interpolation=None)
    tox.read(REPO / "tox.ini")
    for section in tox.sections():
        setenv = tox[section].get("setenv", "")
        for flag in ("HAMILTON_REQUIRE_DOT", "HAMILTON_REQUIRE_BROWSER"):
            assert flag not in setenv, f"[{section}] sets {flag}: pass it through (passenv) instead"
    for env, flags in {
        "testenv:viz-graphviz": ["HAMILTON_REQUIRE_DOT"],
        "testenv:viz-mermaid": ["HAMILTON_REQUIRE_BROWSER"],
        "testenv:tracking": ["HAMILTON_REQUIRE_BROWSER"],
        "testenv:cli": ["HAMILTON_REQUIRE_DOT"],
    }.items():
        assert set(flags) <= set(tox[env].get("passenv", "").split()), env
    ci = (REPO / ".ci" / "run").read_text()
    assert "export HAMILTON_REQUIRE_BROWSER=1 HAMILTON_REQUIRE_DOT=1" in ci
