"""Fingerprints of pandas values: equal frames hash equal whatever their memory layout; frames
that differ in anything a node could notice (a value, a dtype, the index, a label's type,
None vs NaN in an object column...) never do."""

from __future__ import annotations

import datetime
import math
import struct
import subprocess
import sys
import textwrap
import tracemalloc
import zoneinfo

import dateutil.tz
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra import pandas as hpd

from hamilton import driver, fingerprinting
from hamilton.ad_hoc_utils import module_from_source
from hamilton.plugins import pandas_extensions, pandas_fingerprints
from hamilton.plugins.testing import (
    FingerprinterContract,
    assert_fingerprints_differ,
    assert_fingerprints_equal,
    outputs_of_fresh_processes,
)

hash_value = fingerprinting.hash_value
PROPERTIES = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


class TestDataFrameFingerprints(FingerprinterContract):
    plugin = pandas_extensions

    def make_values(self):
        return [pd.DataFrame({"x": [1, 2]}), pd.DataFrame({"x": [2, 1]}), pd.DataFrame({"x": [1.0, 2.0]})]

    def make_equal_pair(self):
        return pd.DataFrame({"x": [1, 2], "s": ["a", None]}), pd.DataFrame({"x": [1, 2], "s": ["a", None]})


class TestSeriesFingerprints(FingerprinterContract):
    plugin = pandas_extensions

    def make_values(self):
        return [pd.Series([1.0]), pd.Series([1.0], name="a"), pd.Series([1], dtype="Int64")]

    def make_equal_pair(self):
        return pd.Series([1.5, None], name="a"), pd.Series([1.5, None], name="a")


class TestIndexFingerprints(FingerprinterContract):
    plugin = pandas_extensions

    def make_values(self):
        return [pd.Index([1, 2]), pd.RangeIndex(2), pd.Index(["1", "2"])]

    def make_equal_pair(self):
        return pd.Index(["a", "b"], name="i"), pd.Index(["a", "b"], name="i")


def test_the_plugin_registers_frames_series_indexes_and_scalars():
    assert pandas_extensions.hamilton_fingerprinters() is pandas_fingerprints.FINGERPRINTERS
    hash_value(pd.DataFrame())  # loads the plugin if nothing did yet
    assert hash_value.dispatch(pd.DataFrame) is pandas_fingerprints.hash_dataframe
    assert hash_value.dispatch(pd.MultiIndex) is pandas_fingerprints.hash_index
    assert hash_value.dispatch(pd.Categorical) is pandas_fingerprints.hash_extension_array
    assert hash_value.dispatch(pd.Timestamp) is pandas_fingerprints.hash_timestamp


# -- equal values -------------------------------------------------------------------------------
def test_equal_frames_hash_equal_whatever_their_layout():
    values = np.arange(12.0).reshape(6, 2)
    frame = pd.DataFrame(values, columns=["a", "b"])
    assert_fingerprints_equal(
        frame,
        frame.copy(),
        pd.DataFrame({"a": values[:, 0], "b": values[:, 1]}),  # one block per column
        pd.DataFrame(np.asfortranarray(values), columns=["a", "b"]),
        pd.DataFrame(np.arange(16.0).reshape(8, 2), columns=["a", "b"]).iloc[:6],  # a view
        pd.concat([frame.iloc[:3], frame.iloc[3:]]),
    )
    wide = pd.DataFrame(np.arange(24.0).reshape(6, 4), columns=["a", "x", "b", "y"])
    assert_fingerprints_equal(wide[["a", "b"]].set_axis(["a", "b"], axis=1) * 0 + frame, frame)


