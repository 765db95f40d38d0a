"""Record the Arrow schema of every dataframe a run produces, and catch when it changes.

:class:`SchemaValidator` is a lifecycle adapter (1.x's ``hamilton.plugins.h_schema``). After
each node whose result is a dataframe (pandas, polars, pyarrow, ibis, dask, a narwhals
wrapper... anything :data:`hamilton.experimental.h_databackends.DATAFRAME_TYPES` names), it
derives the result's ``pyarrow.Schema`` and keeps it in ``schema_dir`` as ``<node>.schema``
(Arrow IPC). On later runs it compares each schema with the stored one and, on a difference,
logs a warning or raises, as ``importance`` says. Input and override frames are recorded too.

The helpers it is built from are public, as in 1.x: :func:`diff_schemas`,
:func:`human_readable_diff`, :func:`pyarrow_schema_to_json`, :func:`get_dataframe_schema`,
:func:`load_schema` and :func:`save_schema`.

Schema files are replaced atomically (written beside the target, flushed, then renamed over
it), so an interrupted run leaves either the previous file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import enum
import json
import logging
import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, NamedTuple

from hamilton.plugins import library_required

with library_required("pyarrow", needed_by=__name__, extra="pyarrow"):
    import pyarrow
    import pyarrow.ipc

from hamilton.experimental import h_databackends
from hamilton.graph_types import HamiltonGraph, HamiltonNode
from hamilton.lifecycle import GraphExecutionHook, NodeExecutionHook

logger = logging.getLogger(__name__)

SCHEMA_METADATA_FIELD = "__metadata"
"""Key under which a schema's own metadata appears in JSON schemas and diffs."""

_IMPORTANCES = ("warn", "fail")


# -- diffs --------------------------------------------------------------------------------------


class Diff(enum.Enum):
    """How one entry (a column, a column attribute, a metadata key) compares with the reference."""

    ADDED = "+"
    REMOVED = "-"
    EQUAL = "=="
    UNEQUAL = "!="


class DiffResult(NamedTuple):
    """One entry of a diff: how it compares, and its value.

    ``value`` is the entry itself for ``ADDED``/``REMOVED``/``EQUAL``; for ``UNEQUAL`` it is
    either ``{"cur": current, "ref": reference}`` or, for entries compared part by part (a
    column, metadata), a mapping of the parts to their own :class:`DiffResult`.
    """

    diff: Diff
    value: Any


def _compare(current: Mapping[str, Any], reference: Mapping[str, Any]) -> dict[str, DiffResult]:
    """Every key of either mapping -> how its value compares (values compared with ``==``)."""
    result: dict[str, DiffResult] = {}
    for key, value in current.items():
        if key not in reference:
            result[key] = DiffResult(Diff.ADDED, value)
        elif value == reference[key]:
            result[key] = DiffResult(Diff.EQUAL, value)
        else:
            result[key] = DiffResult(Diff.UNEQUAL, {"cur": value, "ref": reference[key]})
    for key, value in reference.items():
        if key not in current:
            result[key] = DiffResult(Diff.REMOVED, value)
    return result


def _nested(parts: dict[str, DiffResult]) -> DiffResult:
    """A diff of parts, as one entry: ``EQUAL`` when every part is, else ``UNEQUAL``."""
    same = all(part.diff is Diff.EQUAL for part in parts.values())
    return DiffResult(Diff.EQUAL if same else Diff.UNEQUAL, parts)


def _compare_columns(current: dict, reference: dict, check_field_metadata: bool) -> DiffResult:
    """One column present in both schemas, compared attribute by attribute."""
    if not check_field_metadata:
        current = {k: v for k, v in current.items() if k != "metadata"}
        reference = {k: v for k, v in reference.items() if k != "metadata"}
    parts = _compare(current, reference)
    metadata = parts.get("metadata")
    if metadata is not None and metadata.diff is Diff.UNEQUAL:
        parts["metadata"] = _nested(_compare(current["metadata"], reference["metadata"]))
    return _nested(parts)


