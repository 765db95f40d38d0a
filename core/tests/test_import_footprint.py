"""``import hamilton.driver`` is light: stdlib only, no entry-point scan, no writes, no sockets."""

import importlib.util
import pathlib

import pytest

CHECKER = pathlib.Path(__file__).resolve().parents[2] / "tests" / "minimal" / "check_footprint.py"


@pytest.fixture(scope="module")
def footprint():
    if not CHECKER.exists():
        pytest.skip("the footprint checker ships with the repository, not the sdist")
    spec = importlib.util.spec_from_file_location("check_footprint", CHECKER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("module", ["hamilton", "hamilton.driver", "hamilton.base", "hamilton.graph_types"])
def test_importing_core_touches_only_the_standard_library(footprint, module):
    assert footprint.import_problems(module) == []


def test_the_probe_does_see_writes_sockets_and_third_party_imports(footprint, tmp_path):
    """Negative control: a module that misbehaves is caught, so the test above is meaningful."""
    (tmp_path / "misbehaving.py").write_text(
        "import socket, pathlib\n"
        f"pathlib.Path({str(tmp_path / 'out.txt')!r}).write_text('x')\n"
        "socket.socket().close()\n"
        "import importlib.metadata\n"
    )
    problems = footprint.import_problems("misbehaving", extra_path=str(tmp_path))
    assert any("open for writing" in p and "out.txt" in p for p in problems)
    assert any(p.startswith("socket.") for p in problems)
    assert any("importlib.metadata" in p for p in problems)