def test_equal_columns_of_every_kind_hash_equal():
    def frame():
        return pd.DataFrame(
            {
                "object": pd.Series([1, "1", None, np.nan, [1]], dtype=object),
                "text": ["a", "b", None, "d", ""],
                "python_text": pd.array(["a", None, "c", "d", "e"], dtype="string[python]"),
                "category": pd.Categorical(["x", "y", "x", None, "y"]),
                "nullable": pd.array([1, None, 3, 4, 5], dtype="Int64"),
                "arrow": pd.array([1.5, None, 3.0, 4.0, 5.0], dtype="float64[pyarrow]"),
                "aware": pd.date_range("2020", periods=5, tz="Europe/Berlin"),
                "period": pd.period_range("2020", periods=5, freq="M"),
                "interval": pd.arrays.IntervalArray.from_breaks(range(6)),
                "sparse": pd.arrays.SparseArray([0, 0, 1, 0, 2]),
            },
            index=pd.MultiIndex.from_product([["a"], range(5)], names=["k", "n"]),
        )

    assert_fingerprints_equal(frame(), frame(), frame().copy())
    assert_fingerprints_equal(frame().iloc[1:], frame().iloc[1:].copy())


def test_numeric_frames_are_hashed_without_copies():
    frame = pd.DataFrame(np.ones((1_000_000, 4)), columns=list("abcd"))
    hash_value(frame)
    tracemalloc.start()
    try:
        hash_value(frame)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20  # 32 MB of data, nothing of it copied


# -- every kind of difference -------------------------------------------------------------------
def test_values_dtypes_index_and_labels_all_count():
    base = pd.DataFrame({"a": [1, 2], "b": [3, 4]})
    assert_fingerprints_differ(
        [
            base,
            pd.DataFrame({"a": [1, 2], "b": [3, 5]}),  # one value
            base.astype({"a": "float64"}),  # dtype with equal values
            base.astype({"a": "int32"}),
            base.astype({"a": "Int64"}),
            base.astype({"a": "int64[pyarrow]"}),
            base.astype({"a": object}),
            base.set_axis([1, 2]),  # index values
            base.set_axis(pd.Index([0, 1], dtype="int64")),  # RangeIndex vs an Int64 index
            base.set_axis(pd.Index([0, 1], dtype="int32")),
            base.set_axis(pd.Index([0.0, 1.0])),
            base.set_axis(pd.Index(["0", "1"], dtype=object)),
            base.rename_axis("idx"),  # index name
            base[["b", "a"]],  # column order
            base.rename(columns={"a": "c"}),  # column name
            base.set_axis(pd.Index([1, "b"], dtype=object), axis=1),  # label 1 ...
            base.set_axis(pd.Index(["1", "b"], dtype=object), axis=1),  # ... vs "1"
            base.set_axis(pd.Index(["a", "b"], dtype=object), axis=1),  # object vs str labels
            base.rename_axis("cols", axis=1),
            base.set_flags(allows_duplicate_labels=False),
            base.T,
            base.iloc[:1],
            base.iloc[:, :1],
        ]
    )


def test_attrs_count():
    marked = pd.DataFrame({"a": [1]})
    marked.attrs["unit"] = "m"
    other = pd.DataFrame({"a": [1]})
    other.attrs["unit"] = "s"
    assert_fingerprints_differ([pd.DataFrame({"a": [1]}), marked, other])


def test_object_columns_are_exact():
    def column(*values):
        return pd.Series(list(values), dtype=object)

    assert_fingerprints_differ(
        [
            column(1),
            column("1"),
            column(1.0),
            column(True),
            column(None),
            column(np.nan),
            column(pd.NA),
            column(pd.NaT),
            column(float("inf")),
            column(np.str_("1")),
            column(b"1"),
            column((1,)),
            column([1]),
            column("a", "bc"),
            column("ab", "c"),
            column(datetime.date(2020, 1, 1)),
            column(pd.Timestamp("2020-01-01")),
            column(pd.Timestamp("2020-01-01").as_unit("ns")),
        ]
    )


def test_strings_and_missing_values():
    assert_fingerprints_differ(
        [
            pd.Series(["a", None]),  # str: NaN semantics, arrow storage
            pd.Series(["a", None], dtype="string[pyarrow]"),  # pd.NA semantics
            pd.Series(["a", None], dtype="string[python]"),
            pd.Series(["a", None], dtype=object),
            pd.Series(["a", ""]),
            pd.Series(["a", "None"]),
            pd.Series(["a", "nan"], dtype="string[python]"),
            pd.Series(["a", None], dtype="large_string[pyarrow]"),
        ]
    )


