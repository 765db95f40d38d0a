"""Core's dataframe decorator scenarios (extract_columns, parameterize_extract_columns,
with_columns, schema.output) run on real frames, once per library (see conftest.py).

No ``from __future__ import annotations`` here: the functions below are annotated with the
fixture's types, which must be evaluated where they are defined.
"""

import asyncio

import pytest

from hamilton import driver, plugins
from hamilton.function_modifiers import (
    ParameterizedExtract,
    base,
    config,
    extract_columns,
    parameterize_extract_columns,
    schema,
    source,
    value,
)

InvalidDecoratorException = base.InvalidDecoratorException


def nodes_of(fn, cfg=None):
    return {n.name: n for n in base.resolve_nodes(fn, cfg or {})}


def build(*functions, cfg=None):
    return driver.Builder().with_functions(*functions).with_config(cfg or {}).build()


def execute(*functions, outputs, inputs=None, cfg=None):
    return build(*functions, cfg=cfg).execute(outputs, inputs=inputs or {})


# -- extract_columns -------------------------------------------------------------------------


def _frame_fn(library):
    def df(a: int) -> library.DataFrame:
        """The frame."""
        return library.frame({"x": [a, 2], "y": [3, 4]})

    return df


def test_extract_columns_adds_one_column_typed_node_per_column(library):
    nodes = nodes_of(extract_columns("x", ("y", "Column y."))(_frame_fn(library)))
    assert list(nodes) == ["df", "x", "y"]
    assert (nodes["df"].type, nodes["x"].type, nodes["y"].type) == (library.DataFrame, library.Series, library.Series)
    assert (nodes["x"].documentation, nodes["y"].documentation) == ("The frame.", "Column y.")


def test_extract_columns_values_through_the_driver(library):
    result = execute(extract_columns("x", "y")(_frame_fn(library)), outputs=["x", "y", "df"], inputs={"a": 1})
    assert isinstance(result["x"], library.Series)
    assert (library.to_list(result["x"]), library.to_list(result["y"])) == ([1, 2], [3, 4])
    assert library.to_dict(result["df"]) == {"x": [1, 2], "y": [3, 4]}


def test_extract_columns_missing_column_fails_at_run_time(library):
    fn = extract_columns("x", "zz")(_frame_fn(library))
    with pytest.raises(
        InvalidDecoratorException, match=r"No such column: zz produced by df\. It only produced \['x', 'y'\]"
    ):
        execute(fn, outputs=["zz"], inputs={"a": 1})


def test_extract_columns_fill_with_adds_missing_columns(library):
    result = execute(extract_columns("x", "zz", fill_with=0)(_frame_fn(library)), outputs=["zz", "df"], inputs={"a": 1})
    assert library.to_list(result["zz"]) == [0, 0]
    assert library.to_dict(result["df"]) == {"x": [1, 2], "y": [3, 4], "zz": [0, 0]}


def test_extract_columns_does_not_change_the_frame_it_fills(library):
    original = library.frame({"x": [1]})

    def df() -> library.DataFrame:
        return original

    execute(extract_columns("x", "zz", fill_with=0)(df), outputs=["zz"])
    assert list(original.columns) == ["x"]


def test_extract_columns_rejects_a_type_no_backend_handles(library):
    def f(a: int) -> dict:
        return {}

    with pytest.raises(InvalidDecoratorException, match=r"does not output a type we know about"):
        extract_columns("x")(f)


def test_extract_columns_supports_async_functions(library):
    async def df(a: int) -> library.DataFrame:
        return library.frame({"x": [a]})

    nodes = nodes_of(extract_columns("x", "q", fill_with=5)(df))
    frame = asyncio.run(nodes["df"].callable(a=3))
    assert library.to_dict(frame) == {"x": [3], "q": [5]}
    assert library.to_list(nodes["q"](df=frame)) == [5]


def test_extract_columns_composes_with_config_when(library):
    @extract_columns("x")
    @config.when(kind="t")
    def df__t(a: int) -> library.DataFrame:
        return library.frame({"x": [a]})

    assert list(nodes_of(df__t, {"kind": "t"})) == ["df", "x"]
    result = execute(df__t, outputs=["x"], inputs={"a": 4}, cfg={"kind": "t"})
    assert library.to_list(result["x"]) == [4]


# -- parameterize_extract_columns ------------------------------------------------------------


def _wide_fn(library):
    def df(a: int, b: int, c: int = 5) -> library.DataFrame:
        """Frame from {a}, as {output_name}."""
        return library.frame({"p": [a], "q": [b], "r": [c]})

    return df


def test_parameterize_extract_columns_renames_columns_positionally(library):
    fn = parameterize_extract_columns(
        ParameterizedExtract(("x1", "y1", "z1"), {"a": source("s1"), "b": value(2)}),
        ParameterizedExtract(("x2", "y2", "z2"), {"a": value(10)}),
    )(_wide_fn(library))
    nodes = nodes_of(fn)
    assert (nodes["df__0"].type, nodes["x1"].type) == (library.DataFrame, library.Series)
    result = execute(fn, outputs=["x1", "y1", "z2", "df__0"], inputs={"s1": 7, "b": 3})
    assert [library.to_list(result[name]) for name in ("x1", "y1", "z2")] == [[7], [2], [5]]
    assert library.to_dict(result["df__0"]) == {"x1": [7], "y1": [2], "z1": [5]}


