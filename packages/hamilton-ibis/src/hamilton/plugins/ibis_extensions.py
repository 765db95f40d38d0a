"""The ``ibis`` plugin: ibis tables as Hamilton dataframes (1.x's module, names and behaviour).

Entry point ``ibis`` in the ``hamilton.plugins`` group: Hamilton loads it lazily, the first time
an ibis type is dispatched (``@extract_columns`` on a function returning an ``ir.Table``, or
``@check_output(schema=ibis.schema(...))``). Importing it by hand (1.x's
``from hamilton.plugins import ibis_extensions``) is harmless, and registers it when automatic
loading of extensions is switched off (``HAMILTON_AUTOLOAD_EXTENSIONS=0``), as 1.x did.

It registers

* the column backend of ``ibis.expr.types.Table`` (:class:`~hamilton.plugins.ibis_backend.IbisBackend`):
  ``@extract_columns`` on a table makes one node per column, typed ``ibis.expr.types.Column``
  (:data:`COLUMN_TYPE`), each an unexecuted column expression of the table;
* :class:`SchemaValidatorIbis`, ``@check_output(schema=ibis.schema({...}))`` on a node returning a
  table: passes when the table's schema equals the given one (names, order, types, nullability),
  known without executing the expression.

1.x raised ``NotImplementedError`` for ``@extract_columns(..., fill_with=...)`` on a table; here the
missing columns are added as literals (``Table.mutate``).
"""

from hamilton.plugins import library_required, register_unless_automatic

with library_required("ibis", needed_by=__name__, extra="ibis", distribution="ibis-framework"):
    import ibis
    import ibis.expr.types as ir

from collections.abc import Collection
from typing import Any

from hamilton.data_quality import base
from hamilton.plugins.hookspecs import hookimpl

HAMILTON_CORE_VERSIONS = ">=2.0,<3"
ENTRY_POINT = "ibis"  # this plugin's entry-point name (the library it serves)

# 1.x's names for the types this module registered.
DATAFRAME_TYPE = ir.Table
COLUMN_TYPE = ir.Column


def get_column_ibis(df: ir.Table, column_name: str) -> ir.Column:
    """1.x's column getter of ``extract_columns``: the column expression ``df[column_name]``."""
    return df[column_name]


def fill_with_scalar_ibis(df: ir.Table, column_name: str, scalar_value: Any) -> ir.Table:
    """A new table: ``df`` plus column ``column_name`` holding ``scalar_value`` in every row.

    1.x raised ``NotImplementedError`` here; ``df`` itself is left unchanged (ibis tables are immutable).
    """
    from hamilton.plugins.ibis_backend import IbisBackend

    return IbisBackend().fill_with_scalar(df, column_name, scalar_value)


def _describe(schema: "ibis.Schema") -> str:
    return "{" + ", ".join(f"{name}: {dtype}" for name, dtype in schema.items()) + "}"


def _differences(expected: "ibis.Schema", actual: "ibis.Schema") -> list[str]:
    """What differs between two schemas, in words."""
    missing = [name for name in expected.names if name not in actual]
    extra = [name for name in actual.names if name not in expected]
    changed = [
        f"{name} is {actual[name]}, expected {expected[name]}"
        for name in expected.names
        if name in actual and actual[name] != expected[name]
    ]
    found: list[str] = []
    if missing:
        found.append(f"missing columns {missing}")
    if extra:
        found.append(f"unexpected columns {extra}")
    found.extend(changed)
    if not found:
        found.append(f"columns in another order: {list(actual.names)}, expected {list(expected.names)}")
    return found


class SchemaValidatorIbis(base.BaseDefaultValidator):
    """``@check_output(schema=ibis.schema({...}))``: the table's schema equals ``schema``.

    ``schema`` is an ``ibis.Schema``, or anything ``ibis.schema`` accepts (a mapping of column
    name -> type). Equality is ibis' own: same names in the same order, same types and nullability.
    The table is not executed: its schema is known from the expression.
    """

    def __init__(self, schema: Any, importance: str):
        super().__init__(importance)
        if not isinstance(schema, ibis.Schema):
            try:
                schema = ibis.schema(schema)
            except Exception as error:
                raise TypeError(
                    f"@check_output(schema=...) on an ibis table takes an ibis.Schema (or a mapping of column "
                    f"name -> ibis type), got {type(schema).__qualname__} {schema!r}: {error}. Pass e.g. "
                    'schema=ibis.schema({"a": "int64", "b": "string"}).'
                ) from error
        self.schema = schema

    @classmethod
    def arg(cls) -> str:
        return "schema"

    @classmethod
    def applies_to(cls, datatype: type) -> bool:
        return isinstance(datatype, type) and issubclass(datatype, ir.Table)

    def name(self) -> str:
        return f"{self.arg()}_validator"

    def description(self) -> str:
        return f"Validates that the ibis table expression has the schema {_describe(self.schema)}."

    def validate(self, data: Any) -> base.ValidationResult:
        if not isinstance(data, ir.Table):
            return base.ValidationResult(
                passes=False,
                message=f"Data failed Ibis schema check: expected an ibis Table, got {type(data).__qualname__}",
                diagnostics={"schema": dict(self.schema.fields), "actual_type": type(data).__qualname__},
            )
        actual = data.schema()
        passes = actual.equals(self.schema)
        diagnostics = {"schema": dict(self.schema.fields), "actual_schema": dict(actual.fields)}
        if passes:
            return base.ValidationResult(passes=True, message="Data passes Ibis schema check", diagnostics=diagnostics)
        return base.ValidationResult(
            passes=False,
            message="Data failed Ibis schema check: " + "; ".join(_differences(self.schema, actual)),
            diagnostics=diagnostics,
        )


VALIDATORS: list[type] = [SchemaValidatorIbis]


@hookimpl
def hamilton_dataframe_backends() -> Collection[object]:
    from hamilton.plugins.ibis_backend import IbisBackend

    return [IbisBackend()]


@hookimpl
def hamilton_validators() -> Collection[type]:
    return list(VALIDATORS)


def register_types() -> None:
    """Register this plugin by hand, so ``@extract_columns`` and ``@check_output`` handle ibis tables.

    Automatic loading does this when needed; 1.x called it on import, and so does this module when
    automatic loading of extensions is switched off. Registering twice is harmless.
    """
    import sys

    from hamilton import plugins

    plugins.register(sys.modules[__name__])


register_validators = register_types  # 1.x registered its validator separately; one plugin here


# 1.x registered on import: with automatic loading off, so does a module imported by hand.
register_unless_automatic(__name__, ENTRY_POINT)