def test_datetimes_time_zones_units_and_frequencies():
    naive = pd.Series(pd.date_range("2020-01-01", periods=3))
    aware = naive.dt.tz_localize("UTC")
    assert_fingerprints_differ(
        [
            naive,
            naive.dt.as_unit("ns"),
            aware,
            aware.dt.tz_convert("Europe/Berlin"),  # same instants, other zone
            aware.dt.tz_convert(dateutil.tz.gettz("Europe/Berlin")),  # the same zone from another library
            aware.dt.tz_convert(datetime.timezone(datetime.timedelta(hours=1))),
            aware.dt.tz_convert(datetime.timezone(datetime.timedelta(hours=1), "X")),
            aware.dt.tz_convert(datetime.timezone(datetime.timedelta(hours=2), "X")),
            naive.astype(object),
            pd.Series(naive.to_numpy().astype("M8[D]").astype("M8[s]")),
            naive - naive.iloc[0],  # timedeltas
        ]
    )
    assert_fingerprints_equal(
        aware.dt.tz_convert("Europe/Berlin"), aware.dt.tz_convert(zoneinfo.ZoneInfo("Europe/Berlin"))
    )
    days = pd.date_range("2020-01-01", periods=3)
    assert_fingerprints_differ(
        [pd.Series([1, 2, 3], index=days), pd.Series([1, 2, 3], index=pd.DatetimeIndex(list(days)))]
    )


def test_categoricals_categories_order_and_codes():
    assert_fingerprints_differ(
        [
            pd.Series(pd.Categorical(["a", "b"])),
            pd.Series(pd.Categorical(["a", "b"], categories=["b", "a"])),  # same values, other codes
            pd.Series(pd.Categorical(["a", "b"], categories=["a", "b", "c"])),  # unused category
            pd.Series(pd.Categorical(["a", "b"], ordered=True)),
            pd.Series(pd.Categorical(["b", "a"])),
            pd.Series(pd.Categorical([1, 2])),
            pd.Series(pd.Categorical(["1", "2"])),
            pd.Series(["a", "b"]),
        ]
    )


def test_nullable_arrow_interval_period_and_sparse_columns():
    assert_fingerprints_differ(
        [
            pd.Series([1, None], dtype="Int64"),
            pd.Series([1, 0], dtype="Int64"),
            pd.Series([1, 1], dtype="Int64"),
            pd.Series([1, None], dtype="Int32"),
            pd.Series([1, None], dtype="Float64"),
            pd.Series([1.0, np.nan], dtype="float64"),
            pd.Series([1, None], dtype="int64[pyarrow]"),
            pd.Series([True, None], dtype="boolean"),
            pd.Series([True, False], dtype="boolean"),
            pd.Series([True, None], dtype="bool[pyarrow]"),
            pd.Series(pd.arrays.IntervalArray.from_breaks([0, 1, 2])),
            pd.Series(pd.arrays.IntervalArray.from_breaks([0, 1, 2], closed="left")),
            pd.Series(pd.arrays.IntervalArray.from_breaks([0.0, 1.0, 2.0])),
            pd.Series(pd.period_range("2020-01", periods=2, freq="M")),
            pd.Series(pd.period_range("2020-01", periods=2, freq="2M")),
            pd.Series(pd.arrays.SparseArray([0, 1])),
            pd.Series(pd.arrays.SparseArray([1, 0])),
            pd.Series(pd.arrays.SparseArray([0, 1], fill_value=1)),
            pd.Series(pd.arrays.SparseArray([0, 1], kind="block")),
            pd.Series(pd.arrays.SparseArray([0.0, 1.0])),
        ]
    )
    masked = pd.array([1, 2, 3], dtype="Int64")
    masked[1] = None  # the slot under the mask keeps whatever it held
    assert_fingerprints_equal(pd.Series(masked), pd.Series([1, None, 3], dtype="Int64"))