def test_parameterize_extract_columns_without_reassigning_extracts_by_name(library):
    fn = parameterize_extract_columns(
        ParameterizedExtract(("r", "p"), {"a": source("s1"), "b": value(2)}), reassign_columns=False
    )(_wide_fn(library))
    result = execute(fn, outputs=["r", "p", "df__0"], inputs={"s1": 7})
    assert (library.to_list(result["r"]), library.to_list(result["p"])) == ([5], [7])
    assert library.to_dict(result["df__0"]) == {"p": [7], "q": [2], "r": [5]}


def test_parameterize_extract_columns_positional_rename_needs_one_name_per_column(library):
    fn = parameterize_extract_columns(ParameterizedExtract(("x", "y"), {"a": value(1), "b": value(2)}))(
        _wide_fn(library)
    )
    with pytest.raises(ValueError, match="Length mismatch: Expected axis has 3 elements, new values have 2 elements"):
        execute(fn, outputs=["x"])


# -- with_columns ----------------------------------------------------------------------------


def _column_functions(library):
    Series = library.Series

    def c_sum(a: Series, b: Series) -> Series:
        """a + b"""
        return a + b

    def c_scaled(c_sum: Series, factor: float) -> Series:
        return c_sum * factor

    def row_count(a: Series) -> int:  # not a column: never appended
        return len(a)

    return [c_sum, c_scaled, row_count]


def _base_df(library):
    def base_df() -> library.DataFrame:
        return library.frame({"a": [1, 2], "b": [10, 20]})

    return base_df


def test_with_columns_appends_every_column_typed_node_by_default(library):
    @library.with_columns(*_column_functions(library), columns_to_pass=["a", "b"])
    def widened(base_df: library.DataFrame, k: int) -> library.DataFrame:
        return base_df

    dr = build(widened, _base_df(library))
    variables = {v.name: v for v in dr.list_available_variables()}
    assert variables["widened.a"].type is library.Series
    assert variables["widened._append"].type is library.DataFrame
    assert variables["widened.c_sum"].documentation == "a + b"
    result = dr.execute(["widened"], inputs={"factor": 2.0, "k": 1})["widened"]
    assert library.to_dict(result) == {"a": [1, 2], "b": [10, 20], "c_sum": [11, 22], "c_scaled": [22.0, 44.0]}


def test_with_columns_select_keeps_only_what_it_needs_in_the_selection_order(library):
    @library.with_columns(*_column_functions(library), columns_to_pass=["a", "b"], select=["c_scaled", "c_sum"])
    def final(base_df: library.DataFrame) -> library.DataFrame:
        return base_df

    result = build(final, _base_df(library)).execute(["final"], inputs={"factor": 1.0})["final"]
    assert list(result.columns) == ["a", "b", "c_scaled", "c_sum"]


def test_with_columns_on_input(library):
    Series = library.Series

    def doubled(a: Series) -> Series:
        return a * 2

    @library.with_columns(doubled, on_input="df2", select=["doubled"])
    def final(df1: library.DataFrame, df2: library.DataFrame) -> library.DataFrame:
        return df2

    inputs = {"df1": library.frame({}), "df2": library.frame({"z": [0, 0]}), "a": library.series([3, 4], name="a")}
    result = build(final).execute(["final"], inputs=inputs)["final"]
    assert library.to_dict(result) == {"z": [0, 0], "doubled": [6, 8]}


def test_with_columns_pass_dataframe_as(library):
    Series, DataFrame = library.Series, library.DataFrame

    def tripled(df: DataFrame) -> Series:
        return df["a"] * 3

    def tripled_plus_one(tripled: Series) -> Series:
        return tripled + 1

    @library.with_columns(tripled, tripled_plus_one, pass_dataframe_as="df")
    def final(base_df: DataFrame) -> DataFrame:
        return base_df

    result = build(final, _base_df(library)).execute(["final"])["final"]
    assert library.to_dict(result) == {"a": [1, 2], "b": [10, 20], "tripled": [3, 6], "tripled_plus_one": [4, 7]}


def test_with_columns_scalar_results_are_broadcast(library):
    Series = library.Series

    def constant(a: Series) -> Series:
        return a * 0 + 7

    @library.with_columns(constant, columns_to_pass=["a"], select=["constant"])
    def final(base_df: library.DataFrame) -> library.DataFrame:
        return base_df

    result = build(final, _base_df(library)).execute(["final"])["final"]
    assert library.to_list(result["constant"]) == [7, 7]


# -- schema.output and schema capture --------------------------------------------------------


def test_schema_output_tags_a_dataframe_node(library):
    @schema.output(("a", "int"), ("b", "float"))
    def df() -> library.DataFrame:
        return library.frame({"a": [1], "b": [2.0]})

    node = nodes_of(df)["df"]
    assert node.tags["hamilton.internal.schema_output"] == "a=int,b=float"
    assert library.to_dict(build(df).execute(["df"])["df"]) == {"a": [1], "b": [2.0]}


def test_schema_output_rejects_a_column_node(library):
    @schema.output(("a", "int"))
    def col() -> library.Series:
        return library.series([1])

    with pytest.raises(InvalidDecoratorException, match="which is not a registered type for a dataset"):
        build(col)


def test_schema_capture_names_types_the_same_way_for_every_library(library):
    frame = library.frame({"i": [1], "f": [1.5], "s": ["x"], "b": [True]})
    backend = plugins.dataframe_backend(frame)
    assert backend.name == library.name
    assert backend.schema(frame) == {"i": "int64", "f": "float64", "s": "str", "b": "bool"}
