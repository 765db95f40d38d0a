"""The core distribution as users install it: metadata, dependencies, footprint."""

from __future__ import annotations

import json
import zipfile

from conftest import REPO, run


def _core_wheel(wheelhouse):
    (wheel,) = wheelhouse.glob("apache_hamilton-*.whl")
    return wheel


def test_wheel_metadata(wheelhouse):
    wheel = _core_wheel(wheelhouse)
    with zipfile.ZipFile(wheel) as archive:
        metadata_name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(metadata_name).decode()
        names = archive.namelist()
    assert "Name: apache-hamilton" in metadata
    assert "Version: 2.0.0.dev0" in metadata
    assert "Requires-Python: >=3.10" in metadata
    requirements = [
        line for line in metadata.splitlines() if line.startswith("Requires-Dist:") and "extra ==" not in line
    ]
    assert len(requirements) == 1
    assert requirements[0].startswith("Requires-Dist: pluggy")
    assert "hamilton/__init__.py" in names
    assert "hamilton/plugins/__init__.py" in names


def test_dev_version_sorts_above_the_1x_release_on_pypi(core_python):
    probe = run(
        core_python,
        "-c",
        "from importlib.metadata import version; v = version('apache-hamilton');"
        "key = lambda s: tuple(int(p) if p.isdigit() else -1 for p in s.replace('.dev', '.-1.').split('.'));"
        "print(v, key(v) > key('1.90.0'))",
    )
    assert probe.stdout.split() == ["2.0.0.dev0", "True"]


def test_the_local_build_is_what_got_installed(core_python):
    probe = run(
        core_python, "-c", "import hamilton, json; print(json.dumps([hamilton.__version__, hamilton.__file__]))"
    )
    version, location = json.loads(probe.stdout)
    assert version == [2, 0, 0, "dev0"]
    assert str(core_python.parent.parent) in location


def test_only_pluggy_comes_with_core(core_python):
    listing = run(core_python, "-m", "pip", "list", "--format", "json", "--disable-pip-version-check")
    installed = {entry["name"].lower() for entry in json.loads(listing.stdout)}
    assert installed - {"pip", "setuptools", "wheel"} == {"apache-hamilton", "pluggy"}


def test_import_footprint_in_the_installed_environment(core_python):
    result = run(core_python, str(REPO / "tests" / "minimal" / "check_footprint.py"))
    assert result.returncode == 0, result.stdout + result.stderr
