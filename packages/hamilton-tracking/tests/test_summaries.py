"""Result summaries: short, never raising, whatever a node returns."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hamilton import driver
from hamilton.plugins.tracking import LocalTracker, TrackingStore
from hamilton.plugins.tracking.summaries import REPR_LIMIT, summarize


class BrokenRepr:
    def __repr__(self) -> str:
        raise RuntimeError("repr exploded")


class BrokenLen:
    def __len__(self) -> int:
        raise RuntimeError("len exploded")


class Shaped:
    shape = (3, 4)


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text() | st.binary(),
    lambda inner: st.lists(inner, max_size=20) | st.dictionaries(st.text(max_size=5), inner, max_size=20),
    max_leaves=200,
)


@given(values)
def test_any_value_has_a_short_summary(value):
    summary = summarize(value)
    assert isinstance(summary["type"], str)
    assert summary["type"]
    assert len(summary["repr"]) <= REPR_LIMIT + 40
    if isinstance(value, (list, dict, str, bytes)):
        assert summary["size"] == f"len {len(value)}"


def test_summaries_of_awkward_values():
    assert summarize(BrokenRepr())["repr"].startswith("<BrokenRepr instance at ")
    assert summarize(BrokenLen())["size"] is None
    assert summarize(Shaped())["size"] == "shape (3, 4)"
    assert summarize(Shaped())["type"] == f"{__name__}.Shaped"
    assert summarize({"b": 1, "a": 2})["repr"] == "{'b': 1, 'a': 2}"  # insertion order kept
    long = summarize("x" * 10_000)
    assert long["size"] == "len 10000"
    assert len(long["repr"]) < 200


def broken() -> BrokenRepr:
    return BrokenRepr()


def test_a_node_returning_an_unprintable_value_is_tracked(tmp_path):
    dr = driver.Builder().with_functions(broken).with_adapters(LocalTracker(path=tmp_path)).build()
    assert isinstance(dr.execute(["broken"])["broken"], BrokenRepr)
    store = TrackingStore(tmp_path)
    [node] = store.run(store.runs()[0].run_id).nodes
    assert node.status == "success"
    assert node.result.repr.startswith("<BrokenRepr instance")