def diff_schemas(
    current_schema: pyarrow.Schema,
    reference_schema: pyarrow.Schema,
    check_schema_metadata: bool = False,
    check_field_metadata: bool = False,
) -> dict[str, DiffResult]:
    """Compare two schemas column by column (by name; column order is not compared).

    Returns ``{}`` when they agree. Otherwise every column of either schema maps to a
    :class:`DiffResult`: ``ADDED`` (only in ``current_schema``), ``REMOVED`` (only in
    ``reference_schema``), ``EQUAL``, or ``UNEQUAL`` with a part-by-part diff of ``name``,
    ``type``, ``nullable`` (and ``metadata``, key by key, with ``check_field_metadata``).
    With ``check_schema_metadata``, the schemas' own metadata is compared key by key under
    :data:`SCHEMA_METADATA_FIELD`. Metadata is ignored otherwise.
    """
    if current_schema.equals(reference_schema, check_metadata=check_schema_metadata or check_field_metadata):
        return {}
    current = pyarrow_schema_to_json(current_schema)
    reference = pyarrow_schema_to_json(reference_schema)
    current_metadata = current.pop(SCHEMA_METADATA_FIELD, {})
    reference_metadata = reference.pop(SCHEMA_METADATA_FIELD, {})

    diff = _compare(current, reference)
    for name, entry in diff.items():
        if entry.diff is Diff.UNEQUAL:
            diff[name] = _compare_columns(current[name], reference[name], check_field_metadata)
    if check_schema_metadata:
        diff[SCHEMA_METADATA_FIELD] = _nested(_compare(current_metadata, reference_metadata))
    if all(entry.diff is Diff.EQUAL for entry in diff.values()):
        return {}  # e.g. the same columns in another order, or metadata that was not asked for
    return diff


def _is_nested(value: Any) -> bool:
    return isinstance(value, Mapping) and all(isinstance(part, DiffResult) for part in value.values())


def human_readable_diff(diff: Mapping[str, DiffResult]) -> dict:
    """A diff with the equal entries left out, for people: ``"+"`` for an added entry, ``"-"``
    for a removed one, ``{"cur": ..., "ref": ...}`` for a changed value, and a nested dict for a
    changed column or metadata. Keys are sorted; ``{}`` means no difference."""
    readable: dict[str, Any] = {}
    for key, entry in diff.items():
        if entry.diff is Diff.EQUAL:
            continue
        if entry.diff in (Diff.ADDED, Diff.REMOVED):
            readable[key] = entry.diff.value
        elif _is_nested(entry.value):
            parts = human_readable_diff(entry.value)
            if parts:
                readable[key] = parts
        else:
            readable[key] = entry.value
    return dict(sorted(readable.items()))


# -- schemas ------------------------------------------------------------------------------------


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", errors="backslashreplace") if isinstance(value, bytes) else str(value)


def _metadata_as_json(metadata: Mapping | None) -> dict[str, str]:
    return {_text(key): _text(value) for key, value in (metadata or {}).items()}


def pyarrow_schema_to_json(schema: pyarrow.Schema) -> dict:
    """A JSON-serializable dict of ``schema``: column name -> ``{"name", "type", "nullable",
    "metadata"}`` (the type as pyarrow prints it, e.g. ``"int64"``), plus the schema's metadata
    under :data:`SCHEMA_METADATA_FIELD` when it has any."""
    as_json: dict[str, Any] = {}
    if schema.metadata:
        as_json[SCHEMA_METADATA_FIELD] = _metadata_as_json(schema.metadata)
    for field in schema:
        as_json[str(field.name)] = {
            "name": field.name,
            "type": str(field.type),
            "nullable": field.nullable,
            "metadata": _metadata_as_json(field.metadata),
        }
    return as_json


def _narwhals_frame(df: Any) -> Any:
    """``df`` as a narwhals frame, or ``None`` (narwhals missing, or not a frame it knows)."""
    try:
        import narwhals.stable.v1 as nw
    except ImportError:
        return None
    frame = nw.from_native(df, pass_through=True)
    return frame if isinstance(frame, (nw.DataFrame, nw.LazyFrame)) else None


