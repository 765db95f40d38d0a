"""The plugin's wiring: lazy loading through the ``vaex`` entry point, 1.x's module names, and the
error when vaex is missing."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import vaex

from hamilton import plugins
from hamilton.plugins.testing import IntegrationContract


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=False)


def test_the_plugin_loads_when_extract_columns_meets_a_vaex_frame():
    completed = run_python(
        """
        import sys
        import numpy as np
        import vaex
        from hamilton import driver
        from hamilton.function_modifiers import extract_columns

        assert "hamilton.plugins.vaex_extensions" not in sys.modules

        @extract_columns("a")
        def frame() -> vaex.dataframe.DataFrame:
            return vaex.from_arrays(a=np.array([1, 2]))

        print(driver.Builder().with_functions(frame).build().execute(["a"])["a"].tolist())
        print("hamilton.plugins.vaex_extensions" in sys.modules)
        """
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == ["[1,", "2]", "True"]


def test_listed_as_the_vaex_plugin():
    plugins.load("vaex")
    (info,) = [info for info in plugins.list_plugins() if info.name == "vaex"]
    assert info.distribution == "hamilton-vaex"
    assert info.status == "loaded"
    assert info.provides == {"dataframe_backends": ["vaex"], "result_builders": ["vaex"]}


def test_1x_module_surface():
    from hamilton.plugins import h_vaex, vaex_extensions

    assert vaex_extensions.DATAFRAME_TYPE is vaex.dataframe.DataFrame
    assert vaex_extensions.COLUMN_TYPE is vaex.expression.Expression
    frame = vaex.from_arrays(a=[1, 2])
    assert vaex_extensions.get_column_vaex(frame, "a").tolist() == [1, 2]
    filled = vaex_extensions.fill_with_scalar_vaex(frame, "z", 3)
    assert filled["z"].tolist() == [3, 3]
    assert frame.get_column_names() == ["a"]
    assert h_vaex.VaexDataFrameResult().output_type() is vaex.dataframe.DataFrame


def test_register_types_by_hand_is_harmless():
    from hamilton.plugins import vaex_extensions

    vaex_extensions.register_types()
    vaex_extensions.register_types()
    assert plugins.result_builder("vaex") is not None
    assert plugins.dataframe_backend(vaex.from_arrays(a=[1])).name == "vaex"


def test_register_types_before_autoloading_is_harmless():
    completed = run_python(
        """
        import numpy as np
        import vaex
        from hamilton import driver, plugins
        from hamilton.function_modifiers import extract_columns
        from hamilton.plugins import vaex_extensions

        vaex_extensions.register_types()

        @extract_columns("a")
        def frame() -> vaex.dataframe.DataFrame:
            return vaex.from_arrays(a=np.array([1, 2]))

        print(driver.Builder().with_functions(frame).build().execute(["a"])["a"].tolist())
        print(sorted(info.status for info in plugins.list_plugins() if "vaex" in info.name))
        """
    )
    assert completed.returncode == 0, completed.stderr
    assert "[1, 2]" in completed.stdout


def test_without_vaex_the_modules_say_what_to_install():
    # beyond TestVaexIntegration: the message names the distribution, vaex-core
    for module in ("h_vaex", "vaex_extensions"):
        completed = run_python(
            f"""
            import sys
            sys.modules["vaex"] = None  # as if vaex were not installed
            try:
                import hamilton.plugins.{module}
            except ImportError as error:
                print(type(error).__name__, error.name, error)
            """
        )
        assert completed.returncode == 0, completed.stderr
        said = completed.stdout.strip()
        # named after the library: the plugin system lists the plugin as inactive ("needs vaex")
        assert said.startswith("ModuleNotFoundError vaex ")
        assert "needs vaex-core (imported as `vaex`)" in said
        assert 'pip install "apache-hamilton[vaex]"' in said


class TestVaexIntegration(IntegrationContract):
    library = "vaex"
    extra = "vaex"
    modules = ("hamilton.plugins.h_vaex", "hamilton.plugins.vaex_extensions")
    entry_point = "vaex"
