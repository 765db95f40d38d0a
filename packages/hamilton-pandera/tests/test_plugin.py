"""The distribution as a plugin: 1.x import paths, lazy loading, selection whatever the load order."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from hamilton import plugins
from hamilton.plugins.testing import IntegrationContract


@pytest.mark.parametrize(
    ("module", "names"),
    [
        ("hamilton.plugins.h_pandera", ["check_output"]),
        (
            "hamilton.data_quality.pandera_validators",
            ["PanderaDataFrameValidator", "PanderaSeriesSchemaValidator", "PANDERA_VALIDATORS"],
        ),
        ("hamilton.plugins.pandera_extensions", ["hamilton_validators", "HAMILTON_CORE_VERSIONS"]),
    ],
)
def test_1x_module_paths(module, names):
    imported = __import__(module, fromlist=names)
    for name in names:
        assert hasattr(imported, name), f"{module}.{name}"


def test_the_plugin_provides_the_pandera_validators():
    from hamilton.data_quality.pandera_validators import PANDERA_VALIDATORS
    from hamilton.plugins import pandera_extensions

    assert list(pandera_extensions.hamilton_validators()) == PANDERA_VALIDATORS
    assert [cls.name() for cls in PANDERA_VALIDATORS] == ["pandera_schema_validator"] * 2


def _run_python(script: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, env=None, check=False
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


SELECTION = """
    import os
    os.environ["DISABLE_PANDERA_IMPORT_WARNING"] = "True"
    import pandas as pd
    import pandera.pandas as pa
    from hamilton import plugins
    from hamilton.data_quality.default_validators import resolve_default_validators

    for name in {order!r}:
        plugins.load(name)
    schema = pa.DataFrameSchema({{"a": pa.Column(int)}})
    print(type(resolve_default_validators(pd.DataFrame, "warn", schema=schema)[0]).__name__)
    print(type(resolve_default_validators(pd.DataFrame, "warn", schema={{"a": int}})[0]).__name__)
"""


@pytest.mark.parametrize("order", [["pandera", "pandas"], ["pandas", "pandera"], []])
def test_pandera_schemas_get_pandera_s_validator_whatever_the_plugin_order(order):
    chosen = _run_python(SELECTION.format(order=order)).split()
    assert chosen == ["PanderaDataFrameValidator", "SchemaValidatorPandasDataFrame"]


def test_a_dataflow_without_pandera_never_loads_the_plugin_nor_pandera():
    out = _run_python(
        """
        import sys
        import pandas as pd
        from hamilton import driver
        from hamilton.function_modifiers import check_output

        @check_output(schema={"a": int}, importance="fail")
        def frame() -> pd.DataFrame:
            return pd.DataFrame({"a": [1]})

        driver.Builder().with_functions(frame).build().execute(["frame"])
        print(sorted(m for m in sys.modules if "pandera" in m))
        """
    )
    assert out.strip() == "[]"


def test_a_pandera_schema_loads_the_plugin():
    out = _run_python(
        """
        import os
        os.environ["DISABLE_PANDERA_IMPORT_WARNING"] = "True"
        import pandas as pd
        import pandera.pandas as pa
        from hamilton import driver, plugins
        from hamilton.function_modifiers import check_output

        @check_output(schema=pa.DataFrameSchema({"a": pa.Column(int)}), importance="fail")
        def frame() -> pd.DataFrame:
            return pd.DataFrame({"a": [1]})

        driver.Builder().with_functions(frame).build().execute(["frame"])
        print({info.name: info.status for info in plugins.list_plugins()}["pandera"])
        """
    )
    assert out.strip() == "loaded"


def test_plugin_listing_names_the_distribution():
    plugins.load("pandera")
    (info,) = [info for info in plugins.list_plugins() if info.name == "pandera"]
    assert info.distribution == "hamilton-pandera"
    assert info.status == "loaded"


class TestPanderaIntegration(IntegrationContract):
    library = "pandera"
    extra = "pandera"
    modules = (
        "hamilton.data_quality.pandera_validators",
        "hamilton.plugins.pandera_extensions",
        "hamilton.plugins.h_pandera",
    )
    entry_point = "pandera"