def _arrow_schema(df: Any) -> pyarrow.Schema:
    """The Arrow schema of a dataframe of any supported library (data is read only when the
    library cannot state its schema otherwise)."""
    if isinstance(df, (pyarrow.Table, pyarrow.RecordBatch)):
        return df.schema
    if isinstance(df, h_databackends.AbstractPandasDataFrame):
        # pyarrow's own conversion, without the index or the pandas metadata it adds
        return pyarrow.Schema.from_pandas(df, preserve_index=False).remove_metadata()
    if isinstance(df, h_databackends.AbstractPolarsDataFrame):
        return df.head(0).to_arrow().schema
    if isinstance(df, h_databackends.AbstractLazyPolarsDataFrame):
        import polars

        return polars.DataFrame(schema=df.collect_schema()).to_arrow().schema  # no query runs
    if isinstance(df, h_databackends.AbstractIbisDataFrame):
        return df.schema().to_pyarrow()  # ibis knows it without running the expression
    if isinstance(df, h_databackends.AbstractSparkSQLDataFrame):
        from pyspark.sql.pandas.types import to_arrow_schema

        return to_arrow_schema(df.schema)
    if hasattr(df, "__arrow_c_schema__"):  # the Arrow PyCapsule interface
        return pyarrow.schema(df)
    frame = _narwhals_frame(df)
    if frame is not None:
        if hasattr(frame, "collect"):  # lazy: an empty slice is enough to know the columns
            return frame.head(0).collect().to_arrow().schema
        return frame.to_arrow().schema
    if hasattr(df, "__dataframe__"):  # the dataframe interchange protocol
        from pyarrow.interchange import from_dataframe

        return from_dataframe(df, allow_copy=True).schema
    raise TypeError(
        f"Cannot derive an Arrow schema from a {type(df).__module__}.{type(df).__qualname__}: it is not a "
        "pandas, polars, pyarrow, ibis or pyspark frame, not supported by narwhals, and implements neither "
        "the Arrow PyCapsule interface nor the dataframe interchange protocol."
    )


def _is_dataframe(value: Any) -> bool:
    if isinstance(value, h_databackends.DATAFRAME_TYPES):
        return True
    if "narwhals" in sys.modules:
        import narwhals

        return isinstance(value, (narwhals.DataFrame, narwhals.LazyFrame))
    return False


def _node_metadata(node: HamiltonNode | None, name: str) -> dict[str, str]:
    if node is None:
        return {"name": name, "documentation": "", "version": ""}
    return {
        "name": str(node.name),
        "documentation": "" if node.documentation is None else str(node.documentation),
        "version": "" if node.version is None else str(node.version),
    }


def get_dataframe_schema(df: Any, node: HamiltonNode) -> pyarrow.Schema:
    """The Arrow schema of ``df`` (the result of ``node``), with the node's ``name``,
    ``documentation`` and ``version`` (its code's hash) as schema metadata."""
    return _arrow_schema(df).with_metadata(_node_metadata(node, node.name))


# -- files --------------------------------------------------------------------------------------


class SchemaFileError(pyarrow.ArrowInvalid):
    """A schema file exists but cannot be read as an Arrow schema (truncated, edited, or not
    written by Hamilton). A ``pyarrow.ArrowInvalid`` (so a ``ValueError``) for compatibility."""


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_current_umask()


