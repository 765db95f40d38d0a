"""The plugin's packaging: discovery, import cost, and what happens without Kedro."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from hamilton.plugins.testing import IntegrationContract

BLOCK_KEDRO = textwrap.dedent(
    """
    import sys

    class WithoutKedro:  # behaves as if Kedro were not installed
        def find_spec(self, name, path=None, target=None):
            if name == "kedro" or name.startswith("kedro."):
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, WithoutKedro())
    """
)


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)


def test_without_kedro_importing_the_modules_says_what_to_install():
    # beyond TestKedroIntegration: the message names the distribution, Kedro
    for module in ("h_kedro", "kedro_extensions"):
        code = BLOCK_KEDRO + f"import hamilton.plugins.{module}\n"
        completed = run_python(code)
        assert completed.returncode != 0
        assert "ModuleNotFoundError" in completed.stderr
        assert f"hamilton.plugins.{module} needs Kedro" in completed.stderr
        assert 'pip install "apache-hamilton[kedro]"' in completed.stderr


class TestKedroIntegration(IntegrationContract):
    library = "kedro"
    extra = "kedro"
    modules = ("hamilton.plugins.h_kedro", "hamilton.plugins.kedro_extensions")
    entry_point = "kedro"