def test_indexes():
    assert_fingerprints_differ(
        [
            pd.RangeIndex(3),
            pd.RangeIndex(0, 6, 2),
            pd.RangeIndex(3, name="n"),
            pd.Index([0, 1, 2]),
            pd.Index([0, 1, 2], dtype="uint64"),
            pd.Index(["0", "1", "2"]),
            pd.CategoricalIndex(["a", "b", "a"]),
            pd.MultiIndex.from_product([["a", "b"], [1, 2]]),
            pd.MultiIndex.from_product([["a", "b"], [1, 2]], names=["x", "y"]),
            pd.MultiIndex.from_product([["a", "b"], [2, 1]]),
            pd.MultiIndex.from_product([["a", "b"], ["1", "2"]]),
            pd.IntervalIndex.from_breaks([0, 1, 2]),
            pd.date_range("2020", periods=3),
            pd.date_range("2020", periods=3, freq="D", tz="UTC"),
            pd.timedelta_range(0, periods=3),
            pd.period_range("2020", periods=3, freq="D"),
        ]
    )
    assert_fingerprints_equal(pd.RangeIndex(10**12), pd.RangeIndex(0, 10**12))  # never materialised
    multi = pd.MultiIndex.from_product([["a", "b"], [1, 2]])
    assert_fingerprints_equal(multi, multi.copy(), pd.MultiIndex.from_tuples(list(multi)))


def test_series_names_and_types():
    assert_fingerprints_differ(
        [
            pd.Series([1], name="a"),
            pd.Series([1], name="b"),
            pd.Series([1], name=1),
            pd.Series([1], name="1"),
            pd.Series([1], name=None),
            pd.Series([1], name=("a", 1)),
            pd.DataFrame({"a": [1]}),
            pd.Index([1], name="a"),
        ]
    )


def test_frames_nested_in_object_columns_and_containers():
    inner = pd.DataFrame({"a": [1]})
    assert_fingerprints_differ(
        [pd.Series([inner], dtype=object), pd.Series([inner.astype(float)], dtype=object), [inner], (inner,)]
    )
    assert hash_value({"frame": inner}) == hash_value({"frame": inner.copy()})


def test_timestamps_timedeltas_and_periods():
    assert_fingerprints_differ(
        [
            pd.Timestamp("2020-01-01"),
            pd.Timestamp("2020-01-01").as_unit("ns"),
            pd.Timestamp("2020-01-01", tz="UTC"),
            pd.Timestamp("2020-01-01 00:00:00.000000001"),
            datetime.datetime(2020, 1, 1),
            pd.Timedelta(0),
            pd.Timedelta(1, "ns"),
            pd.Timedelta(1, "us"),
            pd.Period("2020-01", freq="M"),
            pd.Period("2020-01-01", freq="D"),
            pd.NaT,
            pd.NA,
        ]
    )