def _replace_file(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: a temporary file in the same directory, flushed
    to disk, then renamed over ``path``. Readers see the old content or the new, never a part."""
    path = Path(path)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, _FILE_MODE)  # mkstemp makes 0600; give it a normal file's mode
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        with contextlib.suppress(OSError):
            directory = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)


def load_schema(path: str | Path) -> pyarrow.Schema:
    """Read a schema written by :func:`save_schema` (Arrow IPC).

    :raises FileNotFoundError: no file at ``path``.
    :raises SchemaFileError: the file is not a readable Arrow schema; the message names it.
    """
    try:
        return pyarrow.ipc.read_schema(str(path))
    except FileNotFoundError:
        raise
    except (pyarrow.ArrowException, OSError) as error:
        raise SchemaFileError(
            f"The schema file {str(path)!r} cannot be read as an Arrow schema ({error}). It may be truncated, "
            "edited, or not written by Hamilton. Delete it, or run once with SchemaValidator(check=False), to "
            "write it again from the current results."
        ) from error


def save_schema(path: str | Path, schema: pyarrow.Schema) -> None:
    """Write ``schema`` to ``path`` (Arrow IPC), replacing the file atomically."""
    _replace_file(path, schema.serialize().to_pybytes())


# -- the adapter --------------------------------------------------------------------------------


class SchemaValidator(NodeExecutionHook, GraphExecutionHook):
    """Records the schema of every dataframe a run produces and checks it against stored ones.

    :param schema_dir: directory of the schema files (``<node>.schema``, plus ``schemas.json``,
        all schemas of the last run as JSON for people); created if missing.
    :param check: compare each schema with its stored file. With ``False``, schemas are only
        written, replacing stored ones (accept the current schemas as the new reference).
    :param must_exist: with ``check``, a node without a stored schema raises
        ``FileNotFoundError`` instead of having its schema written.
    :param importance: on a difference, ``"warn"`` logs a warning with the diff;
        ``"fail"`` raises ``RuntimeError`` and the run stops.
    :param check_schema_metadata: also compare the schemas' metadata (the node's name,
        docstring and code version).
    :param check_field_metadata: also compare the columns' metadata.

    After a run, ``schemas`` holds each node's schema, ``reference_schemas`` the stored ones
    compared against, and ``schema_diffs`` the diffs found (see :func:`diff_schemas`).
    """

    def __init__(
        self,
        schema_dir: str | os.PathLike = "./schemas",
        check: bool = True,
        must_exist: bool = False,
        importance: Literal["warn", "fail"] = "warn",
        check_schema_metadata: bool = False,
        check_field_metadata: bool = False,
    ):
        if importance not in _IMPORTANCES:
            raise ValueError(f"SchemaValidator(importance={importance!r}): use 'warn' or 'fail'.")
        self.schemas: dict[str, pyarrow.Schema] = {}
        self.reference_schemas: dict[str, pyarrow.Schema] = {}
        self.schema_diffs: dict[str, dict[str, DiffResult]] = {}
        self.schema_dir = schema_dir
        self.check = check
        self.must_exist = must_exist
        self.importance = importance
        self.check_schema_metadata = check_schema_metadata
        self.check_field_metadata = check_field_metadata
        self.h_graph: HamiltonGraph | None = None
        Path(schema_dir).mkdir(parents=True, exist_ok=True)

    @property
    def json_schemas(self) -> dict[str, dict]:
        """The schemas recorded so far, as :func:`pyarrow_schema_to_json` dicts."""
        return {name: pyarrow_schema_to_json(schema) for name, schema in self.schemas.items()}

    def get_schema_path(self, node_name: str) -> Path:
        """``<schema_dir>/<node_name>.schema``."""
        return Path(self.schema_dir, f"{node_name}.schema")

    def _node(self, node_name: str) -> HamiltonNode | None:
        if self.h_graph is None:
            return None
        try:
            return self.h_graph[node_name]
        except KeyError:  # an input no node consumes
            return None

    def run_before_graph_execution(
        self,
        *,
        graph: HamiltonGraph,
        inputs: dict[str, Any] | None = None,
        overrides: dict[str, Any] | None = None,
        **future_kwargs: Any,
    ) -> None:
        """Remember the graph; record (and check) the schemas of input and override frames."""
        self.h_graph = graph
        for values in (inputs, overrides):
            for name, value in (values or {}).items():
                self.run_after_node_execution(node_name=name, result=value)

    def run_before_node_execution(self, **future_kwargs: Any) -> None:
        """Nothing to do before a node runs."""

    def run_after_node_execution(self, *, node_name: str, result: Any = None, **future_kwargs: Any) -> None:
        """Record the schema of ``result`` if it is a dataframe; write or check its file."""
        if not _is_dataframe(result):
            return
        try:
            schema = _arrow_schema(result).with_metadata(_node_metadata(self._node(node_name), node_name))
        except Exception as error:
            message = (
                f"SchemaValidator cannot record the schema of node {node_name!r} ({type(result).__qualname__}): {error}"
            )
            if self.importance == "fail":
                raise TypeError(message + " Return a frame pyarrow can describe, or use importance='warn'.") from error
            logger.warning("%s; its schema is not checked.", message)
            return
        self.schemas[node_name] = schema
        path = self.get_schema_path(node_name)
        if not self.check:
            save_schema(path, schema)
            return
        if not path.exists():
            if self.must_exist:
                raise FileNotFoundError(
                    f"SchemaValidator(must_exist=True): node {node_name!r} has no stored schema at {str(path)!r}. "
                    "Run once with check=False (or must_exist=False) to write it."
                )
            save_schema(path, schema)
            return
        reference = load_schema(path)
        self.reference_schemas[node_name] = reference
        diff = diff_schemas(
            current_schema=schema,
            reference_schema=reference,
            check_schema_metadata=self.check_schema_metadata,
            check_field_metadata=self.check_field_metadata,
        )
        if not diff:
            return
        self.schema_diffs[node_name] = diff
        readable = json.dumps({node_name: human_readable_diff(diff)}, indent=2, default=str)
        if self.importance == "fail":
            raise RuntimeError(
                f"The schema of node {node_name!r} differs from the one stored in {str(path)!r} "
                f"('+' added, '-' removed, cur/ref: current/stored):\n{readable}\n"
                "If the change is intended, run once with SchemaValidator(check=False) to store the new schema."
            )
        logger.warning("Schema diff of node %r against %s:\n%s\n", node_name, path, readable)

    def run_after_graph_execution(self, **future_kwargs: Any) -> None:
        """Write ``schemas.json``: every schema recorded, as JSON."""
        _replace_file(Path(self.schema_dir, "schemas.json"), json.dumps(self.json_schemas).encode())
