"""The plugin's packaging: discovery, import cost, and what happens without dlt."""

from __future__ import annotations

import subprocess
import sys
import textwrap

BLOCK_DLT = textwrap.dedent(
    """
    import sys

    class WithoutDlt:  # behaves as if dlt were not installed
        def find_spec(self, name, path=None, target=None):
            if name == "dlt" or name.startswith("dlt."):
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, WithoutDlt())
    """
)


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)


def test_without_dlt_importing_the_modules_says_what_to_install():
    for module in ("dlt_extensions",):
        code = BLOCK_DLT + f"import hamilton.plugins.{module}\n"
        completed = run_python(code)
        assert completed.returncode != 0
        assert "ModuleNotFoundError" in completed.stderr
        assert f"hamilton.plugins.{module} needs dlt" in completed.stderr
        assert 'pip install "apache-hamilton[dlt]"' in completed.stderr


def test_without_dlt_the_plugin_is_inactive_not_broken():
    code = BLOCK_DLT + textwrap.dedent(
        """
        import warnings
        from hamilton import plugins

        warnings.simplefilter("error")  # an inactive plugin warns about nothing
        plugins.load("dlt")
        [info] = [p for p in plugins.list_plugins() if p.name == "dlt"]
        print(info.status, info.reason)
        """
    )
    completed = run_python(code)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "inactive needs dlt"


def test_a_plain_dataflow_never_imports_dlt():
    code = textwrap.dedent(
        """
        import sys
        from hamilton import driver

        def a() -> int:
            return 1

        def b(a: int) -> int:
            return a + 1

        assert driver.Builder().with_functions(a, b).build().execute(["b"]) == {"b": 2}
        loaded = [m for m in sys.modules if m == "dlt" or m.startswith(("dlt.", "hamilton.plugins.dlt"))]
        print(loaded)
        """
    )
    completed = run_python(code)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "[]"
