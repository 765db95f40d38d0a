"""The ``dlt`` plugin: dlt resources as a Hamilton loader and dlt pipelines as a saver (format ``dlt``).

Entry point ``dlt`` in the ``hamilton.plugins`` group: Hamilton loads it when the format ``dlt``
is asked for (``from_.dlt(...)``, ``to.dlt(...)``, ``@load_from.dlt(...)``...). Importing it by
hand (1.x's ``from hamilton.plugins.dlt_extensions import ...``) is harmless. 1.x's classes:

* :class:`DltResourceLoader` (``resource=``) — runs dlt's extract and normalize steps on a
  resource, in a throw-away pipeline, and returns the resource's table as a DataFrame (with dlt's
  ``_dlt_load_id`` and ``_dlt_id`` columns; nested lists become child tables, left out);
* :class:`DltDestinationSaver` (``pipeline=``, ``table_name=``, and 1.x's optional
  ``primary_key``, ``write_disposition``, ``columns``, ``schema``, ``loader_file_format``) —
  ``pipeline.run(data, table_name=..., ...)``: loads a DataFrame, an Arrow table or batch, or an
  iterable of records into the pipeline's destination. Returns ``{"dlt_metadata": load_info}``.

pandas and pyarrow are imported only when a value of theirs is loaded or saved.
"""

from __future__ import annotations

import contextlib
import dataclasses
import sys
import tempfile
import uuid
from collections.abc import Collection, Iterable, Sequence
from typing import Any, Literal

from hamilton.plugins import library_required, register_unless_automatic

with library_required("dlt", needed_by=__name__, extra="dlt"):
    import dlt
    from dlt.common.destination.capabilities import TLoaderFileFormat
    from dlt.common.schema import Schema, TColumnSchema
    from dlt.extract.resource import DltResource

from hamilton.io import utils
from hamilton.io.data_adapters import DataLoader, DataSaver
from hamilton.plugins.hookspecs import hookimpl

HAMILTON_CORE_VERSIONS = ">=2.0,<3"
COLUMN_FRIENDLY_DF_TYPE = False

__all__ = ["DltDestinationSaver", "DltResourceLoader", "register_data_loaders"]

# Tables dlt adds to every load package (its state, versions, loads): never the resource's data.
_DLT_TABLE_PREFIX = "_dlt"


def _saveable_types() -> list[Any]:
    """What ``pipeline.run`` takes: iterables of records, and the frame types of the libraries
    already imported (a value of a library means the library is imported: nothing is imported here)."""
    types_: list[Any] = [Iterable]
    pandas = sys.modules.get("pandas")
    if pandas is not None:
        types_.append(pandas.DataFrame)
    pyarrow = sys.modules.get("pyarrow")
    if pyarrow is not None:
        types_.extend([pyarrow.Table, pyarrow.RecordBatch])
    polars = sys.modules.get("polars")
    if polars is not None:
        types_.append(polars.DataFrame)
    return types_


def __getattr__(name: str) -> Any:
    # 1.x's module attribute, built on first use (it imports pandas, and pyarrow when installed).
    if name == "DATAFRAME_TYPES":
        import pandas  # noqa: F401

        with contextlib.suppress(ModuleNotFoundError):
            import pyarrow  # noqa: F401
        return tuple(_saveable_types())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclasses.dataclass
class DltResourceLoader(DataLoader):
    """Loads a dlt resource as a ``pandas.DataFrame`` (or ``pyarrow.Table`` for nodes of that type).

    The resource goes through dlt's extract and normalize steps (to parquet) in a temporary
    pipeline that is removed afterwards; nothing is loaded to a destination. A generator-backed
    resource is consumed by this, as by any dlt run.
    """

    resource: DltResource

    def __post_init__(self) -> None:
        if not isinstance(self.resource, DltResource):
            hint = (
                " Wrap the records in a resource: dlt.resource(records, name='my_table')."
                if isinstance(self.resource, Iterable) and not isinstance(self.resource, (str, bytes))
                else ""
            )
            raise TypeError(
                f"DltResourceLoader(resource=...) takes a dlt resource (made with @dlt.resource or "
                f"dlt.resource(...)); got {type(self.resource).__name__}.{hint}"
            )

    @classmethod
    def name(cls) -> str:
        return "dlt"

    @classmethod
    def applicable_types(cls) -> Collection[type]:
        import pandas as pd

        types_: list[type] = [pd.DataFrame]
        pyarrow = sys.modules.get("pyarrow")
        if pyarrow is not None:
            types_.append(pyarrow.Table)
        return types_

    def load_data(self, type_: type) -> tuple[Any, dict[str, Any]]:
        import pyarrow as pa
        import pyarrow.parquet as pq

        with tempfile.TemporaryDirectory(prefix="hamilton-dlt-") as pipelines_dir, _keep_active_pipeline():
            pipeline = dlt.pipeline(
                pipeline_name=f"hamilton_dlt_resource_loader_{uuid.uuid4().hex[:12]}",
                pipelines_dir=pipelines_dir,
                destination="filesystem",
            )
            pipeline.extract(self.resource, loader_file_format="parquet")
            normalized = pipeline.normalize()
            tables = _root_tables(pipeline.default_schema, self.resource)
            files = [
                job.file_path
                for package in normalized.load_packages
                for job in package.jobs.get("new_jobs", [])
                if job.job_file_info.table_name in tables
            ]
            parts = [pq.read_table(path) for path in sorted(files)]
            table = pa.concat_tables(parts, promote_options="default") if parts else pa.table({})

        if sys.modules.get("pyarrow") is not None and _is_arrow_table_type(type_):
            return table, {"dlt_tables": sorted(tables), "rows": table.num_rows}
        df = table.to_pandas()
        metadata = utils.get_dataframe_metadata(df)
        return df, metadata


