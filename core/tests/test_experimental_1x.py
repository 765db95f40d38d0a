"""1.x's ``hamilton.experimental.h_cache`` (file cache adapter) and ``h_databackends`` (lazy types)."""

import collections
import functools
import importlib
import json
import subprocess
import sys
import warnings

import pytest

from hamilton import ad_hoc_utils, base, driver
from hamilton.deprecation import RemovedInHamilton3Warning
from hamilton.experimental import databackend, h_databackends
from hamilton.function_modifiers import tag


@pytest.fixture(scope="module")
def h_cache():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RemovedInHamilton3Warning)
        return importlib.import_module("hamilton.experimental.h_cache")


def _run_python(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


# -- h_databackends -----------------------------------------------------------------------


def test_databackends_import_no_dataframe_library():
    out = _run_python(
        "import sys\n"
        "from hamilton.experimental import h_databackends as h\n"
        "print(isinstance({}, h.DATAFRAME_TYPES), isinstance(1, h.COLUMN_TYPES))\n"
        "print(sorted(m for m in ('pandas', 'numpy', 'polars', 'pyarrow') if m in sys.modules))\n"
    )
    assert out.split("\n")[:2] == ["False False", "[]"]


def test_databackend_types_group_dataframes_and_columns():
    dataframes, columns = h_databackends.register_backends()
    assert (dataframes, columns) == (h_databackends.DATAFRAME_TYPES, h_databackends.COLUMN_TYPES)
    assert h_databackends.AbstractPandasDataFrame in dataframes
    assert h_databackends.AbstractLazyPolarsDataFrame in dataframes
    assert h_databackends.AbstractPandasColumn in columns
    assert h_databackends.AbstractNumpyArray not in dataframes + columns


def test_pandas_values_match_their_abstract_type():
    pd = pytest.importorskip("pandas")

    class MyFrame(pd.DataFrame):
        pass

    assert isinstance(pd.DataFrame(), h_databackends.DATAFRAME_TYPES)
    assert issubclass(MyFrame, h_databackends.AbstractPandasDataFrame)
    assert isinstance(pd.Series(dtype=int), h_databackends.COLUMN_TYPES)
    assert not isinstance(pd.Series(dtype=int), h_databackends.DATAFRAME_TYPES)
    assert not issubclass(int, h_databackends.COLUMN_TYPES)


def test_abstract_backend_for_any_class_and_singledispatch():
    class AbstractOrderedDict(databackend.AbstractBackend):
        _backends = [("collections", "OrderedDict")]

    class AbstractCounter(databackend.AbstractBackend):
        pass

    assert isinstance(collections.OrderedDict(), AbstractOrderedDict)
    assert not isinstance({}, AbstractOrderedDict)
    assert not isinstance(collections.Counter(), AbstractCounter)
    AbstractCounter.register_backend("collections", "Counter")
    assert isinstance(collections.Counter(), AbstractCounter)
    assert not isinstance(collections.OrderedDict(), AbstractCounter)

    @functools.singledispatch
    def kind(value) -> str:
        return "other"

    kind.register(AbstractOrderedDict, lambda value: "ordered")
    assert (kind(collections.OrderedDict()), kind({})) == ("ordered", "other")


# -- h_cache ------------------------------------------------------------------------------


def test_h_cache_import_warns_and_imports_no_pandas():
    out = _run_python(
        "import sys, warnings\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    import hamilton.experimental.h_cache\n"
        "print([(w.category.__name__, 'with_cache()' in str(w.message)) for w in caught])\n"
        "print('pandas' in sys.modules)\n"
    )
    assert out.split("\n")[:2] == ["[('RemovedInHamilton3Warning', True)]", "False"]


def _adapter(h_cache, *args, **kwargs):
    with pytest.warns(RemovedInHamilton3Warning, match=r"Builder\(\)\.with_cache\(\)"):
        return h_cache.CachingGraphAdapter(*args, **kwargs)


def test_default_formats_and_overrides(h_cache, tmp_path):
    def write_str(data, filepath, name):
        pass

    adapter = _adapter(h_cache, str(tmp_path), base.DictResult(), writers={"str": write_str, "json": write_str})
    assert adapter.writers == {
        "json": write_str,
        "feather": h_cache.write_feather,
        "parquet": h_cache.write_parquet,
        "pickle": h_cache.write_pickle,
        "str": write_str,
    }
    assert set(adapter.readers) == {"json", "feather", "parquet", "pickle"}


def test_unknown_format_fails_the_run(h_cache, tmp_path):
    @tag(cache="xyz")
    def odd() -> int:
        return 1

    adapter = _adapter(h_cache, str(tmp_path), base.DictResult())
    dr = driver.Driver({}, ad_hoc_utils.create_temporary_module(odd), adapter=adapter)
    with pytest.raises(ValueError, match=r"^invalid cache format: xyz"):
        dr.execute(["odd"])


def test_json_and_pickle_round_trip(h_cache, tmp_path):
    h_cache.write_json({"a": 1}, str(tmp_path / "d.json"), "d")
    assert json.loads((tmp_path / "d.json").read_text()) == {"a": 1}
    assert h_cache.read_json({}, str(tmp_path / "d.json")) == {"a": 1}
    h_cache.write_pickle([1, {2}], str(tmp_path / "p.pickle"), "p")
    assert h_cache.read_pickle(None, str(tmp_path / "p.pickle")) == [1, {2}]
    with pytest.raises(NotImplementedError, match="No json writer for type <class 'list'>"):
        h_cache.write_json([1], str(tmp_path / "l.json"), "l")
    with pytest.raises(NotImplementedError, match="No parquet reader"):
        h_cache.read_parquet({}, str(tmp_path / "d.json"))


@pytest.mark.parametrize("fmt", ["json", "parquet", "feather"])
def test_pandas_formats_keep_the_series_name_of_the_node(h_cache, tmp_path, fmt):
    pd = pytest.importorskip("pandas")
    if fmt != "json":
        pytest.importorskip("pyarrow")
    write, read = getattr(h_cache, f"write_{fmt}"), getattr(h_cache, f"read_{fmt}")
    frame = pd.DataFrame({"a": [1, 2], "b": [3, 4]})
    write(frame, str(tmp_path / f"f.{fmt}"), "f")
    pd.testing.assert_frame_equal(read(pd.DataFrame(), str(tmp_path / f"f.{fmt}")), frame)
    write(pd.Series([5, 6]), str(tmp_path / f"s.{fmt}"), "s")
    pd.testing.assert_series_equal(read(pd.Series(), str(tmp_path / f"s.{fmt}")), pd.Series([5, 6], name="s"))


@pytest.fixture
def calls():
    return []


@pytest.fixture
def flow(calls):
    @tag(cache="json")
    def raw() -> dict:
        calls.append("raw")
        return {"x": 1}

    def untagged(raw: dict) -> dict:
        calls.append("untagged")
        return raw

    @tag(cache="pickle")
    def final(untagged: dict, factor: int) -> list:
        calls.append("final")
        if factor < 0:
            raise ValueError("negative")
        return [untagged, factor]

    @tag(cache="json")
    def after_final(final: list) -> dict:
        calls.append("after_final")
        return {"n": len(final)}

    return ad_hoc_utils.create_temporary_module(raw, untagged, final, after_final)


def test_adapter_caches_tagged_nodes_until_forced(h_cache, tmp_path, flow, calls):
    cache = tmp_path / "not" / "yet"
    dr = driver.Driver({}, flow, adapter=_adapter(h_cache, str(cache), base.DictResult()))
    assert dr.execute(["final"], inputs={"factor": 2}) == {"final": [{"x": 1}, 2]}
    assert calls == ["raw", "untagged", "final"]
    assert sorted(p.name for p in cache.iterdir()) == ["final.pickle", "raw.json"]

    calls.clear()  # untagged nodes always run; tagged ones load their file (inputs are not checked)
    assert dr.execute(["final"], inputs={"factor": 3}) == {"final": [{"x": 1}, 2]}
    assert calls == ["untagged"]

    calls.clear()  # forcing `raw` recomputes everything downstream, through the untagged node
    forced = _adapter(h_cache, str(cache), base.DictResult(), force_compute={"raw"})
    dr = driver.Driver({}, flow, adapter=forced)
    assert dr.execute(["final"], inputs={"factor": 3}) == {"final": [{"x": 1}, 3]}
    assert calls == ["raw", "untagged", "final"]


def test_a_failed_run_does_not_force_the_next_one(h_cache, tmp_path, flow, calls):
    adapter = _adapter(h_cache, str(tmp_path), base.DictResult())
    dr = driver.Driver({}, flow, adapter=adapter)
    dr.execute(["after_final"], inputs={"factor": 2})
    (tmp_path / "raw.json").unlink()  # `raw` is recomputed, then `final` fails downstream of it
    with pytest.raises(ValueError, match="negative"):
        dr.execute(["after_final"], inputs={"factor": -1})
    calls.clear()
    assert dr.execute(["after_final"], inputs={"factor": 2}) == {"after_final": {"n": 2}}
    assert calls == ["untagged"]
