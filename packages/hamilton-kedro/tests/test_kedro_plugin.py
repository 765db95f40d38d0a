"""The plugin's packaging: discovery, import cost, and what happens without Kedro."""

from __future__ import annotations

import subprocess
import sys
import textwrap

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
    for module in ("h_kedro", "kedro_extensions"):
        code = BLOCK_KEDRO + f"import hamilton.plugins.{module}\n"
        completed = run_python(code)
        assert completed.returncode != 0
        assert "ModuleNotFoundError" in completed.stderr
        assert f"hamilton.plugins.{module} needs Kedro" in completed.stderr
        assert 'pip install "apache-hamilton[kedro]"' in completed.stderr


def test_without_kedro_the_plugin_is_inactive_not_broken():
    code = BLOCK_KEDRO + textwrap.dedent(
        """
        import warnings
        from hamilton import plugins

        warnings.simplefilter("error")  # an inactive plugin warns about nothing
        plugins.load("kedro")
        [info] = [p for p in plugins.list_plugins() if p.name == "kedro"]
        print(info.status, info.reason)
        """
    )
    completed = run_python(code)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "inactive needs kedro"


def test_a_plain_dataflow_never_imports_kedro():
    code = textwrap.dedent(
        """
        import sys
        from hamilton import driver

        def a() -> int:
            return 1

        def b(a: int) -> int:
            return a + 1

        assert driver.Builder().with_functions(a, b).build().execute(["b"]) == {"b": 2}
        loaded = [m for m in sys.modules if m == "kedro" or m.startswith(("kedro.", "hamilton.plugins.h_kedro", "hamilton.plugins.kedro"))]
        print(loaded)
        """
    )
    completed = run_python(code)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "[]"
