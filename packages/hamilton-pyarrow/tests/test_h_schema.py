"""SchemaValidator through driver runs: capture, storage, change detection, broken files."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap

import narwhals.stable.v1 as nw
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hamilton import driver
from hamilton.function_modifiers import config
from hamilton.plugins import h_schema
from hamilton.plugins.testing import AdapterContract


def run(tmp_path, *functions, final_vars=None, inputs=None, **options):
    """Execute ``functions`` with a fresh SchemaValidator on ``tmp_path``; return it."""
    validator = h_schema.SchemaValidator(schema_dir=tmp_path, **options)
    dr = driver.Builder().with_functions(*functions).with_adapters(validator).build()
    names = final_vars or [functions[-1].__name__]
    dr.execute(names, inputs=inputs or {})
    return validator


def orders_node(columns: dict):
    """A node named ``orders`` returning a pandas frame with ``columns`` (name -> values)."""

    def orders() -> pd.DataFrame:
        """Orders of the day."""
        return pd.DataFrame(columns)

    return orders


# -- capture ------------------------------------------------------------------------------------


def test_pandas_frame_schema_is_written_with_node_metadata(tmp_path):
    def orders() -> pd.DataFrame:
        """Orders of the day."""
        return pd.DataFrame({"id": [1, 2], "amount": [1.5, 2.0], "paid": [True, False]})

    def count(orders: pd.DataFrame) -> int:
        return len(orders)

    validator = run(tmp_path, orders, count, final_vars=["count"])

    stored = h_schema.load_schema(tmp_path / "orders.schema")
    expected = pa.schema([("id", pa.int64()), ("amount", pa.float64()), ("paid", pa.bool_())])
    assert stored.equals(expected)
    assert stored.metadata[b"name"] == b"orders"
    assert stored.metadata[b"documentation"] == b"Orders of the day."
    assert len(stored.metadata[b"version"]) == 64  # the code version, a sha256
    assert validator.schemas["orders"].equals(stored, check_metadata=True)
    assert not (tmp_path / "count.schema").exists()  # ints have no schema
    as_json = json.loads((tmp_path / "schemas.json").read_text())
    assert as_json["orders"]["amount"] == {"name": "amount", "type": "double", "nullable": True, "metadata": {}}
    assert as_json == validator.json_schemas


def test_polars_frame_and_lazyframe_schemas(tmp_path):
    def eager() -> pl.DataFrame:
        return pl.DataFrame({"a": [1, 2], "b": ["x", "y"]})

    def lazy(eager: pl.DataFrame) -> pl.LazyFrame:
        return eager.lazy().with_columns(c=pl.col("a") * 2.5)

    validator = run(tmp_path, eager, lazy, final_vars=["eager", "lazy"])
    assert validator.schemas["eager"].field("a").type == pa.int64()
    assert pa.types.is_string(validator.schemas["eager"].field("b").type) or pa.types.is_large_string(
        validator.schemas["eager"].field("b").type
    )
    assert validator.schemas["lazy"].names == ["a", "b", "c"]
    assert validator.schemas["lazy"].field("c").type == pa.float64()
    assert (tmp_path / "lazy.schema").exists()


def test_pyarrow_table_and_narwhals_frame_schemas(tmp_path):
    def table() -> pa.Table:
        return pa.table({"when": pa.array([1, 2], pa.timestamp("ms", tz="UTC")), "n": pa.array([1, None], pa.int32())})

    def wrapped() -> nw.DataFrame:
        return nw.from_native(pd.DataFrame({"x": [1.0, 2.0]}), eager_only=True)

    validator = run(tmp_path, table, wrapped, final_vars=["table", "wrapped"])
    assert (
        validator.schemas["table"]
        .remove_metadata()
        .equals(pa.schema([("when", pa.timestamp("ms", tz="UTC")), ("n", pa.int32())]))
    )
    assert validator.schemas["wrapped"].field("x").type == pa.float64()


def test_input_frames_are_recorded(tmp_path):
    def total(raw: pd.DataFrame) -> float:
        return float(raw["v"].sum())

    validator = run(tmp_path, total, inputs={"raw": pd.DataFrame({"v": [1.0, 2.0]})})
    assert validator.schemas["raw"].field("v").type == pa.float64()
    assert (tmp_path / "raw.schema").exists()


def test_namespaced_node_names_get_their_own_files(tmp_path):
    from hamilton.function_modifiers import subdag

    def frame(n: int) -> pd.DataFrame:
        return pd.DataFrame({"v": list(range(n))})

    @subdag(frame, inputs={}, config={})
    def left(frame: pd.DataFrame) -> pd.DataFrame:
        return frame

    @subdag(frame, inputs={}, config={})
    def right(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.assign(w=1.0)

    run(tmp_path, left, right, final_vars=["left", "right"], inputs={"n": 2})
    assert h_schema.load_schema(tmp_path / "left.frame.schema").names == ["v"]
    assert h_schema.load_schema(tmp_path / "right.frame.schema").names == ["v"]
    assert h_schema.load_schema(tmp_path / "right.schema").names == ["v", "w"]


# -- change detection ---------------------------------------------------------------------------

BEFORE = {"id": [1, 2], "amount": [1.5, 2.0]}


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        ({**BEFORE, "paid": [True, False]}, {"paid": "+"}),
        ({"id": [1, 2]}, {"amount": "-"}),
        ({"id": [1.0, 2.0], "amount": [1.5, 2.0]}, {"id": {"type": {"cur": "double", "ref": "int64"}}}),
    ],
    ids=["added", "removed", "retyped"],
)
def test_changes_warn_by_default(tmp_path, caplog, after, expected):
    run(tmp_path, orders_node(BEFORE))
    with caplog.at_level(logging.WARNING, logger="hamilton.plugins.h_schema"):
        validator = run(tmp_path, orders_node(after))
    assert h_schema.human_readable_diff(validator.schema_diffs["orders"]) == expected
    (record,) = [r for r in caplog.records if r.name == "hamilton.plugins.h_schema"]
    message = record.getMessage()
    assert "orders" in message
    assert "orders.schema" in message
    assert json.loads(message.partition(":\n")[2]) == {"orders": expected}
    # warning only: the stored reference is kept
    assert h_schema.load_schema(tmp_path / "orders.schema").names == ["id", "amount"]


@pytest.mark.parametrize(
    ("after", "shown"),
    [
        ({**BEFORE, "paid": [True, False]}, '"paid": "+"'),
        ({"id": [1, 2]}, '"amount": "-"'),
        ({"id": [1.0, 2.0], "amount": [1.5, 2.0]}, '"cur": "double"'),
    ],
    ids=["added", "removed", "retyped"],
)
def test_changes_fail_the_run_with_importance_fail(tmp_path, after, shown):
    run(tmp_path, orders_node(BEFORE))

    def downstream(orders: pd.DataFrame) -> int:
        raise AssertionError("must not run: the schema check stops the run first")

    with pytest.raises(RuntimeError) as raised:
        run(tmp_path, orders_node(after), downstream, importance="fail")
    message = str(raised.value)
    assert "'orders'" in message
    assert shown in message
    assert "check=False" in message
    assert str(tmp_path / "orders.schema") in message


def test_unchanged_schema_passes_and_reordering_is_not_a_change(tmp_path):
    run(tmp_path, orders_node(BEFORE))
    validator = run(tmp_path, orders_node({"amount": [9.0], "id": [7]}), importance="fail")
    assert validator.schema_diffs == {}
    assert validator.reference_schemas["orders"].names == ["id", "amount"]


def test_check_false_accepts_the_new_schema(tmp_path):
    run(tmp_path, orders_node(BEFORE))
    run(tmp_path, orders_node({"id": [1, 2]}), check=False)
    assert h_schema.load_schema(tmp_path / "orders.schema").names == ["id"]
    assert run(tmp_path, orders_node({"id": [3]}), importance="fail").schema_diffs == {}


def test_must_exist_raises_for_a_missing_schema(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"orders\.schema.*check=False"):
        run(tmp_path, orders_node(BEFORE), must_exist=True)
    assert not (tmp_path / "orders.schema").exists()


def test_metadata_changes_only_count_when_asked(tmp_path):
    def orders() -> pd.DataFrame:
        """Version one."""
        return pd.DataFrame(BEFORE)

    run(tmp_path, orders)

    def orders() -> pd.DataFrame:
        """Version two."""
        return pd.DataFrame(BEFORE)

    assert run(tmp_path, orders, importance="fail").schema_diffs == {}
    validator = run(tmp_path, orders, check_schema_metadata=True)
    readable = h_schema.human_readable_diff(validator.schema_diffs["orders"])
    assert readable[h_schema.SCHEMA_METADATA_FIELD]["documentation"] == {
        "cur": "Version two.",
        "ref": "Version one.",
    }


def test_config_selected_implementations_are_compared(tmp_path):
    @config.when(version="1")
    def orders__v1() -> pd.DataFrame:
        return pd.DataFrame(BEFORE)

    @config.when(version="2")
    def orders__v2() -> pd.DataFrame:
        return pd.DataFrame({**BEFORE, "amount": ["1.5", "2.0"]})

    for version in ("1", "2"):
        validator = h_schema.SchemaValidator(schema_dir=tmp_path)
        dr = (
            driver.Builder()
            .with_config({"version": version})
            .with_functions(orders__v1, orders__v2)
            .with_adapters(validator)
            .build()
        )
        dr.execute(["orders"])
    assert set(h_schema.human_readable_diff(validator.schema_diffs["orders"])) == {"amount"}


def test_bad_importance_is_rejected(tmp_path):
    with pytest.raises(ValueError, match="'warn' or 'fail'"):
        h_schema.SchemaValidator(schema_dir=tmp_path, importance="error")


# -- files --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [b"", b"not an arrow schema at all", b"truncated"],
    ids=["empty", "garbage", "short"],
)
def test_corrupt_schema_file_names_the_file_and_the_fix(tmp_path, content):
    if content == b"truncated":
        content = pa.schema([("id", pa.int64()), ("amount", pa.float64())]).serialize().to_pybytes()[:40]
    (tmp_path / "orders.schema").write_bytes(content)
    with pytest.raises(h_schema.SchemaFileError) as raised:
        run(tmp_path, orders_node(BEFORE))
    message = str(raised.value)
    assert str(tmp_path / "orders.schema") in message
    assert "Delete it" in message
    assert "check=False" in message
    assert isinstance(raised.value, pa.ArrowInvalid)  # what 1.x callers caught
    # the remedy works
    run(tmp_path, orders_node(BEFORE), check=False)
    assert run(tmp_path, orders_node(BEFORE), importance="fail").schema_diffs == {}


def test_writes_leave_no_temporary_files(tmp_path):
    for _ in range(3):
        run(tmp_path, orders_node(BEFORE), check=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["orders.schema", "schemas.json"]


CRASHING_WRITER = textwrap.dedent(
    """
    import sys
    import pyarrow as pa
    from hamilton.plugins import h_schema

    path = sys.argv[1]
    # A large schema (many columns, megabytes of metadata) so that a write takes a while.
    big = {"blob": "x" * 4_000_000}
    schemas = [
        pa.schema([(f"c{i}_{k}", pa.int64()) for i in range(2000)], metadata={**big, "k": str(k)})
        for k in range(2)
    ]
    h_schema.save_schema(path, schemas[0])
    print("ready", flush=True)
    k = 0
    while True:
        k += 1
        h_schema.save_schema(path, schemas[k % 2])
    """
)


@pytest.mark.parametrize("attempt", range(3))
def test_a_crash_while_writing_never_leaves_a_partial_schema(tmp_path, attempt):
    path = tmp_path / "orders.schema"
    writer = subprocess.Popen([sys.executable, "-c", CRASHING_WRITER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "ready"
        # let it overwrite the file many times, then kill it wherever it is
        for _ in range(20 + 15 * attempt):
            h_schema.load_schema(path)  # readers never see a partial file either
    finally:
        writer.kill()
        writer.wait()
    schema = h_schema.load_schema(path)
    assert len(schema.names) == 2000
    assert schema.metadata[b"k"] in (b"0", b"1")


# -- the adapter contract -------------------------------------------------------------------------


class TestSchemaValidatorContract(AdapterContract):
    @pytest.fixture(autouse=True)
    def _folder(self, tmp_path):
        self.folder = tmp_path

    def make_adapter(self):
        return h_schema.SchemaValidator(schema_dir=self.folder / "schemas")


# -- round trips --------------------------------------------------------------------------------

_names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)
_metadata = st.dictionaries(_names, st.text(max_size=20), max_size=3)
_types = st.sampled_from(
    [
        pa.int8(),
        pa.int64(),
        pa.uint32(),
        pa.float32(),
        pa.float64(),
        pa.bool_(),
        pa.string(),
        pa.large_string(),
        pa.binary(),
        pa.date32(),
        pa.timestamp("us"),
        pa.timestamp("ns", tz="Europe/Paris"),
        pa.decimal128(12, 3),
        pa.list_(pa.int32()),
        pa.struct([("x", pa.float64()), ("y", pa.string())]),
        pa.dictionary(pa.int8(), pa.string()),
    ]
)
_fields = st.builds(
    lambda name, type_, nullable, metadata: pa.field(name, type_, nullable, metadata or None),
    _names,
    _types,
    st.booleans(),
    _metadata,
)
_schemas = st.builds(
    lambda fields, metadata: pa.schema(fields, metadata=metadata or None),
    st.lists(_fields, max_size=8, unique_by=lambda f: f.name),
    _metadata,
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(schema=_schemas)
def test_schema_files_round_trip(tmp_path, schema):
    path = tmp_path / "s.schema"
    h_schema.save_schema(path, schema)
    loaded = h_schema.load_schema(path)
    assert loaded.equals(schema, check_metadata=True)
    assert h_schema.diff_schemas(loaded, schema, check_schema_metadata=True, check_field_metadata=True) == {}
    as_json = h_schema.pyarrow_schema_to_json(loaded)
    assert json.loads(json.dumps(as_json)) == as_json


@settings(max_examples=150)
@given(schema=_schemas, extra=_fields, data=st.data())
def test_diffs_report_exactly_what_changed(schema, extra, data):
    if extra.name in schema.names:
        return
    grown = schema.append(extra)
    assert h_schema.human_readable_diff(h_schema.diff_schemas(grown, schema)) == {extra.name: "+"}
    assert h_schema.human_readable_diff(h_schema.diff_schemas(schema, grown)) == {extra.name: "-"}
    if schema.names:
        index = data.draw(st.integers(0, len(schema.names) - 1))
        old = schema.field(index)
        new_type = data.draw(_types.filter(lambda t: str(t) != str(old.type)))
        changed = schema.set(index, old.with_type(new_type))
        readable = h_schema.human_readable_diff(h_schema.diff_schemas(changed, schema))
        assert readable == {old.name: {"type": {"cur": str(new_type), "ref": str(old.type)}}}
        flipped = schema.set(index, old.with_nullable(not old.nullable))
        readable = h_schema.human_readable_diff(h_schema.diff_schemas(flipped, schema))
        assert readable == {old.name: {"nullable": {"cur": not old.nullable, "ref": old.nullable}}}


_column_values = {
    "int": st.lists(st.integers(-(2**40), 2**40), min_size=3, max_size=3),
    "float": st.lists(st.floats(allow_nan=True), min_size=3, max_size=3),
    "bool": st.lists(st.booleans(), min_size=3, max_size=3),
    "str": st.lists(st.text(max_size=5), min_size=3, max_size=3),
}


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    columns=st.dictionaries(
        st.from_regex(r"[a-z]{1,6}", fullmatch=True),
        st.sampled_from(sorted(_column_values)).flatmap(lambda kind: _column_values[kind]),
        min_size=1,
        max_size=5,
    ),
    library=st.sampled_from(["pandas", "polars"]),
)
def test_driver_runs_record_what_the_library_reports(tmp_path, columns, library):
    folder = tmp_path / f"run{len(os.listdir(tmp_path))}"

    def frame() -> object:
        return pd.DataFrame(columns) if library == "pandas" else pl.DataFrame(columns)

    first = run(folder, frame)
    second = run(folder, frame, importance="fail")  # same data again: no change
    expected = (
        pa.Schema.from_pandas(pd.DataFrame(columns), preserve_index=False)
        if library == "pandas"
        else pl.DataFrame(columns).to_arrow().schema
    )
    assert h_schema.load_schema(folder / "frame.schema").remove_metadata().equals(expected)
    assert first.schemas["frame"].equals(second.schemas["frame"], check_metadata=True)
    assert second.schema_diffs == {}
