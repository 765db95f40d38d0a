"""1.x's other module paths for polars: ``hamilton.plugins.polars_implementations`` (deprecated
in 1.x already: ``PolarsDataFrameResult``) and ``hamilton.plugins.polars_post_1_0_0_extensions``
(the loaders and savers), imported and used as 1.x users do."""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap
import warnings

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from hamilton import base, driver
from hamilton.deprecation import RemovedInHamilton3Warning
from hamilton.io.materialization import from_, to
from hamilton.plugins import h_polars, polars_io

IMPLEMENTATIONS = "hamilton.plugins.polars_implementations"

# What 1.x's polars_post_1_0_0_extensions defined (its public names, not its imports).
POST_1_0_0_CLASSES = [
    "PolarsAvroReader",
    "PolarsAvroWriter",
    "PolarsCSVReader",
    "PolarsCSVWriter",
    "PolarsDatabaseReader",
    "PolarsDatabaseWriter",
    "PolarsFeatherReader",
    "PolarsFeatherWriter",
    "PolarsJSONReader",
    "PolarsJSONWriter",
    "PolarsNDJSONReader",
    "PolarsNDJSONWriter",
    "PolarsParquetReader",
    "PolarsParquetWriter",
    "PolarsSpreadsheetReader",
    "PolarsSpreadsheetWriter",
]


def forget(name: str) -> None:
    """Make the next import of ``name`` run the module again."""
    sys.modules.pop(name, None)
    package, _, attribute = name.rpartition(".")
    if hasattr(sys.modules[package], attribute):
        delattr(sys.modules[package], attribute)


def fresh_import(name: str):
    forget(name)
    return importlib.import_module(name)


def test_polars_implementations_exposes_the_result_builder_with_a_deprecation_warning():
    with pytest.warns(DeprecationWarning, match=r"polars_implementations is deprecated.*hamilton\.plugins\.h_polars"):
        module = fresh_import(IMPLEMENTATIONS)
    assert module.PolarsDataFrameResult is h_polars.PolarsDataFrameResult
    assert module.__all__ == ["PolarsDataFrameResult"]


def test_the_warning_points_at_the_import_statement():
    forget(IMPLEMENTATIONS)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        from hamilton.plugins import polars_implementations  # noqa: F401
    (warning,) = [w for w in caught if issubclass(w.category, DeprecationWarning)]
    assert warning.filename == __file__
    assert issubclass(warning.category, RemovedInHamilton3Warning)


def test_python_shows_the_warning_by_default_in_a_script():
    code = "from hamilton.plugins.polars_implementations import PolarsDataFrameResult\nprint('ok')"
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
    assert "RemovedInHamilton3Warning" in completed.stderr
    assert "hamilton.plugins.h_polars" in completed.stderr


def test_the_1x_result_builder_path_runs_a_driver():
    with pytest.warns(RemovedInHamilton3Warning, match="polars_implementations"):
        module = fresh_import(IMPLEMENTATIONS)

    def a() -> pl.Series:
        return pl.Series([1, 2, 3])

    def b(a: pl.Series) -> pl.Series:
        return a * 2

    adapter = base.SimplePythonGraphAdapter(module.PolarsDataFrameResult())
    dr = driver.Builder().with_functions(a, b).with_adapters(adapter).build()
    assert_frame_equal(dr.execute(["a", "b"]), pl.DataFrame({"a": [1, 2, 3], "b": [2, 4, 6]}))


def test_polars_post_1_0_0_extensions_exposes_1xs_loaders_and_savers():
    from hamilton.plugins import polars_post_1_0_0_extensions as module

    for name in POST_1_0_0_CLASSES:
        assert getattr(module, name) is getattr(polars_io, name), name
    assert sorted(module.__all__) == sorted(POST_1_0_0_CLASSES)


def test_polars_post_1_0_0_extensions_exposes_1xs_types_and_registration():
    from hamilton.plugins import polars_post_1_0_0_extensions as module

    assert module.DATAFRAME_TYPE is pl.DataFrame
    assert module.COLUMN_TYPE is pl.Series
    module.register_data_loaders()  # 1.x registered its loaders/savers by hand with this
    from hamilton import plugins

    assert "PolarsParquetWriter" in {c.__name__ for c in plugins.savers("parquet")}


def test_the_1x_loader_and_saver_classes_round_trip_through_materializers(tmp_path):
    from hamilton.plugins.polars_post_1_0_0_extensions import PolarsCSVReader, PolarsParquetWriter

    frame = pl.DataFrame({"x": [1, 2], "y": ["p", "q"]})
    PolarsParquetWriter(file=tmp_path / "f.parquet").save_data(frame)
    assert_frame_equal(pl.read_parquet(tmp_path / "f.parquet"), frame)
    frame.write_csv(tmp_path / "f.csv")
    loaded, metadata = PolarsCSVReader(file=tmp_path / "f.csv").load_data(pl.DataFrame)
    assert_frame_equal(loaded, frame)
    assert isinstance(metadata, dict)

    def data() -> pl.DataFrame:
        return frame

    dr = driver.Builder().with_functions(data).build()
    dr.materialize(to.csv(id="saved", dependencies=["data"], file=str(tmp_path / "m.csv")))
    _, loaded_back = dr.materialize(from_.csv(target="data", file=str(tmp_path / "m.csv")), additional_vars=["data"])
    assert_frame_equal(loaded_back["data"], frame)


def test_importing_without_polars_fails_naming_polars():
    code = textwrap.dedent(
        """
        import sys
        sys.modules["polars"] = None
        for module in ("polars_implementations", "polars_post_1_0_0_extensions"):
            try:
                __import__("hamilton.plugins." + module)
            except ImportError as error:
                print(type(error).__name__, error.name)
        """
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == ["ModuleNotFoundError", "polars"] * 2
