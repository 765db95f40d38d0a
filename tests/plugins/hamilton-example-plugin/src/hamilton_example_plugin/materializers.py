"""Loading and saving :class:`Table` in ``table_text``, a small line-based text format.

The format::

    #table_text 1            <- a magic line with the format version
    'a'\t'b'                 <- the column names
    1\t'x'                   <- one line per row
    2\tNone

Cells (and column names) are Python literals (``repr``) separated by tabs: ``str``, ``int``,
``float``, ``bool`` and ``None`` round-trip exactly; ``repr`` escapes tabs and newlines inside
strings, so each row stays one line. Other values are refused when saving.

The classes follow the 1.x loader/saver contract Hamilton checks: classmethods ``name()``,
``applicable_types()``, ``can_load()``/``can_save()``, ``load_data(type_) -> (value, metadata)``
and ``save_data(data) -> metadata``.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import math
import os
import secrets
from typing import Any

from hamilton_example_plugin.table import Table

FORMAT = "table_text"
MAGIC = "#table_text 1"
_PLAIN = (str, int, float, bool, type(None))
_FLOATS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}  # repr() of these is not a literal


def _encode(value: Any) -> str:
    if not isinstance(value, _PLAIN):
        raise TypeError(f"{FORMAT} stores str, int, float, bool and None cells, not {type(value).__name__}: {value!r}")
    return repr(value)


def _decode(text: str, where: str) -> Any:
    if text in _FLOATS:
        return _FLOATS[text]
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError) as error:
        raise ValueError(f"{where}: cannot read the cell {text!r} ({error})") from None


def dumps(table: Table) -> str:
    """The ``table_text`` document of ``table``."""
    lines = [MAGIC, "\t".join(_encode(name) for name in table.column_names)]
    lines += ["\t".join(_encode(cell) for cell in row) for row in table.rows()]
    return "\n".join(lines) + "\n"


def loads(text: str, source: str = "<string>") -> Table:
    """The :class:`Table` of a ``table_text`` document."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) < 2 or lines[0] != MAGIC:
        raise ValueError(f"{source} is not a {FORMAT} document (it must start with {MAGIC!r} and a header line).")
    names = [_decode(cell, f"{source}:2") for cell in lines[1].split("\t")] if lines[1] else []
    columns: list[list[Any]] = [[] for _ in names]
    for number, row in enumerate(lines[2:], start=3):
        cells = row.split("\t")
        if len(cells) != len(names):
            raise ValueError(f"{source}:{number}: {len(cells)} cells, but {len(names)} columns.")
        for column, cell in zip(columns, cells):
            column.append(_decode(cell, f"{source}:{number}"))
    return Table(dict(zip(names, columns)))


def _file_metadata(path: str, table: Table) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "path": os.fspath(path),
        "size_bytes": os.path.getsize(path),
        "rows": table.num_rows,
        "columns": table.column_names,
    }


@dataclasses.dataclass
class TableTextLoader:
    """Reads a :class:`Table` from a ``table_text`` file."""

    path: str | os.PathLike
    encoding: str = "utf-8"

    @classmethod
    def name(cls) -> str:
        return FORMAT

    @classmethod
    def applicable_types(cls) -> list[type]:
        return [Table]

    @classmethod
    def can_load(cls) -> bool:
        return True

    @classmethod
    def can_save(cls) -> bool:
        return False

    def load_data(self, type_: type) -> tuple[Table, dict[str, Any]]:
        with open(self.path, encoding=self.encoding, newline="") as handle:
            table = loads(handle.read(), source=os.fspath(self.path))
        return table, _file_metadata(self.path, table)


@dataclasses.dataclass
class TableTextSaver:
    """Writes a :class:`Table` to a ``table_text`` file, atomically: readers see the old file or
    the new one, never half of one (the text goes to a temporary file next to the target, which
    then replaces it)."""

    path: str | os.PathLike
    encoding: str = "utf-8"

    @classmethod
    def name(cls) -> str:
        return FORMAT

    @classmethod
    def applicable_types(cls) -> list[type]:
        return [Table]

    @classmethod
    def can_load(cls) -> bool:
        return False

    @classmethod
    def can_save(cls) -> bool:
        return True

    def save_data(self, data: Table) -> dict[str, Any]:
        if not isinstance(data, Table):
            raise TypeError(f"{type(self).__name__} saves Table values, not {type(data).__name__}.")
        text = dumps(data)  # encode first: an unsupported cell must not leave a temporary file behind
        target = os.path.abspath(os.fspath(self.path))
        # A new, uniquely named file in the target's folder ("x": never reuse one), so os.replace
        # stays on one filesystem (atomic) and the file gets the usual permissions (umask).
        temporary = f"{target}.{secrets.token_hex(8)}.tmp"
        handle = open(temporary, "x", encoding=self.encoding, newline="")  # noqa: SIM115 (closed below)
        try:
            with handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        return _file_metadata(target, data)
