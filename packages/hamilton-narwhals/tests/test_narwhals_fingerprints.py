"""narwhals wrappers are fingerprinted as their native frame plus the wrapper's type."""

import narwhals as nw
import narwhals.stable.v1 as nw_v1
import pytest

from hamilton import driver, fingerprinting
from hamilton.ad_hoc_utils import module_from_source
from hamilton.plugins import narwhals_extensions, narwhals_fingerprints

hash_value = fingerprinting.hash_value


def test_the_plugin_registers_the_wrappers():
    assert narwhals_extensions.hamilton_fingerprinters() is narwhals_fingerprints.FINGERPRINTERS
    pytest.importorskip("pyarrow")
    hash_value(nw.new_series("a", [1], nw.Int64, backend="pyarrow"))
    assert hash_value.dispatch(nw_v1.DataFrame) is narwhals_fingerprints.hash_narwhals


def test_a_wrapper_hashes_by_its_native_frame_and_its_type(library):
    native = library.frame({"a": [1, 2]})
    wrapped = nw.from_native(native, eager_only=True)
    assert hash_value(wrapped) == hash_value(nw.from_native(library.frame({"a": [1, 2]}), eager_only=True))
    fingerprints = [
        hash_value(wrapped),
        hash_value(native),
        hash_value(nw_v1.from_native(native, eager_only=True)),  # another API version
        hash_value(nw.from_native(library.frame({"a": [1, 3]}), eager_only=True)),
        hash_value(nw.from_native(library.frame({"a": [1.0, 2.0]}), eager_only=True)),
        hash_value(wrapped["a"]),
    ]
    assert fingerprinting.UNHASHABLE not in fingerprints
    assert len(set(fingerprints)) == len(fingerprints)


def test_lazy_wrappers_follow_their_native_object():
    pl = pytest.importorskip("polars")
    assert hash_value(nw.from_native(pl.LazyFrame({"a": [1]}))) == fingerprinting.UNHASHABLE


FLOW = """
import narwhals as nw
import pandas as pd

def frame(wide: bool) -> nw.DataFrame:
    CALLS.append("frame")
    return nw.from_native(pd.DataFrame({"x": pd.Series([100, 120], dtype="int64" if wide else "int8")}))

def doubled(frame: nw.DataFrame) -> list:
    CALLS.append("doubled")
    return (frame["x"] * 2).to_list()
"""


def test_the_cache_recomputes_when_a_wrapped_frame_differs_only_in_dtype(tmp_path):
    pytest.importorskip("hamilton.caching")
    pytest.importorskip("pandas")
    flow = module_from_source("CALLS = []\n" + FLOW, "narwhals_fingerprint_cache_flow")
    dr = driver.Builder().with_modules(flow).with_cache(path=tmp_path).build()
    assert dr.execute(["doubled"], inputs={"wide": True}) == {"doubled": [200, 240]}
    assert dr.execute(["doubled"], inputs={"wide": False}) == {"doubled": [-56, -16]}  # int8 wraps
    assert flow.CALLS == ["frame", "doubled", "frame", "doubled"]
