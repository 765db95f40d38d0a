"""The ``yaml`` plugin: YAML files as a Hamilton format (1.x's module, classes and fields).

=====================  ============================  =================================
use                    class                         does
=====================  ============================  =================================
``from_.yaml(...)``    :class:`YAMLDataLoader`       ``yaml.safe_load`` of the file
``to.yaml(...)``       :class:`YAMLDataSaver`        ``yaml.safe_dump`` into the file
=====================  ============================  =================================

Both take one argument, ``path`` (a ``str`` or ``pathlib.Path``), and serve the Python types of
YAML documents: ``str``, ``int``, ``float``, ``bool``, ``dict`` and ``list``
(:data:`PrimitiveTypes`). Both return 1.x's metadata, ``{"file_metadata": {...}}``.

Entry point ``yaml`` in the ``hamilton.plugins`` group: Hamilton loads this module the first
time the format ``yaml`` is looked up, never for a dataflow that does not use YAML. Importing it
by hand (1.x's ``from hamilton.plugins import yaml_extensions``) is harmless; 1.x's
``register_data_loaders()`` registers it explicitly (for ``HAMILTON_AUTOLOAD_EXTENSIONS=0``).
"""

from hamilton.plugins import library_required, register_unless_automatic

with library_required("yaml", needed_by=__name__, extra="yaml", distribution="PyYAML"):
    import yaml

import dataclasses
import os
import pathlib
import sys
from collections.abc import Collection
from typing import Any, Union

from hamilton.io.atomic import atomic_write
from hamilton.io.data_adapters import DataLoader, DataSaver
from hamilton.io.utils import get_file_metadata
from hamilton.plugins.hookspecs import hookimpl

HAMILTON_CORE_VERSIONS = ">=2.0,<3"

# The Python types a YAML document maps to (1.x's names).
PrimitiveTypes = str, int, float, bool, dict, list
AcceptedTypes = Union[PrimitiveTypes]

COLUMN_FRIENDLY_DF_TYPE = False  # 1.x: not a dataframe type with named columns


def _check_path(adapter: Any) -> None:
    """Reject a path that is not one (``None``, a forgotten argument) when the class is built."""
    if not isinstance(adapter.path, (str, os.PathLike)):
        saver = isinstance(adapter, DataSaver)
        raise TypeError(
            f"{type(adapter).__qualname__}: parameter 'path' must be a file path (str or os.PathLike), "
            f"not {adapter.path!r}. Pass path=... to {'to' if saver else 'from_'}.yaml(...) (or to "
            f"@{'save_to' if saver else 'load_from'}.yaml(...))."
        )


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, also writing subclasses of the plain types (an ``OrderedDict``, a
    ``defaultdict``, a ``str`` enum) as their base type, so that every file written loads back
    with ``yaml.safe_load``."""


def _as_base(convert: Any, represent: Any) -> Any:
    """A representer converting a subclass instance to its plain base value first: PyYAML's
    scalar representers format with ``repr``/``str``, which a subclass may override (numpy's
    ``float64`` reprs as ``np.float64(1.0)``, a ``str`` enum as ``Color.RED``), writing a tag
    ``safe_load`` cannot read back."""

    def represent_as_base(dumper: yaml.SafeDumper, data: Any) -> Any:
        return represent(dumper, convert(data))

    return represent_as_base


# The conversions call the base type's own method, never the subclass's override.
for _base, _convert, _represent in (
    (dict, dict, yaml.SafeDumper.represent_dict),
    (list, list, yaml.SafeDumper.represent_list),
    (tuple, list, yaml.SafeDumper.represent_list),
    (str, str.__str__, yaml.SafeDumper.represent_str),
    (int, int.__index__, yaml.SafeDumper.represent_int),
    (float, float.__float__, yaml.SafeDumper.represent_float),
):
    _Dumper.add_multi_representer(_base, _as_base(_convert, _represent))


@dataclasses.dataclass
class YAMLDataLoader(DataLoader):
    """Loads a YAML file with ``yaml.safe_load`` (format ``yaml``)."""

    path: str | pathlib.Path

    def __post_init__(self) -> None:
        _check_path(self)

    @classmethod
    def applicable_types(cls) -> Collection[type]:
        return [*PrimitiveTypes]

    @classmethod
    def name(cls) -> str:
        return "yaml"

    def load_data(self, type_: type) -> tuple[AcceptedTypes, dict[str, Any]]:
        # PyYAML's errors point at the line and column "in <the file's name>".
        with open(self.path, "rb") as stream:  # bytes: PyYAML detects UTF-8/UTF-16 itself
            data = yaml.safe_load(stream)
        return data, get_file_metadata(self.path)


@dataclasses.dataclass
class YAMLDataSaver(DataSaver):
    """Writes a value as YAML with ``yaml.safe_dump`` (format ``yaml``); the file is replaced atomically."""

    path: str | pathlib.Path

    def __post_init__(self) -> None:
        _check_path(self)

    @classmethod
    def applicable_types(cls) -> Collection[type]:
        return [*PrimitiveTypes]

    @classmethod
    def name(cls) -> str:
        return "yaml"

    def save_data(self, data: AcceptedTypes) -> dict[str, Any]:
        try:
            text = yaml.dump(data, Dumper=_Dumper)
        except yaml.representer.RepresenterError as error:
            culprit = error.args[1] if len(error.args) > 1 else None
            raise TypeError(
                f"Cannot save to YAML file {os.fspath(self.path)!r}: the value contains "
                f"{type(culprit).__module__}.{type(culprit).__qualname__} {culprit!r}, which plain "
                "YAML cannot represent (a file yaml.safe_load can read back holds only dicts, "
                "lists, strings, numbers, booleans, None, dates and sets). Convert it first, or "
                "save with to.pickle."
            ) from error
        with atomic_write(self.path, "w", encoding="utf-8") as stream:
            stream.write(text)
        return get_file_metadata(self.path)


@hookimpl
def hamilton_materializers() -> Collection[type]:
    return [YAMLDataLoader, YAMLDataSaver]


def register_data_loaders() -> None:
    """Register this module's loader and saver now (1.x's function; loading is automatic otherwise)."""
    from hamilton import plugins

    plugins.register(sys.modules[__name__])


# 1.x registered on import: with automatic loading off, so does a module imported by hand.
register_unless_automatic(__name__, "yaml")