def _is_arrow_table_type(type_: Any) -> bool:
    import pyarrow as pa

    return isinstance(type_, type) and issubclass(type_, pa.Table)


def _root_tables(schema: Schema, resource: DltResource) -> set[str]:
    """The tables holding the resource's records: its table (the normalized name of its
    ``table_name``) — or, when the name is computed per record, every top-level data table."""
    roots = {
        table["name"]
        for table in schema.data_tables()
        if not table.get("parent") and not table["name"].startswith(_DLT_TABLE_PREFIX)
    }
    table_name = resource.table_name
    if isinstance(table_name, str):
        normalized = schema.naming.normalize_table_identifier(table_name)
        return {normalized} & roots or {normalized}
    return roots


class _keep_active_pipeline:
    """Leaves dlt's "current pipeline" as it was: ``dlt.pipeline()`` makes the new pipeline current."""

    def __enter__(self) -> None:
        self._previous = None
        try:
            from dlt.common.configuration.container import Container
            from dlt.common.pipeline import PipelineContext

            context = Container()[PipelineContext]
            self._context = context
            self._previous = context.pipeline() if context.is_active() else None
        except Exception:  # an internal API moved: leave the current pipeline as dlt sets it
            self._context = None

    def __exit__(self, *exc_info: Any) -> None:
        context = self._context
        if context is None:
            return
        try:
            if self._previous is not None:
                context.activate(self._previous)
            elif context.is_active():
                context.deactivate()
        except Exception:
            pass


@dataclasses.dataclass
class DltDestinationSaver(DataSaver):
    """Loads a value into ``pipeline``'s destination as table ``table_name`` (``pipeline.run``).

    Hamilton computes (the "transform" of extract-transform-load); dlt loads. The optional
    fields are passed to ``pipeline.run`` when set.
    """

    pipeline: dlt.Pipeline
    table_name: str
    primary_key: str | None = None
    write_disposition: Literal["skip", "append", "replace", "merge"] | None = None
    columns: Sequence[TColumnSchema] | None = None
    schema: Schema | None = None
    loader_file_format: TLoaderFileFormat | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.pipeline, dlt.Pipeline):
            raise TypeError(
                "DltDestinationSaver(pipeline=...) takes a dlt pipeline, e.g. "
                "dlt.pipeline(pipeline_name='my_pipeline', destination='duckdb'); "
                f"got {type(self.pipeline).__name__}."
            )
        if not isinstance(self.table_name, str) or not self.table_name:
            raise TypeError(
                f"DltDestinationSaver(table_name=...) must be a non-empty str naming the destination table; "
                f"got {self.table_name!r}."
            )

    @classmethod
    def name(cls) -> str:
        return "dlt"

    @classmethod
    def applicable_types(cls) -> Collection[type]:
        return _saveable_types()

    def _get_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of ``pipeline.run``: the fields set (not left at their default)."""
        arguments = {}
        for field in dataclasses.fields(self):
            if field.name == "pipeline":
                continue
            value = getattr(self, field.name)
            if value is not field.default and value != field.default:
                arguments[field.name] = value
        return arguments

    def save_data(self, data: Any) -> dict[str, Any]:
        if isinstance(data, dict):
            raise NotImplementedError(
                "DltDestinationSaver received a dict: it saves one table per saver, and a dict is "
                "what combine= (e.g. base.DictResult()) builds from several nodes. Use one to.dlt(...) "
                "per node (each with its table_name), or build one DataFrame. To load a single record, "
                "wrap it in a list: [record]."
            )
        if sys.modules.get("polars") is not None and type(data).__module__.partition(".")[0] == "polars":
            data = data.to_arrow()  # dlt takes Arrow tables; polars frames convert without a copy
        load_info = self.pipeline.run(data, **self._get_kwargs())
        return {"dlt_metadata": load_info.asdict()}


def register_data_loaders() -> None:
    """1.x's registration call, kept for 1.x compatibility: the plugin system registers these
    classes by itself when the format ``dlt`` is first asked for."""
    from hamilton import registry

    for adapter in (DltDestinationSaver, DltResourceLoader):
        registry.register_adapter(adapter)


@hookimpl
def hamilton_materializers() -> Collection[type]:
    return [DltResourceLoader, DltDestinationSaver]


# 1.x registered on import: with automatic loading off, so does a module imported by hand.
register_unless_automatic(__name__, "dlt")
