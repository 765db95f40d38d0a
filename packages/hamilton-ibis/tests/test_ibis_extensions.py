"""hamilton-ibis through the public API: driver runs on ibis tables, executed on duckdb in memory."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hamilton import driver, plugins
from hamilton.data_quality.base import DataValidationError, ValidationResult
from hamilton.function_modifiers import (
    ParameterizedExtract,
    check_output,
    extract_columns,
    parameterize_extract_columns,
    value,
)
from hamilton.function_modifiers.base import InvalidDecoratorException
from hamilton.plugins.testing import DataFrameBackendContract, IntegrationContract


@pytest.fixture
def con():
    connection = ibis.duckdb.connect()  # in memory
    yield connection
    connection.disconnect()


def make_table(con, name: str, data: dict[str, list], schema: dict[str, str]) -> ir.Table:
    """A duckdb table holding ``data`` (create + insert: the way that works across ibis/sqlglot versions)."""
    con.create_table(name, schema=ibis.schema(schema))
    con.insert(name, pa.table(data))
    return con.table(name)


def values_of(column: ir.Column) -> list:
    return column.to_pyarrow().to_pylist()


def rows_of(table: ir.Table) -> dict[str, list]:
    return table.to_pyarrow().to_pydict()


# -- extract_columns ---------------------------------------------------------------------------


def test_extract_columns_gives_typed_lazy_column_nodes(con):
    make_table(con, "people", {"name": ["ada", "bob", "cy"], "age": [36, 41, 29]}, {"name": "string", "age": "int64"})

    @extract_columns("name", "age")
    def people() -> ir.Table:
        return con.table("people")

    def older(age: ir.Column) -> ir.Column:
        return age + 10

    def report(people: ir.Table, older: ir.Column) -> ir.Table:
        return people.mutate(older=older)

    dr = driver.Builder().with_functions(people, older, report).build()
    types = {variable.name: variable.type for variable in dr.list_available_variables()}
    assert types["name"] is ir.Column
    assert types["age"] is ir.Column
    assert types["people"] is ir.Table

    result = dr.execute(["age", "older", "report"])
    # nothing ran on duckdb yet: the outputs are expressions
    assert all(isinstance(result[name], ir.Expr) for name in ("age", "older", "report"))
    assert values_of(result["older"]) == [46, 51, 39]
    assert rows_of(result["report"]) == {"name": ["ada", "bob", "cy"], "age": [36, 41, 29], "older": [46, 51, 39]}


def test_column_docstrings_and_tags_follow_the_table_node():
    @extract_columns("a", ("b", "The b column."))
    def table() -> ir.Table:
        """The table."""
        return ibis.memtable({"a": [1], "b": [2]})

    dr = driver.Builder().with_functions(table).build()
    docs = {variable.name: variable.documentation for variable in dr.list_available_variables()}
    assert docs["a"] == "The table."
    assert docs["b"] == "The b column."


def test_fill_with_adds_missing_columns_as_literals_without_changing_the_source():
    source = ibis.memtable({"a": [1, 2, 3]})

    @extract_columns("a", "flag", "label", fill_with=0)
    def table() -> ir.Table:
        return source

    dr = driver.Builder().with_functions(table).build()
    result = dr.execute(["table", "a", "flag", "label"])
    assert values_of(result["flag"]) == [0, 0, 0]
    assert values_of(result["label"]) == [0, 0, 0]
    assert list(result["table"].columns) == ["a", "flag", "label"]
    assert list(source.columns) == ["a"]


def test_fill_with_a_string_literal():
    @extract_columns("a", "unit", fill_with="kg")
    def table() -> ir.Table:
        return ibis.memtable({"a": [1, 2]})

    result = driver.Builder().with_functions(table).build().execute(["unit"])
    assert values_of(result["unit"]) == ["kg", "kg"]


def test_a_missing_column_fails_naming_column_node_and_function():
    @extract_columns("a", "nope")
    def table() -> ir.Table:
        return ibis.memtable({"a": [1], "b": [2]})

    dr = driver.Builder().with_functions(table).build()
    with pytest.raises(InvalidDecoratorException) as info:
        dr.execute(["nope"])
    message = str(info.value)
    assert "nope" in message
    assert "table" in message
    assert "['a', 'b']" in message
    assert "test_a_missing_column_fails_naming_column_node_and_function" in message  # the function


def test_extract_columns_on_a_column_return_type_is_rejected_naming_the_function():
    with pytest.raises(InvalidDecoratorException, match="returns_a_column"):

        @extract_columns("a")
        def returns_a_column() -> ir.Column:
            return ibis.memtable({"a": [1]}).a


def test_parameterize_extract_columns_renames_positionally():
    @parameterize_extract_columns(
        ParameterizedExtract(("low_a", "low_b"), {"offset": value(0)}),
        ParameterizedExtract(("high_a", "high_b"), {"offset": value(100)}),
    )
    def shifted(offset: int) -> ir.Table:
        table = ibis.memtable({"a": [1, 2], "b": [3, 4]})
        return table.mutate(a=table.a + offset, b=table.b + offset)

    result = driver.Builder().with_functions(shifted).build().execute(["low_a", "high_b"])
    assert values_of(result["low_a"]) == [1, 2]
    assert values_of(result["high_b"]) == [103, 104]


identifiers = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(identifiers, min_size=1, max_size=5, unique=True).flatmap(
        lambda names: st.tuples(
            st.just(names),
            st.lists(
                st.tuples(*[st.one_of(st.none(), st.integers(-(2**62), 2**62)) for _ in names]),
                min_size=1,
                max_size=20,
            ),
        )
    )
)
def test_every_column_comes_back_as_it_went_in(case):
    names, rows = case
    data = {name: [row[index] for row in rows] for index, name in enumerate(names)}
    arrow = pa.table({name: pa.array(column, type=pa.int64()) for name, column in data.items()})

    @extract_columns(*names)
    def frame() -> ir.Table:
        return ibis.memtable(arrow)

    result = driver.Builder().with_functions(frame).build().execute(names)
    assert {name: values_of(result[name]) for name in names} == data


# -- @check_output(schema=...) ----------------------------------------------------------------


def _table() -> ir.Table:
    return ibis.memtable({"a": [1, 2, 3], "b": ["x", "y", "z"]})


def test_schema_check_passes_for_an_equal_schema():
    @check_output(schema=ibis.schema({"a": "int64", "b": "string"}), importance="fail")
    def checked() -> ir.Table:
        return _table()

    result = driver.Builder().with_functions(checked).build().execute(["checked", "checked_schema_validator"])
    assert isinstance(result["checked"], ir.Table)
    outcome = result["checked_schema_validator"]
    assert isinstance(outcome, ValidationResult)
    assert outcome.passes
    assert outcome.message == "Data passes Ibis schema check"


def test_schema_check_takes_a_plain_mapping():
    @check_output(schema={"a": "int64", "b": "string"}, importance="fail")
    def checked() -> ir.Table:
        return _table()

    result = driver.Builder().with_functions(checked).build().execute(["checked_schema_validator"])
    assert result["checked_schema_validator"].passes


@pytest.mark.parametrize(
    ("schema", "said"),
    [
        ({"a": "int32", "b": "string"}, "a is int64, expected int32"),
        ({"a": "int64"}, "unexpected columns ['b']"),
        ({"a": "int64", "b": "string", "c": "float64"}, "missing columns ['c']"),
        ({"b": "string", "a": "int64"}, "another order"),
    ],
)
def test_schema_check_failure_names_node_and_difference(schema, said):
    @check_output(schema=ibis.schema(schema), importance="fail")
    def checked() -> ir.Table:
        return _table()

    dr = driver.Builder().with_functions(checked).build()
    with pytest.raises(DataValidationError) as info:
        dr.execute(["checked"])
    message = str(info.value)
    assert "checked" in message
    assert "Data failed Ibis schema check" in message
    assert said in message


def test_schema_check_warns_without_failing(caplog):
    @check_output(schema=ibis.schema({"a": "string"}), importance="warn")
    def checked() -> ir.Table:
        return _table()

    result = driver.Builder().with_functions(checked).build().execute(["checked", "checked_schema_validator"])
    assert not result["checked_schema_validator"].passes
    assert isinstance(result["checked"], ir.Table)
    assert "Data failed Ibis schema check" in caplog.text


def test_a_schema_ibis_cannot_read_is_rejected_with_what_to_pass():
    with pytest.raises(Exception, match=r"ibis\.Schema") as info:

        @check_output(schema=["not", "a", "schema"], importance="fail")
        def checked() -> ir.Table:
            return _table()

        driver.Builder().with_functions(checked).build()
    assert "ibis.schema(" in str(info.value) or "ibis.Schema" in str(info.value)


def test_the_schema_check_never_executes_the_table(con):
    table = make_table(con, "t", {"a": [1, 2]}, {"a": "int64"})
    con.raw_sql("DROP TABLE t")  # executing `table` would fail now; its schema is still known
    with pytest.raises(Exception, match="t"):
        table.to_pyarrow()

    @check_output(schema=ibis.schema({"a": "int64"}), importance="fail")
    def checked() -> ir.Table:
        return table

    result = driver.Builder().with_functions(checked).build().execute(["checked_schema_validator"])
    assert result["checked_schema_validator"].passes


# -- the column backend ---------------------------------------------------------------------


class TestIbisBackendContract(DataFrameBackendContract):
    def make_backend(self):
        return plugins.dataframe_backend(ir.Table)

    def make_frame(self):
        return ibis.memtable({"a": [1, 2, 3], "b": [4, 5, 6]})

    def as_list(self, column):
        return values_of(column)


def test_schema_capture_names_types_like_the_other_backends():
    backend = plugins.dataframe_backend(ir.Table)
    table = ibis.memtable(
        {"i": [1], "f": [1.5], "s": ["x"], "t": [True]},
        schema=ibis.schema({"i": "int64", "f": "float64", "s": "string", "t": "boolean"}),
    )
    assert backend.schema(table) == {"i": "int64", "f": "float64", "s": "str", "t": "bool"}
    assert backend.schema(ibis.memtable({"l": [[1]]}, schema={"l": "array<int64>"})) == {"l": "array<int64>"}


def test_a_value_that_cannot_be_a_column_is_refused_with_its_name():
    backend = plugins.dataframe_backend(ir.Table)
    with pytest.raises(TypeError, match="'c'"):
        backend.with_columns(ibis.memtable({"a": [1]}), {"c": object()})


# -- 1.x's module ---------------------------------------------------------------------------


def test_1x_module_names():
    from hamilton.plugins import ibis_extensions

    assert ibis_extensions.DATAFRAME_TYPE is ir.Table
    assert ibis_extensions.COLUMN_TYPE is ir.Column
    table = _table()
    assert values_of(ibis_extensions.get_column_ibis(table, "a")) == [1, 2, 3]
    filled = ibis_extensions.fill_with_scalar_ibis(table, "c", 1.5)
    assert values_of(filled.c) == [1.5, 1.5, 1.5]
    assert list(table.columns) == ["a", "b"]
    validator = ibis_extensions.SchemaValidatorIbis(schema=ibis.schema({"a": "int64"}), importance="warn")
    assert validator.name() == "schema_validator"
    assert validator.arg() == "schema"
    assert ibis_extensions.SchemaValidatorIbis.applies_to(ir.Table)
    assert not ibis_extensions.SchemaValidatorIbis.applies_to(ir.Column)
    ibis_extensions.register_types()  # harmless, twice too
    ibis_extensions.register_validators()


def _run(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )


def test_importing_by_hand_registers_when_autoloading_is_off():
    code = """
        import ibis, ibis.expr.types as ir
        from hamilton import driver
        from hamilton.function_modifiers import extract_columns
        from hamilton.function_modifiers.base import InvalidDecoratorException

        def table() -> ir.Table:
            return ibis.memtable({"a": [1, 2]})

        try:
            extract_columns("a")(table)
        except InvalidDecoratorException:
            print("unknown before the import")
        import hamilton.plugins.ibis_extensions  # 1.x's way
        dr = driver.Builder().with_functions(extract_columns("a")(table)).build()
        print(dr.execute(["a"])["a"].to_pyarrow().to_pylist())
    """
    done = _run(code, HAMILTON_AUTOLOAD_EXTENSIONS="0")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["unknown before the import", "[1, 2]"]


class TestIbisIntegration(IntegrationContract):
    library = "ibis"
    extra = "ibis"
    modules = ("hamilton.plugins.ibis_extensions",)
    entry_point = "ibis"