def test_timedeltas_differ_before_any_pandas_value_loaded_the_plugin():
    """pd.Timedelta is a datetime.timedelta: the pandas plugin must answer for it from the first
    value on, not core's microsecond-precision fingerprint of the base class."""
    script = (
        "import pandas as pd; from hamilton.fingerprinting import hash_value; "
        "print(hash_value(pd.Timedelta(1, 'ns')) != hash_value(pd.Timedelta(0)))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True"


def test_timestamp_units_differ_before_any_pandas_value_loaded_the_plugin():
    script = (
        "import pandas as pd; from hamilton.fingerprinting import hash_value; "
        "print(hash_value(pd.Timestamp('2024-01-01').as_unit('s')) != hash_value(pd.Timestamp('2024-01-01')))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True"


def test_values_nothing_can_fingerprint_make_the_frame_unhashable():
    assert hash_value(pd.DataFrame({"a": [object()]})) == fingerprinting.UNHASHABLE
    assert hash_value(pd.Series([object()])) == fingerprinting.UNHASHABLE


SCRIPT = textwrap.dedent(
    """
    import numpy as np, pandas as pd
    from hamilton.fingerprinting import hash_value
    frame = pd.DataFrame(
        {
            "f": [1.5, np.nan, -0.0],
            "o": pd.Series([1, "1", None], dtype=object),
            "s": ["a", None, "c"],
            "c": pd.Categorical(["x", "y", "x"]),
            "t": pd.date_range("2020", periods=3, tz="Europe/Berlin"),
            "n": pd.array([1, None, 3], dtype="Int64"),
        },
        index=pd.MultiIndex.from_tuples([("a", 1), ("a", 2), ("b", 1)], names=["k", 1]),
    )
    frame.attrs["source"] = {"b": 1, "a": [2, 3]}
    print([hash_value(value) for value in (frame, frame["o"], frame.index, pd.Timestamp("2020", tz="UTC"))])
    """
)


def test_fingerprints_are_the_same_in_every_process():
    runs = outputs_of_fresh_processes(SCRIPT)
    namespace: dict = {}
    exec(SCRIPT.replace("print(", "result = ("), namespace)
    assert runs == {f"{namespace['result']}\n"}


# -- properties -----------------------------------------------------------------------------------
DTYPES = ["int64", "int32", "float64", "bool", "object", "category", "Int64", "str", "datetime64[ns]", "datetime64[s]"]
ELEMENTS = {
    "int64": st.integers(0, 2),
    "int32": st.integers(0, 2),
    "float64": st.sampled_from([0.0, -0.0, 1.0, math.nan]),
    "bool": st.booleans(),
    "object": st.sampled_from([0, 1, "0", "1", None, math.nan, 1.0, True]),
    "category": st.sampled_from(["a", "b"]),
    "Int64": st.sampled_from([0, 1, None]),
    "str": st.sampled_from(["", "a", "b", None]),
    "datetime64[ns]": st.sampled_from(["2020-01-01", "2020-01-02", None]),
    "datetime64[s]": st.sampled_from(["2020-01-01", "2020-01-02", None]),
}
LABELS = st.sampled_from(["a", "b", 1, "1"])


@st.composite
def frames(draw, rows=None):
    """Small frames over few values, dtypes, labels and indexes: near-misses are frequent."""
    rows = draw(st.integers(0, 3)) if rows is None else rows
    names = draw(st.lists(LABELS, max_size=3))
    dtypes = [draw(st.sampled_from(DTYPES)) for _ in names]
    index = draw(
        st.sampled_from(
            [
                hpd.range_indexes(min_size=rows, max_size=rows),
                hpd.indexes(elements=st.integers(0, 3), min_size=rows, max_size=rows, dtype="int64"),
                hpd.indexes(elements=st.sampled_from(["0", "1", "2", "3"]), min_size=rows, max_size=rows),
            ]
        )
    )
    columns = [hpd.column(i, elements=ELEMENTS[dtype], dtype=object) for i, dtype in enumerate(dtypes)]
    raw = draw(hpd.data_frames(columns=columns, index=index))  # objects, typed below
    frame = pd.DataFrame(
        {i: pd.Series(raw[i].tolist(), dtype=dtype, index=raw.index) for i, dtype in enumerate(dtypes)},
        index=raw.index,
    )
    frame.columns = pd.Index(names, dtype=object)
    return frame


def mutate(frame, how, draw):
    if how == "copy":
        return frame.copy()
    if how == "astype" and frame.shape[1]:
        i = draw(st.integers(0, frame.shape[1] - 1))
        try:
            column = frame.iloc[:, i].astype(draw(st.sampled_from(DTYPES)))
        except (TypeError, ValueError, OverflowError):
            return frame.copy()
        return pd.concat([frame.iloc[:, :i], column.to_frame(frame.columns[i]), frame.iloc[:, i + 1 :]], axis=1)
    if how == "cell" and frame.size:
        changed = frame.copy()
        i, j = draw(st.integers(0, frame.shape[0] - 1)), draw(st.integers(0, frame.shape[1] - 1))
        dtype = str(changed.dtypes.iloc[j])
        new = draw(ELEMENTS.get(dtype, ELEMENTS["object"]))
        try:
            changed.iloc[i, j] = new
        except (TypeError, ValueError):
            return frame.copy()
        return changed
    if how == "relabel" and frame.shape[1]:
        labels = list(frame.columns)
        labels[draw(st.integers(0, len(labels) - 1))] = draw(LABELS)
        return frame.set_axis(pd.Index(labels, dtype=object), axis=1)
    if how == "reindex":
        return frame.set_axis(draw(frames(rows=len(frame))).index)
    if how == "reverse":
        return frame.iloc[::-1]
    if how == "swap":
        return frame.iloc[:, ::-1]
    return draw(frames())


def key(value):
    """A value with its type; floats by their bits (NaN is NaN, -0.0 is not 0.0)."""
    if isinstance(value, float):
        return (type(value), struct.pack("<d", value))
    if isinstance(value, (list, tuple)):
        return (type(value), tuple(key(item) for item in value))
    return (type(value), value)


def same_index(a, b):
    return (
        type(a) is type(b)
        and str(a.dtype) == str(b.dtype)
        and list(a.names) == list(b.names)
        and [key(v) for v in a.tolist()] == [key(v) for v in b.tolist()]
    )


def identical(a, b):
    """Interchangeable for any node: same types, dtypes, labels, index and values."""
    if type(a) is not type(b) or a.shape != b.shape or not same_index(a.index, b.index):
        return False
    if not same_index(a.columns, b.columns):
        return False
    for i in range(a.shape[1]):
        x, y = a.iloc[:, i], b.iloc[:, i]
        if str(x.dtype) != str(y.dtype) or repr(x.dtype) != repr(y.dtype):
            return False
        if isinstance(x.dtype, pd.CategoricalDtype) and not same_index(x.cat.categories, y.cat.categories):
            return False
        if [key(v) for v in x.tolist()] != [key(v) for v in y.tolist()]:
            return False
    return True


@PROPERTIES
@given(st.data())
def test_no_two_different_frames_share_a_fingerprint(data):
    first = data.draw(frames())
    how = data.draw(st.sampled_from(["other", "copy", "astype", "cell", "relabel", "reindex", "reverse", "swap"]))
    second = mutate(first, how, data.draw)
    equal = identical(first, second)
    event(f"{how}: {'identical' if equal else 'different'}")
    if hash_value(first) == hash_value(second):
        assert equal, (first, second, first.dtypes, second.dtypes)
    if how == "copy":
        assert hash_value(first) == hash_value(second)


@PROPERTIES
@given(hpd.series(elements=st.sampled_from([0.0, -0.0, 1.0, math.nan]), dtype=float), st.data())
def test_no_two_different_float_series_share_a_fingerprint(series, data):
    other = data.draw(hpd.series(elements=st.sampled_from([0.0, -0.0, 1.0, math.nan]), dtype=float))
    same_bits = series.to_numpy().tobytes() == other.to_numpy().tobytes() and series.index.equals(other.index)
    same_bits = same_bits and type(series.index) is type(other.index)
    assert (hash_value(series) == hash_value(other)) == same_bits


# -- through the cache ----------------------------------------------------------------------------
FLOW = """
import pandas as pd

def frame(wide: bool, labelled: bool) -> pd.DataFrame:
    CALLS.append("frame")
    index = ["a", "b"] if labelled else None
    return pd.DataFrame({"x": [100, 120]}, dtype="int64" if wide else "int8", index=index)

def doubled(frame: pd.DataFrame) -> dict:
    CALLS.append("doubled")
    return (frame["x"] * 2).to_dict()
"""


def test_the_cache_recomputes_when_a_frame_differs_only_in_dtype_or_index(tmp_path):
    pytest.importorskip("hamilton.caching")
    flow = module_from_source("CALLS = []\n" + FLOW, "pandas_fingerprint_cache_flow")
    dr = driver.Builder().with_modules(flow).with_cache(path=tmp_path).build()

    def run(wide, labelled):
        flow.CALLS.clear()
        return dr.execute(["doubled"], inputs={"wide": wide, "labelled": labelled})["doubled"]

    assert run(True, False) == {0: 200, 1: 240}
    assert run(False, False) == {0: -56, 1: -16}  # int8 wraps: only the dtype changed
    assert flow.CALLS == ["frame", "doubled"]
    assert run(False, True) == {"a": -56, "b": -16}  # only the index changed
    assert flow.CALLS == ["frame", "doubled"]
    assert run(True, False) == {0: 200, 1: 240}
    assert flow.CALLS == []  # every version stays cached under its own fingerprint
